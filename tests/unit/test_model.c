/* The access model: GitLab's refresh rules per list (limit, duplicates,
 * namespace, ids that cannot match), the implicit authorization,
 * ci_access.instance, and which entries a broader one gives way to. */
#include "testutil.h"

#include "model/ids.h"
#include "access/model.h"
#include "fixture.h"

struct built {
    struct al_agent *agent;
    struct al_access m;
    const struct al_access_agent *a;
};

static void build(struct built *b, const char *yaml, const struct al_access_opts *o)
{
    b->agent = fx_agent("deploy", yaml);
    al_access_init(&b->m, o);
    b->a = al_access_add(&b->m, b->agent, o->config_project);
}

static void unbuild(struct built *b)
{
    al_access_free(&b->m);
    fx_agent_free(b->agent);
}

static const struct al_auth *by_label(const struct al_access_agent *a, const char *label)
{
    for (size_t i = 0; i < a->n_auths; i++)
        if (strcmp(a->auths[i].label, label) == 0)
            return &a->auths[i];
    fail_msg("no authorization %s", label);
    return NULL;
}

static void implicit_first_then_file_order(void **state)
{
    (void)state;
    struct al_access_opts o = {.config_project = "acme/infra"};
    struct built b;
    build(&b,
          "ci_access:\n  projects:\n    - id: acme/web\n      access_as: {ci_job: {}}\n"
          "      environments: [production]\n      default_namespace: web\n"
          "  groups:\n    - id: acme\n      protected_branches_only: true\n"
          "user_access:\n  access_as: {user: {}}\n  groups:\n    - id: acme\n",
          &o);
    assert_int_equal(b.a->n_auths, 4);
    const struct al_auth *im = &b.a->auths[0];
    assert_int_equal(im->scope, AL_SCOPE_IMPLICIT);
    assert_string_equal(im->id, "acme/infra");
    assert_int_equal(im->access_as, AL_AS_AGENT);
    assert_true(im->effective);
    assert_string_equal(b.a->context, "acme/infra:deploy");
    const struct al_auth *p = &b.a->auths[1];
    assert_string_equal(p->label, "ci_access.projects[0]");
    assert_int_equal(p->access_as, AL_AS_CI_JOB);
    assert_true(p->restricts_env);
    assert_string_equal(p->default_namespace, "web");
    assert_int_equal(p->line, 3);
    assert_true(b.a->auths[2].protected_branches_only);
    assert_int_equal(b.a->auths[3].section, AL_USER_ACCESS);
    assert_int_equal(b.a->auths[3].access_as, AL_AS_USER);
    /* The group acme gives way to the project entry and to the implicit one. */
    const struct al_auth *g = &b.a->auths[2];
    assert_int_equal(g->n_overridden_by, 2);
    unbuild(&b);
}

static void limits_and_duplicates(void **state)
{
    (void)state;
    struct al_buf y = AL_BUF_INIT;
    al_buf_puts(&y, "ci_access:\n  projects:\n");
    for (int i = 0; i < 502; i++)
        al_buf_printf(&y, "    - id: acme/p%d\n", i % 501); /* the 502nd repeats p0 */
    struct al_access_opts o = {.config_project = "acme/infra"};
    struct built b;
    build(&b, al_buf_cstr(&y), &o);
    /* p0 is not shadowed by entry 502: entries past 500 do not exist for GitLab. */
    assert_true(by_label(b.a, "ci_access.projects[0]")->effective);
    const struct al_auth *late = by_label(b.a, "ci_access.projects[500]");
    assert_false(late->effective);
    assert_int_equal(late->drop, AL_DROP_LIMIT);
    unbuild(&b);
    /* Before 17.0: 100 entries. */
    o.gitlab_version = 1611;
    build(&b, al_buf_cstr(&y), &o);
    assert_int_equal(by_label(b.a, "ci_access.projects[100]")->drop, AL_DROP_LIMIT);
    assert_true(by_label(b.a, "ci_access.projects[99]")->effective);
    unbuild(&b);
    al_buf_free(&y);
}

static void case_insensitive_duplicates_from_17(void **state)
{
    (void)state;
    const char *yaml = "ci_access:\n  groups:\n    - id: Acme/Team\n    - id: acme/team\n"
                       "      default_namespace: b\n";
    struct al_access_opts o = {.config_project = "acme/infra"};
    struct built b;
    build(&b, yaml, &o);
    const struct al_auth *first = by_label(b.a, "ci_access.groups[0]");
    assert_int_equal(first->drop, AL_DROP_DUPLICATE);
    assert_ptr_equal(first->shadowed_by, by_label(b.a, "ci_access.groups[1]"));
    assert_non_null(al_access_auth_find(b.a, AL_CI_ACCESS, AL_SCOPE_GROUP, "ACME/TEAM"));
    unbuild(&b);
    o.gitlab_version = 1610; /* keys were case-sensitive then */
    build(&b, yaml, &o);
    assert_true(by_label(b.a, "ci_access.groups[0]")->effective);
    unbuild(&b);
}

static void ids_that_cannot_match(void **state)
{
    (void)state;
    struct al_ids *ids = al_ids_new();
    const char *j = "{projects: {acme/api: 3}, groups: {acme/team: 4}}";
    assert_int_equal(al_ids_load(ids, j, strlen(j), "ids"), 0);
    struct al_access_opts o = {.config_project = "acme/infra", .ids = ids};
    struct built b;
    build(&b,
          "ci_access:\n  projects:\n    - id: https://gitlab.com/acme/web\n"
          "    - id: other/web\n    - id: acme/team\n  groups:\n    - id: acme/api\n"
          "  instance: {}\n",
          &o);
    assert_int_equal(by_label(b.a, "ci_access.projects[0]")->drop, AL_DROP_ID);
    assert_int_equal(by_label(b.a, "ci_access.projects[1]")->drop, AL_DROP_NAMESPACE);
    assert_int_equal(by_label(b.a, "ci_access.projects[2]")->drop, AL_DROP_WRONG_KIND);
    assert_int_equal(by_label(b.a, "ci_access.groups[0]")->drop, AL_DROP_WRONG_KIND);
    assert_int_equal(by_label(b.a, "ci_access.instance")->drop, AL_DROP_SETTING);
    assert_non_null(by_label(b.a, "ci_access.projects[1]")->why);
    unbuild(&b);
    /* With the admin setting: other namespaces and the instance entry count. */
    o.instance_authorization = true;
    build(&b, "ci_access:\n  projects:\n    - id: other/web\n  instance: {}\n", &o);
    assert_true(by_label(b.a, "ci_access.projects[0]")->effective);
    assert_true(by_label(b.a, "ci_access.instance")->effective);
    assert_int_equal(by_label(b.a, "ci_access.instance")->n_overridden_by, 2);
    unbuild(&b);
    build(&b, "ci_access:\n  instance:\n", &o); /* null: unset */
    assert_int_equal(by_label(b.a, "ci_access.instance")->drop, AL_DROP_UNSET);
    unbuild(&b);
    build(&b, "ci_access:\n  projects:\n    - id: acme/web\n      default_namespace: ''\n", &o);
    assert_null(by_label(b.a, "ci_access.projects[0]")->default_namespace);
    unbuild(&b);
    o.gitlab_version = 1710;
    build(&b, "ci_access:\n  instance: {}\n", &o);
    assert_int_equal(by_label(b.a, "ci_access.instance")->drop, AL_DROP_SETTING);
    unbuild(&b);
    al_ids_free(ids);
}

static void personal_namespaces_authorize_no_groups(void **state)
{
    (void)state;
    struct al_ids *ids = al_ids_new();
    const char *j = "{\"id\": 1, \"path_with_namespace\": \"alice/infra\", \"namespace\": "
                    "{\"id\": 2, \"kind\": \"user\", \"full_path\": \"alice\"}}";
    assert_int_equal(al_ids_load(ids, j, strlen(j), "ids"), 0);
    struct al_access_opts o = {.config_project = "alice/infra", .ids = ids};
    struct built b;
    build(&b, "ci_access:\n  projects:\n    - id: alice/web\n  groups:\n    - id: alice\n", &o);
    assert_true(by_label(b.a, "ci_access.projects[0]")->effective);
    assert_int_equal(by_label(b.a, "ci_access.groups[0]")->drop, AL_DROP_PERSONAL);
    unbuild(&b);
    al_ids_free(ids);
}

static void unknown_config_project(void **state)
{
    (void)state;
    struct al_access_opts o = {0};
    struct built b;
    build(&b, "ci_access:\n  projects:\n    - id: anywhere/web\n", &o);
    assert_int_equal(b.a->n_auths, 1);    /* no implicit */
    assert_true(b.a->auths[0].effective); /* no namespace rule without a root */
    assert_null(b.a->context);
    unbuild(&b);
}

static void a_rejected_file_is_shown_as_written(void **state)
{
    (void)state;
    struct al_access_opts o = {.config_project = "acme/infra"};
    struct built b;
    b.agent = fx_agent("deploy", "ci_access:\n  groups:\n    - id: acme\n"
                                 "      protected_branches_only: 'true'\n");
    b.agent->rejected = true;
    al_access_init(&b.m, &o);
    b.a = al_access_add(&b.m, b.agent, o.config_project);
    assert_true(b.a->rejected);
    /* Rails' truthiness: the string "true" restricts, as GitLab's refresh spec stores it. */
    assert_true(by_label(b.a, "ci_access.groups[0]")->protected_branches_only);
    unbuild(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(implicit_first_then_file_order),
        cmocka_unit_test(limits_and_duplicates),
        cmocka_unit_test(case_insensitive_duplicates_from_17),
        cmocka_unit_test(ids_that_cannot_match),
        cmocka_unit_test(personal_namespaces_authorize_no_groups),
        cmocka_unit_test(unknown_config_project),
        cmocka_unit_test(a_rejected_file_is_shown_as_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
