/* al_findings_cap (issue 9, item 9): the first N findings of a rule in a file
 * stay, the rest become one finding of that rule that says how many. */
#include "testutil.h"

#include <string.h>

#include "checks/finding.h"

static void add(struct al_findings *fs, const char *rule, const char *path, uint32_t line,
                enum al_severity sev)
{
    struct al_ypos pos = {line, 1};
    struct al_finding *f = al_findings_add(fs, rule, path, pos, "finding at %u", line);
    al_finding_set_severity(f, sev);
    al_finding_set_agent(f, "a");
}

static size_t count(const struct al_findings *fs, const char *rule, const char *path)
{
    size_t n = 0;
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->items[i].rule, rule) == 0 && strcmp(fs->items[i].path, path) == 0)
            n++;
    return n;
}

static const struct al_finding *summary(const struct al_findings *fs, const char *rule,
                                        const char *path)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->items[i].rule, rule) == 0 && strcmp(fs->items[i].path, path) == 0 &&
            fs->items[i].value && strcmp(fs->items[i].value, AL_FINDING_MORE) == 0)
            return &fs->items[i];
    return NULL;
}

static void per_rule_and_per_file(void **state)
{
    (void)state;
    struct al_findings fs = {0};
    /* Interleaved lines and rules, two files, added out of order. */
    for (uint32_t i = 60; i-- > 0;) {
        add(&fs, "unknown-key", "b.yaml", i + 1, i == 57 ? AL_SEV_ERROR : AL_SEV_WARNING);
        add(&fs, "unknown-key", "a.yaml", i + 1, AL_SEV_ERROR);
        if (i < 4)
            add(&fs, "duplicate-key", "a.yaml", i + 1, AL_SEV_ERROR);
    }
    al_findings_cap(&fs, 5);
    assert_int_equal(count(&fs, "unknown-key", "a.yaml"), 6);
    assert_int_equal(count(&fs, "unknown-key", "b.yaml"), 6);
    assert_int_equal(count(&fs, "duplicate-key", "a.yaml"), 4); /* under the cap */
    assert_null(summary(&fs, "duplicate-key", "a.yaml"));
    const struct al_finding *m = summary(&fs, "unknown-key", "b.yaml");
    assert_non_null(m);
    assert_int_equal(m->line, 6); /* the first one left out, in file order */
    assert_non_null(strstr(m->message, "55 more unknown-key findings"));
    assert_int_equal(m->severity, AL_SEV_ERROR); /* the worst it stands for */
    assert_string_equal(m->agent, "a");
    assert_null(m->key_path);
    /* The kept ones are the first five lines, and the list stays sorted. */
    for (size_t i = 1; i < fs.n; i++) {
        int c = strcmp(fs.items[i - 1].path, fs.items[i].path);
        assert_true(c < 0 || (c == 0 && fs.items[i - 1].line <= fs.items[i].line));
    }
    for (size_t i = 0; i < fs.n; i++)
        if (strcmp(fs.items[i].rule, "unknown-key") == 0 && !fs.items[i].value)
            assert_true(fs.items[i].line <= 5);
    al_findings_free(&fs);
}

static void the_count_is_singular_at_one_and_zero_keeps_all(void **state)
{
    (void)state;
    struct al_findings fs = {0};
    for (uint32_t i = 0; i < 4; i++)
        add(&fs, "id-format", "c.yaml", i + 1, AL_SEV_WARNING);
    al_findings_cap(&fs, 0);
    assert_int_equal(fs.n, 4);
    al_findings_cap(&fs, 4);
    assert_int_equal(fs.n, 4);
    al_findings_cap(&fs, 3);
    assert_int_equal(fs.n, 4);
    const struct al_finding *m = summary(&fs, "id-format", "c.yaml");
    assert_non_null(m);
    assert_non_null(strstr(m->message, "1 more id-format finding in this file is not shown"));
    assert_int_equal(m->severity, AL_SEV_WARNING);
    al_findings_free(&fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(per_rule_and_per_file),
        cmocka_unit_test(the_count_is_singular_at_one_and_zero_keeps_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
