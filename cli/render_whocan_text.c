/* who-can, text: the request, then one table row per group of jobs that
 * can (project, environments, refs, agent, how, where, the binding and
 * rule that allow), then what the answer could not see. Untrusted text
 * goes through the table's sanitizer or al_safe_puts. */
#include "cli/ansi.h"
#include "cli/explain.h"
#include "cli/text_table.h"
#include "cli/whocan.h"

#include <stdlib.h>

enum { COLS = 8 };

static void row(struct al_text_table *t, const struct al_who_row *r)
{
    struct al_buf envs = AL_BUF_INIT, where = AL_BUF_INIT, by = AL_BUF_INIT;
    al_whocan_envs(&envs, r);
    al_whocan_where(&where, r);
    al_whocan_by(&by, r);
    const char *cells[COLS] = {r->project,
                               al_buf_cstr(&envs),
                               al_whocan_refs(r),
                               r->agent->name ? r->agent->name : r->agent->path,
                               al_access_as_name(r->auth->access_as),
                               al_whocan_user(r),
                               r->known ? al_buf_cstr(&where) : "-",
                               al_buf_cstr(&by)};
    al_text_table_row(t, cells, r->known ? AL_ANSI_GREEN : AL_ANSI_YELLOW);
    al_buf_free(&envs);
    al_buf_free(&where);
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
    static const char *const head[COLS] = {"PROJECT", "ENVIRONMENTS", "REF",   "AGENT",
                                           "AS",      "USER",         "WHERE", "ALLOWED BY"};
    static const enum al_text_cut cut[COLS] = {AL_CUT_START, AL_CUT_END, AL_CUT_NONE, AL_CUT_END,
                                               AL_CUT_NONE,  AL_CUT_END, AL_CUT_END,  AL_CUT_END};
    const struct al_who *w = v->who;
    struct al_buf q = AL_BUF_INIT;
    al_buf_puts(&q, "Who can ");
    al_whocan_request(&q, &w->request);
    al_buf_printf(&q, ": %zu representative job%s asked", w->n_jobs, w->n_jobs == 1 ? "" : "s");
    al_text_wrap(out, al_buf_cstr(&q), 0, v->width);
    al_buf_free(&q);
    al_buf_putc(out, '\n');
    if (!w->n_rows) {
        al_buf_puts(out, "No CI job of these agents can.\n");
    } else {
        struct al_text_table t;
        al_text_table_init(&t, head, cut, COLS, 0);
        for (size_t i = 0; i < w->n_rows; i++)
            row(&t, &w->rows[i]);
        al_text_table_render(&t, out, 0, v->width, v->color);
        al_text_table_free(&t);
    }
    missing(v, out);
}
