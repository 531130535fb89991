/* The YAML model: positions, go-yaml v2 scalar types, aliases and merge
 * keys, duplicate keys, extra documents, and syntax errors a person can act
 * on. */
#include "testutil.h"

#include <string.h>

#include "model/yaml.h"
#include "model/ysyntax.h"

static struct al_ydoc *load(const char *text)
{
    return al_yaml_load(text, strlen(text));
}

static enum al_ykind kind_of(const char *plain)
{
    long long i;
    double f;
    bool b;
    return al_yscalar_resolve(plain, strlen(plain), &i, &f, &b);
}

static void scalars_resolve_like_go_yaml_v2(void **state)
{
    (void)state;
    const char *bools[] = {"yes", "Yes", "YES", "no", "on", "Off", "y", "N", "true", "FALSE"};
    for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++)
        assert_int_equal(kind_of(bools[i]), AL_YBOOL);
    const char *nulls[] = {"", "~", "null", "Null", "NULL"};
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
        assert_int_equal(kind_of(nulls[i]), AL_YNULL);
    const char *ints[] = {"123", "-5", "+7", "0x1F", "0o17", "017", "0b101", "1_000"};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        assert_int_equal(kind_of(ints[i]), AL_YINT);
    const char *floats[] = {"1.5",  ".5",    "1e3",  "08",
                            ".inf", "-.Inf", ".NaN", "99999999999999999999"};
    for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++)
        assert_int_equal(kind_of(floats[i]), AL_YFLOAT);
    const char *strs[] = {"yess", "2024-01-01", "1.2.3", "0x", "abc", "1e", "TRUE1", "._5"};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        assert_int_equal(kind_of(strs[i]), AL_YSTR);
    long long v;
    double f;
    bool b;
    al_yscalar_resolve("017", 3, &v, &f, &b);
    assert_int_equal(v, 15);
    al_yscalar_resolve("0x1F", 4, &v, &f, &b);
    assert_int_equal(v, 31);
}

static void quoted_scalars_are_strings(void **state)
{
    (void)state;
    struct al_ydoc *d =
        load("a: \"123\"\nb: 'yes'\nc: |\n  true\nd: 123\ne: !!str 5\nf: !!int \"7\"\n");
    assert_non_null(d->root);
    assert_int_equal(al_ymap_get(d->root, "a")->kind, AL_YSTR);
    assert_int_equal(al_ymap_get(d->root, "b")->kind, AL_YSTR);
    assert_int_equal(al_ymap_get(d->root, "c")->kind, AL_YSTR);
    assert_int_equal(al_ymap_get(d->root, "d")->kind, AL_YINT);
    assert_int_equal(al_ymap_get(d->root, "e")->kind, AL_YSTR);
    assert_int_equal(al_ymap_get(d->root, "f")->kind, AL_YINT);
    al_ydoc_free(d);
}

static void positions_are_one_based(void **state)
{
    (void)state;
    struct al_ydoc *d = load("ci_access:\n  projects:\n    - id: grp/app\n      environments:\n");
    const struct al_ynode *ci = al_ymap_get(d->root, "ci_access");
    const struct al_ypair *pp = al_ymap_pair(ci, "projects");
    assert_int_equal(pp->key->pos.line, 2);
    assert_int_equal(pp->key->pos.col, 3);
    const struct al_ynode *item = pp->val->items[0];
    const struct al_ypair *id = al_ymap_pair(item, "id");
    assert_int_equal(id->key->pos.line, 3);
    assert_int_equal(id->key->pos.col, 7);
    assert_int_equal(id->val->pos.col, 11);
    const struct al_ypair *env = al_ymap_pair(item, "environments");
    assert_int_equal(env->val->kind, AL_YNULL);
    assert_int_equal(env->val->pos.line, 4);
    al_ydoc_free(d);
}

static void bom_crlf_and_no_final_newline(void **state)
{
    (void)state;
    struct al_ydoc *d = load("\xEF\xBB\xBF"
                             "a: 1\r\nb: x");
    assert_non_null(d->root);
    assert_int_equal(d->n_issues, 0);
    assert_int_equal(al_ymap_pair(d->root, "a")->key->pos.col, 1);
    assert_string_equal(al_ymap_get(d->root, "b")->str, "x");
    al_ydoc_free(d);
}

static void empty_and_comment_only(void **state)
{
    (void)state;
    const char *texts[] = {"", "\n", "# only a comment\n", "---\n", "~\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct al_ydoc *d = load(texts[i]);
        assert_int_equal(d->n_issues, 0);
        assert_true(!d->root || d->root->kind == AL_YNULL);
        al_ydoc_free(d);
    }
}

static void duplicate_key_points_at_second(void **state)
{
    (void)state;
    struct al_ydoc *d = load("a: 1\nb: 2\na: 3\n");
    assert_int_equal(d->n_issues, 1);
    assert_int_equal(d->issues[0].kind, AL_YI_DUPLICATE_KEY);
    assert_int_equal(d->issues[0].pos.line, 3);
    assert_int_equal(d->issues[0].other.line, 1);
    /* last one wins, as in go-yaml v2 */
    assert_int_equal(al_ymap_get(d->root, "a")->v.i, 3);
    assert_int_equal(d->root->n, 2);
    al_ydoc_free(d);
}

static void merge_keys_resolve_without_unknown_keys(void **state)
{
    (void)state;
    struct al_ydoc *d = load("base: &b\n  access_as: {ci_job: {}}\n  environments: [prod]\n"
                             "x:\n  <<: *b\n  id: g/p\n"
                             "w:\n  environments: [dev]\n  <<: *b\n");
    assert_int_equal(d->n_issues, 0);
    const struct al_ynode *x = al_ymap_get(d->root, "x");
    assert_non_null(al_ymap_get(x, "access_as"));
    assert_null(al_ymap_pair(x, "<<"));
    assert_int_equal(x->n, 3);
    /* go-yaml v2 applies the merge where it appears: later wins. */
    const struct al_ynode *y = al_ymap_get(d->root, "w");
    assert_string_equal(al_ymap_get(y, "environments")->items[0]->str, "prod");
    al_ydoc_free(d);
}

static void merge_key_needs_mapping(void **state)
{
    (void)state;
    struct al_ydoc *d = load("a: &a [1]\nb:\n  <<: *a\n");
    assert_true(al_ydoc_has_syntax_error(d));
    assert_null(d->root);
    al_ydoc_free(d);
}

static void alias_bomb_is_bounded(void **state)
{
    (void)state;
    const char *bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
                       "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                       "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                       "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                       "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                       "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                       "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
    struct al_ydoc *d = load(bomb);
    assert_true(al_ydoc_has_syntax_error(d));
    assert_non_null(strstr(d->issues[0].message, "alias"));
    al_ydoc_free(d);
}

static void unknown_and_recursive_anchors(void **state)
{
    (void)state;
    struct al_ydoc *d = load("a: *nope\n");
    assert_true(al_ydoc_has_syntax_error(d));
    assert_non_null(strstr(d->issues[0].message, "unknown anchor"));
    al_ydoc_free(d);
    d = load("a: &x [1, *x]\n");
    assert_true(al_ydoc_has_syntax_error(d));
    assert_non_null(strstr(d->issues[0].message, "contains itself"));
    al_ydoc_free(d);
}

static void extra_document_is_reported(void **state)
{
    (void)state;
    struct al_ydoc *d = load("a: 1\n---\nb: 2\n");
    assert_int_equal(d->n_issues, 1);
    assert_int_equal(d->issues[0].kind, AL_YI_EXTRA_DOCUMENT);
    assert_int_equal(d->issues[0].pos.line, 2);
    assert_null(al_ymap_get(d->root, "b"));
    al_ydoc_free(d);
}

static void syntax_errors_explain_themselves(void **state)
{
    (void)state;
    struct al_ydoc *d = load("a:\n\tb: 1\n");
    assert_true(al_ydoc_has_syntax_error(d));
    assert_non_null(strstr(d->issues[0].message, "tab"));
    assert_int_equal(d->issues[0].pos.line, 2);
    assert_int_equal(d->issues[0].pos.col, 1);
    al_ydoc_free(d);

    d = load("ci_access:\n<<<<<<< HEAD\n  projects: []\n=======\n  groups: []\n>>>>>>> x\n");
    assert_true(al_ydoc_has_syntax_error(d));
    assert_non_null(strstr(d->issues[0].message, "merge-conflict"));
    assert_int_equal(d->issues[0].pos.line, 2);
    al_ydoc_free(d);

    d = load("a:\n  b: 1\n c: 2\n");
    assert_true(al_ydoc_has_syntax_error(d));
    assert_non_null(strstr(d->issues[0].message, "indentation"));
    assert_int_equal(d->issues[0].pos.line, 3);
    al_ydoc_free(d);

    d = load("a: \"unterminated\n");
    assert_true(al_ydoc_has_syntax_error(d));
    assert_non_null(strstr(d->issues[0].message, "unterminated"));
    al_ydoc_free(d);

    d = load("a: \xff\n");
    assert_true(al_ydoc_has_syntax_error(d));
    assert_non_null(strstr(d->issues[0].message, "UTF-8"));
    al_ydoc_free(d);
}

static void deep_nesting_is_bounded(void **state)
{
    (void)state;
    char buf[4000];
    memset(buf, '[', 3000);
    buf[3000] = '\0';
    struct al_ydoc *d = load(buf);
    assert_true(al_ydoc_has_syntax_error(d));
    al_ydoc_free(d);
}

static void conflict_marker_scan(void **state)
{
    (void)state;
    assert_int_equal(al_ysyntax_conflict_marker("a\n<<<<<<< HEAD\n", 15), 2);
    assert_int_equal(al_ysyntax_conflict_marker("a: <<<<<<<\n", 11), 0);
    assert_int_equal(al_ysyntax_conflict_marker("=======\n", 8), 1);
    assert_int_equal(al_ysyntax_conflict_marker("========\n", 9), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scalars_resolve_like_go_yaml_v2),
        cmocka_unit_test(quoted_scalars_are_strings),
        cmocka_unit_test(positions_are_one_based),
        cmocka_unit_test(bom_crlf_and_no_final_newline),
        cmocka_unit_test(empty_and_comment_only),
        cmocka_unit_test(duplicate_key_points_at_second),
        cmocka_unit_test(merge_keys_resolve_without_unknown_keys),
        cmocka_unit_test(merge_key_needs_mapping),
        cmocka_unit_test(alias_bomb_is_bounded),
        cmocka_unit_test(unknown_and_recursive_anchors),
        cmocka_unit_test(extra_document_is_reported),
        cmocka_unit_test(syntax_errors_explain_themselves),
        cmocka_unit_test(deep_nesting_is_bounded),
        cmocka_unit_test(conflict_marker_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
