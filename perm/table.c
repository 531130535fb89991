/* A user's permissions as a table of rows (resources, URLs) and verbs per
 * place, every cell asked of the RBAC authorizer's rule matching
 * (al_kube_rule_allows) over the grants al_kube_grants finds for the user:
 * the engine decides, this file only chooses the questions. */
#include "common/alloc.h"
#include "perm/table.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

/* Kubernetes' usual verbs, the columns rakkess shows, in its order. */
static const char *const USUAL[] = {"get",    "list",  "watch",  "create",
                                    "update", "patch", "delete", "deletecollection"};
enum { N_USUAL = sizeof USUAL / sizeof USUAL[0] };

void al_perm_axes_init(struct al_perm_axes *x)
{
    memset(x, 0, sizeof(*x));
    for (size_t i = 0; i < N_USUAL; i++) {
        x->verbs = al_grow(x->verbs, &x->cap_verbs, x->n_verbs + 1, sizeof(*x->verbs));
        x->verbs[x->n_verbs++] = USUAL[i];
    }
    x->places = al_grow(x->places, &x->cap_places, 1, sizeof(*x->places));
    x->places[x->n_places++] = NULL;
}

static void add_row(struct al_perm_axes *x, const char *group, const char *resource,
                    const char *url)
{
    x->rows = al_grow(x->rows, &x->cap_rows, x->n_rows + 1, sizeof(*x->rows));
    x->rows[x->n_rows++] = (struct al_perm_row){group, resource, url};
}

static void add_verb(struct al_perm_axes *x, const char *verb)
{
    x->verbs = al_grow(x->verbs, &x->cap_verbs, x->n_verbs + 1, sizeof(*x->verbs));
    x->verbs[x->n_verbs++] = verb;
}

static void add_place(struct al_perm_axes *x, const char *ns)
{
    x->places = al_grow(x->places, &x->cap_places, x->n_places + 1, sizeof(*x->places));
    x->places[x->n_places++] = al_arena_strdup(&x->arena, ns);
}

struct collect {
    struct al_perm_axes *x;
};

/* Strings are the engine's (they live as long as the set) or copies. */
static int collect_grant(void *data, const struct al_kube_grant *g)
{
    struct al_perm_axes *x = ((struct collect *)data)->x;
    const struct al_kube_rule *r = g->rule;
    if (g->namespace && *g->namespace)
        add_place(x, g->namespace);
    for (size_t v = 0; v < r->n_verbs; v++)
        add_verb(x, al_arena_strdup(&x->arena, r->verbs[v]));
    for (size_t a = 0; a < r->n_api_groups; a++)
        for (size_t k = 0; k < r->n_resources; k++)
            add_row(x, al_arena_strdup(&x->arena, r->api_groups[a]),
                    al_arena_strdup(&x->arena, r->resources[k]), NULL);
    for (size_t u = 0; u < r->n_non_resource_urls; u++)
        add_row(x, NULL, NULL, al_arena_strdup(&x->arena, r->non_resource_urls[u]));
    return 0;
}

void al_perm_axes_add(struct al_perm_axes *x, const struct al_kube *k, const struct al_kube_user *u,
                      const char *ns)
{
    struct collect c = {x};
    if (ns && *ns)
        add_place(x, ns);
    al_kube_grants(k, u, NULL, collect_grant, &c);
}

static int cmp_str(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    if (!x || !y)
        return x ? 1 : y ? -1 : 0; /* NULL (every namespace) first */
    return strcmp(x, y);
}

/* Resources by group ("" first, "*" with the others by byte order), then
 * name; URL rows last. */
static int cmp_row(const void *a, const void *b)
{
    const struct al_perm_row *x = a, *y = b;
    if (!x->url != !y->url)
        return x->url ? 1 : -1;
    if (x->url)
        return strcmp(x->url, y->url);
    int c = strcmp(x->api_group, y->api_group);
    return c ? c : strcmp(x->resource, y->resource);
}

static size_t unique_rows(struct al_perm_row *v, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (!w || cmp_row(&v[w - 1], &v[i]) != 0)
            v[w++] = v[i];
    return w;
}

static size_t unique_strs(const char **v, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (!w || cmp_str(&v[w - 1], &v[i]) != 0)
            v[w++] = v[i];
    return w;
}

static bool usual(const char *verb)
{
    for (size_t i = 0; i < N_USUAL; i++)
        if (strcmp(USUAL[i], verb) == 0)
            return true;
    return false;
}

/* The usual eight in their order, the others sorted, "*" last. */
static void sort_verbs(struct al_perm_axes *x)
{
    const char **other = al_malloc((x->n_verbs + 1) * sizeof(*other));
    size_t n = 0;
    bool star = false;
    for (size_t i = N_USUAL; i < x->n_verbs; i++) {
        if (strcmp(x->verbs[i], "*") == 0)
            star = true;
        else if (!usual(x->verbs[i]))
            other[n++] = x->verbs[i];
    }
    if (n)
        al_qsort(other, n, sizeof(*other), cmp_str);
    n = unique_strs(other, n);
    x->n_verbs = N_USUAL;
    for (size_t i = 0; i < n; i++)
        x->verbs[x->n_verbs++] = other[i];
    if (star)
        x->verbs[x->n_verbs++] = "*";
    free(other);
}

void al_perm_axes_sort(struct al_perm_axes *x)
{
    if (x->n_rows)
        al_qsort(x->rows, x->n_rows, sizeof(*x->rows), cmp_row);
    x->n_rows = unique_rows(x->rows, x->n_rows);
    al_qsort(x->places, x->n_places, sizeof(*x->places), cmp_str);
    x->n_places = unique_strs(x->places, x->n_places);
    sort_verbs(x);
}

void al_perm_axes_free(struct al_perm_axes *x)
{
    free(x->rows);
    free(x->verbs);
    free(x->places);
    al_arena_free(&x->arena);
    memset(x, 0, sizeof(*x));
}

/* ---- one table ---- */

struct grants {
    struct al_kube_grant *v;
    size_t n, cap;
};

static int keep_grant(void *data, const struct al_kube_grant *g)
{
    struct grants *G = data;
    G->v = al_grow(G->v, &G->cap, G->n + 1, sizeof(*G->v));
    G->v[G->n++] = *g;
    return 0;
}

/* The request a cell asks: a URL row, or RESOURCE[/SUB] in a group. */
static void request_of(const struct al_perm_row *row, const char *verb, const char *ns,
                       struct al_kube_request *r, char *resource, size_t cap)
{
    memset(r, 0, sizeof(*r));
    r->verb = verb;
    if (row->url) {
        r->path = row->url;
        return;
    }
    const char *slash = strchr(row->resource, '/');
    size_t n = slash ? (size_t)(slash - row->resource) : strlen(row->resource);
    if (n >= cap)
        n = cap - 1;
    memcpy(resource, row->resource, n);
    resource[n] = '\0';
    r->api_group = row->api_group;
    r->resource = resource;
    r->subresource = slash ? slash + 1 : NULL;
    r->namespace = ns;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names rules with resourceNames allow the request on (before any rule
 * allows it on every object). */
static void names_cell(struct al_perm_table *t, const struct grants *G, struct al_kube_request *r,
                       struct al_perm_cell *cell)
{
    const char **names = NULL;
    size_t n = 0, cap = 0;
    for (size_t g = 0; g < G->n; g++) {
        const struct al_kube_rule *rule = G->v[g].rule;
        for (size_t k = 0; k < rule->n_resource_names; k++) {
            r->name = rule->resource_names[k];
            if (!al_kube_rule_allows(rule, r))
                continue;
            if (!n)
                cell->by = G->v[g];
            names = al_grow(names, &cap, n + 1, sizeof(*names));
            names[n++] = rule->resource_names[k];
        }
    }
    r->name = NULL;
    if (!n)
        return;
    al_qsort(names, n, sizeof(*names), cmp_name);
    n = unique_strs(names, n);
    const char **kept = al_arena_alloc(&t->arena, n * sizeof(*kept));
    memcpy(kept, names, n * sizeof(*kept));
    free(names);
    cell->state = AL_PERM_NAMES;
    cell->names = kept;
    cell->n_names = n;
}

static void fill_cell(struct al_perm_table *t, const struct grants *G,
                      const struct al_perm_row *row, const char *verb, const char *ns,
                      struct al_perm_cell *cell)
{
    char resource[512];
    struct al_kube_request r;
    request_of(row, verb, ns, &r, resource, sizeof resource);
    for (size_t g = 0; g < G->n; g++) {
        if (al_kube_rule_allows(G->v[g].rule, &r)) {
            cell->state = AL_PERM_YES;
            cell->by = G->v[g];
            return;
        }
    }
    if (!row->url)
        names_cell(t, G, &r, cell);
}

void al_perm_table_build(struct al_perm_table *t, const struct al_perm_axes *x,
                         const struct al_kube *k, const struct al_kube_user *u)
{
    memset(t, 0, sizeof(*t));
    t->axes = x;
    size_t per_place = x->n_rows * x->n_verbs;
    t->cells = al_calloc(x->n_places * per_place + 1, sizeof(*t->cells));
    struct grants cluster = {NULL, 0, 0}, here = {NULL, 0, 0};
    /* Non-resource requests have no namespace: only ClusterRoleBindings
     * answer them; their cells are filled in the first place (every
     * namespace) only. */
    al_kube_grants(k, u, "", keep_grant, &cluster);
    for (size_t p = 0; p < x->n_places; p++) {
        const char *ns = x->places[p];
        here.n = 0;
        if (ns)
            al_kube_grants(k, u, ns, keep_grant, &here);
        for (size_t row = 0; row < x->n_rows; row++) {
            if (ns && x->rows[row].url)
                continue; /* the same in every place: shown once, in the first */
            const struct grants *G = ns ? &here : &cluster;
            for (size_t v = 0; v < x->n_verbs; v++)
                fill_cell(t, G, &x->rows[row], x->verbs[v], ns ? ns : "",
                          &t->cells[p * per_place + row * x->n_verbs + v]);
        }
    }
    free(cluster.v);
    free(here.v);
}

void al_perm_table_free(struct al_perm_table *t)
{
    free(t->cells);
    al_arena_free(&t->arena);
    memset(t, 0, sizeof(*t));
}

const struct al_perm_cell *al_perm_table_cell(const struct al_perm_table *t, size_t place,
                                              size_t row, size_t verb)
{
    const struct al_perm_axes *x = t->axes;
    return &t->cells[(place * x->n_rows + row) * x->n_verbs + verb];
}

bool al_perm_table_place_any(const struct al_perm_table *t, size_t place)
{
    for (size_t r = 0; r < t->axes->n_rows; r++)
        for (size_t v = 0; v < t->axes->n_verbs; v++)
            if (al_perm_table_cell(t, place, r, v)->state != AL_PERM_NO)
                return true;
    return false;
}

bool al_perm_table_row_any(const struct al_perm_table *t, size_t row)
{
    for (size_t p = 0; p < t->axes->n_places; p++)
        for (size_t v = 0; v < t->axes->n_verbs; v++)
            if (al_perm_table_cell(t, p, row, v)->state != AL_PERM_NO)
                return true;
    return false;
}

void al_perm_user_copy(struct al_arena *arena, const struct al_kube_user *u,
                       struct al_kube_user *out)
{
    const char **g = al_arena_alloc(arena, (u->n_groups + 1) * sizeof(*g));
    for (size_t i = 0; i < u->n_groups; i++)
        g[i] = al_arena_strdup(arena, u->groups[i]);
    out->name = al_arena_strdup(arena, u->name ? u->name : "");
    out->groups = g;
    out->n_groups = u->n_groups;
}

void al_perm_row_name(const struct al_perm_row *r, struct al_buf *out)
{
    if (r->url) {
        al_buf_puts(out, r->url);
        return;
    }
    const char *slash = strchr(r->resource, '/');
    size_t n = slash ? (size_t)(slash - r->resource) : strlen(r->resource);
    al_buf_put(out, r->resource, n);
    if (*r->api_group) {
        al_buf_putc(out, '.');
        al_buf_puts(out, r->api_group);
    }
    if (slash)
        al_buf_puts(out, slash);
}

/* Whether every name in a's list is in b's (both sorted). */
static bool names_within(const struct al_perm_cell *a, const struct al_perm_cell *b)
{
    size_t j = 0;
    for (size_t i = 0; i < a->n_names; i++) {
        while (j < b->n_names && strcmp(b->names[j], a->names[i]) < 0)
            j++;
        if (j == b->n_names || strcmp(b->names[j], a->names[i]) != 0)
            return false;
    }
    return true;
}

/* a's objects are all among b's. */
static bool within(const struct al_perm_cell *a, const struct al_perm_cell *b)
{
    if (a->state == AL_PERM_NO || b->state == AL_PERM_YES)
        return true;
    if (a->state == AL_PERM_YES || b->state == AL_PERM_NO)
        return false;
    return names_within(a, b);
}

enum al_perm_change al_perm_cell_compare(const struct al_perm_cell *a, const struct al_perm_cell *b)
{
    bool wider = !within(b, a), narrower = !within(a, b);
    return wider && narrower ? AL_PERM_MIXED
           : wider           ? AL_PERM_WIDER
           : narrower        ? AL_PERM_NARROWER
                             : AL_PERM_SAME;
}
