/* A set of strings that keeps the order they came in: the impersonator's
 * names and the over-grant analysis' index of subjects, where thousands of
 * projects times every tier would make a list quadratic. */
#include "common/alloc.h"
#include "views/rbac/strset.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(const struct al_rbac_strset *set, const char *s)
{
    size_t i = (size_t)al_str_hash(s, strlen(s), 0) & (set->n_slots - 1);
    while (set->slots[i] && strcmp(set->items[set->slots[i] - 1], s) != 0)
        i = (i + 1) & (set->n_slots - 1);
    return i;
}

static void rehash(struct al_rbac_strset *set)
{
    free(set->slots);
    set->n_slots = set->n_slots ? 2 * set->n_slots : 64;
    set->slots = al_calloc(set->n_slots, sizeof(*set->slots));
    for (size_t k = 0; k < set->n; k++)
        set->slots[slot_of(set, set->items[k])] = k + 1;
}

size_t al_rbac_strset_add(struct al_rbac_strset *set, struct al_arena *arena, const char *s)
{
    if ((set->n + 1) * 2 > set->n_slots)
        rehash(set);
    size_t i = slot_of(set, s);
    if (set->slots[i])
        return set->slots[i] - 1;
    set->items = al_grow(set->items, &set->cap, set->n + 1, sizeof(*set->items));
    set->items[set->n] = al_arena_strdup(arena, s);
    set->slots[i] = ++set->n;
    return set->n - 1;
}

long al_rbac_strset_find(const struct al_rbac_strset *set, const char *s)
{
    if (!set->n_slots)
        return -1;
    size_t i = slot_of(set, s);
    return set->slots[i] ? (long)(set->slots[i] - 1) : -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void al_rbac_strset_sort(struct al_rbac_strset *set)
{
    if (set->n)
        al_qsort(set->items, set->n, sizeof(*set->items), cmp_str);
    free(set->slots);
    set->slots = NULL;
    set->n_slots = 0;
}

void al_rbac_strset_free(struct al_rbac_strset *set)
{
    free(set->items);
    free(set->slots);
    memset(set, 0, sizeof(*set));
}
