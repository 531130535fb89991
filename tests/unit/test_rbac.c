/* rbacgen: names (DNS-valid, deterministic, collision-free), subjects per
 * scope, environment and tier, wildcards, the policy and its errors,
 * over-grant warnings, missing ids, and the impersonator's roles. */
#include "testutil.h"

#include <stdio.h>

#include "common/error.h"
#include "fixture.h"
#include "views/rbac/rbac.h"

/* acme (1) / platform (2) / web (101), api (102); acme/apps (3) / api (103). */
static const char IDS[] = "{\"projects\": {\"acme/platform/web\": 101, \"acme/platform/api\": 102, "
                          "\"acme/apps/api\": 103, \"acme/infra\": 100},"
                          " \"groups\": {\"acme\": 1, \"acme/platform\": 2, \"acme/apps\": 3}}";

struct world {
    struct al_agent *agents[3];
    size_t n_agents;
    struct al_ids *ids;
    struct al_access m;
    struct al_rbac_policy *policy;
    struct al_rbac r;
};

static void world(struct world *w, const char *ids, const char *names[], const char *configs[],
                  size_t n)
{
    memset(w, 0, sizeof(*w));
    if (ids) {
        w->ids = al_ids_new();
        assert_int_equal(al_ids_load(w->ids, ids, strlen(ids), "ids"), 0);
    }
    struct al_access_opts o = {.config_project = "acme/infra", .ids = w->ids};
    al_access_init(&w->m, &o);
    for (size_t i = 0; i < n; i++) {
        w->agents[i] = fx_agent(names[i], configs[i]);
        al_access_add(&w->m, w->agents[i], "acme/infra");
    }
    w->n_agents = n;
}

static void one(struct world *w, const char *config)
{
    const char *names[] = {"deploy"};
    const char *configs[] = {config};
    world(w, IDS, names, configs, 1);
}

static void build(struct world *w, struct al_rbac_opts *o)
{
    struct al_rbac_opts def = {0};
    if (!o)
        o = &def;
    o->policy = w->policy;
    al_rbac_build(&w->m, o, &w->r);
}

static void policy(struct world *w, const char *text)
{
    assert_int_equal(al_rbac_policy_load(text, strlen(text), "policy.yaml", &w->policy), 0);
}

static void done(struct world *w)
{
    al_rbac_free(&w->r);
    al_rbac_policy_free(w->policy);
    al_access_free(&w->m);
    al_ids_free(w->ids);
    for (size_t i = 0; i < w->n_agents; i++)
        fx_agent_free(w->agents[i]);
}

/* The object whose source line is `line` (bindings of one entry), kind and namespace. */
static const struct al_rbac_object *find(const struct al_rbac *r, unsigned line,
                                         enum al_rbac_kind kind, const char *ns)
{
    for (size_t i = 0; i < r->n_objects; i++) {
        const struct al_rbac_object *o = r->objects[i];
        if (o->auth && o->auth->line == line && o->kind == kind &&
            (ns ? o->namespace && strcmp(o->namespace, ns) == 0 : !o->namespace))
            return o;
    }
    return NULL;
}

static bool has_subject(const struct al_rbac_object *o, const char *name)
{
    return o && al_rbac_object_has(o, AL_RBAC_GROUP, name);
}

static bool warned(const struct al_rbac *r, const char *needle)
{
    for (size_t i = 0; i < r->n_warnings; i++)
        if (strstr(r->warnings[i].text, needle))
            return true;
    return false;
}

/* ---- names ---- */

static void names_are_dns_subdomains(void **state)
{
    (void)state;
    const char *parts[] = {"Deploy_Agent", NULL, "project", "ACME/Platform/Web  x\n\"y\""};
    char *a = al_rbac_name(parts, 4, "identity", 10);
    /* the readable parts, then SHA-256("identity") */
    assert_string_equal(a, "agentlint-deploy-agent-project-acme-platform-web-x-y-689f6a6273");
    assert_true(al_rbac_dns_subdomain(a));
    char *again = al_rbac_name(parts, 4, "identity", 10);
    assert_string_equal(a, again); /* deterministic */
    char *other = al_rbac_name(parts, 4, "identity2", 10);
    assert_string_not_equal(a, other); /* what differs is in the hash */
    char big[2000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const char *huge[] = {big, big, big, big, big};
    char *h = al_rbac_name(huge, 5, "x", 64);
    assert_true(strlen(h) <= 63);
    assert_true(al_rbac_dns_label(h));
    assert_true(al_rbac_dns_subdomain(h));
    const char *odd[] = {"---", "", "\xc3\xa9t\xc3\xa9", "-a-"};
    char *o = al_rbac_name(odd, 4, "x", 10);
    assert_true(al_rbac_dns_subdomain(o));
    assert_null(strstr(o, "--"));
    free(a), free(again), free(other), free(h), free(o);
}

static void kubernetes_name_rules(void **state)
{
    (void)state;
    assert_true(al_rbac_dns_label("web"));
    assert_true(al_rbac_dns_label("a-1"));
    assert_false(al_rbac_dns_label("Web"));
    assert_false(al_rbac_dns_label("-web"));
    assert_false(al_rbac_dns_label("web-"));
    assert_false(al_rbac_dns_label("a.b"));
    assert_false(al_rbac_dns_label(""));
    assert_false(al_rbac_dns_label("ns|<i>"));
    char long_label[65];
    memset(long_label, 'a', 64);
    long_label[64] = '\0';
    assert_false(al_rbac_dns_label(long_label));
    assert_true(al_rbac_dns_subdomain("a.b-c.d"));
    assert_false(al_rbac_dns_subdomain("a..b"));
    assert_true(al_rbac_role_name_ok("view"));
    assert_true(al_rbac_role_name_ok("system:aggregate-to-view"));
    assert_false(al_rbac_role_name_ok("a/b"));
    assert_false(al_rbac_role_name_ok(".."));
    assert_false(al_rbac_role_name_ok("x\ny"));
    assert_false(al_rbac_role_name_ok(""));
}

static void names_are_unique_and_stable(void **state)
{
    (void)state;
    struct world w;
    one(&w, "ci_access:\n"
            "  projects:\n"
            "    - {id: acme/platform/web, access_as: {ci_job: {}}}\n"
            "    - {id: acme/platform/api, access_as: {ci_job: {}}}\n"
            "    - {id: acme/apps/api, access_as: {ci_job: {}}, default_namespace: api}\n"
            "  groups:\n"
            "    - {id: acme/platform, access_as: {ci_job: {}}}\n");
    build(&w, NULL);
    assert_int_equal(w.r.n_missing, 0);
    assert_int_equal(w.r.n_objects, 4);
    for (size_t i = 0; i < w.r.n_objects; i++) {
        assert_true(al_rbac_dns_subdomain(w.r.objects[i]->name));
        for (size_t k = i + 1; k < w.r.n_objects; k++)
            assert_string_not_equal(w.r.objects[i]->name, w.r.objects[k]->name);
    }
    char *first = al_strdup(w.r.objects[0]->name);
    al_rbac_free(&w.r);
    build(&w, NULL);
    assert_string_equal(first, w.r.objects[0]->name);
    /* Another role is another object (roleRef cannot change in place). */
    struct al_rbac_opts o = {.role = "edit"};
    al_rbac_free(&w.r);
    build(&w, &o);
    assert_string_not_equal(first, w.r.objects[0]->name);
    free(first);
    done(&w);
}

/* ---- subjects ---- */

static void subjects_per_scope_and_environment(void **state)
{
    (void)state;
    struct world w;
    one(&w, "ci_access:\n"
            "  projects:\n"
            "    - id: acme/platform/web\n" /* line 3 */
            "      access_as: {ci_job: {}}\n"
            "      environments: [production, Review/App]\n"
            "      default_namespace: web\n"
            "    - {id: acme/apps/api, access_as: {ci_job: {}}}\n" /* line 7 */
            "  groups:\n"
            "    - {id: acme/platform, access_as: {ci_job: {}}}\n" /* line 9 */
            "    - {id: acme, access_as: {impersonate: {username: deployer, groups: [ops]}}}\n"
            "user_access:\n"
            "  access_as: {user: {}}\n"
            "  projects:\n"
            "    - id: acme/platform/web\n"); /* line 14 */
    build(&w, NULL);
    const struct al_rbac_object *web = find(&w.r, 3, AL_RBAC_ROLE_BINDING, "web");
    assert_non_null(web);
    assert_string_equal(web->role, "view");
    assert_int_equal(web->n_subjects, 2);
    assert_true(has_subject(web, "gitlab:project_env:101:production"));
    char *slug = al_env_slug("Review/App");
    char want[128];
    snprintf(want, sizeof want, "gitlab:project_env:101:%s", slug);
    assert_true(has_subject(web, want));
    assert_true(warned(&w.r, slug)); /* a computed slug is said */
    free(slug);
    const struct al_rbac_object *api = find(&w.r, 7, AL_RBAC_CLUSTER_ROLE_BINDING, NULL);
    assert_true(has_subject(api, "gitlab:project:103"));
    const struct al_rbac_object *grp = find(&w.r, 9, AL_RBAC_CLUSTER_ROLE_BINDING, NULL);
    assert_true(has_subject(grp, "gitlab:group:2"));
    const struct al_rbac_object *imp = find(&w.r, 10, AL_RBAC_CLUSTER_ROLE_BINDING, NULL);
    assert_true(imp && al_rbac_object_has(imp, AL_RBAC_USER, "deployer"));
    assert_true(has_subject(imp, "ops"));
    const struct al_rbac_object *user = find(&w.r, 14, AL_RBAC_CLUSTER_ROLE_BINDING, NULL);
    assert_true(has_subject(user, "gitlab:project_role:101:developer"));
    done(&w);
}

static void cluster_wide_and_baselines(void **state)
{
    (void)state;
    struct world w;
    one(&w, "ci_access:\n"
            "  projects:\n"
            "    - {id: acme/platform/web, access_as: {ci_job: {}}, default_namespace: web}\n");
    struct al_rbac_opts o = {.cluster_wide = true, .baseline = true, .role = "edit"};
    build(&w, &o);
    assert_int_equal(w.r.n_objects, 2);
    assert_int_equal(w.r.objects[0]->origin, AL_RBAC_FROM_BASELINE);
    assert_true(has_subject(w.r.objects[0], "gitlab:ci_job"));
    assert_string_equal(w.r.objects[0]->role, "edit");
    assert_non_null(find(&w.r, 3, AL_RBAC_CLUSTER_ROLE_BINDING, NULL));
    assert_null(find(&w.r, 3, AL_RBAC_ROLE_BINDING, "web"));
    done(&w);
}

static void wildcards_bind_at_the_exact_level(void **state)
{
    (void)state;
    struct world w;
    one(&w, "ci_access:\n"
            "  projects:\n"
            "    - {id: acme/platform/web, access_as: {ci_job: {}}, environments: ['review/*']}\n"
            "  groups:\n"
            "    - {id: acme/apps, access_as: {ci_job: {}}, environments: [production]}\n");
    build(&w, NULL);
    const struct al_rbac_object *web = find(&w.r, 3, AL_RBAC_CLUSTER_ROLE_BINDING, NULL);
    assert_int_equal(web->n_subjects, 1);
    assert_true(has_subject(web, "gitlab:project:101"));
    assert_int_equal(web->n_warnings, 1);
    assert_non_null(strstr(web->warnings[0], "\"review/*\""));
    assert_non_null(strstr(web->warnings[0], "cannot be a Kubernetes subject"));
    /* A group's environment has no group of its own: the group level, said. */
    const struct al_rbac_object *apps = find(&w.r, 5, AL_RBAC_CLUSTER_ROLE_BINDING, NULL);
    assert_true(has_subject(apps, "gitlab:group:3"));
    assert_non_null(strstr(apps->warnings[0], "cannot be bound by name"));
    done(&w);
}

static void policy_binds_by_tier_environment_and_role(void **state)
{
    (void)state;
    struct world w;
    one(&w, "ci_access:\n"
            "  projects:\n"
            "    - {id: acme/platform/web, access_as: {ci_job: {}}}\n"
            "  groups:\n"
            "    - {id: acme/apps, access_as: {ci_job: {}}, environments: [production, staging]}\n"
            "user_access:\n"
            "  access_as: {user: {}}\n"
            "  groups:\n"
            "    - id: acme\n");
    policy(&w, "role: view\n"
               "rules:\n"
               "  - {group: acme/apps, tier: production, role: edit, namespaces: [apps, ops]}\n"
               "  - {project: acme/platform/web, environment: production, role: admin}\n"
               "  - {project: acme/platform/web}\n"
               "  - {gitlab_role: maintainer, role: edit}\n"
               "  - {agent: nobody, role: edit}\n");
    build(&w, NULL);
    const struct al_rbac_object *apps = find(&w.r, 5, AL_RBAC_ROLE_BINDING, "apps");
    assert_true(has_subject(apps, "gitlab:group_env_tier:3:production"));
    assert_string_equal(apps->role, "edit");
    assert_non_null(find(&w.r, 5, AL_RBAC_ROLE_BINDING, "ops"));
    /* staging: no rule matches it, so the default, at the group level (said) */
    const struct al_rbac_object *stg = find(&w.r, 5, AL_RBAC_CLUSTER_ROLE_BINDING, NULL);
    assert_true(has_subject(stg, "gitlab:group:3"));
    assert_string_equal(stg->role, "view");
    /* web: a narrowing rule and a catch-all rule, two roles, two objects */
    bool admin = false, view = false;
    for (size_t i = 0; i < w.r.n_objects; i++) {
        const struct al_rbac_object *o = w.r.objects[i];
        if (!o->auth || o->auth->line != 3)
            continue;
        admin |=
            strcmp(o->role, "admin") == 0 && has_subject(o, "gitlab:project_env:101:production");
        view |= strcmp(o->role, "view") == 0 && has_subject(o, "gitlab:project:101");
    }
    assert_true(admin && view);
    const struct al_rbac_object *users = find(&w.r, 9, AL_RBAC_CLUSTER_ROLE_BINDING, NULL);
    assert_true(has_subject(users, "gitlab:group_role:1:maintainer"));
    assert_true(warned(&w.r, "rules[4] matches nothing"));
    done(&w);
}

static void narrowing_a_group_by_name_binds_nothing(void **state)
{
    (void)state;
    struct world w;
    one(&w, "ci_access:\n"
            "  groups:\n"
            "    - {id: acme/apps, access_as: {ci_job: {}}}\n");
    policy(&w, "rules:\n  - {group: acme/apps, environment: production, role: edit}\n");
    build(&w, NULL);
    assert_int_equal(w.r.n_objects, 0); /* never widened to the whole group */
    assert_true(warned(&w.r, "carry no group for it"));
    done(&w);
}

static void invalid_default_namespace_binds_nothing(void **state)
{
    (void)state;
    struct world w;
    one(&w, "ci_access:\n"
            "  projects:\n"
            "    - {id: acme/apps/api, access_as: {ci_job: {}}, default_namespace: 'ns|<i>'}\n");
    build(&w, NULL);
    assert_int_equal(w.r.n_objects, 0);
    assert_true(warned(&w.r, "not a Kubernetes namespace name"));
    done(&w);
}

static void missing_ids_are_listed_not_guessed(void **state)
{
    (void)state;
    struct world w;
    const char *names[] = {"deploy"};
    const char *configs[] = {"ci_access:\n"
                             "  projects:\n"
                             "    - {id: acme/platform/web, access_as: {ci_job: {}}}\n"
                             "  groups:\n"
                             "    - {id: acme/platform, access_as: {ci_job: {}}}\n"};
    world(&w, NULL, names, configs, 1);
    build(&w, NULL);
    assert_int_equal(w.r.n_missing, 2);
    assert_int_equal(w.r.missing[0].kind, AL_IDS_PROJECT);
    assert_string_equal(w.r.missing[0].path, "acme/platform/web");
    assert_int_equal(w.r.missing[1].kind, AL_IDS_GROUP);
    for (size_t i = 0; i < w.r.n_objects; i++)
        for (size_t k = 0; k < w.r.objects[i]->n_subjects; k++)
            assert_null(strchr(w.r.objects[i]->subjects[k].name, '<'));
    done(&w);
}

/* ---- where Kubernetes and GitLab part ways ---- */

static void over_grant_names_the_project(void **state)
{
    (void)state;
    struct world w;
    one(&w, "ci_access:\n"
            "  projects:\n"
            "    - id: acme/platform/web\n"
            "      access_as: {ci_job: {}}\n"
            "      default_namespace: web\n"
            "  groups:\n"
            "    - {id: acme/platform, access_as: {ci_job: {}}}\n");
    build(&w, NULL);
    const struct al_rbac_object *grp = find(&w.r, 7, AL_RBAC_CLUSTER_ROLE_BINDING, NULL);
    assert_non_null(grp->over_grant);
    assert_non_null(strstr(grp->over_grant, "acme/platform/web"));
    assert_null(strstr(grp->over_grant, "acme/platform/api")); /* the group decides for it */
    assert_true(warned(&w.r, "grants view cluster-wide to CI jobs beyond"));
    done(&w);
    /* Same role, same place: nothing more is granted, nothing said. */
    one(&w, "ci_access:\n"
            "  projects:\n"
            "    - {id: acme/platform/web, access_as: {ci_job: {}}}\n"
            "  groups:\n"
            "    - {id: acme/platform, access_as: {ci_job: {}}}\n");
    build(&w, NULL);
    for (size_t i = 0; i < w.r.n_objects; i++)
        assert_null(w.r.objects[i]->over_grant);
    done(&w);
}

static void over_grant_through_another_agent(void **state)
{
    (void)state;
    struct world w;
    const char *names[] = {"deploy", "prod"};
    const char *configs[] = {
        "ci_access:\n"
        "  projects:\n"
        "    - {id: acme/platform/web, access_as: {ci_job: {}}, environments: [production]}\n",
        "ci_access:\n"
        "  groups:\n"
        "    - {id: acme, access_as: {ci_job: {}}, default_namespace: sandbox}\n"};
    world(&w, IDS, names, configs, 2);
    policy(&w, "rules:\n  - {agent: deploy, role: edit}\n");
    build(&w, NULL);
    /* deploy's binding is reached by web's jobs in production through prod too,
     * which GitLab allows (view in sandbox): fine, deploy allows them as well.
     * prod's group binding reaches nothing deploy does not already allow. */
    const struct al_rbac_object *web = find(&w.r, 3, AL_RBAC_CLUSTER_ROLE_BINDING, NULL);
    assert_non_null(web);
    assert_null(web->over_grant);
    done(&w);
    /* Now deploy only lets protected refs through: prod's unprotected jobs of
     * web in production reach deploy's edit binding. */
    configs[0] = "ci_access:\n"
                 "  projects:\n"
                 "    - {id: acme/platform/web, access_as: {ci_job: {}}, environments: "
                 "[production], protected_branches_only: true}\n";
    world(&w, IDS, names, configs, 2);
    policy(&w, "rules:\n  - {agent: deploy, role: edit}\n");
    build(&w, NULL);
    web = find(&w.r, 3, AL_RBAC_CLUSTER_ROLE_BINDING, NULL);
    assert_non_null(web->over_grant);
    assert_non_null(strstr(web->over_grant, "through agent prod"));
    assert_non_null(strstr(web->over_grant, "unprotected"));
    done(&w);
}

/* ---- the impersonator ---- */

static void impersonator_names_what_gitlab_sends(void **state)
{
    (void)state;
    struct world w;
    one(&w, "ci_access:\n"
            "  projects:\n"
            "    - {id: acme/platform/web, access_as: {ci_job: {}}, environments: [production]}\n"
            "    - id: acme/infra\n"
            "      access_as:\n"
            "        impersonate:\n"
            "          username: deployer\n"
            "          groups: [ops]\n"
            "          uid: '42'\n"
            "          extra: [{key: Team, val: [a]}]\n");
    struct al_rbac_opts o = {
        .impersonator = true, .sa_namespace = "gitlab-agent", .sa_name = "agentk"};
    build(&w, &o);
    assert_int_equal(w.r.n_missing, 0);
    const struct al_rbac_object *groups = NULL, *uids = NULL, *users = NULL;
    for (size_t i = 0; i < w.r.n_objects; i++) {
        const struct al_rbac_object *x = w.r.objects[i];
        if (x->kind != AL_RBAC_CLUSTER_ROLE)
            continue;
        const char *res = x->rules[0].resources[0];
        if (strcmp(res, "groups") == 0)
            groups = x;
        else if (strcmp(res, "uids") == 0)
            uids = x;
        else if (strcmp(res, "users") == 0)
            users = x;
    }
    assert_non_null(groups);
    const struct al_rbac_rule_k8s *g = &groups->rules[0];
    bool ci_job = false, env = false, tier = false, ancestors = false, ops = false;
    for (size_t i = 0; i < g->n_names; i++) {
        ci_job |= strcmp(g->names[i], "gitlab:ci_job") == 0;
        env |= strcmp(g->names[i], "gitlab:project_env:101:production") == 0;
        tier |= strcmp(g->names[i], "gitlab:group_env_tier:1:testing") == 0; /* any tier */
        ancestors |= strcmp(g->names[i], "gitlab:group:2") == 0;
        ops |= strcmp(g->names[i], "ops") == 0;
    }
    assert_true(ci_job && env && tier && ancestors && ops);
    assert_non_null(uids);
    assert_false(uids->kubectl);
    assert_string_equal(uids->rules[0].api_group, "authentication.k8s.io");
    assert_string_equal(uids->rules[0].names[0], "42");
    assert_non_null(users);
    assert_int_equal(users->rules[0].n_names, 0); /* gitlab:ci_job:<job id> */
    assert_int_equal(users->n_rules, 2);          /* and userextras, by API group */
    assert_string_equal(users->rules[1].api_group, "authentication.k8s.io");
    assert_non_null(users->notes);
    /* every role has its binding to the service account */
    size_t roles = 0, bindings = 0;
    for (size_t i = 0; i < w.r.n_objects; i++) {
        const struct al_rbac_object *x = w.r.objects[i];
        if (x->origin != AL_RBAC_FROM_IMPERSONATOR)
            continue;
        if (x->kind == AL_RBAC_CLUSTER_ROLE) {
            roles++;
        } else {
            bindings++;
            assert_non_null(x->role_object);
            assert_string_equal(x->subjects[0].name, "agentk");
            assert_string_equal(x->subjects[0].namespace, "gitlab-agent");
        }
    }
    assert_int_equal(roles, 4); /* groups, users (+ extras), extra team, uids */
    assert_int_equal(bindings, roles);
    done(&w);
}

/* ---- the policy file ---- */

static void policy_errors_are_one_sentence(void **state)
{
    (void)state;
    static const struct {
        const char *text, *needle;
    } bad[] = {
        {"role: 'a/b'\n", "policy.yaml:1:7: role must be the name of a ClusterRole"},
        {"rol: view\n", "unknown key \"rol\": did you mean \"role\"?"},
        {"- a\n", "a policy is a mapping"},
        {"cluster_wide: yes please\n", "cluster_wide must be true or false"},
        {"rules: {role: view}\n", "rules must be a list"},
        {"rules:\n  - {tier: prod}\n", "rules[0].tier must be one of production"},
        {"rules:\n  - {project: a/b, group: c}\n", "names both a project and a group"},
        {"rules:\n  - {environment: x, tier: staging}\n", "both environment and tier"},
        {"rules:\n  - {namespaces: [Web]}\n", "rules[0].namespaces[0] must be a Kubernetes"},
        {"rules:\n  - {namespaces: []}\n", "non-empty list"},
        {"rules:\n  - {namespaces: [a], cluster_wide: true}\n", "both namespaces and cluster_wide"},
        {"rules:\n  - {gitlab_role: boss}\n", "gitlab_role must be one of guest"},
        {"rules:\n  - {gitlab_role: owner, tier: production}\n", "user_access entries have no"},
        {"rules:\n  - {access: impersonate, environment: prod}\n", "carries no environment"},
        {"rules:\n  - {access: robot}\n", "access must be ci_job, impersonate or user"},
        {"rules:\n  - {project: 'https://gitlab.com/a/b'}\n", "rules[0].project"},
        {"rules:\n  - {agent: 7}\n", "rules[0].agent must be a non-empty string"},
        {"rules:\n  - {colour: red}\n", "unknown key \"colour\" in rules[0]"},
        {"role: view\nrole: edit\n", "appears twice"},
        {"role: [\n", "policy.yaml:"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct al_rbac_policy *p = (struct al_rbac_policy *)1;
        int rc = al_rbac_policy_load(bad[i].text, strlen(bad[i].text), "policy.yaml", &p);
        if (rc == 0 || !strstr(al_error_last(), bad[i].needle))
            fail_msg("policy %zu (%s): rc %d, message: %s", i, bad[i].text, rc, al_error_last());
        assert_null(p);
        assert_null(strchr(al_error_last(), '\n'));
    }
    struct al_rbac_policy *p;
    assert_int_equal(al_rbac_policy_load("", 0, "empty.yaml", &p), 0);
    assert_int_equal(p->n_rules, 0);
    al_rbac_policy_free(p);
    const char ok[] = "role: view\ncluster_wide: true\nbaseline: view\nuser_baseline: view\n"
                      "rules:\n  - {agent: a, access: ci_job, project: x/y, tier: staging,\n"
                      "     role: edit, namespaces: [a, b]}\n";
    assert_int_equal(al_rbac_policy_load(ok, strlen(ok), "ok.yaml", &p), 0);
    assert_int_equal(p->n_rules, 1);
    assert_int_equal(p->rules[0].tier, AL_TIER_STAGING);
    assert_int_equal(p->rules[0].n_namespaces, 2);
    assert_int_equal(p->rules[0].line, 6);
    assert_true(p->cluster_wide);
    al_rbac_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_are_dns_subdomains),
        cmocka_unit_test(kubernetes_name_rules),
        cmocka_unit_test(names_are_unique_and_stable),
        cmocka_unit_test(subjects_per_scope_and_environment),
        cmocka_unit_test(cluster_wide_and_baselines),
        cmocka_unit_test(wildcards_bind_at_the_exact_level),
        cmocka_unit_test(policy_binds_by_tier_environment_and_role),
        cmocka_unit_test(narrowing_a_group_by_name_binds_nothing),
        cmocka_unit_test(invalid_default_namespace_binds_nothing),
        cmocka_unit_test(missing_ids_are_listed_not_guessed),
        cmocka_unit_test(over_grant_names_the_project),
        cmocka_unit_test(over_grant_through_another_agent),
        cmocka_unit_test(impersonator_names_what_gitlab_sends),
        cmocka_unit_test(policy_errors_are_one_sentence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
