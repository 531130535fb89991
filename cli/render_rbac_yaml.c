/* rbac's output: one YAML document per object of the rbacgen model, in its
 * order, through libfyaml's emitter (cli/emit.h): every value from a config
 * is a scalar the emitter quotes as needed, never text pasted into YAML.
 * Each object has the fields `kubectl create ... --dry-run=client -o yaml`
 * writes for it (keys in kubectl's order), without creationTimestamp, plus
 * agentlint's label and annotations. */
#include "cli/render_rbac.h"
#include "cli/emit.h"

#include <string.h>

static const char RBAC_API[] = "rbac.authorization.k8s.io";

static void annotation(struct al_emit *e, const char *key, const char *const *list, size_t n,
                       const char *sep)
{
    if (!n)
        return;
    struct al_buf b = AL_BUF_INIT;
    for (size_t i = 0; i < n; i++)
        al_buf_printf(&b, "%s%s", i ? sep : "", list[i]);
    al_emit_kstr(e, key, al_buf_cstr(&b));
    al_buf_free(&b);
}

static void annotations(struct al_emit *e, const struct al_rbac_object *o)
{
    al_emit_key(e, "annotations");
    al_emit_map_start(e);
    al_emit_kstr(e, "agentlint/source", o->source);
    al_emit_kstr(e, "agentlint/for", o->what);
    if (o->environments)
        al_emit_kstr(e, "agentlint/environments", o->environments);
    annotation(e, "agentlint/warning", o->warnings, o->n_warnings, "\n");
    if (o->over_grant)
        al_emit_kstr(e, "agentlint/over-grant", o->over_grant);
    annotation(e, "agentlint/note", o->notes, o->n_notes, "\n");
    al_emit_map_end(e);
}

static void metadata(struct al_emit *e, const struct al_rbac_object *o)
{
    al_emit_key(e, "metadata");
    al_emit_map_start(e);
    al_emit_kstr(e, "name", o->name);
    if (o->namespace)
        al_emit_kstr(e, "namespace", o->namespace);
    al_emit_key(e, "labels");
    al_emit_map_start(e);
    al_emit_kstr(e, "app.kubernetes.io/managed-by", "agentlint");
    al_emit_map_end(e);
    annotations(e, o);
    al_emit_map_end(e);
}

static void subject(struct al_emit *e, const struct al_rbac_subject *s)
{
    static const char *const kinds[] = {"User", "Group", "ServiceAccount"};
    al_emit_map_start(e);
    if (s->kind != AL_RBAC_SERVICE_ACCOUNT)
        al_emit_kstr(e, "apiGroup", RBAC_API);
    al_emit_kstr(e, "kind", kinds[s->kind]);
    al_emit_kstr(e, "name", s->name);
    if (s->namespace)
        al_emit_kstr(e, "namespace", s->namespace);
    al_emit_map_end(e);
}

static void binding(struct al_emit *e, const struct al_rbac_object *o)
{
    al_emit_key(e, "roleRef");
    al_emit_map_start(e);
    al_emit_kstr(e, "apiGroup", RBAC_API);
    al_emit_kstr(e, "kind", "ClusterRole");
    al_emit_kstr(e, "name", o->role_object ? o->role_object->name : o->role);
    al_emit_map_end(e);
    al_emit_key(e, "subjects");
    al_emit_seq_start(e);
    for (size_t i = 0; i < o->n_subjects; i++)
        subject(e, &o->subjects[i]);
    al_emit_seq_end(e);
}

static void strings(struct al_emit *e, const char *key, const char *const *v, size_t n)
{
    al_emit_key(e, key);
    al_emit_seq_start(e);
    for (size_t i = 0; i < n; i++)
        al_emit_str(e, v[i]);
    al_emit_seq_end(e);
}

static void rules(struct al_emit *e, const struct al_rbac_object *o)
{
    static const char *const impersonate[] = {"impersonate"};
    al_emit_key(e, "rules");
    al_emit_seq_start(e);
    for (size_t i = 0; i < o->n_rules; i++) {
        const struct al_rbac_rule_k8s *r = &o->rules[i];
        al_emit_map_start(e);
        strings(e, "apiGroups", &r->api_group, 1);
        if (r->n_names)
            strings(e, "resourceNames", r->names, r->n_names);
        strings(e, "resources", r->resources, r->n_resources);
        strings(e, "verbs", impersonate, 1);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
}

void al_render_rbac_object(struct al_emit *e, const struct al_rbac_object *o)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "apiVersion", "rbac.authorization.k8s.io/v1");
    al_emit_kstr(e, "kind", al_rbac_kind_name(o->kind));
    metadata(e, o);
    if (o->kind == AL_RBAC_CLUSTER_ROLE)
        rules(e, o);
    else
        binding(e, o);
    al_emit_map_end(e);
}

int al_render_rbac_yaml(const struct al_rbac *r, struct al_buf *out)
{
    struct al_emit *e = al_emit_new(AL_EMIT_YAML, out);
    for (size_t i = 0; i < r->n_objects; i++) {
        al_emit_doc_start(e);
        al_render_rbac_object(e, r->objects[i]);
        al_emit_doc_end(e);
    }
    return al_emit_finish(e);
}
