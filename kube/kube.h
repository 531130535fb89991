/* Kubernetes RBAC, offline: Role, ClusterRole, RoleBinding and
 * ClusterRoleBinding objects read from YAML or JSON text (many documents,
 * `kind: List`), Kubernetes' default ClusterRoles as data for a chosen
 * version, ClusterRole aggregation by label selectors, and the RBAC
 * authorizer's decision for a user and a request, with the binding and the
 * rule that decide it.
 *
 * The semantics are Kubernetes' own (read from kubernetes/kubernetes):
 * plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows),
 * pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches,
 * ResourceMatches with `*` and `* /subresource`, ResourceNameMatches,
 * NonResourceURLMatches with a trailing `*`),
 * pkg/registry/rbac/validation/rule.go (VisitRulesFor, appliesTo,
 * GetRoleReferenceRules) and pkg/controller/clusterroleaggregation.
 * They are tested as data: testdata/kube/.
 *
 * Life of a set:
 *     struct al_kube *k = al_kube_new();
 *     al_kube_add_defaults(k, NULL);             // optional: built-in roles
 *     al_kube_add_text(k, "rbac.yaml", data, n); // any number of files
 *     al_kube_finish(k);                         // aggregation, roleRefs, index
 *     al_kube_authorize(k, &user, &request, &answer);
 *     al_kube_free(k);
 * Queries cost the user's bindings (bindings are indexed by subject), not
 * all bindings. */
#ifndef AL_KUBE_H
#define AL_KUBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/alloc.h"

/* Where an object, subject or rule was written. `file` is the name given to
 * al_kube_add_text, or "<kube X.Y defaults>" for the built-in roles. */
struct al_kube_src {
    const char *file;
    uint32_t line, col; /* 1-based; 0 when unknown */
};

/* A PolicyRule. Empty lists are n == 0 (Kubernetes: nil and [] are the same). */
struct al_kube_rule {
    const char *const *verbs;
    size_t n_verbs;
    const char *const *api_groups;
    size_t n_api_groups;
    const char *const *resources;
    size_t n_resources;
    const char *const *resource_names;
    size_t n_resource_names;
    const char *const *non_resource_urls;
    size_t n_non_resource_urls;
    struct al_kube_src src;
};

struct al_kube_label {
    const char *key, *value;
};

enum al_kube_selop {
    AL_KUBE_SEL_IN,
    AL_KUBE_SEL_NOT_IN,
    AL_KUBE_SEL_EXISTS,
    AL_KUBE_SEL_DOES_NOT_EXIST,
};

struct al_kube_selexpr {
    const char *key;
    enum al_kube_selop op;
    const char *const *values;
    size_t n_values;
};

/* One entry of aggregationRule.clusterRoleSelectors (a LabelSelector): every
 * matchLabels pair and every expression must hold; an empty selector matches
 * every ClusterRole, as in Kubernetes. */
struct al_kube_selector {
    const struct al_kube_label *match_labels;
    size_t n_match_labels;
    const struct al_kube_selexpr *exprs;
    size_t n_exprs;
    bool invalid; /* e.g. In with no values: the controller skips the role */
};

/* A Role (namespace set) or a ClusterRole (namespace NULL). */
struct al_kube_role {
    bool cluster;
    const char *name;
    const char *namespace;
    const struct al_kube_label *labels;
    size_t n_labels;
    /* The rules the authorizer uses: the object's own, or for an aggregated
     * ClusterRole the union the aggregation controller writes (after
     * al_kube_finish; the own rules of an aggregated role are replaced, as
     * the controller replaces them). */
    const struct al_kube_rule *rules;
    size_t n_rules;
    bool aggregated; /* has aggregationRule */
    const struct al_kube_selector *selectors;
    size_t n_selectors;
    bool builtin; /* from al_kube_add_defaults */
    struct al_kube_src src;
};

enum al_kube_subject_kind {
    AL_KUBE_USER,
    AL_KUBE_GROUP,
    AL_KUBE_SERVICE_ACCOUNT,
    AL_KUBE_OTHER, /* a kind Kubernetes does not know: matches nobody */
};

struct al_kube_subject {
    enum al_kube_subject_kind kind;
    const char *kind_text; /* as written */
    const char *name;
    const char *namespace; /* as written, NULL when absent (ignored for User and Group) */
    const char *api_group; /* as written, NULL when absent */
    struct al_kube_src src;
};

/* A RoleBinding (namespace set) or a ClusterRoleBinding (namespace NULL). */
struct al_kube_binding {
    bool cluster;
    const char *name;
    const char *namespace;
    const char *role_kind; /* roleRef.kind as written: "Role", "ClusterRole", or else */
    const char *role_name; /* roleRef.name */
    const char *role_api_group;
    const struct al_kube_subject *subjects;
    size_t n_subjects;
    /* After al_kube_finish: the role roleRef names (a Role in the binding's
     * namespace, or a ClusterRole), or NULL when it does not exist or the
     * reference is invalid (a ClusterRoleBinding to a Role): it grants
     * nothing, as in Kubernetes. */
    const struct al_kube_role *role;
    bool builtin;
    struct al_kube_src src;
};

enum al_kube_severity { AL_KUBE_NOTE, AL_KUBE_WARNING, AL_KUBE_ERROR };

/* Something about the input: an object of another kind (note), an object
 * agentlint could not read (error: it is left out), a binding to a missing
 * role (warning)... */
struct al_kube_diag {
    enum al_kube_severity severity;
    struct al_kube_src src;
    const char *message; /* one sentence; may quote input: escape it to print */
};

/* The set. Arrays are in load order (defaults first when added first) and
 * stable after al_kube_finish; everything lives until al_kube_free. */
struct al_kube {
    struct al_kube_role **roles;
    size_t n_roles, cap_roles;
    struct al_kube_binding **bindings;
    size_t n_bindings, cap_bindings;
    struct al_kube_diag *diags;
    size_t n_diags, cap_diags;
    const char *defaults_version; /* "X.Y" when defaults were added, else NULL */
    bool finished;
    struct al_arena arena;
    struct al_kube_index *index; /* private (kube/index.c) */
};

/* Input limits, like the config loader's. */
enum {
    AL_KUBE_MAX_FILE = 64 * 1024 * 1024, /* bytes of one file */
    AL_KUBE_MAX_OBJECTS = 1000000,       /* roles + bindings in one set */
};

struct al_kube *al_kube_new(void);
void al_kube_free(struct al_kube *k);

/* ---- input ---- */

/* Read every Role, ClusterRole, RoleBinding and ClusterRoleBinding in
 * `data` (YAML or JSON; many documents; `kind: List` with `items`). Other
 * kinds are notes; a malformed object is an error diagnostic and left out.
 * Returns < 0 (al_error_last) only when the text as a whole is unusable: too
 * large, or no YAML at all. `file` is copied. */
int al_kube_add_text(struct al_kube *k, const char *file, const char *data, size_t len);

/* The Kubernetes versions whose default roles are built in, oldest first. */
const char *const *al_kube_versions(size_t *n);
/* The newest of them. */
const char *al_kube_default_version(void);
/* Add Kubernetes' default ClusterRoles and ClusterRoleBindings (bootstrap
 * policy) of `version` ("1.31"; NULL: the newest). < 0 with a sentence
 * naming the known versions when `version` is not one. */
int al_kube_add_defaults(struct al_kube *k, const char *version);

/* Aggregate ClusterRoles, resolve every roleRef, build the subject index.
 * Call once, after the last add and before any query. */
int al_kube_finish(struct al_kube *k);

/* ---- queries ---- */

/* Who asks: as the authorizer sees them (user.Info: name and groups; the
 * authenticator adds system:authenticated, a service account's
 * system:serviceaccounts and system:serviceaccounts:NS: see al_kube_user_*). */
struct al_kube_user {
    const char *name;
    const char *const *groups;
    size_t n_groups;
};

/* A request's attributes (authorizer.Attributes). `path` set: a
 * non-resource request (verb and path only); else a resource request.
 * namespace NULL or "": a cluster-scoped request (only ClusterRoleBindings
 * apply). api_group "" is the core group. subresource and name may be
 * NULL. */
struct al_kube_request {
    const char *verb;
    const char *api_group;
    const char *resource;
    const char *subresource;
    const char *name;
    const char *namespace;
    const char *path;
};

/* One rule reaching a user through one binding. */
struct al_kube_grant {
    const struct al_kube_binding *binding;
    const struct al_kube_subject *subject; /* the subject that names the user */
    const struct al_kube_role *role;
    const struct al_kube_rule *rule;
    /* Where the rule applies: NULL everywhere (ClusterRoleBinding), else the
     * RoleBinding's namespace. */
    const char *namespace;
};

struct al_kube_answer {
    bool allowed;
    /* Allowed because the user is in system:masters, which the API server
     * authorizes before RBAC (no binding, no rule: `by` is empty). */
    bool privileged_group;
    struct al_kube_grant by; /* when allowed: the first grant that allows, in
                                Kubernetes' order (ClusterRoleBindings, then
                                the namespace's RoleBindings; in load order) */
};

/* RuleAllows for one rule. */
bool al_kube_rule_allows(const struct al_kube_rule *rule, const struct al_kube_request *r);

/* The RBAC authorizer: allowed when some rule reaching `u` allows `r`. */
bool al_kube_authorize(const struct al_kube *k, const struct al_kube_user *u,
                       const struct al_kube_request *r, struct al_kube_answer *out);

/* Every grant reaching `u` that applies in `namespace` (NULL: in every
 * namespace, each grant saying where it applies; "": cluster-scoped
 * requests only, i.e. ClusterRoleBindings), in the authorizer's order.
 * `visit` returns non-zero to stop; that value is returned. Cost: the
 * user's bindings and their rules. */
typedef int (*al_kube_visit_fn)(void *data, const struct al_kube_grant *g);
int al_kube_grants(const struct al_kube *k, const struct al_kube_user *u, const char *namespace,
                   al_kube_visit_fn visit, void *data);

/* For each of `n` users, whether it may do `r` (answers[i] for users[i]).
 * Cost: the sum of the users' bindings. */
void al_kube_who_can(const struct al_kube *k, const struct al_kube_user *users, size_t n,
                     const struct al_kube_request *r, struct al_kube_answer *answers);

/* The namespaces the set names (RoleBindings' and Roles'), sorted, unique. */
const char *const *al_kube_namespaces(const struct al_kube *k, size_t *n);

/* ---- users ---- */

/* The user a service account authenticates as: system:serviceaccount:NS:NAME
 * with groups system:serviceaccounts, system:serviceaccounts:NS and
 * system:authenticated. Strings live in k's arena. */
void al_kube_user_sa(struct al_kube *k, const char *ns, const char *name, struct al_kube_user *out);
/* Parse "system:serviceaccount:NS:NAME": true and the two parts (in k's
 * arena) when `username` is one. */
bool al_kube_sa_parse(struct al_kube *k, const char *username, const char **ns, const char **name);

/* ---- requests as kubectl writes them ---- */

/* `kubectl auth can-i VERB RESOURCE`: RESOURCE is a non-resource URL (starts
 * with '/'), or TYPE[.GROUP][/NAME] (kubectl: "pods", "deployments.apps",
 * "secrets/db"); `subresource` from --subresource (or NULL). Without a
 * discovery client, TYPE is taken as written (plural, lowercase: "pods", not
 * "pod" or "po") and GROUP as written ("" the core group). < 0 with a
 * sentence when RESOURCE cannot be read. Strings live in k's arena. */
int al_kube_request_parse(struct al_kube *k, const char *verb, const char *resource,
                          const char *subresource, const char *namespace,
                          struct al_kube_request *out);

/* ---- display ---- */

const char *al_kube_subject_kind_name(enum al_kube_subject_kind kind); /* "User", ... */
const char *al_kube_severity_name(enum al_kube_severity s);            /* "note", ... */

#endif
