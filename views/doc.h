/* A small document tree for the views that are prose (report, explain's
 * matrices): headings, paragraphs, call-outs, lists, tables, code blocks,
 * images, and inline text, code, strong emphasis and links. A view builds
 * the tree once, with all of its wording; a backend per format walks it
 * (as cmark renders one node tree through per-format callbacks, src/render.c)
 * and does all the escaping: builders never escape, backends never word.
 * The tree is data (views/); its backends are renderers, next to the
 * escapers they call (cli/render_doc.h).
 *
 * Nodes live in the document's arena: build, render, al_doc_free. Text is
 * copied with its length (a source line may hold a NUL byte). */
#ifndef AL_VIEWS_DOC_H
#define AL_VIEWS_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "common/alloc.h"
#include "common/buf.h"

enum al_doc_kind {
    /* blocks */
    AL_DOC_DOCUMENT,
    AL_DOC_SECTION,    /* a part of the page (HTML: its element, id and class) */
    AL_DOC_HEADING,    /* level 1..6 */
    AL_DOC_PARAGRAPH,  /* inlines */
    AL_DOC_CALLOUT,    /* an alert: `title` in strong, then inlines */
    AL_DOC_FIGURES,    /* a row of counts (FIGURE children) */
    AL_DOC_FIGURE,     /* `number` `text` (plural); `title`: singular */
    AL_DOC_LIST,       /* ITEM children; in a cell, joined by `title` */
    AL_DOC_ITEM,       /* inlines */
    AL_DOC_TABLE,      /* ROW children, the first is the header */
    AL_DOC_ROW,        /* CELL children */
    AL_DOC_CELL,       /* inlines and lists; none: "-" */
    AL_DOC_CODE_BLOCK, /* `text` verbatim; `title`: its language */
    AL_DOC_IMAGE,      /* `text`: the data, `title`: MIME type, `alt` */
    /* inlines */
    AL_DOC_TEXT,
    AL_DOC_CODE,   /* a value: HTML <code>; Markdown escapes it as any text */
    AL_DOC_STRONG, /* `text` */
    AL_DOC_LINK,   /* `text` to `target` (a fragment: #name) */
    AL_DOC_KINDS
};

/* Which backends show a node (0: all). The few places where the formats
 * say different things (HTML's navigation and footer, a label that HTML
 * shows as a class) are marked, not written twice. */
enum {
    AL_DOC_FOR_TEXT = 1,
    AL_DOC_FOR_MARKDOWN = 2,
    AL_DOC_FOR_HTML = 4,
    AL_DOC_NOT_HTML = AL_DOC_FOR_TEXT | AL_DOC_FOR_MARKDOWN,
};

/* Node flags. */
enum {
    AL_DOC_VERBATIM = 1,     /* CODE: tabs and spaces kept as they are (a source line) */
    AL_DOC_FOLD = 2,         /* CELL: HTML shows it in the cell before, after a line break */
    AL_DOC_TIGHT = 4,        /* block: no blank line after it in Markdown */
    AL_DOC_BREAK = 8,        /* SECTION: HTML starts it on a line of its own */
    AL_DOC_PARAS = 16,       /* LIST: HTML writes its items as paragraphs of their class */
    AL_DOC_CLASS_FIRST = 32, /* SECTION: HTML writes its class before its id */
};

struct al_doc_node {
    enum al_doc_kind kind;
    struct al_doc_node *parent, *first, *last, *next;
    const char *text; /* TEXT, CODE, STRONG, LINK, FIGURE, CODE_BLOCK, IMAGE */
    size_t len;
    const char *title;  /* CALLOUT, FIGURE, LIST (separator in a cell), CODE_BLOCK, IMAGE */
    const char *target; /* LINK */
    const char *alt;    /* IMAGE */
    const char *tag;    /* SECTION: HTML element (section, header, nav, footer) */
    const char *id;     /* SECTION */
    const char *cls;    /* HTML class */
    unsigned level;     /* HEADING */
    size_t number;      /* FIGURE */
    unsigned only;      /* AL_DOC_FOR_* mask, 0: every backend */
    unsigned flags;
    struct al_arena *arena; /* the document's */
};

struct al_doc {
    struct al_arena arena;
    struct al_doc_node *root;
    const char *title; /* the page's title (HTML <title>) */
};

void al_doc_init(struct al_doc *d);
void al_doc_free(struct al_doc *d);
void al_doc_set_title(struct al_doc *d, const char *title);

/* Builders: each appends a node to `parent` and returns it. NULL text is
 * empty; a NULL class or id is none. */
struct al_doc_node *al_doc_section(struct al_doc_node *parent, const char *tag, const char *id,
                                   const char *cls);
struct al_doc_node *al_doc_heading(struct al_doc_node *parent, unsigned level, const char *text);
struct al_doc_node *al_doc_para(struct al_doc_node *parent, const char *text, const char *cls);
struct al_doc_node *al_doc_callout(struct al_doc_node *parent, const char *title, const char *text,
                                   const char *cls);
struct al_doc_node *al_doc_figures(struct al_doc_node *parent);
struct al_doc_node *al_doc_figure(struct al_doc_node *figures, size_t n, const char *singular,
                                  const char *plural, const char *cls);
struct al_doc_node *al_doc_list(struct al_doc_node *parent, const char *cls);
/* An item, with `text` as its first inline (NULL: none). */
struct al_doc_node *al_doc_item(struct al_doc_node *list, const char *text, const char *cls);
struct al_doc_node *al_doc_table(struct al_doc_node *parent, const char *cls);
struct al_doc_node *al_doc_row(struct al_doc_node *table, const char *cls);
/* A row of plain cells (NULL: "-"). */
struct al_doc_node *al_doc_row_cells(struct al_doc_node *table, const char *const *cells, size_t n,
                                     const char *cls);
/* A cell with `text` (NULL: no content, shown as "-"). */
struct al_doc_node *al_doc_cell(struct al_doc_node *row, const char *text, const char *cls);
struct al_doc_node *al_doc_code_block(struct al_doc_node *parent, const char *text,
                                      const char *lang, const char *cls);
struct al_doc_node *al_doc_image(struct al_doc_node *parent, const char *mime, const void *data,
                                 size_t n, const char *alt);

struct al_doc_node *al_doc_text(struct al_doc_node *parent, const char *text);
struct al_doc_node *al_doc_text_n(struct al_doc_node *parent, const char *text, size_t n);
struct al_doc_node *al_doc_code(struct al_doc_node *parent, const char *text);
struct al_doc_node *al_doc_code_n(struct al_doc_node *parent, const char *text, size_t n);
struct al_doc_node *al_doc_strong(struct al_doc_node *parent, const char *text);
struct al_doc_node *al_doc_link(struct al_doc_node *parent, const char *text, const char *target);

/* The walk the backends share (as cmark's render.c): a backend is its
 * format and a callback per kind of node; a kind without one is written
 * as its children. */
struct al_doc_render;
typedef void (*al_doc_render_fn)(const struct al_doc_node *n, const struct al_doc_render *r);
struct al_doc_backend {
    unsigned format; /* AL_DOC_FOR_* */
    al_doc_render_fn node[AL_DOC_KINDS];
};
struct al_doc_render {
    const struct al_doc_backend *backend;
    struct al_buf *out;
    unsigned width; /* text: the columns to fit (0: no limit) */
};
/* Write `n` (nothing when its backend does not show it). */
void al_doc_render(const struct al_doc_backend *b, const struct al_doc_node *n, struct al_buf *out,
                   unsigned width);
void al_doc_render_node(const struct al_doc_node *n, const struct al_doc_render *r);
/* The children of `n` the backend shows, in order. */
void al_doc_render_children(const struct al_doc_node *n, const struct al_doc_render *r);
bool al_doc_shown(const struct al_doc_node *n, unsigned format);
/* Whether `n` has a child the format shows. */
bool al_doc_has_shown(const struct al_doc_node *n, unsigned format);

#endif
