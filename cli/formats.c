#include "cli/formats.h"
#include "cli/can_i.h"
#include "cli/whocan.h"
#include "cli/diff.h"
#include "cli/explain.h"
#include "cli/output.h"
#include "cli/render.h"
#include "cli/render_rbac.h"
#include "cli/review.h"
#include "common/error.h"

#include <stdio.h>
#include <string.h>

/* One row per format, grouped by command, the default first. */
/* clang-format off */
const struct al_format al_formats[] = {
    {AL_CMD_CHECK, "text", "for people: path:line:col, the source line and a caret",
     AL_FORMAT_DEFAULT, {.check = al_render_check_text}},
    {AL_CMD_CHECK, "json", "for scripts: the contract's shape",
     0, {.check = al_render_check_json}},
    {AL_CMD_CHECK, "sarif", "SARIF 2.1.0, for code-scanning viewers",
     0, {.check = al_render_check_sarif}},
    {AL_CMD_CHECK, "codequality", "GitLab Code Quality, for the merge request widget",
     0, {.check = al_render_check_codequality}},
    {AL_CMD_CHECK, "junit", "JUnit XML, for GitLab's test report",
     0, {.check = al_render_check_junit}},

    {AL_CMD_EXPLAIN, "text", "the access matrix as tables, for people",
     AL_FORMAT_DEFAULT, {.explain = al_render_explain_text}},
    {AL_CMD_EXPLAIN, "markdown", "GitLab Markdown, for a merge request note",
     0, {.explain = al_render_explain_markdown}},
    {AL_CMD_EXPLAIN, "json", "for scripts: the contract's shape",
     0, {.explain = al_render_explain_json}},
    {AL_CMD_EXPLAIN, "dot", "a Graphviz graph of who reaches which agent",
     0, {.explain = al_render_explain_dot}},

    {AL_CMD_DIFF, "text", "the access changes and findings, for people",
     AL_FORMAT_DEFAULT, {.diff = al_render_diff_text}},
    {AL_CMD_DIFF, "markdown", "GitLab Markdown, for a merge request note",
     0, {.diff = al_render_diff_markdown}},
    {AL_CMD_DIFF, "json", "for scripts: the contract's shape",
     0, {.diff = al_render_diff_json}},

    {AL_CMD_RBAC, "yaml", "a YAML stream for kubectl apply",
     AL_FORMAT_DEFAULT | AL_FORMAT_WHOLE, {.rbac = al_render_rbac_yaml}},
    {AL_CMD_RBAC, "json", "one Kubernetes List, for jq and kubectl apply",
     AL_FORMAT_WHOLE, {.rbac = al_render_rbac_json}},

    {AL_CMD_RULES, "text", "a line per rule; its help for one rule",
     AL_FORMAT_DEFAULT | AL_FORMAT_WHOLE, {.rules = al_render_rules_text}},
    {AL_CMD_RULES, "json", "every rule with its help, for scripts",
     AL_FORMAT_WHOLE, {.rules = al_render_rules_json}},

    {AL_CMD_REPORT, "html", "one self-contained page",
     AL_FORMAT_DEFAULT, {.report = al_render_report_html}},
    {AL_CMD_REPORT, "markdown", "GitLab Markdown, for an issue or a wiki page",
     0, {.report = al_render_report_markdown}},

    {AL_CMD_SCHEMA, "json", "JSON Schema draft-07, for editors",
     AL_FORMAT_DEFAULT | AL_FORMAT_WHOLE, {.schema = al_render_schema_json}},

    {AL_CMD_CAN_I, "text", "yes or no, then the deciding binding and rule", AL_FORMAT_DEFAULT,
     {.can_i = al_render_can_i_text}},
    {AL_CMD_CAN_I, "json", "the answer and each agent's identity and grant (schemas/can-i.schema.json)",
     0, {.can_i = al_render_can_i_json}},

    {AL_CMD_WHO_CAN, "text", "the jobs that can, grouped, with the deciding binding and rule",
     AL_FORMAT_DEFAULT, {.who_can = al_render_whocan_text}},
    {AL_CMD_WHO_CAN, "markdown", "the same as a table, for a merge-request comment", 0,
     {.who_can = al_render_whocan_markdown}},
    {AL_CMD_WHO_CAN, "json", "the same as data (schemas/who-can.schema.json)", 0,
     {.who_can = al_render_whocan_json}},

    {0, NULL, NULL, 0, {NULL}},
};
/* clang-format on */

bool al_format_takes(enum al_command cmd)
{
    for (const struct al_format *f = al_formats; f->name; f++)
        if (f->cmd == cmd)
            return true;
    return false;
}

bool al_format_known(const char *name)
{
    for (const struct al_format *f = al_formats; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return true;
    return false;
}

/* "text, json or dot": the names of cmd's formats. */
static void names(struct al_buf *out, enum al_command cmd)
{
    size_t n = 0, i = 0;
    for (const struct al_format *f = al_formats; f->name; f++)
        n += f->cmd == cmd;
    for (const struct al_format *f = al_formats; f->name; f++) {
        if (f->cmd != cmd)
            continue;
        i++;
        al_buf_puts(out, i == 1 ? "" : i == n ? " or " : ", ");
        al_buf_puts(out, f->name);
    }
}

const struct al_format *al_format_find(enum al_command cmd, const char *command_name,
                                       const char *name)
{
    for (const struct al_format *f = al_formats; f->name; f++)
        if (f->cmd == cmd && (name ? strcmp(f->name, name) == 0 : !!(f->flags & AL_FORMAT_DEFAULT)))
            return f;
    struct al_buf b = AL_BUF_INIT;
    names(&b, cmd);
    al_error_set("--format for %s must be %s, not '%s'", command_name, al_buf_cstr(&b),
                 name ? name : "");
    al_buf_free(&b);
    return NULL;
}

int al_format_render(const struct al_format *f, const void *view, struct al_buf *out)
{
    switch (f->cmd) {
    case AL_CMD_CHECK:
        f->render.check(view, out);
        return 0;
    case AL_CMD_EXPLAIN:
        f->render.explain(view, out);
        return 0;
    case AL_CMD_DIFF:
        f->render.diff(view, out);
        return 0;
    case AL_CMD_REPORT:
        f->render.report(view, out);
        return 0;
    case AL_CMD_RBAC:
        if (f->render.rbac(view, out) < 0)
            return al_error_set("internal error: the YAML or JSON emitter failed");
        return 0;
    case AL_CMD_RULES:
        return f->render.rules(view, out);
    case AL_CMD_SCHEMA:
        f->render.schema(view, out);
        return 0;
    case AL_CMD_CAN_I:
        f->render.can_i(view, out);
        return 0;
    case AL_CMD_WHO_CAN:
        f->render.who_can(view, out);
        return 0;
    default:
        return al_error_set("internal error: format %s has no renderer", f->name);
    }
}

int al_format_write(const struct al_format *f, const void *view, const char *path)
{
    struct al_buf out = AL_BUF_INIT;
    int stream_error = 0;
    if (!(f->flags & AL_FORMAT_WHOLE))
        al_output_begin(path, &out, &stream_error);
    int rc = al_format_render(f, view, &out);
    if (rc == 0)
        rc = al_output_write(path, &out);
    al_buf_free(&out);
    return rc;
}

void al_formats_list(enum al_command cmd)
{
    for (const struct al_format *f = al_formats; f->name; f++)
        if (f->cmd == cmd)
            puts(f->name);
}

void al_formats_help(enum al_command cmd)
{
    if (!al_format_takes(cmd))
        return;
    puts("\nFormats (-f):");
    for (const struct al_format *f = al_formats; f->name; f++)
        if (f->cmd == cmd)
            printf("  %-32s %s%s\n", f->name, f->summary,
                   f->flags & AL_FORMAT_DEFAULT ? " (default)" : "");
}
