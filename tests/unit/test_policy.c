/* The policy section of .agentlint.yaml (validator/policy.c): presets,
 * requirements as written, which requirement an agent gets, and the one
 * sentence a bad policy is refused with. */
#include "testutil.h"

#include <string.h>

#include "common/error.h"
#include "model/config.h"
#include "checks/settings.h"

static int parse(const char *text, struct al_settings *s)
{
    return al_settings_parse(text, strlen(text), ".agentlint.yaml", s);
}

static void presets_and_globs(void **state)
{
    (void)state;
    struct al_settings s;
    assert_int_equal(parse("policy:\n"
                           "  preset: production\n"
                           "  agents:\n"
                           "    \"prod*\":\n"
                           "      access_as: [impersonate]\n"
                           "      groups: []\n"
                           "      impersonate: [\"deploy-*\"]\n"
                           "    staging: production\n",
                           &s),
                     0);
    assert_int_equal(s.policy.n, 3);
    const struct al_policy_req *r = al_policy_for(&s.policy, "prod-eu");
    assert_string_equal(r->agents, "prod*");
    assert_int_equal(r->line, 4);
    assert_null(r->preset);
    assert_int_equal(r->access_as, 1u << AL_AS_IMPERSONATE);
    assert_true(r->groups.set);
    assert_int_equal(r->groups.n, 0); /* [] allows no group */
    assert_false(r->projects.set);    /* absent: any project */
    assert_string_equal(r->identities.items[0], "deploy-*");
    r = al_policy_for(&s.policy, "staging");
    assert_string_equal(r->preset, "production");
    assert_int_equal(r->line, 8);
    assert_true(r->protected_branches_only && r->environments_required);
    assert_int_equal(r->access_as, (1u << AL_AS_CI_JOB) | (1u << AL_AS_USER));
    /* no glob names it: the preset for every agent */
    r = al_policy_for(&s.policy, "dev");
    assert_string_equal(r->agents, "*");
    assert_int_equal(r->line, 2);
    assert_null(al_policy_for(&s.policy, NULL)); /* a plain file without an agent name */
    al_settings_free(&s);

    assert_int_equal(parse("policy:\n  agents:\n    prod: production\n", &s), 0);
    assert_null(al_policy_for(&s.policy, "staging"));
    al_settings_free(&s);
    assert_int_equal(parse("policy:\n", &s), 0);
    assert_int_equal(s.policy.n, 0);
    al_settings_free(&s);
}

static void bad_policies_are_one_sentence(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"policy:\n  preset: [production]\n", ".agentlint.yaml:2: policy: unknown preset"},
        {"policy:\n  agents:\n    p: {access_as: []}\n", "access_as must be a non-empty list"},
        {"policy:\n  agents:\n    p: {protected_branches_only: \"yes\"}\n",
         "protected_branches_only must be true or false"},
        {"policy:\n  agents:\n    p: {environments: [\"\"]}\n",
         "each item of environments must be a non-empty string"},
        {"policy:\n  agents:\n    p: 3\n", "a preset name or a mapping"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct al_settings s;
        assert_int_equal(parse(cases[i][0], &s), AL_ERR);
        const char *msg = al_error_last();
        if (!strstr(msg, cases[i][1]))
            fail_msg("case %zu: '%s' lacks '%s'", i, msg, cases[i][1]);
        assert_null(strchr(msg, '\n'));
        al_settings_free(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(presets_and_globs),
        cmocka_unit_test(bad_policies_are_one_sentence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
