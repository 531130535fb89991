/* cli/emit: every string comes back as written (spaces at both ends,
 * quotes, indicators, line breaks, what a YAML 1.1 reader would take for a
 * number, bool or date), in JSON and block YAML, and sequences of mappings
 * stay block sequences. Read back with our loader (go-yaml v2's types). */
#include "testutil.h"

#include <string.h>

#include "cli/emit.h"
#include "model/yaml.h"

static const char *const values[] = {
    "plain",
    " lead",
    "trail ",
    "  ",
    "",
    "a: b",
    "- x",
    "#c",
    "x\ny",
    "true",
    "y",
    "NO",
    "123",
    "0x1F",
    "1:20",
    "2001-12-14",
    "~",
    "null",
    "<<",
    "--- !!str",
    "...",
    "\"dq\" 'sq'",
    "\\back",
    "tab\there",
    "\x01\x7f",
    "&a *b",
    "{x: [y]}",
    "é\xe2\x80\xa8",
    "|",
    "gitlab:group:2",
    "app.kubernetes.io/managed-by",
    "x:",
    ".inf",
    "-1",
    "@all",
};
enum { N = sizeof values / sizeof values[0] };

static void write_doc(struct al_emit *e)
{
    al_emit_map_start(e);
    al_emit_key(e, "items");
    al_emit_seq_start(e);
    for (size_t i = 0; i < N; i++) {
        al_emit_map_start(e);
        al_emit_kstr(e, "v", values[i]);
        al_emit_kint(e, "i", (long long)i);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
    al_emit_key(e, "empty");
    al_emit_seq_start_flow(e);
    al_emit_seq_end(e);
    al_emit_kbool(e, "yes", true);
    al_emit_key(e, "none");
    al_emit_null(e);
    al_emit_map_end(e);
}

static void check_doc(const struct al_ynode *root)
{
    assert_non_null(root);
    const struct al_ynode *items = al_ymap_get(root, "items");
    assert_non_null(items);
    assert_int_equal(items->kind, AL_YSEQ);
    assert_int_equal(items->n, N);
    for (size_t i = 0; i < N; i++) {
        const struct al_ynode *v = al_ymap_get(items->items[i], "v");
        if (!v || v->kind != AL_YSTR || v->len != strlen(values[i]) ||
            memcmp(v->str, values[i], v->len) != 0)
            fail_msg("value %zu (%s) came back as %s", i, values[i], v ? v->str : "nothing");
        const struct al_ynode *n = al_ymap_get(items->items[i], "i");
        assert_int_equal(n->kind, AL_YINT);
        assert_int_equal(n->v.i, (long long)i);
    }
    assert_int_equal(al_ymap_get(root, "empty")->kind, AL_YSEQ);
    assert_int_equal(al_ymap_get(root, "yes")->kind, AL_YBOOL);
    assert_int_equal(al_ymap_get(root, "none")->kind, AL_YNULL);
}

static void json_round_trips(void **state)
{
    (void)state;
    struct al_buf out = AL_BUF_INIT;
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, &out);
    write_doc(e);
    assert_int_equal(al_emit_finish(e), 0);
    assert_true(out.len && out.ptr[out.len - 1] == '\n');
    struct al_ydoc *doc = al_yaml_load(out.ptr, out.len);
    assert_int_equal(doc->n_issues, 0);
    check_doc(doc->root);
    al_ydoc_free(doc);
    al_buf_free(&out);
}

static void yaml_round_trips_in_block_style(void **state)
{
    (void)state;
    struct al_buf out = AL_BUF_INIT;
    struct al_emit *e = al_emit_new(AL_EMIT_YAML, &out);
    for (int d = 0; d < 2; d++) {
        al_emit_doc_start(e);
        write_doc(e);
        al_emit_doc_end(e);
    }
    assert_int_equal(al_emit_finish(e), 0);
    const char *s = al_buf_cstr(&out);
    assert_true(strncmp(s, "---\nitems:\n- v: plain\n  i: 0\n", 29) == 0);
    assert_non_null(strstr(s, "- v: gitlab:group:2\n")); /* plain where it is safe */
    assert_non_null(strstr(s, "- v: \" lead\"\n"));
    assert_non_null(strstr(s, "- v: \"true\"\n"));
    assert_non_null(strstr(s, "- v: \"1:20\"\n"));
    assert_non_null(strstr(s, "empty: []\n"));
    /* two documents, each one intact */
    const char *second = strstr(s + 4, "---\n");
    assert_non_null(second);
    struct al_ydoc *one = al_yaml_load(s, (size_t)(second - s));
    assert_int_equal(one->n_issues, 0);
    check_doc(one->root);
    struct al_ydoc *two = al_yaml_load(second, strlen(second));
    assert_int_equal(two->n_issues, 0);
    check_doc(two->root);
    al_ydoc_free(one);
    al_ydoc_free(two);
    al_buf_free(&out);
}

static void invalid_utf8_is_replaced_not_passed(void **state)
{
    (void)state;
    struct al_buf out = AL_BUF_INIT;
    struct al_emit *e = al_emit_new(AL_EMIT_YAML, &out);
    al_emit_doc_start(e);
    al_emit_str(e, "a\xff\xfe b");
    al_emit_doc_end(e);
    assert_int_equal(al_emit_finish(e), 0);
    struct al_ydoc *doc = al_yaml_load(out.ptr, out.len);
    assert_non_null(doc->root);
    assert_int_equal(doc->root->kind, AL_YSTR);
    assert_non_null(strstr(doc->root->str, " b"));
    al_ydoc_free(doc);
    al_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_round_trips),
        cmocka_unit_test(yaml_round_trips_in_block_style),
        cmocka_unit_test(invalid_utf8_is_replaced_not_passed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
