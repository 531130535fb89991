/* The rules the schema walker reports (deprecated, version, access-as,
 * unknown-key for confirmed removals), checked through the whole pipeline at
 * several target versions. */
#include "checkutil.h"

static const char GITOPS[] = "gitops:\n  manifest_projects:\n    - id: grp/manifests\n";

static void run_at(struct run *r, const char *yaml, int version)
{
    run_yaml(r, yaml);
    r->ctx.gitlab_version = version;
    run_check(r);
}

static void gitops_deprecation_by_version(void **state)
{
    (void)state;
    struct run r;
    run_at(&r, GITOPS, 1510);
    assert_int_equal(count_rule(&r, "deprecated"), 0);
    assert_int_equal(count_rule(&r, "unknown-key"), 0);
    run_free(&r);

    run_at(&r, GITOPS, 1602);
    const struct al_finding *f = find_rule(&r, "deprecated", 1);
    assert_int_equal(f->severity, AL_SEV_WARNING);
    assert_true(contains(f->message, "16.2"));
    assert_true(contains(f->message, "announced for GitLab 18.0"));
    run_free(&r);

    run_at(&r, GITOPS, 1806);
    f = find_rule(&r, "deprecated", 1);
    assert_true(contains(f->message, "no effect"));
    assert_int_equal(count_rule(&r, "unknown-key"), 0); /* removal unconfirmed */
    run_free(&r);
}

struct version_case {
    const char *yaml;
    int version;
    bool error;
};

static const struct version_case VERSION_CASES[] = {
    {"ci_access:\n  projects:\n    - id: grp/app\n      protected_branches_only: true\n", 1702,
     true},
    {"ci_access:\n  projects:\n    - id: grp/app\n      protected_branches_only: true\n", 1703,
     false},
    {"ci_access:\n  groups:\n    - id: grp\n      resource_management:\n        enabled: true\n",
     1708, true},
    {"ci_access:\n  groups:\n    - id: grp\n      resource_management:\n        enabled: true\n",
     1709, false},
    {"ci_access:\n  instance:\n    environments: [production]\n", 1710, true},
    {"ci_access:\n  instance:\n    environments: [production]\n", 1711, false},
};

static void keys_newer_than_the_target_version(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof VERSION_CASES / sizeof VERSION_CASES[0]; i++) {
        const struct version_case *c = &VERSION_CASES[i];
        struct run r;
        run_at(&r, c->yaml, c->version);
        size_t n = count_rule_sev(&r, "version", AL_SEV_ERROR);
        if (n != (c->error ? 1u : 0u))
            fail_msg("case %zu at %d: %zu version errors", i, c->version, n);
        if (c->error) {
            /* That version's agent server rejects the whole file. */
            assert_true(r.report.agents[0].rejected);
        }
        run_free(&r);
    }
}

static void confirmed_removals_are_unknown_keys(void **state)
{
    (void)state;
    struct run r;
    run_at(&r, "starboard:\n  cis: {}\n", 1806);
    find_rule(&r, "unknown-key", 1);
    run_free(&r);
    run_at(&r, "gitops:\n  charts:\n    - release_name: x\n", 1806);
    find_rule(&r, "unknown-key", 2);
    run_free(&r);
}

/* GitLab's "connect to agent" dialog, copied as is (ANALYSIS.md §4). */
static const char CONNECT_DIALOG[] = "user_access:\n"
                                     "  access_as:\n"
                                     "      agent: {} # for free\n"
                                     "      user: {} # for premium+\n"
                                     "  projects:\n"
                                     "      - id: grp/app\n";

static void user_access_access_as(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, CONNECT_DIALOG);
    run_check(&r);
    assert_int_equal(count_rule_sev(&r, "access-as", AL_SEV_ERROR), 1);
    find_rule(&r, "access-as", 4);
    assert_true(r.report.agents[0].rejected);
    run_free(&r);

    /* No access_as: the agent server accepts the file at every version; GitLab
     * before 18.3 refuses users' connections (a warning), 18.3 defaults it. */
    run_yaml(&r, "user_access:\n  projects:\n    - id: grp/app\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "access-as"), 0);
    assert_false(r.report.agents[0].rejected);
    run_free(&r);
    run_yaml(&r, "user_access:\n  access_as:\n  projects:\n    - id: grp/app\n");
    r.ctx.gitlab_version = 1802;
    run_check(&r);
    assert_int_equal(count_rule_sev(&r, "access-as", AL_SEV_WARNING), 1);
    assert_false(r.report.agents[0].rejected);
    run_free(&r);

    run_yaml(&r, "user_access:\n  access_as:\n    user: {}\n  projects:\n    - id: grp/app\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "access-as"), 0);
    run_free(&r);

    run_yaml(&r, "user_access:\n  access_as:\n    agent: {}\n  groups:\n    - id: grp\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "access-as"), 0);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gitops_deprecation_by_version),
        cmocka_unit_test(keys_newer_than_the_target_version),
        cmocka_unit_test(confirmed_removals_are_unknown_keys),
        cmocka_unit_test(user_access_access_as),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
