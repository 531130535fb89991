#include "cli/diag.h"
#include "cli/commands.h"
#include "cli/emit.h"
#include "cli/formats.h"
#include "cli/output.h"
#include "common/buf.h"
#include "common/error.h"
#include "checks/rules.h"

#include <stdio.h>
#include <string.h>

static void wrap(struct al_buf *out, const char *text, size_t indent, size_t width)
{
    size_t col = indent;
    al_buf_fill(out, ' ', indent);
    while (*text) {
        const char *sp = strchr(text, ' ');
        size_t n = sp ? (size_t)(sp - text) : strlen(text);
        if (col > indent && col + 1 + n > width) {
            al_buf_putc(out, '\n');
            al_buf_fill(out, ' ', indent);
            col = indent;
        } else if (col > indent) {
            al_buf_putc(out, ' ');
            col++;
        }
        al_buf_put(out, text, n);
        col += n;
        text += n;
        while (*text == ' ')
            text++;
    }
    al_buf_putc(out, '\n');
}

int al_render_rules_json(const struct al_rules_view *v, struct al_buf *out)
{
    (void)v; /* every rule, as before: scripts filter */
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, out);
    al_emit_seq_start(e);
    for (size_t i = 0; i < al_rules_count; i++) {
        al_emit_map_start(e);
        al_emit_kstr(e, "id", al_rules[i].id);
        al_emit_kstr(e, "severity", al_severity_name(al_rules[i].severity));
        al_emit_kbool(e, "rejects_file", al_rules[i].rejects);
        al_emit_kstr(e, "summary", al_rules[i].summary);
        al_emit_kstr(e, "help", al_rules[i].help);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
    al_emit_finish(e);
    return 0;
}

int al_render_rules_text(const struct al_rules_view *v, struct al_buf *out)
{
    for (size_t i = 0; i < al_rules_count; i++) {
        const struct al_rule *r = &al_rules[i];
        if (v->id && strcmp(v->id, r->id) != 0)
            continue;
        al_buf_printf(out, "%-20s %-8s %s\n", r->id, al_severity_name(r->severity), r->summary);
        if (v->id)
            wrap(out, r->help, 2, 78);
    }
    if (v->id && !out->len)
        return al_error_set("unknown rule id '%s' (agentlint rules lists them)", v->id);
    return 0;
}

int al_cmd_rules(const struct al_opts *o)
{
    if (o->n_paths > 1)
        return al_cmd_fail("rules takes at most one rule id");
    const struct al_format *fmt = al_format_find(AL_CMD_RULES, "rules", o->format);
    if (!fmt)
        return al_cmd_fail(al_error_last());
    struct al_rules_view v = {o->n_paths ? o->paths[0] : NULL};
    return al_format_write(fmt, &v, o->output) < 0 ? al_cmd_fail(al_error_last()) : 0;
}
