/* A hashed set of strings, in insertion order (rbacgen/strset.c): the
 * rbac builder's indexes, and any view that looks strings up by the
 * thousand (explain's graph nodes). */
#ifndef AL_RBAC_STRSET_H
#define AL_RBAC_STRSET_H

#include <stddef.h>

#include "common/alloc.h"

struct al_rbac_strset {
    const char **items; /* in the order they were added */
    size_t n, cap;
    size_t *slots; /* open addressing: index + 1, 0 empty */
    size_t n_slots;
};

/* Add `s` (copied into `arena`) unless it is there; its index either way. */
size_t al_rbac_strset_add(struct al_rbac_strset *set, struct al_arena *arena, const char *s);
/* The index of `s`, or -1. */
long al_rbac_strset_find(const struct al_rbac_strset *set, const char *s);
void al_rbac_strset_sort(struct al_rbac_strset *set); /* items only: no lookups after */
void al_rbac_strset_free(struct al_rbac_strset *set);

#endif
