/* The Markdown writer shared by explain, diff and report (see markdown.h). */
#include "cli/markdown.h"
#include "common/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ASCII characters a plain-text word may hold: none of them starts a
 * mention, reference, emphasis, code span, link, HTML or entity. */
static bool plain_ascii(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr(".,:;()/-='\"?+", c));
}

/* Bidirectional overrides and C1 controls are shown, not applied. */
static bool invisible(const unsigned char *p, size_t n)
{
    return (n == 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
           (n == 3 && p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
           (n == 3 && p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9);
}

/* `s` as valid UTF-8 with every control character and bidirectional
 * override spelt out (\n, \t, \r, \xNN): what is left is one line. */
static void visible(struct al_buf *out, const char *s)
{
    size_t len = strlen(s);
    char *clean = al_utf8_valid(s, len) ? NULL : al_utf8_sanitize(s, len);
    const unsigned char *p = (const unsigned char *)(clean ? clean : s);
    len = strlen((const char *)p);
    for (size_t i = 0; i < len;) {
        size_t n = al_utf8_seqlen((const char *)p + i, len - i);
        if (n > 1 && invisible(p + i, n))
            for (size_t k = 0; k < n; k++)
                al_buf_printf(out, "\\x%02x", p[i + k]);
        else if (p[i] == '\n')
            al_buf_puts(out, "\\n");
        else if (p[i] == '\t')
            al_buf_puts(out, "\\t");
        else if (p[i] == '\r')
            al_buf_puts(out, "\\r");
        else if (n == 1 && (p[i] < 0x20 || p[i] == 0x7f))
            al_buf_printf(out, "\\x%02x", p[i]);
        else
            al_buf_put(out, (const char *)p + i, n);
        i += n;
    }
    free(clean);
}

static bool needs_code(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)w[i] < 0x80 && !plain_ascii((unsigned char)w[i]))
            return true;
    /* GitLab links bare URLs (scheme:..., www.) and turns :name: into an
     * emoji: a ':' is plain only at the end of a word ("error:"). */
    const char *colon = memchr(w, ':', n);
    return (colon && colon < w + n - 1) || (n >= 4 && strncasecmp(w, "www.", 4) == 0);
}

static size_t longest_backtick_run(const char *w, size_t n)
{
    size_t best = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        run = w[i] == '`' ? run + 1 : 0;
        best = run > best ? run : best;
    }
    return best;
}

static void fence(struct al_buf *out, size_t k)
{
    for (size_t i = 0; i < k; i++)
        al_buf_putc(out, '`');
}

static void code_span(struct al_buf *out, const char *w, size_t n, bool cell)
{
    size_t k = longest_backtick_run(w, n) + 1;
    bool pad = w[0] == '`' || w[n - 1] == '`';
    fence(out, k);
    if (pad)
        al_buf_putc(out, ' ');
    for (size_t i = 0; i < n; i++) {
        if (cell && w[i] == '\\' && i + 1 < n && (w[i + 1] == '|' || w[i + 1] == '\\')) {
            /* A backslash run before a pipe: doubled, so that no pipe's
             * escape can be eaten by the backslash before it. */
            al_buf_puts(out, "\\\\");
            continue;
        }
        if (cell && w[i] == '|')
            al_buf_putc(out, '\\');
        al_buf_putc(out, w[i]);
    }
    if (pad)
        al_buf_putc(out, ' ');
    fence(out, k);
}

static void md_text(struct al_buf *out, const char *s, bool cell)
{
    if (!s)
        return;
    struct al_buf v = AL_BUF_INIT;
    visible(&v, s);
    const char *p = al_buf_cstr(&v), *end = p + v.len;
    while (p < end) {
        if (*p == ' ') {
            al_buf_putc(out, *p++);
            continue;
        }
        const char *w = p;
        while (p < end && *p != ' ')
            p++;
        size_t n = (size_t)(p - w);
        if (needs_code(w, n))
            code_span(out, w, n, cell);
        else
            al_buf_put(out, w, n);
    }
    al_buf_free(&v);
}

void al_md_escape(struct al_buf *out, const char *s)
{
    md_text(out, s, false);
}

void al_md_escape_cell(struct al_buf *out, const char *s)
{
    md_text(out, s, true);
}

void al_md_escape_buf(struct al_buf *out, struct al_buf *text)
{
    al_md_escape(out, al_buf_cstr(text));
    al_buf_free(text);
}

void al_md_cells(struct al_buf *out, const char *const *v, size_t n)
{
    al_buf_puts(out, "|");
    for (size_t i = 0; i < n; i++) {
        al_buf_puts(out, " ");
        al_md_escape_cell(out, v[i] ? v[i] : "-");
        al_buf_puts(out, " |");
    }
    al_buf_putc(out, '\n');
}

void al_md_header(struct al_buf *out, const char *const *head, size_t n)
{
    al_md_cells(out, head, n);
    al_buf_puts(out, "|");
    for (size_t i = 0; i < n; i++)
        al_buf_puts(out, " --- |");
    al_buf_putc(out, '\n');
}
