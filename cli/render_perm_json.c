/* explain --permissions in explain's JSON: "permissions", one item per
 * agent that serves the job: the user, and per place the rows the user
 * has some right on, each allowed verb with the binding, role and rule
 * that decide it. Every string is escaped by the emitter. */
#include "cli/emit.h"
#include "cli/explain.h"
#include "cli/explain_perm.h"
#include "cli/kube_json.h"

#include <string.h>

static void cell(struct al_emit *e, const struct al_perm_cell *c)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "allowed", c->state == AL_PERM_YES ? "all" : "names");
    al_emit_key(e, "names");
    if (c->state == AL_PERM_NAMES) {
        al_emit_seq_start(e);
        for (size_t i = 0; i < c->n_names; i++)
            al_emit_str(e, c->names[i]);
        al_emit_seq_end(e);
    } else {
        al_emit_null(e);
    }
    al_kube_json_grant(e, &c->by);
    al_emit_map_end(e);
}

static void row(struct al_emit *e, const struct al_perm_table *t, size_t place, size_t r)
{
    const struct al_perm_axes *x = t->axes;
    const struct al_perm_row *row = &x->rows[r];
    const char *slash = row->resource ? strchr(row->resource, '/') : NULL;
    al_emit_map_start(e);
    struct al_buf name = AL_BUF_INIT;
    al_perm_row_name(row, &name);
    al_emit_kstr(e, "name", al_buf_cstr(&name));
    al_buf_free(&name);
    al_emit_kstr(e, "api_group", row->api_group);
    al_emit_key(e, "resource");
    if (row->resource)
        al_emit_strn(e, row->resource,
                     slash ? (size_t)(slash - row->resource) : strlen(row->resource));
    else
        al_emit_null(e);
    al_emit_kstr(e, "subresource", slash ? slash + 1 : NULL);
    al_emit_kstr(e, "url", row->url);
    al_emit_key(e, "verbs");
    al_emit_map_start(e);
    for (size_t v = 0; v < x->n_verbs; v++) {
        const struct al_perm_cell *c = al_perm_table_cell(t, place, r, v);
        if (c->state == AL_PERM_NO)
            continue;
        al_emit_key(e, x->verbs[v]);
        cell(e, c);
    }
    al_emit_map_end(e);
    al_emit_map_end(e);
}

static void places(struct al_emit *e, const struct al_explain_perm *p)
{
    al_emit_key(e, "places");
    al_emit_seq_start(e);
    for (size_t place = 0; place < p->axes.n_places; place++) {
        const char *ns = p->axes.places[place];
        al_emit_map_start(e);
        al_emit_kstr(e, "namespace", ns);
        al_emit_kbool(e, "default_namespace",
                      ns && p->default_namespace && strcmp(ns, p->default_namespace) == 0);
        al_emit_key(e, "rows");
        al_emit_seq_start(e);
        for (size_t r = 0; r < p->axes.n_rows; r++) {
            bool any = false;
            for (size_t v = 0; v < p->axes.n_verbs && !any; v++)
                any = al_perm_table_cell(&p->table, place, r, v)->state != AL_PERM_NO;
            if (any)
                row(e, &p->table, place, r);
        }
        al_emit_seq_end(e);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
}

static void one(struct al_emit *e, const struct al_explain_perm *p)
{
    const struct al_decision *x = p->decision;
    al_emit_map_start(e);
    al_emit_kstr(e, "agent", x->agent->name);
    al_emit_kstr(e, "access_as", al_access_as_name(x->auth->access_as));
    al_emit_kbool(e, "known", p->known);
    al_emit_kstr(e, "unknown_reason", p->known ? NULL : p->why);
    al_emit_key(e, "user");
    if (p->known)
        al_kube_json_user(e, &p->user);
    else
        al_emit_null(e);
    al_emit_kstr(e, "default_namespace", p->default_namespace);
    al_emit_key(e, "verbs");
    al_emit_seq_start(e);
    for (size_t v = 0; v < p->axes.n_verbs; v++)
        al_emit_str(e, p->axes.verbs[v]);
    al_emit_seq_end(e);
    places(e, p);
    al_emit_map_end(e);
}

void al_render_perm_json(const struct al_explain_view *v, struct al_emit *e)
{
    const struct al_explain_perms *P = v->perms;
    al_emit_key(e, "rbac");
    al_emit_map_start(e);
    al_emit_key(e, "files");
    al_emit_seq_start(e);
    for (size_t i = 0; i < P->n_rbac; i++)
        al_emit_str(e, P->rbac[i]);
    al_emit_seq_end(e);
    al_emit_kstr(e, "kube_version", P->kube_version);
    al_emit_map_end(e);
    al_emit_key(e, "permissions");
    al_emit_seq_start(e);
    for (size_t i = 0; i < P->n; i++)
        one(e, &P->items[i]);
    al_emit_seq_end(e);
}
