/* Bindings per authorization. An entry is cut into units, the parts of it
 * a Kubernetes subject can name: the whole entry, or, when it lists
 * environments, each exact name (and each wildcard, which no subject can
 * name). Every policy rule that matches a unit binds it; a unit no rule
 * matches gets the default. Bindings of one entry with one role in one
 * place are one object. */
#include "views/rbac/build.h"
#include "common/buf.h"
#include "access/env.h"
#include "model/paths.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

enum unit_kind {
    U_ENTRY,    /* the whole entry: no environments, or what an exact subject cannot cover */
    U_ENV,      /* one exact environment name */
    U_WILDCARD, /* one pattern with '*' */
};

struct unit {
    enum unit_kind kind;
    const char *env;
};

/* What a rule (or the default) asks for one unit. */
struct grant {
    const struct al_rbac_rule *rule; /* NULL: the default */
    size_t rule_index;
    const char *role;
    const char *env; /* narrowed to this exact name */
    int tier;        /* narrowed to this tier; -1 */
    const char *gitlab_role;
};

/* What one grant binds: subjects, and why it is broader than asked. */
struct bound {
    struct al_rbac_subject *subjects;
    size_t n, cap;
    const char *warning;
};

static enum al_rbac_access access_of(const struct al_auth *x)
{
    switch (x->access_as) {
    case AL_AS_CI_JOB:
        return AL_RBAC_ACCESS_CI_JOB;
    case AL_AS_IMPERSONATE:
        return AL_RBAC_ACCESS_IMPERSONATE;
    case AL_AS_USER:
        return AL_RBAC_ACCESS_USER;
    default:
        return AL_RBAC_ACCESS_ANY; /* nothing to bind */
    }
}

static void bind(struct bound *b, enum al_rbac_subject_kind kind, const char *name)
{
    if (!name || !*name)
        return;
    b->subjects = al_grow(b->subjects, &b->cap, b->n + 1, sizeof(*b->subjects));
    b->subjects[b->n].kind = kind;
    b->subjects[b->n].namespace = NULL;
    b->subjects[b->n++].name = name;
}

/* ---- rules ---- */

static bool selects_entry(const struct al_rbac_rule *r, const struct al_auth *x)
{
    if (r->agent && (!x->agent->name || strcmp(r->agent, x->agent->name) != 0))
        return false;
    if (r->access != AL_RBAC_ACCESS_ANY && r->access != access_of(x))
        return false;
    if (r->project && !(x->scope == AL_SCOPE_PROJECT && al_path_eq(x->id, r->project)))
        return false;
    return !r->group || (x->scope == AL_SCOPE_GROUP && al_path_eq(x->id, r->group));
}

/* Whether rule `r` covers unit `u` of `x`, and with which narrowing. */
static bool rule_matches(const struct al_rbac_ctx *c, const struct al_rbac_rule *r,
                         const struct al_auth *x, const struct unit *u, struct grant *g)
{
    if (!selects_entry(r, x))
        return false;
    g->rule = r;
    g->role = r->role ? r->role : c->role;
    g->gitlab_role = r->gitlab_role;
    if (r->environment) {
        if (u->kind == U_ENV && strcmp(u->env, r->environment) != 0)
            return false;
        if (u->kind == U_WILDCARD &&
            al_env_match(c->o->matching, u->env, r->environment) != AL_ENV_YES)
            return false;
        if (u->kind != U_ENV)
            g->env = r->environment; /* an exact name within a broader unit */
    }
    if (r->tier >= 0) {
        if (u->kind == U_ENV && (int)al_env_tier_guess(u->env) != r->tier)
            return false;
        g->tier = r->tier;
    }
    return true;
}

/* ---- subjects ---- */

static const char *slug_of(struct al_rbac_ctx *c, const char *env)
{
    char *slug = al_env_slug(env);
    const char *s = al_rbac_printf(c, "%s", slug);
    free(slug);
    return s;
}

static void instance_subject(struct al_rbac_ctx *c, const struct al_auth *x, struct bound *b)
{
    bind(b, AL_RBAC_GROUP, "gitlab:ci_job");
    b->warning = al_rbac_printf(c,
                                "%s covers the projects of the whole instance, which no group "
                                "names: it is bound to gitlab:ci_job, every CI job that reaches "
                                "the cluster in ci_job mode",
                                al_rbac_describe(c, x));
}

static void narrowed_subject(struct al_rbac_ctx *c, const struct al_auth *x, long long id,
                             const struct grant *g, struct bound *b)
{
    const char *what = al_rbac_describe(c, x);
    if (g->tier >= 0 && x->scope != AL_SCOPE_INSTANCE) {
        bind(b, AL_RBAC_GROUP,
             al_rbac_printf(c, "gitlab:%s_env_tier:%lld:%s",
                            x->scope == AL_SCOPE_PROJECT ? "project" : "group", id,
                            al_env_tier_name((enum al_env_tier)g->tier)));
    } else if (g->env && x->scope == AL_SCOPE_PROJECT) {
        bind(b, AL_RBAC_GROUP,
             al_rbac_printf(c, "gitlab:project_env:%lld:%s", id, slug_of(c, g->env)));
    } else {
        /* Narrowing further than any group can name would widen the rule. */
        b->warning = al_rbac_printf(
            c,
            "policy rules[%zu] asks for %s %s of %s, but the jobs of %s carry no group for "
            "it: nothing is bound for that rule%s",
            g->rule_index, g->env ? "environment" : "tier",
            g->env ? g->env : al_env_tier_name((enum al_env_tier)g->tier), what,
            x->scope == AL_SCOPE_GROUP ? "a group entry" : "the instance entry",
            x->scope == AL_SCOPE_GROUP ? " (a group entry can be bound by tier)" : "");
    }
}

static void whole_entry_subject(struct al_rbac_ctx *c, const struct al_auth *x, long long id,
                                const struct unit *u, struct bound *b)
{
    const char *what = al_rbac_describe(c, x);
    const char *level = x->scope == AL_SCOPE_PROJECT ? "project" : "group";
    bind(b, AL_RBAC_GROUP, al_rbac_printf(c, "gitlab:%s:%lld", level, id));
    if (u->kind == U_WILDCARD)
        b->warning = al_rbac_printf(
            c,
            "environment pattern \"%s\" of %s cannot be a Kubernetes subject (jobs carry their "
            "environment's slug and tier, never its name): bound at the %s level, "
            "gitlab:%s:%lld; GitLab still refuses this agent to jobs whose environment does not "
            "match",
            u->env, what, level, level, id);
    else if (u->kind == U_ENV)
        b->warning = al_rbac_printf(
            c,
            "environment \"%s\" of %s cannot be bound by name (the jobs of a group carry no "
            "per-environment group): bound at the group level, gitlab:group:%lld; GitLab still "
            "refuses this agent to jobs of other environments, and a policy rule with a tier "
            "binds gitlab:group_env_tier:%lld:<tier> instead",
            u->env, what, id, id);
}

static void ci_job_subjects(struct al_rbac_ctx *c, const struct al_auth *x, const struct unit *u,
                            const struct grant *g, struct bound *b)
{
    if (x->scope == AL_SCOPE_INSTANCE && g->tier < 0 && !g->env) {
        instance_subject(c, x, b);
        return;
    }
    long long id = -1;
    if (x->scope != AL_SCOPE_INSTANCE) {
        id = al_rbac_id(c, x->scope == AL_SCOPE_PROJECT ? AL_IDS_PROJECT : AL_IDS_GROUP, x->id);
        if (id < 0)
            return; /* listed as missing: never a placeholder */
    }
    if (g->tier >= 0 || g->env)
        narrowed_subject(c, x, id, g, b);
    else if (u->kind == U_ENV && x->scope == AL_SCOPE_PROJECT)
        bind(b, AL_RBAC_GROUP,
             al_rbac_printf(c, "gitlab:project_env:%lld:%s", id, slug_of(c, u->env)));
    else
        whole_entry_subject(c, x, id, u, b);
}

static void user_subjects(struct al_rbac_ctx *c, const struct al_auth *x, const struct grant *g,
                          struct bound *b)
{
    bool project = x->scope == AL_SCOPE_PROJECT;
    long long id = al_rbac_id(c, project ? AL_IDS_PROJECT : AL_IDS_GROUP, x->id);
    if (id >= 0)
        bind(b, AL_RBAC_GROUP,
             al_rbac_printf(c, "gitlab:%s_role:%lld:%s", project ? "project" : "group", id,
                            g->gitlab_role ? g->gitlab_role : "developer"));
}

static void static_subjects(struct al_rbac_ctx *c, const struct al_auth *x, struct bound *b)
{
    const struct al_impersonate *imp = x->imp;
    bind(b, AL_RBAC_USER, imp->username);
    for (size_t i = 0; i < imp->n_groups; i++)
        bind(b, AL_RBAC_GROUP, imp->groups[i]);
    if (!b->n)
        b->warning = al_rbac_printf(c, "%s impersonates no user and no group: nothing to bind",
                                    al_rbac_describe(c, x));
}

/* ---- objects ---- */

static const char *identity_of(struct al_rbac_ctx *c, const struct al_auth *x, const char *role)
{
    const char *name = x->agent->name ? x->agent->name : "";
    const char *key = x->key ? x->key : "";
    return al_rbac_printf(c, "entry;%zu:%s;%s;%s;%zu:%s;%zu:%s", strlen(name), name,
                          al_section_name(x->section), al_scope_name(x->scope), strlen(key), key,
                          strlen(role), role);
}

static void describe_object(struct al_rbac_ctx *c, struct al_rbac_object *o,
                            const struct al_auth *x)
{
    static const char *const words[] = {NULL, NULL, "impersonate", "user"};
    const char **parts = al_arena_alloc(&c->r->arena, 4 * sizeof(char *));
    parts[0] = x->agent->name ? x->agent->name : "unnamed";
    parts[1] = words[access_of(x)];
    parts[2] = al_scope_name(x->scope);
    parts[3] = x->scope == AL_SCOPE_INSTANCE ? NULL : x->id;
    o->name_parts = parts;
    o->n_name_parts = 4;
    o->origin = AL_RBAC_FROM_ENTRY;
    o->auth = x;
    o->source = al_rbac_printf(c, "%s:%u", x->path, x->line);
    o->what = al_rbac_printf(c, "%s %s, agent %s, %s", x->label, x->id ? x->id : "",
                             x->agent->name ? x->agent->name : "(unnamed)",
                             al_access_as_name(x->access_as));
    if (x->restricts_env) {
        struct al_buf b = AL_BUF_INIT;
        for (size_t i = 0; i < x->n_env; i++)
            al_buf_printf(&b, "%s%s", i ? ", " : "", x->environments[i]);
        o->environments = al_arena_strdup(&c->r->arena, al_buf_cstr(&b));
        al_buf_free(&b);
    }
}

static void place(struct al_rbac_ctx *c, const struct al_auth *x, const struct grant *g,
                  const struct bound *b, enum al_rbac_kind kind, const char *ns)
{
    struct al_rbac_object *o = al_rbac_object_get(c, kind, ns, g->role, identity_of(c, x, g->role));
    if (!o->auth)
        describe_object(c, o, x);
    for (size_t i = 0; i < b->n; i++)
        al_rbac_subject_add(c, o, b->subjects[i].kind, b->subjects[i].name, NULL);
    if (b->warning)
        al_rbac_warn(c, o, "%s", b->warning);
}

/* RoleBindings in the rule's namespaces, else a ClusterRoleBinding when
 * asked, else one in the entry's default_namespace, else cluster-wide. */
static void place_all(struct al_rbac_ctx *c, const struct al_auth *x, const struct grant *g,
                      const struct bound *b)
{
    const struct al_rbac_rule *r = g->rule;
    if (r && r->namespaces) {
        for (size_t i = 0; i < r->n_namespaces; i++)
            place(c, x, g, b, AL_RBAC_ROLE_BINDING, r->namespaces[i]);
    } else if ((r && r->cluster_wide) || c->cluster_wide || !x->default_namespace) {
        place(c, x, g, b, AL_RBAC_CLUSTER_ROLE_BINDING, NULL);
    } else if (al_rbac_dns_label(x->default_namespace)) {
        place(c, x, g, b, AL_RBAC_ROLE_BINDING, x->default_namespace);
    } else {
        /* Cluster-wide instead would widen what the config asks for. */
        al_rbac_warn(c, NULL,
                     "%s has default_namespace \"%s\", which is not a Kubernetes namespace name: "
                     "nothing is bound for it (give the policy namespaces or cluster_wide for it)",
                     al_rbac_describe(c, x), x->default_namespace);
    }
}

static void grant_unit(struct al_rbac_ctx *c, const struct al_auth *x, const struct unit *u,
                       const struct grant *g)
{
    struct bound b;
    memset(&b, 0, sizeof b);
    switch (access_of(x)) {
    case AL_RBAC_ACCESS_CI_JOB:
        ci_job_subjects(c, x, u, g, &b);
        break;
    case AL_RBAC_ACCESS_USER:
        user_subjects(c, x, g, &b);
        break;
    default:
        static_subjects(c, x, &b);
    }
    if (b.n)
        place_all(c, x, g, &b);
    else if (b.warning)
        al_rbac_warn(c, NULL, "%s", b.warning);
    free(b.subjects);
}

static void bind_unit(struct al_rbac_ctx *c, const struct al_auth *x, const struct unit *u)
{
    const struct al_rbac_policy *p = c->o->policy;
    bool matched = false;
    for (size_t i = 0; p && i < p->n_rules; i++) {
        struct grant g = {NULL, i, NULL, NULL, -1, NULL};
        if (!rule_matches(c, &p->rules[i], x, u, &g))
            continue;
        matched = true;
        c->rule_hits[i]++;
        grant_unit(c, x, u, &g);
    }
    if (!matched) {
        struct grant g = {NULL, 0, c->role, NULL, -1, NULL};
        grant_unit(c, x, u, &g);
    }
}

static void bind_ci_job(struct al_rbac_ctx *c, const struct al_auth *x)
{
    if (!x->restricts_env) {
        struct unit u = {U_ENTRY, NULL};
        bind_unit(c, x, &u);
        return;
    }
    if (!x->n_env)
        al_rbac_warn(c, NULL,
                     "%s lists no usable environment, so GitLab refuses it to every job: nothing "
                     "to bind",
                     al_rbac_describe(c, x));
    for (size_t i = 0; i < x->n_env; i++) {
        struct unit u = {strchr(x->environments[i], '*') ? U_WILDCARD : U_ENV, x->environments[i]};
        bind_unit(c, x, &u);
    }
}

static void bind_auth(struct al_rbac_ctx *c, const struct al_auth *x)
{
    struct unit whole = {U_ENTRY, NULL};
    if (!x->effective)
        return; /* GitLab does not store it: nothing can use it */
    switch (x->access_as) {
    case AL_AS_CI_JOB:
        bind_ci_job(c, x);
        break;
    case AL_AS_IMPERSONATE:
        if (x->imp)
            bind_unit(c, x, &whole);
        break;
    case AL_AS_USER:
        if (x->scope == AL_SCOPE_PROJECT || x->scope == AL_SCOPE_GROUP)
            bind_unit(c, x, &whole);
        break;
    case AL_AS_CI_USER:
        al_rbac_warn(c, NULL,
                     "%s acts as ci_user, which the agent server does not implement: nothing to "
                     "bind",
                     al_rbac_describe(c, x));
        break;
    default:
        break; /* the agent's own service account: no impersonation */
    }
}

/* `name` -> its computed slug, when the object binds that slug and it is
 * not the name itself (then GitLab's older random suffixes may differ). */
static void slug_of_name(struct al_rbac_ctx *c, const struct al_rbac_object *o, const char *name,
                         struct al_buf *b)
{
    if (!name || strchr(name, '*'))
        return;
    const char *slug = slug_of(c, name);
    if (strcmp(slug, name) == 0)
        return;
    for (size_t i = 0; i < o->n_subjects; i++) {
        const char *s = o->subjects[i].name;
        const char *tail = strrchr(s, ':');
        if (al_str_startswith(s, "gitlab:project_env:") && tail && strcmp(tail + 1, slug) == 0 &&
            !strstr(al_buf_cstr(b), s)) {
            al_buf_printf(b, "%s\"%s\" as %s", b->len ? ", " : "", name, slug);
            return;
        }
    }
}

/* One sentence per binding for every slug computed from a name. */
static void slug_notes(struct al_rbac_ctx *c)
{
    const struct al_rbac_policy *p = c->o->policy;
    for (size_t i = 0; i < c->r->n_objects; i++) {
        struct al_rbac_object *o = c->r->objects[i];
        if (o->origin != AL_RBAC_FROM_ENTRY || o->auth->access_as != AL_AS_CI_JOB)
            continue;
        struct al_buf b = AL_BUF_INIT;
        for (size_t k = 0; k < o->auth->n_env; k++)
            slug_of_name(c, o, o->auth->environments[k], &b);
        for (size_t k = 0; p && k < p->n_rules; k++)
            slug_of_name(c, o, p->rules[k].environment, &b);
        if (b.len)
            al_rbac_warn(c, o,
                         "environments bound by the slug GitLab computes for a new environment: "
                         "%s; an environment created by older GitLab may carry a random suffix "
                         "instead (compare with its CI_ENVIRONMENT_SLUG, or bind by tier)",
                         al_buf_cstr(&b));
        al_buf_free(&b);
    }
}

void al_rbac_bind_entries(struct al_rbac_ctx *c)
{
    for (size_t i = 0; i < c->m->n_agents; i++) {
        const struct al_access_agent *ag = c->m->agents[i];
        if (ag->rejected)
            al_rbac_warn(c, NULL,
                         "GitLab would reject %s (agentlint check says why): it keeps the "
                         "previous configuration in force, and these bindings follow what the "
                         "file says",
                         ag->path);
        for (size_t k = 0; k < ag->n_auths; k++)
            bind_auth(c, &ag->auths[k]);
    }
    const struct al_rbac_policy *p = c->o->policy;
    for (size_t i = 0; p && i < p->n_rules; i++)
        if (!c->rule_hits[i])
            al_rbac_warn(c, NULL, "%s:%u: policy rules[%zu] matches nothing these agents bind",
                         p->path, p->rules[i].line, i);
    slug_notes(c);
}

/* ---- baselines ---- */

static void baseline(struct al_rbac_ctx *c, enum al_rbac_origin origin, const char *role,
                     const char *group, const char *source)
{
    const char *id = al_rbac_printf(c, "%s;%zu:%s", group, strlen(role), role);
    struct al_rbac_object *o = al_rbac_object_get(c, AL_RBAC_CLUSTER_ROLE_BINDING, NULL, role, id);
    const char **parts = al_arena_alloc(&c->r->arena, 2 * sizeof(char *));
    parts[0] = origin == AL_RBAC_FROM_BASELINE ? "ci-jobs" : "users";
    parts[1] = role;
    o->name_parts = parts;
    o->n_name_parts = 2;
    o->origin = origin;
    o->source = source;
    o->what = origin == AL_RBAC_FROM_BASELINE ? "baseline: every CI job (gitlab:ci_job)"
                                              : "baseline: every user of user_access (gitlab:user)";
    al_rbac_subject_add(c, o, AL_RBAC_GROUP, group, NULL);
}

void al_rbac_bind_baselines(struct al_rbac_ctx *c)
{
    const struct al_rbac_policy *p = c->o->policy;
    if (c->o->baseline || (p && p->baseline)) {
        const char *src = p && p->baseline ? al_rbac_printf(c, "%s:%u", p->path, p->baseline_line)
                                           : "--bind-all-jobs";
        baseline(c, AL_RBAC_FROM_BASELINE, p && p->baseline ? p->baseline : c->role,
                 "gitlab:ci_job", src);
    }
    if (p && p->user_baseline)
        baseline(c, AL_RBAC_FROM_USER_BASELINE, p->user_baseline, "gitlab:user",
                 al_rbac_printf(c, "%s:%u", p->path, p->user_baseline_line));
}
