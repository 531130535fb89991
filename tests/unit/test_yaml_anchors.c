/* Anchors and aliases (issue 9, items 1 and 2): an anchored collection may
 * hold any number of anchors (the table used to grow under an open
 * collection's pointer: a use-after-free that reported valid YAML as "anchor
 * value contains itself"), a redefined name resolves to its latest
 * definition, and n anchors with m aliases cost n + m, not n x m. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "model/yaml.h"

static double seconds(void)
{
    struct timespec ts;
    /* CPU time, not wall time: other processes on a loaded machine preempt
     * the run without making the parser any slower. */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct al_ydoc *load(const char *text)
{
    return al_yaml_load(text, strlen(text));
}

static void assert_clean(const struct al_ydoc *d)
{
    for (size_t i = 0; i < d->n_issues; i++)
        fprintf(stderr, "unexpected issue: %u:%u %s\n", d->issues[i].pos.line, d->issues[i].pos.col,
                d->issues[i].message);
    assert_int_equal(d->n_issues, 0);
    assert_non_null(d->root);
}

/* The issue's case, and every count around the table's growth points. */
static void an_anchored_flow_list_of_anchors_can_be_aliased(void **state)
{
    (void)state;
    static const int counts[] = {1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000};
    for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
        struct al_buf b = AL_BUF_INIT;
        al_buf_puts(&b, "x: &o [");
        for (int i = 0; i < counts[c]; i++)
            al_buf_printf(&b, "%s&a%d v%d", i ? ", " : "", i, i);
        al_buf_puts(&b, "]\nalias: *o\nz: *a0\n");
        struct al_ydoc *d = al_yaml_load(b.ptr, b.len);
        assert_clean(d);
        const struct al_ynode *y = al_ymap_get(d->root, "alias");
        assert_int_equal(y->kind, AL_YSEQ);
        assert_int_equal(y->n, counts[c]);
        assert_string_equal(y->items[counts[c] - 1]->str,
                            al_ymap_get(d->root, "x")->items[counts[c] - 1]->str);
        assert_string_equal(al_ymap_get(d->root, "z")->str, "v0");
        al_ydoc_free(d);
        al_buf_free(&b);
    }
}

/* Open anchored collections nested in each other, each holding anchors. */
static void nested_open_anchors_all_close(void **state)
{
    (void)state;
    struct al_buf b = AL_BUF_INIT;
    al_buf_puts(&b, "top: &top\n  m: &m\n");
    for (int i = 0; i < 40; i++)
        al_buf_printf(&b, "    k%d: &s%d [&i%d x, &j%d {q: y}]\n", i, i, i, i);
    al_buf_puts(&b, "  nn: *m\nalias_top: *top\nalias_s39: *s39\nalias_j0: *j0\n");
    struct al_ydoc *d = al_yaml_load(b.ptr, b.len);
    assert_clean(d);
    const struct al_ynode *top = al_ymap_get(d->root, "alias_top");
    assert_int_equal(top->kind, AL_YMAP);
    assert_int_equal(al_ymap_get(top, "nn")->n, 40);
    assert_int_equal(al_ymap_get(d->root, "alias_s39")->n, 2);
    assert_string_equal(al_ymap_get(al_ymap_get(d->root, "alias_j0"), "q")->str, "y");
    al_ydoc_free(d);
    al_buf_free(&b);
}

/* YAML allows a name to be defined again; an alias means the latest
 * definition before it, also when the redefinition is inside the collection
 * that first defined the name (go-yaml v2 registers a collection's anchor
 * when the collection starts). */
static void a_redefined_anchor_resolves_to_the_latest(void **state)
{
    (void)state;
    struct al_ydoc *d = load("a: &x 1\nb: *x\nc: &x two\nd: *x\n"
                             "e: &y [&y inner, *y]\nf: *y\n"
                             "g: &z [p]\nh: &z {q: r}\ni: *z\n");
    assert_clean(d);
    assert_int_equal(al_ymap_get(d->root, "b")->v.i, 1);
    assert_string_equal(al_ymap_get(d->root, "d")->str, "two");
    assert_string_equal(al_ymap_get(d->root, "e")->items[1]->str, "inner");
    assert_string_equal(al_ymap_get(d->root, "f")->str, "inner");
    assert_int_equal(al_ymap_get(d->root, "i")->kind, AL_YMAP);
    al_ydoc_free(d);
    /* Many redefinitions of a few names, past the index's growth points. */
    struct al_buf b = AL_BUF_INIT;
    for (int i = 0; i < 500; i++)
        al_buf_printf(&b, "k%d: &n%d [&m%d %d]\n", i, i % 3, i % 5, i);
    al_buf_puts(&b, "last_n2: *n2\nlast_m4: *m4\n");
    d = al_yaml_load(b.ptr, b.len);
    assert_clean(d);
    assert_int_equal(al_ymap_get(d->root, "last_n2")->items[0]->v.i, 497);
    assert_int_equal(al_ymap_get(d->root, "last_m4")->v.i, 499);
    al_ydoc_free(d);
    al_buf_free(&b);
}

/* Aliases to an anchor still open are cycles, however many anchors the
 * collection defined before them; unknown names stay unknown. */
static void cycles_and_unknown_names_are_still_reported(void **state)
{
    (void)state;
    static const char *const cyclic[] = {
        "a: &x [1, *x]\n",
        "a: &x {b: &y [&c1 1, &c2 2, &c3 3, &c4 4, &c5 5, &c6 6, &c7 7, &c8 8, *x]}\n",
        "a: &x [&c1 1, &c2 2, &c3 3, &c4 4, &c5 5, &c6 6, &c7 7, &c8 8, &c9 9, {k: *x}]\n",
    };
    for (size_t i = 0; i < sizeof cyclic / sizeof *cyclic; i++) {
        struct al_ydoc *d = load(cyclic[i]);
        assert_int_equal(d->n_issues, 1);
        assert_non_null(strstr(d->issues[0].message, "contains itself"));
        assert_null(d->root);
        al_ydoc_free(d);
    }
    struct al_ydoc *d = load("a: &x1 [&x2 1]\nb: *x3\n");
    assert_int_equal(d->n_issues, 1);
    assert_non_null(strstr(d->issues[0].message, "unknown anchor 'x3'"));
    al_ydoc_free(d);
}

/* n distinct anchors, each aliased: the cost of the smallest of five runs at
 * 4n stays within 8 times that at n (quadratic lookup: 16 times). */
static double time_anchors(int n)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_puts(&b, "a:\n");
    for (int i = 0; i < n; i++)
        al_buf_printf(&b, "  - &anchor%d v\n", i);
    al_buf_puts(&b, "b:\n");
    for (int i = 0; i < n; i++)
        al_buf_printf(&b, "  - *anchor%d\n  - *anchor0\n", n - 1 - i);
    double best = 1e9;
    for (int run = 0; run < 5; run++) {
        double t0 = seconds();
        struct al_ydoc *d = al_yaml_load(b.ptr, b.len);
        double took = seconds() - t0;
        assert_clean(d);
        assert_int_equal(al_ymap_get(d->root, "b")->n, 2 * (size_t)n);
        al_ydoc_free(d);
        best = took < best ? took : best;
    }
    al_buf_free(&b);
    return best;
}

static void many_anchors_and_aliases_cost_linear_time(void **state)
{
    (void)state;
    double t1 = time_anchors(5000), t4 = time_anchors(20000);
    fprintf(stderr, "anchors: 5000 %.4f s, 20000 %.4f s\n", t1, t4);
    assert_true(t4 < 8 * t1 + 0.02);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_anchored_flow_list_of_anchors_can_be_aliased),
        cmocka_unit_test(nested_open_anchors_all_close),
        cmocka_unit_test(a_redefined_anchor_resolves_to_the_latest),
        cmocka_unit_test(cycles_and_unknown_names_are_still_reported),
        cmocka_unit_test(many_anchors_and_aliases_cost_linear_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
