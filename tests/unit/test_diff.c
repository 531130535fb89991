/* diff: each classification rule on one pair of entries (al_diff_compare),
 * then whole models (al_diff_build): entries added and removed against the
 * entry that governs the same jobs on the other side, the entry limit and
 * duplicates, rejected files at HEAD and BASE, agents added and removed,
 * an emptied config.yaml. */
#include "testutil.h"

#include "views/diff.h"
#include "access/model.h"
#include "fixture.h"

#include <string.h>

#define PROJECT "acme/infra"

/* ---- one pair ---- */

struct pair {
    struct al_agent *ab, *aa;
    struct al_access mb, ma;
    struct al_arena arena;
    struct al_diff_item item;
};

/* The first ci_access entry (after the implicit one) of each YAML text,
 * compared with `m` matching. */
static enum al_diff_effect compare_m(struct pair *p, const char *before, const char *after,
                                     enum al_env_matching m, bool flag_era)
{
    struct al_access_opts o = {.config_project = PROJECT};
    memset(p, 0, sizeof(*p));
    p->ab = fx_agent("deploy", before);
    p->aa = fx_agent("deploy", after);
    al_access_init(&p->mb, &o);
    al_access_init(&p->ma, &o);
    const struct al_access_agent *b = al_access_add(&p->mb, p->ab, PROJECT);
    const struct al_access_agent *a = al_access_add(&p->ma, p->aa, PROJECT);
    assert_true(b->n_auths >= 2 && a->n_auths >= 2);
    al_diff_compare(&b->auths[1], &a->auths[1], m, flag_era, &p->arena, &p->item);
    return p->item.effect;
}

static enum al_diff_effect compare(struct pair *p, const char *before, const char *after)
{
    return compare_m(p, before, after, AL_ENV_ANCHORED, false);
}

static void unpair(struct pair *p)
{
    al_access_free(&p->mb);
    al_access_free(&p->ma);
    fx_agent_free(p->ab);
    fx_agent_free(p->aa);
    al_arena_free(&p->arena);
}

static const struct al_diff_reason *reason_for(const struct al_diff_item *it, const char *field)
{
    for (size_t i = 0; i < it->n_reasons; i++)
        if (strcmp(it->reasons[i].field, field) == 0)
            return &it->reasons[i];
    fail_msg("no reason for %s", field);
    return NULL;
}

#define GROUP(extra) "ci_access:\n  groups:\n    - id: acme/platform\n" extra

/* Expect `effect` for before -> after, with a reason on `field`. */
static void expect(const char *before, const char *after, enum al_diff_effect effect,
                   const char *field)
{
    struct pair p;
    assert_int_equal(compare(&p, before, after), effect);
    if (field)
        assert_int_equal(reason_for(&p.item, field)->effect, effect);
    else
        assert_int_equal(p.item.n_reasons, 0);
    unpair(&p);
}

static void environments_absent_or_empty_is_unrestricted(void **state)
{
    (void)state;
    /* The first environment narrows, from an absent list or an empty one. */
    expect(GROUP(""), GROUP("      environments: [production]\n"), AL_EFFECT_NARROWED,
           "environments");
    expect(GROUP("      environments: []\n"), GROUP("      environments: [production]\n"),
           AL_EFFECT_NARROWED, "environments");
    /* Absent and empty are the same: no change. */
    expect(GROUP(""), GROUP("      environments: []\n"), AL_EFFECT_NEUTRAL, NULL);
    /* Removing the last one widens to every environment, either way. */
    expect(GROUP("      environments: [production]\n"), GROUP(""), AL_EFFECT_WIDENED,
           "environments");
    expect(GROUP("      environments: [production]\n"), GROUP("      environments: []\n"),
           AL_EFFECT_WIDENED, "environments");
}

static void environments_added_widen_removed_narrow(void **state)
{
    (void)state;
    expect(GROUP("      environments: [production]\n"),
           GROUP("      environments: [production, staging]\n"), AL_EFFECT_WIDENED, "environments");
    expect(GROUP("      environments: [production, staging]\n"),
           GROUP("      environments: [production]\n"), AL_EFFECT_NARROWED, "environments");
    expect(GROUP("      environments: [production]\n"), GROUP("      environments: [staging]\n"),
           AL_EFFECT_MIXED, "environments");
    /* Order does not matter. */
    expect(GROUP("      environments: [a, b]\n"), GROUP("      environments: [b, a]\n"),
           AL_EFFECT_NEUTRAL, "environments");
}

static void environments_covered_by_a_wildcard(void **state)
{
    (void)state;
    /* review/42 added under the wildcard review/...: nothing new gets in. */
    expect(GROUP("      environments: [\"review/*\"]\n"),
           GROUP("      environments: [\"review/*\", review/42]\n"), AL_EFFECT_NEUTRAL,
           "environments");
    /* review/42 replaced by the wildcard: wider, and nothing is lost. */
    expect(GROUP("      environments: [review/42]\n"),
           GROUP("      environments: [\"review/*\"]\n"), AL_EFFECT_WIDENED, "environments");
    /* Under the legacy reading (a regular expression) only equal patterns
     * are taken as covered. */
    struct pair p;
    assert_int_equal(compare_m(&p, GROUP("      environments: [review/42]\n"),
                               GROUP("      environments: [\"review/*\"]\n"), AL_ENV_LEGACY, false),
                     AL_EFFECT_MIXED);
    unpair(&p);
    assert_true(al_diff_env_covers("review/*", "review/*/x"));
    assert_true(al_diff_env_covers("*", "anything*"));
    assert_false(al_diff_env_covers("review/*", "*"));
    assert_false(al_diff_env_covers("prod", "prod*"));
}

static void protected_branches_only(void **state)
{
    (void)state;
    expect(GROUP("      protected_branches_only: true\n"), GROUP(""), AL_EFFECT_WIDENED,
           "protected_branches_only");
    expect(GROUP("      protected_branches_only: true\n"),
           GROUP("      protected_branches_only: false\n"), AL_EFFECT_WIDENED,
           "protected_branches_only");
    expect(GROUP(""), GROUP("      protected_branches_only: true\n"), AL_EFFECT_NARROWED,
           "protected_branches_only");
    /* 17.3-17.9: behind a feature flag that is off by default. */
    struct pair p;
    assert_int_equal(compare_m(&p, GROUP("      protected_branches_only: true\n"), GROUP(""),
                               AL_ENV_ANCHORED, true),
                     AL_EFFECT_NEUTRAL);
    assert_int_equal(p.item.n_reasons, 1);
    unpair(&p);
}

static void access_as(void **state)
{
    (void)state;
    expect(GROUP("      access_as: {ci_job: {}}\n"), GROUP(""), AL_EFFECT_WIDENED, "access_as");
    expect(GROUP("      access_as: {ci_job: {}}\n"), GROUP("      access_as: {agent: {}}\n"),
           AL_EFFECT_WIDENED, "access_as");
    expect(GROUP("      access_as: {impersonate: {username: deployer}}\n"), GROUP(""),
           AL_EFFECT_WIDENED, "access_as");
    expect(GROUP(""), GROUP("      access_as: {ci_job: {}}\n"), AL_EFFECT_NARROWED, "access_as");
    expect(GROUP(""), GROUP("      access_as: {impersonate: {username: deployer}}\n"),
           AL_EFFECT_NARROWED, "access_as");
    expect(GROUP("      access_as: {ci_job: {}}\n"),
           GROUP("      access_as: {impersonate: {username: deployer}}\n"), AL_EFFECT_MIXED,
           "access_as");
    /* access_as: with no value is the agent, as absent. */
    expect(GROUP(""), GROUP("      access_as:\n"), AL_EFFECT_NEUTRAL, NULL);
}

#define IMP(body) GROUP("      access_as:\n        impersonate: " body "\n")

static void impersonated_identity(void **state)
{
    (void)state;
    expect(IMP("{username: a}"), IMP("{username: b}"), AL_EFFECT_MIXED, "impersonate.username");
    expect(IMP("{username: a, groups: [ops]}"), IMP("{username: a, groups: [ops, dev]}"),
           AL_EFFECT_WIDENED, "impersonate.groups");
    expect(IMP("{username: a, groups: [ops, dev]}"), IMP("{username: a, groups: [dev]}"),
           AL_EFFECT_NARROWED, "impersonate.groups");
    expect(IMP("{username: a, groups: [ops]}"), IMP("{username: a, groups: [dev]}"),
           AL_EFFECT_MIXED, "impersonate.groups");
    expect(IMP("{username: a, uid: '1'}"), IMP("{username: a, uid: '2'}"), AL_EFFECT_MIXED,
           "impersonate.uid");
    expect(IMP("{username: a, extra: [{key: k, val: [v]}]}"),
           IMP("{username: a, extra: [{key: k, val: [v, w]}]}"), AL_EFFECT_WIDENED,
           "impersonate.extra");
    expect(IMP("{username: a, groups: [ops, dev]}"), IMP("{username: a, groups: [dev, ops]}"),
           AL_EFFECT_NEUTRAL, NULL);
}

static void neutral_fields(void **state)
{
    (void)state;
    expect(GROUP("      default_namespace: a\n"), GROUP("      default_namespace: b\n"),
           AL_EFFECT_NEUTRAL, "default_namespace");
    expect(GROUP(""), GROUP("      default_namespace: b\n"), AL_EFFECT_NEUTRAL,
           "default_namespace");
    expect(GROUP(""), "ci_access:\n  groups:\n    - id: ACME/Platform\n", AL_EFFECT_NEUTRAL, "id");
    /* Unchanged: nothing to say. */
    expect(GROUP("      environments: [a]\n"), GROUP("      environments: [a]\n"),
           AL_EFFECT_NEUTRAL, NULL);
}

static void resource_management(void **state)
{
    (void)state;
    expect(GROUP(""), GROUP("      resource_management: {enabled: true}\n"), AL_EFFECT_WIDENED,
           "resource_management");
    expect(GROUP("      resource_management: {enabled: true}\n"), GROUP(""), AL_EFFECT_NARROWED,
           "resource_management");
}

static void several_fields_combine(void **state)
{
    (void)state;
    struct pair p;
    /* One narrows, one widens: mixed, with a reason for each. */
    assert_int_equal(compare(&p, GROUP("      protected_branches_only: true\n"),
                             GROUP("      environments: [production]\n")),
                     AL_EFFECT_MIXED);
    assert_int_equal(reason_for(&p.item, "environments")->effect, AL_EFFECT_NARROWED);
    assert_int_equal(reason_for(&p.item, "protected_branches_only")->effect, AL_EFFECT_WIDENED);
    unpair(&p);
    /* Neutral fields do not dilute a widening. */
    assert_int_equal(compare(&p, GROUP("      protected_branches_only: true\n"),
                             GROUP("      default_namespace: x\n")),
                     AL_EFFECT_WIDENED);
    unpair(&p);
}

/* ---- whole models ---- */

struct models {
    struct al_agent *agents[8];
    size_t n;
    struct al_access base, head;
    struct al_report rb, rh;
    struct al_diff d;
};

static void models_init(struct models *m, const struct al_access_opts *o)
{
    memset(m, 0, sizeof(*m));
    al_access_init(&m->base, o);
    al_access_init(&m->head, o);
}

/* Add agent `name` with `yaml` to one side (NULL: no config.yaml). */
static struct al_agent *side(struct models *m, struct al_access *side, const char *name,
                             const char *yaml, bool rejected)
{
    struct al_agent *a = fx_agent(name, yaml ? yaml : "");
    static const struct al_file file = {.path = "config.yaml", .kind = AL_FILE_REGULAR};
    a->file = yaml ? &file : NULL;
    a->rejected = rejected;
    m->agents[m->n++] = a;
    al_access_add(side, a, side->opts.config_project);
    return a;
}

static void diff(struct models *m)
{
    struct al_diff_side b = {&m->rb, &m->base}, h = {&m->rh, &m->head};
    assert_int_equal(al_diff_build(&b, &h, AL_ENV_ANCHORED, &m->d), 0);
}

static void models_free(struct models *m)
{
    al_diff_free(&m->d);
    al_access_free(&m->base);
    al_access_free(&m->head);
    al_findings_free(&m->rh.findings);
    for (size_t i = 0; i < m->n; i++)
        fx_agent_free(m->agents[i]);
}

static const struct al_diff_item *item(const struct al_diff *d, const char *agent,
                                       enum al_scope scope, const char *id)
{
    for (size_t i = 0; i < d->n_items; i++) {
        const struct al_diff_item *it = &d->items[i];
        if (strcmp(it->agent, agent) == 0 && it->scope == scope &&
            (id ? it->id && strcmp(it->id, id) == 0 : !it->id))
            return it;
    }
    fail_msg("no change for %s %s", agent, id ? id : "(instance)");
    return NULL;
}

static const struct al_access_opts OPTS = {.config_project = PROJECT};

static void new_and_removed_entries(void **state)
{
    (void)state;
    struct models m;
    models_init(&m, &OPTS);
    side(&m, &m.base, "deploy",
         "ci_access:\n  projects:\n    - id: acme/old\n  groups:\n    - id: acme/gone\n", false);
    side(&m, &m.head, "deploy",
         "ci_access:\n  projects:\n    - id: acme/web\n  groups:\n    - id: acme/new\n"
         "user_access:\n  access_as: {agent: {}}\n  projects:\n    - id: acme/ops\n",
         false);
    diff(&m);
    assert_int_equal(m.d.n_items, 5);
    const struct al_diff_item *web = item(&m.d, "deploy", AL_SCOPE_PROJECT, "acme/web");
    assert_int_equal(web->change, AL_DIFF_ADDED);
    assert_int_equal(web->effect, AL_EFFECT_WIDENED);
    assert_null(web->before);
    assert_null(web->replaces);
    assert_int_equal(item(&m.d, "deploy", AL_SCOPE_GROUP, "acme/new")->effect, AL_EFFECT_WIDENED);
    const struct al_diff_item *old = item(&m.d, "deploy", AL_SCOPE_PROJECT, "acme/old");
    assert_int_equal(old->change, AL_DIFF_REMOVED);
    assert_int_equal(old->effect, AL_EFFECT_NARROWED);
    assert_int_equal(item(&m.d, "deploy", AL_SCOPE_GROUP, "acme/gone")->effect, AL_EFFECT_NARROWED);
    const struct al_diff_item *ops = item(&m.d, "deploy", AL_SCOPE_PROJECT, "acme/ops");
    assert_int_equal(ops->section, AL_USER_ACCESS);
    assert_int_equal(ops->effect, AL_EFFECT_WIDENED);
    assert_int_equal(m.d.effect, AL_EFFECT_MIXED);
    /* Sorted: ci_access before user_access, projects before groups. */
    assert_int_equal(m.d.items[0].scope, AL_SCOPE_PROJECT);
    assert_int_equal(m.d.items[4].section, AL_USER_ACCESS);
    models_free(&m);
}

/* A project entry added under a broader group entry takes its jobs over
 * whole: judged against the group entry, not as new access. */
static void entries_replace_the_broader_one(void **state)
{
    (void)state;
    struct models m;
    models_init(&m, &OPTS);
    side(&m, &m.base, "deploy", "ci_access:\n  groups:\n    - id: acme\n", false);
    side(&m, &m.head, "deploy",
         "ci_access:\n  projects:\n    - id: acme/web\n      environments: [production]\n"
         "  groups:\n    - id: acme\n",
         false);
    diff(&m);
    assert_int_equal(m.d.n_items, 1);
    const struct al_diff_item *web = item(&m.d, "deploy", AL_SCOPE_PROJECT, "acme/web");
    assert_int_equal(web->effect, AL_EFFECT_NARROWED);
    assert_non_null(web->replaces);
    assert_string_equal(web->replaces->id, "acme");
    models_free(&m);

    /* The reverse: removing a restrictive project entry under an open group
     * widens its jobs' access. */
    models_init(&m, &OPTS);
    side(&m, &m.base, "deploy",
         "ci_access:\n  projects:\n    - id: acme/web\n      protected_branches_only: true\n"
         "  groups:\n    - id: acme/apps\n    - id: acme\n",
         false);
    side(&m, &m.head, "deploy", "ci_access:\n  groups:\n    - id: acme/apps\n    - id: acme\n",
         false);
    diff(&m);
    web = item(&m.d, "deploy", AL_SCOPE_PROJECT, "acme/web");
    assert_int_equal(web->change, AL_DIFF_REMOVED);
    assert_int_equal(web->effect, AL_EFFECT_WIDENED);
    assert_string_equal(web->replaces->id, "acme");
    models_free(&m);

    /* A project entry for the configuration project replaces its implicit
     * authorization; a nested group replaces the nearest enclosing one. */
    models_init(&m, &OPTS);
    side(&m, &m.base, "deploy",
         "ci_access:\n  groups:\n    - id: acme\n      environments: [prod]\n", false);
    side(&m, &m.head, "deploy",
         "ci_access:\n  projects:\n    - id: acme/infra\n      environments: [prod]\n"
         "  groups:\n    - id: acme\n      environments: [prod]\n    - id: acme/apps\n"
         "      environments: [prod]\n",
         false);
    diff(&m);
    const struct al_diff_item *self = item(&m.d, "deploy", AL_SCOPE_PROJECT, "acme/infra");
    assert_int_equal(self->replaces->scope, AL_SCOPE_IMPLICIT);
    assert_int_equal(self->effect, AL_EFFECT_NARROWED);
    const struct al_diff_item *apps = item(&m.d, "deploy", AL_SCOPE_GROUP, "acme/apps");
    assert_string_equal(apps->replaces->id, "acme");
    assert_int_equal(apps->effect, AL_EFFECT_NEUTRAL);
    models_free(&m);
}

/* Only what GitLab keeps counts: past the limit, or shadowed by a later
 * duplicate, an entry is gone even though it is still written. */
static void limit_and_duplicates(void **state)
{
    (void)state;
    struct al_access_opts o = OPTS;
    o.entry_limit = 2;
    struct models m;
    models_init(&m, &o);
    side(&m, &m.base, "deploy",
         "ci_access:\n  projects:\n    - id: acme/a\n    - id: acme/b\n    - id: acme/c\n", false);
    side(&m, &m.head, "deploy",
         "ci_access:\n  projects:\n    - id: acme/new\n    - id: acme/a\n    - id: acme/b\n"
         "    - id: acme/c\n      environments: [x]\n",
         false);
    diff(&m);
    const struct al_diff_item *b = item(&m.d, "deploy", AL_SCOPE_PROJECT, "acme/b");
    assert_int_equal(b->change, AL_DIFF_REMOVED);
    assert_non_null(strstr(b->reasons[0].text, "not in force"));
    assert_int_equal(item(&m.d, "deploy", AL_SCOPE_PROJECT, "acme/new")->change, AL_DIFF_ADDED);
    assert_int_equal(m.d.n_items, 2); /* acme/c was past the limit before and after */
    models_free(&m);

    models_init(&m, &OPTS);
    side(&m, &m.base, "deploy", "ci_access:\n  groups:\n    - id: acme/a\n", false);
    side(&m, &m.head, "deploy",
         "ci_access:\n  groups:\n    - id: acme/a\n    - id: ACME/A\n      environments: [x]\n",
         false);
    diff(&m);
    /* The later duplicate wins: the entry for acme/a now restricts. */
    const struct al_diff_item *a = item(&m.d, "deploy", AL_SCOPE_GROUP, "ACME/A");
    assert_int_equal(a->change, AL_DIFF_CHANGED);
    assert_int_equal(a->effect, AL_EFFECT_NARROWED);
    models_free(&m);
}

static void rejected_head_changes_nothing(void **state)
{
    (void)state;
    struct models m;
    models_init(&m, &OPTS);
    side(&m, &m.base, "deploy", "ci_access:\n  groups:\n    - id: acme\n", false);
    side(&m, &m.head, "deploy", "ci_access:\n  group:\n    - id: acme\n    - id: other\n", true);
    struct al_finding *f =
        al_findings_add(&m.rh.findings, "unknown-key", ".gitlab/agents/deploy/config.yaml",
                        (struct al_ypos){2, 3}, "unknown key");
    (void)f;
    al_findings_add(&m.rh.findings, "namespace", ".gitlab/agents/deploy/config.yaml",
                    (struct al_ypos){4, 3}, "a warning, not a reason to reject");
    diff(&m);
    assert_int_equal(m.d.n_items, 0);
    assert_true(m.d.agents[0].head_rejected);
    assert_int_equal(m.d.agents[0].n_errors, 1);
    assert_string_equal(m.d.agents[0].errors[0]->rule, "unknown-key");
    models_free(&m);

    /* A new agent whose file is rejected: only its implicit authorization. */
    models_init(&m, &OPTS);
    side(&m, &m.head, "fresh", "ci_access:\n  group:\n    - id: acme\n", true);
    diff(&m);
    assert_int_equal(m.d.n_items, 1);
    assert_int_equal(m.d.items[0].scope, AL_SCOPE_IMPLICIT);
    assert_int_equal(m.d.items[0].effect, AL_EFFECT_WIDENED);
    models_free(&m);
}

static void rejected_base_is_flagged(void **state)
{
    (void)state;
    struct models m;
    models_init(&m, &OPTS);
    side(&m, &m.base, "deploy", "ci_access:\n  groups:\n    - id: acme\n  bogus: 1\n", true);
    side(&m, &m.head, "deploy", "ci_access:\n  groups:\n    - id: acme/apps\n", false);
    diff(&m);
    assert_true(m.d.agents[0].base_rejected);
    assert_int_equal(m.d.n_items, 2);
    assert_true(m.d.items[0].base_rejected);
    assert_true(m.d.items[1].base_rejected);
    models_free(&m);
}

static void agents_added_removed_and_emptied(void **state)
{
    (void)state;
    struct models m;
    models_init(&m, &OPTS);
    side(&m, &m.base, "gone",
         "ci_access:\n  projects:\n    - id: acme/infra\n"
         "      environments: [prod]\n    - id: acme/web\n",
         false);
    side(&m, &m.base, "empty", "ci_access:\n  groups:\n    - id: acme\n", false);
    side(&m, &m.head, "empty", "# nothing left\n", false);
    side(&m, &m.base, "nofile", "ci_access:\n  groups:\n    - id: acme\n", false);
    side(&m, &m.head, "nofile", NULL, false);
    side(&m, &m.head, "new", "ci_access:\n  groups:\n    - id: acme\n", false);
    diff(&m);
    assert_int_equal(m.d.n_agents, 4);
    /* By name: empty, gone, new, nofile. */
    assert_true(m.d.agents[0].head_empty);
    assert_int_equal(m.d.agents[1].state, AL_DIFF_AGENT_REMOVED);
    assert_int_equal(m.d.agents[2].state, AL_DIFF_AGENT_ADDED);
    assert_true(m.d.agents[3].head_missing);
    assert_int_equal(item(&m.d, "empty", AL_SCOPE_GROUP, "acme")->effect, AL_EFFECT_NARROWED);
    assert_int_equal(item(&m.d, "nofile", AL_SCOPE_GROUP, "acme")->effect, AL_EFFECT_NARROWED);
    /* The removed agent stays registered: its implicit authorization is
     * kept, and the configuration project's restrictive self-entry gives
     * way to it (wider); acme/web loses access. */
    const struct al_diff_item *self = item(&m.d, "gone", AL_SCOPE_PROJECT, "acme/infra");
    assert_int_equal(self->effect, AL_EFFECT_WIDENED);
    assert_int_equal(self->replaces->scope, AL_SCOPE_IMPLICIT);
    assert_int_equal(item(&m.d, "gone", AL_SCOPE_PROJECT, "acme/web")->effect, AL_EFFECT_NARROWED);
    /* The new agent brings its implicit authorization and its group. */
    assert_int_equal(item(&m.d, "new", AL_SCOPE_IMPLICIT, PROJECT)->effect, AL_EFFECT_WIDENED);
    assert_int_equal(item(&m.d, "new", AL_SCOPE_GROUP, "acme")->effect, AL_EFFECT_WIDENED);
    assert_int_equal(m.d.agents[2].n_changes, 2);
    models_free(&m);
}

static void instance_entries(void **state)
{
    (void)state;
    struct al_access_opts o = OPTS;
    o.instance_authorization = true;
    struct models m;
    models_init(&m, &o);
    side(&m, &m.base, "deploy", "ci_access:\n  instance: {}\n", false);
    side(&m, &m.head, "deploy",
         "ci_access:\n  instance:\n    protected_branches_only: true\n"
         "  groups:\n    - id: other/team\n",
         false);
    diff(&m);
    assert_int_equal(item(&m.d, "deploy", AL_SCOPE_INSTANCE, NULL)->effect, AL_EFFECT_NARROWED);
    /* other/team governed by the instance entry before: judged against it. */
    const struct al_diff_item *g = item(&m.d, "deploy", AL_SCOPE_GROUP, "other/team");
    assert_int_equal(g->replaces->scope, AL_SCOPE_INSTANCE);
    models_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(environments_absent_or_empty_is_unrestricted),
        cmocka_unit_test(environments_added_widen_removed_narrow),
        cmocka_unit_test(environments_covered_by_a_wildcard),
        cmocka_unit_test(protected_branches_only),
        cmocka_unit_test(access_as),
        cmocka_unit_test(impersonated_identity),
        cmocka_unit_test(neutral_fields),
        cmocka_unit_test(resource_management),
        cmocka_unit_test(several_fields_combine),
        cmocka_unit_test(new_and_removed_entries),
        cmocka_unit_test(entries_replace_the_broader_one),
        cmocka_unit_test(limit_and_duplicates),
        cmocka_unit_test(rejected_head_changes_nothing),
        cmocka_unit_test(rejected_base_is_flagged),
        cmocka_unit_test(agents_added_removed_and_emptied),
        cmocka_unit_test(instance_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
