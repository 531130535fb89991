/* The document tree as GitLab-flavoured Markdown, readable raw and safe
 * where GitLab renders it. All text goes through al_md_escape (a table
 * cell's through al_md_escape_cell); the inlines of a block are joined
 * first and escaped as one run, so that a word is escaped whole. Code
 * blocks are written verbatim in a fence no line of them can close, images
 * as data URIs of base64 characters: nothing in them is Markdown. */
#include "cli/render_doc.h"
#include "cli/markdown.h"
#include "common/base64.h"

enum { FORMAT = AL_DOC_FOR_MARKDOWN };

/* The inlines of a block, one run. */
struct run {
    struct al_buf *out;
    struct al_buf text;
    bool cell;
};

static void flush(struct run *r)
{
    if (r->cell)
        al_md_escape_cell(r->out, al_buf_cstr(&r->text));
    else
        al_md_escape(r->out, al_buf_cstr(&r->text));
    al_buf_clear(&r->text);
}

static void inline_node(const struct al_doc_node *n, void *ctx);

/* A list inside a cell: its items joined by its separator. */
static void cell_list(const struct al_doc_node *list, struct run *r)
{
    for (const struct al_doc_node *it = list->first; it; it = it->next) {
        if (!al_doc_shown(it, FORMAT))
            continue;
        if (r->text.len)
            al_buf_puts(&r->text, list->title);
        al_doc_children(it, FORMAT, inline_node, r);
    }
}

static void inline_node(const struct al_doc_node *n, void *ctx)
{
    struct run *r = ctx;
    switch (n->kind) {
    case AL_DOC_STRONG:
        flush(r);
        al_buf_puts(r->out, "**");
        al_md_escape(r->out, n->text);
        al_buf_puts(r->out, "**");
        break;
    case AL_DOC_LIST:
        cell_list(n, r);
        break;
    default: /* text, code, a link's text */
        al_buf_put(&r->text, n->text, n->len);
        break;
    }
}

static void inlines(const struct al_doc_node *n, struct al_buf *out, bool cell)
{
    struct run r = {out, AL_BUF_INIT, cell};
    al_doc_children(n, FORMAT, inline_node, &r);
    flush(&r);
    al_buf_free(&r.text);
}

/* ---- blocks ---- */

static void end_block(const struct al_doc_node *n, struct al_buf *out)
{
    if (!(n->flags & AL_DOC_TIGHT))
        al_buf_putc(out, '\n');
}

static void figures(const struct al_doc_node *n, struct al_buf *out)
{
    bool first = true;
    for (const struct al_doc_node *f = n->first; f; f = f->next) {
        if (!al_doc_shown(f, FORMAT))
            continue;
        al_buf_printf(out, "%s**%zu** ", first ? "" : " · ", f->number);
        al_md_escape(out, f->number == 1 && f->title ? f->title : f->text);
        first = false;
    }
    al_buf_puts(out, "\n\n");
}

static void row(const struct al_doc_node *n, struct al_buf *out, size_t *columns)
{
    al_buf_puts(out, "|");
    for (const struct al_doc_node *c = n->first; c; c = c->next) {
        if (!al_doc_shown(c, FORMAT))
            continue;
        al_buf_puts(out, " ");
        bool empty = true;
        for (const struct al_doc_node *k = c->first; k && empty; k = k->next)
            empty = !al_doc_shown(k, FORMAT);
        if (empty)
            al_md_escape_cell(out, "-");
        else
            inlines(c, out, true);
        al_buf_puts(out, " |");
        ++*columns;
    }
    al_buf_putc(out, '\n');
}

static void table(const struct al_doc_node *n, struct al_buf *out)
{
    bool head = true;
    for (const struct al_doc_node *r = n->first; r; r = r->next) {
        if (!al_doc_shown(r, FORMAT))
            continue;
        size_t columns = 0;
        row(r, out, &columns);
        if (head) {
            al_buf_puts(out, "|");
            for (size_t i = 0; i < columns; i++)
                al_buf_puts(out, " --- |");
            al_buf_putc(out, '\n');
        }
        head = false;
    }
    end_block(n, out);
}

static void list(const struct al_doc_node *n, struct al_buf *out)
{
    for (const struct al_doc_node *it = n->first; it; it = it->next) {
        if (!al_doc_shown(it, FORMAT))
            continue;
        al_buf_puts(out, "- ");
        inlines(it, out, false);
        al_buf_putc(out, '\n');
    }
    end_block(n, out);
}

/* A fence longer than any run of backticks in the text. */
static void fence(struct al_buf *out, const char *text, size_t len)
{
    size_t longest = 0, run = 0;
    for (size_t i = 0; i < len; i++) {
        run = text[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    al_buf_fill(out, '`', longest < 3 ? 3 : longest + 1);
}

static void code_block(const struct al_doc_node *n, struct al_buf *out)
{
    fence(out, n->text, n->len);
    al_buf_puts(out, n->title ? n->title : "");
    al_buf_putc(out, '\n');
    al_buf_put(out, n->text, n->len);
    fence(out, n->text, n->len);
    al_buf_putc(out, '\n');
    end_block(n, out);
}

static void image(const struct al_doc_node *n, struct al_buf *out)
{
    al_buf_puts(out, "![");
    al_md_escape(out, n->alt);
    al_buf_printf(out, "](data:%s;base64,", n->title);
    al_base64(out, n->text, n->len);
    al_buf_puts(out, ")\n");
    end_block(n, out);
}

static void block(const struct al_doc_node *n, void *ctx)
{
    struct al_buf *out = ctx;
    switch (n->kind) {
    case AL_DOC_DOCUMENT:
    case AL_DOC_SECTION:
        al_doc_children(n, FORMAT, block, out);
        break;
    case AL_DOC_HEADING:
        al_buf_fill(out, '#', n->level);
        al_buf_putc(out, ' ');
        inlines(n, out, false);
        al_buf_puts(out, "\n\n");
        break;
    case AL_DOC_PARAGRAPH:
        inlines(n, out, false);
        al_buf_puts(out, "\n\n");
        break;
    case AL_DOC_CALLOUT:
        al_buf_puts(out, "> **");
        al_md_escape(out, n->title);
        al_buf_puts(out, "** ");
        inlines(n, out, false);
        al_buf_puts(out, "\n\n");
        break;
    case AL_DOC_FIGURES:
        figures(n, out);
        break;
    case AL_DOC_LIST:
        list(n, out);
        break;
    case AL_DOC_TABLE:
        table(n, out);
        break;
    case AL_DOC_CODE_BLOCK:
        code_block(n, out);
        break;
    case AL_DOC_IMAGE:
        image(n, out);
        break;
    default: { /* an inline among blocks: written as it is */
        struct run r = {out, AL_BUF_INIT, false};
        inline_node(n, &r);
        flush(&r);
        al_buf_free(&r.text);
        break;
    }
    }
}

void al_doc_render_markdown(const struct al_doc_node *n, struct al_buf *out)
{
    if (al_doc_shown(n, FORMAT))
        block(n, out);
}
