/* The Markdown escaper shared by explain and diff (see markdown.h). */
#include "cli/markdown.h"
#include "common/utf8.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool inert(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
           c == '/' || c == ',' || c == '-' || c == '=';
}

/* Bidirectional overrides and C1 controls are shown, not applied. */
static bool invisible(const unsigned char *p, size_t n)
{
    return (n == 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
           (n == 3 && p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
           (n == 3 && p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9);
}

void al_md_escape(struct al_buf *out, const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    char *clean = al_utf8_valid(s, len) ? NULL : al_utf8_sanitize(s, len);
    const unsigned char *p = (const unsigned char *)(clean ? clean : s);
    len = strlen((const char *)p);
    for (size_t i = 0; i < len;) {
        size_t n = al_utf8_seqlen((const char *)p + i, len - i);
        if (n > 1 && invisible(p + i, n))
            for (size_t k = 0; k < n; k++)
                al_buf_printf(out, "&#92;x%02x", p[i + k]);
        else if (n > 1)
            al_buf_put(out, (const char *)p + i, n);
        else if (p[i] == '\n')
            al_buf_puts(out, "&#92;n");
        else if (p[i] < 0x20 || p[i] == 0x7f)
            al_buf_printf(out, "&#92;x%02x", p[i]);
        else if (inert(p[i]))
            al_buf_putc(out, (char)p[i]);
        else
            al_buf_printf(out, "&#%d;", p[i]);
        i += n;
    }
    free(clean);
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
        al_md_escape(out, v[i] ? v[i] : "-");
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
