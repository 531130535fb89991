/* The Markdown writer (cli/markdown.h): plain words stay plain, anything
 * that GitLab could read as a mention, reference, markup, entity, link or
 * table cell is a code span with a long enough fence, and the invariant of
 * fuzz/md_invariant.h holds on hostile values. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "cli/markdown.h"
#include "fuzz/md_invariant.h"

static char *md(const char *s, bool cell)
{
    struct al_buf b = AL_BUF_INIT;
    if (cell)
        al_md_escape_cell(&b, s);
    else
        al_md_escape(&b, s);
    const char *broken = md_invariant(al_buf_cstr(&b), b.len, cell);
    if (broken)
        fail_msg("%s in \"%s\" (from \"%s\")", broken, al_buf_cstr(&b), s);
    return al_buf_detach(&b);
}

static void assert_md(const char *in, bool cell, const char *want)
{
    char *got = md(in, cell);
    assert_string_equal(got, want);
    free(got);
}

static void plain_words_stay_readable(void **state)
{
    (void)state;
    assert_md(".gitlab/agents/prod/config.yaml", false, ".gitlab/agents/prod/config.yaml");
    assert_md("group acme, project acme/web (production)", false,
              "group acme, project acme/web (production)");
    assert_md("Überprüfung für prod", false, "Überprüfung für prod");
}

static void mentions_and_references_are_code(void **state)
{
    (void)state;
    assert_md("ci_access", false, "`ci_access`");
    assert_md("ping @all now", false, "ping `@all` now");
    /* Decoded before GitLab looks for mentions, so no escape for it. */
    assert_md("&#64;all", false, "`&#64;all`");
    assert_md("#1 !2 ~l %m $s &e", false, "`#1` `!2` `~l` `%m` `$s` `&e`");
    assert_md("<img src=x>", false, "`<img` `src=x>`");
    assert_md("[x](javascript:y)", false, "`[x](javascript:y)`");
    assert_md("see https://evil.example/", false, "see `https://evil.example/`");
    assert_md("www.evil.example", false, "`www.evil.example`");
}

static void fences_outgrow_backticks(void **state)
{
    (void)state;
    assert_md("a`b", false, "``a`b``");
    assert_md("x``y`", false, "``` x``y` ```");
    assert_md("`", false, "`` ` ``");
}

static void lines_cannot_break(void **state)
{
    (void)state;
    assert_md("a\nb", false, "`a\\nb`");
    assert_md("tab\there", false, "`tab\\there`");
    assert_md("rtl\xe2\x80\xaex", false, "`rtl\\xe2\\x80\\xaex`");
    assert_md("bad \xff byte", false, "bad \xef\xbf\xbd byte");
}

static void cells_escape_pipes_in_code(void **state)
{
    (void)state;
    assert_md("a|b", true, "`a\\|b`");
    assert_md("a|b", false, "`a|b`");
    /* A backslash before the pipe cannot eat the pipe's escape. */
    assert_md("a\\|b", true, "`a\\\\\\|b`");
    assert_md("-", true, "-");
}

static void cells_row(void **state)
{
    (void)state;
    const char *cells[] = {"prod", NULL, "x|y"};
    struct al_buf b = AL_BUF_INIT;
    al_md_cells(&b, cells, 3);
    assert_string_equal(al_buf_cstr(&b), "| prod | - | `x\\|y` |\n");
    al_buf_free(&b);
}

static void hostile_values_keep_the_invariant(void **state)
{
    (void)state;
    static const char *const hostile[] = {
        "@all",      "`@all`",  "``@all``",       "\\`@all",       "a\\\\|b",     "|||",
        "\\|\\|",    "x`|`y",   "&lt;script&gt;", "<!-- -->",      "*bold* _it_", "1. list",
        "# heading", "> quote", "http://a@b",     "@\xe2\x80\xae", "\\",          "`",
        "``",        "` `",     "a ` b",          "\x01\x02",
    };
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        free(md(hostile[i], false));
        free(md(hostile[i], true));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_words_stay_readable),
        cmocka_unit_test(mentions_and_references_are_code),
        cmocka_unit_test(fences_outgrow_backticks),
        cmocka_unit_test(lines_cannot_break),
        cmocka_unit_test(cells_escape_pipes_in_code),
        cmocka_unit_test(cells_row),
        cmocka_unit_test(hostile_values_keep_the_invariant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
