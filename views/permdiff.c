#include "common/alloc.h"
#include "views/permdiff.h"

#include "common/buf.h"

#include <stdlib.h>
#include <string.h>

/* ---- the identities: every User and Group subject, every CI job, the agent ---- */

struct ident {
    enum al_kube_subject_kind kind;
    const char *name;
    const char *ns; /* service account */
};

static int ident_cmp(const void *a, const void *b)
{
    const struct ident *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->ns ? x->ns : "", y->ns ? y->ns : "");
}

struct idents {
    struct ident *items;
    size_t n, cap;
};

static void ident_add(struct idents *ids, enum al_kube_subject_kind kind, const char *name,
                      const char *ns)
{
    ids->items = al_grow(ids->items, &ids->cap, ids->n + 1, sizeof(*ids->items));
    ids->items[ids->n++] = (struct ident){kind, name, ns};
}

static void collect(const struct al_kube *k, struct idents *ids)
{
    for (size_t i = 0; i < k->n_bindings; i++) {
        const struct al_kube_binding *b = k->bindings[i];
        for (size_t j = 0; !b->builtin && j < b->n_subjects; j++) {
            const struct al_kube_subject *s = &b->subjects[j];
            if ((s->kind == AL_KUBE_USER || s->kind == AL_KUBE_GROUP) && s->name)
                ident_add(ids, s->kind, s->name, NULL);
        }
    }
}

static void identities(const struct al_kube *base, const struct al_kube *head,
                       const struct al_permdiff_opts *o, struct idents *ids)
{
    ident_add(ids, AL_KUBE_GROUP, "gitlab:ci_job", NULL); /* every CI job */
    if (o && o->agent_sa_namespace)
        ident_add(ids, AL_KUBE_SERVICE_ACCOUNT, o->agent_sa_name, o->agent_sa_namespace);
    collect(base, ids);
    collect(head, ids);
    al_qsort(ids->items, ids->n, sizeof(*ids->items), ident_cmp);
    size_t k = 0;
    for (size_t i = 0; i < ids->n; i++)
        if (k == 0 || ident_cmp(&ids->items[k - 1], &ids->items[i]) != 0)
            ids->items[k++] = ids->items[i];
    ids->n = k;
}

static void user_of(struct al_kube *k, const struct ident *id, struct al_kube_user *u)
{
    if (id->kind == AL_KUBE_SERVICE_ACCOUNT) {
        al_kube_user_sa(k, id->ns, id->name, u);
    } else if (id->kind == AL_KUBE_GROUP) {
        /* A member of the group, and nothing else: what the group adds. */
        u->name = "";
        u->groups = &id->name;
        u->n_groups = 1;
    } else {
        u->name = id->name;
        u->groups = NULL;
        u->n_groups = 0;
    }
}

/* ---- permissions ---- */

struct perms {
    struct al_perm *items;
    size_t n, cap;
};

static void perm_add(struct perms *ps, const struct al_kube_grant *g, const char *verb,
                     const char *group, const char *resource, const char *name)
{
    ps->items = al_grow(ps->items, &ps->cap, ps->n + 1, sizeof(*ps->items));
    ps->items[ps->n++] = (struct al_perm){
        g->namespace,          verb,           group, resource, name, g->binding->name,
        g->binding->role_name, g->binding->src};
}

static void expand_resources(struct perms *ps, const struct al_kube_grant *g, const char *verb)
{
    const struct al_kube_rule *r = g->rule;
    for (size_t a = 0; a < r->n_api_groups; a++)
        for (size_t b = 0; b < r->n_resources; b++) {
            if (!r->n_resource_names)
                perm_add(ps, g, verb, r->api_groups[a], r->resources[b], NULL);
            for (size_t c = 0; c < r->n_resource_names; c++)
                perm_add(ps, g, verb, r->api_groups[a], r->resources[b], r->resource_names[c]);
        }
}

static int grant_visit(void *data, const struct al_kube_grant *g)
{
    struct perms *ps = data;
    const struct al_kube_rule *r = g->rule;
    for (size_t v = 0; v < r->n_verbs; v++) {
        expand_resources(ps, g, r->verbs[v]);
        if (!g->namespace) /* non-resource URLs count in ClusterRoleBindings only */
            for (size_t u = 0; u < r->n_non_resource_urls; u++)
                perm_add(ps, g, r->verbs[v], NULL, r->non_resource_urls[u], NULL);
    }
    return 0;
}

static int str_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    return strcmp(a, b);
}

static int perm_cmp(const void *x, const void *y)
{
    const struct al_perm *a = x, *b = y;
    int c = str_cmp(a->namespace, b->namespace);
    if (!c)
        c = str_cmp(a->api_group, b->api_group);
    if (!c)
        c = strcmp(a->resource, b->resource);
    if (!c)
        c = str_cmp(a->resource_name, b->resource_name);
    return c ? c : strcmp(a->verb, b->verb);
}

static void perms_of(struct al_kube *k, const struct al_kube_user *u, struct perms *ps)
{
    al_kube_grants(k, u, NULL, grant_visit, ps);
    if (ps->n)
        al_qsort(ps->items, ps->n, sizeof(*ps->items), perm_cmp);
    size_t n = 0;
    for (size_t i = 0; i < ps->n; i++)
        if (n == 0 || perm_cmp(&ps->items[n - 1], &ps->items[i]) != 0)
            ps->items[n++] = ps->items[i];
    ps->n = n;
}

/* Whether `other` lets the user do `p`: asked of the authorizer, so that a
 * `*` or a wider binding on the other side covers it. A `*` in p is asked
 * literally, which only a `*` rule allows: never wider than it is. */
static bool allowed(const struct al_kube *other, const struct al_kube_user *u,
                    const struct al_perm *p)
{
    struct al_kube_request q = {p->verb, NULL, NULL, NULL, p->resource_name, p->namespace, NULL};
    char *res = NULL;
    if (!p->api_group) {
        q.path = p->resource;
    } else {
        q.api_group = p->api_group;
        res = strdup(p->resource);
        char *slash = strchr(res, '/');
        if (slash)
            *slash = '\0', q.subresource = slash + 1;
        q.resource = res;
    }
    struct al_kube_answer a;
    bool ok = al_kube_authorize(other, u, &q, &a);
    free(res);
    return ok;
}

/* The permissions of `from` that `to` does not allow, copied into the arena. */
static struct al_perm *missing(struct al_permdiff *d, const struct perms *from,
                               const struct al_kube *to, const struct al_kube_user *u, size_t *n)
{
    struct al_perm *out = NULL;
    size_t cap = 0;
    *n = 0;
    for (size_t i = 0; i < from->n; i++) {
        if (allowed(to, u, &from->items[i]))
            continue;
        out = al_grow(out, &cap, *n + 1, sizeof(*out));
        out[(*n)++] = from->items[i];
    }
    struct al_perm *kept = al_arena_alloc(&d->arena, (*n ? *n : 1) * sizeof(*kept));
    if (*n)
        memcpy(kept, out, *n * sizeof(*kept));
    free(out);
    return kept;
}

static const char *kind_name(enum al_kube_subject_kind k)
{
    return al_kube_subject_kind_name(k);
}

static void compare(struct al_kube *base, struct al_kube *head, const struct ident *id,
                    struct al_permdiff *d)
{
    struct al_kube_user ub, uh;
    user_of(base, id, &ub);
    user_of(head, id, &uh);
    struct perms pb = {0}, ph = {0};
    perms_of(base, &ub, &pb);
    perms_of(head, &uh, &ph);
    struct al_permdiff_identity it = {0};
    it.added = missing(d, &ph, base, &ub, &it.n_added);
    it.removed = missing(d, &pb, head, &uh, &it.n_removed);
    free(pb.items);
    free(ph.items);
    if (!it.n_added && !it.n_removed)
        return;
    struct al_buf name = AL_BUF_INIT;
    if (id->kind == AL_KUBE_SERVICE_ACCOUNT)
        al_buf_printf(&name, "%s/%s", id->ns, id->name);
    else
        al_buf_puts(&name, id->name);
    it.name = al_arena_strdup(&d->arena, al_buf_cstr(&name));
    al_buf_free(&name);
    it.kind = kind_name(id->kind);
    d->items = al_grow(d->items, &d->cap, d->n + 1, sizeof(*d->items));
    d->items[d->n++] = it;
    d->n_added += it.n_added;
    d->n_removed += it.n_removed;
}

void al_permdiff_build(struct al_kube *base, struct al_kube *head, const struct al_permdiff_opts *o,
                       struct al_permdiff *out)
{
    memset(out, 0, sizeof *out);
    struct idents ids = {0};
    identities(base, head, o, &ids);
    for (size_t i = 0; i < ids.n; i++)
        compare(base, head, &ids.items[i], out);
    free(ids.items);
}

int al_permdiff_granted(struct al_kube *k, const struct al_permdiff_opts *o,
                        struct al_permdiff *out)
{
    memset(out, 0, sizeof *out);
    struct al_kube *defaults = al_kube_new();
    int rc = k->defaults_version ? al_kube_add_defaults(defaults, k->defaults_version) : 0;
    if (rc == 0)
        rc = al_kube_finish(defaults);
    if (rc == 0)
        al_permdiff_build(defaults, k, o, out);
    al_kube_free(defaults);
    return rc;
}

void al_permdiff_free(struct al_permdiff *d)
{
    free(d->items);
    al_arena_free(&d->arena);
    memset(d, 0, sizeof *d);
}

static bool same_but_verb(const struct al_perm *a, const struct al_perm *b)
{
    return !str_cmp(a->namespace, b->namespace) && !str_cmp(a->api_group, b->api_group) &&
           !strcmp(a->resource, b->resource) && !str_cmp(a->resource_name, b->resource_name) &&
           !str_cmp(a->binding, b->binding) && !str_cmp(a->role, b->role);
}

size_t al_perm_run(const struct al_perm *ps, size_t n)
{
    size_t k = n ? 1 : 0;
    while (k < n && same_but_verb(&ps[0], &ps[k]))
        k++;
    return k;
}

char *al_perm_describe(const struct al_perm *ps, size_t n)
{
    struct al_buf b = AL_BUF_INIT;
    const struct al_perm *p = &ps[0];
    for (size_t i = 0; i < n; i++)
        al_buf_printf(&b, "%s%s", i ? ", " : "", ps[i].verb);
    al_buf_printf(&b, " %s", p->resource);
    if (p->resource_name)
        al_buf_printf(&b, " named %s", p->resource_name);
    if (p->api_group && *p->api_group)
        al_buf_printf(&b, " (API group %s)", p->api_group);
    if (!p->api_group)
        return al_buf_detach(&b);
    if (p->namespace)
        al_buf_printf(&b, " in namespace %s", p->namespace);
    else
        al_buf_puts(&b, " in every namespace");
    return al_buf_detach(&b);
}
