#include "cli/render.h"
#include "checks/rules.h"
#include "common/alloc.h"
#include "common/safe.h"
#include "common/str.h"
#include "common/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool al_render_shows_source(const struct al_finding *f)
{
    const struct al_rule *r = al_rule_find(f->rule);
    return f->line && !(r && r->sensitive);
}

bool al_render_source_line(const struct al_source *src, const char *path, unsigned line,
                           const char **start, size_t *len)
{
    const struct al_file *f = src ? al_source_find(src, path) : NULL;
    return f && al_file_line(f, line, start, len);
}

size_t al_render_token_width(const char *line, size_t len, unsigned col)
{
    size_t i = al_utf8_offset(line, len, col ? col - 1 : 0);
    if (i >= len)
        return 1;
    char q = line[i];
    size_t start = i;
    if (q == '"' || q == '\'') {
        for (i++; i < len && line[i] != q; i++)
            if (q == '"' && line[i] == '\\')
                i++;
        i = i < len ? i + 1 : len;
    } else {
        while (i < len) {
            char c = line[i];
            if (c == ' ' || c == '\t' || c == ',' || c == ']' || c == '}')
                break;
            if (c == ':' && (i + 1 == len || line[i + 1] == ' '))
                break;
            if (c == '#' && i > start && line[i - 1] == ' ')
                break;
            i++;
        }
    }
    size_t w = al_utf8_count(line + start, i - start);
    return w ? w : 1;
}

struct al_fingerprint *al_render_view_fingerprints(const struct al_check_view *v)
{
    const struct al_findings *fs = &v->report->findings;
    if (!v->fingerprints)
        return al_findings_fingerprints(fs);
    struct al_fingerprint *out = al_calloc(fs->n ? fs->n : 1, sizeof(*out));
    if (fs->n)
        memcpy(out, v->fingerprints, fs->n * sizeof(*out));
    return out;
}

/* ---- XML ---- */

static void xml_ascii(struct al_buf *out, char c, bool attribute)
{
    switch (c) {
    case '&':
        al_buf_puts(out, "&amp;");
        return;
    case '<':
        al_buf_puts(out, "&lt;");
        return;
    case '>':
        al_buf_puts(out, "&gt;");
        return;
    case '"':
        al_buf_puts(out, "&quot;");
        return;
    case '\'':
        al_buf_puts(out, "&apos;");
        return;
    case '\r':
        al_buf_puts(out, "&#13;");
        return;
    case '\n':
        /* Values are one line each: a newline in one must not start a line
         * that reads like another finding. */
        al_buf_puts(out, "&#10;");
        return;
    case '\t':
        if (attribute)
            al_buf_printf(out, "&#%d;", c);
        else
            al_buf_putc(out, c);
        return;
    default:
        if ((unsigned char)c < 0x20)
            al_buf_printf(out, "\\x%02x", (unsigned)c); /* not allowed in XML 1.0 */
        else
            al_buf_putc(out, c);
    }
}

void al_render_xml_escape(struct al_buf *out, const char *s, size_t n, bool attribute)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x7f) {
            xml_ascii(out, (char)c, attribute);
            i++;
            continue;
        }
        int32_t cp;
        size_t len = al_safe_decode(s + i, n - i, &cp);
        enum al_safe_class cls = cp < 0 ? AL_SAFE_CONTROL : al_safe_class((uint32_t)cp);
        if (cp < 0)
            al_safe_show_byte(out, c); /* invalid UTF-8: XML cannot carry it */
        else if (cls == AL_SAFE_NONCHAR)
            al_buf_printf(out, "\\u%04X", (unsigned)cp); /* XML 1.0 forbids it */
        else if (cls != AL_SAFE_OK)
            al_buf_printf(out, "&#x%x;", (unsigned)cp); /* exact, and never raw */
        else
            al_buf_put(out, s + i, len);
        i += len;
    }
}

/* ---- URIs ---- */

void al_render_uri_path(struct al_buf *out, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (keep) {
            al_buf_putc(out, (char)c);
        } else {
            al_buf_putc(out, '%');
            al_buf_putc(out, hex[c >> 4]);
            al_buf_putc(out, hex[c & 15]);
        }
    }
}
