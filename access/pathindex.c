#include "access/pathindex.h"
#include "common/alloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* GitLab compares ids case-insensitively: hash and compare them so, once
 * per lookup, instead of a binary search of case-folding comparisons. */
#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME  1099511628211ULL

static unsigned long long hash_ci(const char *s, size_t n)
{
    unsigned long long h = FNV_OFFSET;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)tolower((unsigned char)s[i])) * FNV_PRIME;
    return h;
}

static bool eq_ci(const char *s, size_t n, const char *t, size_t m)
{
    return n == m && strncasecmp(s, t, n) == 0;
}

void al_pathix_init(struct al_pathix *ix, size_t n)
{
    memset(ix, 0, sizeof(*ix));
    ix->cap = n;
    ix->keys = al_calloc(n + 1, sizeof(*ix->keys));
    ix->n_slots = 16;
    while (ix->n_slots < 2 * n)
        ix->n_slots *= 2;
    ix->slots = al_calloc(ix->n_slots, sizeof(*ix->slots));
}

void al_pathix_free(struct al_pathix *ix)
{
    free(ix->keys);
    free(ix->slots);
    memset(ix, 0, sizeof(*ix));
}

void al_pathix_add(struct al_pathix *ix, const char *id, const void *item)
{
    size_t len = strlen(id), mask = ix->n_slots - 1;
    for (size_t h = (size_t)hash_ci(id, len) & mask;; h = (h + 1) & mask) {
        if (!ix->slots[h]) {
            if (ix->n == ix->cap)
                return;
            ix->keys[ix->n] = (struct al_pathix_key){id, len, item};
            ix->slots[h] = (unsigned)++ix->n;
            return;
        }
        struct al_pathix_key *k = &ix->keys[ix->slots[h] - 1];
        if (eq_ci(k->id, k->len, id, len)) {
            *k = (struct al_pathix_key){id, len, item};
            return;
        }
    }
}

static const void *probe(const struct al_pathix *ix, const char *s, size_t n,
                         unsigned long long hash)
{
    size_t mask = ix->n_slots - 1;
    for (size_t h = (size_t)hash & mask; ix->slots[h]; h = (h + 1) & mask) {
        const struct al_pathix_key *k = &ix->keys[ix->slots[h] - 1];
        if (eq_ci(k->id, k->len, s, n))
            return k->item;
    }
    return NULL;
}

const void *al_pathix_find(const struct al_pathix *ix, const char *s, size_t n)
{
    if (!ix->n)
        return NULL;
    return probe(ix, s, n, hash_ci(s, n));
}

const void *al_pathix_nearest_parent(const struct al_pathix *ix, const char *path)
{
    if (!ix->n)
        return NULL;
    /* One pass hashes every parent: the hash of a/b is the state of the
     * hash of a/b/c just before its second '/'. */
    enum { MAX_PARENTS = 64 };
    size_t ends[MAX_PARENTS];
    unsigned long long hashes[MAX_PARENTS];
    size_t k = 0;
    unsigned long long h = FNV_OFFSET;
    for (size_t i = 0; path[i]; i++) {
        if (path[i] == '/' && k < MAX_PARENTS) {
            ends[k] = i;
            hashes[k++] = h;
        }
        h = (h ^ (unsigned char)tolower((unsigned char)path[i])) * FNV_PRIME;
    }
    while (k-- > 0) {
        const void *g = probe(ix, path, ends[k], hashes[k]);
        if (g)
            return g;
    }
    return NULL;
}
