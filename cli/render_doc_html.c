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

static void node(const struct al_doc_node *n, void *ctx);

static void children(const struct al_doc_node *n, struct al_buf *out)
{
    al_doc_children(n, FORMAT, node, out);
}

static bool has_shown(const struct al_doc_node *n)
{
    for (const struct al_doc_node *c = n->first; c; c = c->next)
        if (al_doc_shown(c, FORMAT))
            return true;
    return false;
}

static void element(const struct al_doc_node *n, struct al_buf *out, const char *tag)
{
    al_html_open(out, tag, "class", n->cls, NULL);
    children(n, out);
    al_html_close(out, tag);
}

static void section(const struct al_doc_node *n, struct al_buf *out)
{
    if (n->flags & AL_DOC_BREAK)
        al_buf_putc(out, '\n');
    if (n->flags & AL_DOC_CLASS_FIRST)
        al_html_open(out, n->tag, "class", n->cls, "id", n->id, NULL);
    else
        al_html_open(out, n->tag, "id", n->id, "class", n->cls, NULL);
    children(n, out);
    al_html_close(out, n->tag);
}

static void heading(const struct al_doc_node *n, struct al_buf *out)
{
    char tag[4];
    snprintf(tag, sizeof tag, "h%u", n->level);
    element(n, out, tag);
}

static void callout(const struct al_doc_node *n, struct al_buf *out)
{
    al_html_open(out, "div", "class", n->cls, NULL);
    al_html_open(out, "strong", NULL);
    al_html_text(out, n->title);
    al_html_text(out, " ");
    al_html_close(out, "strong");
    children(n, out);
    al_html_close(out, "div");
}

static void figures(const struct al_doc_node *n, struct al_buf *out)
{
    al_html_open(out, "div", "class", n->cls, NULL);
    for (const struct al_doc_node *f = n->first; f; f = f->next) {
        if (!al_doc_shown(f, FORMAT))
            continue;
        char num[32];
        snprintf(num, sizeof num, "%zu", f->number);
        al_html_open(out, "div", "class", f->cls, NULL);
        al_html_elem(out, "b", num, NULL);
        al_html_text(out, f->text);
        al_html_close(out, "div");
    }
    al_html_close(out, "div");
}

static void list(const struct al_doc_node *n, struct al_buf *out)
{
    if (n->flags & AL_DOC_PARAS) {
        for (const struct al_doc_node *it = n->first; it; it = it->next)
            if (al_doc_shown(it, FORMAT))
                element(it, out, "p");
        return;
    }
    if (!has_shown(n))
        return;
    al_html_open(out, "ul", "class", n->cls, NULL);
    for (const struct al_doc_node *it = n->first; it; it = it->next)
        if (al_doc_shown(it, FORMAT))
            element(it, out, "li");
    al_html_close(out, "ul");
}

/* A cell's content, "-" when it has none. */
static void cell_content(const struct al_doc_node *c, struct al_buf *out)
{
    if (has_shown(c))
        children(c, out);
    else
        al_html_text(out, "-");
}

static const struct al_doc_node *next_shown(const struct al_doc_node *n)
{
    for (n = n->next; n && !al_doc_shown(n, FORMAT); n = n->next)
        ;
    return n;
}

/* A row; a folded cell goes into the one before it, after a line break. */
static void row(const struct al_doc_node *r, struct al_buf *out, const char *cell_tag)
{
    al_html_open(out, "tr", "class", r->cls, NULL);
    for (const struct al_doc_node *c = r->first; c; c = c->next) {
        if (!al_doc_shown(c, FORMAT) || (c->flags & AL_DOC_FOLD))
            continue;
        al_html_open(out, cell_tag, "class", c->cls, NULL);
        cell_content(c, out);
        const struct al_doc_node *f = next_shown(c);
        if (f && (f->flags & AL_DOC_FOLD) && has_shown(f) && r != r->parent->first) {
            al_buf_puts(out, "<br>");
            children(f, out);
        }
        al_html_close(out, cell_tag);
    }
    al_html_close(out, "tr");
}

static void table(const struct al_doc_node *n, struct al_buf *out)
{
    al_html_open(out, "table", "class", n->cls, NULL);
    for (const struct al_doc_node *r = n->first; r; r = r->next)
        if (al_doc_shown(r, FORMAT))
            row(r, out, r == n->first ? "th" : "td");
    al_html_close(out, "table");
}

static void code(const struct al_doc_node *n, struct al_buf *out)
{
    if (!(n->flags & AL_DOC_VERBATIM)) {
        al_html_elem(out, "code", n->text, NULL);
        return;
    }
    al_html_open(out, "code", NULL);
    al_html_pre(out, n->text, n->len);
    al_html_close(out, "code");
}

static void node(const struct al_doc_node *n, void *ctx)
{
    struct al_buf *out = ctx;
    switch (n->kind) {
    case AL_DOC_DOCUMENT:
        children(n, out);
        break;
    case AL_DOC_SECTION:
        section(n, out);
        break;
    case AL_DOC_HEADING:
        heading(n, out);
        break;
    case AL_DOC_PARAGRAPH:
        element(n, out, "p");
        break;
    case AL_DOC_CALLOUT:
        callout(n, out);
        break;
    case AL_DOC_FIGURES:
        figures(n, out);
        break;
    case AL_DOC_LIST:
        list(n, out);
        break;
    case AL_DOC_ITEM:
        element(n, out, "li");
        break;
    case AL_DOC_TABLE:
        table(n, out);
        break;
    case AL_DOC_ROW:
    case AL_DOC_CELL:
    case AL_DOC_FIGURE:
        break; /* written by their table or figures */
    case AL_DOC_CODE_BLOCK:
        al_html_open(out, "pre", "class", n->cls, NULL);
        al_html_pre(out, n->text, n->len);
        al_html_close(out, "pre");
        break;
    case AL_DOC_IMAGE:
        al_html_data_img(out, n->title, n->text, n->len, n->alt, NULL);
        break;
    case AL_DOC_TEXT:
        al_html_text(out, n->text);
        break;
    case AL_DOC_CODE:
        code(n, out);
        break;
    case AL_DOC_STRONG:
        al_html_elem(out, "strong", n->text, NULL);
        break;
    case AL_DOC_LINK:
        al_html_elem(out, "a", n->text, "href", n->target, NULL);
        break;
    }
}

void al_doc_render_html(const struct al_doc_node *n, struct al_buf *out)
{
    if (al_doc_shown(n, FORMAT))
        node(n, out);
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
