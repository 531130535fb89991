/* The document tree: nodes in the document's arena, appended in order. */
#include "views/doc.h"

#include <string.h>

void al_doc_init(struct al_doc *d)
{
    memset(d, 0, sizeof *d);
    d->root = al_arena_alloc(&d->arena, sizeof *d->root);
    d->root->kind = AL_DOC_DOCUMENT;
    d->root->arena = &d->arena;
}

void al_doc_free(struct al_doc *d)
{
    al_arena_free(&d->arena);
    memset(d, 0, sizeof *d);
}

void al_doc_set_title(struct al_doc *d, const char *title)
{
    d->title = al_arena_strdup(&d->arena, title ? title : "");
}

static const char *copy(struct al_doc_node *n, const char *s, size_t len)
{
    return s ? al_arena_strndup(n->arena, s, len) : NULL;
}

static const char *copy_str(struct al_doc_node *n, const char *s)
{
    return s ? copy(n, s, strlen(s)) : NULL;
}

static struct al_doc_node *add(struct al_doc_node *parent, enum al_doc_kind kind)
{
    struct al_doc_node *n = al_arena_alloc(parent->arena, sizeof *n);
    n->kind = kind;
    n->arena = parent->arena;
    n->parent = parent;
    if (parent->last)
        parent->last->next = n;
    else
        parent->first = n;
    parent->last = n;
    return n;
}

/* A node holding a copy of `s[0..len)` (NULL: an empty string). */
static struct al_doc_node *add_text(struct al_doc_node *parent, enum al_doc_kind kind,
                                    const char *s, size_t len)
{
    struct al_doc_node *n = add(parent, kind);
    n->text = copy(n, s ? s : "", s ? len : 0);
    n->len = s ? len : 0;
    return n;
}

static size_t len_of(const char *s)
{
    return s ? strlen(s) : 0;
}

struct al_doc_node *al_doc_section(struct al_doc_node *parent, const char *tag, const char *id,
                                   const char *cls)
{
    struct al_doc_node *n = add(parent, AL_DOC_SECTION);
    n->tag = copy_str(n, tag ? tag : "section");
    n->id = copy_str(n, id);
    n->cls = copy_str(n, cls);
    return n;
}

struct al_doc_node *al_doc_heading(struct al_doc_node *parent, unsigned level, const char *text)
{
    struct al_doc_node *n = add(parent, AL_DOC_HEADING);
    n->level = level < 1 ? 1 : level > 6 ? 6 : level;
    if (text)
        al_doc_text(n, text);
    return n;
}

struct al_doc_node *al_doc_para(struct al_doc_node *parent, const char *text, const char *cls)
{
    struct al_doc_node *n = add(parent, AL_DOC_PARAGRAPH);
    n->cls = copy_str(n, cls);
    if (text)
        al_doc_text(n, text);
    return n;
}

struct al_doc_node *al_doc_callout(struct al_doc_node *parent, const char *title, const char *text,
                                   const char *cls)
{
    struct al_doc_node *n = add(parent, AL_DOC_CALLOUT);
    n->title = copy_str(n, title);
    n->cls = copy_str(n, cls);
    if (text)
        al_doc_text(n, text);
    return n;
}

struct al_doc_node *al_doc_figures(struct al_doc_node *parent)
{
    return add(parent, AL_DOC_FIGURES);
}

struct al_doc_node *al_doc_figure(struct al_doc_node *figures, size_t number, const char *singular,
                                  const char *plural, const char *cls)
{
    struct al_doc_node *n = add_text(figures, AL_DOC_FIGURE, plural, len_of(plural));
    n->number = number;
    n->title = copy_str(n, singular);
    n->cls = copy_str(n, cls);
    return n;
}

struct al_doc_node *al_doc_list(struct al_doc_node *parent, const char *cls)
{
    struct al_doc_node *n = add(parent, AL_DOC_LIST);
    n->cls = copy_str(n, cls);
    n->title = ", ";
    return n;
}

struct al_doc_node *al_doc_item(struct al_doc_node *list, const char *text, const char *cls)
{
    struct al_doc_node *n = add(list, AL_DOC_ITEM);
    n->cls = copy_str(n, cls);
    if (text)
        al_doc_text(n, text);
    return n;
}

struct al_doc_node *al_doc_table(struct al_doc_node *parent, const char *cls)
{
    struct al_doc_node *n = add(parent, AL_DOC_TABLE);
    n->cls = copy_str(n, cls);
    return n;
}

struct al_doc_node *al_doc_row(struct al_doc_node *table, const char *cls)
{
    struct al_doc_node *n = add(table, AL_DOC_ROW);
    n->cls = copy_str(n, cls);
    return n;
}

struct al_doc_node *al_doc_row_cells(struct al_doc_node *table, const char *const *cells,
                                     size_t count, const char *cls)
{
    struct al_doc_node *row = al_doc_row(table, cls);
    for (size_t i = 0; i < count; i++)
        al_doc_cell(row, cells[i], NULL);
    return row;
}

struct al_doc_node *al_doc_cell(struct al_doc_node *row, const char *text, const char *cls)
{
    struct al_doc_node *n = add(row, AL_DOC_CELL);
    n->cls = copy_str(n, cls);
    if (text)
        al_doc_text(n, text);
    return n;
}

struct al_doc_node *al_doc_code_block(struct al_doc_node *parent, const char *text,
                                      const char *lang, const char *cls)
{
    struct al_doc_node *n = add_text(parent, AL_DOC_CODE_BLOCK, text, len_of(text));
    n->title = copy_str(n, lang);
    n->cls = copy_str(n, cls);
    return n;
}

struct al_doc_node *al_doc_image(struct al_doc_node *parent, const char *mime, const void *data,
                                 size_t len, const char *alt)
{
    struct al_doc_node *n = add_text(parent, AL_DOC_IMAGE, data, len);
    n->title = copy_str(n, mime);
    n->alt = copy_str(n, alt);
    return n;
}

struct al_doc_node *al_doc_text_n(struct al_doc_node *parent, const char *text, size_t len)
{
    return add_text(parent, AL_DOC_TEXT, text, len);
}

struct al_doc_node *al_doc_text(struct al_doc_node *parent, const char *text)
{
    return add_text(parent, AL_DOC_TEXT, text, len_of(text));
}

struct al_doc_node *al_doc_code_n(struct al_doc_node *parent, const char *text, size_t len)
{
    return add_text(parent, AL_DOC_CODE, text, len);
}

struct al_doc_node *al_doc_code(struct al_doc_node *parent, const char *text)
{
    return add_text(parent, AL_DOC_CODE, text, len_of(text));
}

struct al_doc_node *al_doc_strong(struct al_doc_node *parent, const char *text)
{
    return add_text(parent, AL_DOC_STRONG, text, len_of(text));
}

struct al_doc_node *al_doc_link(struct al_doc_node *parent, const char *text, const char *target)
{
    struct al_doc_node *n = add_text(parent, AL_DOC_LINK, text, len_of(text));
    n->target = copy_str(n, target);
    return n;
}

/* ---- the walk ---- */

bool al_doc_shown(const struct al_doc_node *n, unsigned format)
{
    return !n->only || (n->only & format);
}

bool al_doc_has_shown(const struct al_doc_node *n, unsigned format)
{
    for (const struct al_doc_node *c = n->first; c; c = c->next)
        if (al_doc_shown(c, format))
            return true;
    return false;
}

void al_doc_render_node(const struct al_doc_node *n, const struct al_doc_render *r)
{
    if (!al_doc_shown(n, r->backend->format))
        return;
    al_doc_render_fn fn = r->backend->node[n->kind];
    if (fn)
        fn(n, r);
    else
        al_doc_render_children(n, r);
}

void al_doc_render_children(const struct al_doc_node *n, const struct al_doc_render *r)
{
    for (const struct al_doc_node *c = n->first; c; c = c->next)
        al_doc_render_node(c, r);
}

void al_doc_render(const struct al_doc_backend *b, const struct al_doc_node *n, struct al_buf *out,
                   unsigned width)
{
    struct al_doc_render r = {b, out, width};
    al_doc_render_node(n, &r);
}
