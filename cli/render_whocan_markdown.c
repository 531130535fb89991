/* who-can, markdown: for a merge-request comment. Every string from a
 * config, RBAC file or the command line goes through al_md_escape. */
#include "cli/explain.h"
#include "cli/markdown.h"
#include "cli/whocan.h"

enum { COLS = 8 };

static void row(struct al_buf *out, const struct al_who_row *r)
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
                               r->known ? al_buf_cstr(&where) : NULL,
                               al_buf_cstr(&by)};
    al_md_cells(out, cells, COLS);
    al_buf_free(&envs);
    al_buf_free(&where);
    al_buf_free(&by);
}

static void missing(const struct al_who *w, struct al_buf *out)
{
    if (!w->n_missing)
        return;
    al_buf_puts(out, "Numeric ids not known, so bindings that name them cannot be matched (the "
                     "answer may miss jobs); add them with `--ids`:\n\n");
    for (size_t i = 0; i < w->n_missing; i++) {
        al_buf_printf(out, "- %s ", al_explain_id_kind(w->missing[i].kind));
        al_md_escape(out, w->missing[i].path);
        al_buf_putc(out, '\n');
    }
    al_buf_putc(out, '\n');
}

void al_render_whocan_markdown(const struct al_whocan_view *v, struct al_buf *out)
{
    static const char *const head[COLS] = {"Project", "Environments", "Ref",   "Agent",
                                           "As",      "User",         "Where", "Allowed by"};
    const struct al_who *w = v->who;
    struct al_buf q = AL_BUF_INIT;
    al_whocan_request(&q, &w->request);
    al_buf_puts(out, "## Who can ");
    al_md_escape_buf(out, &q);
    al_buf_printf(out, "\n\n%zu representative job%s asked.\n\n", w->n_jobs,
                  w->n_jobs == 1 ? "" : "s");
    if (!w->n_rows) {
        al_buf_puts(out, "No CI job of these agents can.\n\n");
    } else {
        al_md_header(out, head, COLS);
        for (size_t i = 0; i < w->n_rows; i++)
            row(out, &w->rows[i]);
        al_buf_putc(out, '\n');
    }
    missing(w, out);
}
