/* explain --permissions: for each agent that serves the job, the user the
 * cluster sees (perm/perm.h) and that user's permissions as a table per
 * namespace (perm/table.h), with the bindings that reach it (for dot). */
#ifndef AL_EXPLAIN_PERM_H
#define AL_EXPLAIN_PERM_H

#include <stdbool.h>
#include <stddef.h>

#include "access/decide.h"
#include "kube/kube.h"
#include "perm/perm.h"
#include "perm/table.h"

struct al_explain_perm {
    const struct al_decision *decision; /* allowed */
    bool known;                         /* false: why says what is missing */
    const char *why;
    struct al_kube_user user;
    struct al_perm_axes axes;
    struct al_perm_table table;
    struct al_kube_grant *grants; /* every grant reaching the user, authorizer's order */
    size_t n_grants, cap_grants;
    const char *default_namespace; /* the job's kubeconfig namespace, or NULL */
};

struct al_explain_perms {
    struct al_explain_perm *items; /* one per allowed decision, in decision order */
    size_t n;
    const char *const *rbac; /* --rbac paths */
    size_t n_rbac;
    const char *kube_version;
};

void al_explain_perms_build(struct al_kube *k, const struct al_decisions *d,
                            const struct al_perm_opts *po, struct al_explain_perms *out);
void al_explain_perms_free(struct al_explain_perms *p);

/* The cell as text: "yes", "names" or "" (no). */
const char *al_explain_perm_mark(const struct al_perm_cell *c);
/* "every namespace (ClusterRoleBindings)" or "namespace NS", with "(the
 * job's default)" when it is the context's namespace. */
void al_explain_perm_place(struct al_buf *out, const struct al_explain_perm *p, size_t place);

#endif
