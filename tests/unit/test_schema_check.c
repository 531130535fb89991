/* The schema walker: where findings land and what is checked below a
 * mistake (regressions found by the real-world corpus). */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "checks/schema_check.h"
#include "model/schema.h"

static struct al_schema *schema;

static int setup(void **state)
{
    (void)state;
    return al_schema_load_builtin(&schema) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    al_schema_free(schema);
    return 0;
}

struct run {
    struct al_ydoc *doc;
    struct al_findings out;
};

static struct run check(const char *text)
{
    struct run r = {al_yaml_load(text, strlen(text)), {0}};
    struct al_schema_check c = {schema, schema->latest, "config.yaml", NULL, NULL};
    al_schema_check(&c, r.doc->root, &r.out);
    return r;
}

static void done(struct run *r)
{
    al_findings_free(&r->out);
    al_ydoc_free(r->doc);
}

static const struct al_finding *at(const struct run *r, const char *rule, unsigned line)
{
    for (size_t i = 0; i < r->out.n; i++)
        if (strcmp(r->out.items[i].rule, rule) == 0 && r->out.items[i].line == line)
            return &r->out.items[i];
    return NULL;
}

static void misspelled_key_is_checked_as_the_key_meant(void **state)
{
    (void)state;
    /* corpus #101 */
    struct run r = check("gitops:\n  mainfest_projects:\n  - id: \"/g/p\"\n    paths:\n"
                         "    -glob: '**/*.yaml'\n");
    const struct al_finding *typo = at(&r, "unknown-key", 2);
    assert_non_null(typo);
    assert_string_equal(typo->suggestion, "manifest_projects");
    const struct al_finding *dash = at(&r, "unknown-key", 5);
    assert_non_null(dash);
    assert_non_null(strstr(dash->message, "write \"- glob:\""));
    assert_string_equal(dash->key_path, "gitops.mainfest_projects[0].-glob");
    assert_int_equal(r.out.n, 3); /* and gitops is deprecated */
    done(&r);

    /* The value keeps the key's type: a string is not a list. */
    r = check("ci_access:\n  project: grp/app\n");
    assert_non_null(at(&r, "unknown-key", 2));
    const struct al_finding *f = at(&r, "type-mismatch", 2);
    assert_non_null(f);
    assert_non_null(strstr(f->message, "\"project\" must be a list"));
    done(&r);

    /* A key with no close match is not walked. */
    r = check("ci_access:\n  whatever:\n    - id: 5\n");
    assert_int_equal(r.out.n, 1);
    done(&r);
}

static void missing_field_is_reported_at_its_owner(void **state)
{
    (void)state;
    /* corpus #179: container_scanning without cadence */
    struct run r = check("container_scanning:\n  vulnerability_report:\n    namespaces: [a]\n");
    const struct al_finding *f = at(&r, "required", 1);
    assert_non_null(f);
    assert_int_equal(f->col, 1);
    assert_string_equal(f->key_path, "container_scanning.cadence");
    done(&r);
    /* A list item: at the item. */
    r = check("ci_access:\n  projects:\n    - default_namespace: x\n");
    f = at(&r, "required", 3);
    assert_non_null(f);
    assert_int_equal(f->col, 7);
    done(&r);
    /* user_access without access_as before 18.3 (a warning): at user_access. */
    const char *ua = "user_access:\n  projects:\n    - id: g/p\n";
    r = (struct run){al_yaml_load(ua, strlen(ua)), {0}};
    struct al_schema_check c = {schema, 1802, "config.yaml", NULL, NULL};
    al_schema_check(&c, r.doc->root, &r.out);
    f = at(&r, "access-as", 1);
    assert_non_null(f);
    assert_int_equal(f->severity, AL_SEV_WARNING);
    done(&r);
}

static void extra_val_is_required(void **state)
{
    (void)state;
    const char *base = "ci_access:\n  projects:\n    - id: g/p\n      access_as:\n"
                       "        impersonate:\n          username: u\n          extra:\n";
    char text[512];
    snprintf(text, sizeof text, "%s            - key: k\n", base);
    struct run r = check(text);
    assert_non_null(at(&r, "required", 8));
    done(&r);
    snprintf(text, sizeof text, "%s            - {key: k, val: []}\n", base);
    r = check(text);
    assert_non_null(at(&r, "required", 8));
    done(&r);
    snprintf(text, sizeof text, "%s            - {key: k, val: [v]}\n", base);
    r = check(text);
    assert_int_equal(r.out.n, 0);
    done(&r);
}

/* --version's range comes from the data: `oldest` and `latest` are required. */
static void oldest_and_latest_come_from_the_data(void **state)
{
    static const char text[] = "schema: t\noldest: \"16.0\"\nlatest: \"18.11\"\nroot: Root\n"
                               "types:\n  Root:\n    fields:\n      a: {type: string}\n";
    struct al_schema *s = NULL;
    assert_int_equal(al_schema_load(text, sizeof text - 1, &s), 0);
    assert_int_equal(s->oldest, 1600);
    assert_int_equal(s->latest, 1811);
    al_schema_free(s);

    static const char none[] = "schema: t\nlatest: \"17.0\"\nroot: Root\ntypes:\n"
                               "  Root:\n    fields:\n      a: {type: string}\n";
    assert_true(al_schema_load(none, sizeof none - 1, &s) < 0);

    (void)state;
    assert_true(schema->oldest > 0 && schema->oldest < schema->latest);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(misspelled_key_is_checked_as_the_key_meant),
        cmocka_unit_test(missing_field_is_reported_at_its_owner),
        cmocka_unit_test(extra_val_is_required),
        cmocka_unit_test(oldest_and_latest_come_from_the_data),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
