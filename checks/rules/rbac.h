/* The rules on the RBAC side (`check --rbac`): what the cluster's bindings
 * do with the identities GitLab sends, read together with the agent
 * configs. Each rule is an ordinary row of the rule table
 * (validator/rules.c: id, severity, help); this module finds them.
 *
 * The subjects are read as GitLab writes its identities
 * (gitlab-semantics.md §6): al_permrules_subject tells which identity a
 * subject name is, and whether a config can produce it at all. The grants
 * are the engine's (kube/kube.h): a rule reaches a job the way the RBAC
 * authorizer would let it. */
#ifndef AL_PERMRULES_H
#define AL_PERMRULES_H

#include <stdbool.h>
#include <stddef.h>

#include "model/ids.h"
#include "access/model.h"
#include "kube/kube.h"
#include "perm/perm.h"
#include "checks/finding.h"

/* A subject name, as GitLab's identities spell it. */
enum al_gl_ident {
    AL_GL_NONE,             /* not a gitlab: name */
    AL_GL_CI_JOB,           /* group gitlab:ci_job: every impersonated CI job */
    AL_GL_CI_JOB_USER,      /* user gitlab:ci_job:<job id>: one job */
    AL_GL_GROUP,            /* gitlab:group:<id> */
    AL_GL_GROUP_ENV_TIER,   /* gitlab:group_env_tier:<id>:<tier> */
    AL_GL_PROJECT,          /* gitlab:project:<id> */
    AL_GL_PROJECT_ENV,      /* gitlab:project_env:<id>:<slug> */
    AL_GL_PROJECT_ENV_TIER, /* gitlab:project_env_tier:<id>:<tier> */
    AL_GL_USER,             /* group gitlab:user: every user of user_access */
    AL_GL_USER_USER,        /* user gitlab:user:<username> */
    AL_GL_PROJECT_ROLE,     /* gitlab:project_role:<id>:<role> */
    AL_GL_GROUP_ROLE,       /* gitlab:group_role:<id>:<role> */
    AL_GL_INVALID,          /* a gitlab: name GitLab never sends */
};

struct al_gl_subject {
    enum al_gl_ident ident;
    long long id; /* the project or group id, or -1 */
    bool ci;      /* sent for CI jobs (ci_access, access_as ci_job) */
    bool user;    /* sent for users (user_access, access_as user) */
    bool wide;    /* names every job or user of a whole group, tier or GitLab */
    /* Why GitLab never sends this subject, or NULL: a gitlab: name of no
     * known form, a wrong kind (User gitlab:ci_job), a non-numeric id, a
     * tier that does not exist, a placeholder id of the documentation. */
    const char *problem;
};

/* Read one subject (kind and name). */
void al_permrules_subject(enum al_kube_subject_kind kind, const char *name,
                          struct al_gl_subject *out);

struct al_permrules_in {
    struct al_kube *kube;                /* finished */
    const struct al_access *model;       /* the agents' configs (may have no agents) */
    const struct al_ids *ids;            /* --ids, or NULL */
    const struct al_perm_opts *agent_sa; /* --agent-sa, or NULL */
};

/* The engine's diagnostics on the input (an object it cannot read, a
 * binding to a role that does not exist) as rbac-input findings; notes
 * (objects of other kinds) are left out. */
void al_permrules_input(const struct al_kube *k, struct al_findings *out);

/* Add the findings of every RBAC rule to `out`. */
void al_permrules_run(const struct al_permrules_in *in, struct al_findings *out);

#endif
