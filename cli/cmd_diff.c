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
#include "cli/formats.h"
#include "cli/output.h"
#include "cli/rbacin.h"
#include "perm/perm.h"
#include "cli/text_table.h"
#include "views/diff.h"
#include "checks/run.h"
#include "common/alloc.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One revision: its commit, files, report and access model. */
struct rev {
    const char *given;
    char *owned; /* given, when split from a range */
    char sha[41];
    struct al_source *src;
    struct al_run run; /* its report and access model */
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
    if (al_source_load(s->repo, AL_SRC_REVISION, head->sha, &head->src) < 0)
        return AL_ERR;
    /* One context for both sides: HEAD's settings decide what a finding is. */
    return al_session_configure(s, head->src);
}

/* One side's run. The diff's views read no file text, so it goes once the
 * run is done: two revisions of 10,000 agents are held at once. */
static void model(const struct al_session *s, struct rev *r)
{
    struct al_run_opts ro;
    al_run_opts_init(&ro, &s->ctx);
    al_run_build(&ro, r->src, &r->run);
    al_source_forget_text(r->src);
    r->checked = true;
}

/* HEAD first (load() read it for the settings), then BASE: one revision's
 * text in memory at a time. */
static int model_both(const struct al_session *s, struct rev *base, struct rev *head)
{
    model(s, head);
    if (al_source_load(s->repo, AL_SRC_REVISION, base->sha, &base->src) < 0)
        return AL_ERR;
    model(s, base);
    return 0;
}

static void rev_free(struct rev *r)
{
    if (r->checked)
        al_run_free(&r->run);
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
    al_qsort(theirs, other->n, sizeof(*theirs), fp_cmp);
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

static int render(const struct al_opts *o, const struct al_format *fmt, const struct al_session *s,
                  struct al_diff_view *v)
{
    v->config_project = s->ctx.project_path;
    v->config_project_origin = s->ctx.project_path_origin;
    v->version = AL_VERSION;
    v->color = s->color;
    v->width = al_text_term_width();
    return al_format_write(fmt, v, o->output) < 0 ? al_cmd_fail(al_error_last()) : 0;
}

/* diff --rbac: the RBAC at BASE and at HEAD (paths outside the repository
 * are the same on both sides), and what each identity gains or loses. */
/* The permissions borrow the objects' strings: `b` and `h` outlive them. */
static int perm_diff(const struct al_opts *o, const struct al_session *s, const struct rev *base,
                     const struct rev *head, struct al_rbacin *in, struct al_permdiff *out)
{
    struct al_rbacin *b = &in[0], *h = &in[1];
    memset(in, 0, 2 * sizeof *in);
    int rc = al_rbacin_load(o, s->repo, base->sha, b);
    if (rc == 0)
        rc = al_rbacin_load(o, s->repo, head->sha, h);
    struct al_perm_opts sa = {NULL, NULL};
    if (rc == 0 && o->agent_sa)
        rc = al_perm_agent_sa_parse(h->kube, o->agent_sa, &sa);
    if (rc == 0) {
        struct al_permdiff_opts po = {sa.agent_sa_namespace, sa.agent_sa_name};
        al_permdiff_build(b->kube, h->kube, &po, out);
    }
    return rc;
}

static int compare(const struct al_opts *o, const struct al_format *fmt, const struct al_session *s,
                   struct rev *base, struct rev *head, bool merge_base)
{
    if (model_both(s, base, head) < 0)
        return al_cmd_fail(al_error_last());
    struct al_diff d;
    struct al_diff_side bs = {&base->run.report, &base->run.access},
                        hs = {&head->run.report, &head->run.access};
    al_diff_build(&bs, &hs, s->ctx.env_matching, &d);
    struct al_diff_view v = {.base = base->sha,
                             .head = head->sha,
                             .base_rev = base->given,
                             .head_rev = head->given,
                             .merge_base = merge_base,
                             .diff = &d};
    struct al_diff_finding *nw =
        only_in(&head->run.report.findings, &base->run.report.findings, &v.n_new);
    struct al_diff_finding *fx =
        only_in(&base->run.report.findings, &head->run.report.findings, &v.n_fixed);
    v.new_findings = nw;
    v.fixed_findings = fx;
    struct al_permdiff pd = {0};
    struct al_rbacin in[2];
    memset(in, 0, sizeof in);
    if (o->n_rbac && perm_diff(o, s, base, head, in, &pd) < 0) {
        free(nw);
        free(fx);
        al_diff_free(&d);
        al_permdiff_free(&pd);
        al_rbacin_free(&in[0]);
        al_rbacin_free(&in[1]);
        return al_cmd_fail(al_error_last());
    }
    v.perms = o->n_rbac ? &pd : NULL;
    warn(s, &d);
    int rc = render(o, fmt, s, &v);
    if (rc == 0 && o->fail_on_widen && ((d.effect & AL_EFFECT_WIDENED) || pd.n_added))
        rc = 1;
    al_permdiff_free(&pd);
    al_rbacin_free(&in[0]);
    al_rbacin_free(&in[1]);
    free(nw);
    free(fx);
    al_diff_free(&d);
    return rc;
}

int al_cmd_diff(const struct al_opts *o)
{
    const struct al_format *fmt = al_format_find(AL_CMD_DIFF, "diff", o->format);
    if (!fmt)
        return al_cmd_fail(al_error_last());
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
