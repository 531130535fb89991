/* The Markdown escaper shared by explain and diff (see markdown.h). */
#include "cli/markdown.h"
#include "common/safe.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool inert(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
           c == '/' || c == ',' || c == '-' || c == '=';
}

/* A character common/safe.h hides, or an invalid byte, as the text format
 * shows it, its backslash as a reference (\u202e renders as \u202e). */
static void show(struct al_buf *out, int32_t cp, unsigned char byte)
{
    char v[AL_SAFE_SPELL_MAX];
    size_t n = al_safe_spell(v, cp, byte);
    al_buf_puts(out, "&#92;");
    al_buf_put(out, v + 1, n - 1);
}

void al_md_escape(struct al_buf *out, const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        int32_t cp;
        size_t n = al_safe_decode(s + i, len - i, &cp);
        if (c == '\n')
            al_buf_puts(out, "&#92;n");
        else if (cp < 0 || al_safe_class((uint32_t)cp) != AL_SAFE_OK)
            show(out, cp, c);
        else if (n > 1)
            al_buf_put(out, s + i, n);
        else if (inert(c))
            al_buf_putc(out, (char)c);
        else
            al_buf_printf(out, "&#%d;", c);
        i += n;
    }
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
