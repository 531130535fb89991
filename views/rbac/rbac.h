/* Kubernetes RBAC for the identities GitLab impersonates, computed from the
 * access model (access/model.h) as data: ClusterRoleBindings, RoleBindings
 * and the impersonator's ClusterRoles, each one a `kubectl create` command
 * could have made, with where it came from and what it cannot express.
 * cli/render_rbac_yaml.c writes them; nothing here formats YAML.
 *
 * What is bound (gitlab-semantics.md §6):
 *   ci_job       the groups GitLab sends for the entry's jobs:
 *                gitlab:project:<id> / gitlab:group:<id>, narrowed to
 *                gitlab:project_env:<id>:<slug> for exact environment names,
 *                or to the *_env_tier groups when the policy binds by tier;
 *   impersonate  the static user and groups as written;
 *   user         gitlab:project_role:<id>:<role> / gitlab:group_role:<id>:<role>
 *                (user_access with access_as user);
 *   baselines    gitlab:ci_job (every CI job) and gitlab:user, on request.
 *
 * Kubernetes adds up every binding a request matches, while GitLab picks one
 * entry per agent: the build runs GitLab's own decision (access/decide.h)
 * for representative jobs of the cluster's agents and warns, naming the
 * projects, wherever a binding grants more than that decision.
 *
 * The result borrows from the access model (agents, authorizations): free
 * it before the model. */
#ifndef AL_RBAC_H
#define AL_RBAC_H

#include <stdbool.h>
#include <stddef.h>

#include "access/decide.h"
#include "access/model.h"
#include "common/alloc.h"

/* ---- the policy file (rbacgen/policy.c) ---- */

enum al_rbac_access {
    AL_RBAC_ACCESS_ANY,
    AL_RBAC_ACCESS_CI_JOB,
    AL_RBAC_ACCESS_IMPERSONATE,
    AL_RBAC_ACCESS_USER,
};

/* One rule: selectors (NULL / -1 / ANY: any) and what to bind. */
struct al_rbac_rule {
    const char *agent;
    enum al_rbac_access access;
    const char *project, *group;   /* the entry's id, compared as GitLab compares ids */
    const char *environment;       /* an exact environment name */
    int tier;                      /* enum al_env_tier: bind by tier; -1: none */
    const char *gitlab_role;       /* user_access: gitlab:*_role:<id>:<this> */
    const char *role;              /* the ClusterRole; NULL: the default role */
    const char *const *namespaces; /* RoleBindings there; NULL: the default placement */
    size_t n_namespaces;
    bool cluster_wide; /* a ClusterRoleBinding whatever the entry's default_namespace */
    unsigned line;
};

struct al_rbac_policy {
    const char *path;          /* as given, for messages and annotations */
    const char *role;          /* default ClusterRole, or NULL */
    bool cluster_wide;         /* ignore default_namespace */
    const char *baseline;      /* ClusterRole for gitlab:ci_job, or NULL */
    const char *user_baseline; /* ClusterRole for gitlab:user, or NULL */
    unsigned baseline_line, user_baseline_line;
    struct al_rbac_rule *rules;
    size_t n_rules;
    struct al_arena arena;
};

/* Parse and validate a policy. `origin` names it in messages. Returns < 0
 * with one sentence (origin:line:col: what is wrong) in al_error_last(). */
int al_rbac_policy_load(const char *text, size_t len, const char *origin,
                        struct al_rbac_policy **out);
int al_rbac_policy_load_file(const char *path, struct al_rbac_policy **out);
void al_rbac_policy_free(struct al_rbac_policy *p);

/* ---- names (rbacgen/names.c) ---- */

/* RFC 1123 label (namespaces): [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63. */
bool al_rbac_dns_label(const char *s);
/* RFC 1123 subdomain (object names): labels joined by '.', at most 253. */
bool al_rbac_dns_subdomain(const char *s);
/* A name RBAC accepts for a role (a path segment: not "." or "..", no '/'
 * or '%'), printable, at most 253 characters. */
bool al_rbac_role_name_ok(const char *s);
/* "agentlint-<part>-<part>-...-<hash>": each part lower-cased with every
 * run of other characters turned into one '-', cut to fit, then the first
 * `hash_len` hex digits (at most 20) of SHA-256 over `identity`. Always a
 * DNS label (at most 63 characters), hence a DNS subdomain. Caller frees. */
char *al_rbac_name(const char *const *parts, size_t n_parts, const char *identity, size_t hash_len);

/* ---- the objects ---- */

enum al_rbac_kind { AL_RBAC_CLUSTER_ROLE_BINDING, AL_RBAC_ROLE_BINDING, AL_RBAC_CLUSTER_ROLE };
enum al_rbac_subject_kind { AL_RBAC_USER, AL_RBAC_GROUP, AL_RBAC_SERVICE_ACCOUNT };

const char *al_rbac_kind_name(enum al_rbac_kind k); /* "ClusterRoleBinding", ... */

struct al_rbac_subject {
    enum al_rbac_subject_kind kind;
    const char *name;
    const char *namespace; /* service accounts */
};

/* A rule of an impersonator ClusterRole: verb impersonate on these
 * resources of one API group, limited to `names` unless there are none. */
struct al_rbac_rule_k8s {
    const char *api_group;
    const char **resources;
    size_t n_resources;
    const char **names;
    size_t n_names;
};

enum al_rbac_origin {
    AL_RBAC_FROM_ENTRY,         /* an authorization of an agent */
    AL_RBAC_FROM_BASELINE,      /* gitlab:ci_job */
    AL_RBAC_FROM_USER_BASELINE, /* gitlab:user */
    AL_RBAC_FROM_IMPERSONATOR,  /* the agent's service account */
};

struct al_rbac_object {
    enum al_rbac_kind kind;
    const char *name;
    const char *namespace;                    /* RoleBinding only */
    const char *role;                         /* roleRef: a ClusterRole (bindings) */
    const struct al_rbac_object *role_object; /* or the ClusterRole made here (its name) */
    struct al_rbac_subject *subjects;
    size_t n_subjects, cap_subjects;
    struct al_rbac_rule_k8s *rules; /* ClusterRole only, sorted by API group as kubectl does */
    size_t n_rules;
    enum al_rbac_origin origin;
    const struct al_auth *auth; /* AL_RBAC_FROM_ENTRY */
    const char *source;         /* "path:line" (annotation agentlint/source) */
    const char *what;           /* "ci_access.projects[0] acme/web, agent deploy, ci_job" */
    const char *environments;   /* the entry's environments, or NULL */
    const char **warnings;      /* sentences, also on standard error */
    size_t n_warnings, cap_warnings;
    const char **notes; /* sentences for the annotation only */
    size_t n_notes, cap_notes;
    const char *over_grant; /* the jobs it reaches beyond GitLab's decision, or NULL */
    bool kubectl;           /* `kubectl create` can make it (not: the uids role) */
    const char *identity;   /* what the name is hashed from */
    const char *const *name_parts;
    size_t n_name_parts;
};

struct al_rbac_opts {
    const struct al_rbac_policy *policy; /* or NULL */
    const char *role;                    /* --role, or NULL */
    bool cluster_wide;                   /* --cluster-wide */
    bool baseline;                       /* --bind-all-jobs */
    bool impersonator;                   /* --impersonator */
    const char *sa_namespace, *sa_name;  /* --agent-sa, with --impersonator */
    enum al_env_matching matching;       /* how environments patterns match */
};

/* A warning for standard error: about one object (named when printed), or
 * about the whole (object NULL). */
struct al_rbac_warning {
    const char *text;
    const struct al_rbac_object *object;
};

struct al_rbac {
    struct al_rbac_object **objects; /* stream order */
    size_t n_objects, cap_objects;
    struct al_rbac_warning *warnings; /* every warning, in order */
    size_t n_warnings, cap_warnings;
    const char **notes; /* what the reader should know, not a problem */
    size_t n_notes, cap_notes;
    /* Ids a binding needs and --ids does not give: the caller must emit
     * nothing (exit 2), never a placeholder. */
    struct al_missing_id *missing;
    size_t n_missing, cap_missing;
    struct al_arena arena;
};

/* Whether an object binds that subject. */
bool al_rbac_object_has(const struct al_rbac_object *obj, enum al_rbac_subject_kind kind,
                        const char *name);

/* Compute the bindings for the agents of `m` (the agents of one cluster). */
int al_rbac_build(const struct al_access *m, const struct al_rbac_opts *o, struct al_rbac *out);
void al_rbac_free(struct al_rbac *r);

#endif
