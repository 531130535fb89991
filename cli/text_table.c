#include "cli/text_table.h"
#include "common/alloc.h"
#include "common/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Code points a terminal may act on: C0 and C1 controls, DEL, and the
 * bidirectional overrides that can reorder what a reviewer reads. */
static bool dangerous(const unsigned char *p, size_t n)
{
    if (n == 1)
        return *p < 0x20 || *p == 0x7f;
    if (n == 2)
        return p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
    if (n == 3 && p[0] == 0xe2 && p[1] == 0x80)
        return p[2] >= 0xaa && p[2] <= 0xae; /* U+202A..U+202E */
    if (n == 3 && p[0] == 0xe2 && p[1] == 0x81)
        return p[2] >= 0xa6 && p[2] <= 0xa9; /* U+2066..U+2069 */
    return false;
}

void al_text_safe(struct al_buf *out, const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    char *clean = al_utf8_valid(s, len) ? NULL : al_utf8_sanitize(s, len);
    const char *p = clean ? clean : s;
    len = strlen(p);
    for (size_t i = 0; i < len;) {
        size_t n = al_utf8_seqlen(p + i, len - i);
        if (p[i] == '\t')
            al_buf_putc(out, ' ');
        else if (dangerous((const unsigned char *)p + i, n))
            for (size_t k = 0; k < n; k++)
                al_buf_printf(out, "\\x%02x", (unsigned char)p[i + k]);
        else
            al_buf_put(out, p + i, n);
        i += n;
    }
    free(clean);
}

static size_t width_of(const char *s)
{
    return al_utf8_count(s, strlen(s));
}

void al_text_table_init(struct al_text_table *t, const char *const *head,
                        const enum al_text_cut *cut, size_t n_cols, size_t color_col)
{
    memset(t, 0, sizeof(*t));
    t->head = head;
    t->cut = cut;
    t->n_cols = n_cols;
    t->color_col = color_col;
}

void al_text_table_row(struct al_text_table *t, const char *const *cells, const char *color)
{
    t->colors = al_grow(t->colors, &t->cap_rows, t->n_rows + 1, sizeof(*t->colors));
    t->cells = al_grow(t->cells, &t->cap_cells, (t->n_rows + 1) * t->n_cols, sizeof(*t->cells));
    t->colors[t->n_rows] = color;
    for (size_t c = 0; c < t->n_cols; c++) {
        struct al_buf b = AL_BUF_INIT;
        al_text_safe(&b, cells[c] ? cells[c] : "-");
        t->cells[t->n_rows * t->n_cols + c] = al_buf_detach(&b);
    }
    t->n_rows++;
}

/* The widest column of that cut kind still above its minimum, or n_cols. */
static size_t widest(const struct al_text_table *t, const size_t *w, enum al_text_cut kind)
{
    size_t best = t->n_cols;
    for (size_t c = 0; c < t->n_cols; c++) {
        size_t min = width_of(t->head[c]) > 8 ? width_of(t->head[c]) : 8;
        if (t->cut[c] == kind && w[c] > min && (best == t->n_cols || w[c] > w[best]))
            best = c;
    }
    return best;
}

/* Natural widths, then shave the widest AL_CUT_END column, then the widest
 * AL_CUT_START one, until the table fits. */
static void fit(const struct al_text_table *t, size_t *w, size_t indent, size_t width)
{
    size_t total = indent;
    for (size_t c = 0; c < t->n_cols; c++) {
        w[c] = width_of(t->head[c]);
        for (size_t r = 0; r < t->n_rows; r++) {
            size_t cw = width_of(t->cells[r * t->n_cols + c]);
            w[c] = cw > w[c] ? cw : w[c];
        }
        total += w[c] + (c ? 2 : 0);
    }
    while (width && total > width) {
        size_t best = widest(t, w, AL_CUT_END);
        if (best == t->n_cols)
            best = widest(t, w, AL_CUT_START);
        if (best == t->n_cols)
            return; /* as narrow as it gets */
        w[best]--;
        total--;
    }
}

static void cell(struct al_buf *out, const char *s, size_t w, enum al_text_cut cut, bool last)
{
    size_t n = width_of(s), len = strlen(s);
    if (n > w && cut == AL_CUT_START) {
        al_buf_puts(out, "\xe2\x80\xa6"); /* … */
        al_buf_puts(out, s + al_utf8_offset(s, len, n - (w - 1)));
        n = w;
    } else if (n > w) {
        al_buf_put(out, s, al_utf8_offset(s, len, w - 1));
        al_buf_puts(out, "\xe2\x80\xa6");
        n = w;
    } else {
        al_buf_puts(out, s);
    }
    if (!last)
        al_buf_fill(out, ' ', w - n + 2);
}

void al_text_table_render(const struct al_text_table *t, struct al_buf *out, size_t indent,
                          size_t width, bool color)
{
    size_t *w = al_calloc(t->n_cols, sizeof(size_t));
    fit(t, w, indent, width);
    al_buf_fill(out, ' ', indent);
    for (size_t c = 0; c < t->n_cols; c++)
        cell(out, t->head[c], w[c], AL_CUT_END, c + 1 == t->n_cols);
    al_buf_putc(out, '\n');
    for (size_t r = 0; r < t->n_rows; r++) {
        al_buf_fill(out, ' ', indent);
        for (size_t c = 0; c < t->n_cols; c++) {
            bool paint = color && c == t->color_col && t->colors[r];
            if (paint)
                al_buf_puts(out, t->colors[r]);
            cell(out, t->cells[r * t->n_cols + c], w[c], t->cut[c], c + 1 == t->n_cols);
            if (paint)
                al_buf_puts(out, "\033[0m");
        }
        al_buf_putc(out, '\n');
    }
    free(w);
}

void al_text_table_free(struct al_text_table *t)
{
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->colors);
    memset(t, 0, sizeof(*t));
}

/* The length of the run at p that a line must not break: a word, or words
 * up to the parenthesis that closes one opened in them ("(production,
 * staging)" stays on one line). */
static size_t unbreakable(const char *p)
{
    int depth = 0;
    size_t i = 0;
    for (; p[i] && (p[i] != ' ' || depth > 0); i++) {
        if (p[i] == '(')
            depth++;
        else if (p[i] == ')' && depth > 0)
            depth--;
    }
    /* An unclosed parenthesis: break at spaces as usual. */
    return depth > 0 ? strcspn(p, " ") : i;
}

void al_text_wrap_prefixed(struct al_buf *out, const char *prefix, const char *text, size_t indent,
                           size_t width)
{
    struct al_buf safe = AL_BUF_INIT;
    al_text_safe(&safe, text);
    const char *p = al_buf_cstr(&safe);
    size_t hang = indent + width_of(prefix);
    al_buf_fill(out, ' ', indent);
    al_buf_puts(out, prefix);
    size_t col = hang;
    bool first = true;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = unbreakable(p);
        if (!n)
            break;
        size_t wn = al_utf8_count(p, n);
        if (!first && width && col + 1 + wn > width) {
            al_buf_putc(out, '\n');
            al_buf_fill(out, ' ', hang);
            col = hang;
        } else if (!first) {
            al_buf_putc(out, ' ');
            col++;
        }
        al_buf_put(out, p, n);
        col += wn;
        p += n;
        first = false;
    }
    al_buf_putc(out, '\n');
    al_buf_free(&safe);
}

void al_text_wrap(struct al_buf *out, const char *text, size_t indent, size_t width)
{
    al_text_wrap_prefixed(out, "", text, indent, width);
}

unsigned al_text_term_width(void)
{
    const char *cols = getenv("COLUMNS");
    if (cols && atoi(cols) >= 40)
        return (unsigned)atoi(cols);
    struct winsize ws;
    if (!isatty(STDOUT_FILENO))
        return 0; /* a pipe or a CI log: never cut a cell, never wrap */
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        return ws.ws_col;
    return 100;
}
