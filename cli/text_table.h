/* Plain-text tables and paragraphs for a terminal: columns sized to their
 * content and cut (with an ellipsis) to fit a width (0: no limit), words
 * wrapped, and untrusted text stripped of control characters. Widths count
 * characters, not bytes. */
#ifndef AL_TEXT_TABLE_H
#define AL_TEXT_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

/* How a column gives way when the table is too wide. */
enum al_text_cut {
    AL_CUT_NONE,  /* never cut */
    AL_CUT_END,   /* cut first, keeping the start ("production, rev…") */
    AL_CUT_START, /* cut last, keeping the end: paths ("…platform/web") */
};

struct al_text_table {
    const char *const *head;
    const enum al_text_cut *cut;
    size_t n_cols;
    size_t color_col; /* the column a row's colour applies to */
    char **cells;     /* n_rows * n_cols, sanitized copies */
    const char **colors;
    size_t n_rows, cap_rows, cap_cells;
};

void al_text_table_init(struct al_text_table *t, const char *const *head,
                        const enum al_text_cut *cut, size_t n_cols, size_t color_col);
/* Add a row (cells are copied; NULL prints as "-"). `color` is an ANSI
 * sequence for the colour column, or NULL. */
void al_text_table_row(struct al_text_table *t, const char *const *cells, const char *color);
void al_text_table_render(const struct al_text_table *t, struct al_buf *out, size_t indent,
                          size_t width, bool color);
void al_text_table_free(struct al_text_table *t);

/* Append `s` with control characters shown as \xNN (a tab as a space). */
void al_text_safe(struct al_buf *out, const char *s);
/* A paragraph wrapped at `width`, every line indented by `indent`. */
void al_text_wrap(struct al_buf *out, const char *text, size_t indent, size_t width);
/* The same, starting with `prefix` and hanging the following lines under it. */
void al_text_wrap_prefixed(struct al_buf *out, const char *prefix, const char *text, size_t indent,
                           size_t width);

/* The width to format for: $COLUMNS, the terminal's (100 if it does not
 * say), or 0 when standard output is not a terminal: tables and paragraphs
 * given width 0 are never cut or wrapped, so that a CI log or a pipe keeps
 * every cell whole. Paragraphs never break inside parentheses. */
unsigned al_text_term_width(void);

#endif
