/* explain --permissions, markdown: per agent the user, then per place a
 * table of resources and verbs. Every string from a config, RBAC file or
 * the command line goes through al_md_escape. */
#include "cli/explain.h"
#include "cli/explain_perm.h"
#include "cli/markdown.h"

#include <stdlib.h>

static void names_notes(const struct al_perm_table *t, size_t place, struct al_buf *out)
{
    const struct al_perm_axes *x = t->axes;
    for (size_t r = 0; r < x->n_rows; r++)
        for (size_t v = 0; v < x->n_verbs; v++) {
            const struct al_perm_cell *c = al_perm_table_cell(t, place, r, v);
            if (c->state != AL_PERM_NAMES)
                continue;
            struct al_buf b = AL_BUF_INIT;
            al_buf_printf(&b, "%s ", x->verbs[v]);
            al_perm_row_name(&x->rows[r], &b);
            al_buf_puts(&b, " only on");
            for (size_t i = 0; i < c->n_names; i++)
                al_buf_printf(&b, "%s %s", i ? "," : "", c->names[i]);
            al_buf_puts(out, "- ");
            al_md_escape_buf(out, &b);
            al_buf_putc(out, '\n');
        }
}

static void place_table(const struct al_explain_perm *p, size_t place, struct al_buf *out)
{
    const struct al_perm_axes *x = &p->axes;
    size_t cols = x->n_verbs + 1;
    const char **head = al_calloc(cols, sizeof(*head));
    const char **cells = al_calloc(cols, sizeof(*cells));
    head[0] = "Resource";
    for (size_t i = 0; i < x->n_verbs; i++)
        head[i + 1] = x->verbs[i];
    struct al_buf title = AL_BUF_INIT;
    al_explain_perm_place(&title, p, place);
    al_buf_puts(out, "**In ");
    al_md_escape_buf(out, &title);
    al_buf_puts(out, "**\n\n");
    size_t shown = 0;
    for (size_t r = 0; r < x->n_rows; r++) {
        bool any = false;
        for (size_t k = 0; k < x->n_verbs; k++) {
            const struct al_perm_cell *c = al_perm_table_cell(&p->table, place, r, k);
            any |= c->state != AL_PERM_NO;
            cells[k + 1] = c->state == AL_PERM_NO ? NULL : al_explain_perm_mark(c);
        }
        if (!any)
            continue;
        if (!shown++)
            al_md_header(out, head, cols);
        struct al_buf name = AL_BUF_INIT;
        al_perm_row_name(&x->rows[r], &name);
        cells[0] = al_buf_cstr(&name);
        al_md_cells(out, cells, cols);
        al_buf_free(&name);
    }
    al_buf_puts(out, shown ? "\n" : "Nothing.\n\n");
    names_notes(&p->table, place, out);
    if (shown)
        al_buf_putc(out, '\n');
    free(head);
    free(cells);
}

static void one(const struct al_explain_perm *p, struct al_buf *out)
{
    const struct al_decision *x = p->decision;
    al_buf_puts(out, "### Agent ");
    al_md_escape(out, x->agent->name ? x->agent->name : x->agent->path);
    al_buf_puts(out, "\n\n");
    if (!p->known) {
        al_buf_puts(out, "As an identity agentlint cannot tell: ");
        al_md_escape(out, p->why);
        al_buf_puts(out, "\n\n");
        return;
    }
    al_buf_puts(out, "As user ");
    al_md_escape(out, p->user.name);
    for (size_t i = 0; i < p->user.n_groups; i++) {
        al_buf_puts(out, i ? ", " : " in groups ");
        al_md_escape(out, p->user.groups[i]);
    }
    al_buf_puts(out, ".\n\n");
    for (size_t place = 0; place < p->axes.n_places; place++)
        place_table(p, place, out);
}

void al_render_perm_markdown(const struct al_explain_view *v, struct al_buf *out)
{
    const struct al_explain_perms *P = v->perms;
    al_buf_puts(out, "## Permissions in the cluster\n\nRBAC:");
    for (size_t i = 0; i < P->n_rbac; i++) {
        al_buf_puts(out, i ? ", " : " ");
        al_md_escape(out, P->rbac[i]);
    }
    al_buf_puts(out, "; Kubernetes ");
    al_md_escape(out, P->kube_version ? P->kube_version : "(none)");
    al_buf_puts(out, " default roles.\n\n");
    if (!P->n)
        al_buf_puts(out, "No agent serves this job: it can do nothing in the cluster through "
                         "them.\n\n");
    for (size_t i = 0; i < P->n; i++)
        one(&P->items[i], out);
}
