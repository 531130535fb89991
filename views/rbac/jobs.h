/* Representative jobs and the entries that can serve a project, for the
 * views that ask GitLab's decision (access/decide.h) about every job the
 * agents can serve: rbac's over-grant analysis and impersonator, who-can,
 * rbac --verify. Built from the access model alone. */
#ifndef AL_RBAC_JOBS_H
#define AL_RBAC_JOBS_H

#include <stdbool.h>
#include <stddef.h>

#include "access/decide.h"
#include "access/model.h"
#include "common/alloc.h"
#include "views/rbac/strset.h"

/* ---- representative jobs (rbacgen/jobs.c) ---- */

enum al_rbac_env_kind {
    AL_RBAC_ENV_NONE,     /* a job without an environment */
    AL_RBAC_ENV_LISTED,   /* an exact name some entry lists */
    AL_RBAC_ENV_WILDCARD, /* a name made to match a wildcard pattern */
    AL_RBAC_ENV_UNLISTED, /* a name no entry lists */
};

struct al_rbac_job {
    const char *project; /* full path; "GROUP/ *" (no space) for the synthetic one */
    bool synthetic;      /* stands for the projects of GROUP no entry or --ids names */
    const char *group;   /* synthetic: GROUP */
    const char *env;
    enum al_rbac_env_kind env_kind;
};

/* ---- which entries can serve a project (rbacgen/cover.c) ---- */

struct al_rbac_hit {
    size_t agent; /* index in the model */
    const struct al_auth *auth;
};

struct al_rbac_hits {
    struct al_rbac_hit *items;
    size_t n, cap;
};

struct al_rbac_cover {
    struct al_rbac_strset keys; /* "P:" project or implicit key, "G:" group key */
    struct al_rbac_hits *lists; /* per key */
    size_t cap_lists;
    struct al_rbac_hits anywhere; /* instance entries */
    struct al_arena arena;
};

/* Index the effective ci_access entries of the model by key. */
void al_rbac_cover_build(const struct al_access *m, struct al_rbac_cover *out);
/* Into `out` (reused, emptied first): the entries that may serve jobs of
 * `project` (its own key, its groups', the instance's), in model order; a
 * superset of those al_access_find may pick. Returns their number. */
size_t al_rbac_cover_find(const struct al_rbac_cover *c, const char *project,
                          struct al_rbac_hits *out);
/* The agents of `hits`, each once, in model order, into *agents (grown). */
size_t al_rbac_cover_agents(const struct al_rbac_hits *hits, size_t **agents, size_t *cap);
/* al_access_decide for the agents with an entry that may serve the job's
 * project: the same decisions, less those that would say "no entry". */
void al_rbac_decide(const struct al_rbac_cover *c, const struct al_access *m,
                    const struct al_job *job, struct al_decisions *out);
void al_rbac_cover_free(struct al_rbac_cover *c);

struct al_rbac_jobs {
    struct al_rbac_job *items;
    size_t n, cap;
    bool any_protected_only; /* some entry has protected_branches_only */
    struct al_arena arena;
    struct al_rbac_cover cover; /* the model's entries by key */
};

/* Jobs that stand for every job the cluster's agents can serve: per
 * project an entry or --ids names (and per group entry, its other
 * projects), no environment, each listed name, one name per wildcard and
 * one unlisted name. Sorted by project, then environment. */
void al_rbac_jobs_build(const struct al_access *m, struct al_rbac_jobs *out);
void al_rbac_jobs_free(struct al_rbac_jobs *j);
#endif
