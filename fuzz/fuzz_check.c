/* One in-memory agent config through everything every command runs on it:
 * YAML, the schema walker, the typed config model, the semantic rules and
 * the access model (checks/run.h). */
#include "fuzz/fuzz.h"
#include "checks/run.h"

static struct al_schema *schema; /* loaded once: the fuzzer's fixture */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (al_schema_load_builtin(&schema) < 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct al_source *src = al_source_new(AL_SRC_WORKTREE);
    al_source_add(src, ".gitlab/agents", AL_FILE_DIR, NULL, 0);
    al_source_add(src, ".gitlab/agents/fuzz", AL_FILE_DIR, NULL, 0);
    al_source_add(src, ".gitlab/agents/fuzz/config.yaml", AL_FILE_REGULAR, (const char *)data,
                  size);
    struct al_check_ctx ctx = {0};
    ctx.schema = schema;
    ctx.gitlab_version = schema->latest;
    ctx.env_matching = AL_ENV_ANCHORED;
    ctx.project_path = "group/configs"; /* so rules that need it run */
    ctx.project_path_origin = "fuzz";
    ctx.max_per_rule = 3; /* small, so that the cap (al_findings_cap) runs often */
    /* The whole pipeline: checks and the access model on what they read. */
    struct al_run_opts ro;
    al_run_opts_init(&ro, &ctx);
    struct al_run r;
    al_run_build(&ro, src, &r);
    al_run_free(&r);
    al_source_free(src);
    return 0;
}
