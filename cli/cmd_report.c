/* report: one self-contained document for a security review (HTML or
 * Markdown), assembled from check, explain and rbac (cli/review.h). Like
 * explain and rbac it answers for configs GitLab would reject (and says
 * so, prominently), and exits 2 only when it cannot answer: a bad flag, an
 * unreadable repository or --ids file, or an output it cannot write. */
#include "cli/accepted.h"
#include "cli/diag.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/explain.h"
#include "cli/formats.h"
#include "cli/graphviz.h"
#include "cli/output.h"
#include "cli/rbacin.h"
#include "perm/perm.h"
#include "cli/review.h"
#include "cli/text_table.h"
#include "checks/run.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* dot lays out a few hundred nodes in well under a second; a graph it
 * cannot do in this time is too big to read anyway (the DOT is shown). */
enum { DOT_TIMEOUT_MS = 20000 };
/* Past this many edges dot's layout time grows fast (1,200: 3 s; a hostile
 * 128 KiB config has 6,000: 20 s) and the picture is no longer readable:
 * the report shows the DOT source instead of running dot. */
enum { DOT_MAX_EDGES = 200 };
#define DOT_MAX_SVG ((size_t)64 << 20)

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
                                 0,
                                 NULL};
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
        al_diag("agentlint: warning: GitLab would reject %s: it keeps the previous configuration "
                "in force; the report shows what the file says",
                v->agents[i].agent->path);
    }
    if (!s->ctx.project_path && v->n_agents)
        al_diag("agentlint: note: the configuration project's path is unknown (give "
                "--project-path or set remote.origin.url): implicit authorizations are left out");
    if (v->n_missing)
        al_diag("agentlint: note: %zu numeric id(s) unknown: the report shows placeholders and "
                "the commands that fetch them (then run again with --ids FILE)",
                v->n_missing);
    if (v->graph.problem)
        al_diag("agentlint: note: %s: the report shows the graph's DOT source", v->graph.problem);
}

/* report --base: BASE read, checked and modelled as diff does, with the
 * same context, and compared with what the report shows. */
struct base {
    char sha[41];
    struct al_source *src;
    struct al_run run;
    struct al_diff diff;
    bool built;
};

static int base_load(const struct al_opts *o, struct al_session *s, struct base *b)
{
    if (!s->repo)
        return al_error_set("--base compares two revisions of a git repository; plain files "
                            "have none");
    char head[41];
    const char *head_rev = s->source->revision ? s->source->revision : "HEAD";
    if (al_repo_resolve(s->repo, o->base, b->sha) < 0 ||
        al_repo_resolve(s->repo, head_rev, head) < 0)
        return AL_ERR;
    if (o->merge_base && al_repo_merge_base(s->repo, b->sha, head, b->sha) < 0)
        return AL_ERR;
    return al_source_load(s->repo, AL_SRC_REVISION, b->sha, &b->src);
}

static void base_compare(const struct al_opts *o, const struct al_session *s,
                         const struct al_ids *ids, const struct al_run *head, struct base *b)
{
    struct al_run_opts ro; /* as the reported revision's run */
    al_run_opts_init(&ro, &s->ctx);
    ro.ids = ids;
    al_run_build(&ro, b->src, &b->run);
    (void)al_session_keep_agents(o, &b->run.access); /* the same agents on both sides */
    struct al_diff_side bs = {&b->run.report, &b->run.access}, hs = {&head->report, &head->access};
    al_diff_build(&bs, &hs, s->ctx.env_matching, &b->diff);
    b->built = true;
}

static void base_free(struct base *b)
{
    if (b->built) {
        al_diff_free(&b->diff);
        al_run_free(&b->run);
    }
    al_source_free(b->src);
}

/* report --rbac: the RBAC at the reported revision, and what it grants. */
/* The permissions borrow the objects' strings: `in` outlives them. */
static int permissions(const struct al_opts *o, const struct al_session *s, struct al_rbacin *in,
                       struct al_permdiff *out)
{
    const char *rev = s->source->kind == AL_SRC_REVISION ? s->source->revision : NULL;
    struct al_perm_opts sa = {NULL, NULL};
    int rc = al_rbacin_load(o, s->repo, rev, in);
    if (rc == 0 && o->agent_sa)
        rc = al_perm_agent_sa_parse(in->kube, o->agent_sa, &sa);
    struct al_permdiff_opts po = {sa.agent_sa_namespace, sa.agent_sa_name};
    if (rc == 0)
        rc = al_permdiff_granted(in->kube, &po, out);
    return rc;
}

static int report(const struct al_opts *o, const struct al_format *fmt, struct al_session *s,
                  const struct al_ids *ids)
{
    struct base b = {0};
    if (o->base && base_load(o, s, &b) < 0) {
        base_free(&b);
        return al_cmd_fail(al_error_last());
    }
    struct al_run run;
    int rc = al_session_run(s, o, ids, &run) < 0 ? al_cmd_fail(al_error_last()) : 0;
    struct al_access *m = &run.access;
    struct al_permdiff pd = {0};
    struct al_rbacin in;
    memset(&in, 0, sizeof in);
    if (rc == 0 && o->n_rbac && permissions(o, s, &in, &pd) < 0)
        rc = al_cmd_fail(al_error_last());
    if (rc == 0) {
        struct al_rbac_opts rbo = {.matching = s->ctx.env_matching};
        struct al_rbac r;
        al_rbac_build(m, &rbo, &r);
        if (o->base)
            base_compare(o, s, ids, &run, &b);
        struct al_review_view v = {.report = &run.report,
                                   .ctx = &s->ctx,
                                   .model = m,
                                   .rbac = &r,
                                   .role = "view",
                                   .license = o->license
                                                  ? (enum al_license)al_license_parse(o->license)
                                                  : AL_LICENSE_PREMIUM,
                                   .version = AL_VERSION,
                                   .only_some_agents = o->n_agents > 0,
                                   .changes = o->base ? &b.diff : NULL,
                                   .base_rev = o->base,
                                   .base_sha = b.sha,
                                   .perms = o->n_rbac ? &pd : NULL};
        al_review_build(&v);
        struct al_buf dot = AL_BUF_INIT, svg = AL_BUF_INIT;
        if (v.n_agents)
            graph(&v, s, &dot, &svg);
        diagnostics(&v, s);
        if (al_format_write(fmt, &v, o->output) < 0)
            rc = al_cmd_fail(al_error_last());
        al_buf_free(&svg);
        al_buf_free(&dot);
        al_review_free(&v);
        al_rbac_free(&r);
    }
    al_permdiff_free(&pd);
    al_rbacin_free(&in);
    base_free(&b);
    al_run_free(&run);
    return rc;
}

int al_cmd_report(const struct al_opts *o)
{
    const struct al_format *fmt = al_format_find(AL_CMD_REPORT, "report", o->format);
    if (!fmt)
        return al_cmd_fail(al_error_last());
    if (o->merge_base && !o->base)
        return al_cmd_fail("--merge-base goes with --base REV: it compares from the merge base "
                           "of REV and the revision reported");
    if (o->base && !*o->base)
        return al_cmd_fail("--base is empty: give a revision (in GitLab CI, "
                           "$CI_MERGE_REQUEST_DIFF_BASE_SHA is set only in merge request "
                           "pipelines)");
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
