#include "cli/diag.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/output.h"
#include "cli/render.h"
#include "common/error.h"

#include <stdio.h>
#include <string.h>

/* One row per format (clang-format would pack the rows). */
/* clang-format off */
const struct al_check_format al_check_formats[] = {
    {"text", al_render_check_text},
    {"json", al_render_check_json},
    {"sarif", al_render_check_sarif},
    {"codequality", al_render_check_codequality},
    {"junit", al_render_check_junit},
    {NULL, NULL},
};
/* clang-format on */

int al_cmd_fail(const char *message)
{
    al_diag("agentlint: %s", message);
    return 2;
}

static const struct al_check_format *find_format(const char *name)
{
    for (const struct al_check_format *f = al_check_formats; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

int al_cmd_check(const struct al_opts *o)
{
    const struct al_check_format *fmt = find_format(o->format ? o->format : "text");
    if (!fmt)
        return al_cmd_fail("--format must be text, json, sarif, codequality or junit");
    int fail_on = al_severity_parse(o->fail_on ? o->fail_on : "error");
    if (fail_on < AL_SEV_NOTE)
        return al_cmd_fail("--fail-on must be error, warning or note");

    struct al_session s;
    if (al_session_open(&s, o) < 0 || al_session_load(&s) < 0) {
        int rc = al_cmd_fail(al_error_last());
        al_session_close(&s);
        return rc;
    }
    struct al_report report;
    s.ctx.findings_only = true; /* the renderers read findings and agent names only */
    al_check_run(&s.ctx, s.source, &report);

    struct al_check_view view = {.report = &report,
                                 .source = s.source,
                                 .ctx = &s.ctx,
                                 .version = AL_VERSION,
                                 .color = s.color,
                                 .fail_on = (enum al_severity)fail_on};
    struct al_buf out = AL_BUF_INIT;
    int stream_error;
    /* Text on standard output streams: its length grows with the findings. */
    if (fmt->render == al_render_check_text && (!o->output || strcmp(o->output, "-") == 0))
        al_output_stream_stdout(&out, &stream_error);
    fmt->render(&view, &out);
    int status = 0;
    if (al_output_write(o->output, &out) < 0) {
        status = al_cmd_fail(al_error_last());
    } else {
        for (size_t i = 0; i < report.findings.n; i++)
            if ((int)report.findings.items[i].severity >= fail_on)
                status = 1;
    }
    al_buf_free(&out);
    al_report_free(&report);
    al_session_close(&s);
    return status;
}
