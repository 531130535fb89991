/* What the policy asks for one job: the ClusterRoles, and where, that the
 * policy file (or --role, --cluster-wide, --bind-all-jobs) means the job
 * to hold through the entry GitLab picks for it, read from the policy's
 * own words (rbacgen/policy.c: every rule that matches a part of the entry
 * binds, else the default role; rules narrow to an environment or a tier;
 * namespaces, cluster_wide, or the entry's default_namespace place it).
 * rbac --verify compares it with what the written bindings grant. */
#ifndef AL_RBAC_INTENT_H
#define AL_RBAC_INTENT_H

#include <stddef.h>

#include "access/decide.h"
#include "views/rbac/rbac.h"

struct al_rbac_grant_intent {
    const char *role;      /* a ClusterRole */
    const char *namespace; /* a RoleBinding's namespace; NULL: cluster-wide */
    const char *why;       /* "policy rules[2]", "the default role", "baseline" */
};

struct al_rbac_intent {
    struct al_rbac_grant_intent *items;
    size_t n, cap;
};

/* The grants the policy means decision `x` (allowed; ci_job or
 * impersonate) of `job` to hold. `tier` is the job environment's tier
 * (enum al_env_tier), -1 without an environment. Strings live in the
 * policy, the options or the model. */
void al_rbac_intent_of(const struct al_rbac_opts *o, const struct al_decision *x,
                       const struct al_job *job, int tier, struct al_rbac_intent *out);
void al_rbac_intent_free(struct al_rbac_intent *it);

#endif
