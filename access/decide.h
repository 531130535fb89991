/* One CI job's answer, for every agent of a model (gitlab-semantics.md
 * §5, §6, §8): which authorization GitLab's Finder picks (licence gate
 * first, then explicit project entry > implicit > nearest group > farther
 * groups > instance), whether FilterService then keeps it (environments,
 * protected refs, no fallback), the identity the cluster sees and the
 * kubeconfig context the job gets. */
#ifndef AL_DECIDE_H
#define AL_DECIDE_H

#include <stdbool.h>
#include <stddef.h>

#include "access/env.h"
#include "model/ids.h"
#include "access/model.h"

enum al_license { AL_LICENSE_FREE, AL_LICENSE_PREMIUM, AL_LICENSE_ULTIMATE };

const char *al_license_name(enum al_license l); /* "free", "premium", "ultimate" */
int al_license_parse(const char *name);         /* -1 when unknown */

struct al_job {
    const char *project;     /* full path of the job's project */
    const char *environment; /* expanded environment name; NULL: the job has none */
    bool protected_ref;      /* the pipeline runs for a protected branch or tag */
    const char *tier;        /* NULL: GitLab's guess from the name */
    const char *slug;        /* NULL: GitLab's algorithm */
    enum al_license license; /* of the job's project */
    enum al_env_matching matching;
};

/* ---- the two steps, for views and the vectors ---- */

/* Finder: the authorization of `agent` that GitLab picks for a job in
 * `project` before the filters, or NULL. */
const struct al_auth *al_access_find(const struct al_access *m, const struct al_access_agent *a,
                                     const char *project, enum al_license license);

enum al_verdict {
    AL_KEEP,
    AL_DENY_ENVIRONMENT,    /* no pattern matches the job's environment */
    AL_DENY_NO_ENVIRONMENT, /* the entry lists environments, the job has none */
    AL_DENY_PROTECTED,      /* protected_branches_only on an unprotected ref */
    AL_DENY_REGEX_ERROR,    /* legacy: a pattern raises before one matches */
    AL_DENY_NO_PARAMS,      /* FilterService called without protected_ref */
};

/* FilterService's parameters. A job always has both keys; GitLab's own
 * tests also call it without them (vectors/filter.yaml). */
struct al_filter_params {
    bool has_environment; /* false: the environment filter is skipped */
    const char *environment;
    bool has_protected_ref; /* false: everything is denied */
    bool protected_ref;
    enum al_env_matching matching;
    /* GitLab 17.3-17.9 enforce protected_branches_only only behind the
     * feature flag kubernetes_agent_protected_branches (off by default);
     * true: the flag is off and the protected-ref filter does not run. */
    bool protected_flag_off;
};

/* Whether GitLab `version` (al_version_parse form, 0 newest) has the
 * protected-branches filter behind its default-off feature flag. */
bool al_access_protected_flag_era(int version);

/* FilterService for one authorization. `*pattern` (optional) receives the
 * index of the pattern that matched or raised. */
enum al_verdict al_access_filter(const struct al_auth *a, const struct al_filter_params *p,
                                 size_t *pattern);

/* ---- identities ---- */

struct al_extra_kv {
    const char *key;
    const char *const *vals;
    size_t n_vals;
};

struct al_identity {
    enum al_access_as as; /* AL_AS_AGENT: agentk's own service account, nothing else */
    const char *username; /* NULL for agent */
    const char **groups;
    size_t n_groups;
    const char *uid;
    struct al_extra_kv *extra;
    size_t n_extra;
};

/* A number the identity needs and --ids did not give. */
struct al_missing_id {
    enum al_ids_kind kind;
    const char *path; /* agents: CONFIG_PROJECT:NAME */
};

/* ---- decisions ---- */

enum al_reason {
    AL_REASON_ALLOWED,
    AL_REASON_NO_ENTRY,       /* no authorization of the agent covers the project */
    AL_REASON_ENVIRONMENT,    /* the winner's environments do not match */
    AL_REASON_NO_ENVIRONMENT, /* the winner lists environments, the job has none */
    AL_REASON_PROTECTED,      /* the winner is protected-only, the ref is not protected */
    AL_REASON_REGEX_ERROR,    /* legacy matching raises on a pattern */
    AL_REASON_REQUEST_FAILED, /* another agent's pattern raised: the job gets no agent */
};

const char *al_reason_name(enum al_reason r); /* "allowed", "no-entry", ... */

struct al_decision {
    const struct al_access_agent *agent;
    const struct al_auth *auth; /* the entry GitLab picks (also when a filter then denies) */
    bool allowed;
    enum al_reason reason;
    const char *why; /* the reason as a sentence */
    /* Free licence: what Premium would pick, when that differs (else NULL),
     * and whether the licence changed the outcome. */
    const struct al_auth *premium_auth;
    bool license_changed;
    const char *license_note;
    /* The other environment matching (legacy vs anchored), when it answers
     * differently for this job. */
    bool other_matching_differs;
    bool other_matching_allowed;
    const char *other_matching_note;
    const char *context;         /* kubeconfig context, when allowed and known */
    const char *namespace;       /* the context's namespace (default_namespace), or NULL */
    struct al_identity identity; /* when allowed */
};

struct al_decisions {
    struct al_job job; /* as asked, with tier and slug resolved */
    bool tier_guessed, slug_computed;
    const char *const *ancestors; /* the job project's groups, nearest first */
    size_t n_ancestors;
    bool personal;             /* the job's project is in a personal namespace (--ids) */
    struct al_decision *items; /* one per agent, in model order */
    size_t n;
    struct al_missing_id *missing; /* ids the identities need, in first-use order */
    size_t n_missing, cap_missing;
    struct al_arena arena;
};

/* Decide for every agent. Ids come from the model's options (--ids). */
int al_access_decide(const struct al_access *m, const struct al_job *job, struct al_decisions *out);
/* The same for the agents at these indices of the model only (in that
 * order): for callers that ask about many jobs and know which agents have
 * an entry that can serve each (rbacgen/cover.c); the others would only
 * say "no entry". */
int al_access_decide_some(const struct al_access *m, const struct al_job *job, const size_t *agents,
                          size_t n, struct al_decisions *out);
void al_decisions_free(struct al_decisions *d);

/* The identity the cluster sees for a ci_job/impersonate/agent authorization
 * used by a job (the agent's and job's numbers from --ids, placeholders in
 * angle brackets otherwise, each recorded in `d`'s missing list). Exposed
 * for rbac. */
void al_access_identity(const struct al_access *m, const struct al_auth *a, struct al_decisions *d,
                        struct al_identity *out);

#endif
