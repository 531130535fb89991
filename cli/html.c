/* The report's HTML builder and escaper (see html.h). */
#include "cli/html.h"
#include "common/base64.h"
#include "common/safe.h"
#include "common/utf8.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum context { IN_TEXT, IN_PRE, IN_ATTR };

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

/* Characters common/safe.h hides (controls, bidi, zero-width, U+2028...)
 * and invalid UTF-8 bytes are written visibly (\u202e, \xff): an entity
 * would render the character itself, and the page must show it. */
static void escape(struct al_buf *out, const char *s, size_t len, enum context ctx)
{
    size_t run = 0; /* start of the pending run of bytes that need nothing */
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && !strchr("&<>\"'", c)) {
            i++;
            continue;
        }
        int32_t cp;
        size_t n = al_safe_decode(s + i, len - i, &cp);
        if (cp >= 0x80 && al_safe_class((uint32_t)cp) == AL_SAFE_OK) {
            i += n;
            continue;
        }
        al_buf_put(out, s + run, i - run);
        const char *e = n == 1 && cp >= 0 ? entity(c, ctx) : NULL;
        if (e)
            al_buf_puts(out, e);
        else if (cp < 0)
            al_safe_show_byte(out, c);
        else
            al_safe_show(out, (uint32_t)cp);
        i += n;
        run = i;
    }
    al_buf_put(out, s + run, len - run);
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
