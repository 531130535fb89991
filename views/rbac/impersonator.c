/* --impersonator: what the agent's service account needs to impersonate the
 * identities GitLab sends, instead of cluster-admin. Kubernetes checks the
 * impersonate verb on every user, group, uid and extra of a request
 * (resource users / groups in the core API group, uids and userextras/<key>
 * in authentication.k8s.io, resourceNames = the values), and refuses the
 * whole request when one is missing. So the groups role must name every
 * group GitLab may send: those of the jobs GitLab's decision lets through
 * (access/decide.h and the identity it computes), every tier, and the
 * environments' slugs where the config lists the names. What cannot be
 * enumerated (the slugs of environments no entry lists, projects --ids does
 * not know) is said, never widened.
 *
 * Each ClusterRole is one `kubectl create clusterrole NAME
 * --verb=impersonate --resource=R... [--resource-name=N...]`: resources
 * limited to the same names share a role, the others get their own. */
#include "views/rbac/build.h"
#include "common/buf.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

/* Extras KAS sends, with values per request (job, pipeline, user). */
static const char *const job_keys[] = {"agent.gitlab.com/id",
                                       "agent.gitlab.com/config_project_id",
                                       "agent.gitlab.com/project_id",
                                       "agent.gitlab.com/ci_pipeline_id",
                                       "agent.gitlab.com/ci_job_id",
                                       "agent.gitlab.com/username",
                                       "agent.gitlab.com/environment_slug",
                                       "agent.gitlab.com/environment_tier",
                                       NULL};
static const char *const user_keys[] = {"agent.gitlab.com/id", "agent.gitlab.com/username",
                                        "agent.gitlab.com/access_type",
                                        "agent.gitlab.com/config_project_id", NULL};
/* Gitlab::Access.sym_options_with_owner: a member carries every role up to its own. */
static const char *const gitlab_roles[] = {"guest",      "planner", "reporter", "developer",
                                           "maintainer", "owner",   NULL};

static const char AUTHN[] = "authentication.k8s.io";

struct extra {
    const char *key; /* lower-cased: the API server lower-cases extra header names */
    struct al_rbac_strset vals;
};

struct imp {
    struct al_rbac_ctx *c;
    struct al_rbac_strset groups, static_users, uids, dyn_keys;
    bool dyn_users;
    struct extra *extras;
    size_t n_extras, cap_extras;
    struct al_rbac_strset unknown_slugs, other_projects, agents, sources;
};

static void set_add(struct imp *I, struct al_rbac_strset *s, const char *v)
{
    al_rbac_strset_add(s, &I->c->r->arena, v);
}

static bool set_has(const struct al_rbac_strset *s, const char *v)
{
    return al_rbac_strset_find(s, v) >= 0;
}

/* ---- what GitLab sends ---- */

static bool needed_id(const struct al_decisions *d, const struct al_rbac_job *j,
                      const struct al_missing_id *m)
{
    if (m->kind != AL_IDS_PROJECT && m->kind != AL_IDS_GROUP)
        return false; /* agent and config project ids: extras, never named */
    if (j->synthetic && !j->group)
        return false; /* the instance's stand-in project has no real groups */
    if (!j->synthetic && strcmp(m->path, d->job.project) == 0)
        return true;
    for (size_t i = 0; i < d->n_ancestors; i++)
        if (strcmp(m->path, d->ancestors[i]) == 0)
            return true;
    return false;
}

/* The groups of one allowed ci_job decision, but the ones a placeholder
 * stands in (missing ids, listed) and slugs of names nobody lists. */
static void job_identity(struct imp *I, const struct al_rbac_job *j, const struct al_decisions *d,
                         const struct al_identity *id)
{
    bool unknown_env = j->env_kind == AL_RBAC_ENV_UNLISTED || j->env_kind == AL_RBAC_ENV_WILDCARD;
    I->dyn_users = true;
    for (size_t k = 0; job_keys[k]; k++)
        set_add(I, &I->dyn_keys, job_keys[k]);
    if (j->synthetic && j->group)
        set_add(I, &I->other_projects, j->group);
    else if (unknown_env && !j->synthetic)
        set_add(I, &I->unknown_slugs, j->project);
    for (size_t g = 0; g < id->n_groups; g++) {
        const char *name = id->groups[g];
        if (strchr(name, '<') || (unknown_env && al_str_startswith(name, "gitlab:project_env:")))
            continue;
        set_add(I, &I->groups, name);
    }
    for (size_t m = 0; m < d->n_missing; m++)
        if (needed_id(d, j, &d->missing[m]))
            al_rbac_missing(I->c, d->missing[m].kind, d->missing[m].path);
}

static void job_groups(struct imp *I, const struct al_rbac_jobs *J, const struct al_rbac_job *j)
{
    /* Jobs may set any deployment tier, and every tier is a group. */
    int n_tiers = j->env ? 5 : 1;
    for (int t = 0; t < n_tiers; t++) {
        struct al_job job = {j->project,
                             j->env,
                             true,
                             j->env ? al_env_tier_name((enum al_env_tier)t) : NULL,
                             NULL,
                             AL_LICENSE_PREMIUM,
                             I->c->o->matching};
        struct al_decisions d;
        al_rbac_decide(&J->cover, I->c->m, &job, &d);
        for (size_t k = 0; k < d.n; k++)
            if (d.items[k].allowed && d.items[k].auth->access_as == AL_AS_CI_JOB)
                job_identity(I, j, &d, &d.items[k].identity);
        al_decisions_free(&d);
    }
}

static struct extra *extra_of(struct imp *I, const char *key)
{
    char *low = al_str_lower(key);
    for (size_t i = 0; i < I->n_extras; i++)
        if (strcmp(I->extras[i].key, low) == 0) {
            free(low);
            return &I->extras[i];
        }
    I->extras = al_grow(I->extras, &I->cap_extras, I->n_extras + 1, sizeof(*I->extras));
    struct extra *e = &I->extras[I->n_extras++];
    memset(e, 0, sizeof(*e));
    e->key = al_arena_strdup(&I->c->r->arena, low);
    free(low);
    return e;
}

static void warn_system(struct imp *I, const struct al_auth *x, const char *what, const char *v)
{
    if (al_str_startswith(v, "system:"))
        al_rbac_warn(I->c, NULL,
                     "%s impersonates the %s %s: the agent's service account may then act as a "
                     "Kubernetes system identity (system:masters is cluster-admin)",
                     al_rbac_describe(I->c, x), what, v);
}

static void static_identity(struct imp *I, const struct al_auth *x)
{
    const struct al_impersonate *imp = x->imp;
    if (imp->username && *imp->username) {
        set_add(I, &I->static_users, imp->username);
        warn_system(I, x, "user", imp->username);
    }
    for (size_t g = 0; g < imp->n_groups; g++)
        if (imp->groups[g] && *imp->groups[g]) {
            set_add(I, &I->groups, imp->groups[g]);
            warn_system(I, x, "group", imp->groups[g]);
        }
    if (imp->uid && *imp->uid)
        set_add(I, &I->uids, imp->uid);
    for (size_t e = 0; e < imp->n_extra; e++) {
        struct extra *ex = extra_of(I, imp->extra[e].key);
        for (size_t v = 0; v < imp->extra[e].n_vals; v++)
            set_add(I, &ex->vals, imp->extra[e].vals[v]);
    }
}

static void user_identity(struct imp *I, const struct al_auth *x)
{
    bool project = x->scope == AL_SCOPE_PROJECT;
    I->dyn_users = true;
    for (size_t k = 0; user_keys[k]; k++)
        set_add(I, &I->dyn_keys, user_keys[k]);
    set_add(I, &I->groups, "gitlab:user");
    long long id = al_rbac_id(I->c, project ? AL_IDS_PROJECT : AL_IDS_GROUP, x->id);
    for (size_t r = 0; id > 0 && gitlab_roles[r]; r++)
        set_add(I, &I->groups,
                al_rbac_printf(I->c, "gitlab:%s_role:%lld:%s", project ? "project" : "group", id,
                               gitlab_roles[r]));
}

static void collect(struct imp *I)
{
    const struct al_access *m = I->c->m;
    bool agent_mode = false;
    for (size_t i = 0; i < m->n_agents; i++) {
        const struct al_access_agent *ag = m->agents[i];
        set_add(I, &I->agents, ag->name ? ag->name : "(unnamed)");
        set_add(I, &I->sources, ag->path);
        for (size_t k = 0; k < ag->n_auths; k++) {
            const struct al_auth *x = &ag->auths[k];
            if (!x->effective)
                continue;
            if (x->access_as == AL_AS_IMPERSONATE && x->imp)
                static_identity(I, x);
            else if (x->access_as == AL_AS_USER && x->scope != AL_SCOPE_INSTANCE)
                user_identity(I, x);
            agent_mode |= x->access_as == AL_AS_AGENT;
        }
    }
    struct al_rbac_jobs J;
    al_rbac_jobs_build(m, &J);
    for (size_t i = 0; i < J.n; i++)
        job_groups(I, &J, &J.items[i]);
    al_rbac_jobs_free(&J);
    if (agent_mode)
        al_rbac_note(I->c, NULL,
                     "entries that act as the agent (the implicit authorization of the "
                     "configuration project among them) use the service account's own "
                     "permissions: the impersonator roles only add impersonation, so keep what "
                     "those jobs need");
}

/* ---- the roles ---- */

struct role {
    const char *part; /* of the name: "groups", "users", ... */
    const char *api_group[2];
    struct al_rbac_strset res[2]; /* resources per API group, sorted by group as kubectl does */
    const struct al_rbac_strset *names;
    bool kubectl;
};

static const char *sa_subject(struct imp *I)
{
    return al_rbac_printf(I->c, "%s:%s", I->c->o->sa_namespace, I->c->o->sa_name);
}

static void role_meta(struct imp *I, struct al_rbac_object *o, const char *part, const char *detail)
{
    const char **parts = al_arena_alloc(&I->c->r->arena, 3 * sizeof(char *));
    parts[0] = "impersonate";
    parts[1] = part;
    parts[2] = detail;
    o->name_parts = parts;
    o->n_name_parts = 3;
    o->origin = AL_RBAC_FROM_IMPERSONATOR;
    struct al_buf b = AL_BUF_INIT;
    for (size_t i = 0; i < I->sources.n; i++)
        al_buf_printf(&b, "%s%s", i ? ", " : "", I->sources.items[i]);
    o->source = al_arena_strdup(&I->c->r->arena, al_buf_cstr(&b));
    al_buf_clear(&b);
    al_buf_printf(&b, "impersonation by the service account %s for agents ", sa_subject(I));
    for (size_t i = 0; i < I->agents.n; i++)
        al_buf_printf(&b, "%s%s", i ? ", " : "", I->agents.items[i]);
    o->what = al_arena_strdup(&I->c->r->arena, al_buf_cstr(&b));
    al_buf_free(&b);
}

static void copy_rule(struct imp *I, struct al_rbac_rule_k8s *r, const char *group,
                      const struct al_rbac_strset *res, const struct al_rbac_strset *names)
{
    struct al_arena *a = &I->c->r->arena;
    r->api_group = group;
    r->resources = al_arena_alloc(a, res->n * sizeof(char *));
    memcpy(r->resources, res->items, res->n * sizeof(char *));
    r->n_resources = res->n;
    if (names && names->n) {
        r->names = al_arena_alloc(a, names->n * sizeof(char *));
        memcpy(r->names, names->items, names->n * sizeof(char *));
        r->n_names = names->n;
    }
}

/* One ClusterRole and its ClusterRoleBinding to the service account. */
static struct al_rbac_object *emit_role(struct imp *I, const struct role *R, const char *detail)
{
    struct al_rbac_ctx *c = I->c;
    /* The service account and the agents: another set of agents is another role. */
    struct al_buf agents = AL_BUF_INIT;
    for (size_t i = 0; i < I->agents.n; i++)
        al_buf_printf(&agents, "%zu:%s;", strlen(I->agents.items[i]), I->agents.items[i]);
    const char *d = detail ? detail : "";
    const char *id = al_rbac_printf(c, "impersonator;%s;%zu:%s;%zu:%s;%s;%s", R->part, strlen(d), d,
                                    strlen(c->o->sa_namespace), c->o->sa_namespace, c->o->sa_name,
                                    al_buf_cstr(&agents));
    al_buf_free(&agents);
    struct al_rbac_object *role = al_rbac_object_get(c, AL_RBAC_CLUSTER_ROLE, NULL, NULL, id);
    role_meta(I, role, R->part, detail);
    role->kubectl = R->kubectl;
    role->rules = al_arena_alloc(&c->r->arena, 2 * sizeof(*role->rules));
    for (int g = 0; g < 2; g++)
        if (R->res[g].n)
            copy_rule(I, &role->rules[role->n_rules++], R->api_group[g], &R->res[g], R->names);
    struct al_rbac_object *bind =
        al_rbac_object_get(c, AL_RBAC_CLUSTER_ROLE_BINDING, NULL, NULL, id);
    role_meta(I, bind, R->part, detail);
    bind->role_object = role; /* named with the others, at the end */
    al_rbac_subject_add(c, bind, AL_RBAC_SERVICE_ACCOUNT, c->o->sa_name, c->o->sa_namespace);
    return role;
}

static void groups_role(struct imp *I)
{
    if (!I->groups.n)
        return;
    al_rbac_strset_sort(&I->groups);
    struct role R = {
        "groups", {"", AUTHN}, {{NULL, 0, 0, NULL, 0}, {NULL, 0, 0, NULL, 0}}, &I->groups, true};
    set_add(I, &R.res[0], "groups");
    struct al_rbac_object *o = emit_role(I, &R, NULL);
    if (I->unknown_slugs.n) {
        struct al_buf b = AL_BUF_INIT;
        for (size_t i = 0; i < I->unknown_slugs.n; i++)
            al_buf_printf(&b, "%s%s", i ? ", " : "", I->unknown_slugs.items[i]);
        al_rbac_warn(I->c, o,
                     "jobs of %s may use environments no entry lists by name, and their "
                     "gitlab:project_env:<id>:<slug> group cannot be named in advance: Kubernetes "
                     "refuses those jobs' requests (list their environments in the config, or add "
                     "the slugs to this role)",
                     al_buf_cstr(&b));
        al_buf_free(&b);
    }
    for (size_t i = 0; i < I->other_projects.n; i++)
        al_rbac_warn(I->c, o,
                     "projects of %s that --ids does not list (or that are created later) send "
                     "groups this role does not name: Kubernetes refuses their jobs' requests "
                     "until you fetch the ids again and regenerate",
                     I->other_projects.items[i]);
    al_rbac_strset_free(&R.res[0]);
}

/* Users and extras whose values change with every request: any name. */
static void dynamic_role(struct imp *I)
{
    struct role R = {
        "users", {"", AUTHN}, {{NULL, 0, 0, NULL, 0}, {NULL, 0, 0, NULL, 0}}, NULL, true};
    if (I->dyn_users)
        set_add(I, &R.res[0], "users");
    for (size_t i = 0; i < I->dyn_keys.n; i++)
        set_add(I, &R.res[1], al_rbac_printf(I->c, "userextras/%s", I->dyn_keys.items[i]));
    for (size_t i = 0; i < I->n_extras; i++)
        if (set_has(&I->dyn_keys, I->extras[i].key))
            set_add(I, &R.res[1], al_rbac_printf(I->c, "userextras/%s", I->extras[i].key));
    if (!R.res[0].n && !R.res[1].n)
        return;
    struct al_rbac_object *o = emit_role(I, &R, NULL);
    al_rbac_note(I->c, o,
                 "users and userextras cannot be limited by name: GitLab impersonates "
                 "gitlab:ci_job:<job id> and gitlab:user:<username>, and its extras carry the "
                 "job, pipeline and user of each request");
    al_rbac_strset_free(&R.res[0]);
    al_rbac_strset_free(&R.res[1]);
}

/* Static users, each static extra and uids: limited to the values written. */
static void static_roles(struct imp *I)
{
    if (!I->dyn_users && I->static_users.n) {
        al_rbac_strset_sort(&I->static_users);
        struct role R = {"users",
                         {"", AUTHN},
                         {{NULL, 0, 0, NULL, 0}, {NULL, 0, 0, NULL, 0}},
                         &I->static_users,
                         true};
        set_add(I, &R.res[0], "users");
        emit_role(I, &R, "static");
        al_rbac_strset_free(&R.res[0]);
    }
    for (size_t i = 0; i < I->n_extras; i++) {
        struct extra *e = &I->extras[i];
        if (set_has(&I->dyn_keys, e->key) || !e->vals.n)
            continue;
        al_rbac_strset_sort(&e->vals);
        struct role R = {
            "extra", {"", AUTHN}, {{NULL, 0, 0, NULL, 0}, {NULL, 0, 0, NULL, 0}}, &e->vals, true};
        set_add(I, &R.res[1], al_rbac_printf(I->c, "userextras/%s", e->key));
        emit_role(I, &R, e->key);
        al_rbac_strset_free(&R.res[1]);
    }
    if (I->uids.n) {
        al_rbac_strset_sort(&I->uids);
        struct role R = {
            "uids", {"", AUTHN}, {{NULL, 0, 0, NULL, 0}, {NULL, 0, 0, NULL, 0}}, &I->uids, false};
        set_add(I, &R.res[1], "uids");
        struct al_rbac_object *o = emit_role(I, &R, NULL);
        al_rbac_note(I->c, o,
                     "kubectl create clusterrole (1.32) does not know the uids resource, which "
                     "Kubernetes has checked for impersonation since 1.22: this role is written "
                     "by hand in the same shape");
        al_rbac_strset_free(&R.res[1]);
    }
}

static void free_imp(struct imp *I)
{
    struct al_rbac_strset *sets[] = {&I->groups,   &I->static_users,  &I->uids,
                                     &I->dyn_keys, &I->unknown_slugs, &I->other_projects,
                                     &I->agents,   &I->sources};
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
        al_rbac_strset_free(sets[i]);
    for (size_t i = 0; i < I->n_extras; i++)
        al_rbac_strset_free(&I->extras[i].vals);
    free(I->extras);
}

void al_rbac_add_impersonator(struct al_rbac_ctx *c)
{
    struct imp I;
    memset(&I, 0, sizeof I);
    I.c = c;
    collect(&I);
    if (!I.groups.n && !I.dyn_users && !I.static_users.n && !I.uids.n && !I.n_extras)
        al_rbac_note(c, NULL,
                     "these agents impersonate nobody: their service account needs no "
                     "impersonate permission");
    groups_role(&I);
    dynamic_role(&I);
    static_roles(&I);
    free_imp(&I);
}
