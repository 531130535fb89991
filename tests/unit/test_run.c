/* The one pipeline (checks/run.h): every command's report and access model
 * from one call, each agent's YAML tree freed after its rules, and what the
 * model reads owned by the typed config. Under `make check`'s sanitizers a
 * pointer into a freed tree fails here. */
#include "checkutil.h"

#include "checks/run.h"

static const char CONFIG[] = "ci_access:\n"
                             "  projects:\n"
                             "    - id: Group/App\n"              /* 3 */
                             "      protected_branches_only: 1\n" /* a truthy non-boolean */
                             "      environments: [prod, \"\"]\n"
                             "    - id: group/app\n" /* 6: the same key from 17.0 */
                             "  groups:\n"
                             "    - id: group\n" /* 8 */
                             "  instance:\n";    /* 9: no value */

static void build(struct run *r, struct al_run *out, const char *yaml)
{
    run_init(r, AL_SRC_WORKTREE);
    run_file(r, ".gitlab/agents/prod/config.yaml", yaml);
    qsort(r->src->files, r->src->n_files, sizeof(*r->src->files), by_path);
    r->ctx.project_path = "group/configs";
    r->ctx.instance_authorization = true;
    struct al_run_opts o;
    al_run_opts_init(&o, &r->ctx);
    al_run_build(&o, r->src, out);
}

static void trees_freed_model_built(void **state)
{
    (void)state;
    struct run r;
    struct al_run run;
    build(&r, &run, CONFIG);
    assert_int_equal(run.report.n_agents, 1);
    const struct al_agent *a = &run.report.agents[0];
    assert_null(a->doc);
    assert_false(a->empty);
    assert_int_equal(a->config.n_entries, 4);
    for (size_t i = 0; i < a->config.n_entries; i++)
        assert_null(a->config.entries[i].node);
    assert_string_equal(a->config.entries[0].id, "Group/App");
    assert_int_equal(a->config.entries[0].n_env, 1);
    assert_string_equal(a->config.entries[0].environments[0], "prod");

    assert_int_equal(run.access.n_agents, 1);
    const struct al_access_agent *ag = run.access.agents[0];
    assert_ptr_equal(ag->source, a);
    assert_int_equal(ag->n_auths, 5); /* implicit + 4 */
    const struct al_auth *first = &ag->auths[1], *second = &ag->auths[2];
    assert_int_equal(first->line, 3);
    assert_true(first->protected_branches_only);
    assert_int_equal(first->drop, AL_DROP_DUPLICATE);
    assert_ptr_equal(first->shadowed_by, second);
    assert_string_equal(first->key, "group/app");
    assert_true(second->effective);
    assert_int_equal(second->line, 6);
    const struct al_auth *inst = &ag->auths[4];
    assert_int_equal(inst->scope, AL_SCOPE_INSTANCE);
    assert_int_equal(inst->drop, AL_DROP_UNSET);
    al_run_free(&run);
    run_free(&r);
}

/* An empty file: no document, the diff's "emptied" state. */
static void empty_file(void **state)
{
    (void)state;
    struct run r;
    struct al_run run;
    build(&r, &run, "# nothing\n");
    assert_true(run.report.agents[0].empty);
    assert_null(run.report.agents[0].doc);
    assert_int_equal(run.access.agents[0]->n_auths, 1); /* the implicit one */
    al_run_free(&run);
    run_free(&r);
}

/* Many entries, with duplicates far apart: each shadowed by the last one. */
static void duplicates_by_hash(void **state)
{
    (void)state;
    struct al_buf y = AL_BUF_INIT;
    al_buf_puts(&y, "ci_access:\n  projects:\n");
    for (int i = 0; i < 300; i++)
        al_buf_printf(&y, "    - id: group/p%d\n", i % 100);
    struct run r;
    struct al_run run;
    build(&r, &run, al_buf_cstr(&y));
    const struct al_access_agent *ag = run.access.agents[0];
    assert_int_equal(ag->n_auths, 301);
    for (size_t i = 1; i < ag->n_auths; i++) {
        const struct al_auth *a = &ag->auths[i];
        bool last = i > 200;
        assert_int_equal(a->effective, last);
        if (!last)
            assert_ptr_equal(a->shadowed_by, &ag->auths[201 + (i - 1) % 100]);
    }
    al_run_free(&run);
    run_free(&r);
    al_buf_free(&y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trees_freed_model_built),
        cmocka_unit_test(empty_file),
        cmocka_unit_test(duplicates_by_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
