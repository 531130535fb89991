/* diff BASE [HEAD]: both revisions read straight from the object store,
 * checked and modelled with the same context (HEAD's .agentlint.yaml,
 * the same configuration project, GitLab version and instance setting),
 * then compared: access (access/diff.h) and findings, matched by the
 * fingerprints Code Quality uses so that a finding whose lines moved is
 * neither new nor fixed. Exit 1 with --fail-on-widen when any change
 * widens access (a mixed one does too: part of it widens). */
#include "cli/diag.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/diff.h"
#include "cli/output.h"
#include "cli/text_table.h"
#include "views/diff.h"
#include "common/alloc.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off */
const struct al_diff_format al_diff_formats[] = {
    {"text", al_render_diff_text},
    {"markdown", al_render_diff_markdown},
    {"json", al_render_diff_json},
    {NULL, NULL},
};
/* clang-format on */

static const struct al_diff_format *find_format(const char *name)
{
    for (const struct al_diff_format *f = al_diff_formats; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

/* One revision: its commit, files, report and access model. */
struct rev {
    const char *given;
    char *owned; /* given, when split from a range */
    char sha[41];
    struct al_source *src;
    struct al_report report;
    struct al_access model;
    bool checked;
};

/* One argument `A...B` or `A..B`, as git reads it: A...B is from the merge
 * base of A and B to B, A..B from A to B, and an empty side is HEAD
 * (main... is main...HEAD). A ref name never contains "..", so the first
 * one splits it. Returns 1 when arg is a range. */
static int split_range(const char *arg, struct rev *base, struct rev *head, bool *merge_base)
{
    const char *dots = strstr(arg, "..");
    if (!dots)
        return 0;
    bool three = dots[2] == '.';
    const char *rest = dots + (three ? 3 : 2);
    if (strstr(rest, ".."))
        return al_error_set("'%s' is not a range git reads: give A...B (from their merge base) "
                            "or A..B",
                            arg);
    base->owned = dots > arg ? al_strndup(arg, (size_t)(dots - arg)) : al_strdup("HEAD");
    head->owned = *rest ? al_strdup(rest) : al_strdup("HEAD");
    base->given = base->owned;
    head->given = head->owned;
    *merge_base = *merge_base || three;
    return 1;
}

static int check_args(const struct al_opts *o, struct rev *base, struct rev *head, bool *merge_base)
{
    if (o->n_paths < 1 || o->n_paths > 2)
        return al_error_set("diff needs BASE and optionally HEAD (two revisions, e.g. "
                            "agentlint diff origin/main HEAD), or one range BASE...HEAD");
    if (!*o->paths[0])
        return al_error_set("BASE is empty: give a revision (in GitLab CI, "
                            "$CI_MERGE_REQUEST_DIFF_BASE_SHA is set only in merge request "
                            "pipelines)");
    if (o->n_paths == 2 && !*o->paths[1])
        return al_error_set("HEAD is empty: give a revision, or leave it out for HEAD");
    *merge_base = o->merge_base;
    base->given = o->paths[0];
    head->given = o->n_paths == 2 ? o->paths[1] : "HEAD";
    int range = split_range(o->paths[0], base, head, merge_base);
    if (range < 0)
        return AL_ERR;
    if (range && o->n_paths == 2)
        return al_error_set("give either a range (%s) or BASE and HEAD, not both", o->paths[0]);
    if (!range && o->n_paths == 2 && strstr(o->paths[1], ".."))
        return al_error_set("HEAD '%s' is a range: give one range BASE...HEAD, or two revisions",
                            o->paths[1]);
    return 0;
}

static bool looks_like_sha(const char *s)
{
    size_t n = strspn(s, "0123456789abcdefABCDEF");
    return n >= 7 && n <= 40 && !s[n];
}

/* A revision this clone does not have. In a shallow clone (GitLab CI
 * fetches 20 commits by default) the fix is more history, not another
 * revision: a commit can be fetched by its id, anything else by deepening. */
static int resolve(struct al_repo *repo, const char *role, struct rev *r)
{
    if (al_repo_resolve(repo, r->given, r->sha) == 0)
        return 0;
    if (!al_repo_is_shallow(repo))
        return AL_ERR;
    if (looks_like_sha(r->given))
        return al_error_set("%s %s is not in this shallow clone: fetch it with git fetch origin "
                            "%s (or git fetch --deepen=100 origin), or set GIT_DEPTH: 0 in the "
                            "job's variables in GitLab CI",
                            role, r->given, r->given);
    return al_error_set("%s '%s' is not in this shallow clone: fetch more history with git fetch "
                        "--deepen=100 origin (or git fetch --unshallow), or set GIT_DEPTH: 0 in "
                        "the job's variables in GitLab CI",
                        role, r->given);
}

static int load(struct al_session *s, struct rev *base, struct rev *head, bool merge_base)
{
    if (resolve(s->repo, "BASE", base) < 0 || resolve(s->repo, "HEAD", head) < 0)
        return AL_ERR;
    if (merge_base && al_repo_merge_base(s->repo, base->sha, head->sha, base->sha) < 0)
        return AL_ERR;
    if (al_source_load(s->repo, AL_SRC_REVISION, base->sha, &base->src) < 0 ||
        al_source_load(s->repo, AL_SRC_REVISION, head->sha, &head->src) < 0)
        return AL_ERR;
    /* One context for both sides: HEAD's settings decide what a finding is. */
    return al_session_configure(s, head->src);
}

static void model(const struct al_session *s, struct rev *r)
{
    struct al_access_opts ao = {s->ctx.project_path, s->ctx.gitlab_version,
                                s->ctx.instance_authorization, NULL, 0};
    al_check_run(&s->ctx, r->src, &r->report);
    al_access_build(&ao, r->report.agents, r->report.n_agents, &r->model);
    r->checked = true;
}

static void rev_free(struct rev *r)
{
    if (r->checked) {
        al_access_free(&r->model);
        al_report_free(&r->report);
    }
    al_source_free(r->src);
    free(r->owned);
}

/* ---- findings ---- */

static int fp_cmp(const void *a, const void *b)
{
    return memcmp(a, b, AL_FINGERPRINT_LEN);
}

/* Findings of `from` whose fingerprint `other` does not have. */
static struct al_diff_finding *only_in(const struct al_findings *from,
                                       const struct al_findings *other, size_t *n)
{
    struct al_fingerprint *mine = al_findings_fingerprints(from);
    struct al_fingerprint *theirs = al_findings_fingerprints(other);
    qsort(theirs, other->n, sizeof(*theirs), fp_cmp);
    struct al_diff_finding *out = al_calloc(from->n ? from->n : 1, sizeof(*out));
    *n = 0;
    for (size_t i = 0; i < from->n; i++) {
        if (other->n && bsearch(&mine[i], theirs, other->n, sizeof(*theirs), fp_cmp))
            continue;
        out[*n].finding = &from->items[i];
        out[(*n)++].fp = mine[i];
    }
    free(mine);
    free(theirs);
    return out;
}

/* ---- output ---- */

static void warn(const struct al_session *s, const struct al_diff *d)
{
    for (size_t i = 0; i < d->n_agents; i++)
        if (d->agents[i].head_rejected)
            al_diag("agentlint: warning: GitLab would reject %s at HEAD (agentlint check says "
                    "why): the access in force stays that of BASE",
                    d->agents[i].path);
    if (!s->ctx.project_path && d->n_agents)
        al_diag("agentlint: note: the configuration project's path is unknown (give --project-path "
                "or set remote.origin.url): implicit authorizations and the namespace rule are "
                "left out");
}

static int render(const struct al_opts *o, const struct al_diff_format *fmt,
                  const struct al_session *s, struct al_diff_view *v)
{
    v->config_project = s->ctx.project_path;
    v->config_project_origin = s->ctx.project_path_origin;
    v->version = AL_VERSION;
    v->color = s->color;
    v->width = al_text_term_width();
    struct al_buf out = AL_BUF_INIT;
    int stream_error;
    al_output_begin(o->output, &out, &stream_error);
    fmt->render(v, &out);
    int rc = al_output_write(o->output, &out) < 0 ? al_cmd_fail(al_error_last()) : 0;
    al_buf_free(&out);
    return rc;
}

static int compare(const struct al_opts *o, const struct al_diff_format *fmt,
                   const struct al_session *s, struct rev *base, struct rev *head, bool merge_base)
{
    model(s, base);
    model(s, head);
    struct al_diff d;
    struct al_diff_side bs = {&base->report, &base->model}, hs = {&head->report, &head->model};
    al_diff_build(&bs, &hs, s->ctx.env_matching, &d);
    struct al_diff_view v = {.base = base->sha,
                             .head = head->sha,
                             .base_rev = base->given,
                             .head_rev = head->given,
                             .merge_base = merge_base,
                             .diff = &d};
    struct al_diff_finding *nw = only_in(&head->report.findings, &base->report.findings, &v.n_new);
    struct al_diff_finding *fx =
        only_in(&base->report.findings, &head->report.findings, &v.n_fixed);
    v.new_findings = nw;
    v.fixed_findings = fx;
    warn(s, &d);
    int rc = render(o, fmt, s, &v);
    if (rc == 0 && o->fail_on_widen && (d.effect & AL_EFFECT_WIDENED))
        rc = 1;
    free(nw);
    free(fx);
    al_diff_free(&d);
    return rc;
}

int al_cmd_diff(const struct al_opts *o)
{
    const struct al_diff_format *fmt = find_format(o->format ? o->format : "text");
    if (!fmt)
        return al_cmd_fail("--format for diff must be text, markdown or json");
    struct rev base = {0}, head = {0};
    bool merge_base = false;
    if (check_args(o, &base, &head, &merge_base) < 0) {
        rev_free(&base);
        rev_free(&head);
        return al_cmd_fail(al_error_last());
    }
    struct al_session s;
    int rc;
    if (al_session_open(&s, o) < 0 || load(&s, &base, &head, merge_base) < 0)
        rc = al_cmd_fail(al_error_last());
    else
        rc = compare(o, fmt, &s, &base, &head, merge_base);
    rev_free(&base);
    rev_free(&head);
    al_session_close(&s);
    return rc;
}
