/* who-can --format json (schemas/who-can.schema.json): the request, the
 * RBAC it was asked of, and per group of jobs that can: project,
 * environments, refs, agent, entry, the user, where, and the binding, role
 * and rule that allow; identities that cannot be told are listed with
 * "known": false. Every string is escaped by the emitter. */
#include "cli/emit.h"
#include "cli/explain.h"
#include "cli/kube_json.h"
#include "cli/whocan.h"
#include "access/env.h"

static const char *env_kind(enum al_rbac_env_kind k)
{
    static const char *const names[] = {"none", "listed", "wildcard", "unlisted"};
    return names[k];
}

static void envs(struct al_emit *e, const struct al_who_row *r)
{
    al_emit_key(e, "environments");
    al_emit_seq_start(e);
    for (size_t i = 0; i < r->n_envs; i++) {
        const struct al_who_env *x = &r->envs[i];
        al_emit_map_start(e);
        al_emit_kstr(e, "kind", env_kind(x->kind));
        al_emit_kstr(e, "name", x->name);
        al_emit_key(e, "tiers");
        if (x->tiers == AL_WHO_ALL_TIERS) {
            al_emit_null(e); /* any tier */
        } else {
            al_emit_seq_start(e);
            for (int t = 0; t < 5; t++)
                if (x->tiers & (1u << t))
                    al_emit_str(e, al_env_tier_name((enum al_env_tier)t));
            al_emit_seq_end(e);
        }
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
}

static void entry(struct al_emit *e, const struct al_auth *a)
{
    al_emit_key(e, "entry");
    al_emit_map_start(e);
    al_emit_kstr(e, "section", al_section_name(a->section));
    al_emit_kstr(e, "scope", al_scope_name(a->scope));
    al_emit_kstr(e, "id", a->id);
    al_emit_kstr(e, "label", a->label);
    al_emit_kstr(e, "path", a->path);
    al_emit_key(e, "line");
    if (a->line)
        al_emit_int(e, a->line);
    else
        al_emit_null(e);
    al_emit_map_end(e);
}

static void row(struct al_emit *e, const struct al_who_row *r)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "project", r->project);
    al_emit_kbool(e, "stand_in", r->synthetic);
    envs(e, r);
    al_emit_key(e, "refs");
    al_emit_seq_start(e);
    if (r->unprotected)
        al_emit_str(e, "unprotected");
    if (r->protected_ref)
        al_emit_str(e, "protected");
    al_emit_seq_end(e);
    al_emit_kstr(e, "agent", r->agent->name);
    al_emit_kstr(e, "config", r->agent->path);
    al_emit_kbool(e, "rejected", r->agent->rejected);
    al_emit_kstr(e, "access_as", al_access_as_name(r->auth->access_as));
    entry(e, r->auth);
    al_emit_kbool(e, "known", r->known);
    al_emit_kstr(e, "unknown_reason", r->known ? NULL : r->why);
    al_emit_key(e, "user");
    if (r->known)
        al_kube_json_user(e, &r->user);
    else
        al_emit_null(e);
    al_emit_kstr(e, "namespace", r->namespace);
    if (r->known) {
        al_kube_json_grant(e, &r->by);
    } else {
        al_emit_key(e, "binding");
        al_emit_null(e);
        al_emit_key(e, "role");
        al_emit_null(e);
        al_emit_key(e, "rule");
        al_emit_null(e);
    }
    al_emit_map_end(e);
}

static void missing(struct al_emit *e, const struct al_who *w)
{
    al_emit_key(e, "missing_ids");
    al_emit_seq_start(e);
    for (size_t i = 0; i < w->n_missing; i++) {
        struct al_buf cmd = AL_BUF_INIT;
        al_explain_fetch_command(&cmd, &w->missing[i]);
        al_emit_map_start(e);
        al_emit_kstr(e, "kind", al_explain_id_kind(w->missing[i].kind));
        al_emit_kstr(e, "path", w->missing[i].path);
        al_emit_kstr(e, "command", al_buf_cstr(&cmd));
        al_emit_map_end(e);
        al_buf_free(&cmd);
    }
    al_emit_seq_end(e);
}

void al_render_whocan_json(const struct al_whocan_view *v, struct al_buf *out)
{
    const struct al_who *w = v->who;
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, out);
    al_emit_map_start(e);
    al_emit_kint(e, "version", 1);
    al_emit_key(e, "tool");
    al_emit_map_start(e);
    al_emit_kstr(e, "name", "agentlint");
    al_emit_kstr(e, "version", v->version);
    al_emit_map_end(e);
    al_emit_kstr(e, "config_project", v->config_project);
    al_emit_key(e, "request");
    al_kube_json_request(e, &w->request);
    al_emit_key(e, "rbac");
    al_emit_map_start(e);
    al_emit_key(e, "files");
    al_emit_seq_start(e);
    for (size_t i = 0; i < v->n_rbac; i++)
        al_emit_str(e, v->rbac[i]);
    al_emit_seq_end(e);
    al_emit_kstr(e, "kube_version", v->kube_version);
    al_emit_map_end(e);
    al_emit_kint(e, "jobs_asked", (long long)w->n_jobs);
    al_emit_kbool(e, "tiers_varied", w->tiers);
    al_emit_key(e, "jobs");
    al_emit_seq_start(e);
    for (size_t i = 0; i < w->n_rows; i++)
        row(e, &w->rows[i]);
    al_emit_seq_end(e);
    missing(e, w);
    al_emit_map_end(e);
    al_emit_finish(e);
}
