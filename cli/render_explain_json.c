/* explain --format json: the contract's shape (config_project, agents,
 * authorizations, and with --project the decisions), plus fields that only
 * add (job, missing_ids, status, reason, ...). Written by libfyaml's
 * emitter, which escapes every string. */
#include "cli/emit.h"
#include "cli/explain.h"
#include "access/templates.h"

static void str_list(struct al_emit *e, const char *const *items, size_t n)
{
    al_emit_seq_start(e);
    for (size_t i = 0; i < n; i++)
        al_emit_str(e, items[i]);
    al_emit_seq_end(e);
}

static void impersonate(struct al_emit *e, const struct al_impersonate *imp)
{
    al_emit_key(e, "impersonate");
    if (!imp) {
        al_emit_null(e);
        return;
    }
    al_emit_map_start(e);
    al_emit_kstr(e, "username", imp->username);
    al_emit_key(e, "groups");
    str_list(e, imp->groups, imp->n_groups);
    al_emit_kstr(e, "uid", imp->uid);
    al_emit_key(e, "extra");
    al_emit_seq_start(e);
    for (size_t i = 0; i < imp->n_extra; i++) {
        al_emit_map_start(e);
        al_emit_kstr(e, "key", imp->extra[i].key);
        al_emit_key(e, "val");
        str_list(e, imp->extra[i].vals, imp->extra[i].n_vals);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
    al_emit_map_end(e);
}

static void position(struct al_emit *e, const struct al_auth *a)
{
    al_emit_kstr(e, "path", a->path);
    al_emit_key(e, "line");
    if (a->line)
        al_emit_int(e, a->line);
    else
        al_emit_null(e);
    al_emit_key(e, "column");
    if (a->col)
        al_emit_int(e, a->col);
    else
        al_emit_null(e);
}

void al_explain_json_auth(struct al_emit *e, const struct al_auth *a)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "agent", a->agent->name);
    al_emit_kstr(e, "section", al_section_name(a->section));
    al_emit_kstr(e, "scope", al_scope_name(a->scope));
    al_emit_kstr(e, "id", a->id);
    al_emit_kstr(e, "access_as", al_access_as_name(a->access_as));
    impersonate(e, a->imp);
    al_emit_key(e, "environments");
    str_list(e, a->environments, a->n_env);
    al_emit_kbool(e, "protected_branches_only", a->protected_branches_only);
    al_emit_kstr(e, "default_namespace", a->default_namespace);
    al_emit_kbool(e, "effective", a->effective);
    /* effective keeps its meaning (what the file says); in_force is false too
     * for every entry of a file GitLab rejects */
    al_emit_kbool(e, "in_force", al_explain_in_force(a));
    al_emit_kstr(e, "shadowed_by", a->shadowed_by ? a->shadowed_by->label : NULL);
    position(e, a);
    al_emit_kstr(e, "label", a->label);
    al_emit_kstr(e, "status", al_explain_status(a));
    al_emit_kstr(e, "dropped", a->effective ? NULL : al_drop_name(a->drop));
    al_emit_kstr(e, "reason", a->why);
    al_emit_key(e, "overridden_by");
    al_emit_seq_start(e);
    for (size_t i = 0; i < a->n_overridden_by; i++)
        al_emit_str(e, a->overridden_by[i]->label);
    al_emit_seq_end(e);
    al_emit_map_end(e);
}

static void subject(struct al_emit *e, const struct al_tmpl_subject *s)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "kind", s->kind);
    al_emit_kstr(e, "name", s->name);
    al_emit_kstr(e, "namespace", s->namespace);
    al_emit_map_end(e);
}

static void template_object(struct al_emit *e, const struct al_tmpl_object *o)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "api_version", o->api_version);
    al_emit_kstr(e, "kind", o->kind);
    al_emit_kstr(e, "name", o->name);
    al_emit_kstr(e, "namespace", o->namespace);
    al_emit_kint(e, "line", o->line);
    if (o->binding) {
        al_emit_key(e, "role_ref");
        al_emit_map_start(e);
        al_emit_kstr(e, "kind", o->role_kind);
        al_emit_kstr(e, "name", o->role_name);
        al_emit_map_end(e);
        al_emit_key(e, "subjects");
        al_emit_seq_start(e);
        for (size_t i = 0; i < o->n_subjects; i++)
            subject(e, &o->subjects[i]);
        al_emit_seq_end(e);
    }
    al_emit_map_end(e);
}

/* The agent's environment templates: what GitLab creates per environment. */
static void templates(struct al_emit *e, const struct al_source *src, const char *agent)
{
    struct al_tmpls t;
    al_tmpls_load(&t, src, agent);
    al_emit_key(e, "environment_templates");
    al_emit_seq_start(e);
    for (size_t i = 0; i < t.n; i++) {
        const struct al_tmpl *x = &t.items[i];
        al_emit_map_start(e);
        al_emit_kstr(e, "name", x->name);
        al_emit_kstr(e, "path", x->path);
        al_emit_kbool(e, "readable", x->readable);
        al_emit_kstr(e, "apply_resources", x->apply_resources);
        al_emit_kstr(e, "delete_resources", x->delete_resources);
        al_emit_key(e, "objects");
        al_emit_seq_start(e);
        for (size_t k = 0; k < x->n_objects; k++)
            template_object(e, &x->objects[k]);
        al_emit_seq_end(e);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
    al_tmpls_free(&t);
}

static void agents(struct al_emit *e, const struct al_access *m, const struct al_source *src)
{
    al_emit_key(e, "agents");
    al_emit_seq_start(e);
    for (size_t i = 0; i < m->n_agents; i++) {
        const struct al_access_agent *a = m->agents[i];
        al_emit_map_start(e);
        al_emit_kstr(e, "name", a->name);
        al_emit_kstr(e, "path", a->path);
        al_emit_kstr(e, "context", a->context);
        al_emit_kbool(e, "rejected", a->rejected);
        /* rejected: the newest accepted commit of its history, if found */
        al_emit_kstr(e, "last_accepted", a->last_accepted[0] ? a->last_accepted : NULL);
        al_emit_kstr(e, "config_project", a->config_project);
        templates(e, src, a->name);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
    al_emit_key(e, "authorizations");
    al_emit_seq_start(e);
    for (size_t i = 0; i < m->n_agents; i++)
        for (size_t k = 0; k < m->agents[i]->n_auths; k++)
            al_explain_json_auth(e, &m->agents[i]->auths[k]);
    al_emit_seq_end(e);
}

static void identity(struct al_emit *e, const struct al_decision *x)
{
    al_emit_key(e, "identity");
    if (!x->allowed) {
        al_emit_null(e);
        return;
    }
    const struct al_identity *id = &x->identity;
    al_emit_map_start(e);
    al_emit_kstr(e, "kind", al_access_as_name(id->as));
    al_emit_kstr(e, "note",
                 id->as == AL_AS_AGENT ? "the agent's own service account, no "
                                         "impersonation"
                 : !id->username       ? "identity not documented by GitLab"
                                       : NULL);
    al_emit_kstr(e, "username", id->username);
    al_emit_key(e, "groups");
    str_list(e, id->groups, id->n_groups);
    al_emit_kstr(e, "uid", id->uid);
    al_emit_key(e, "extra");
    al_emit_map_start(e);
    for (size_t i = 0; i < id->n_extra; i++) {
        al_emit_key(e, id->extra[i].key);
        str_list(e, id->extra[i].vals, id->extra[i].n_vals);
    }
    al_emit_map_end(e);
    al_emit_map_end(e);
}

static void other_matching(struct al_emit *e, const struct al_decision *x,
                           enum al_env_matching mode)
{
    al_emit_key(e, "other_matching");
    if (!x->other_matching_differs) {
        al_emit_null(e);
        return;
    }
    al_emit_map_start(e);
    al_emit_kstr(e, "env_matching", mode == AL_ENV_LEGACY ? "anchored" : "legacy");
    al_emit_kbool(e, "allowed", x->other_matching_allowed);
    al_emit_kstr(e, "note", x->other_matching_note);
    al_emit_map_end(e);
}

static void decision(struct al_emit *e, const struct al_decisions *d, const struct al_decision *x)
{
    const struct al_auth *a = x->auth;
    al_emit_map_start(e);
    al_emit_kstr(e, "agent", x->agent->name);
    al_emit_kbool(e, "allowed", x->allowed);
    al_emit_kstr(e, "scope", a ? al_scope_name(a->scope) : NULL);
    al_emit_kstr(e, "id", a ? a->id : NULL);
    al_emit_kstr(e, "reason", x->why);
    al_emit_kstr(e, "reason_code", al_reason_name(x->reason));
    al_emit_kstr(e, "label", a ? a->label : NULL);
    al_emit_key(e, "line");
    if (a && a->line)
        al_emit_int(e, a->line);
    else
        al_emit_null(e);
    al_emit_kstr(e, "access_as", a ? al_access_as_name(a->access_as) : NULL);
    al_emit_kbool(e, "rejected", x->agent->rejected);
    al_emit_kstr(e, "context", x->context);
    al_emit_kstr(e, "namespace", x->namespace);
    identity(e, x);
    al_emit_kbool(e, "license_changed", x->license_changed);
    al_emit_kstr(e, "license_note", x->license_note);
    al_emit_kstr(e, "premium_label", x->premium_auth ? x->premium_auth->label : NULL);
    other_matching(e, x, d->job.matching);
    al_emit_map_end(e);
}

static void job(struct al_emit *e, const struct al_decisions *d)
{
    const struct al_job *j = &d->job;
    al_emit_key(e, "job");
    al_emit_map_start(e);
    al_emit_kstr(e, "project", j->project);
    al_emit_kstr(e, "environment", j->environment);
    al_emit_kstr(e, "tier", j->tier);
    al_emit_kbool(e, "tier_guessed", d->tier_guessed);
    al_emit_kstr(e, "slug", j->slug);
    al_emit_kbool(e, "slug_computed", d->slug_computed);
    al_emit_kbool(e, "protected_ref", j->protected_ref);
    al_emit_kstr(e, "license", al_license_name(j->license));
    al_emit_kstr(e, "env_matching", j->matching == AL_ENV_LEGACY ? "legacy" : "anchored");
    al_emit_key(e, "groups");
    str_list(e, d->ancestors, d->n_ancestors);
    al_emit_map_end(e);
}

static void decisions(struct al_emit *e, const struct al_decisions *d)
{
    job(e, d);
    al_emit_key(e, "decisions");
    al_emit_seq_start(e);
    for (size_t i = 0; i < d->n; i++)
        decision(e, d, &d->items[i]);
    al_emit_seq_end(e);
    al_emit_key(e, "missing_ids");
    al_emit_seq_start(e);
    for (size_t i = 0; i < d->n_missing; i++) {
        struct al_buf cmd = AL_BUF_INIT;
        al_explain_fetch_command(&cmd, &d->missing[i]);
        al_emit_map_start(e);
        al_emit_kstr(e, "kind", al_explain_id_kind(d->missing[i].kind));
        al_emit_kstr(e, "path", d->missing[i].path);
        al_emit_kstr(e, "command", al_buf_cstr(&cmd));
        al_emit_map_end(e);
        al_buf_free(&cmd);
    }
    al_emit_seq_end(e);
}

void al_render_explain_json(const struct al_explain_view *v, struct al_buf *out)
{
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, out);
    al_emit_map_start(e);
    al_emit_kstr(e, "config_project", v->config_project);
    al_emit_kstr(e, "config_project_origin", v->config_project_origin);
    al_emit_kstr(e, "env_matching", v->matching == AL_ENV_LEGACY ? "legacy" : "anchored");
    agents(e, v->model, v->report ? v->report->source : NULL);
    if (v->decisions)
        decisions(e, v->decisions);
    if (v->perms)
        al_render_perm_json(v, e);
    al_emit_key(e, "tool");
    al_emit_map_start(e);
    al_emit_kstr(e, "name", "agentlint");
    al_emit_kstr(e, "version", v->version);
    al_emit_map_end(e);
    al_emit_map_end(e);
    al_emit_finish(e);
}
