/* RBAC objects from YAML or JSON text. The text is read by the project's
 * one YAML loader (model/yaml.h: bounded, aliases safe) in stream mode;
 * each document is an object or a `kind: List` of them, as kubectl writes.
 *
 * Types are checked as sigs.k8s.io/yaml + encoding/json would: a field of
 * type string given a number or a YAML 1.1 boolean (`on`, `yes`) makes
 * kubectl and the API server refuse the object, so it is an error here and
 * the object is left out, as it would be from the cluster. */
#include "kube/kube_int.h"

#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/str.h"
#include "model/yaml.h"

struct reader {
    struct al_kube *k;
    const char *file;
    bool bad; /* the object being read has an error (reported once) */
};

static struct al_kube_src src_at(const struct reader *r, const struct al_ynode *n)
{
    struct al_kube_src s = {r->file, n ? n->pos.line : 0, n ? n->pos.col : 0};
    return s;
}

static void object_error(struct reader *r, const struct al_ynode *n, const char *fmt,
                         const char *what)
{
    if (r->bad)
        return;
    r->bad = true;
    al_kube_diag_add(r->k, AL_KUBE_ERROR, src_at(r, n), fmt, what);
}

/* A string field: NULL when absent or null; an error when not a string or
 * when it holds a NUL byte (which would make two names look alike). */
static const char *str_field(struct reader *r, const struct al_ynode *map, const char *key,
                             bool required)
{
    const struct al_ynode *v = al_ymap_get(map, key);
    if (!v || v->kind == AL_YNULL) {
        if (required)
            object_error(r, map, "the object has no `%s`; Kubernetes rejects it, so it is left out",
                         key);
        return NULL;
    }
    if (v->kind != AL_YSTR) {
        object_error(r, v,
                     "`%s` must be a string (quote it); Kubernetes rejects the object, so it is "
                     "left out",
                     key);
        return NULL;
    }
    if (strlen(v->str) != v->len) {
        object_error(r, v, "`%s` holds a NUL character; the object is left out", key);
        return NULL;
    }
    return al_arena_strndup(&r->k->arena, v->str, v->len);
}

/* A list of strings (null: empty). */
static const char *const *str_list(struct reader *r, const struct al_ynode *map, const char *key,
                                   size_t *n)
{
    *n = 0;
    const struct al_ynode *v = al_ymap_get(map, key);
    if (!v || v->kind == AL_YNULL)
        return NULL;
    if (v->kind != AL_YSEQ) {
        object_error(r, v, "`%s` must be a list of strings; the object is left out", key);
        return NULL;
    }
    const char **out = al_arena_alloc(&r->k->arena, (v->n + 1) * sizeof(*out));
    for (size_t i = 0; i < v->n; i++) {
        const struct al_ynode *it = v->items[i];
        if (it->kind != AL_YSTR || strlen(it->str) != it->len) {
            object_error(r, it,
                         "every item of `%s` must be a string (quote `yes`, `on`, numbers); "
                         "Kubernetes rejects the object, so it is left out",
                         key);
            return NULL;
        }
        out[i] = al_arena_strndup(&r->k->arena, it->str, it->len);
    }
    *n = v->n;
    return out;
}

static const struct al_ynode *map_field(struct reader *r, const struct al_ynode *map,
                                        const char *key)
{
    const struct al_ynode *v = al_ymap_get(map, key);
    if (!v || v->kind == AL_YNULL)
        return NULL;
    if (v->kind != AL_YMAP) {
        object_error(r, v, "`%s` must be a mapping; the object is left out", key);
        return NULL;
    }
    return v;
}

static const struct al_ynode *seq_field(struct reader *r, const struct al_ynode *map,
                                        const char *key)
{
    const struct al_ynode *v = al_ymap_get(map, key);
    if (!v || v->kind == AL_YNULL)
        return NULL;
    if (v->kind != AL_YSEQ) {
        object_error(r, v, "`%s` must be a list; the object is left out", key);
        return NULL;
    }
    return v;
}

/* map[string]string: labels, matchLabels. */
static const struct al_kube_label *labels_of(struct reader *r, const struct al_ynode *map,
                                             size_t *n)
{
    *n = 0;
    if (!map)
        return NULL;
    struct al_kube_label *out = al_arena_alloc(&r->k->arena, (map->n + 1) * sizeof(*out));
    for (size_t i = 0; i < map->n; i++) {
        const struct al_ypair *p = &map->pairs[i];
        if (p->val->kind != AL_YSTR || strlen(p->val->str) != p->val->len) {
            object_error(r, p->val,
                         "label `%s` must have a string value (quote `true`); Kubernetes rejects "
                         "the object, so it is left out",
                         p->name);
            return NULL;
        }
        out[i].key = al_arena_strdup(&r->k->arena, p->name);
        out[i].value = al_arena_strndup(&r->k->arena, p->val->str, p->val->len);
    }
    *n = map->n;
    return out;
}

static void rule_of(struct reader *r, const struct al_ynode *m, struct al_kube_rule *out)
{
    memset(out, 0, sizeof(*out));
    out->src = src_at(r, m);
    if (m->kind != AL_YMAP) {
        object_error(r, m, "every item of `%s` must be a mapping; the object is left out", "rules");
        return;
    }
    out->verbs = str_list(r, m, "verbs", &out->n_verbs);
    out->api_groups = str_list(r, m, "apiGroups", &out->n_api_groups);
    out->resources = str_list(r, m, "resources", &out->n_resources);
    out->resource_names = str_list(r, m, "resourceNames", &out->n_resource_names);
    out->non_resource_urls = str_list(r, m, "nonResourceURLs", &out->n_non_resource_urls);
}

static const struct al_kube_rule *rules_of(struct reader *r, const struct al_ynode *obj, size_t *n)
{
    *n = 0;
    const struct al_ynode *seq = seq_field(r, obj, "rules");
    if (!seq)
        return NULL;
    struct al_kube_rule *out = al_arena_alloc(&r->k->arena, (seq->n + 1) * sizeof(*out));
    for (size_t i = 0; i < seq->n; i++)
        rule_of(r, seq->items[i], &out[i]);
    *n = seq->n;
    return out;
}

static int selop_of(const char *op)
{
    static const char *const names[] = {"In", "NotIn", "Exists", "DoesNotExist"};
    for (int i = 0; i < 4; i++)
        if (op && strcmp(op, names[i]) == 0)
            return i;
    return -1;
}

/* metav1.LabelSelectorAsSelector's validation: In/NotIn need values,
 * Exists/DoesNotExist take none; an unknown operator is invalid. The
 * aggregation controller skips a role whose selector is invalid. */
static void selexpr_of(struct reader *r, const struct al_ynode *m, struct al_kube_selexpr *e,
                       bool *invalid)
{
    if (m->kind != AL_YMAP) {
        object_error(r, m, "every item of `%s` must be a mapping; the object is left out",
                     "matchExpressions");
        return;
    }
    e->key = str_field(r, m, "key", true);
    const char *op = str_field(r, m, "operator", true);
    e->values = str_list(r, m, "values", &e->n_values);
    int o = selop_of(op);
    if (o < 0) {
        *invalid = true;
        return;
    }
    e->op = (enum al_kube_selop)o;
    bool takes_values = e->op == AL_KUBE_SEL_IN || e->op == AL_KUBE_SEL_NOT_IN;
    if (takes_values != (e->n_values > 0))
        *invalid = true;
}

static void selector_of(struct reader *r, const struct al_ynode *m, struct al_kube_selector *s)
{
    memset(s, 0, sizeof(*s));
    if (m->kind != AL_YMAP) {
        object_error(r, m, "every item of `%s` must be a mapping; the object is left out",
                     "clusterRoleSelectors");
        return;
    }
    s->match_labels = labels_of(r, map_field(r, m, "matchLabels"), &s->n_match_labels);
    const struct al_ynode *ex = seq_field(r, m, "matchExpressions");
    if (!ex)
        return;
    struct al_kube_selexpr *e = al_arena_alloc(&r->k->arena, (ex->n + 1) * sizeof(*e));
    for (size_t i = 0; i < ex->n; i++)
        selexpr_of(r, ex->items[i], &e[i], &s->invalid);
    s->exprs = e;
    s->n_exprs = ex->n;
}

static void aggregation_of(struct reader *r, const struct al_ynode *obj, struct al_kube_role *role)
{
    const struct al_ynode *agg = map_field(r, obj, "aggregationRule");
    if (!agg)
        return;
    role->aggregated = true;
    const struct al_ynode *sels = seq_field(r, agg, "clusterRoleSelectors");
    if (!sels)
        return;
    struct al_kube_selector *s = al_arena_alloc(&r->k->arena, (sels->n + 1) * sizeof(*s));
    for (size_t i = 0; i < sels->n; i++)
        selector_of(r, sels->items[i], &s[i]);
    role->selectors = s;
    role->n_selectors = sels->n;
}

/* Role and RoleBinding without a namespace: kubectl apply puts them in the
 * context's namespace, "default" unless set. */
static const char *namespace_of(struct reader *r, const struct al_ynode *meta,
                                const struct al_ynode *obj, bool namespaced, const char *kind)
{
    const char *ns = str_field(r, meta, "namespace", false);
    if (!namespaced)
        return NULL;
    if (ns && *ns)
        return ns;
    al_kube_diag_add(r->k, AL_KUBE_NOTE, src_at(r, obj),
                     "this %s has no metadata.namespace; kubectl would create it in the "
                     "context's namespace, taken here as `default`",
                     kind);
    return "default";
}

static void read_role(struct reader *r, const struct al_ynode *obj, const struct al_ynode *meta,
                      bool cluster, bool builtin)
{
    struct al_kube_role *role = al_arena_alloc(&r->k->arena, sizeof(*role));
    role->cluster = cluster;
    role->builtin = builtin;
    role->src = src_at(r, obj);
    role->name = str_field(r, meta, "name", true);
    role->namespace = namespace_of(r, meta, obj, !cluster, "Role");
    role->labels = labels_of(r, map_field(r, meta, "labels"), &role->n_labels);
    role->rules = rules_of(r, obj, &role->n_rules);
    if (cluster)
        aggregation_of(r, obj, role);
    if (!r->bad)
        al_kube_role_add(r->k, role);
}

static void subject_of(struct reader *r, const struct al_ynode *m, struct al_kube_subject *s)
{
    memset(s, 0, sizeof(*s));
    s->src = src_at(r, m);
    if (m->kind != AL_YMAP) {
        object_error(r, m, "every item of `%s` must be a mapping; the object is left out",
                     "subjects");
        return;
    }
    s->kind_text = str_field(r, m, "kind", true);
    s->name = str_field(r, m, "name", true);
    s->namespace = str_field(r, m, "namespace", false);
    s->api_group = str_field(r, m, "apiGroup", false);
    s->kind = al_kube_subject_kind_parse(s->kind_text);
    if (s->kind == AL_KUBE_OTHER && s->kind_text)
        al_kube_diag_add(r->k, AL_KUBE_WARNING, s->src,
                         "subject kind `%s` is not User, Group or ServiceAccount (Kubernetes "
                         "compares the kind exactly); this subject matches nobody",
                         s->kind_text);
}

static void read_binding(struct reader *r, const struct al_ynode *obj, const struct al_ynode *meta,
                         bool cluster, bool builtin)
{
    struct al_kube_binding *b = al_arena_alloc(&r->k->arena, sizeof(*b));
    b->cluster = cluster;
    b->builtin = builtin;
    b->src = src_at(r, obj);
    b->name = str_field(r, meta, "name", true);
    b->namespace = namespace_of(r, meta, obj, !cluster, "RoleBinding");
    const struct al_ynode *ref = map_field(r, obj, "roleRef");
    if (!ref && !r->bad)
        object_error(r, obj, "the binding has no `%s`; Kubernetes rejects it, so it is left out",
                     "roleRef");
    if (ref) {
        b->role_kind = str_field(r, ref, "kind", true);
        b->role_name = str_field(r, ref, "name", true);
        b->role_api_group = str_field(r, ref, "apiGroup", false);
    }
    const struct al_ynode *subs = seq_field(r, obj, "subjects");
    if (subs) {
        struct al_kube_subject *s = al_arena_alloc(&r->k->arena, (subs->n + 1) * sizeof(*s));
        for (size_t i = 0; i < subs->n; i++)
            subject_of(r, subs->items[i], &s[i]);
        b->subjects = s;
        b->n_subjects = subs->n;
    }
    if (!r->bad)
        al_kube_binding_add(r->k, b);
}

static const char *const rbac_kinds[] = {"Role", "ClusterRole", "RoleBinding",
                                         "ClusterRoleBinding"};

static int rbac_kind(const char *kind)
{
    for (int i = 0; i < 4; i++)
        if (kind && strcmp(kind, rbac_kinds[i]) == 0)
            return i;
    return -1;
}

/* apiVersion: v1 is served; v1beta1 and v1alpha1 were removed in 1.22.
 * Such an object is still read (never hide what it would grant) with a
 * warning that the cluster refuses it. */
static void check_api_version(struct reader *r, const struct al_ynode *obj, const char *version)
{
    if (version && strcmp(version, "rbac.authorization.k8s.io/v1") == 0)
        return;
    al_kube_diag_add(r->k, AL_KUBE_WARNING, src_at(r, obj),
                     "apiVersion `%s` is not rbac.authorization.k8s.io/v1 (v1beta1 and v1alpha1 "
                     "were removed in Kubernetes 1.22); read as v1, but the cluster refuses it",
                     version ? version : "(none)");
}

static void read_object(struct reader *r, const struct al_ynode *obj, int depth, bool builtin);

static void read_list(struct reader *r, const struct al_ynode *obj, int depth, bool builtin)
{
    const struct al_ynode *items = seq_field(r, obj, "items");
    for (size_t i = 0; items && i < items->n; i++) {
        r->bad = false;
        read_object(r, items->items[i], depth + 1, builtin);
    }
}

static void read_object(struct reader *r, const struct al_ynode *obj, int depth, bool builtin)
{
    if (!obj || obj->kind == AL_YNULL)
        return;
    if (obj->kind != AL_YMAP) {
        object_error(r, obj, "a Kubernetes object must be a mapping, not a %s; it is left out",
                     al_ykind_name(obj->kind));
        return;
    }
    const char *kind = str_field(r, obj, "kind", true);
    if (!kind)
        return;
    if (strcmp(kind, "List") == 0 || al_str_endswith(kind, "List")) {
        if (depth >= 4)
            object_error(r, obj, "a %s nested this deep is not read", kind);
        else
            read_list(r, obj, depth, builtin);
        return;
    }
    int k = rbac_kind(kind);
    if (k < 0) {
        al_kube_diag_add(r->k, AL_KUBE_NOTE, src_at(r, obj),
                         "a `%s` is not an RBAC object; ignored", kind);
        return;
    }
    check_api_version(r, obj, str_field(r, obj, "apiVersion", false));
    const struct al_ynode *meta = map_field(r, obj, "metadata");
    if (!meta) {
        object_error(r, obj, "the object has no `%s`; Kubernetes rejects it, so it is left out",
                     "metadata");
        return;
    }
    if (k <= 1)
        read_role(r, obj, meta, k == 1, builtin);
    else
        read_binding(r, obj, meta, k == 3, builtin);
}

static void yaml_issues(struct reader *r, const struct al_ydoc *doc)
{
    for (size_t i = 0; i < doc->n_issues; i++) {
        const struct al_yissue *is = &doc->issues[i];
        struct al_kube_src s = {r->file, is->pos.line, is->pos.col};
        if (is->kind == AL_YI_SYNTAX)
            al_kube_diag_add(r->k, AL_KUBE_ERROR, s,
                             "%s; the objects after this point are not read (kubectl refuses the "
                             "whole file)",
                             is->message);
        else if (is->kind == AL_YI_DUPLICATE_KEY)
            al_kube_diag_add(r->k, AL_KUBE_WARNING, s,
                             "%s (Kubernetes' YAML reader rejects duplicate keys)", is->message);
    }
}

int al_kube_add_source(struct al_kube *k, const char *file, const char *data, size_t len,
                       bool builtin)
{
    if (k->finished)
        return al_error_set("internal: RBAC objects added after al_kube_finish");
    if (len > AL_KUBE_MAX_FILE)
        return al_error_set("%s is larger than %d MiB; split the RBAC dump into smaller files",
                            file, AL_KUBE_MAX_FILE / (1024 * 1024));
    struct reader r = {k, al_arena_strdup(&k->arena, file), false};
    struct al_ydoc *doc = al_yaml_load_stream(data, len);
    yaml_issues(&r, doc);
    for (size_t i = 0; i < doc->n_docs && k->n_roles + k->n_bindings < AL_KUBE_MAX_OBJECTS; i++) {
        r.bad = false;
        read_object(&r, doc->docs[i], 0, builtin);
    }
    if (k->n_roles + k->n_bindings >= AL_KUBE_MAX_OBJECTS)
        al_kube_diag_add(k, AL_KUBE_ERROR, (struct al_kube_src){r.file, 0, 0},
                         "more than %d RBAC objects; the rest are not read", AL_KUBE_MAX_OBJECTS);
    al_ydoc_free(doc);
    return 0;
}

int al_kube_add_text(struct al_kube *k, const char *file, const char *data, size_t len)
{
    return al_kube_add_source(k, file, data, len, false);
}
