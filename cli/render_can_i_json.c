/* can-i -f json: the answer, the request as read, and per agent context of
 * the job its identity and the deciding binding, subject, role and rule with
 * where each was written. Shape: schemas/can-i.schema.json. */
#include "cli/can_i.h"
#include "cli/emit.h"
#include "model/config.h"

static void list(struct al_emit *e, const char *key, const char *const *v, size_t n)
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
    al_emit_kint(e, "line", s->line);
}

static void request(struct al_emit *e, const struct al_kube_request *r)
{
    al_emit_key(e, "request");
    al_emit_map_start(e);
    al_emit_kstr(e, "verb", r->verb);
    if (r->path) {
        al_emit_kstr(e, "path", r->path);
    } else {
        al_emit_kstr(e, "api_group", r->api_group);
        al_emit_kstr(e, "resource", r->resource);
        al_emit_kstr(e, "subresource", r->subresource);
        al_emit_kstr(e, "name", r->name);
        al_emit_kstr(e, "namespace", r->namespace);
    }
    al_emit_map_end(e);
}

static void grant(struct al_emit *e, const struct al_kube_grant *g)
{
    al_emit_key(e, "by");
    al_emit_map_start(e);
    al_emit_key(e, "binding");
    al_emit_map_start(e);
    al_emit_kstr(e, "kind", g->binding->cluster ? "ClusterRoleBinding" : "RoleBinding");
    al_emit_kstr(e, "name", g->binding->name);
    al_emit_kstr(e, "namespace", g->binding->namespace);
    al_emit_kbool(e, "builtin", g->binding->builtin);
    src(e, &g->binding->src);
    al_emit_map_end(e);
    al_emit_key(e, "subject");
    al_emit_map_start(e);
    al_emit_kstr(e, "kind", g->subject->kind_text);
    al_emit_kstr(e, "name", g->subject->name);
    al_emit_kstr(e, "namespace", g->subject->namespace);
    src(e, &g->subject->src);
    al_emit_map_end(e);
    al_emit_key(e, "role");
    al_emit_map_start(e);
    al_emit_kstr(e, "kind", g->role->cluster ? "ClusterRole" : "Role");
    al_emit_kstr(e, "name", g->role->name);
    al_emit_kstr(e, "namespace", g->role->namespace);
    al_emit_kbool(e, "builtin", g->role->builtin);
    al_emit_kbool(e, "aggregated", g->role->aggregated);
    src(e, &g->role->src);
    al_emit_map_end(e);
    al_emit_key(e, "rule");
    al_emit_map_start(e);
    list(e, "verbs", g->rule->verbs, g->rule->n_verbs);
    list(e, "apiGroups", g->rule->api_groups, g->rule->n_api_groups);
    list(e, "resources", g->rule->resources, g->rule->n_resources);
    list(e, "resourceNames", g->rule->resource_names, g->rule->n_resource_names);
    list(e, "nonResourceURLs", g->rule->non_resource_urls, g->rule->n_non_resource_urls);
    src(e, &g->rule->src);
    al_emit_map_end(e);
    al_emit_kstr(e, "where", g->namespace);
    al_emit_map_end(e);
}

static void agent(struct al_emit *e, const struct al_can_i_agent *a)
{
    const struct al_decision *d = a->d;
    al_emit_map_start(e);
    al_emit_kstr(e, "agent", d->agent->name);
    al_emit_kstr(e, "config", d->agent->path);
    al_emit_kstr(e, "context", d->agent->context);
    al_emit_kbool(e, "job_allowed", d->allowed);
    al_emit_kstr(e, "reason", al_reason_name(d->reason));
    if (!d->allowed) {
        al_emit_kstr(e, "why", d->why);
        al_emit_map_end(e);
        return;
    }
    al_emit_kstr(e, "access_as", al_access_as_name(d->identity.as));
    al_emit_kbool(e, "identity_known", a->user.known);
    if (!a->user.known) {
        al_emit_kstr(e, "why", a->user.why);
        al_emit_map_end(e);
        return;
    }
    al_emit_key(e, "user");
    al_emit_map_start(e);
    al_emit_kstr(e, "name", a->user.user.name);
    list(e, "groups", a->user.user.groups, a->user.user.n_groups);
    al_emit_map_end(e);
    request(e, &a->request);
    al_emit_kbool(e, "allowed", a->answer.allowed);
    al_emit_kbool(e, "privileged_group", a->answer.privileged_group);
    if (a->answer.allowed && !a->answer.privileged_group)
        grant(e, &a->answer.by);
    al_emit_map_end(e);
}

static void diagnostics(struct al_emit *e, const struct al_kube *k)
{
    al_emit_key(e, "diagnostics");
    al_emit_seq_start(e);
    for (size_t i = 0; i < k->n_diags; i++) {
        al_emit_map_start(e);
        al_emit_kstr(e, "severity", al_kube_severity_name(k->diags[i].severity));
        src(e, &k->diags[i].src);
        al_emit_kstr(e, "message", k->diags[i].message);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
}

void al_render_can_i_json(const struct al_can_i_view *v, struct al_buf *out)
{
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, out);
    al_emit_map_start(e);
    al_emit_kint(e, "version", 1);
    al_emit_kbool(e, "allowed", v->allowed);
    al_emit_kstr(e, "verb", v->verb);
    al_emit_kstr(e, "resource", v->resource);
    al_emit_key(e, "job");
    al_emit_map_start(e);
    al_emit_kstr(e, "project", v->job->project);
    al_emit_kstr(e, "environment", v->job->environment);
    al_emit_kbool(e, "protected", v->job->protected_ref);
    al_emit_map_end(e);
    al_emit_kstr(e, "kube_version", v->kube->defaults_version);
    al_emit_key(e, "agents");
    al_emit_seq_start(e);
    for (size_t i = 0; i < v->n_agents; i++)
        agent(e, &v->agents[i]);
    al_emit_seq_end(e);
    diagnostics(e, v->kube);
    al_emit_key(e, "tool");
    al_emit_map_start(e);
    al_emit_kstr(e, "name", "agentlint");
    al_emit_kstr(e, "version", v->version);
    al_emit_map_end(e);
    al_emit_map_end(e);
    al_emit_finish(e);
}
