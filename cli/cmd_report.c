/* report: one self-contained document for a security review (HTML or
 * Markdown), assembled from check, explain and rbac (cli/review.h). Like
 * explain and rbac it answers for configs GitLab would reject (and says
 * so, prominently), and exits 2 only when it cannot answer: a bad flag, an
 * unreadable repository or --ids file, or an output it cannot write. */
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/explain.h"
#include "cli/graphviz.h"
#include "cli/output.h"
#include "cli/review.h"
#include "cli/text_table.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off */
const struct al_review_format al_review_formats[] = {
    {"html", al_render_report_html},
    {"markdown", al_render_report_markdown},
    {NULL, NULL},
};
/* clang-format on */

/* dot lays out a few hundred nodes in well under a second; a graph it
 * cannot do in this time is too big to read anyway (the DOT is shown). */
enum { DOT_TIMEOUT_MS = 20000 };
/* Past this many edges dot's layout time grows fast (1,200: 3 s; a hostile
 * 128 KiB config has 6,000: 20 s) and the picture is no longer readable:
 * the report shows the DOT source instead of running dot. */
enum { DOT_MAX_EDGES = 200 };
#define DOT_MAX_SVG ((size_t)64 << 20)

static const struct al_review_format *find_format(const char *name)
{
    for (const struct al_review_format *f = al_review_formats; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

/* explain's DOT, laid out by Graphviz when it can be. */
static void graph(struct al_review_view *v, const struct al_session *s, struct al_buf *dot,
                  struct al_buf *svg)
{
    struct al_explain_view ev = {v->report,
                                 v->model,
                                 NULL,
                                 s->ctx.project_path,
                                 s->ctx.project_path_origin,
                                 s->ctx.env_matching,
                                 AL_VERSION,
                                 false,
                                 0};
    al_render_explain_dot(&ev, dot);
    v->graph.dot = al_buf_cstr(dot);
    size_t edges = 0;
    for (size_t i = 0; i < v->model->n_agents; i++)
        edges += v->model->agents[i]->n_auths;
    if (edges > DOT_MAX_EDGES) {
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b, "the graph has %zu edges, more than the %d that dot lays out quickly",
                      edges, DOT_MAX_EDGES);
        v->graph.problem = al_arena_strdup(&v->arena, al_buf_cstr(&b));
        al_buf_free(&b);
        return;
    }
    if (al_graphviz_svg(dot->ptr, dot->len, DOT_TIMEOUT_MS, DOT_MAX_SVG, svg) < 0) {
        v->graph.problem = al_arena_strdup(&v->arena, al_error_last());
        return;
    }
    v->graph.svg = svg->ptr;
    v->graph.svg_len = svg->len;
}

/* What the document rests on, on standard error (the document says it too). */
static void diagnostics(const struct al_review_view *v, const struct al_session *s)
{
    for (size_t i = 0; i < v->n_agents; i++) {
        if (!v->agents[i].agent->rejected)
            continue;
        struct al_buf b = AL_BUF_INIT;
        al_text_safe(&b, v->agents[i].agent->path);
        fprintf(stderr,
                "agentlint: warning: GitLab would reject %s: it keeps the previous configuration "
                "in force; the report shows what the file says\n",
                al_buf_cstr(&b));
        al_buf_free(&b);
    }
    if (!s->ctx.project_path && v->n_agents)
        fputs("agentlint: note: the configuration project's path is unknown (give "
              "--project-path or set remote.origin.url): implicit authorizations are left out\n",
              stderr);
    if (v->n_missing)
        fprintf(stderr,
                "agentlint: note: %zu numeric id(s) unknown: the report shows placeholders and "
                "the commands that fetch them (then run again with --ids FILE)\n",
                v->n_missing);
    if (v->graph.problem)
        fprintf(stderr, "agentlint: note: %s: the report shows the graph's DOT source\n",
                v->graph.problem);
}

static int report(const struct al_opts *o, const struct al_review_format *fmt, struct al_session *s,
                  const struct al_ids *ids)
{
    struct al_report report;
    al_check_run(&s->ctx, s->source, &report);
    struct al_access_opts ao = {s->ctx.project_path, s->ctx.gitlab_version,
                                s->ctx.instance_authorization, ids, 0};
    struct al_access m;
    al_access_build(&ao, &report, &m);
    int rc = al_session_keep_agents(o, &m) < 0 ? al_cmd_fail(al_error_last()) : 0;
    if (rc == 0) {
        struct al_rbac_opts ro = {.matching = s->ctx.env_matching};
        struct al_rbac r;
        al_rbac_build(&m, &ro, &r);
        struct al_review_view v = {.report = &report,
                                   .ctx = &s->ctx,
                                   .model = &m,
                                   .rbac = &r,
                                   .role = "view",
                                   .license = o->license
                                                  ? (enum al_license)al_license_parse(o->license)
                                                  : AL_LICENSE_PREMIUM,
                                   .version = AL_VERSION,
                                   .only_some_agents = o->n_agents > 0};
        al_review_build(&v);
        struct al_buf dot = AL_BUF_INIT, svg = AL_BUF_INIT, out = AL_BUF_INIT;
        if (v.n_agents)
            graph(&v, s, &dot, &svg);
        diagnostics(&v, s);
        int stream_error;
        al_output_begin(o->output, &out, &stream_error);
        fmt->render(&v, &out);
        if (al_output_write(o->output, &out) < 0)
            rc = al_cmd_fail(al_error_last());
        al_buf_free(&out);
        al_buf_free(&svg);
        al_buf_free(&dot);
        al_review_free(&v);
        al_rbac_free(&r);
    }
    al_access_free(&m);
    al_report_free(&report);
    return rc;
}

int al_cmd_report(const struct al_opts *o)
{
    const struct al_review_format *fmt = find_format(o->format ? o->format : "html");
    if (!fmt)
        return al_cmd_fail("--format for report must be html or markdown");
    if (o->license && al_license_parse(o->license) < 0) {
        al_error_set("--license must be free, premium or ultimate, not '%s'", o->license);
        return al_cmd_fail(al_error_last());
    }
    struct al_ids *ids;
    struct al_session s;
    int rc;
    if (al_session_ids(o, &ids) < 0) {
        rc = al_cmd_fail(al_error_last());
    } else if (al_session_open(&s, o) < 0 || al_session_load(&s) < 0) {
        rc = al_cmd_fail(al_error_last());
        al_session_close(&s);
    } else {
        rc = report(o, fmt, &s, ids);
        al_session_close(&s);
    }
    al_ids_free(ids);
    return rc;
}
