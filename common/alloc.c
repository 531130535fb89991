#include "common/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fputs("agentlint: out of memory\n", stderr);
    exit(2);
}

void *al_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *al_calloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *al_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

char *al_strndup(const char *s, size_t n)
{
    char *p = al_malloc(n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *al_strdup(const char *s)
{
    return s ? al_strndup(s, strlen(s)) : NULL;
}

void *al_grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > ((size_t)-1) / 2 / elem)
            oom();
        ncap *= 2;
    }
    p = al_realloc(p, ncap * elem);
    *cap = ncap;
    return p;
}

/* ---- arena ---- */

struct al_arena_block {
    struct al_arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

/* Blocks start small and double up to ARENA_BLOCK: a run holds one arena
 * per agent's typed config (10,000 agents: 10,000 arenas), most of them a
 * few hundred bytes, which a first block of 64 KiB would multiply. */
enum { ARENA_FIRST = 512, ARENA_BLOCK = 64 * 1024 };

static size_t next_block_size(const struct al_arena_block *head, size_t n)
{
    size_t size = !head                           ? ARENA_FIRST
                  : head->size >= ARENA_BLOCK / 2 ? ARENA_BLOCK
                                                  : head->size * 2;
    return n > size ? n : size;
}

void *al_arena_alloc(struct al_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct al_arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK / 4 ? n : next_block_size(b, n);
        b = al_malloc(sizeof(*b) + size);
        b->used = 0;
        b->size = size;
        if (a->head && n > ARENA_BLOCK / 4) {
            /* Keep the current block for small objects: put the big one behind it. */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *al_arena_strndup(struct al_arena *a, const char *s, size_t n)
{
    char *p = al_arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *al_arena_strdup(struct al_arena *a, const char *s)
{
    return s ? al_arena_strndup(a, s, strlen(s)) : NULL;
}

void al_arena_free(struct al_arena *a)
{
    struct al_arena_block *b = a->head;
    while (b) {
        struct al_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}
