/* diff --format json: the contract's shape ({base, head, changes[{change,
 * agent, scope, id, before, after, effect}], findings{new, fixed}}) plus
 * fields that only add: each change's section and per-field reasons, the
 * entry it replaces or falls back to, the agents' states and the errors of
 * a rejected file. Written by libfyaml's emitter, which escapes every
 * string. */
#include "cli/diff.h"
#include "cli/emit.h"
#include "cli/explain.h"

static void auth_or_null(struct al_emit *e, const char *key, const struct al_auth *a)
{
    al_emit_key(e, key);
    if (a)
        al_explain_json_auth(e, a);
    else
        al_emit_null(e);
}

static void reasons(struct al_emit *e, const struct al_diff_item *it)
{
    al_emit_key(e, "reasons");
    al_emit_seq_start(e);
    for (size_t i = 0; i < it->n_reasons; i++) {
        al_emit_map_start(e);
        al_emit_kstr(e, "field", it->reasons[i].field);
        al_emit_kstr(e, "effect", al_diff_effect_name(it->reasons[i].effect));
        al_emit_kstr(e, "reason", it->reasons[i].text);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
}

static void change(struct al_emit *e, const struct al_diff_item *it)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "change", al_diff_change_name(it->change));
    al_emit_kstr(e, "agent", it->agent);
    al_emit_kstr(e, "section", al_section_name(it->section));
    al_emit_kstr(e, "scope", al_scope_name(it->scope));
    al_emit_kstr(e, "id", it->id);
    auth_or_null(e, "before", it->before);
    auth_or_null(e, "after", it->after);
    al_emit_kstr(e, "effect", al_diff_effect_name(it->effect));
    reasons(e, it);
    al_emit_kstr(e, "replaces", it->replaces ? it->replaces->label : NULL);
    al_emit_kstr(e, "replaces_id", it->replaces ? it->replaces->id : NULL);
    al_emit_kbool(e, "base_rejected", it->base_rejected);
    al_emit_map_end(e);
}

static void finding(struct al_emit *e, const struct al_diff_finding *f)
{
    al_emit_map_start(e);
    al_render_json_finding(e, f->finding);
    al_emit_kstr(e, "fingerprint", f->fp.hex);
    al_emit_map_end(e);
}

static void findings(struct al_emit *e, const struct al_diff_view *v)
{
    al_emit_key(e, "findings");
    al_emit_map_start(e);
    al_emit_key(e, "new");
    al_emit_seq_start(e);
    for (size_t i = 0; i < v->n_new; i++)
        finding(e, &v->new_findings[i]);
    al_emit_seq_end(e);
    al_emit_key(e, "fixed");
    al_emit_seq_start(e);
    for (size_t i = 0; i < v->n_fixed; i++)
        finding(e, &v->fixed_findings[i]);
    al_emit_seq_end(e);
    al_emit_map_end(e);
}

static const char *state_name(enum al_diff_agent_state s)
{
    return s == AL_DIFF_AGENT_ADDED ? "added" : s == AL_DIFF_AGENT_REMOVED ? "removed" : "kept";
}

static const char *config_state(const struct al_diff_agent *a)
{
    return a->head_rejected  ? "rejected"
           : a->head_missing ? "missing"
           : a->head_empty   ? "empty"
                             : "present";
}

static void agent(struct al_emit *e, const struct al_diff_agent *a)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "name", a->name);
    al_emit_kstr(e, "path", a->path);
    al_emit_kstr(e, "state", state_name(a->state));
    al_emit_kstr(e, "config", config_state(a));
    al_emit_kbool(e, "base_rejected", a->base_rejected);
    al_emit_kbool(e, "head_rejected", a->head_rejected);
    al_emit_kbool(e, "unregistrable", a->unregistrable);
    al_emit_kstr(e, "effect", a->n_changes ? al_diff_effect_name(a->effect) : NULL);
    al_emit_kint(e, "changes", (long long)a->n_changes);
    const char *notes[AL_RENDER_DIFF_MAX_NOTES];
    size_t n = al_render_diff_agent_notes(a, notes);
    al_emit_key(e, "notes");
    al_emit_seq_start(e);
    for (size_t i = 0; i < n; i++)
        al_emit_str(e, notes[i]);
    al_emit_seq_end(e);
    al_emit_key(e, "errors");
    al_emit_seq_start(e);
    for (size_t i = 0; i < a->n_errors; i++) {
        al_emit_map_start(e);
        al_render_json_finding(e, a->errors[i]);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
    al_emit_map_end(e);
}

static void summary(struct al_emit *e, const struct al_diff_view *v)
{
    const struct al_diff *d = v->diff;
    struct al_buf h = AL_BUF_INIT;
    al_render_diff_headline(&h, d, "This change");
    al_emit_kstr(e, "effect", d->n_items ? al_diff_effect_name(d->effect) : NULL);
    al_emit_kbool(e, "widened", (d->effect & AL_EFFECT_WIDENED) != 0);
    al_emit_kstr(e, "summary", al_buf_cstr(&h));
    al_buf_free(&h);
}

static void perm_list(struct al_emit *e, const char *key, const struct al_perm *ps, size_t n)
{
    al_emit_key(e, key);
    al_emit_seq_start(e);
    for (size_t i = 0; i < n; i++) {
        al_emit_map_start(e);
        al_emit_kstr(e, "namespace", ps[i].namespace);
        al_emit_kstr(e, "verb", ps[i].verb);
        al_emit_kstr(e, "api_group", ps[i].api_group);
        al_emit_kstr(e, ps[i].api_group ? "resource" : "non_resource_url", ps[i].resource);
        al_emit_kstr(e, "resource_name", ps[i].resource_name);
        al_emit_kstr(e, "binding", ps[i].binding);
        al_emit_kstr(e, "role", ps[i].role);
        al_emit_kstr(e, "path", ps[i].src.file);
        al_emit_kint(e, "line", ps[i].src.line);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
}

/* diff --rbac: permissions gained and lost per identity (absent without). */
static void permissions(struct al_emit *e, const struct al_permdiff *p)
{
    if (!p)
        return;
    al_emit_key(e, "permissions");
    al_emit_map_start(e);
    al_emit_kbool(e, "widened", p->n_added > 0);
    al_emit_kint(e, "gained", (long long)p->n_added);
    al_emit_kint(e, "lost", (long long)p->n_removed);
    al_emit_key(e, "identities");
    al_emit_seq_start(e);
    for (size_t i = 0; i < p->n; i++) {
        al_emit_map_start(e);
        al_emit_kstr(e, "kind", p->items[i].kind);
        al_emit_kstr(e, "name", p->items[i].name);
        perm_list(e, "gained", p->items[i].added, p->items[i].n_added);
        perm_list(e, "lost", p->items[i].removed, p->items[i].n_removed);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
    al_emit_map_end(e);
}

void al_render_diff_json(const struct al_diff_view *v, struct al_buf *out)
{
    const struct al_diff *d = v->diff;
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, out);
    al_emit_map_start(e);
    al_emit_kstr(e, "base", v->base);
    al_emit_kstr(e, "head", v->head);
    al_emit_kstr(e, "base_rev", v->base_rev);
    al_emit_kstr(e, "head_rev", v->head_rev);
    al_emit_kbool(e, "merge_base", v->merge_base);
    al_emit_key(e, "changes");
    al_emit_seq_start(e);
    for (size_t i = 0; i < d->n_items; i++)
        change(e, &d->items[i]);
    al_emit_seq_end(e);
    findings(e, v);
    summary(e, v);
    permissions(e, v->perms);
    al_emit_key(e, "agents");
    al_emit_seq_start(e);
    for (size_t i = 0; i < d->n_agents; i++)
        agent(e, &d->agents[i]);
    al_emit_seq_end(e);
    al_emit_kstr(e, "config_project", v->config_project);
    al_emit_kstr(e, "config_project_origin", v->config_project_origin);
    al_emit_kstr(e, "env_matching", d->matching == AL_ENV_LEGACY ? "legacy" : "anchored");
    al_emit_key(e, "tool");
    al_emit_map_start(e);
    al_emit_kstr(e, "name", "agentlint");
    al_emit_kstr(e, "version", v->version);
    al_emit_map_end(e);
    al_emit_map_end(e);
    al_emit_finish(e);
}
