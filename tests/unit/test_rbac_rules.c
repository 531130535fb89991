/* The RBAC rules' reading of subject names (checks/rules/rbac.h): which of
 * GitLab's identities a name is (gitlab-semantics.md §6.2, §6.5), whether it
 * covers a whole group, and why GitLab never sends it. The rules end to end
 * are in tests/cli/test_check_rbac.py. */
#include "testutil.h"

#include <string.h>

#include "checks/rules/rbac.h"

static struct al_gl_subject read(enum al_kube_subject_kind kind, const char *name)
{
    struct al_gl_subject g;
    al_permrules_subject(kind, name, &g);
    return g;
}

static void the_names_gitlab_sends(void **state)
{
    (void)state;
    static const struct {
        enum al_kube_subject_kind kind;
        const char *name;
        enum al_gl_ident ident;
        bool ci, user, wide;
        long long id;
    } cases[] = {
        {AL_KUBE_GROUP, "gitlab:ci_job", AL_GL_CI_JOB, true, false, true, -1},
        {AL_KUBE_GROUP, "gitlab:group:42", AL_GL_GROUP, true, false, true, 42},
        {AL_KUBE_GROUP, "gitlab:group_env_tier:42:production", AL_GL_GROUP_ENV_TIER, true, false,
         true, 42},
        {AL_KUBE_GROUP, "gitlab:project:7", AL_GL_PROJECT, true, false, false, 7},
        {AL_KUBE_GROUP, "gitlab:project_env:7:review-x", AL_GL_PROJECT_ENV, true, false, false, 7},
        {AL_KUBE_GROUP, "gitlab:project_env_tier:7:staging", AL_GL_PROJECT_ENV_TIER, true, false,
         true, 7},
        {AL_KUBE_GROUP, "gitlab:user", AL_GL_USER, false, true, true, -1},
        {AL_KUBE_USER, "gitlab:user:alice", AL_GL_USER_USER, false, true, false, -1},
        {AL_KUBE_GROUP, "gitlab:project_role:7:developer", AL_GL_PROJECT_ROLE, false, true, false,
         7},
        {AL_KUBE_GROUP, "gitlab:group_role:42:maintainer", AL_GL_GROUP_ROLE, false, true, true, 42},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct al_gl_subject g = read(cases[i].kind, cases[i].name);
        if (g.problem)
            fail_msg("%s: %s", cases[i].name, g.problem);
        assert_int_equal(g.ident, cases[i].ident);
        assert_int_equal(g.ci, cases[i].ci);
        assert_int_equal(g.user, cases[i].user);
        assert_int_equal(g.wide, cases[i].wide);
        assert_int_equal(g.id, cases[i].id);
    }
}

static void names_gitlab_never_sends(void **state)
{
    (void)state;
    static const struct {
        enum al_kube_subject_kind kind;
        const char *name;
        const char *why; /* a word of the reason */
    } cases[] = {
        {AL_KUBE_USER, "gitlab:agent:prod", "gitlab:agent"},
        {AL_KUBE_GROUP, "gitlab:agent", "gitlab:agent"},
        {AL_KUBE_USER, "gitlab:ci_job", "group"},     /* the wrong kind */
        {AL_KUBE_GROUP, "gitlab:user:alice", "user"}, /* the wrong kind */
        {AL_KUBE_USER, "gitlab:ci_job:123456", "job id"},
        {AL_KUBE_GROUP, "gitlab:project:acme/web", "numeric"},
        {AL_KUBE_GROUP, "gitlab:project:{{ .project.id }}", "template"},
        {AL_KUBE_GROUP, "gitlab:project:<id>", "template"},
        {AL_KUBE_GROUP, "gitlab:project:7:extra", "no further part"},
        {AL_KUBE_GROUP, "gitlab:project_env_tier:7:prod", "tiers"},
        {AL_KUBE_GROUP, "gitlab:project_env:7", "missing"},
        {AL_KUBE_GROUP, "gitlab:project_role:123:maintainer", "placeholder"},
        {AL_KUBE_GROUP, "gitlab:group_role:456:developer", "placeholder"},
        {AL_KUBE_GROUP, "gitlab:project_roles:7:developer", "none of the names"},
        {AL_KUBE_GROUP, "GitLab:ci_job", "case"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct al_gl_subject g = read(cases[i].kind, cases[i].name);
        if (!g.problem)
            fail_msg("%s: accepted", cases[i].name);
        assert_int_equal(g.ident, AL_GL_INVALID);
        if (!strstr(g.problem, cases[i].why))
            fail_msg("%s: \"%s\" does not say %s", cases[i].name, g.problem, cases[i].why);
    }
}

static void other_names_are_not_gitlabs(void **state)
{
    (void)state;
    assert_int_equal(read(AL_KUBE_GROUP, "system:authenticated").ident, AL_GL_NONE);
    assert_int_equal(read(AL_KUBE_USER, "deployer").ident, AL_GL_NONE);
    /* A service account named like an identity is a service account. */
    assert_int_equal(read(AL_KUBE_SERVICE_ACCOUNT, "gitlab:ci_job").ident, AL_GL_NONE);
    assert_int_equal(read(AL_KUBE_OTHER, "gitlab:ci_job").ident, AL_GL_NONE);
    assert_int_equal(read(AL_KUBE_GROUP, NULL).ident, AL_GL_NONE);
    /* Ids other than the docs' placeholders are fine, 1230 included. */
    assert_null(read(AL_KUBE_GROUP, "gitlab:project:1230").problem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_names_gitlab_sends),
        cmocka_unit_test(names_gitlab_never_sends),
        cmocka_unit_test(other_names_are_not_gitlabs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
