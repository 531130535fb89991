/* The policy's meaning for one job, written from the policy's rules, not
 * from the objects bind.c made: where the two differ, rbac --verify says
 * so. Units as in bind.c: the whole entry, or (an entry with environments)
 * each pattern the job's environment matches. */
#include "views/rbac/intent.h"
#include "access/env.h"
#include "model/paths.h"

#include <stdlib.h>
#include <string.h>

struct unit {
    bool exact;      /* an exact environment name */
    const char *env; /* the pattern; NULL: the whole entry */
};

static void add(struct al_rbac_intent *it, const char *role, const char *ns, const char *why)
{
    for (size_t i = 0; i < it->n; i++)
        if (strcmp(it->items[i].role, role) == 0 &&
            ((!ns && !it->items[i].namespace) ||
             (ns && it->items[i].namespace && strcmp(ns, it->items[i].namespace) == 0)))
            return;
    it->items = al_grow(it->items, &it->cap, it->n + 1, sizeof(*it->items));
    it->items[it->n++] = (struct al_rbac_grant_intent){role, ns, why};
}

static const char *default_role(const struct al_rbac_opts *o)
{
    const struct al_rbac_policy *p = o->policy;
    return o->role ? o->role : p && p->role ? p->role : "view";
}

static enum al_rbac_access access_of(const struct al_auth *a)
{
    return a->access_as == AL_AS_CI_JOB        ? AL_RBAC_ACCESS_CI_JOB
           : a->access_as == AL_AS_IMPERSONATE ? AL_RBAC_ACCESS_IMPERSONATE
                                               : AL_RBAC_ACCESS_ANY;
}

static bool selects(const struct al_rbac_rule *r, const struct al_auth *a)
{
    if (r->agent && (!a->agent->name || strcmp(r->agent, a->agent->name) != 0))
        return false;
    if (r->access != AL_RBAC_ACCESS_ANY && r->access != access_of(a))
        return false;
    if (r->project && !(a->scope == AL_SCOPE_PROJECT && al_path_eq(a->id, r->project)))
        return false;
    return !r->group || (a->scope == AL_SCOPE_GROUP && al_path_eq(a->id, r->group));
}

/* Whether rule r covers unit u at all (bind.c's rule_matches). */
static bool covers_unit(const struct al_rbac_opts *o, const struct al_rbac_rule *r,
                        const struct unit *u)
{
    if (r->environment && u->env) {
        if (u->exact && strcmp(u->env, r->environment) != 0)
            return false;
        if (!u->exact && al_env_match(o->matching, u->env, r->environment) != AL_ENV_YES)
            return false;
    }
    return !(r->tier >= 0 && u->exact && (int)al_env_tier_guess(u->env) != r->tier);
}

/* Whether what rule r binds for the unit reaches this job: its narrowing
 * to one environment name or one tier holds for the job. */
static bool reaches(const struct al_rbac_rule *r, const struct al_job *job, int tier)
{
    if (r->environment && (!job->environment || strcmp(job->environment, r->environment) != 0))
        return false;
    return r->tier < 0 || r->tier == tier;
}

static void place(const struct al_rbac_opts *o, const struct al_auth *a,
                  const struct al_rbac_rule *r, const char *role, const char *why,
                  struct al_rbac_intent *it)
{
    const struct al_rbac_policy *p = o->policy;
    bool cluster_wide = o->cluster_wide || (p && p->cluster_wide);
    if (r && r->namespaces) {
        for (size_t i = 0; i < r->n_namespaces; i++)
            add(it, role, r->namespaces[i], why);
    } else if ((r && r->cluster_wide) || cluster_wide || !a->default_namespace) {
        add(it, role, NULL, why);
    } else if (al_rbac_dns_label(a->default_namespace)) {
        add(it, role, a->default_namespace, why);
    } /* else: nothing can be placed, and nothing is meant */
}

static void unit_intent(const struct al_rbac_opts *o, const struct al_auth *a, const struct unit *u,
                        const struct al_job *job, int tier, struct al_rbac_intent *it)
{
    const struct al_rbac_policy *p = o->policy;
    bool matched = false;
    for (size_t i = 0; p && i < p->n_rules; i++) {
        const struct al_rbac_rule *r = &p->rules[i];
        if (!selects(r, a) || !covers_unit(o, r, u))
            continue;
        matched = true;
        if (reaches(r, job, tier))
            place(o, a, r, r->role ? r->role : default_role(o), "a policy rule", it);
    }
    if (!matched)
        place(o, a, NULL, default_role(o), "the default role", it);
}

void al_rbac_intent_of(const struct al_rbac_opts *o, const struct al_decision *x,
                       const struct al_job *job, int tier, struct al_rbac_intent *out)
{
    const struct al_auth *a = x->auth;
    const struct al_rbac_policy *p = o->policy;
    memset(out, 0, sizeof(*out));
    if (!x->allowed || (a->access_as != AL_AS_CI_JOB && a->access_as != AL_AS_IMPERSONATE))
        return;
    if (a->access_as == AL_AS_CI_JOB && (o->baseline || (p && p->baseline)))
        add(out, p && p->baseline ? p->baseline : default_role(o), NULL, "the baseline");
    if (a->access_as == AL_AS_IMPERSONATE || !a->restricts_env) {
        struct unit whole = {false, NULL};
        unit_intent(o, a, &whole, job, tier, out);
        return;
    }
    for (size_t i = 0; i < a->n_env; i++) {
        const char *pat = a->environments[i];
        struct unit u = {strchr(pat, '*') == NULL, pat};
        bool hit = u.exact ? job->environment && strcmp(pat, job->environment) == 0
                           : job->environment &&
                                 al_env_match(o->matching, pat, job->environment) == AL_ENV_YES;
        if (hit)
            unit_intent(o, a, &u, job, tier, out);
    }
}

void al_rbac_intent_free(struct al_rbac_intent *it)
{
    free(it->items);
    memset(it, 0, sizeof(*it));
}
