/* who-can: which CI jobs the agent configs let do one Kubernetes request
 * (like kubectl-who-can, over GitLab's identities). Every job the agents
 * can serve is stood for by a representative job (rbacgen/jobs.h: per
 * project an entry or --ids names, the other projects of each group entry;
 * no environment, each listed name, a name per wildcard, an unlisted one;
 * unprotected and protected refs when an entry is protected-only; every
 * deployment tier when a binding names a tier group). For each, GitLab's
 * decision (access/decide.h) gives the entry and identity per agent, the
 * join (perm/perm.h) gives the user the cluster sees, and the RBAC
 * authorizer (kube/kube.h) answers, with the binding and rule that allow.
 *
 * An identity that cannot be told (access_as agent without --agent-sa) is
 * listed as unknown, never left out; ids --ids does not give are listed,
 * since the bindings that name them cannot be matched.
 *
 * Cost: the representative jobs times the agents that can serve each,
 * times each user's bindings (the engine indexes bindings by subject). */
#ifndef AL_VIEWS_WHOCAN_H
#define AL_VIEWS_WHOCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "access/decide.h"
#include "access/model.h"
#include "kube/kube.h"
#include "perm/perm.h"
#include "views/rbac/jobs.h"

struct al_who_opts {
    const struct al_perm_opts *perm; /* --agent-sa */
    enum al_env_matching matching;
};

/* One environment a row's answer holds for. */
struct al_who_env {
    enum al_rbac_env_kind kind;
    const char *name; /* NULL: no environment */
    unsigned tiers;   /* bit per enum al_env_tier; AL_WHO_ALL_TIERS when it does not depend */
};

enum { AL_WHO_ALL_TIERS = 0x1f };

/* Jobs of one project (or stand-in) using one agent through one entry,
 * allowed by one grant (or of unknown identity), in one place. */
struct al_who_row {
    const char *project; /* "acme/web", "other projects of acme", "projects no entry names" */
    bool synthetic;      /* stands for projects no entry or --ids names */
    const struct al_access_agent *agent;
    const struct al_auth *auth;      /* the entry GitLab picks for them */
    bool unprotected, protected_ref; /* the refs the answer holds for */
    struct al_who_env *envs;
    size_t n_envs, cap_envs;
    bool known; /* false: the identity cannot be told (why says what to pass) */
    const char *why;
    struct al_kube_user user; /* when known */
    struct al_kube_grant by;  /* when known: the grant that allows */
    const char
        *namespace; /* where: the request's, the grant's RoleBinding's, or NULL (every namespace) */
};

struct al_who {
    struct al_kube_request request;
    struct al_who_row *rows; /* by project, then agent, in first-found order */
    size_t n_rows, cap_rows;
    struct al_missing_id *missing; /* ids the identities need and --ids lacks */
    size_t n_missing, cap_missing;
    size_t n_jobs; /* representative jobs asked */
    bool tiers;    /* tiers were varied (a binding names a tier group) */
    bool any_protected_only;
    struct al_arena arena;
};

/* Answer `r` for every job of `m`'s agents. `r->namespace` NULL or "":
 * anywhere (ClusterRoleBindings, then each namespace of the user's
 * RoleBindings, each a row). `k` must be finished. */
int al_who_can(struct al_kube *k, const struct al_access *m, const struct al_kube_request *r,
               const struct al_who_opts *o, struct al_who *out);
void al_who_free(struct al_who *w);

#endif
