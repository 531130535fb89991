/* rbac --verify -f json (schemas/rbac-verify.schema.json): the counts and
 * every job that differs, with the policy's grants and the cells. Every
 * string is escaped by the emitter. */
#include "cli/emit.h"
#include "cli/explain.h"
#include "cli/kube_json.h"
#include "cli/render_verify.h"
#include "access/env.h"

static void job(struct al_emit *e, const struct al_rbac_verify_job *j)
{
    static const char *const kinds[] = {"none", "listed", "wildcard", "unlisted"};
    al_emit_map_start(e);
    al_emit_kstr(e, "project", j->project);
    al_emit_kstr(e, "environment", j->environment);
    al_emit_kstr(e, "environment_kind", kinds[j->env_kind]);
    al_emit_kstr(e, "tier", j->tier >= 0 ? al_env_tier_name((enum al_env_tier)j->tier) : NULL);
    al_emit_kbool(e, "protected_ref", j->protected_ref);
    al_emit_kbool(e, "any_ref", j->any_ref); /* the same on both kinds of ref */
    al_emit_kstr(e, "agent", j->agent->name);
    al_emit_kstr(e, "label", j->auth->label);
    al_emit_kstr(e, "path", j->auth->path);
    al_emit_kint(e, "line", j->auth->line);
    al_emit_key(e, "user");
    al_kube_json_user(e, &j->user);
    al_emit_key(e, "policy_grants");
    al_emit_seq_start(e);
    for (size_t i = 0; i < j->n_intent; i++) {
        al_emit_map_start(e);
        al_emit_kstr(e, "role", j->intent[i].role);
        al_emit_kstr(e, "namespace", j->intent[i].namespace);
        al_emit_kstr(e, "from", j->intent[i].why);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
    al_emit_kint(e, "wider", (long long)j->n_wider);
    al_emit_kint(e, "narrower", (long long)j->n_narrower);
    al_emit_key(e, "cells");
    al_emit_seq_start(e);
    for (size_t i = 0; i < j->n_cells; i++) {
        const struct al_rbac_verify_cell *c = &j->cells[i];
        al_emit_map_start(e);
        al_emit_kstr(e, "change", al_verify_change_name(c->change));
        al_emit_kstr(e, "namespace", c->place);
        al_emit_kstr(e, "resource", c->row);
        al_emit_kstr(e, "verb", c->verb);
        if (c->by.binding)
            al_kube_json_grant(e, &c->by);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
    al_emit_map_end(e);
}

void al_render_verify_json(const struct al_verify_view *v, struct al_buf *out)
{
    const struct al_rbac_verify *w = v->verify;
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, out);
    al_emit_map_start(e);
    al_emit_kint(e, "version", 1);
    al_emit_key(e, "tool");
    al_emit_map_start(e);
    al_emit_kstr(e, "name", "agentlint");
    al_emit_kstr(e, "version", v->version);
    al_emit_map_end(e);
    al_emit_kstr(e, "policy", v->policy);
    al_emit_kstr(e, "kube_version", v->kube_version);
    al_emit_kbool(e, "exact", w->n_jobs == 0);
    al_emit_kint(e, "checked", (long long)w->n_checked);
    al_emit_kint(e, "differ", (long long)w->n_differ);
    al_emit_kint(e, "skipped_agent_identity", (long long)w->n_skipped);
    al_emit_key(e, "differences");
    al_emit_seq_start(e);
    for (size_t i = 0; i < w->n_jobs; i++)
        job(e, &w->jobs[i]);
    al_emit_seq_end(e);
    al_emit_map_end(e);
    al_emit_finish(e);
}
