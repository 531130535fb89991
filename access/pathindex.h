/* Ids as GitLab compares them (case-insensitively), hashed for O(1)
 * lookups of a path or of any of its parent paths: the refresh's "the last
 * entry for an id wins" and the finder's "the nearest group" on lists of
 * 500 entries, for hundreds of agents on every commit. Items are the
 * caller's (entries, authorizations); the index only points at them. */
#ifndef AL_PATHINDEX_H
#define AL_PATHINDEX_H

#include <stdbool.h>
#include <stddef.h>

struct al_pathix_key {
    const char *id;
    size_t len;
    const void *item;
};

struct al_pathix {
    struct al_pathix_key *keys;
    size_t n, cap;
    unsigned *slots; /* hash of the lower-cased id -> key index + 1; 0 = empty */
    size_t n_slots;
};

/* An empty index for up to `n` ids. */
void al_pathix_init(struct al_pathix *ix, size_t n);
void al_pathix_free(struct al_pathix *ix);
/* Index `item` under `id`; an equal id added later replaces it (add in file
 * order: the last wins). At most the `n` of al_pathix_init. */
void al_pathix_add(struct al_pathix *ix, const char *id, const void *item);
/* The item for the id s[0..n), or NULL. */
const void *al_pathix_find(const struct al_pathix *ix, const char *s, size_t n);
/* The item of the nearest path strictly containing `path` (a/b for a/b/c,
 * else a), or NULL. */
const void *al_pathix_nearest_parent(const struct al_pathix *ix, const char *path);

#endif
