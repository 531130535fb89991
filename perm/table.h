/* What a user may do, as a table (like rakkess): per place (every
 * namespace, through ClusterRoleBindings; then each namespace a RoleBinding
 * reaching the user names), rows of resources (subresources are rows of
 * their own: "pods/log") and non-resource URLs, columns of verbs. Each cell
 * is the RBAC authorizer's answer (kube/kube.h) for that request, with the
 * grant that decides it.
 *
 * Offline there is no discovery: the rows are the resources and URLs the
 * rules name, and a wildcard stays a row of its own ("*" in API group "*"
 * stands for every resource the rules do not name). A request for a
 * resource no rule names is allowed exactly when that wildcard row is, so
 * two tables over the same axes (al_perm_axes) compare exactly, row by row.
 *
 * URLs are not namespaced: their rows are answered in the first place
 * (every namespace) and left empty in the others.
 *
 * Cost: the user's grants (al_kube_grants) times rows times verbs, per
 * place. */
#ifndef AL_PERM_TABLE_H
#define AL_PERM_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "kube/kube.h"

/* A row: a resource (api_group and resource set, resource may be
 * "TYPE/SUB"), or a non-resource URL (url set). */
struct al_perm_row {
    const char *api_group; /* "" core; NULL for a URL row */
    const char *resource;
    const char *url;
};

/* The axes of one or more tables: rows sorted (resources by group, then
 * name; then URLs), verbs (Kubernetes' usual eight first, then the others
 * the rules name, "*" last when one names it), and places (NULL: every
 * namespace, i.e. ClusterRoleBindings only; then namespaces, sorted). */
struct al_perm_axes {
    struct al_perm_row *rows;
    size_t n_rows, cap_rows;
    const char **verbs;
    size_t n_verbs, cap_verbs;
    const char **places;
    size_t n_places, cap_places;
    struct al_arena arena;
};

enum al_perm_state {
    AL_PERM_NO,
    AL_PERM_YES,   /* on every object of the row */
    AL_PERM_NAMES, /* only on the objects `names` lists (rules with resourceNames) */
};

struct al_perm_cell {
    enum al_perm_state state;
    const char *const *names; /* AL_PERM_NAMES: sorted, unique */
    size_t n_names;
    struct al_kube_grant by; /* the first grant that allows it, in the authorizer's order */
};

/* One user's table over some axes: cells[(place * n_rows + row) * n_verbs + verb]. */
struct al_perm_table {
    const struct al_perm_axes *axes;
    struct al_perm_cell *cells;
    struct al_arena arena;
};

void al_perm_axes_init(struct al_perm_axes *x);
/* Add every row, verb and place of the grants that reach `u`; `ns`
 * (optional) adds that namespace as a place even when no RoleBinding names
 * it (the job's default namespace). Call al_perm_axes_sort after the last. */
void al_perm_axes_add(struct al_perm_axes *x, const struct al_kube *k, const struct al_kube_user *u,
                      const char *ns);
void al_perm_axes_sort(struct al_perm_axes *x);
void al_perm_axes_free(struct al_perm_axes *x);

/* Fill a table of `u`'s permissions in `k` over `x` (which must outlive it). */
void al_perm_table_build(struct al_perm_table *t, const struct al_perm_axes *x,
                         const struct al_kube *k, const struct al_kube_user *u);
void al_perm_table_free(struct al_perm_table *t);

const struct al_perm_cell *al_perm_table_cell(const struct al_perm_table *t, size_t place,
                                              size_t row, size_t verb);
/* Whether place `place` has any allowed cell. */
bool al_perm_table_place_any(const struct al_perm_table *t, size_t place);
/* Whether row `row` has any allowed cell in any place. */
bool al_perm_table_row_any(const struct al_perm_table *t, size_t row);

/* A copy of `u` (name, group list and strings) in `arena`: the join's
 * users borrow strings from the decisions they came from. */
void al_perm_user_copy(struct al_arena *arena, const struct al_kube_user *u,
                       struct al_kube_user *out);

/* "pods", "pods/log", "deployments.apps", "*.*", or the URL. */
void al_perm_row_name(const struct al_perm_row *r, struct al_buf *out);

/* How `b` differs from `a` in one cell. */
enum al_perm_change {
    AL_PERM_SAME,
    AL_PERM_WIDER,    /* b allows what a does not */
    AL_PERM_NARROWER, /* a allows what b does not */
    AL_PERM_MIXED,    /* both (different resourceNames) */
};
enum al_perm_change al_perm_cell_compare(const struct al_perm_cell *a,
                                         const struct al_perm_cell *b);

#endif
