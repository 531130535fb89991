/* Markdown for merge-request comments and review documents (explain, diff
 * and report), readable raw and safe where GitLab renders it.
 *
 * GitLab renders Markdown to HTML first (character references and
 * backslash escapes are decoded into the text), then looks for mentions
 * (@all), references (#1, !1, ~label, %milestone, $snippet, &epic) and
 * links in the text nodes, skipping <code>, <pre>, <a> and <style>
 * (Banzai::Filter::ReferenceFilter). So an escape such as &#64;all still
 * pings everyone, and only a code span keeps a value inert. Every string
 * from a config, a repository or the command line goes through al_md_escape:
 * words made only of letters, digits, non-ASCII text and . , ; ( ) / - = '
 * " ? + (and : at a word's end) stay plain text (ci_access would not:
 * `ci_access`); any other word becomes a code span whose backtick fence is longer than any run of
 * backticks inside it, padded with a space when the word starts or ends
 * with a backtick. Newlines, tabs and other control characters and
 * bidirectional overrides are shown as \n, \t, \xNN, inside a code span, so
 * a value cannot end a line, a table row or a list item. In a table cell a
 * | is written \| even inside a code span (GFM splits cells before it
 * parses code spans), and a backslash before it is doubled, so that the
 * split cannot be undone. */
#ifndef AL_MARKDOWN_H
#define AL_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

/* Append `s` (NULL appends nothing). */
void al_md_escape(struct al_buf *out, const char *s);
/* Append the text of `text`, then free it. */
void al_md_escape_buf(struct al_buf *out, struct al_buf *text);
/* Append `s` for a table cell. */
void al_md_escape_cell(struct al_buf *out, const char *s);
/* A table row of cells (NULL: "-"). */
void al_md_cells(struct al_buf *out, const char *const *cells, size_t n);
/* A table header row and its delimiter row. */
void al_md_header(struct al_buf *out, const char *const *head, size_t n);

#endif
