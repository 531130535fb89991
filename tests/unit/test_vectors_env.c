/* GitLab's environment vectors (env_match, env_slug, env_tier) run through
 * access/env.h, the code explain uses. */
#include "vectors.h"

#include <oniguruma.h>

#include "access/env.h"

static const char *result_name(enum al_env_result r)
{
    return r == AL_ENV_YES ? "match" : r == AL_ENV_NO ? "no match" : "error";
}

/* The older matcher's expectation: old_impl_result.value (a bool, or an
 * error description), else `match`. */
static enum al_env_result legacy_expectation(const struct al_ynode *c)
{
    const struct al_ynode *old = vec_get(vec_get(c, "old_impl_result"), "value");
    if (old && old->kind == AL_YSTR)
        return AL_ENV_ERROR;
    if (old && old->kind == AL_YBOOL)
        return old->v.b ? AL_ENV_YES : AL_ENV_NO;
    return vec_bool(c, "match") ? AL_ENV_YES : AL_ENV_NO;
}

static void env_match(void **state)
{
    (void)state;
    struct al_ydoc *doc = vec_load("env_match.yaml");
    struct vec_run r = {"env_match.yaml", 0, 0, 0};
    const struct al_ynode *cases = vec_get(doc->root, "cases");
    for (size_t i = 0; i < cases->n; i++) {
        const struct al_ynode *c = cases->items[i];
        const char *pattern = vec_str(c, "pattern");
        const char *env = vec_str(c, "environment");
        enum al_env_result want = vec_bool(c, "match") ? AL_ENV_YES : AL_ENV_NO;
        enum al_env_result got = al_env_match(AL_ENV_ANCHORED, pattern, env);
        enum al_env_result want_old = legacy_expectation(c);
        enum al_env_result got_old = al_env_match(AL_ENV_LEGACY, pattern, env);
        int before = r.failed;
        if (got != want)
            vec_fail(&r, c, vec_derived(c, NULL), "anchored: %s, expected %s", result_name(got),
                     result_name(want));
        if (got_old != want_old)
            vec_fail(&r, c, vec_derived(c, "old_impl_result"), "legacy: %s, expected %s",
                     result_name(got_old), result_name(want_old));
        r.passed += r.failed == before;
    }
    al_ydoc_free(doc);
    vec_done(&r);
}

static const char STUB_DIGEST[] =
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

static void slug_case(struct vec_run *r, const struct al_ynode *c)
{
    const char *name = vec_str(c, "name"); /* null: Ruby's nil */
    const char *want = vec_str(c, "expected_slug");
    const char *want_real = vec_str(vec_get(c, "derived_real_slug"), "value");
    int before = r->failed;
    char *got = al_env_slug_with_digest(name, STUB_DIGEST);
    if (!want || strcmp(got, want) != 0)
        vec_fail(r, c, vec_derived(c, NULL), "stubbed digest: \"%s\", expected \"%s\"", got,
                 want ? want : "?");
    char *real = al_env_slug(name);
    if (want_real && strcmp(real, want_real) != 0)
        vec_fail(r, c, vec_derived(c, "derived_real_slug"), "real SHA-256: \"%s\", expected \"%s\"",
                 real, want_real);
    if (!al_env_slug_valid(real))
        vec_fail(r, c, false, "\"%s\" is not a valid slug", real);
    free(got);
    free(real);
    r->passed += r->failed == before;
}

/* The vectors' expected_pattern, a Ruby regexp written in GitLab's specs. */
static bool full_match(const char *regex, const char *s)
{
    static OnigEncoding utf8[] = {ONIG_ENCODING_UTF8};
    onig_initialize(utf8, 1);
    regex_t *re;
    OnigErrorInfo info;
    int rc = onig_new(&re, (const OnigUChar *)regex, (const OnigUChar *)regex + strlen(regex),
                      ONIG_OPTION_NONE, ONIG_ENCODING_UTF8, ONIG_SYNTAX_RUBY, &info);
    assert_int_equal(rc, ONIG_NORMAL);
    const OnigUChar *start = (const OnigUChar *)s, *end = start + strlen(s);
    rc = onig_search(re, start, end, start, end, NULL, ONIG_OPTION_NONE);
    onig_free(re);
    return rc >= 0;
}

/* Older environments keep slugs with a random suffix: --slug must accept
 * what expected_pattern describes. */
static void historical_slug_case(struct vec_run *r, const struct al_ynode *c)
{
    char sample[64];
    snprintf(sample, sizeof sample, "%s%s", vec_str(c, "expected_prefix"),
             vec_bool(c, "random_suffix") ? "-k3x9q2" : "");
    const char *pattern = vec_str(c, "expected_pattern");
    if (!full_match(pattern, sample))
        vec_fail(r, c, false, "sample \"%s\" does not fit %s (test bug)", sample, pattern);
    else if (!al_env_slug_valid(sample))
        vec_fail(r, c, false, "a real slug like \"%s\" is not accepted", sample);
    else
        r->passed++;
}

static void env_slug(void **state)
{
    (void)state;
    struct al_ydoc *doc = vec_load("env_slug.yaml");
    struct vec_run r = {"env_slug.yaml", 0, 0, 0};
    const struct al_ynode *cases = vec_get(doc->root, "cases");
    for (size_t i = 0; i < cases->n; i++)
        slug_case(&r, cases->items[i]);
    const struct al_ynode *hist = vec_get(doc->root, "historical_cases");
    for (size_t i = 0; hist && i < hist->n; i++)
        historical_slug_case(&r, hist->items[i]);
    al_ydoc_free(doc);
    vec_done(&r);
}

static void env_tier(void **state)
{
    (void)state;
    struct al_ydoc *doc = vec_load("env_tier.yaml");
    struct vec_run r = {"env_tier.yaml", 0, 0, 0};
    const struct al_ynode *cases = vec_get(doc->root, "cases");
    for (size_t i = 0; i < cases->n; i++) {
        const struct al_ynode *c = cases->items[i];
        enum al_env_tier got = al_env_tier_guess(vec_str(c, "name"));
        const char *want = vec_str(c, "tier");
        const struct al_ynode *value = vec_get(c, "tier_value");
        if (!want || strcmp(al_env_tier_name(got), want) != 0 ||
            (value && value->v.i != (long long)got))
            vec_fail(&r, c, vec_derived(c, NULL), "\"%s\" -> %s (%d), expected %s",
                     vec_str(c, "name"), al_env_tier_name(got), (int)got, want ? want : "?");
        else
            r.passed++;
    }
    al_ydoc_free(doc);
    vec_done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(env_match),
        cmocka_unit_test(env_slug),
        cmocka_unit_test(env_tier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
