/* Helpers for running the files in testdata/vectors as data: loaded with our own
 * YAML loader, every case run, each failure printed with the case id (and
 * "derived" where the vector marks its value as derived), and one cmocka
 * failure at the end if any case failed. */
#ifndef AL_TEST_VECTORS_H
#define AL_TEST_VECTORS_H

#include "testutil.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/yaml.h"

struct vec_run {
    const char *file;
    int passed, failed, excluded;
};

static inline struct al_ydoc *vec_load(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/vectors/%s", TESTDATA_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (tests run from the repository root)", path);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    struct al_ydoc *doc = al_yaml_load(buf, n);
    if (!doc->root || doc->root->kind != AL_YMAP)
        fail_msg("%s does not load as a YAML mapping", path);
    return doc;
}

static inline const struct al_ynode *vec_get(const struct al_ynode *n, const char *key)
{
    return al_ymap_get(n, key);
}

/* A string field; NULL when absent or null. */
static inline const char *vec_str(const struct al_ynode *n, const char *key)
{
    const struct al_ynode *v = al_ymap_get(n, key);
    return v && v->kind == AL_YSTR ? v->str : NULL;
}

static inline bool vec_bool(const struct al_ynode *n, const char *key)
{
    const struct al_ynode *v = al_ymap_get(n, key);
    return v && v->kind == AL_YBOOL && v->v.b;
}

static inline bool vec_has(const struct al_ynode *n, const char *key)
{
    return al_ymap_pair(n, key) != NULL;
}

static inline const char *vec_id(const struct al_ynode *c)
{
    const char *id = vec_str(c, "id");
    return id ? id : "(no id)";
}

/* derived: true on the case, or {value, derived: true} in `field`. */
static inline bool vec_derived(const struct al_ynode *c, const char *field)
{
    return vec_bool(c, "derived") || (field && vec_bool(vec_get(c, field), "derived"));
}

static inline void vec_fail(struct vec_run *r, const struct al_ynode *c, bool derived,
                            const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static inline void vec_fail(struct vec_run *r, const struct al_ynode *c, bool derived,
                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL %s%s: ", vec_id(c), derived ? " (derived)" : "");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    r->failed++;
}

/* Whether a case is on an exclusion list (NULL-terminated {id, reason}). */
struct vec_exclusion {
    const char *id;
    const char *reason;
};

static inline bool vec_excluded(struct vec_run *r, const struct al_ynode *c,
                                const struct vec_exclusion *list)
{
    for (; list && list->id; list++) {
        if (strcmp(list->id, vec_id(c)) == 0) {
            printf("  excluded %s: %s\n", list->id, list->reason);
            r->excluded++;
            return true;
        }
    }
    return false;
}

static inline void vec_done(struct vec_run *r)
{
    printf("  %s: %d passed, %d failed, %d excluded\n", r->file, r->passed, r->failed, r->excluded);
    if (r->failed)
        fail_msg("%d case(s) of %s failed (ids above)", r->failed, r->file);
}

#endif
