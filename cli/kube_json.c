/* Grants, users and requests as JSON, the same in every command. */
#include "cli/kube_json.h"

static void strs(struct al_emit *e, const char *key, const char *const *v, size_t n)
{
    al_emit_key(e, key);
    al_emit_seq_start(e);
    for (size_t i = 0; i < n; i++)
        al_emit_str(e, v[i]);
    al_emit_seq_end(e);
}

static void src(struct al_emit *e, const struct al_kube_src *s)
{
    al_emit_kstr(e, "file", s->file);
    al_emit_key(e, "line");
    if (s->line)
        al_emit_int(e, s->line);
    else
        al_emit_null(e);
}

static void rule(struct al_emit *e, const struct al_kube_rule *r)
{
    al_emit_map_start(e);
    strs(e, "verbs", r->verbs, r->n_verbs);
    strs(e, "apiGroups", r->api_groups, r->n_api_groups);
    strs(e, "resources", r->resources, r->n_resources);
    strs(e, "resourceNames", r->resource_names, r->n_resource_names);
    strs(e, "nonResourceURLs", r->non_resource_urls, r->n_non_resource_urls);
    src(e, &r->src);
    al_emit_map_end(e);
}

void al_kube_json_grant(struct al_emit *e, const struct al_kube_grant *g)
{
    al_emit_key(e, "binding");
    al_emit_map_start(e);
    al_emit_kstr(e, "kind", g->binding->cluster ? "ClusterRoleBinding" : "RoleBinding");
    al_emit_kstr(e, "name", g->binding->name);
    al_emit_kstr(e, "namespace", g->binding->namespace);
    src(e, &g->binding->src);
    al_emit_map_end(e);
    al_emit_key(e, "role");
    al_emit_map_start(e);
    al_emit_kstr(e, "kind", g->role->cluster ? "ClusterRole" : "Role");
    al_emit_kstr(e, "name", g->role->name);
    al_emit_kstr(e, "namespace", g->role->namespace);
    al_emit_kbool(e, "builtin", g->role->builtin);
    src(e, &g->role->src);
    al_emit_map_end(e);
    al_emit_key(e, "rule");
    rule(e, g->rule);
}

void al_kube_json_user(struct al_emit *e, const struct al_kube_user *u)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "username", u->name);
    strs(e, "groups", u->groups, u->n_groups);
    al_emit_map_end(e);
}

void al_kube_json_request(struct al_emit *e, const struct al_kube_request *r)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "verb", r->verb);
    al_emit_kstr(e, "api_group", r->path ? NULL : r->api_group);
    al_emit_kstr(e, "resource", r->resource);
    al_emit_kstr(e, "subresource", r->subresource && *r->subresource ? r->subresource : NULL);
    al_emit_kstr(e, "name", r->name && *r->name ? r->name : NULL);
    al_emit_kstr(e, "namespace", r->namespace && *r->namespace ? r->namespace : NULL);
    al_emit_kstr(e, "path", r->path);
    al_emit_map_end(e);
}
