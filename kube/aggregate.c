/* ClusterRole aggregation, as pkg/controller/clusterroleaggregation does it:
 * an aggregated ClusterRole's rules become, selector by selector, the rules
 * of every ClusterRole its label selector matches (sorted by name, itself
 * skipped), each distinct rule once (equality.Semantic.DeepEqual: nil and
 * empty lists equal). Roles that are aggregated in turn (edit is selected
 * by admin's selector) contribute their own aggregated rules, so the sync is
 * repeated, in name order, until nothing changes: the state the controller
 * converges to. A selector that does not parse (In without values, an
 * unknown operator) makes the controller fail for that role, which then
 * keeps the rules it was written with. */
#include "common/alloc.h"
#include "kube/kube_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/str.h"

/* Rules one aggregation may gather, in all: a hostile file of 10,000
 * roles each selecting everything must not take quadratic memory. */
enum {
    MAX_AGGREGATED_RULES = 4 * 1000 * 1000,
    MAX_ROUNDS = 64,
    MAX_SELECTOR_TESTS = 50 * 1000 * 1000
};

static const char *label_value(const struct al_kube_role *role, const char *key)
{
    for (size_t i = 0; i < role->n_labels; i++)
        if (strcmp(role->labels[i].key, key) == 0)
            return role->labels[i].value;
    return NULL;
}

static bool in_values(const struct al_kube_selexpr *e, const char *v)
{
    for (size_t i = 0; i < e->n_values; i++)
        if (e->values[i] && strcmp(e->values[i], v) == 0)
            return true;
    return false;
}

/* labels.Selector.Matches for LabelSelectorAsSelector: NotIn and
 * DoesNotExist hold when the label is absent. */
static bool expr_matches(const struct al_kube_selexpr *e, const struct al_kube_role *role)
{
    const char *v = e->key ? label_value(role, e->key) : NULL;
    switch (e->op) {
    case AL_KUBE_SEL_IN:
        return v && in_values(e, v);
    case AL_KUBE_SEL_NOT_IN:
        return !v || !in_values(e, v);
    case AL_KUBE_SEL_EXISTS:
        return v != NULL;
    case AL_KUBE_SEL_DOES_NOT_EXIST:
        return v == NULL;
    }
    return false;
}

bool al_kube_selector_matches(const struct al_kube_selector *s, const struct al_kube_role *role)
{
    if (s->invalid)
        return false;
    for (size_t i = 0; i < s->n_match_labels; i++) {
        const char *v = label_value(role, s->match_labels[i].key);
        if (!v || strcmp(v, s->match_labels[i].value) != 0)
            return false;
    }
    for (size_t i = 0; i < s->n_exprs; i++)
        if (!expr_matches(&s->exprs[i], role))
            return false;
    return true;
}

/* ---- distinct rules ---- */

static void put_list(struct al_buf *b, const char *const *v, size_t n)
{
    al_buf_printf(b, "%zu:", n);
    for (size_t i = 0; i < n; i++) {
        al_buf_printf(b, "%zu:", strlen(v[i]));
        al_buf_puts(b, v[i]);
    }
    al_buf_putc(b, '|');
}

/* A rule's identity for DeepEqual: its five lists, in order. */
static void rule_key(struct al_buf *b, const struct al_kube_rule *r)
{
    al_buf_clear(b);
    put_list(b, r->verbs, r->n_verbs);
    put_list(b, r->api_groups, r->n_api_groups);
    put_list(b, r->resources, r->n_resources);
    put_list(b, r->resource_names, r->n_resource_names);
    put_list(b, r->non_resource_urls, r->n_non_resource_urls);
}

struct ruleset {
    struct al_kube_rule *rules;
    size_t n, cap;
    char **keys; /* open addressing; NULL empty */
    size_t n_slots;
    struct al_buf key;
};

static bool ruleset_add(struct ruleset *s, const struct al_kube_rule *r)
{
    if ((s->n + 1) * 2 > s->n_slots) {
        size_t n = s->n_slots ? s->n_slots * 2 : 64;
        char **keys = al_calloc(n, sizeof(*keys));
        for (size_t i = 0; i < s->n_slots; i++) {
            if (!s->keys[i])
                continue;
            size_t j = al_hash_mix(al_str_hash(s->keys[i], strlen(s->keys[i]), 0)) & (n - 1);
            while (keys[j])
                j = (j + 1) & (n - 1);
            keys[j] = s->keys[i];
        }
        free(s->keys);
        s->keys = keys;
        s->n_slots = n;
    }
    rule_key(&s->key, r);
    size_t j = al_hash_mix(al_str_hash(s->key.ptr, s->key.len, 0)) & (s->n_slots - 1);
    for (; s->keys[j]; j = (j + 1) & (s->n_slots - 1))
        if (strcmp(s->keys[j], s->key.ptr) == 0)
            return false;
    s->keys[j] = al_strdup(s->key.ptr);
    s->rules = al_grow(s->rules, &s->cap, s->n + 1, sizeof(*s->rules));
    s->rules[s->n++] = *r;
    return true;
}

static void ruleset_reset(struct ruleset *s)
{
    for (size_t i = 0; i < s->n_slots; i++) {
        free(s->keys[i]);
        s->keys[i] = NULL;
    }
    s->n = 0;
}

static void ruleset_free(struct ruleset *s)
{
    ruleset_reset(s);
    free(s->keys);
    free(s->rules);
    al_buf_free(&s->key);
}

/* ---- the controller ---- */

struct agg {
    struct al_kube *k;
    struct al_kube_role **cluster; /* every ClusterRole, sorted by name */
    size_t n_cluster;
    struct ruleset set;
    size_t gathered; /* rules copied so far, against MAX_AGGREGATED_RULES */
    size_t tests;    /* selector tests so far, against MAX_SELECTOR_TESTS */
    bool too_large;
};

static int cmp_role_name(const void *a, const void *b)
{
    const struct al_kube_role *x = *(struct al_kube_role *const *)a;
    const struct al_kube_role *y = *(struct al_kube_role *const *)b;
    return strcmp(x->name, y->name);
}

static bool same_rules(const struct al_kube_rule *a, size_t na, const struct al_kube_rule *b,
                       size_t nb)
{
    if (na != nb)
        return false;
    struct al_buf x = AL_BUF_INIT, y = AL_BUF_INIT;
    bool same = true;
    for (size_t i = 0; i < na && same; i++) {
        rule_key(&x, &a[i]);
        rule_key(&y, &b[i]);
        same = strcmp(x.ptr, y.ptr) == 0;
    }
    al_buf_free(&x);
    al_buf_free(&y);
    return same;
}

/* syncClusterRole for one role; true when its rules changed. */
static bool sync_role(struct agg *g, struct al_kube_role *role)
{
    for (size_t s = 0; s < role->n_selectors; s++)
        if (role->selectors[s].invalid)
            return false;
    ruleset_reset(&g->set);
    g->tests += role->n_selectors * g->n_cluster;
    if (g->tests > MAX_SELECTOR_TESTS) {
        g->too_large = true;
        return false;
    }
    for (size_t s = 0; s < role->n_selectors; s++)
        for (size_t i = 0; i < g->n_cluster; i++) {
            const struct al_kube_role *m = g->cluster[i];
            if (strcmp(m->name, role->name) == 0 ||
                !al_kube_selector_matches(&role->selectors[s], m))
                continue;
            for (size_t r = 0; r < m->n_rules; r++)
                ruleset_add(&g->set, &m->rules[r]);
        }
    if (same_rules(g->set.rules, g->set.n, role->rules, role->n_rules))
        return false;
    g->gathered += g->set.n;
    if (g->gathered > MAX_AGGREGATED_RULES) {
        g->too_large = true;
        return false;
    }
    struct al_kube_rule *rules = al_arena_alloc(&g->k->arena, (g->set.n + 1) * sizeof(*rules));
    if (g->set.n)
        memcpy(rules, g->set.rules, g->set.n * sizeof(*rules));
    role->rules = rules;
    role->n_rules = g->set.n;
    return true;
}

void al_kube_aggregate(struct al_kube *k)
{
    struct agg g = {.k = k};
    size_t n_agg = 0;
    g.cluster = al_malloc((k->n_roles + 1) * sizeof(*g.cluster));
    for (size_t i = 0; i < k->n_roles; i++)
        if (k->roles[i]->cluster && k->roles[i]->name) {
            g.cluster[g.n_cluster++] = k->roles[i];
            n_agg += k->roles[i]->aggregated;
        }
    if (n_agg == 0) {
        free(g.cluster);
        return;
    }
    al_qsort(g.cluster, g.n_cluster, sizeof(*g.cluster), cmp_role_name);
    bool changed = true;
    int round = 0;
    for (; changed && round < MAX_ROUNDS && !g.too_large; round++) {
        changed = false;
        for (size_t i = 0; i < g.n_cluster && !g.too_large; i++)
            if (g.cluster[i]->aggregated)
                changed |= sync_role(&g, g.cluster[i]);
    }
    struct al_kube_src none = {NULL, 0, 0};
    if (g.too_large)
        al_kube_diag_add(k, AL_KUBE_ERROR, none,
                         "ClusterRole aggregation is too large to compute (more than %d rules "
                         "gathered or %d selector tests); it stopped there, so aggregated roles "
                         "may show fewer rules than the cluster's",
                         MAX_AGGREGATED_RULES, MAX_SELECTOR_TESTS);
    else if (changed)
        al_kube_diag_add(k, AL_KUBE_WARNING, none,
                         "ClusterRole aggregation did not settle after %d rounds (roles select "
                         "each other); the rules shown are those of the last round",
                         MAX_ROUNDS);
    for (size_t i = 0; i < g.n_cluster; i++)
        for (size_t s = 0; s < g.cluster[i]->n_selectors; s++)
            if (g.cluster[i]->selectors[s].invalid) {
                al_kube_diag_add(k, AL_KUBE_WARNING, g.cluster[i]->src,
                                 "ClusterRole `%s` has an invalid aggregation selector (In and "
                                 "NotIn need values, Exists and DoesNotExist take none); the "
                                 "controller fails on it and the role keeps its written rules",
                                 g.cluster[i]->name);
                break;
            }
    ruleset_free(&g.set);
    free(g.cluster);
}
