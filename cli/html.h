/* HTML for the report, escaped by construction. Config values come from
 * untrusted merge requests, so every dynamic string goes through this
 * builder and nothing else writes markup from one:
 *
 *   - text: & < > " ' become references; the characters common/safe.h
 *     hides (controls, bidi controls, zero-width characters, U+2028, ...)
 *     are shown as \xNN or \u202e, invalid UTF-8 bytes as \xNN (a value
 *     cannot hide or reorder what a reviewer reads);
 *   - attributes are always double-quoted and escaped like text (newlines
 *     and tabs as references); only names made of [a-z0-9-] are written,
 *     never an event handler (on*) or a style attribute, and a URL attribute
 *     (href, src, ...) only with a fragment (#name) or a base64 image data
 *     URI as its value: a "javascript:" URL is dropped;
 *   - elements: only names made of [a-z0-9]; the ones that run or load
 *     something (script, style, iframe, object, embed, svg, math, base,
 *     link, meta, form, template, ...) are written as span.
 *
 * The document's skeleton (doctype, meta, the stylesheet) is static text
 * the caller writes as it is. */
#ifndef AL_HTML_H
#define AL_HTML_H

#include <stddef.h>

#include "common/buf.h"

/* Inline text (NULL appends nothing): a newline is shown as \n. */
void al_html_text(struct al_buf *out, const char *s);
/* Block text for <pre>: newlines and tabs are kept. */
void al_html_pre(struct al_buf *out, const char *s, size_t n);
/* An attribute value as it goes between double quotes. */
void al_html_attr_value(struct al_buf *out, const char *s);

/* <tag name="value" ...>: attributes as name, value pairs, then NULL. A
 * NULL value leaves that attribute out. */
void al_html_open(struct al_buf *out, const char *tag, ...) __attribute__((sentinel));
void al_html_close(struct al_buf *out, const char *tag);
/* <tag ...>text</tag>: attributes as for al_html_open. */
void al_html_elem(struct al_buf *out, const char *tag, const char *text, ...)
    __attribute__((sentinel));
/* <img src="data:MIME;base64,..." alt="ALT" ...>: `data` is never parsed or
 * interpreted here; an SVG shown through <img> runs no script and loads
 * nothing. `mime` must be image/svg+xml or image/png. */
void al_html_data_img(struct al_buf *out, const char *mime, const void *data, size_t n,
                      const char *alt, ...) __attribute__((sentinel));

#endif
