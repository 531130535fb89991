/* What a change does to what jobs can do in the cluster: for each identity
 * GitLab can send (the groups and users the RBAC subjects name, every CI
 * job, the agent's service account), the permissions it holds at BASE and at
 * HEAD, compared. A permission is one verb on one resource (API group,
 * resource with its subresource, resource names) or non-resource URL, in one
 * namespace or in every namespace, as the RBAC authorizer grants it
 * (kube/kube.h); a new one widens, a lost one narrows. */
#ifndef AL_PERMDIFF_H
#define AL_PERMDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "common/alloc.h"
#include "kube/kube.h"

struct al_perm {
    const char *namespace; /* NULL: every namespace (a ClusterRoleBinding) */
    const char *verb;
    const char *api_group;     /* "" core; NULL for a non-resource URL */
    const char *resource;      /* or the non-resource URL */
    const char *resource_name; /* NULL: any */
    /* The binding that grants it, at the side that has it (its file and line). */
    const char *binding, *role;
    struct al_kube_src src;
};

struct al_permdiff_identity {
    const char *name; /* the subject's name, or "every CI job" */
    const char *kind; /* "Group", "User", "ServiceAccount" */
    struct al_perm *added, *removed;
    size_t n_added, n_removed;
};

struct al_permdiff {
    struct al_permdiff_identity *items; /* only identities whose permissions change */
    size_t n, cap;
    size_t n_added, n_removed; /* over all identities */
    struct al_arena arena;
};

/* --agent-sa NS/NAME for the service account, or NULL. */
struct al_permdiff_opts {
    const char *agent_sa_namespace, *agent_sa_name;
};

/* Compare two finished sets. Cost: each identity's bindings and rules,
 * sorted (n log n). */
void al_permdiff_build(struct al_kube *base, struct al_kube *head, const struct al_permdiff_opts *o,
                       struct al_permdiff *out);
void al_permdiff_free(struct al_permdiff *d);

/* The report's permissions section: what each identity may do through the
 * RBAC input beyond Kubernetes' default roles and bindings of the same
 * version (`k->defaults_version`), as `added` of a comparison with a set
 * holding only those. < 0 with a sentence when the defaults cannot be
 * built. */
int al_permdiff_granted(struct al_kube *k, const struct al_permdiff_opts *o,
                        struct al_permdiff *out);

/* How many permissions from ps[0] on differ only by verb (they are sorted
 * so): one line of prose says them together. */
size_t al_perm_run(const struct al_perm *ps, size_t n);
/* "get, list pods in every namespace", "create secrets named db in
 * namespace web", "get /healthz": the verbs of ps[0..n). Caller frees. */
char *al_perm_describe(const struct al_perm *ps, size_t n);

#endif
