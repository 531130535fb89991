#include "cli/diag.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/formats.h"
#include "cli/output.h"
#include "cli/render.h"
#include "cli/change.h"
#include "cli/check_rbac.h"
#include "common/error.h"
#include "checks/baseline.h"
#include "checks/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int al_cmd_fail(const char *message)
{
    al_diag("agentlint: %s", message);
    return 2;
}

/* What a run leaves out of its output, for the closing lines. */
struct left_out {
    size_t baseline;  /* in --baseline */
    size_t unchanged; /* in agents --changed leaves out */
};

/* Drop findings (and their fingerprints, kept aligned) that `keep` rejects. */
static size_t drop(struct al_findings *fs, struct al_fingerprint *fps,
                   bool (*keep)(const struct al_finding *, const struct al_fingerprint *,
                                const void *),
                   const void *data)
{
    size_t k = 0;
    for (size_t i = 0; i < fs->n; i++) {
        if (!keep(&fs->items[i], &fps[i], data))
            continue;
        fs->items[k] = fs->items[i];
        fps[k++] = fps[i];
    }
    size_t dropped = fs->n - k;
    fs->n = k;
    return dropped;
}

static bool not_in_baseline(const struct al_finding *f, const struct al_fingerprint *fp,
                            const void *b)
{
    (void)f;
    return !al_baseline_has(b, fp->hex);
}

static bool in_scope(const struct al_finding *f, const struct al_fingerprint *fp, const void *s)
{
    (void)fp;
    return al_change_keeps(s, f);
}

/* --changed (unless --all): only the agents the index or worktree changes. */
static int scope_findings(const struct al_opts *o, struct al_session *s, struct al_report *r,
                          struct al_fingerprint *fps, struct left_out *lo)
{
    enum al_source_kind k = s->source->kind;
    if (!o->changed || o->all || !s->repo || (k != AL_SRC_INDEX && k != AL_SRC_WORKTREE))
        return 0;
    struct al_change *scope;
    int rc = al_change_load(s->repo, s->source, &scope);
    if (rc == 0)
        lo->unchanged = drop(&r->findings, fps, in_scope, scope);
    al_change_free(scope);
    return rc;
}

static int apply_baseline(const struct al_opts *o, struct al_report *r, struct al_fingerprint *fps,
                          struct left_out *lo)
{
    if (!o->baseline)
        return 0;
    struct al_baseline *b;
    if (al_baseline_load(o->baseline, &b) < 0)
        return AL_ERR;
    lo->baseline = drop(&r->findings, fps, not_in_baseline, b);
    al_baseline_free(b);
    return 0;
}

static int write_baseline(const struct al_opts *o, const struct al_report *r,
                          const struct al_fingerprint *fps)
{
    struct al_buf out = AL_BUF_INIT;
    al_render_baseline(&r->findings, fps, AL_VERSION, &out);
    int rc = al_output_write(o->write_baseline, &out) < 0 ? al_cmd_fail(al_error_last()) : 0;
    al_buf_free(&out);
    if (rc == 0 && !o->quiet)
        al_diag("agentlint: wrote %zu finding fingerprint(s) to %s; check --baseline %s now "
                "fails only on findings not listed there",
                r->findings.n, o->write_baseline, o->write_baseline);
    return rc;
}

/* The closing lines on standard error: what was left out, and that a run
 * with nothing to report did look at something. */
static void summary(const struct al_opts *o, const struct al_report *r, const struct left_out *lo)
{
    if (o->quiet)
        return;
    if (lo->baseline)
        al_diag("agentlint: %zu finding(s) listed in the baseline %s not shown", lo->baseline,
                o->baseline);
    if (lo->unchanged)
        al_diag("agentlint: %zu finding(s) in agents this change does not touch not shown "
                "(--all shows them)",
                lo->unchanged);
    if (r->findings.n)
        return;
    if (!r->n_agents)
        al_diag("agentlint: no agent configs found under .gitlab/agents/");
    else
        al_diag("agentlint: %zu agent config%s checked, no findings%s", r->n_agents,
                r->n_agents == 1 ? "" : "s",
                lo->unchanged ? " in the agents this change touches" : "");
}

static int check(const struct al_opts *o, const struct al_format *fmt, int fail_on,
                 struct al_session *s)
{
    struct al_run_opts ro;
    al_run_opts_init(&ro, &s->ctx);
    struct al_run run;
    al_run_build(&ro, s->source, &run);
    struct al_report *report = &run.report;
    if (o->n_rbac && al_check_rbac(o, s, report) < 0) {
        al_run_free(&run);
        return al_cmd_fail(al_error_last());
    }
    /* Fingerprints of the whole list, before anything is left out: they
     * number identical findings, and must not depend on what is shown. */
    struct al_fingerprint *fps = al_findings_fingerprints(&report->findings);
    struct left_out lo = {0, 0};
    int status;
    if (o->write_baseline) {
        status = write_baseline(o, report, fps);
    } else if (scope_findings(o, s, report, fps, &lo) < 0 ||
               apply_baseline(o, report, fps, &lo) < 0) {
        status = al_cmd_fail(al_error_last());
    } else {
        struct al_check_view view = {.report = report,
                                     .source = s->source,
                                     .ctx = &s->ctx,
                                     .version = AL_VERSION,
                                     .color = s->color,
                                     .fail_on = (enum al_severity)fail_on,
                                     .fingerprints = fps};
        status = al_format_write(fmt, &view, o->output) < 0 ? al_cmd_fail(al_error_last()) : 0;
        for (size_t i = 0; status == 0 && i < report->findings.n; i++)
            if ((int)report->findings.items[i].severity >= fail_on)
                status = 1;
        if (status < 2)
            summary(o, report, &lo);
    }
    free(fps);
    al_run_free(&run);
    return status;
}

int al_cmd_check(const struct al_opts *o)
{
    const struct al_format *fmt = al_format_find(AL_CMD_CHECK, "check", o->format);
    if (!fmt)
        return al_cmd_fail(al_error_last());
    int fail_on = al_severity_parse(o->fail_on ? o->fail_on : "error");
    if (fail_on < AL_SEV_NOTE)
        return al_cmd_fail("--fail-on must be error, warning or note");
    if (o->baseline && o->write_baseline)
        return al_cmd_fail("--baseline and --write-baseline cannot be combined: write the "
                           "baseline first, then check against it");

    struct al_session s;
    int status;
    if (al_session_open(&s, o) < 0 || al_session_load(&s) < 0)
        status = al_cmd_fail(al_error_last());
    else
        status = check(o, fmt, fail_on, &s);
    al_session_close(&s);
    return status;
}
