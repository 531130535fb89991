/* text: PATH:LINE:COL: SEVERITY: MESSAGE [RULE-ID], then the source line and
 * a caret marker under the offending token (colour on a terminal). */
#include "cli/ansi.h"
#include "cli/render.h"
#include "common/safe.h"
#include "common/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ":LINE:COL:" without printf: it runs once per finding. */
static void put_position(struct al_buf *out, unsigned line, unsigned col)
{
    char tmp[32], *p = tmp + sizeof tmp;
    *--p = ':';
    do
        *--p = (char)('0' + col % 10);
    while (col /= 10);
    *--p = ':';
    do
        *--p = (char)('0' + line % 10);
    while (line /= 10);
    *--p = ':';
    al_buf_put(out, p, (size_t)(tmp + sizeof tmp - p));
}

static const char *sev_color(enum al_severity s)
{
    return s == AL_SEV_ERROR     ? AL_ANSI_BOLD_RED
           : s == AL_SEV_WARNING ? AL_ANSI_BOLD_YELLOW
                                 : AL_ANSI_BOLD_CYAN;
}

static void snippet(const struct al_check_view *v, const struct al_finding *f, struct al_buf *out)
{
    const char *line;
    size_t len;
    if (!al_render_shows_source(f) ||
        !al_render_source_line(v->source, f->path, f->line, &line, &len))
        return;
    char num[16];
    int w = snprintf(num, sizeof num, "%u", f->line);
    al_buf_fill(out, ' ', (size_t)w + 1);
    al_buf_puts(out, "|\n");
    al_ansi(out, v->color, AL_ANSI_DIM);
    al_buf_put(out, num, (size_t)w);
    al_buf_puts(out, " |");
    al_ansi(out, v->color, AL_ANSI_RESET);
    al_buf_putc(out, ' ');
    al_safe_put(out, line, len);
    al_buf_putc(out, '\n');
    al_buf_fill(out, ' ', (size_t)w + 1);
    al_buf_puts(out, "| ");
    if (f->col) {
        /* Columns count characters, and hidden ones print visibly. */
        size_t off = al_utf8_offset(line, len, f->col - 1);
        al_buf_fill(out, ' ', al_safe_width(line, off));
        al_ansi(out, v->color, sev_color(f->severity));
        al_buf_putc(out, '^');
        size_t chars = al_render_token_width(line, len, f->col);
        size_t tw = al_safe_width(line + off, al_utf8_offset(line + off, len - off, chars));
        al_buf_fill(out, '~', tw > 1 ? tw - 1 : 0);
        al_ansi(out, v->color, AL_ANSI_RESET);
    }
    al_buf_putc(out, '\n');
}

void al_render_check_text(const struct al_check_view *v, struct al_buf *out)
{
    const struct al_findings *fs = &v->report->findings;
    for (size_t i = 0; i < fs->n; i++) {
        const struct al_finding *f = &fs->items[i];
        al_ansi(out, v->color, AL_ANSI_BOLD);
        al_safe_puts(out, f->path);
        put_position(out, f->line ? f->line : 1, f->col ? f->col : 1);
        al_ansi(out, v->color, AL_ANSI_RESET);
        al_buf_putc(out, ' ');
        al_ansi(out, v->color, sev_color(f->severity));
        al_buf_puts(out, al_severity_name(f->severity));
        al_ansi(out, v->color, AL_ANSI_RESET);
        al_buf_puts(out, ": ");
        al_safe_puts(out, f->message);
        al_buf_putc(out, ' ');
        al_ansi(out, v->color, AL_ANSI_DIM);
        al_buf_putc(out, '[');
        al_buf_puts(out, f->rule);
        al_buf_putc(out, ']');
        al_ansi(out, v->color, AL_ANSI_RESET);
        al_buf_putc(out, '\n');
        snippet(v, f, out);
    }
    if (fs->n) {
        size_t e, w, n;
        al_findings_count(fs, &e, &w, &n);
        al_buf_printf(out, "\n%zu error%s, %zu warning%s, %zu note%s in %zu agent config%s\n", e,
                      e == 1 ? "" : "s", w, w == 1 ? "" : "s", n, n == 1 ? "" : "s",
                      v->report->n_agents, v->report->n_agents == 1 ? "" : "s");
    }
}
