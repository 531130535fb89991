/* Allocation helpers. agentlint is a command-line tool: running out of memory
 * is reported once and ends the process (exit 2) instead of threading ENOMEM
 * through every caller. Inputs are bounded (file size, alias expansion), so a
 * hostile config cannot drive us here. */
#ifndef AL_ALLOC_H
#define AL_ALLOC_H

#include <stddef.h>
#include <stdlib.h>

void *al_malloc(size_t n);
void *al_calloc(size_t count, size_t size);
void *al_realloc(void *p, size_t n);
char *al_strdup(const char *s);
char *al_strndup(const char *s, size_t n);
/* Grow an array so that it can hold at least `need` elements of `elem` bytes. */
void *al_grow(void *p, size_t *cap, size_t need, size_t elem);

/* A bump allocator for objects that live exactly as long as one document or
 * one report. Everything is freed at once by al_arena_free. */
struct al_arena_block;
struct al_arena {
    struct al_arena_block *head;
};

void *al_arena_alloc(struct al_arena *a, size_t n); /* zeroed, 8-aligned */
char *al_arena_strndup(struct al_arena *a, const char *s, size_t n);
char *al_arena_strdup(struct al_arena *a, const char *s);
void al_arena_free(struct al_arena *a);

/* qsort, which C does not define for a NULL array, not even with no
 * elements (UBSan reports it): an empty or one-element list is sorted. */
static inline void al_qsort(void *base, size_t n, size_t size,
                            int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

#endif
