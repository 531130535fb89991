/* The document tree (cli/doc.h) and its backends: one tree, written as
 * Markdown and as HTML; the builders never escape and the backends do all
 * of it (a hostile value is a code span in Markdown, text in HTML); the
 * attributes that let the formats differ (only, fold, tight, paragraphs)
 * do what they say; the text backend sanitizes and fits its width. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "cli/render_doc.h"
#include "fuzz/md_invariant.h"

static char *md(const struct al_doc *d)
{
    struct al_buf b = AL_BUF_INIT;
    al_doc_render_markdown(d->root, &b);
    return al_buf_detach(&b);
}

static char *html(const struct al_doc *d)
{
    struct al_buf b = AL_BUF_INIT;
    al_doc_render_html(d->root, &b);
    return al_buf_detach(&b);
}

static void assert_both(const struct al_doc *d, const char *want_md, const char *want_html)
{
    char *m = md(d), *h = html(d);
    assert_string_equal(m, want_md);
    assert_string_equal(h, want_html);
    free(m);
    free(h);
}

static void blocks_in_both_formats(void **state)
{
    (void)state;
    struct al_doc d;
    al_doc_init(&d);
    struct al_doc_node *s = al_doc_section(d.root, "section", "summary", NULL);
    struct al_doc_node *h = al_doc_heading(s, 2, "Agent ");
    al_doc_code(h, "prod");
    al_doc_para(s, "Config: a.yaml", "meta");
    al_doc_callout(s, "Not in force.", "GitLab keeps the previous config.", "alert");
    assert_both(&d,
                "## Agent prod\n\nConfig: a.yaml\n\n"
                "> **Not in force.** GitLab keeps the previous config.\n\n",
                "<section id=\"summary\"><h2>Agent <code>prod</code></h2>"
                "<p class=\"meta\">Config: a.yaml</p>"
                "<div class=\"alert\"><strong>Not in force. </strong>GitLab keeps the previous "
                "config.</div></section>");
    al_doc_free(&d);
}

static void hostile_text_is_escaped_by_the_backends(void **state)
{
    (void)state;
    static const char evil[] = "<script>alert(1)</script> @all `x`|y\n#1";
    struct al_doc d;
    al_doc_init(&d);
    al_doc_para(d.root, evil, NULL);
    struct al_doc_node *t = al_doc_table(d.root, NULL);
    const char *head[] = {"A", "B"};
    al_doc_row_cells(t, head, 2, NULL);
    const char *cells[] = {evil, NULL};
    al_doc_row_cells(t, cells, 2, NULL);
    char *m = md(&d), *h = html(&d);
    /* The builders kept the value as it is. */
    assert_int_equal(strcmp(t->last->first->first->text, evil), 0);
    assert_null(strstr(h, "<script>"));
    assert_non_null(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt; @all `x`|y\\n#1"));
    assert_non_null(strstr(h, "<td>-</td>"));
    const char *para_end = strstr(m, "\n\n");
    assert_non_null(para_end);
    const char *broken = md_invariant(m, (size_t)(para_end - m), false);
    if (broken)
        fail_msg("%s in %s", broken, m);
    assert_null(strstr(m, " @all")); /* a mention is a code span */
    assert_non_null(strstr(m, "| - |\n"));
    /* The row keeps its two cells: the pipe inside is escaped. */
    const char *row = strstr(m, "--- |\n") + 6;
    size_t pipes = 0;
    for (const char *p = row; *p && *p != '\n'; p++)
        pipes += *p == '|' && p[-1] != '\\';
    assert_int_equal(pipes, 3);
    free(m);
    free(h);
    al_doc_free(&d);
}

static void lists_tables_and_code(void **state)
{
    (void)state;
    struct al_doc d;
    al_doc_init(&d);
    struct al_doc_node *l = al_doc_list(d.root, NULL);
    al_doc_item(l, "group acme", NULL);
    al_doc_list(d.root, NULL); /* empty: a blank line in Markdown, nothing in HTML */
    struct al_doc_node *t = al_doc_table(d.root, "findings");
    const char *head[] = {"Message", "Source line"};
    al_doc_row_cells(t, head, 2, NULL)->last->flags |= AL_DOC_FOLD;
    struct al_doc_node *r = al_doc_row(t, "off");
    al_doc_cell(r, "bad", NULL);
    struct al_doc_node *src = al_doc_cell(r, NULL, NULL);
    src->flags |= AL_DOC_FOLD;
    al_doc_code_n(src, "\tid: x\0y", 8)->flags |= AL_DOC_VERBATIM;
    al_doc_code_block(d.root, "a ``` b\n", "sh", NULL)->flags |= AL_DOC_TIGHT;
    assert_both(&d,
                "- group acme\n\n\n"
                "| Message | Source line |\n| --- | --- |\n| bad | `\\tid:` x |\n\n"
                "````sh\na ``` b\n````\n",
                "<ul><li>group acme</li></ul>"
                "<table class=\"findings\"><tr><th>Message</th></tr>"
                "<tr class=\"off\"><td>bad<br><code>\tid: x\\x00y</code></td></tr></table>"
                "<pre>a ``` b\n</pre>");
    al_doc_free(&d);
}

static void cell_lists_join_and_only_masks(void **state)
{
    (void)state;
    struct al_doc d;
    al_doc_init(&d);
    struct al_doc_node *t = al_doc_table(d.root, NULL);
    const char *head[] = {"Groups", "Notes", "GitLab"};
    al_doc_row_cells(t, head, 3, NULL);
    struct al_doc_node *r = al_doc_row(t, NULL);
    struct al_doc_node *g = al_doc_list(al_doc_cell(r, NULL, NULL), NULL);
    al_doc_code(al_doc_item(g, NULL, NULL), "gitlab:ci_job");
    al_doc_code(al_doc_item(g, NULL, NULL), "gitlab:group:2");
    struct al_doc_node *notes = al_doc_cell(r, "environments: prod", NULL);
    struct al_doc_node *w = al_doc_list(notes, "warning");
    w->title = "; ";
    al_doc_item(w, "one", NULL);
    al_doc_item(w, "two", NULL);
    struct al_doc_node *c = al_doc_cell(r, NULL, "error");
    al_doc_text(c, "rejects")->only = AL_DOC_FOR_HTML;
    al_doc_text(c, "REJECTS")->only = AL_DOC_NOT_HTML;
    al_doc_section(d.root, "nav", NULL, NULL)->only = AL_DOC_FOR_HTML;
    struct al_doc_node *f = al_doc_figures(d.root);
    f->cls = "cards";
    al_doc_figure(f, 1, "agent", "agents", "card");
    al_doc_figure(f, 2, "error", "errors", "card bad");
    assert_both(&d,
                "| Groups | Notes | GitLab |\n| --- | --- | --- |\n"
                "| `gitlab:ci_job,` `gitlab:group:2` | environments: prod; one; two | REJECTS |\n\n"
                "**1** agent · **2** errors\n\n",
                "<table><tr><th>Groups</th><th>Notes</th><th>GitLab</th></tr><tr>"
                "<td><ul><li><code>gitlab:ci_job</code></li><li><code>gitlab:group:2</code></li>"
                "</ul></td><td>environments: prod<ul class=\"warning\"><li>one</li><li>two</li>"
                "</ul></td><td class=\"error\">rejects</td></tr></table><nav></nav>"
                "<div class=\"cards\"><div class=\"card\"><b>1</b>agents</div>"
                "<div class=\"card bad\"><b>2</b>errors</div></div>");
    al_doc_free(&d);
}

static void page_has_its_skeleton(void **state)
{
    (void)state;
    struct al_doc d;
    al_doc_init(&d);
    al_doc_set_title(&d, "review: <acme>");
    al_doc_image(d.root, "image/svg+xml", "<svg/>", 6, "Graph");
    struct al_buf b = AL_BUF_INIT;
    al_doc_render_html_page(&d, &b);
    const char *s = al_buf_cstr(&b);
    assert_int_equal(strncmp(s, "<!DOCTYPE html>", 15), 0);
    assert_non_null(strstr(s, "<title>review: &lt;acme&gt;</title>"));
    assert_non_null(strstr(s, "Content-Security-Policy"));
    assert_non_null(strstr(s, "<img src=\"data:image/svg+xml;base64,PHN2Zy8+\" alt=\"Graph\">"));
    assert_non_null(strstr(s, "\n</body>\n</html>\n"));
    al_buf_free(&b);
    char *m = md(&d);
    assert_string_equal(m, "![Graph](data:image/svg+xml;base64,PHN2Zy8+)\n\n");
    free(m);
    al_doc_free(&d);
}

static char *text(const struct al_doc *d, unsigned width)
{
    struct al_buf b = AL_BUF_INIT;
    al_doc_render_text(d->root, &b, width);
    return al_buf_detach(&b);
}

static void text_backend(void **state)
{
    (void)state;
    struct al_doc d;
    al_doc_init(&d);
    al_doc_heading(d.root, 2, "Summary");
    al_doc_para(d.root, "GitLab keeps the previous configuration of this agent.", NULL);
    struct al_doc_node *l = al_doc_list(d.root, NULL);
    al_doc_item(l, "evil\x1b[31mred\u202e", NULL);
    struct al_doc_node *t = al_doc_table(d.root, NULL);
    const char *head[] = {"Agent", "Notes"};
    al_doc_row_cells(t, head, 2, NULL);
    struct al_doc_node *r = al_doc_row(t, NULL);
    al_doc_cell(r, "prod", NULL);
    struct al_doc_node *c = al_doc_cell(r, NULL, NULL);
    al_doc_text(c, "html")->only = AL_DOC_FOR_HTML;
    al_doc_text(c, "plain")->only = AL_DOC_NOT_HTML;
    al_doc_code_block(d.root, "glab api x\ncurl y\n", "sh", NULL);
    char *s = text(&d, 0);
    assert_string_equal(s, "Summary\n\n"
                           "GitLab keeps the previous configuration of this agent.\n\n"
                           "- evil\\x1b[31mred\\u202e\n\n"
                           "Agent  Notes\nprod   plain\n\n"
                           "    glab api x\n    curl y\n\n");
    assert_null(strchr(s, '\x1b')); /* shown, never sent to the terminal */
    free(s);
    /* At 20 columns every line fits, but a word longer than that (kept whole). */
    s = text(&d, 20);
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "\n");
        if (n > 20 && memchr(p + 2, ' ', n - 2))
            fail_msg("line longer than 20: %.*s", (int)n, p);
        p += n + (p[n] == '\n');
    }
    free(s);
    al_doc_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blocks_in_both_formats),
        cmocka_unit_test(hostile_text_is_escaped_by_the_backends),
        cmocka_unit_test(lists_tables_and_code),
        cmocka_unit_test(cell_lists_join_and_only_masks),
        cmocka_unit_test(page_has_its_skeleton),
        cmocka_unit_test(text_backend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
