/* The document tree as one self-contained HTML page (inline CSS, no script,
 * no external resource; a Content-Security-Policy that forbids both anyway),
 * readable on screen and on paper. Static markup is written as it is; every
 * text goes through the builder of cli/html.h, which escapes it, and an
 * image is a data URI in an <img>: whatever it holds runs no script. */
#include "cli/render_doc.h"
#include "cli/html.h"

#include <stdio.h>

enum { FORMAT = AL_DOC_FOR_HTML };

static const char STYLE[] =
    ":root{--fg:#1f2933;--muted:#5b6673;--line:#d5dbe3;--head:#f1f4f8;--err:#b42318;"
    "--warn:#a15c07;--note:#1e55b3;--ok:#16794c}"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    "color:var(--fg);margin:0 auto;max-width:1180px;padding:24px 28px}"
    "h1{font-size:24px;margin:0 0 4px}"
    "h2{font-size:19px;border-bottom:2px solid var(--line);padding-bottom:4px;margin:34px 0 10px}"
    "h3{font-size:15px;margin:22px 0 6px}"
    ".meta,.muted{color:var(--muted)}"
    ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}"
    ".card{border:1px solid var(--line);border-radius:6px;padding:6px 14px;min-width:96px}"
    ".card b{display:block;font-size:22px}"
    ".card.bad b{color:var(--err)}.card.warn b{color:var(--warn)}"
    "table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:13px}"
    "th,td{border:1px solid var(--line);padding:4px 7px;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere}"
    "th{background:var(--head);font-weight:600;overflow-wrap:normal}"
    "tr.off td{color:var(--muted);background:#fafbfc}"
    ".findings td:nth-child(-n+3){white-space:nowrap}h2 code{font-size:inherit}"
    ".error{color:var(--err);font-weight:600}.warning{color:var(--warn);font-weight:600}"
    ".note{color:var(--note)}.ok{color:var(--ok)}"
    ".alert{border-left:4px solid var(--err);background:#fdf0ef;padding:8px 12px;margin:10px 0}"
    ".hint{border-left:4px solid var(--warn);background:#fff8eb;padding:8px 12px;margin:10px 0}"
    "code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}"
    "pre{background:#f6f8fa;border:1px solid var(--line);padding:8px 10px;white-space:pre-wrap;"
    "overflow-wrap:anywhere}"
    "ul{margin:4px 0;padding-left:20px}td ul{padding-left:16px}"
    ".graph img{max-width:100%;height:auto;border:1px solid var(--line);background:#fff}"
    "nav a{margin-right:12px}"
    "@media print{body{max-width:none;padding:0;font-size:11px}nav{display:none}"
    "section.agent{break-before:page}h2,h3{break-after:avoid}tr{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}}";

/* ---- blocks ---- */

static void element(const struct al_doc_node *n, const struct al_doc_render *r, const char *tag)
{
    al_html_open(r->out, tag, "class", n->cls, NULL);
    al_doc_render_children(n, r);
    al_html_close(r->out, tag);
}

static void section(const struct al_doc_node *n, const struct al_doc_render *r)
{
    if (n->flags & AL_DOC_BREAK)
        al_buf_putc(r->out, '\n');
    if (n->flags & AL_DOC_CLASS_FIRST)
        al_html_open(r->out, n->tag, "class", n->cls, "id", n->id, NULL);
    else
        al_html_open(r->out, n->tag, "id", n->id, "class", n->cls, NULL);
    al_doc_render_children(n, r);
    al_html_close(r->out, n->tag);
}

static void heading(const struct al_doc_node *n, const struct al_doc_render *r)
{
    char tag[4];
    snprintf(tag, sizeof tag, "h%u", n->level);
    element(n, r, tag);
}

static void paragraph(const struct al_doc_node *n, const struct al_doc_render *r)
{
    element(n, r, "p");
}

static void callout(const struct al_doc_node *n, const struct al_doc_render *r)
{
    al_html_open(r->out, "div", "class", n->cls, NULL);
    al_html_open(r->out, "strong", NULL);
    al_html_text(r->out, n->title);
    al_html_text(r->out, " ");
    al_html_close(r->out, "strong");
    al_doc_render_children(n, r);
    al_html_close(r->out, "div");
}

static void figures(const struct al_doc_node *n, const struct al_doc_render *r)
{
    element(n, r, "div");
}

static void figure(const struct al_doc_node *n, const struct al_doc_render *r)
{
    char num[32];
    snprintf(num, sizeof num, "%zu", n->number);
    al_html_open(r->out, "div", "class", n->cls, NULL);
    al_html_elem(r->out, "b", num, NULL);
    al_html_text(r->out, n->text);
    al_html_close(r->out, "div");
}

static void list(const struct al_doc_node *n, const struct al_doc_render *r)
{
    if (n->flags & AL_DOC_PARAS) {
        for (const struct al_doc_node *it = n->first; it; it = it->next)
            if (al_doc_shown(it, FORMAT))
                element(it, r, "p");
        return;
    }
    if (al_doc_has_shown(n, FORMAT))
        element(n, r, "ul");
}

static void item(const struct al_doc_node *n, const struct al_doc_render *r)
{
    element(n, r, "li");
}

static const struct al_doc_node *next_shown(const struct al_doc_node *n)
{
    for (n = n->next; n && !al_doc_shown(n, FORMAT); n = n->next)
        ;
    return n;
}

/* A cell ("-" when it has no content); a folded cell after it goes into
 * it, after a line break. */
static void cell(const struct al_doc_node *c, const struct al_doc_render *r)
{
    if (c->flags & AL_DOC_FOLD)
        return; /* written by the cell before */
    bool head = c->parent == c->parent->parent->first;
    const char *tag = head ? "th" : "td";
    al_html_open(r->out, tag, "class", c->cls, NULL);
    if (al_doc_has_shown(c, FORMAT))
        al_doc_render_children(c, r);
    else
        al_html_text(r->out, "-");
    const struct al_doc_node *f = next_shown(c);
    if (!head && f && (f->flags & AL_DOC_FOLD) && al_doc_has_shown(f, FORMAT)) {
        al_buf_puts(r->out, "<br>");
        al_doc_render_children(f, r);
    }
    al_html_close(r->out, tag);
}

static void row(const struct al_doc_node *n, const struct al_doc_render *r)
{
    element(n, r, "tr");
}

static void table(const struct al_doc_node *n, const struct al_doc_render *r)
{
    element(n, r, "table");
}

static void code_block(const struct al_doc_node *n, const struct al_doc_render *r)
{
    al_html_open(r->out, "pre", "class", n->cls, NULL);
    al_html_pre(r->out, n->text, n->len);
    al_html_close(r->out, "pre");
}

static void image(const struct al_doc_node *n, const struct al_doc_render *r)
{
    al_html_data_img(r->out, n->title, n->text, n->len, n->alt, NULL);
}

/* ---- inlines ---- */

static void text(const struct al_doc_node *n, const struct al_doc_render *r)
{
    al_html_text(r->out, n->text);
}

static void code(const struct al_doc_node *n, const struct al_doc_render *r)
{
    if (!(n->flags & AL_DOC_VERBATIM)) {
        al_html_elem(r->out, "code", n->text, NULL);
        return;
    }
    al_html_open(r->out, "code", NULL);
    al_html_pre(r->out, n->text, n->len);
    al_html_close(r->out, "code");
}

static void strong(const struct al_doc_node *n, const struct al_doc_render *r)
{
    al_html_elem(r->out, "strong", n->text, NULL);
}

static void link(const struct al_doc_node *n, const struct al_doc_render *r)
{
    al_html_elem(r->out, "a", n->text, "href", n->target, NULL);
}

static const struct al_doc_backend html = {
    FORMAT,
    {
        [AL_DOC_SECTION] = section,
        [AL_DOC_HEADING] = heading,
        [AL_DOC_PARAGRAPH] = paragraph,
        [AL_DOC_CALLOUT] = callout,
        [AL_DOC_FIGURES] = figures,
        [AL_DOC_FIGURE] = figure,
        [AL_DOC_LIST] = list,
        [AL_DOC_ITEM] = item,
        [AL_DOC_TABLE] = table,
        [AL_DOC_ROW] = row,
        [AL_DOC_CELL] = cell,
        [AL_DOC_CODE_BLOCK] = code_block,
        [AL_DOC_IMAGE] = image,
        [AL_DOC_TEXT] = text,
        [AL_DOC_CODE] = code,
        [AL_DOC_STRONG] = strong,
        [AL_DOC_LINK] = link,
    },
};

void al_doc_render_html(const struct al_doc_node *n, struct al_buf *out)
{
    al_doc_render(&html, n, out, 0);
}

void al_doc_render_html_page(const struct al_doc *d, struct al_buf *out)
{
    al_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                     "style-src 'unsafe-inline'; img-src data:\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    al_html_text(out, d->title);
    al_buf_puts(out, "</title>\n<style>");
    al_buf_puts(out, STYLE);
    al_buf_puts(out, "</style>\n</head>\n<body>\n");
    al_doc_render_html(d->root, out);
    al_buf_puts(out, "\n</body>\n</html>\n");
}
