/* The ignore globs of .agentlint.yaml: the same answers as the backtracking
 * matcher they replace, in linear time on hostile patterns. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "checks/settings.h"

/* The former backtracking matcher: the reference for the answers. */
static bool reference(const char *pat, const char *path)
{
    for (; *pat; pat++, path++) {
        if (pat[0] == '*' && pat[1] == '*') {
            pat += 2;
            if (*pat == '/')
                pat++;
            for (const char *p = path;; p++) {
                if (reference(pat, p))
                    return true;
                if (!*p)
                    return false;
            }
        }
        if (*pat == '*') {
            for (const char *p = path;; p++) {
                if (reference(pat + 1, p))
                    return true;
                if (!*p || *p == '/')
                    return false;
            }
        }
        if (!*path)
            return false;
        if (*pat == '?') {
            if (*path == '/')
                return false;
            continue;
        }
        if (*pat != *path)
            return false;
    }
    return *path == '\0';
}

static void examples(void **state)
{
    (void)state;
    assert_true(al_glob_match(".gitlab/agents/*/config.yaml", ".gitlab/agents/a/config.yaml"));
    assert_false(al_glob_match(".gitlab/agents/*/config.yaml", ".gitlab/agents/a/b/config.yaml"));
    assert_true(al_glob_match("**/config.yaml", ".gitlab/agents/a/b/config.yaml"));
    assert_true(al_glob_match("**/config.yaml", "config.yaml"));
    assert_true(al_glob_match(".gitlab/**", ".gitlab/agents/x"));
    assert_true(al_glob_match("a?c", "abc"));
    assert_false(al_glob_match("a?c", "a/c"));
    assert_false(al_glob_match("abc", "abcd"));
    assert_true(al_glob_match("", ""));
    assert_false(al_glob_match("", "a"));
}

static void same_answers_as_the_reference(void **state)
{
    (void)state;
    static const char alphabet[] = "ab/*?";
    unsigned long seed = 12345;
    char pat[10], path[10];
    for (int round = 0; round < 300000; round++) {
        size_t np = (size_t)(round % 9), ns = (size_t)((round / 9) % 9);
        for (size_t i = 0; i < np; i++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            pat[i] = alphabet[(seed >> 33) % 5];
        }
        for (size_t i = 0; i < ns; i++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            path[i] = alphabet[(seed >> 33) % 3]; /* paths have no wildcards */
        }
        pat[np] = path[ns] = '\0';
        if (al_glob_match(pat, path) != reference(pat, path))
            fail_msg("glob \"%s\" on \"%s\": %d, the reference says %d", pat, path,
                     al_glob_match(pat, path), reference(pat, path));
    }
}

static void hostile_patterns_are_fast(void **state)
{
    (void)state;
    char path[128], pat[256];
    snprintf(path, sizeof path, ".gitlab/agents/%s/config.yaml",
             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    snprintf(pat, sizeof pat, ".gitlab/agents/%sb/config.yaml", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a");
    clock_t t0 = clock();
    assert_false(al_glob_match(pat, path));
    assert_false(al_glob_match("**a**a**a**a**a**a**a**a**a**a**a**a**a**ab", path));
    /* The backtracking matcher took minutes on each of these. */
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(examples),
        cmocka_unit_test(same_answers_as_the_reference),
        cmocka_unit_test(hostile_patterns_are_fast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
