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

static void inline_node(const struct al_doc_node *n, struct run *r);

static void inline_children(const struct al_doc_node *n, struct run *r)
{
    for (const struct al_doc_node *c = n->first; c; c = c->next)
        if (al_doc_shown(c, FORMAT))
            inline_node(c, r);
}

/* A list inside a cell: its items joined by its separator. */
static void cell_list(const struct al_doc_node *list, struct run *r)
{
    for (const struct al_doc_node *it = list->first; it; it = it->next) {
        if (!al_doc_shown(it, FORMAT))
            continue;
        if (r->text.len)
            al_buf_puts(&r->text, list->title);
        inline_children(it, r);
    }
}

static void inline_node(const struct al_doc_node *n, struct run *r)
{
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
    inline_children(n, &r);
    flush(&r);
    al_buf_free(&r.text);
}

/* ---- blocks ---- */

static void end_block(const struct al_doc_node *n, struct al_buf *out)
{
    if (!(n->flags & AL_DOC_TIGHT))
        al_buf_putc(out, '\n');
}

static void heading(const struct al_doc_node *n, const struct al_doc_render *r)
{
    al_buf_fill(r->out, '#', n->level);
    al_buf_putc(r->out, ' ');
    inlines(n, r->out, false);
    al_buf_puts(r->out, "\n\n");
}

static void paragraph(const struct al_doc_node *n, const struct al_doc_render *r)
{
    inlines(n, r->out, false);
    al_buf_puts(r->out, "\n\n");
}

static void callout(const struct al_doc_node *n, const struct al_doc_render *r)
{
    al_buf_puts(r->out, "> **");
    al_md_escape(r->out, n->title);
    al_buf_puts(r->out, "** ");
    paragraph(n, r);
}

static void figures(const struct al_doc_node *n, const struct al_doc_render *r)
{
    bool first = true;
    for (const struct al_doc_node *f = n->first; f; f = f->next) {
        if (!al_doc_shown(f, FORMAT))
            continue;
        al_buf_printf(r->out, "%s**%zu** ", first ? "" : " · ", f->number);
        al_md_escape(r->out, f->number == 1 && f->title ? f->title : f->text);
        first = false;
    }
    al_buf_puts(r->out, "\n\n");
}

static size_t row(const struct al_doc_node *n, struct al_buf *out)
{
    size_t columns = 0;
    al_buf_puts(out, "|");
    for (const struct al_doc_node *c = n->first; c; c = c->next) {
        if (!al_doc_shown(c, FORMAT))
            continue;
        al_buf_puts(out, " ");
        if (al_doc_has_shown(c, FORMAT))
            inlines(c, out, true);
        else
            al_md_escape_cell(out, "-");
        al_buf_puts(out, " |");
        columns++;
    }
    al_buf_putc(out, '\n');
    return columns;
}

static void table(const struct al_doc_node *n, const struct al_doc_render *r)
{
    bool head = true;
    for (const struct al_doc_node *rw = n->first; rw; rw = rw->next) {
        if (!al_doc_shown(rw, FORMAT))
            continue;
        size_t columns = row(rw, r->out);
        if (head) {
            al_buf_puts(r->out, "|");
            for (size_t i = 0; i < columns; i++)
                al_buf_puts(r->out, " --- |");
            al_buf_putc(r->out, '\n');
        }
        head = false;
    }
    end_block(n, r->out);
}

/* A list's items, a list inside an item indented under it. */
static void list_items(const struct al_doc_node *n, struct al_buf *out, const char *indent)
{
    for (const struct al_doc_node *it = n->first; it; it = it->next) {
        if (!al_doc_shown(it, FORMAT))
            continue;
        al_buf_puts(out, indent);
        al_buf_puts(out, "- ");
        struct run run = {out, AL_BUF_INIT, false};
        for (const struct al_doc_node *c = it->first; c; c = c->next)
            if (c->kind != AL_DOC_LIST && al_doc_shown(c, FORMAT))
                inline_node(c, &run);
        flush(&run);
        al_buf_free(&run.text);
        al_buf_putc(out, '\n');
        for (const struct al_doc_node *c = it->first; c; c = c->next)
            if (c->kind == AL_DOC_LIST && al_doc_shown(c, FORMAT))
                list_items(c, out, "  ");
    }
}

static void list(const struct al_doc_node *n, const struct al_doc_render *r)
{
    list_items(n, r->out, "");
    end_block(n, r->out);
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

static void code_block(const struct al_doc_node *n, const struct al_doc_render *r)
{
    fence(r->out, n->text, n->len);
    al_buf_puts(r->out, n->title ? n->title : "");
    al_buf_putc(r->out, '\n');
    al_buf_put(r->out, n->text, n->len);
    fence(r->out, n->text, n->len);
    al_buf_putc(r->out, '\n');
    end_block(n, r->out);
}

static void image(const struct al_doc_node *n, const struct al_doc_render *r)
{
    al_buf_puts(r->out, "![");
    al_md_escape(r->out, n->alt);
    al_buf_printf(r->out, "](data:%s;base64,", n->title);
    al_base64(r->out, n->text, n->len);
    al_buf_puts(r->out, ")\n");
    end_block(n, r->out);
}

/* An inline among blocks: written as it is. */
static void lone_inline(const struct al_doc_node *n, const struct al_doc_render *r)
{
    struct run run = {r->out, AL_BUF_INIT, false};
    inline_node(n, &run);
    flush(&run);
    al_buf_free(&run.text);
}

static const struct al_doc_backend markdown = {
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

void al_doc_render_markdown(const struct al_doc_node *n, struct al_buf *out)
{
    al_doc_render(&markdown, n, out, 0);
}
