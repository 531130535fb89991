/* Shared machinery of the renderers: the XML escaper junit relies on, the
 * fingerprints Code Quality and SARIF share (stable when lines move, unique
 * within a report), and URI references for SARIF. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "cli/render.h"

static char *xml(const char *s, size_t n, bool attribute)
{
    struct al_buf b = AL_BUF_INIT;
    al_render_xml_escape(&b, s, n, attribute);
    return al_buf_detach(&b);
}

static void assert_xml(const char *in, bool attribute, const char *want)
{
    char *got = xml(in, strlen(in), attribute);
    assert_string_equal(got, want);
    free(got);
}

static void xml_escapes_markup(void **state)
{
    (void)state;
    assert_xml("</failure><script>", false, "&lt;/failure&gt;&lt;script&gt;");
    assert_xml("a & b \"q\" 'q' `x`", false, "a &amp; b &quot;q&quot; &apos;q&apos; `x`");
    assert_xml("]]>", false, "]]&gt;");
    assert_xml("&amp;", true, "&amp;amp;");
    assert_xml("", true, "");
}

static void xml_keeps_whitespace_through_normalisation(void **state)
{
    (void)state;
    /* Text keeps newlines and tabs; attributes would turn them into spaces. */
    assert_xml("a\nb\tc", false, "a\nb\tc");
    assert_xml("a\nb\tc", true, "a&#10;b&#9;c");
    /* A parser turns a raw CR into LF, in text too. */
    assert_xml("a\r\nb", false, "a&#13;\nb");
    assert_xml("a\rb", true, "a&#13;b");
}

static void xml_replaces_characters_xml_forbids(void **state)
{
    (void)state;
    assert_xml("a\x01z", false, "a\\x01z");
    assert_xml("\x1b[31m", true, "\\x1b[31m");
    assert_xml("\x0b\x0c\x1f", false, "\\x0b\\x0c\\x1f");
    char *got = xml("a\0b", 3, false); /* an embedded NUL */
    assert_string_equal(got, "a\\x00b");
    free(got);
    /* Noncharacters U+FFFE and U+FFFF are not XML 1.0 characters either. */
    assert_xml("x\xEF\xBF\xBEy\xEF\xBF\xBF", false, "x\\uFFFEy\\uFFFF");
    /* Invalid UTF-8 (a lone continuation byte, a truncated sequence, an
     * encoded surrogate) becomes U+FFFD, one per bad byte. */
    assert_xml("a\x80z", false, "a\xEF\xBF\xBDz");
    assert_xml("a\xC3", false, "a\xEF\xBF\xBD");
    assert_xml("\xED\xA0\x80", false, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

static void xml_passes_other_characters(void **state)
{
    (void)state;
    assert_xml("caf\xC3\xA9 \xF0\x9F\x9A\x80 \x7f \xEF\xBF\xBD", false,
               "caf\xC3\xA9 \xF0\x9F\x9A\x80 \x7f \xEF\xBF\xBD");
}

/* ---- fingerprints ---- */

static struct al_finding *add(struct al_findings *fs, const char *rule, const char *path,
                              uint32_t line, const char *key_path, const char *value)
{
    struct al_ypos pos = {line, 3};
    struct al_finding *f = al_findings_add(fs, rule, path, pos, "message at line %u", line);
    if (key_path)
        al_finding_set_key_path(f, key_path);
    if (value)
        al_finding_set_value(f, value);
    return f;
}

static struct al_fingerprint fp_of(const struct al_finding *f)
{
    struct al_fingerprint fp;
    al_finding_fingerprint(f, 0, &fp);
    return fp;
}

#define CFG ".gitlab/agents/prod/config.yaml"

static void fingerprint_is_32_hex_digits(void **state)
{
    (void)state;
    struct al_findings fs = {0};
    struct al_fingerprint fp = fp_of(add(&fs, "unknown-key", CFG, 2, "ci_access.project", NULL));
    assert_int_equal(strlen(fp.hex), AL_FINGERPRINT_LEN);
    assert_int_equal(strspn(fp.hex, "0123456789abcdef"), AL_FINGERPRINT_LEN);
    al_findings_free(&fs);
}

static void fingerprint_ignores_line_column_message_severity(void **state)
{
    (void)state;
    struct al_findings fs = {0};
    add(&fs, "type-mismatch", CFG, 3, "ci_access.projects[0].id", "123");
    struct al_finding *moved =
        add(&fs, "type-mismatch", CFG, 40, "ci_access.projects[0].id", "123");
    moved->col = 17;
    al_finding_set_severity(moved, AL_SEV_WARNING);
    struct al_fingerprint a = fp_of(&fs.items[0]), b = fp_of(&fs.items[1]);
    assert_string_equal(a.hex, b.hex);
    assert_string_not_equal(fs.items[0].message, fs.items[1].message);
    al_findings_free(&fs);
}

static void fingerprint_ignores_list_indices(void **state)
{
    (void)state;
    /* An entry inserted above shifts the index, not the finding. */
    struct al_findings fs = {0};
    add(&fs, "type-mismatch", CFG, 3, "ci_access.projects[0].id", "123");
    add(&fs, "type-mismatch", CFG, 9, "ci_access.projects[12].id", "123");
    assert_string_equal(fp_of(&fs.items[0]).hex, fp_of(&fs.items[1]).hex);
    al_findings_free(&fs);
}

static void fingerprint_depends_on_what_the_finding_is(void **state)
{
    (void)state;
    struct al_findings fs = {0};
    add(&fs, "type-mismatch", CFG, 3, "ci_access.projects[0].id", "123");
    add(&fs, "required", CFG, 3, "ci_access.projects[0].id", "123"); /* rule */
    add(&fs, "type-mismatch", ".gitlab/agents/dev/config.yaml", 3,   /* path */
        "ci_access.projects[0].id", "123");
    add(&fs, "type-mismatch", CFG, 3, "ci_access.groups[0].id", "123");   /* key path */
    add(&fs, "type-mismatch", CFG, 3, "ci_access.projects[0].id", "124"); /* value */
    add(&fs, "type-mismatch", CFG, 3, "ci_access.projects[0].id", NULL);  /* no value */
    add(&fs, "type-mismatch", CFG, 3, "ci_access.projects[0].id", "");    /* empty value */
    add(&fs, "type-mismatch", CFG, 3, NULL, "123");                       /* no key path */
    add(&fs, "type-mismatch", CFG, 3, "ci_access.projects[0].id1", "23"); /* boundary */
    add(&fs, "type-mismatch", CFG, 3, "ci_access.projects[x].id", "123"); /* not an index */
    for (size_t i = 0; i < fs.n; i++)
        for (size_t j = i + 1; j < fs.n; j++) {
            struct al_fingerprint a = fp_of(&fs.items[i]), b = fp_of(&fs.items[j]);
            if (strcmp(a.hex, b.hex) == 0)
                fail_msg("findings %zu and %zu share fingerprint %s", i, j, a.hex);
        }
    al_findings_free(&fs);
}

static void fingerprints_are_unique_within_a_report(void **state)
{
    (void)state;
    struct al_findings fs = {0};
    add(&fs, "yaml-syntax", CFG, 2, NULL, NULL);
    add(&fs, "duplicate-id", CFG, 5, "ci_access.projects[1].id", "grp/app");
    add(&fs, "yaml-syntax", CFG, 7, NULL, NULL);
    add(&fs, "duplicate-id", CFG, 9, "ci_access.projects[3].id", "grp/app");
    add(&fs, "yaml-syntax", CFG, 8, NULL, NULL);
    struct al_fingerprint *fps = al_findings_fingerprints(&fs);
    for (size_t i = 0; i < fs.n; i++)
        for (size_t j = i + 1; j < fs.n; j++)
            assert_string_not_equal(fps[i].hex, fps[j].hex);
    /* The first of equal findings keeps its own fingerprint; the others are
     * numbered in list order. */
    assert_string_equal(fps[0].hex, fp_of(&fs.items[0]).hex);
    assert_string_equal(fps[1].hex, fp_of(&fs.items[1]).hex);
    struct al_fingerprint second, third;
    al_finding_fingerprint(&fs.items[2], 1, &second);
    al_finding_fingerprint(&fs.items[4], 2, &third);
    assert_string_equal(fps[2].hex, second.hex);
    assert_string_equal(fps[4].hex, third.hex);
    free(fps);
    al_findings_free(&fs);
}

static void fingerprints_survive_moved_lines_and_new_findings(void **state)
{
    (void)state;
    struct al_findings base = {0}, head = {0};
    add(&base, "unknown-key", CFG, 2, "ci_access.project", NULL);
    add(&base, "yaml-syntax", CFG, 4, NULL, NULL);
    /* Head: blank lines above, and a second yaml-syntax finding after. */
    add(&head, "unknown-key", CFG, 5, "ci_access.project", NULL);
    add(&head, "yaml-syntax", CFG, 7, NULL, NULL);
    add(&head, "yaml-syntax", CFG, 9, NULL, NULL);
    struct al_fingerprint *b = al_findings_fingerprints(&base),
                          *h = al_findings_fingerprints(&head);
    assert_string_equal(b[0].hex, h[0].hex);
    assert_string_equal(b[1].hex, h[1].hex);
    assert_string_not_equal(h[2].hex, b[1].hex);
    free(b);
    free(h);
    al_findings_free(&base);
    al_findings_free(&head);
}

static void fingerprints_of_an_empty_report(void **state)
{
    (void)state;
    struct al_findings fs = {0};
    struct al_fingerprint *fps = al_findings_fingerprints(&fs);
    assert_non_null(fps);
    free(fps);
}

/* ---- URIs ---- */

static void assert_uri(const char *path, const char *want)
{
    struct al_buf b = AL_BUF_INIT;
    al_render_uri_path(&b, path);
    assert_string_equal(al_buf_cstr(&b), want);
    al_buf_free(&b);
}

static void uri_paths_are_percent_encoded(void **state)
{
    (void)state;
    assert_uri(".gitlab/agents/prod/config.yaml", ".gitlab/agents/prod/config.yaml");
    assert_uri("a b/100%/c#d?e", "a%20b/100%25/c%23d%3Fe");
    /* A colon in the first segment would read as a scheme. */
    assert_uri("c:/x", "c%3A/x");
    assert_uri("caf\xC3\xA9/~_-.", "caf%C3%A9/~_-.");
    assert_uri("a\nb\"<>", "a%0Ab%22%3C%3E");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xml_escapes_markup),
        cmocka_unit_test(xml_keeps_whitespace_through_normalisation),
        cmocka_unit_test(xml_replaces_characters_xml_forbids),
        cmocka_unit_test(xml_passes_other_characters),
        cmocka_unit_test(fingerprint_is_32_hex_digits),
        cmocka_unit_test(fingerprint_ignores_line_column_message_severity),
        cmocka_unit_test(fingerprint_ignores_list_indices),
        cmocka_unit_test(fingerprint_depends_on_what_the_finding_is),
        cmocka_unit_test(fingerprints_are_unique_within_a_report),
        cmocka_unit_test(fingerprints_survive_moved_lines_and_new_findings),
        cmocka_unit_test(fingerprints_of_an_empty_report),
        cmocka_unit_test(uri_paths_are_percent_encoded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
