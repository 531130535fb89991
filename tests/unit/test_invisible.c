/* invisible-character: fixtures that fire it (one per class of character
 * and per place it can hide) and near misses that must not. */
#include "checkutil.h"

static void fires(const char *yaml, unsigned line, const char *key_path, const char *names)
{
    struct run r;
    run_yaml(&r, yaml);
    run_check(&r);
    const struct al_finding *f = find_rule(&r, "invisible-character", line);
    assert_int_equal(f->severity, AL_SEV_ERROR);
    if (key_path)
        assert_string_equal(f->key_path, key_path);
    if (!contains(f->message, names)) {
        fprintf(stderr, "message: %s\nwanted: %s\n", f->message, names);
        fail();
    }
    run_free(&r);
}

static void silent(const char *yaml)
{
    struct run r;
    run_yaml(&r, yaml);
    run_check(&r);
    if (count_rule(&r, "invisible-character")) {
        fprintf(stderr, "unexpected: %s\n", find_rule(&r, "invisible-character", 0)->message);
        fail();
    }
    run_free(&r);
}

static void ids_environments_and_identities(void **state)
{
    (void)state;
    fires("ci_access:\n  projects:\n    - id: acme/w\xe2\x80\x8b"
          "eb\n",
          3, "ci_access.projects[0].id", "U+200B ZERO WIDTH SPACE (invisible character)");
    fires("ci_access:\n  groups:\n    - id: \"acme/\xe2\x80\xaetsil\"\n", 3,
          "ci_access.groups[0].id", "U+202E RIGHT-TO-LEFT OVERRIDE (bidirectional control)");
    fires("ci_access:\n  projects:\n    - id: acme/web\n      environments: [\"prod\\u2028\"]\n", 4,
          "ci_access.projects[0].environments[0]", "U+2028 LINE SEPARATOR");
    fires("ci_access:\n  projects:\n    - id: acme/web\n      access_as:\n        impersonate:\n"
          "          username: \"deploy\\u2060er\"\n          groups: [ops]\n",
          6, "ci_access.projects[0].access_as.impersonate.username", "U+2060 WORD JOINER");
    fires("ci_access:\n  projects:\n    - id: acme/web\n      access_as:\n        impersonate:\n"
          "          username: deployer\n          groups: [\"ops\\x1b[8m\"]\n",
          7, "ci_access.projects[0].access_as.impersonate.groups[0]", "U+001B");
    fires("ci_access:\n  projects:\n    - id: acme/web\n      default_namespace: \"a\\u0085\"\n", 4,
          NULL, "U+0085 NEXT LINE (control character)");
    fires("ci_access:\n  projects:\n    - id: \"acme/\\ufeffweb\"\n", 3, NULL,
          "U+FEFF ZERO WIDTH NO-BREAK SPACE");
    fires("ci_access:\n  projects:\n    - id: \"acme/web\\u061c\\u200e\\u2066\"\n", 3, NULL,
          "U+061C ARABIC LETTER MARK (bidirectional control), U+200E LEFT-TO-RIGHT MARK "
          "(bidirectional control), U+2066 LEFT-TO-RIGHT ISOLATE");
}

static void keys_and_comments(void **state)
{
    (void)state;
    /* A key: also an unknown key, but only this rule says why it looks known. */
    fires("ci_\xe2\x80\x8d"
          "access:\n  projects: []\n",
          1, NULL, "key \"ci_");
    /* A comment can reorder the lines a reviewer reads around it. */
    fires("ci_access:\n  projects:\n    - id: acme/web # \xe2\x81\xa7 ok\n", 3, NULL,
          "outside any key or value");
    fires("# \xe2\x80\xae header\nci_access: {}\n", 1, NULL, "U+202E");
}

static void names_at_most_four_then_counts(void **state)
{
    (void)state;
    fires("ci_access:\n  projects:\n    - id: \"\\u200b\\u200c\\u200d\\u2060\\u2061\\u2062\"\n", 3,
          NULL, "and 2 more");
}

static void agent_directory_name(void **state)
{
    (void)state;
    struct run r;
    run_init(&r, AL_SRC_FILES);
    run_file(&r,
             ".gitlab/agents/pro\xe2\x80\x8b"
             "d/config.yaml",
             "ci_access: {}\n");
    run_check(&r);
    const struct al_finding *f = find_rule(&r, "invisible-character", 0);
    assert_true(contains(f->message, "agent name"));
    assert_true(contains(f->message, "U+200B"));
    run_free(&r);
}

static void near_misses(void **state)
{
    (void)state;
    silent("ci_access:\n  projects:\n    - id: acme/m\xc3\xbcnchen\n" /* ü */
           "      environments: [\"rocket-\xf0\x9f\x9a\x80\", \"\xe2\x9d\xa4\xef\xb8\x8f\"]\n"
           "      default_namespace: \xe6\x97\xa5\xe6\x9c\xac\n"       /* Japanese */
           "# a comment in \xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa\n" /* Hebrew */
           "# tab\there, nbsp\xc2\xa0here\n");
    /* A byte-order mark that starts the file is the encoding's, not a value's. */
    silent("\xef\xbb\xbf"
           "ci_access:\n  projects:\n    - id: acme/web\n");
    /* CRLF line ends. */
    silent("ci_access:\r\n  projects:\r\n    - id: acme/web\r\n");
    silent("observability:\n  logging:\n    level: info\n# \\u202e written as text\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ids_environments_and_identities),
        cmocka_unit_test(keys_and_comments),
        cmocka_unit_test(names_at_most_four_then_counts),
        cmocka_unit_test(agent_directory_name),
        cmocka_unit_test(near_misses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
