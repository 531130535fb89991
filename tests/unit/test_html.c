/* The report's HTML builder (cli/html.h): text and attribute escaping,
 * invalid UTF-8, invisible characters, the elements and attributes it
 * refuses to write, data-URI images; and the Graphviz child process
 * (cli/graphviz.h): a rendering, a missing dot, a failing one. */
#include "testutil.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/graphviz.h"
#include "cli/html.h"
#include "common/base64.h"
#include "common/error.h"

static char *text(const char *s)
{
    struct al_buf b = AL_BUF_INIT;
    al_html_text(&b, s);
    return al_buf_detach(&b);
}

static void assert_text(const char *in, const char *want)
{
    char *got = text(in);
    assert_string_equal(got, want);
    free(got);
}

static void assert_attr(const char *in, const char *want)
{
    struct al_buf b = AL_BUF_INIT;
    al_html_attr_value(&b, in);
    assert_string_equal(al_buf_cstr(&b), want);
    al_buf_free(&b);
}

static void text_escapes_markup(void **state)
{
    (void)state;
    assert_text("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_text("\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    assert_text("a & b 'q' `tick` |pipe|", "a &amp; b &#39;q&#39; `tick` |pipe|");
    assert_text("&amp;", "&amp;amp;");
    assert_text("javascript:alert(1)", "javascript:alert(1)"); /* text: inert */
    assert_text("", "");
    struct al_buf b = AL_BUF_INIT;
    al_html_text(&b, NULL);
    assert_int_equal(b.len, 0);
    al_buf_free(&b);
}

static void text_shows_what_would_hide(void **state)
{
    (void)state;
    /* A newline would collapse, controls are invisible, bidi overrides
     * reorder what a reviewer reads, zero-width characters make one id look
     * like another: all shown, as the text format shows them. */
    assert_text("a\nb", "a\\nb");
    assert_text("a\rb\x1b[31m\x7f", "a\\x0db\\x1b[31m\\x7f");
    assert_text("tab\there", "tab\there");
    assert_text("x\xe2\x80\xaey", "x\\u202ey"); /* U+202E RIGHT-TO-LEFT OVERRIDE */
    assert_text("x\xe2\x81\xa6y", "x\\u2066y"); /* U+2066 LEFT-TO-RIGHT ISOLATE */
    assert_text("x\xc2\x85y", "x\\u0085y");     /* U+0085, a C1 control */
    assert_text("w\xe2\x80\x8b"
                "eb\xef\xbb\xbf",
                "w\\u200beb\\ufeff"); /* zero width, BOM */
    assert_text("a\xe2\x80\xa8"
                "b",
                "a\\u2028b"); /* line separator */
    assert_attr("x\xe2\x80\xaey", "x\\u202ey");
    assert_text("gr\xc3\xbc\xc3\x9f \xe2\x9c\x93", "gr\xc3\xbc\xc3\x9f \xe2\x9c\x93"); /* kept */
}

static void invalid_utf8_is_shown(void **state)
{
    (void)state;
    assert_text("a\xff<b", "a\\xff&lt;b");
    assert_text("\xc3", "\\xc3");                   /* truncated sequence */
    assert_text("\xed\xa0\x80", "\\xed\\xa0\\x80"); /* a surrogate */
    assert_attr("\xc0\xbc\"", "\\xc0\\xbc&quot;");  /* overlong '<' */
}

static void pre_keeps_lines(void **state)
{
    (void)state;
    struct al_buf b = AL_BUF_INIT;
    const char dot[] = "digraph {\n\t\"a<b>\" -> \"c\";\r\n}\n";
    al_html_pre(&b, dot, strlen(dot));
    assert_string_equal(al_buf_cstr(&b),
                        "digraph {\n\t&quot;a&lt;b&gt;&quot; -&gt; &quot;c&quot;;\\x0d\n}\n");
    al_buf_free(&b);
}

static void attributes_are_quoted_and_escaped(void **state)
{
    (void)state;
    assert_attr("\" onmouseover=\"alert(1)", "&quot; onmouseover=&quot;alert(1)");
    assert_attr("a'b<c>&", "a&#39;b&lt;c&gt;&amp;");
    assert_attr("line\nbreak\ttab", "line&#10;break&#9;tab");
    struct al_buf b = AL_BUF_INIT;
    al_html_open(&b, "td", "class", "x\" onclick=\"y", "title", "<t>", NULL);
    assert_string_equal(al_buf_cstr(&b),
                        "<td class=\"x&quot; onclick=&quot;y\" title=\"&lt;t&gt;\">");
    al_buf_free(&b);
}

static void unsafe_attributes_are_dropped(void **state)
{
    (void)state;
    struct al_buf b = AL_BUF_INIT;
    al_html_open(&b, "a", "onclick", "x", "ONLOAD", "x", "onerror", "x", "style", "color:red",
                 "href", "javascript:alert(1)", "x y", "1", "id", NULL, "class", "ok", NULL);
    assert_string_equal(al_buf_cstr(&b), "<a class=\"ok\">");
    al_buf_clear(&b);
    /* URLs: fragments and base64 images only. */
    al_html_open(&b, "a", "href", "#agent-1", NULL);
    al_html_open(&b, "a", "href", "JavaScript:alert(1)", NULL);
    al_html_open(&b, "a", "href", "#x\"y", NULL);
    al_html_open(&b, "a", "href", "https://example.com/", NULL);
    al_html_open(&b, "img", "src", "data:text/html;base64,PHNjcmlwdD4=", NULL);
    al_html_open(&b, "img", "src", "data:image/svg+xml;base64,PHN2Zz4=", NULL);
    al_html_open(&b, "img", "src", "data:image/svg+xml;base64,<svg onload=x>", NULL);
    assert_string_equal(al_buf_cstr(&b), "<a href=\"#agent-1\"><a><a><a><img>"
                                         "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\"><img>");
    al_buf_free(&b);
}

static void unsafe_elements_become_span(void **state)
{
    (void)state;
    struct al_buf b = AL_BUF_INIT;
    al_html_elem(&b, "script", "alert(1)", NULL);
    al_html_elem(&b, "iframe", NULL, NULL);
    al_html_elem(&b, "svg", NULL, NULL);
    al_html_elem(&b, "style", "*{}", NULL);
    al_html_elem(&b, "td><script", "x", NULL);
    al_html_elem(&b, "Script", "x", NULL);
    al_html_elem(&b, "code", "<b>", "class", "k", NULL);
    assert_string_equal(al_buf_cstr(&b),
                        "<span>alert(1)</span><span></span><span></span><span>*{}</span>"
                        "<span>x</span><span>x</span><code class=\"k\">&lt;b&gt;</code>");
    al_buf_free(&b);
}

static void images_are_base64_data_uris(void **state)
{
    (void)state;
    struct al_buf b = AL_BUF_INIT;
    const char svg[] = "<svg><script>alert(1)</script></svg>";
    al_html_data_img(&b, "image/svg+xml", svg, strlen(svg), "graph \"x\"", "class", "g", NULL);
    const char *s = al_buf_cstr(&b);
    assert_non_null(strstr(s, "<img src=\"data:image/svg+xml;base64,PHN2Zz48c2NyaXB0P"));
    assert_non_null(strstr(s, "alt=\"graph &quot;x&quot;\" class=\"g\">"));
    assert_null(strstr(s, "<script"));
    al_buf_clear(&b);
    al_html_data_img(&b, "text/html", svg, strlen(svg), "alt", NULL);
    assert_string_equal(al_buf_cstr(&b), "<span>alt</span>");
    al_buf_free(&b);
}

static void base64_pads(void **state)
{
    (void)state;
    const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\xfd"};
    const char *want[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy", "//79"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        struct al_buf b = AL_BUF_INIT;
        al_base64(&b, in[i], strlen(in[i]));
        assert_string_equal(al_buf_cstr(&b), want[i]);
        al_buf_free(&b);
    }
}

/* ---- graphviz ---- */

static void graphviz_renders_svg(void **state)
{
    (void)state;
    struct al_buf svg = AL_BUF_INIT;
    const char dot[] = "digraph { \"<script>\" -> b; }\n";
    assert_int_equal(al_graphviz_svg(dot, strlen(dot), 20000, 1 << 20, &svg), 0);
    assert_non_null(strstr(al_buf_cstr(&svg), "<svg"));
    assert_null(strstr(al_buf_cstr(&svg), "<script>")); /* dot escapes its labels */
    al_buf_free(&svg);
}

static void graphviz_reports_failures(void **state)
{
    (void)state;
    struct al_buf svg = AL_BUF_INIT;
    const char bad[] = "digraph { -> }\n";
    assert_true(al_graphviz_svg(bad, strlen(bad), 20000, 1 << 20, &svg) < 0);
    assert_non_null(strstr(al_error_last(), "dot failed"));
    assert_int_equal(svg.len, 0);
    /* A big graph and a tiny limit: the child is stopped, nothing kept. */
    struct al_buf big = AL_BUF_INIT;
    al_buf_puts(&big, "digraph {\n");
    for (int i = 0; i < 200; i++)
        al_buf_printf(&big, "  n%d -> n%d;\n", i, i + 1);
    al_buf_puts(&big, "}\n");
    assert_true(al_graphviz_svg(big.ptr, big.len, 20000, 64, &svg) < 0);
    assert_non_null(strstr(al_error_last(), "larger than 64 bytes"));
    assert_int_equal(svg.len, 0);
    /* Out of time: killed and reaped (dot cannot even start in 1 ms). */
    assert_true(al_graphviz_svg(big.ptr, big.len, 1, 1 << 20, &svg) < 0);
    assert_non_null(strstr(al_error_last(), "did not finish"));
    assert_int_equal(svg.len, 0);
    al_buf_free(&big);
    /* No dot on PATH. */
    char *path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
    setenv("PATH", "/nonexistent", 1);
    assert_true(al_graphviz_svg(bad, strlen(bad), 20000, 1 << 20, &svg) < 0);
    assert_non_null(strstr(al_error_last(), "not installed"));
    if (path)
        setenv("PATH", path, 1);
    free(path);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN); /* as main does: dot may stop reading */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_escapes_markup),
        cmocka_unit_test(text_shows_what_would_hide),
        cmocka_unit_test(invalid_utf8_is_shown),
        cmocka_unit_test(pre_keeps_lines),
        cmocka_unit_test(attributes_are_quoted_and_escaped),
        cmocka_unit_test(unsafe_attributes_are_dropped),
        cmocka_unit_test(unsafe_elements_become_span),
        cmocka_unit_test(images_are_base64_data_uris),
        cmocka_unit_test(base64_pads),
        cmocka_unit_test(graphviz_renders_svg),
        cmocka_unit_test(graphviz_reports_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
