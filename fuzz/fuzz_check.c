/* One in-memory agent config through everything `check` runs on it: YAML,
 * the schema walker, the typed config model and the semantic rules. */
#include "fuzz/fuzz.h"
#include "checks/check.h"

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
    struct al_report r;
    if (al_check_run(&ctx, src, &r) < 0)
        abort();
    al_report_free(&r);
    al_source_free(src);
    return 0;
}
