/* rbac --verify: whether the bindings `rbac` writes grant each job exactly
 * what the policy asks (rbacgen/intent.h), no more and no less, both
 * evaluated by the RBAC engine: the written objects are loaded from their
 * own YAML into one set; the intended grants become bindings of a group
 * only that job's stand-in user carries, in a second set with the same
 * roles and the same other bindings; each representative job's user then
 * gets a table (perm/table.h) in both, over the same axes, and every cell
 * that differs is reported, wider or narrower.
 *
 * Jobs that act as the agent's own service account get no binding from
 * rbac and are not verified; user_access identities are not jobs. */
#ifndef AL_RBAC_VERIFY_H
#define AL_RBAC_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "access/model.h"
#include "kube/kube.h"
#include "perm/table.h"
#include "views/rbac/intent.h"
#include "views/rbac/jobs.h"

/* One cell where the written bindings and the policy part. */
struct al_rbac_verify_cell {
    const char *place; /* namespace, NULL: every namespace */
    const char *row;   /* "secrets", "deployments.apps/scale", "/healthz" */
    const char *verb;
    enum al_perm_change change; /* AL_PERM_WIDER: the bindings grant more */
    struct al_kube_grant by;    /* wider: the written grant; else the intended one */
};

struct al_rbac_verify_job {
    const char *project;     /* as shown ("other projects of acme") */
    const char *environment; /* NULL: none */
    enum al_rbac_env_kind env_kind;
    int tier; /* -1: guessed from the name */
    bool protected_ref;
    bool any_ref; /* the same on protected and unprotected refs (then shown once) */
    const struct al_access_agent *agent;
    const struct al_auth *auth;
    struct al_kube_user user;
    struct al_rbac_grant_intent *intent; /* what the policy asks */
    size_t n_intent;
    struct al_rbac_verify_cell *cells; /* the first AL_RBAC_VERIFY_SHOWN differences */
    size_t n_cells, cap_cells;
    size_t n_wider, n_narrower; /* all of them */
};

enum { AL_RBAC_VERIFY_SHOWN = 1000 }; /* cells kept per job; all are counted */

struct al_rbac_verify {
    struct al_rbac_verify_job *jobs; /* those that differ */
    size_t n_jobs, cap_jobs;
    size_t n_checked; /* job identities compared */
    size_t n_differ;  /* of them, those that differ (jobs lists them, merging refs) */
    size_t n_skipped; /* acting as the agent's service account: nothing to verify */
    struct al_arena arena;
};

/* `written`: finished, with the roles, the other bindings and rbac's
 * objects. `intended`: not finished, with the same roles and other
 * bindings; the intended bindings are added and it is finished here. */
int al_rbac_verify(struct al_kube *written, struct al_kube *intended, const struct al_access *m,
                   const struct al_rbac_opts *ro, struct al_rbac_verify *out);
void al_rbac_verify_free(struct al_rbac_verify *v);

#endif
