/* The objects of one build, their subjects, warnings and names, and the ids
 * they need. Everything lives in the result's arena. */
#include "views/rbac/build.h"
#include "common/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HASH_LEN = 10 }; /* 40 bits; a collision lengthens the colliding names */

const char *al_rbac_kind_name(enum al_rbac_kind k)
{
    static const char *const names[] = {"ClusterRoleBinding", "RoleBinding", "ClusterRole"};
    return names[k];
}

static const char *vprint(struct al_rbac_ctx *c, const char *fmt, va_list ap)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_vprintf(&b, fmt, ap);
    const char *s = al_arena_strdup(&c->r->arena, al_buf_cstr(&b));
    al_buf_free(&b);
    return s;
}

const char *al_rbac_printf(struct al_rbac_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = vprint(c, fmt, ap);
    va_end(ap);
    return s;
}

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* What tells objects apart: kind, place, role, identity. */
static const char *object_key(struct al_buf *b, enum al_rbac_kind kind, const char *ns,
                              const char *role, const char *identity)
{
    al_buf_clear(b);
    al_buf_printf(b, "%d;%zu:%s;%zu:%s;%s", (int)kind, ns ? strlen(ns) : 0, ns ? ns : "",
                  role ? strlen(role) : 0, role ? role : "", identity);
    return al_buf_cstr(b);
}

struct al_rbac_object *al_rbac_object_get(struct al_rbac_ctx *c, enum al_rbac_kind kind,
                                          const char *ns, const char *role, const char *identity)
{
    struct al_rbac *r = c->r;
    struct al_buf key = AL_BUF_INIT;
    size_t at =
        al_rbac_strset_add(&c->object_keys, &r->arena, object_key(&key, kind, ns, role, identity));
    al_buf_free(&key);
    if (at < r->n_objects)
        return r->objects[at]; /* keys and objects are added together */
    struct al_rbac_object *o = al_arena_alloc(&r->arena, sizeof(*o));
    o->kind = kind;
    o->namespace = ns ? al_arena_strdup(&r->arena, ns) : NULL;
    o->role = role ? al_arena_strdup(&r->arena, role) : NULL;
    o->identity = al_arena_strdup(&r->arena, identity);
    o->kubectl = true;
    r->objects = al_grow(r->objects, &r->cap_objects, r->n_objects + 1, sizeof(*r->objects));
    r->objects[r->n_objects++] = o;
    return o;
}

bool al_rbac_object_has(const struct al_rbac_object *obj, enum al_rbac_subject_kind kind,
                        const char *name)
{
    for (size_t i = 0; i < obj->n_subjects; i++)
        if (obj->subjects[i].kind == kind && strcmp(obj->subjects[i].name, name) == 0)
            return true;
    return false;
}

void al_rbac_subject_add(struct al_rbac_ctx *c, struct al_rbac_object *obj,
                         enum al_rbac_subject_kind kind, const char *name, const char *ns)
{
    if (al_rbac_object_has(obj, kind, name))
        return;
    if (obj->n_subjects == obj->cap_subjects) {
        size_t cap = obj->cap_subjects ? 2 * obj->cap_subjects : 4;
        struct al_rbac_subject *s = al_arena_alloc(&c->r->arena, cap * sizeof(*s));
        if (obj->n_subjects)
            memcpy(s, obj->subjects, obj->n_subjects * sizeof(*s));
        obj->subjects = s;
        obj->cap_subjects = cap;
    }
    struct al_rbac_subject *s = &obj->subjects[obj->n_subjects++];
    s->kind = kind;
    s->name = al_arena_strdup(&c->r->arena, name);
    s->namespace = ns ? al_arena_strdup(&c->r->arena, ns) : NULL;
}

static void push(const char ***list, size_t *n, size_t *cap, const char *s)
{
    *list = al_grow(*list, cap, *n + 1, sizeof(**list));
    (*list)[(*n)++] = s;
}

/* Object lists live in the arena (objects are arena-allocated too): grow by
 * copying, the old block stays until the arena goes. */
static void push_arena(struct al_rbac_ctx *c, const char ***list, size_t *n, size_t *cap,
                       const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], s) == 0)
            return; /* said once is enough */
    if (*n == *cap) {
        size_t ncap = *cap ? 2 * *cap : 2;
        const char **l = al_arena_alloc(&c->r->arena, ncap * sizeof(*l));
        if (*n)
            memcpy(l, *list, *n * sizeof(*l));
        *list = l;
        *cap = ncap;
    }
    (*list)[(*n)++] = s;
}

void al_rbac_warn(struct al_rbac_ctx *c, struct al_rbac_object *obj, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = vprint(c, fmt, ap);
    va_end(ap);
    struct al_rbac *r = c->r;
    struct al_buf key = AL_BUF_INIT;
    al_buf_printf(&key, "%p;%s", (const void *)obj, s);
    size_t before = c->warning_keys.n;
    al_rbac_strset_add(&c->warning_keys, &r->arena, al_buf_cstr(&key));
    al_buf_free(&key);
    if (c->warning_keys.n == before)
        return; /* said once is enough */
    r->warnings = al_grow(r->warnings, &r->cap_warnings, r->n_warnings + 1, sizeof(*r->warnings));
    r->warnings[r->n_warnings].text = s;
    r->warnings[r->n_warnings++].object = obj;
    if (obj)
        push_arena(c, &obj->warnings, &obj->n_warnings, &obj->cap_warnings, s);
}

void al_rbac_note(struct al_rbac_ctx *c, struct al_rbac_object *obj, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = vprint(c, fmt, ap);
    va_end(ap);
    if (obj)
        push_arena(c, &obj->notes, &obj->n_notes, &obj->cap_notes, s);
    else
        push(&c->r->notes, &c->r->n_notes, &c->r->cap_notes, s);
}

void al_rbac_missing(struct al_rbac_ctx *c, enum al_ids_kind kind, const char *path)
{
    struct al_rbac *r = c->r;
    struct al_buf key = AL_BUF_INIT;
    al_buf_printf(&key, "%d:%s", (int)kind, path);
    size_t before = c->missing_keys.n;
    al_rbac_strset_add(&c->missing_keys, &r->arena, al_buf_cstr(&key));
    al_buf_free(&key);
    if (c->missing_keys.n == before)
        return; /* asked for already */
    r->missing = al_grow(r->missing, &r->cap_missing, r->n_missing + 1, sizeof(*r->missing));
    r->missing[r->n_missing].kind = kind;
    r->missing[r->n_missing++].path = al_arena_strdup(&r->arena, path);
}

long long al_rbac_id(struct al_rbac_ctx *c, enum al_ids_kind kind, const char *path)
{
    long long id = al_ids_get(c->m->opts.ids, kind, path);
    if (id <= 0)
        al_rbac_missing(c, kind, path);
    return id > 0 ? id : -1;
}

const char *al_rbac_describe(struct al_rbac_ctx *c, const struct al_auth *a)
{
    switch (a->scope) {
    case AL_SCOPE_IMPLICIT:
        return al_rbac_printf(c, "the implicit authorization of %s", a->id);
    case AL_SCOPE_INSTANCE:
        return al_rbac_printf(c, "the instance entry (line %u)", a->line);
    default:
        return al_rbac_printf(c, "%s%s entry %s (line %u)",
                              a->section == AL_USER_ACCESS ? "user_access " : "",
                              al_scope_name(a->scope), a->id, a->line);
    }
}

/* ---- names ---- */

static void name_one(struct al_rbac_ctx *c, struct al_rbac_object *o, size_t hash_len)
{
    char *name = al_rbac_name(o->name_parts, o->n_name_parts, o->identity, hash_len);
    o->name = al_arena_strdup(&c->r->arena, name);
    free(name);
}

static const char *name_key(struct al_buf *b, const struct al_rbac_object *o)
{
    return object_key(b, o->kind, o->namespace, NULL, o->name);
}

void al_rbac_name_objects(struct al_rbac_ctx *c)
{
    struct al_rbac *r = c->r;
    struct al_rbac_strset names = {0};
    struct al_buf key = AL_BUF_INIT;
    for (size_t i = 0; i < r->n_objects; i++)
        name_one(c, r->objects[i], HASH_LEN);
    /* Identities are distinct, so equal names mean equal 40-bit prefixes:
     * 80 bits tell them apart. */
    for (size_t i = 0; i < r->n_objects; i++) {
        size_t at = al_rbac_strset_add(&names, &r->arena, name_key(&key, r->objects[i]));
        if (at == names.n - 1)
            continue;
        for (size_t k = 0; k < i; k++)
            if (strcmp(r->objects[k]->name, r->objects[i]->name) == 0 &&
                r->objects[k]->kind == r->objects[i]->kind &&
                same(r->objects[k]->namespace, r->objects[i]->namespace))
                name_one(c, r->objects[k], 2 * HASH_LEN);
        name_one(c, r->objects[i], 2 * HASH_LEN);
    }
    al_rbac_strset_free(&names);
    al_buf_free(&key);
}
