/* who-can, text: the request, then per group of jobs that can a line
 * (project, environments, refs, agent, how, where) and, indented, the
 * binding, role and rule that allow, wrapped to the terminal; then what the
 * answer could not see. Untrusted text goes through al_text_wrap's
 * sanitizer or al_safe_puts. */
#include "cli/ansi.h"
#include "cli/explain.h"
#include "cli/text_table.h"
#include "cli/whocan.h"

#include <stdlib.h>

/* One group of jobs: who, then (indented) what allows it. */
static void row(const struct al_whocan_view *v, const struct al_who_row *r, struct al_buf *out)
{
    struct al_buf head = AL_BUF_INIT, by = AL_BUF_INIT;
    al_buf_printf(&head, "%s, environments: ", r->project);
    al_whocan_envs(&head, r);
    al_buf_printf(&head, "; %s ref%s; agent %s as %s", al_whocan_refs(r),
                  r->unprotected && r->protected_ref ? "s" : "",
                  r->agent->name ? r->agent->name : r->agent->path,
                  al_access_as_name(r->auth->access_as));
    if (r->known) {
        al_buf_puts(&head, ", in ");
        al_whocan_where(&head, r);
    }
    al_ansi(out, v->color, r->known ? AL_ANSI_GREEN : AL_ANSI_YELLOW);
    al_text_wrap(out, al_buf_cstr(&head), 0, v->width);
    al_ansi(out, v->color, AL_ANSI_RESET);
    al_whocan_by(&by, r);
    al_text_wrap(out, al_buf_cstr(&by), 2, v->width);
    al_buf_free(&head);
    al_buf_free(&by);
}

static void missing(const struct al_whocan_view *v, struct al_buf *out)
{
    const struct al_who *w = v->who;
    if (!w->n_missing)
        return;
    al_buf_putc(out, '\n');
    al_text_wrap(out,
                 "Numeric ids not known, so bindings that name them cannot be matched (the "
                 "answer may miss jobs); fetch them and add --ids ids.json:",
                 0, v->width);
    for (size_t i = 0; i < w->n_missing; i++) {
        al_buf_printf(out, "  %s ", al_explain_id_kind(w->missing[i].kind));
        al_safe_puts(out, w->missing[i].path);
        al_buf_puts(out, ":  ");
        struct al_buf cmd = AL_BUF_INIT;
        al_explain_fetch_command(&cmd, &w->missing[i]);
        al_buf_puts(out, al_buf_cstr(&cmd)); /* percent-encoded: nothing to escape */
        al_buf_free(&cmd);
        al_buf_putc(out, '\n');
    }
}

void al_render_whocan_text(const struct al_whocan_view *v, struct al_buf *out)
{
    const struct al_who *w = v->who;
    struct al_buf q = AL_BUF_INIT;
    al_buf_puts(&q, "Who can ");
    al_whocan_request(&q, &w->request);
    al_buf_printf(&q, ": %zu representative job%s asked", w->n_jobs, w->n_jobs == 1 ? "" : "s");
    al_text_wrap(out, al_buf_cstr(&q), 0, v->width);
    al_buf_free(&q);
    al_buf_putc(out, '\n');
    if (!w->n_rows)
        al_buf_puts(out, "No CI job of these agents can.\n");
    for (size_t i = 0; i < w->n_rows; i++)
        row(v, &w->rows[i], out);
    missing(v, out);
}
