/* The report's HTML builder and escaper (see html.h). */
#include "cli/html.h"
#include "common/base64.h"
#include "common/utf8.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum context { IN_TEXT, IN_PRE, IN_ATTR };

/* C1 controls and the bidirectional embeddings, overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069): shown, never applied. */
static bool invisible(const unsigned char *p, size_t n)
{
    return (n == 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
           (n == 3 && p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
           (n == 3 && p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9);
}

static void show_bytes(struct al_buf *out, const unsigned char *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        al_buf_printf(out, "\\x%02x", p[k]);
}

/* What an ASCII character becomes, or NULL when it stays. */
static const char *entity(unsigned char c, enum context ctx)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    case '\n':
        /* Attribute normalisation would turn it into a space, and inline
         * text would collapse it: a reviewer must see it. */
        return ctx == IN_PRE ? "\n" : ctx == IN_ATTR ? "&#10;" : "\\n";
    case '\t':
        return ctx == IN_ATTR ? "&#9;" : "\t";
    default:
        return NULL;
    }
}

static void escape(struct al_buf *out, const char *s, size_t len, enum context ctx)
{
    char *clean = al_utf8_valid(s, len) ? NULL : al_utf8_sanitize(s, len);
    const unsigned char *p = (const unsigned char *)(clean ? clean : s);
    if (clean)
        len = strlen(clean);
    size_t run = 0; /* start of the pending run of bytes that need nothing */
    for (size_t i = 0; i < len;) {
        size_t n = al_utf8_seqlen((const char *)p + i, len - i);
        bool special =
            n == 1 ? (p[i] < 0x20 || p[i] == 0x7f || strchr("&<>\"'", p[i])) : invisible(p + i, n);
        if (special) {
            al_buf_put(out, (const char *)p + run, i - run);
            const char *e = n == 1 ? entity(p[i], ctx) : NULL;
            if (e)
                al_buf_puts(out, e);
            else
                show_bytes(out, p + i, n); /* controls, C1, bidi overrides */
            run = i + n;
        }
        i += n;
    }
    al_buf_put(out, (const char *)p + run, len - run);
    free(clean);
}

void al_html_text(struct al_buf *out, const char *s)
{
    if (s)
        escape(out, s, strlen(s), IN_TEXT);
}

void al_html_pre(struct al_buf *out, const char *s, size_t n)
{
    if (s)
        escape(out, s, n, IN_PRE);
}

void al_html_attr_value(struct al_buf *out, const char *s)
{
    if (s)
        escape(out, s, strlen(s), IN_ATTR);
}

/* ---- names ---- */

static bool name_chars(const char *s, bool dash)
{
    if (!s || !(*s >= 'a' && *s <= 'z'))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (dash && *p == '-')))
            return false;
    return strlen(s) <= 32;
}

static bool in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

/* Elements that run, load or restyle something, or end the document's
 * structure: never written from the builder. */
static const char *safe_tag(const char *tag)
{
    static const char *const refused[] = {
        "script", "style",   "iframe",    "frame",    "frameset", "object", "embed", "applet",
        "svg",    "math",    "base",      "link",     "meta",     "form",   "input", "button",
        "select", "option",  "textarea",  "template", "noscript", "html",   "head",  "body",
        "title",  "xmp",     "plaintext", "noembed",  "portal",   "audio",  "video", "source",
        "track",  "picture", "canvas",    "image",    NULL};
    return name_chars(tag, false) && !in_list(tag, refused) ? tag : "span";
}

static bool url_attr(const char *name)
{
    static const char *const urls[] = {
        "href",       "src",    "action", "formaction", "poster",   "cite",
        "background", "srcset", "data",   "codebase",   "manifest", "ping",
        "longdesc",   "usemap", "lowsrc", "dynsrc",     NULL};
    return in_list(name, urls);
}

static bool base64_chars(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '+' || *s == '/' || *s == '='))
            return false;
    return true;
}

/* A fragment (#name) or a base64 image: nothing that navigates, runs or
 * loads from elsewhere. */
static bool safe_url(const char *v)
{
    static const char *const images[] = {"data:image/svg+xml;base64,", "data:image/png;base64,",
                                         NULL};
    if (v[0] == '#')
        return v[1] == '\0' || name_chars(v + 1, true);
    for (size_t i = 0; images[i]; i++)
        if (strncmp(v, images[i], strlen(images[i])) == 0)
            return base64_chars(v + strlen(images[i]));
    return false;
}

static bool safe_attr(const char *name, const char *value)
{
    if (!name_chars(name, true) || strncmp(name, "on", 2) == 0 || strcmp(name, "style") == 0)
        return false;
    return !url_attr(name) || safe_url(value);
}

/* One attribute, or nothing when it is not safe (or has no value). */
static void attr(struct al_buf *out, const char *name, const char *value)
{
    if (!value || !safe_attr(name, value))
        return;
    al_buf_printf(out, " %s=\"", name);
    al_html_attr_value(out, value);
    al_buf_putc(out, '"');
}

static void attrs(struct al_buf *out, va_list ap)
{
    for (const char *name = va_arg(ap, const char *); name; name = va_arg(ap, const char *))
        attr(out, name, va_arg(ap, const char *));
}

/* ---- elements ---- */

void al_html_open(struct al_buf *out, const char *tag, ...)
{
    va_list ap;
    al_buf_printf(out, "<%s", safe_tag(tag));
    va_start(ap, tag);
    attrs(out, ap);
    va_end(ap);
    al_buf_putc(out, '>');
}

void al_html_close(struct al_buf *out, const char *tag)
{
    al_buf_printf(out, "</%s>", safe_tag(tag));
}

void al_html_elem(struct al_buf *out, const char *tag, const char *text, ...)
{
    va_list ap;
    al_buf_printf(out, "<%s", safe_tag(tag));
    va_start(ap, text);
    attrs(out, ap);
    va_end(ap);
    al_buf_putc(out, '>');
    al_html_text(out, text);
    al_html_close(out, tag);
}

/* ---- images ---- */

void al_html_data_img(struct al_buf *out, const char *mime, const void *data, size_t n,
                      const char *alt, ...)
{
    if (strcmp(mime, "image/svg+xml") != 0 && strcmp(mime, "image/png") != 0) {
        al_html_elem(out, "span", alt, NULL);
        return;
    }
    struct al_buf src = AL_BUF_INIT;
    al_buf_printf(&src, "data:%s;base64,", mime);
    al_base64(&src, data, n);
    va_list ap;
    al_buf_puts(out, "<img");
    attr(out, "src", al_buf_cstr(&src));
    attr(out, "alt", alt ? alt : "");
    va_start(ap, alt);
    attrs(out, ap);
    va_end(ap);
    al_buf_putc(out, '>');
    al_buf_free(&src);
}
