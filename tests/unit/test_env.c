/* access/env.h beyond GitLab's own vectors: the edges of both matchers,
 * slugs of unusual names, tier names. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "access/env.h"

static void blank_patterns_never_match(void **state)
{
    (void)state;
    for (int m = AL_ENV_ANCHORED; m <= AL_ENV_LEGACY; m++) {
        assert_int_equal(al_env_match(m, NULL, "x"), AL_ENV_NO);
        assert_int_equal(al_env_match(m, "", ""), AL_ENV_NO);
        assert_int_equal(al_env_match(m, "  ", "  "), AL_ENV_NO); /* Rails' blank? */
        assert_int_equal(al_env_match(m, "prod", NULL), AL_ENV_NO);
    }
}

static void anchored_is_literal_but_star(void **state)
{
    (void)state;
    const enum al_env_matching A = AL_ENV_ANCHORED;
    assert_int_equal(al_env_match(A, "prod.internal*", "prod.internal-1"), AL_ENV_YES);
    assert_int_equal(al_env_match(A, "prod.internal*", "prodXinternal-1"), AL_ENV_NO);
    assert_int_equal(al_env_match(A, "a$*", "a$b"), AL_ENV_YES);
    assert_int_equal(al_env_match(A, "*a*b*c*", "xxaxxbxxcxx"), AL_ENV_YES);
    assert_int_equal(al_env_match(A, "*a*b*c*", "xxaxxcxxbxx"), AL_ENV_NO);
    assert_int_equal(al_env_match(A, "**", ""), AL_ENV_YES);
    assert_int_equal(al_env_match(A, "a*", "a\nb"), AL_ENV_NO);
    assert_int_equal(al_env_match(A, "a\n*", "a\nb"), AL_ENV_YES);       /* a literal newline */
    assert_int_equal(al_env_match(A, "Prod*", "production"), AL_ENV_NO); /* case-sensitive */
    /* Many stars cannot blow up. */
    char pat[201], name[2001];
    memset(pat, '*', 200);
    pat[199] = 'b';
    pat[200] = '\0';
    memset(name, 'a', 2000);
    name[2000] = '\0';
    assert_int_equal(al_env_match(A, pat, name), AL_ENV_NO);
}

static void legacy_is_an_unanchored_ruby_regex(void **state)
{
    (void)state;
    const enum al_env_matching L = AL_ENV_LEGACY;
    assert_int_equal(al_env_match(L, "prod*", "preprod-eu"), AL_ENV_YES);
    assert_int_equal(al_env_match(L, "^prod*", "preprod"), AL_ENV_NO);
    assert_int_equal(al_env_match(L, "^review*", "x\nreview/1"), AL_ENV_YES); /* line anchor */
    assert_int_equal(al_env_match(L, "a*$", "ab\nc"), AL_ENV_YES);
    assert_int_equal(al_env_match(L, "prod", "preprod"), AL_ENV_NO); /* no '*': equality */
    assert_int_equal(al_env_match(L, "(a|b)*", "zzz"), AL_ENV_NO);   /* (a|b).* needs a or b */
    assert_int_equal(al_env_match(L, "(a|b)*", "zbz"), AL_ENV_YES);
    assert_int_equal(al_env_match(L, "x(*", "x("), AL_ENV_ERROR);
    char *why = al_env_legacy_error("prod[*");
    assert_non_null(why);
    assert_non_null(strstr(why, "/prod[.*/"));
    free(why);
    assert_null(al_env_legacy_error("review/*"));
}

static void any_stops_at_the_first_answer(void **state)
{
    (void)state;
    const char *pats[] = {"staging", "prod[*", "prod*"};
    size_t which;
    /* Ruby's any? raises on the second pattern before it reaches the third. */
    assert_int_equal(al_env_match_any(AL_ENV_LEGACY, pats, 3, "production", &which), AL_ENV_ERROR);
    assert_int_equal(which, 1);
    assert_int_equal(al_env_match_any(AL_ENV_ANCHORED, pats, 3, "production", &which), AL_ENV_YES);
    assert_int_equal(which, 2);
    assert_int_equal(al_env_match_any(AL_ENV_ANCHORED, pats, 3, "dev", &which), AL_ENV_NO);
    assert_int_equal(which, 3);
}

static void slugs_of_unusual_names(void **state)
{
    (void)state;
    char *s = al_env_slug("Ünïcode/ÄÖ");
    assert_true(al_env_slug_valid(s));
    /* one '-' per character (not per byte), squeezed, then the suffix */
    assert_int_equal(strncmp(s, "env-n-code-", 11), 0);
    assert_int_equal(strlen(s), 17);
    free(s);
    s = al_env_slug("a-very-long-environment-name-indeed");
    assert_int_equal(strlen(s), AL_ENV_SLUG_MAX);
    free(s);
    s = al_env_slug_with_digest("X",
                                "0000000000000000000000000000000000000000000000000000000000000f");
    assert_string_equal(s, "x-f"); /* a small number: base 36 without padding */
    free(s);
    assert_false(al_env_slug_valid("Prod"));
    assert_false(al_env_slug_valid("prod-"));
    assert_false(al_env_slug_valid("1prod"));
    assert_false(al_env_slug_valid("abcdefghijklmnopqrstuvwxy"));
}

static void tiers(void **state)
{
    (void)state;
    assert_int_equal(al_env_tier_guess("Production"), AL_TIER_PRODUCTION);
    assert_int_equal(al_env_tier_guess("preprod"), AL_TIER_STAGING); /* pre before prod */
    assert_int_equal(al_env_tier_guess("canary"), AL_TIER_OTHER);
    assert_int_equal(al_env_tier_guess(NULL), AL_TIER_OTHER);
    assert_string_equal(al_env_tier_name(AL_TIER_TESTING), "testing");
    assert_int_equal(al_env_tier_parse("development"), AL_TIER_DEVELOPMENT);
    assert_int_equal(al_env_tier_parse("Production"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blank_patterns_never_match),
        cmocka_unit_test(anchored_is_literal_but_star),
        cmocka_unit_test(legacy_is_an_unanchored_ruby_regex),
        cmocka_unit_test(any_stops_at_the_first_answer),
        cmocka_unit_test(slugs_of_unusual_names),
        cmocka_unit_test(tiers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
