/* One job's decisions: Finder precedence with the licence gate first, the
 * filters with no fallback, the other environment matching, the protected
 * filter's feature-flag era, and the identity the cluster sees. */
#include "testutil.h"

#include "access/decide.h"
#include "fixture.h"

/* Agent "deploy" registered in acme/infra. */
static const char CONFIG[] = "ci_access:\n"
                             "  projects:\n"
                             "    - id: acme/platform/web\n"
                             "      access_as: {ci_job: {}}\n"
                             "      environments: [production, 'review/*']\n"
                             "      default_namespace: web\n"
                             "    - id: acme/infra\n"
                             "      access_as:\n"
                             "        impersonate:\n"
                             "          username: deployer\n"
                             "          groups: [ops, deploy]\n"
                             "          extra:\n"
                             "            - {key: team, val: [a]}\n"
                             "            - {key: team, val: [b]}\n"
                             "  groups:\n"
                             "    - id: acme/platform\n"
                             "      protected_branches_only: true\n"
                             "    - id: acme\n";

struct world {
    struct al_agent *agent;
    struct al_ids *ids;
    struct al_access m;
    struct al_decisions d;
};

static void setup(struct world *w, const char *ids_json, int version)
{
    memset(w, 0, sizeof(*w));
    w->agent = fx_agent("deploy", CONFIG);
    if (ids_json) {
        w->ids = al_ids_new();
        assert_int_equal(al_ids_load(w->ids, ids_json, strlen(ids_json), "ids"), 0);
    }
    struct al_access_opts o = {.config_project = "acme/infra", .ids = w->ids};
    o.gitlab_version = version;
    al_access_init(&w->m, &o);
    al_access_add(&w->m, w->agent, "acme/infra");
}

static const struct al_decision *ask(struct world *w, const char *project, const char *env,
                                     bool protected_ref, enum al_license lic,
                                     enum al_env_matching mode)
{
    struct al_job job = {project, env, protected_ref, NULL, NULL, lic, mode};
    al_decisions_free(&w->d);
    al_access_decide(&w->m, &job, &w->d);
    assert_int_equal(w->d.n, 1);
    return &w->d.items[0];
}

static void teardown(struct world *w)
{
    al_decisions_free(&w->d);
    al_access_free(&w->m);
    al_ids_free(w->ids);
    fx_agent_free(w->agent);
}

static void precedence_and_no_fallback(void **state)
{
    (void)state;
    struct world w;
    setup(&w, NULL, 0);
    const enum al_license P = AL_LICENSE_PREMIUM;
    const enum al_env_matching A = AL_ENV_ANCHORED;
    /* The project entry wins; its environments deny, and acme/platform is not tried. */
    const struct al_decision *x = ask(&w, "acme/platform/web", "staging", true, P, A);
    assert_false(x->allowed);
    assert_int_equal(x->reason, AL_REASON_ENVIRONMENT);
    assert_string_equal(x->auth->label, "ci_access.projects[0]");
    assert_non_null(strstr(x->why, "does not fall back"));
    x = ask(&w, "acme/platform/web", NULL, true, P, A);
    assert_int_equal(x->reason, AL_REASON_NO_ENVIRONMENT);
    /* The nearest group decides: acme/platform, protected only. */
    x = ask(&w, "acme/platform/api", NULL, false, P, A);
    assert_int_equal(x->reason, AL_REASON_PROTECTED);
    assert_string_equal(x->auth->id, "acme/platform");
    x = ask(&w, "acme/platform/api", NULL, true, P, A);
    assert_true(x->allowed);
    assert_null(x->namespace);
    assert_string_equal(x->context, "acme/infra:deploy");
    x = ask(&w, "acme/apps/api", NULL, false, P, A);
    assert_string_equal(x->auth->id, "acme");
    x = ask(&w, "other/x", NULL, true, P, A);
    assert_int_equal(x->reason, AL_REASON_NO_ENTRY);
    assert_null(x->auth);
    teardown(&w);
}

static void implicit_comes_before_groups_and_after_projects(void **state)
{
    (void)state;
    const char *cfg = "ci_access:\n  groups:\n    - id: acme\n      environments: [prod]\n";
    struct al_agent *agent = fx_agent("deploy", cfg);
    struct al_access_opts o = {.config_project = "acme/infra"};
    struct al_access m;
    al_access_init(&m, &o);
    al_access_add(&m, agent, "acme/infra");
    struct al_job job = {"ACME/Infra",       NULL,           false, NULL, NULL,
                         AL_LICENSE_PREMIUM, AL_ENV_ANCHORED};
    struct al_decisions d;
    al_access_decide(&m, &job, &d);
    assert_true(d.items[0].allowed);
    assert_int_equal(d.items[0].auth->scope, AL_SCOPE_IMPLICIT);
    assert_int_equal(d.items[0].identity.as, AL_AS_AGENT);
    al_decisions_free(&d);
    al_access_free(&m);
    fx_agent_free(agent);
    /* An explicit project entry for the config project overrides the implicit one. */
    struct world w;
    setup(&w, NULL, 0);
    const struct al_decision *x =
        ask(&w, "acme/infra", NULL, false, AL_LICENSE_PREMIUM, AL_ENV_ANCHORED);
    assert_string_equal(x->auth->label, "ci_access.projects[1]");
    assert_int_equal(x->identity.as, AL_AS_IMPERSONATE);
    teardown(&w);
}

static void free_licence_lets_a_broader_entry_win(void **state)
{
    (void)state;
    struct world w;
    setup(&w, NULL, 0);
    /* On Free the ci_job project entry is dropped: acme/platform decides. */
    const struct al_decision *x =
        ask(&w, "acme/platform/web", "production", true, AL_LICENSE_FREE, AL_ENV_ANCHORED);
    assert_true(x->allowed);
    assert_string_equal(x->auth->id, "acme/platform");
    assert_true(x->license_changed);
    assert_string_equal(x->premium_auth->label, "ci_access.projects[0]");
    assert_non_null(strstr(x->license_note, "on Premium the job would be allowed"));
    /* On Free, impersonate is dropped too: the implicit one wins for acme/infra. */
    x = ask(&w, "acme/infra", NULL, false, AL_LICENSE_FREE, AL_ENV_ANCHORED);
    assert_int_equal(x->auth->scope, AL_SCOPE_IMPLICIT);
    assert_true(x->license_changed);
    /* Premium: nothing to say. */
    x = ask(&w, "acme/platform/web", "production", true, AL_LICENSE_ULTIMATE, AL_ENV_ANCHORED);
    assert_false(x->license_changed);
    assert_null(x->license_note);
    teardown(&w);
}

static void the_other_matching_is_reported(void **state)
{
    (void)state;
    struct world w;
    setup(&w, NULL, 0);
    const struct al_decision *x =
        ask(&w, "acme/platform/web", "old-review/1", true, AL_LICENSE_PREMIUM, AL_ENV_ANCHORED);
    assert_false(x->allowed);
    assert_true(x->other_matching_differs);
    assert_true(x->other_matching_allowed);
    x = ask(&w, "acme/platform/web", "old-review/1", true, AL_LICENSE_PREMIUM, AL_ENV_LEGACY);
    assert_true(x->allowed);
    assert_true(x->other_matching_differs);
    assert_false(x->other_matching_allowed);
    x = ask(&w, "acme/platform/web", "review/1", true, AL_LICENSE_PREMIUM, AL_ENV_ANCHORED);
    assert_false(x->other_matching_differs);
    teardown(&w);
}

static void protected_filter_behind_a_flag_on_17_3_to_17_9(void **state)
{
    (void)state;
    struct world w;
    setup(&w, NULL, 1705);
    const struct al_decision *x =
        ask(&w, "acme/platform/api", NULL, false, AL_LICENSE_PREMIUM, AL_ENV_ANCHORED);
    assert_true(x->allowed);
    assert_non_null(strstr(x->why, "feature flag"));
    teardown(&w);
    setup(&w, NULL, 1710);
    x = ask(&w, "acme/platform/api", NULL, false, AL_LICENSE_PREMIUM, AL_ENV_ANCHORED);
    assert_false(x->allowed);
    teardown(&w);
}

static void ci_job_identity_in_kas_order(void **state)
{
    (void)state;
    struct world w;
    setup(&w,
          "{projects: {acme/platform/web: 101, acme/infra: 100}, "
          "groups: {acme: 1, acme/platform: 2}, agents: {'acme/infra:deploy': 9}}",
          0);
    const struct al_decision *x =
        ask(&w, "acme/platform/web", "review/Feature-1", true, AL_LICENSE_PREMIUM, AL_ENV_ANCHORED);
    assert_true(x->allowed);
    const struct al_identity *id = &x->identity;
    assert_string_equal(id->username, "gitlab:ci_job:<job id>");
    const char *want[] = {"gitlab:ci_job",
                          "gitlab:group:2",
                          "gitlab:group_env_tier:2:development",
                          "gitlab:group:1",
                          "gitlab:group_env_tier:1:development",
                          "gitlab:project:101",
                          "gitlab:project_env:101:review-feature-1-", /* + suffix */
                          "gitlab:project_env_tier:101:development"};
    assert_int_equal(id->n_groups, 8);
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(strncmp(id->groups[i], want[i], strlen(want[i])), 0);
    assert_string_equal(id->extra[0].key, "agent.gitlab.com/id");
    assert_string_equal(id->extra[0].vals[0], "9");
    assert_string_equal(id->extra[1].vals[0], "100");
    assert_int_equal(w.d.n_missing, 0);
    assert_string_equal(x->namespace, "web");
    teardown(&w);
}

static void missing_ids_are_listed_never_guessed(void **state)
{
    (void)state;
    struct world w;
    setup(&w, "{projects: {acme/platform/web: 101}}", 0);
    const struct al_decision *x =
        ask(&w, "acme/platform/web", "production", true, AL_LICENSE_PREMIUM, AL_ENV_ANCHORED);
    assert_string_equal(x->identity.groups[1], "gitlab:group:<acme/platform>");
    assert_string_equal(x->identity.groups[5], "gitlab:project:101");
    /* acme/platform, acme, the agent, the config project: each once. */
    assert_int_equal(w.d.n_missing, 4);
    assert_int_equal(w.d.missing[0].kind, AL_IDS_GROUP);
    assert_string_equal(w.d.missing[0].path, "acme/platform");
    teardown(&w);
}

static void personal_projects_send_no_groups(void **state)
{
    (void)state;
    const char *cfg = "ci_access:\n  projects:\n    - id: alice/web\n"
                      "      access_as: {ci_job: {}}\n";
    struct al_agent *agent = fx_agent("deploy", cfg);
    struct al_ids *ids = al_ids_new();
    const char *j = "[{\"id\": 5, \"path_with_namespace\": \"alice/web\", \"namespace\": "
                    "{\"id\": 6, \"kind\": \"user\", \"full_path\": \"alice\"}}]";
    assert_int_equal(al_ids_load(ids, j, strlen(j), "ids"), 0);
    struct al_access_opts o = {.config_project = "alice/infra", .ids = ids};
    struct al_access m;
    al_access_init(&m, &o);
    al_access_add(&m, agent, "alice/infra");
    struct al_job job = {"alice/web", NULL, false, NULL, NULL, AL_LICENSE_PREMIUM, AL_ENV_ANCHORED};
    struct al_decisions d;
    al_access_decide(&m, &job, &d);
    assert_true(d.personal);
    assert_int_equal(d.n_ancestors, 0);
    assert_int_equal(d.items[0].identity.n_groups, 2); /* gitlab:ci_job, gitlab:project:5 */
    assert_string_equal(d.items[0].identity.groups[1], "gitlab:project:5");
    al_decisions_free(&d);
    al_access_free(&m);
    al_ids_free(ids);
    fx_agent_free(agent);
}

static void impersonate_extra_last_key_wins(void **state)
{
    (void)state;
    struct world w;
    setup(&w, NULL, 0);
    const struct al_decision *x =
        ask(&w, "acme/infra", NULL, false, AL_LICENSE_PREMIUM, AL_ENV_ANCHORED);
    const struct al_identity *id = &x->identity;
    assert_string_equal(id->username, "deployer");
    assert_int_equal(id->n_groups, 2);
    assert_int_equal(id->n_extra, 1);
    assert_string_equal(id->extra[0].vals[0], "b");
    teardown(&w);
}

static void tier_and_slug_from_the_job(void **state)
{
    (void)state;
    struct world w;
    setup(&w, NULL, 0);
    struct al_job job = {"acme/platform/web", "review/x",         true,           "staging",
                         "review-x-abc123",   AL_LICENSE_PREMIUM, AL_ENV_ANCHORED};
    al_access_decide(&w.m, &job, &w.d);
    assert_string_equal(w.d.job.tier, "staging");
    assert_false(w.d.tier_guessed);
    assert_string_equal(w.d.job.slug, "review-x-abc123");
    assert_false(w.d.slug_computed);
    assert_string_equal(w.d.items[0].identity.groups[6],
                        "gitlab:project_env:<acme/platform/web>:review-x-abc123");
    teardown(&w);
}

static void legacy_regex_errors_refuse_the_job(void **state)
{
    (void)state;
    const char *cfg = "ci_access:\n  projects:\n    - id: acme/web\n"
                      "      environments: ['prod[*', 'prod*']\n";
    struct al_agent *agent = fx_agent("deploy", cfg);
    struct al_access_opts o = {.config_project = "acme/infra"};
    struct al_access m;
    al_access_init(&m, &o);
    al_access_add(&m, agent, "acme/infra");
    struct al_job job = {"acme/web", "prod[1", true, NULL, NULL, AL_LICENSE_PREMIUM, AL_ENV_LEGACY};
    struct al_decisions d;
    al_access_decide(&m, &job, &d);
    assert_false(d.items[0].allowed);
    assert_int_equal(d.items[0].reason, AL_REASON_REGEX_ERROR);
    assert_non_null(strstr(d.items[0].why, "/prod[.*/"));
    assert_true(d.items[0].other_matching_differs); /* anchored: "prod[*" matches */
    assert_true(d.items[0].other_matching_allowed);
    al_decisions_free(&d);
    al_access_free(&m);
    fx_agent_free(agent);
}

/* One FilterService for all agents: a raising pattern in one agent's entry
 * fails the job's whole request, so another agent that would allow the job
 * does not either. The other way round, an agent whose entry matches first
 * does not raise. */
static void a_raising_pattern_costs_the_job_every_agent(void **state)
{
    (void)state;
    struct al_agent *bad = fx_agent("bad", "ci_access:\n  projects:\n    - id: acme/web\n"
                                           "      environments: ['prod(*']\n");
    struct al_agent *good = fx_agent("good", "ci_access:\n  projects:\n    - id: acme/web\n");
    struct al_access_opts o = {.config_project = "acme/infra"};
    struct al_access m;
    al_access_init(&m, &o);
    al_access_add(&m, bad, "acme/infra");
    al_access_add(&m, good, "acme/infra");
    struct al_job job = {"acme/web", "production",       true,         NULL,
                         NULL,       AL_LICENSE_PREMIUM, AL_ENV_LEGACY};
    struct al_decisions d;
    al_access_decide(&m, &job, &d);
    assert_int_equal(d.items[0].reason, AL_REASON_REGEX_ERROR);
    assert_false(d.items[1].allowed);
    assert_int_equal(d.items[1].reason, AL_REASON_REQUEST_FAILED);
    assert_non_null(strstr(d.items[1].why, "no agent at all"));
    assert_null(d.items[1].context);
    al_decisions_free(&d);
    /* anchored matching never raises: the good agent allows the job */
    job.matching = AL_ENV_ANCHORED;
    al_access_decide(&m, &job, &d);
    assert_true(d.items[1].allowed);
    al_decisions_free(&d);
    al_access_free(&m);
    fx_agent_free(bad);
    fx_agent_free(good);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_raising_pattern_costs_the_job_every_agent),
        cmocka_unit_test(precedence_and_no_fallback),
        cmocka_unit_test(implicit_comes_before_groups_and_after_projects),
        cmocka_unit_test(free_licence_lets_a_broader_entry_win),
        cmocka_unit_test(the_other_matching_is_reported),
        cmocka_unit_test(protected_filter_behind_a_flag_on_17_3_to_17_9),
        cmocka_unit_test(ci_job_identity_in_kas_order),
        cmocka_unit_test(missing_ids_are_listed_never_guessed),
        cmocka_unit_test(personal_projects_send_no_groups),
        cmocka_unit_test(impersonate_extra_last_key_wins),
        cmocka_unit_test(tier_and_slug_from_the_job),
        cmocka_unit_test(legacy_regex_errors_refuse_the_job),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
