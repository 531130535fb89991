/* Markdown for merge-request comments and review documents (explain and
 * diff). Every string from a config, a repository or the command line goes
 * through al_md_escape, which lets through letters, digits, spaces,
 * non-ASCII text and a few inert characters and writes everything else as
 * a numeric character reference: a value cannot open a table cell, a code
 * span, a link (not even an autolink: ':' and '.' are references too), an
 * HTML tag or a mention, and a newline cannot end a row. Controls, bidi
 * controls, zero-width characters, U+2028 and invalid bytes (common/safe.h)
 * are shown as the text format shows them (\u202e), never applied. */
#ifndef AL_MARKDOWN_H
#define AL_MARKDOWN_H

#include <stddef.h>

#include "common/buf.h"

/* Append `s` escaped (NULL appends nothing). */
void al_md_escape(struct al_buf *out, const char *s);
/* Append the text of `text` escaped, then free it. */
void al_md_escape_buf(struct al_buf *out, struct al_buf *text);
/* A table row of escaped cells (NULL: "-"). */
void al_md_cells(struct al_buf *out, const char *const *cells, size_t n);
/* A table header row and its delimiter row. */
void al_md_header(struct al_buf *out, const char *const *head, size_t n);

#endif
