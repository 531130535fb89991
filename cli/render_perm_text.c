/* explain --permissions, text: per agent that serves the job, the user
 * the cluster sees, then per place a table (rows: resources and URLs the
 * user has some right on; columns: verbs), like rakkess, and the object
 * names of rights limited to some. Untrusted text goes through the table's
 * sanitizer or al_safe_puts. */
#include "cli/explain.h"
#include "cli/explain_perm.h"
#include "cli/text_table.h"

#include <stdlib.h>

static void names_legend(const struct al_perm_table *t, size_t place, struct al_buf *out,
                         unsigned width)
{
    const struct al_perm_axes *x = t->axes;
    for (size_t r = 0; r < x->n_rows; r++)
        for (size_t v = 0; v < x->n_verbs; v++) {
            const struct al_perm_cell *c = al_perm_table_cell(t, place, r, v);
            if (c->state != AL_PERM_NAMES)
                continue;
            struct al_buf b = AL_BUF_INIT;
            al_buf_printf(&b, "names: %s ", x->verbs[v]);
            al_perm_row_name(&x->rows[r], &b);
            al_buf_puts(&b, " only on");
            for (size_t i = 0; i < c->n_names; i++)
                al_buf_printf(&b, "%s %s", i ? "," : "", c->names[i]);
            al_text_wrap(out, al_buf_cstr(&b), 4, width);
            al_buf_free(&b);
        }
}

static void place_table(const struct al_explain_view *v, const struct al_explain_perm *p,
                        size_t place, struct al_buf *out)
{
    const struct al_perm_axes *x = &p->axes;
    size_t cols = x->n_verbs + 1;
    const char **head = al_calloc(cols, sizeof(*head));
    enum al_text_cut *cut = al_calloc(cols, sizeof(*cut));
    const char **cells = al_calloc(cols, sizeof(*cells));
    head[0] = "RESOURCE";
    cut[0] = AL_CUT_NONE; /* the row name matters more than fitting: never cut */
    for (size_t i = 0; i < x->n_verbs; i++)
        head[i + 1] = x->verbs[i];
    struct al_text_table t;
    al_text_table_init(&t, head, cut, cols, 0);
    for (size_t r = 0; r < x->n_rows; r++) {
        bool any = false;
        for (size_t k = 0; k < x->n_verbs; k++) {
            const struct al_perm_cell *c = al_perm_table_cell(&p->table, place, r, k);
            any |= c->state != AL_PERM_NO;
            cells[k + 1] = c->state == AL_PERM_NO ? NULL : al_explain_perm_mark(c);
        }
        if (!any)
            continue;
        struct al_buf name = AL_BUF_INIT;
        al_perm_row_name(&x->rows[r], &name);
        cells[0] = al_buf_cstr(&name);
        al_text_table_row(&t, cells, NULL);
        al_buf_free(&name);
    }
    struct al_buf title = AL_BUF_INIT;
    al_buf_puts(&title, "In ");
    al_explain_perm_place(&title, p, place);
    al_buf_puts(&title, t.n_rows ? ":" : ": nothing");
    al_text_wrap(out, al_buf_cstr(&title), 2, v->width);
    al_buf_free(&title);
    if (t.n_rows)
        al_text_table_render(&t, out, 4, v->width, v->color);
    names_legend(&p->table, place, out, v->width);
    al_text_table_free(&t);
    free(head);
    free(cut);
    free(cells);
}

static void one(const struct al_explain_view *v, const struct al_explain_perm *p,
                struct al_buf *out)
{
    const struct al_decision *x = p->decision;
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "Agent %s, as ", x->agent->name ? x->agent->name : x->agent->path);
    if (!p->known) {
        al_buf_printf(&b, "an identity agentlint cannot tell: %s", p->why);
        al_text_wrap(out, al_buf_cstr(&b), 0, v->width);
        al_buf_free(&b);
        al_buf_putc(out, '\n');
        return;
    }
    al_buf_printf(&b, "user %s", p->user.name);
    if (p->user.n_groups) {
        al_buf_puts(&b, " (groups");
        for (size_t i = 0; i < p->user.n_groups; i++)
            al_buf_printf(&b, "%s %s", i ? "," : "", p->user.groups[i]);
        al_buf_putc(&b, ')');
    }
    al_buf_putc(&b, ':');
    al_text_wrap(out, al_buf_cstr(&b), 0, v->width);
    al_buf_free(&b);
    for (size_t place = 0; place < p->axes.n_places; place++)
        place_table(v, p, place, out);
    al_buf_putc(out, '\n');
}

void al_render_perm_text(const struct al_explain_view *v, struct al_buf *out)
{
    const struct al_explain_perms *P = v->perms;
    al_buf_puts(out, "\nPermissions in the cluster (RBAC:");
    for (size_t i = 0; i < P->n_rbac; i++) {
        al_buf_puts(out, " ");
        al_safe_puts(out, P->rbac[i]);
    }
    al_buf_printf(out, "; Kubernetes %s default roles)\n\n",
                  P->kube_version ? P->kube_version : "no");
    if (!P->n)
        al_buf_puts(out, "No agent serves this job: it can do nothing in the cluster through "
                         "them.\n\n");
    for (size_t i = 0; i < P->n; i++)
        one(v, &P->items[i], out);
}
