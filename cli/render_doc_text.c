/* The document tree as plain text for a terminal or a CI log: headings and
 * paragraphs as lines (wrapped at the width), lists with "- ", tables
 * through cli/text_table.h (columns fitted to the width), code indented.
 * Every text goes through the one sanitizer (al_safe_put): no control,
 * bidirectional or invisible character reaches the terminal. An image is
 * its description: a terminal cannot show it. */
#include "cli/render_doc.h"
#include "cli/text_table.h"

#include <stdlib.h>
#include <string.h>

enum { FORMAT = AL_DOC_FOR_TEXT };

/* The inlines of `n` as one string (a list in a cell joined by its
 * separator); sanitized where it is written. */
static void flatten(const struct al_doc_node *n, struct al_buf *b)
{
    for (const struct al_doc_node *c = n->first; c; c = c->next) {
        if (!al_doc_shown(c, FORMAT))
            continue;
        if (c->kind == AL_DOC_LIST || c->kind == AL_DOC_ITEM) {
            for (const struct al_doc_node *it = c->first; it; it = it->next) {
                if (!al_doc_shown(it, FORMAT))
                    continue;
                if (b->len && c->kind == AL_DOC_LIST)
                    al_buf_puts(b, c->title);
                flatten(it, b);
            }
            continue;
        }
        if (c->text)
            al_buf_put(b, c->text, c->len);
        flatten(c, b);
    }
}

static void wrapped(const struct al_doc_node *n, const struct al_doc_render *r, const char *prefix)
{
    struct al_buf b = AL_BUF_INIT;
    flatten(n, &b);
    al_text_wrap_prefixed(r->out, prefix, al_buf_cstr(&b), 0, r->width);
    al_buf_free(&b);
}

static void heading(const struct al_doc_node *n, const struct al_doc_render *r)
{
    wrapped(n, r, "");
    al_buf_putc(r->out, '\n');
}

static void paragraph(const struct al_doc_node *n, const struct al_doc_render *r)
{
    wrapped(n, r, "");
    al_buf_putc(r->out, '\n');
}

static void callout(const struct al_doc_node *n, const struct al_doc_render *r)
{
    struct al_buf title = AL_BUF_INIT;
    al_buf_printf(&title, "%s ", n->title ? n->title : "");
    wrapped(n, r, al_buf_cstr(&title));
    al_buf_free(&title);
    al_buf_putc(r->out, '\n');
}

static void figures(const struct al_doc_node *n, const struct al_doc_render *r)
{
    struct al_buf b = AL_BUF_INIT;
    for (const struct al_doc_node *f = n->first; f; f = f->next)
        if (al_doc_shown(f, FORMAT))
            al_buf_printf(&b, "%s%zu %s", b.len ? ", " : "", f->number,
                          f->number == 1 && f->title ? f->title : f->text);
    al_text_wrap(r->out, al_buf_cstr(&b), 0, r->width);
    al_buf_free(&b);
    al_buf_putc(r->out, '\n');
}

static void list(const struct al_doc_node *n, const struct al_doc_render *r)
{
    for (const struct al_doc_node *it = n->first; it; it = it->next)
        if (al_doc_shown(it, FORMAT))
            wrapped(it, r, "- ");
    if (al_doc_has_shown(n, FORMAT))
        al_buf_putc(r->out, '\n');
}

/* The shown cells of a row as strings (NULL: no content), `*n` of them. */
static char **cells(const struct al_doc_node *row, size_t *n)
{
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    for (const struct al_doc_node *c = row->first; c; c = c->next) {
        if (!al_doc_shown(c, FORMAT))
            continue;
        v = al_grow(v, &cap, *n + 1, sizeof *v);
        struct al_buf b = AL_BUF_INIT;
        flatten(c, &b);
        v[(*n)++] = al_doc_has_shown(c, FORMAT) ? al_buf_detach(&b) : NULL;
        al_buf_free(&b);
    }
    return v;
}

static void free_cells(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void table(const struct al_doc_node *n, const struct al_doc_render *r)
{
    const struct al_doc_node *head = n->first;
    while (head && !al_doc_shown(head, FORMAT))
        head = head->next;
    if (!head)
        return;
    size_t cols;
    char **h = cells(head, &cols);
    enum al_text_cut *cut = al_calloc(cols ? cols : 1, sizeof *cut);
    for (size_t i = 0; i < cols; i++)
        cut[i] = AL_CUT_END; /* the widest gives way first */
    struct al_text_table t;
    al_text_table_init(&t, (const char *const *)h, cut, cols, 0);
    for (const struct al_doc_node *row = head->next; row; row = row->next) {
        if (!al_doc_shown(row, FORMAT))
            continue;
        size_t k;
        char **v = cells(row, &k);
        const char **padded = al_calloc(cols ? cols : 1, sizeof *padded);
        for (size_t i = 0; i < cols && i < k; i++)
            padded[i] = v[i];
        al_text_table_row(&t, padded, NULL);
        free(padded);
        free_cells(v, k);
    }
    al_text_table_render(&t, r->out, 0, r->width, false);
    al_text_table_free(&t);
    free(cut);
    free_cells(h, cols);
    al_buf_putc(r->out, '\n');
}

/* Each line indented by four spaces, sanitized. */
static void code_block(const struct al_doc_node *n, const struct al_doc_render *r)
{
    for (const char *p = n->text, *end = n->text + n->len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        al_buf_puts(r->out, "    ");
        al_safe_put(r->out, p, len);
        al_buf_putc(r->out, '\n');
        p += len + (nl != NULL);
    }
    al_buf_putc(r->out, '\n');
}

static void image(const struct al_doc_node *n, const struct al_doc_render *r)
{
    al_buf_puts(r->out, "[image: ");
    al_safe_puts(r->out, n->alt);
    al_buf_puts(r->out, "]\n\n");
}

static void lone_inline(const struct al_doc_node *n, const struct al_doc_render *r)
{
    al_safe_put(r->out, n->text, n->len);
}

static const struct al_doc_backend text = {
    FORMAT,
    {
        [AL_DOC_HEADING] = heading,
        [AL_DOC_PARAGRAPH] = paragraph,
        [AL_DOC_CALLOUT] = callout,
        [AL_DOC_FIGURES] = figures,
        [AL_DOC_LIST] = list,
        [AL_DOC_TABLE] = table,
        [AL_DOC_CODE_BLOCK] = code_block,
        [AL_DOC_IMAGE] = image,
        [AL_DOC_TEXT] = lone_inline,
        [AL_DOC_CODE] = lone_inline,
        [AL_DOC_STRONG] = lone_inline,
        [AL_DOC_LINK] = lone_inline,
    },
};

void al_doc_render_text(const struct al_doc_node *n, struct al_buf *out, unsigned width)
{
    al_doc_render(&text, n, out, width);
}
