/* The semantic rules, each through the real pipeline (al_check_run on a
 * source built in memory): fixtures that fire it and near-misses that must
 * not. The secret rule has its own file (test_secret.c). */
#include "checkutil.h"

#include "common/buf.h"

/* ---- entry-limit ---- */

static char *entries(const char *section, const char *list, size_t n, const char *prefix)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "%s:\n  %s:\n", section, list);
    if (strcmp(section, "user_access") == 0)
        b.len = 0, al_buf_printf(&b, "user_access:\n  access_as:\n    agent: {}\n  %s:\n", list);
    for (size_t i = 0; i < n; i++)
        al_buf_printf(&b, "    - id: %s/p%zu\n", prefix, i);
    return al_buf_detach(&b);
}

static void entry_limit_points_at_first_dropped(void **state)
{
    (void)state;
    char *y = entries("ci_access", "projects", 503, "grp");
    struct run r;
    run_yaml(&r, y);
    run_check(&r);
    assert_int_equal(count_rule(&r, "entry-limit"), 1);
    const struct al_finding *f = find_rule(&r, "entry-limit", 3 + 500);
    assert_string_equal(f->key_path, "ci_access.projects[500]");
    assert_string_equal(f->value, "grp/p500");
    assert_string_equal(f->agent, "prod");
    assert_true(contains(f->message, "503 entries"));
    assert_true(contains(f->message, "remaining 3"));
    run_free(&r);
    free(y);
}

static void entry_limit_500_is_fine(void **state)
{
    (void)state;
    char *y = entries("ci_access", "groups", 500, "grp");
    struct run r;
    run_yaml(&r, y);
    run_check(&r);
    assert_int_equal(count_rule(&r, "entry-limit"), 0);
    run_free(&r);
    free(y);
}

static void entry_limit_was_100_before_17_0(void **state)
{
    (void)state;
    char *y = entries("ci_access", "projects", 101, "grp");
    struct run r;
    run_yaml(&r, y);
    r.ctx.gitlab_version = 1611;
    run_check(&r);
    const struct al_finding *f = find_rule(&r, "entry-limit", 3 + 100);
    assert_true(contains(f->message, "first 100"));
    run_free(&r);
    run_yaml(&r, y);
    r.ctx.gitlab_version = 1700;
    run_check(&r);
    assert_int_equal(count_rule(&r, "entry-limit"), 0);
    run_free(&r);
    free(y);
}

/* Version 0 means none given: the newest GitLab, as the access model reads
 * it (500 entries, ids compared case-insensitively), never "before 17.0". */
static void version_0_reads_as_newest(void **state)
{
    (void)state;
    char *y = entries("ci_access", "projects", 101, "grp");
    struct run r;
    run_yaml(&r, y);
    r.ctx.gitlab_version = 0;
    run_check(&r);
    assert_int_equal(count_rule(&r, "entry-limit"), 0);
    run_free(&r);
    run_yaml(&r, "ci_access:\n  projects:\n    - id: grp/App\n    - id: grp/app\n");
    r.ctx.gitlab_version = 0;
    run_check(&r);
    assert_int_equal(count_rule(&r, "duplicate-id"), 1);
    run_free(&r);
    free(y);
}

static void entry_limit_applies_to_user_access(void **state)
{
    (void)state;
    char *y = entries("user_access", "groups", 501, "grp");
    struct run r;
    run_yaml(&r, y);
    run_check(&r);
    const struct al_finding *f = find_rule(&r, "entry-limit", 0);
    assert_string_equal(f->key_path, "user_access.groups[500]");
    run_free(&r);
    free(y);
}

/* ---- namespace ---- */

static const char NS_YAML[] = "ci_access:\n"
                              "  projects:\n"
                              "    - id: grp/app\n"       /* 3 */
                              "    - id: other/app\n"     /* 4 */
                              "    - id: GRP/Sub/App\n"   /* 5 */
                              "    - id: grpx/app\n"      /* 6 */
                              "    - id: https://x/y/z\n" /* 7: id-format's */
                              "  groups:\n"
                              "    - id: grp\n"   /* 9 */
                              "    - id: other\n" /* 10 */
                              "user_access:\n"
                              "  access_as:\n"
                              "    agent: {}\n"
                              "  groups:\n"
                              "    - id: elsewhere/team\n"; /* 15 */

static void namespace_flags_ids_outside_the_top_level_group(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, NS_YAML);
    r.ctx.project_path = "grp/agents";
    r.ctx.project_path_origin = "--project-path";
    run_check(&r);
    assert_int_equal(count_rule(&r, "namespace"), 4);
    const struct al_finding *f = find_rule(&r, "namespace", 4);
    assert_string_equal(f->key_path, "ci_access.projects[1].id");
    assert_string_equal(f->value, "other/app");
    assert_true(contains(f->message, "--project-path"));
    assert_true(contains(f->message, "top-level namespace"));
    find_rule(&r, "namespace", 6);  /* grpx is not grp */
    find_rule(&r, "namespace", 10); /* a group */
    f = find_rule(&r, "namespace", 15);
    assert_string_equal(f->key_path, "user_access.groups[0].id");
    run_free(&r);
}

static void namespace_is_off_with_instance_authorization(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, NS_YAML);
    r.ctx.project_path = "grp/agents";
    r.ctx.instance_authorization = true;
    run_check(&r);
    assert_int_equal(count_rule(&r, "namespace"), 0);
    run_free(&r);
}

static void namespace_personal_project_authorizes_no_group(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "ci_access:\n  projects:\n    - id: root/app\n  groups:\n    - id: team\n");
    r.ctx.project_path = "root/agents";
    run_check(&r);
    assert_int_equal(count_rule(&r, "namespace"), 1);
    assert_true(contains(find_rule(&r, "namespace", 5)->message, "personal namespace"));
    run_free(&r);
}

static void namespace_without_project_path_notes_once_per_run(void **state)
{
    (void)state;
    struct run r;
    run_init(&r, AL_SRC_WORKTREE);
    run_file(&r, ".gitlab/agents/a/config.yaml", "ci_access:\n  projects:\n    - id: x/y\n");
    run_file(&r, ".gitlab/agents/b/config.yaml", "ci_access:\n  groups:\n    - id: z\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "namespace"), 1);
    const struct al_finding *f = find_rule(&r, "namespace", 0);
    assert_int_equal(f->severity, AL_SEV_NOTE);
    assert_true(contains(f->message, "--project-path"));
    assert_true(contains(f->message, "CI_PROJECT_PATH"));
    assert_true(contains(f->message, ".agentlint.yaml"));
    assert_true(contains(f->message, "origin"));
    run_free(&r);
}

static void namespace_note_needs_entries(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "observability:\n  logging:\n    level: info\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "namespace"), 0);
    run_free(&r);
}

/* ---- duplicate-id ---- */

static void duplicate_id_reports_the_earlier_entry(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "ci_access:\n"
                 "  projects:\n"
                 "    - id: grp/app\n" /* 3 */
                 "      environments: [production]\n"
                 "    - id: grp/other\n"
                 "    - id: Grp/App\n" /* 6 */
                 "    - id: grp/app\n" /* 7: wins */
                 "  groups:\n"
                 "    - id: grp/app\n"); /* another list */
    run_check(&r);
    assert_int_equal(count_rule(&r, "duplicate-id"), 2);
    const struct al_finding *f = find_rule(&r, "duplicate-id", 3);
    assert_true(contains(f->message, "line 7"));
    assert_true(contains(f->message, "500 places"));
    assert_string_equal(f->key_path, "ci_access.projects[0].id");
    f = find_rule(&r, "duplicate-id", 6);
    assert_true(contains(f->message, "case-insensitively"));
    run_free(&r);
}

static void duplicate_id_was_case_sensitive_before_17_0(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "ci_access:\n  projects:\n    - id: grp/app\n    - id: GRP/app\n");
    r.ctx.gitlab_version = 1610;
    run_check(&r);
    assert_int_equal(count_rule(&r, "duplicate-id"), 0);
    run_free(&r);
}

static void duplicate_id_ignores_other_sections_and_the_tail(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "ci_access:\n  projects:\n    - id: grp/app\n"
                 "user_access:\n  access_as:\n    agent: {}\n  projects:\n    - id: grp/app\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "duplicate-id"), 0);
    run_free(&r);
    /* The 101st entry is dropped before de-duplication (GitLab 16): no
     * duplicate, entry-limit says it. */
    struct al_buf b = AL_BUF_INIT;
    al_buf_puts(&b, "ci_access:\n  projects:\n");
    for (int i = 0; i < 100; i++)
        al_buf_printf(&b, "    - id: grp/p%d\n", i);
    al_buf_puts(&b, "    - id: grp/p0\n");
    run_yaml(&r, al_buf_cstr(&b));
    r.ctx.gitlab_version = 1610;
    run_check(&r);
    assert_int_equal(count_rule(&r, "duplicate-id"), 0);
    assert_int_equal(count_rule(&r, "entry-limit"), 1);
    run_free(&r);
    al_buf_free(&b);
}

static void duplicate_glob_is_a_note(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "gitops:\n  manifest_projects:\n    - id: grp/manifests\n      paths:\n"
                 "        - glob: 'a/*.yaml'\n        - glob: 'b/*.yaml'\n"
                 "        - glob: 'a/*.yaml'\n");
    run_check(&r);
    assert_int_equal(count_rule_sev(&r, "duplicate-id", AL_SEV_NOTE), 1);
    find_rule(&r, "duplicate-id", 7);
    run_free(&r);
}

/* ---- id-format ---- */

struct id_case {
    const char *list; /* projects | groups */
    const char *id;
    const char *fix; /* expected suggestion, or NULL */
    bool fires;
};

static const struct id_case ID_CASES[] = {
    {"projects", "https://gitlab.com/grp/app.git", "grp/app", true},
    {"projects", "https://gitlab.lnu.se/-/ide/project/a/b/project/edit", "a/b/project", true},
    {"projects", "git@gitlab.com:grp/app.git", "grp/app", true},
    {"projects", "/grp/app/", "grp/app", true},
    {"projects", "grp/app.git", "grp/app", true},
    {"projects", "12345", NULL, true},
    {"projects", "app", NULL, true},
    {"groups", "app", NULL, false}, /* a top-level group */
    {"projects", "grp/app:prod-agent", "grp/app", true},
    {"groups", "grp/*", NULL, true},
    {"projects", " grp/app", "grp/app", true},
    {"projects", "<your-project>", NULL, true},
    {"projects", "$CI_PROJECT_PATH", NULL, true},
    {"projects", "your-group/app", NULL, true},
    {"projects", "YOUR_NAMESPACE/YOUR_PROJECT", NULL, true},
    {"projects", "yourname/platform", NULL, true},
    {"projects", "path/to/project", NULL, true},
    {"groups", "path/to/group/subgroup", NULL, true},
    {"projects", "group1/project1", NULL, true},
    {"projects", ".gitlab/agents/k8s/config.yaml", NULL, true},
    {"groups", "root", NULL, true},
    /* near-misses */
    {"projects", "grp/app", NULL, false},
    {"projects", "yourls/yourls", NULL, false},
    {"projects", "group-a/project-b", NULL, false},
    {"projects", "my.group/app.v2", NULL, false},
    {"groups", "grp/sub-group_1", NULL, false},
};

static void id_format_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ID_CASES / sizeof ID_CASES[0]; i++) {
        const struct id_case *c = &ID_CASES[i];
        char y[512];
        snprintf(y, sizeof y, "ci_access:\n  %s:\n    - id: \"%s\"\n", c->list, c->id);
        struct run r;
        run_yaml(&r, y);
        run_check(&r);
        size_t n = count_rule(&r, "id-format");
        if (n != (c->fires ? 1u : 0u))
            fail_msg("id %s under %s: %zu id-format findings", c->id, c->list, n);
        if (c->fires) {
            const struct al_finding *f = find_rule(&r, "id-format", 3);
            assert_int_equal(f->col, 11);
            assert_string_equal(f->value, c->id);
            if (c->fix)
                assert_string_equal(f->suggestion, c->fix);
            else
                assert_null(f->suggestion);
        }
        run_free(&r);
    }
}

static void id_format_project_paths_under_groups(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "ci_access:\n"
                 "  projects:\n"
                 "    - id: grp/app\n"      /* 3 */
                 "    - id: grp/sub\n"      /* 4: contains grp/sub/deep */
                 "    - id: grp/sub/deep\n" /* 5 */
                 "    - id: grp/team\n"     /* 6: contains the config project */
                 "  groups:\n"
                 "    - id: grp/app\n"         /* 8: also a project */
                 "    - id: grp/team/agents\n" /* 9: the config project */
                 "    - id: grp\n");           /* 10: fine */
    r.ctx.project_path = "grp/team/agents";
    run_check(&r);
    assert_int_equal(count_rule(&r, "id-format"), 4);
    assert_true(contains(find_rule(&r, "id-format", 4)->message, "grp/sub/deep"));
    assert_true(contains(find_rule(&r, "id-format", 6)->message, "configuration project"));
    assert_true(contains(find_rule(&r, "id-format", 8)->message, "also listed under projects"));
    assert_true(contains(find_rule(&r, "id-format", 9)->message, "configuration project itself"));
    run_free(&r);
}

static void id_format_gitops_manifest_projects(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "gitops:\n"
                 "  manifest_projects:\n"
                 "    - id: \"12345\"\n"                                   /* 3: note */
                 "    - id: gitlab-org/cluster-integration/gitlab-agent\n" /* 4 */
                 "    - id: grp/manifests/\n"                              /* 5 */
                 "    - paths:\n"                                          /* 6: note */
                 "        - glob: '*.yaml'\n"
                 "    - id: grp/manifests\n"); /* fine */
    r.ctx.gitlab_version = 1611;
    run_check(&r);
    assert_int_equal(count_rule(&r, "id-format"), 4);
    assert_int_equal(find_rule(&r, "id-format", 3)->severity, AL_SEV_NOTE);
    assert_int_equal(find_rule(&r, "id-format", 4)->severity, AL_SEV_WARNING);
    const struct al_finding *f = find_rule(&r, "id-format", 5);
    assert_string_equal(f->suggestion, "grp/manifests");
    assert_string_equal(f->key_path, "gitops.manifest_projects[2].id");
    assert_int_equal(find_rule(&r, "id-format", 6)->severity, AL_SEV_NOTE);
    run_free(&r);
}

/* ---- env-pattern ---- */

static const char ENV_YAML[] = "ci_access:\n"
                               "  groups:\n"
                               "    - id: grp\n"
                               "      environments:\n" /* 4 */
                               "        - production\n"
                               "        - review/*\n"     /* 6 */
                               "        - prod.*\n"       /* 7 */
                               "        - prod.eu\n"      /* 8 */
                               "        - prod|staging\n" /* 9 */
                               "        - '*-canary-*'\n" /* 10 */
                               "  projects:\n"
                               "    - id: grp/app\n"
                               "      environments: []\n"
                               "    - id: grp/other\n";

static void env_pattern_anchored(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, ENV_YAML);
    run_check(&r);
    assert_int_equal(count_rule_sev(&r, "env-pattern", AL_SEV_WARNING), 2);
    const struct al_finding *f = find_rule(&r, "env-pattern", 7);
    assert_string_equal(f->value, "prod.*");
    assert_string_equal(f->key_path, "ci_access.groups[0].environments[2]");
    assert_true(contains(find_rule(&r, "env-pattern", 9)->message, "equality"));
    /* One note, for the one entry with environments. */
    assert_int_equal(count_rule_sev(&r, "env-pattern", AL_SEV_NOTE), 1);
    f = find_rule(&r, "env-pattern", 4);
    assert_int_equal(f->severity, AL_SEV_NOTE);
    assert_true(contains(f->message, "no environment"));
    run_free(&r);
}

static void env_pattern_legacy(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, ENV_YAML);
    r.ctx.env_matching = AL_ENV_LEGACY;
    run_check(&r);
    /* The review and prod.* patterns now also for being unanchored; *-canary-* is not. */
    assert_int_equal(count_rule_sev(&r, "env-pattern", AL_SEV_WARNING), 3);
    assert_true(contains(find_rule(&r, "env-pattern", 6)->message, "not-review/x"));
    const struct al_finding *f = find_rule(&r, "env-pattern", 7);
    assert_true(contains(f->message, "metacharacter"));
    assert_true(contains(f->message, "unanchored"));
    run_free(&r);
}

static void env_pattern_empty_key_is_no_restriction(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "ci_access:\n  groups:\n    - id: grp\n      environments:\n"
                 "    - id: grp2\n      environments: []\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "env-pattern"), 1);
    const struct al_finding *f = find_rule(&r, "env-pattern", 4);
    assert_int_equal(f->severity, AL_SEV_WARNING);
    assert_true(contains(f->message, "no restriction"));
    run_free(&r);
}

/* One note per list, however many of its entries list environments; the
 * entries without environments, or whose id can never match, are not
 * counted, and a list with one such entry names it. */
static void env_pattern_note_once_per_list(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "ci_access:\n"
                 "  projects:\n"
                 "    - id: grp/a\n"
                 "      environments: [production]\n" /* 4 */
                 "    - id: grp/b\n"
                 "    - id: grp/c\n"
                 "      environments: [staging]\n"
                 "    - id: https://gitlab.com/grp/d\n"
                 "      environments: [qa]\n"
                 "    - id: grp/e\n"
                 "      environments: [dev, qa]\n"
                 "  groups:\n"
                 "    - id: grp\n"
                 "      environments: [production]\n" /* 14 */
                 "    - id: other\n");
    run_check(&r);
    assert_int_equal(count_rule_sev(&r, "env-pattern", AL_SEV_NOTE), 2);
    const struct al_finding *f = find_rule(&r, "env-pattern", 4);
    assert_int_equal(f->severity, AL_SEV_NOTE);
    assert_true(contains(f->message, "the 3 entries of ci_access.projects"));
    assert_string_equal(f->key_path, "ci_access.projects[0].environments");
    f = find_rule(&r, "env-pattern", 14);
    assert_true(contains(f->message, "CI/CD jobs of grp that have no environment"));
    run_free(&r);
}

/* ---- override ---- */

static void override_names_what_the_project_loses(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "ci_access:\n"
                 "  projects:\n"
                 "    - id: grp/sub/app\n" /* 3 */
                 "      access_as:\n"
                 "        ci_job: {}\n"
                 "    - id: grp/lib\n" /* 6: same as grp */
                 "      environments: [production]\n"
                 "      protected_branches_only: true\n"
                 "    - id: other/app\n" /* no group listed */
                 "  groups:\n"
                 "    - id: grp\n" /* 11 */
                 "      environments: [production]\n"
                 "      protected_branches_only: true\n"
                 "    - id: grp/sub\n" /* 14: nearest for grp/sub/app */
                 "      environments: [staging]\n"
                 "      default_namespace: sub\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "override"), 2);
    const struct al_finding *f = find_rule(&r, "override", 3);
    assert_int_equal(f->severity, AL_SEV_WARNING);
    assert_true(contains(f->message, "\"grp/sub\" (line 14)"));
    assert_true(contains(f->message, "lose the group's environments restriction [staging]"));
    assert_true(contains(f->message, "act as the CI job (ci_job)"));
    assert_true(contains(f->message, "no default namespace"));
    assert_string_equal(f->key_path, "ci_access.projects[0].id");
    f = find_rule(&r, "override", 6);
    assert_int_equal(f->severity, AL_SEV_NOTE);
    assert_true(contains(f->message, "same settings"));
    run_free(&r);
}

static void override_compares_impersonation_and_gains(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "ci_access:\n"
                 "  projects:\n"
                 "    - id: grp/app\n"
                 "      protected_branches_only: true\n"
                 "      environments: [prod, staging]\n"
                 "      access_as:\n"
                 "        impersonate:\n"
                 "          username: deployer\n"
                 "          groups: [a, b]\n"
                 "  groups:\n"
                 "    - id: grp\n"
                 "      environments: [staging, prod, prod]\n"
                 "      access_as:\n"
                 "        impersonate:\n"
                 "          username: deployer\n"
                 "          groups: [a]\n");
    run_check(&r);
    const struct al_finding *f = find_rule(&r, "override", 3);
    assert_true(contains(f->message, "gain protected_branches_only"));
    assert_true(contains(f->message, "groups, uid or extra differ"));
    /* Environments are a set: order and repeats do not matter. */
    assert_false(contains(f->message, "environments"));
    run_free(&r);
}

static void override_group_covering_the_config_project(void **state)
{
    (void)state;
    const char *y = "ci_access:\n"
                    "  groups:\n"
                    "    - id: grp\n"
                    "      environments: [production]\n"
                    "    - id: other\n";
    struct run r;
    run_yaml(&r, y);
    r.ctx.project_path = "grp/infra/agents";
    run_check(&r);
    const struct al_finding *f = find_rule(&r, "override", 3);
    assert_true(contains(f->message, "implicit"));
    assert_true(contains(f->message, "grp/infra/agents"));
    assert_true(contains(f->message, "[production]"));
    run_free(&r);

    /* An explicit entry for the configuration project comes first. */
    run_yaml(&r, "ci_access:\n  projects:\n    - id: grp/infra/agents\n"
                 "      environments: [production]\n"
                 "  groups:\n    - id: grp\n      environments: [production]\n");
    r.ctx.project_path = "grp/infra/agents";
    run_check(&r);
    assert_int_equal(count_rule_sev(&r, "override", AL_SEV_WARNING), 0);
    run_free(&r);

    /* A group entry without restrictions grants what the implicit one does. */
    run_yaml(&r, "ci_access:\n  groups:\n    - id: grp\n");
    r.ctx.project_path = "grp/agents";
    run_check(&r);
    assert_int_equal(count_rule(&r, "override"), 0);
    run_free(&r);

    /* Without the project path that part is skipped. */
    run_yaml(&r, y);
    run_check(&r);
    assert_int_equal(count_rule(&r, "override"), 0);
    run_free(&r);
}

static void override_skips_user_access_and_losers(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "ci_access:\n"
                 "  projects:\n"
                 "    - id: grp/app\n" /* loses to line 4: not compared */
                 "    - id: grp/app\n"
                 "      environments: [production]\n"
                 "  groups:\n"
                 "    - id: grp\n"
                 "      environments: [production]\n"
                 "user_access:\n"
                 "  access_as:\n    agent: {}\n"
                 "  projects:\n    - id: grp/app\n"
                 "  groups:\n    - id: grp\n");
    run_check(&r);
    find_rule(&r, "override", 4);
    assert_int_equal(count_rule(&r, "override"), 1);
    run_free(&r);
}

/* ---- privileged-identity ---- */

static void privileged_identity(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "ci_access:\n"
                 "  projects:\n"
                 "    - id: grp/app\n"
                 "      access_as:\n"
                 "        impersonate:\n"
                 "          username: system:node:worker-1\n" /* 6 */
                 "          groups:\n"
                 "            - devs\n"
                 "            - system:masters\n" /* 9 */
                 "            - system:nodes-readers\n"
                 "    - id: grp/b\n"
                 "      access_as:\n"
                 "        impersonate:\n"
                 "          username: system:serviceaccount:kube-system:default\n" /* 14 */
                 "    - id: grp/c\n"
                 "      access_as:\n"
                 "        impersonate:\n"
                 "          username: system:serviceaccount:apps:deployer\n"
                 "          groups: [system:authenticated, cluster-admins-team]\n"
                 "    - id: grp/d\n"
                 "      access_as:\n"
                 "        impersonate:\n"
                 "          username: system:kube-proxy\n" /* 23 */
                 "          groups:\n"
                 "            - system:serviceaccounts\n"      /* 25 */
                 "            - system:serviceaccounts:apps\n" /* other namespaces: not */
                 "            - system:anything-else\n"        /* 27: reserved prefix */
                 "            - system:anonymous\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "privileged-identity"), 7);
    /* Not system:nodes (no prefix match), but a reserved system: name. */
    const struct al_finding *nr = find_rule(&r, "privileged-identity", 10);
    assert_true(contains(nr->message, "reserved") && !contains(nr->message, "kubelets"));
    find_rule(&r, "privileged-identity", 23);
    find_rule(&r, "privileged-identity", 25);
    assert_true(contains(find_rule(&r, "privileged-identity", 27)->message, "reserved"));
    const struct al_finding *f = find_rule(&r, "privileged-identity", 9);
    assert_string_equal(f->value, "system:masters");
    assert_string_equal(f->key_path, "ci_access.projects[0].access_as.impersonate.groups[1]");
    assert_true(contains(f->message, "bypassing RBAC"));
    assert_int_equal(f->severity, AL_SEV_ERROR);
    find_rule(&r, "privileged-identity", 6);
    find_rule(&r, "privileged-identity", 14);
    run_free(&r);
}

/* ---- broad-agent-access ---- */

static void broad_agent_access_fires(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "ci_access:\n"
                 "  groups:\n"
                 "    - id: acme\n" /* 3: no access_as means the agent */
                 "    - id: acme-ops\n"
                 "      access_as:\n"
                 "        agent: {}\n" /* 6 */
                 "  instance:\n"
                 "    access_as:\n"
                 "      agent: {}\n" /* 9 */
                 "user_access:\n"
                 "  access_as:\n"
                 "    agent: {}\n"
                 "  groups:\n"
                 "    - id: acme\n"); /* 14 */
    r.ctx.instance_authorization = true;
    run_check(&r);
    assert_int_equal(count_rule(&r, "broad-agent-access"), 4);
    const struct al_finding *f = find_rule(&r, "broad-agent-access", 3);
    assert_string_equal(f->key_path, "ci_access.groups[0]");
    assert_true(contains(f->message, "top-level group \"acme\""));
    assert_true(contains(f->message, "no access_as"));
    assert_string_equal(find_rule(&r, "broad-agent-access", 6)->key_path,
                        "ci_access.groups[1].access_as");
    assert_int_equal(f->severity, AL_SEV_NOTE);
    const struct al_finding *inst = find_rule(&r, "broad-agent-access", 9);
    assert_true(contains(inst->message, "instance"));
    assert_int_equal(inst->severity, AL_SEV_WARNING);
    assert_true(contains(find_rule(&r, "broad-agent-access", 14)->message, "every member"));
    run_free(&r);
}

static void broad_agent_access_near_misses(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "ci_access:\n"
                 "  projects:\n"
                 "    - id: acme/app\n" /* a project */
                 "  groups:\n"
                 "    - id: acme/team\n" /* a subgroup */
                 "    - id: acme\n"      /* a top-level group, as ci_job */
                 "      access_as:\n"
                 "        ci_job: {}\n"
                 "    - id: https://gitlab.com/acme\n" /* never matches: id-format's */
                 "  instance:\n"                       /* ignored without the admin setting */
                 "    access_as:\n"
                 "      agent: {}\n"
                 "user_access:\n"
                 "  access_as:\n"
                 "    user: {}\n"
                 "  groups:\n"
                 "    - id: acme\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "broad-agent-access"), 0);
    run_free(&r);
}

/* ---- placeholder ---- */

static void placeholder_values(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "remote_development:\n"
                 "  enabled: true\n"
                 "  dns_zone: \"<workspaces.example.dev>\"\n" /* 3 */
                 "ci_access:\n"
                 "  projects:\n"
                 "    - id: grp/app\n"
                 "      default_namespace: $KUBE_NAMESPACE\n" /* 7 */
                 "    - id: grp/b\n"
                 "      default_namespace: team-b\n"
                 "gitops:\n"
                 "  manifest_projects:\n"
                 "    - id: grp/manifests\n"
                 "      paths:\n"
                 "        - glob: '/team1/app1/*.yaml'\n" /* 14 */
                 "        - glob: '/deploy/**/*.yaml'\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "placeholder"), 3);
    assert_string_equal(find_rule(&r, "placeholder", 3)->key_path, "remote_development.dns_zone");
    assert_true(contains(find_rule(&r, "placeholder", 7)->message, "expands no variables"));
    find_rule(&r, "placeholder", 14);
    run_free(&r);

    run_yaml(&r, "remote_development:\n  dns_zone: workspaces.example.dev\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "placeholder"), 1);
    run_free(&r);
    run_yaml(&r, "gitops:\n  manifest_projects:\n    - id: grp/m\n      paths:\n"
                 "      prune: true\n    - id: grp/n\n      paths: []\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "placeholder"), 1);
    find_rule(&r, "placeholder", 4);
    run_free(&r);
    run_yaml(&r, "remote_development:\n  dns_zone: workspaces.mycorp.dev\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "placeholder"), 0);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entry_limit_points_at_first_dropped),
        cmocka_unit_test(entry_limit_500_is_fine),
        cmocka_unit_test(entry_limit_was_100_before_17_0),
        cmocka_unit_test(entry_limit_applies_to_user_access),
        cmocka_unit_test(version_0_reads_as_newest),
        cmocka_unit_test(namespace_flags_ids_outside_the_top_level_group),
        cmocka_unit_test(namespace_is_off_with_instance_authorization),
        cmocka_unit_test(namespace_personal_project_authorizes_no_group),
        cmocka_unit_test(namespace_without_project_path_notes_once_per_run),
        cmocka_unit_test(namespace_note_needs_entries),
        cmocka_unit_test(duplicate_id_reports_the_earlier_entry),
        cmocka_unit_test(duplicate_id_was_case_sensitive_before_17_0),
        cmocka_unit_test(duplicate_id_ignores_other_sections_and_the_tail),
        cmocka_unit_test(duplicate_glob_is_a_note),
        cmocka_unit_test(id_format_table),
        cmocka_unit_test(id_format_project_paths_under_groups),
        cmocka_unit_test(id_format_gitops_manifest_projects),
        cmocka_unit_test(env_pattern_anchored),
        cmocka_unit_test(env_pattern_legacy),
        cmocka_unit_test(env_pattern_empty_key_is_no_restriction),
        cmocka_unit_test(env_pattern_note_once_per_list),
        cmocka_unit_test(override_names_what_the_project_loses),
        cmocka_unit_test(override_compares_impersonation_and_gains),
        cmocka_unit_test(override_group_covering_the_config_project),
        cmocka_unit_test(override_skips_user_access_and_losers),
        cmocka_unit_test(privileged_identity),
        cmocka_unit_test(broad_agent_access_fires),
        cmocka_unit_test(broad_agent_access_near_misses),
        cmocka_unit_test(placeholder_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
