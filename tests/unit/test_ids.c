/* --ids: GitLab API answers (arrays, objects, paginated output), the
 * hand-written map, case-insensitive lookups, and inputs that are refused
 * with one sentence. */
#include "testutil.h"

#include <string.h>

#include "model/ids.h"
#include "common/error.h"

static int load(struct al_ids *ids, const char *text)
{
    return al_ids_load(ids, text, strlen(text), "ids.json");
}

static void api_projects_and_their_namespaces(void **state)
{
    (void)state;
    struct al_ids *ids = al_ids_new();
    assert_int_equal(load(ids, "[{\"id\": 42, \"path_with_namespace\": \"Acme/Web\", "
                               "\"namespace\": {\"id\": 7, \"kind\": \"group\", "
                               "\"full_path\": \"Acme\"}},"
                               " {\"id\": 43, \"path_with_namespace\": \"alice/tool\", "
                               "\"namespace\": {\"id\": 9, \"kind\": \"user\", "
                               "\"full_path\": \"alice\"}}]"),
                     0);
    assert_int_equal(al_ids_get(ids, AL_IDS_PROJECT, "acme/web"), 42);
    assert_int_equal(al_ids_get(ids, AL_IDS_PROJECT, "ACME/WEB"), 42);
    assert_int_equal(al_ids_get(ids, AL_IDS_GROUP, "acme"), 7); /* from the namespace */
    assert_int_equal(al_ids_get(ids, AL_IDS_GROUP, "acme/web"), -1);
    assert_true(al_ids_personal(ids, "alice/tool"));
    assert_true(al_ids_personal(ids, "Alice"));
    assert_false(al_ids_personal(ids, "acme/web"));
    assert_int_equal(al_ids_count(ids, AL_IDS_PROJECT), 2);
    al_ids_free(ids);
}

static void api_groups_objects_and_pages(void **state)
{
    (void)state;
    struct al_ids *ids = al_ids_new();
    /* GET /groups/:id (with its projects), then two pages of descendant_groups
     * as glab api --paginate writes them, back to back. */
    assert_int_equal(load(ids, "{\"id\": 1, \"full_path\": \"acme\", \"projects\": "
                               "[{\"id\": 5, \"path_with_namespace\": \"acme/x\"}]}"),
                     0);
    assert_int_equal(load(ids, "[{\"id\": 2, \"full_path\": \"acme/a\"}]\n"
                               "[{\"id\": 3, \"full_path\": \"acme/a/b\", \"description\": "
                               "\"has ] and [ and \\\" in it\"}]\n"),
                     0);
    assert_int_equal(al_ids_get(ids, AL_IDS_GROUP, "acme"), 1);
    assert_int_equal(al_ids_get(ids, AL_IDS_PROJECT, "acme/x"), 5);
    assert_int_equal(al_ids_get(ids, AL_IDS_GROUP, "acme/a/b"), 3);
    /* GET /projects/:id/cluster_agents */
    assert_int_equal(load(ids, "[{\"id\": 8, \"name\": \"deploy\", \"config_project\": "
                               "{\"id\": 5, \"path_with_namespace\": \"acme/x\"}}]"),
                     0);
    assert_int_equal(al_ids_get(ids, AL_IDS_AGENT, "acme/x:deploy"), 8);
    al_ids_free(ids);
}

static void the_hand_written_map(void **state)
{
    (void)state;
    struct al_ids *ids = al_ids_new();
    assert_int_equal(load(ids, "projects:\n  acme/web: 42\n  acme/api: \"43\"\n"
                               "groups: {acme: 7}\nagents: {'acme/infra:prod': 3}\n"),
                     0);
    assert_int_equal(al_ids_get(ids, AL_IDS_PROJECT, "acme/api"), 43);
    assert_int_equal(al_ids_get(ids, AL_IDS_GROUP, "ACME"), 7);
    assert_int_equal(al_ids_get(ids, AL_IDS_AGENT, "acme/infra:prod"), 3);
    assert_true(al_ids_known(ids, AL_IDS_PROJECT, "acme/web"));
    assert_false(al_ids_known(ids, AL_IDS_GROUP, "acme/web"));
    al_ids_free(ids);
}

static void refused_with_a_sentence(void **state)
{
    (void)state;
    const char *bad[] = {
        "",                                    /* empty */
        "[1, 2]",                              /* not objects */
        "[{\"id\": 1}]",                       /* neither a project nor a group */
        "{\"message\": \"401 Unauthorized\"}", /* an API error saved to the file */
        "{projects: {acme/web: -1}}",          /* not a positive id */
        "{projects: {}, users: {}}",           /* unknown key in the map */
        "[{\"id\": 1, \"full_path\": \"a\"}",  /* broken JSON */
        "\"just a string\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct al_ids *ids = al_ids_new();
        al_error_clear();
        assert_true(load(ids, bad[i]) < 0);
        const char *msg = al_error_last();
        assert_non_null(msg);
        assert_non_null(strstr(msg, "ids.json"));
        al_ids_free(ids);
    }
    struct al_ids *ids = al_ids_new();
    assert_int_equal(load(ids, "{projects: {acme/web: 1}}"), 0);
    assert_true(load(ids, "{projects: {ACME/WEB: 2}}") < 0); /* contradicts */
    assert_non_null(strstr(al_error_last(), "has id 2"));
    assert_int_equal(load(ids, "{projects: {acme/web: 1}}"), 0); /* the same again is fine */
    al_ids_free(ids);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(api_projects_and_their_namespaces),
        cmocka_unit_test(api_groups_objects_and_pages),
        cmocka_unit_test(the_hand_written_map),
        cmocka_unit_test(refused_with_a_sentence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
