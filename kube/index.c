/* Bindings indexed by subject, so that a query costs the bindings that name
 * the user or one of its groups, not every binding (10,000 bindings x 1,000
 * jobs must stay linear).
 *
 * appliesTo (pkg/registry/rbac/validation/rule.go) compares a User subject's
 * name with the user's name, a Group subject's with each group, and a
 * ServiceAccount subject as the string "system:serviceaccount:" + NS + ":" +
 * NAME (serviceaccount.MatchesUsername), NS defaulting to the binding's
 * namespace. So a ServiceAccount subject is indexed under that user name,
 * in the same key space as User subjects: one hash lookup per name. */
#include "common/alloc.h"
#include "kube/kube_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/str.h"

struct slot {
    const char *key; /* "U" or "G" then the name; NULL: empty */
    size_t len;
    struct al_kube_hit *hits;
    size_t n, cap;
};

struct rolekey {
    const char *ns; /* "" for ClusterRoles */
    const char *name;
    struct al_kube_role *role;
    size_t order; /* load order */
};

struct al_kube_index {
    struct slot *slots;
    size_t n_slots, used; /* n_slots a power of two */
    uint64_t seed;
    const char **namespaces;
    size_t n_namespaces;
};

static uint64_t hash_key(uint64_t seed, const char *s, size_t n)
{
    return al_hash_mix(al_str_hash(s, n, seed));
}

static struct slot *find_slot(struct slot *slots, size_t n_slots, uint64_t seed, const char *key,
                              size_t len)
{
    size_t mask = n_slots - 1;
    for (size_t i = hash_key(seed, key, len) & mask;; i = (i + 1) & mask) {
        struct slot *s = &slots[i];
        if (!s->key || (s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

static void grow(struct al_kube_index *ix)
{
    size_t n = ix->n_slots ? ix->n_slots * 2 : 64;
    struct slot *slots = al_calloc(n, sizeof(*slots));
    for (size_t i = 0; i < ix->n_slots; i++)
        if (ix->slots[i].key)
            *find_slot(slots, n, ix->seed, ix->slots[i].key, ix->slots[i].len) = ix->slots[i];
    free(ix->slots);
    ix->slots = slots;
    ix->n_slots = n;
}

static void add_hit(struct al_kube *k, struct al_kube_index *ix, char prefix, const char *name,
                    const char *name2, uint32_t binding, uint32_t subject)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_putc(&b, prefix);
    al_buf_puts(&b, name);
    al_buf_puts(&b, name2);
    if ((ix->used + 1) * 2 > ix->n_slots)
        grow(ix);
    struct slot *s = find_slot(ix->slots, ix->n_slots, ix->seed, b.ptr, b.len);
    if (!s->key) {
        s->key = al_arena_strndup(&k->arena, b.ptr, b.len);
        s->len = b.len;
        ix->used++;
    }
    al_buf_free(&b);
    s->hits = al_grow(s->hits, &s->cap, s->n + 1, sizeof(*s->hits));
    s->hits[s->n].binding = binding;
    s->hits[s->n++].subject = subject;
}

static void index_subject(struct al_kube *k, struct al_kube_index *ix, uint32_t bi, uint32_t si)
{
    const struct al_kube_binding *b = k->bindings[bi];
    const struct al_kube_subject *s = &b->subjects[si];
    if (!s->name)
        return;
    switch (s->kind) {
    case AL_KUBE_USER:
        add_hit(k, ix, 'U', s->name, "", bi, si);
        break;
    case AL_KUBE_GROUP:
        add_hit(k, ix, 'G', s->name, "", bi, si);
        break;
    case AL_KUBE_SERVICE_ACCOUNT: {
        /* The binding's namespace when the subject names none; a
         * ClusterRoleBinding's SA subject without one matches nobody. */
        const char *ns = s->namespace && *s->namespace ? s->namespace : b->namespace;
        if (!ns || !*ns)
            break;
        struct al_buf u = AL_BUF_INIT;
        al_buf_printf(&u, "system:serviceaccount:%s:", ns);
        add_hit(k, ix, 'U', u.ptr, s->name, bi, si);
        al_buf_free(&u);
        break;
    }
    case AL_KUBE_OTHER:
        break;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void collect_namespaces(struct al_kube *k, struct al_kube_index *ix)
{
    const char **all = al_arena_alloc(&k->arena, (k->n_roles + k->n_bindings + 1) * sizeof(*all));
    size_t n = 0;
    for (size_t i = 0; i < k->n_roles; i++)
        if (k->roles[i]->namespace)
            all[n++] = k->roles[i]->namespace;
    for (size_t i = 0; i < k->n_bindings; i++)
        if (k->bindings[i]->namespace)
            all[n++] = k->bindings[i]->namespace;
    al_qsort(all, n, sizeof(*all), cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || strcmp(all[u - 1], all[i]) != 0)
            all[u++] = all[i];
    ix->namespaces = all;
    ix->n_namespaces = u;
}

struct al_kube_index *al_kube_index_build(struct al_kube *k)
{
    struct al_kube_index *ix = al_calloc(1, sizeof(*ix));
    /* Where the heap is varies from run to run and is unknown to whoever
     * wrote the file: names that collide cannot be precomputed. */
    ix->seed = (uint64_t)(uintptr_t)ix ^ ((uint64_t)(uintptr_t)k << 13);
    grow(ix);
    for (size_t bi = 0; bi < k->n_bindings; bi++)
        for (size_t si = 0; si < k->bindings[bi]->n_subjects; si++)
            index_subject(k, ix, (uint32_t)bi, (uint32_t)si);
    collect_namespaces(k, ix);
    return ix;
}

void al_kube_index_free(struct al_kube_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->n_slots; i++)
        free(ix->slots[i].hits);
    free(ix->slots);
    free(ix);
}

static const struct slot *lookup(const struct al_kube_index *ix, char prefix, const char *name)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_putc(&b, prefix);
    al_buf_puts(&b, name);
    const struct slot *s = find_slot(ix->slots, ix->n_slots, ix->seed, b.ptr, b.len);
    al_buf_free(&b);
    return s->key ? s : NULL;
}

static void append(const struct slot *s, struct al_kube_hit **hits, size_t *cap, size_t *n)
{
    if (!s)
        return;
    *hits = al_grow(*hits, cap, *n + s->n, sizeof(**hits));
    memcpy(*hits + *n, s->hits, s->n * sizeof(**hits));
    *n += s->n;
}

static int cmp_hit(const void *a, const void *b)
{
    const struct al_kube_hit *x = a, *y = b;
    if (x->binding != y->binding)
        return x->binding < y->binding ? -1 : 1;
    return x->subject < y->subject ? -1 : x->subject > y->subject;
}

size_t al_kube_index_lookup(const struct al_kube *k, const struct al_kube_user *u,
                            struct al_kube_hit **hits, size_t *cap)
{
    const struct al_kube_index *ix = k->index;
    size_t n = 0;
    if (!ix)
        return 0;
    if (u->name)
        append(lookup(ix, 'U', u->name), hits, cap, &n);
    for (size_t g = 0; g < u->n_groups; g++) {
        /* A group listed twice must not count its bindings twice. */
        bool seen = false;
        for (size_t h = 0; h < g && !seen && g < 64; h++)
            seen = u->groups[h] && u->groups[g] && strcmp(u->groups[h], u->groups[g]) == 0;
        if (!seen && u->groups[g])
            append(lookup(ix, 'G', u->groups[g]), hits, cap, &n);
    }
    if (n > 1)
        al_qsort(*hits, n, sizeof(**hits), cmp_hit);
    /* Each binding once, with its first subject that names the user (the
     * one appliesTo returns). */
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (w == 0 || (*hits)[w - 1].binding != (*hits)[i].binding)
            (*hits)[w++] = (*hits)[i];
    return w;
}

const char *const *al_kube_namespaces(const struct al_kube *k, size_t *n)
{
    *n = k->index ? k->index->n_namespaces : 0;
    return k->index ? k->index->namespaces : NULL;
}

/* ---- roleRef resolution ---- */

static int cmp_rolekey(const void *a, const void *b)
{
    const struct rolekey *x = a, *y = b;
    int c = strcmp(x->ns, y->ns);
    return c ? c : strcmp(x->name, y->name);
}

/* GetRoleReferenceRules: kind Role names a Role in the binding's namespace,
 * ClusterRole a ClusterRole; anything else, or a missing role, grants
 * nothing (the authorizer logs an error and goes on). When two objects have
 * the same namespace and name, the later one wins, as a later `kubectl
 * apply` would. */
static struct al_kube_role *find_role(struct rolekey *keys, size_t n, const char *ns,
                                      const char *name)
{
    struct rolekey want = {ns, name, NULL, 0};
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_rolekey(&keys[mid], &want) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    struct al_kube_role *found = NULL;
    for (; lo < n && cmp_rolekey(&keys[lo], &want) == 0; lo++)
        found = keys[lo].role; /* equal keys are in load order: the latest wins */
    return found;
}

static int cmp_rolekey_order(const void *a, const void *b)
{
    int c = cmp_rolekey(a, b);
    if (c)
        return c;
    const struct rolekey *x = a, *y = b;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void resolve_binding(struct al_kube *k, struct al_kube_binding *b, struct rolekey *keys,
                            size_t n)
{
    b->role = NULL;
    if (!b->role_kind || !b->role_name)
        return;
    if (strcmp(b->role_kind, "ClusterRole") == 0)
        b->role = find_role(keys, n, "", b->role_name);
    else if (strcmp(b->role_kind, "Role") == 0 && !b->cluster)
        b->role = find_role(keys, n, b->namespace, b->role_name);
    const char *what = b->cluster ? "ClusterRoleBinding" : "RoleBinding";
    if (strcmp(b->role_kind, "Role") == 0 && b->cluster)
        al_kube_diag_add(k, AL_KUBE_WARNING, b->src,
                         "%s `%s` refers to a Role; a ClusterRoleBinding can only refer to a "
                         "ClusterRole, so it grants nothing",
                         what, b->name);
    else if (strcmp(b->role_kind, "Role") != 0 && strcmp(b->role_kind, "ClusterRole") != 0)
        al_kube_diag_add(k, AL_KUBE_WARNING, b->src,
                         "%s `%s` refers to a `%s`; roleRef.kind must be Role or ClusterRole, so "
                         "it grants nothing",
                         what, b->name, b->role_kind);
    else if (!b->role)
        al_kube_diag_add(k, AL_KUBE_WARNING, b->src,
                         "%s `%s` refers to %s `%s`, which is not in the RBAC input; it grants "
                         "nothing until that role exists",
                         what, b->name, b->role_kind, b->role_name);
}

void al_kube_resolve(struct al_kube *k)
{
    struct rolekey *keys = al_malloc((k->n_roles + 1) * sizeof(*keys));
    size_t n = 0;
    for (size_t i = 0; i < k->n_roles; i++) {
        struct al_kube_role *r = k->roles[i];
        if (!r->name)
            continue;
        keys[n].ns = r->cluster ? "" : r->namespace;
        keys[n].name = r->name;
        keys[n].order = i;
        keys[n++].role = r;
    }
    al_qsort(keys, n, sizeof(*keys), cmp_rolekey_order);
    for (size_t i = 0; i < k->n_bindings; i++)
        resolve_binding(k, k->bindings[i], keys, n);
    free(keys);
}
