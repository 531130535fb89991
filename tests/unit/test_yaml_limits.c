/* Hostile YAML stays cheap: large mappings and merge keys that repeat a large
 * anchor cost linear time (they were quadratic), and duplicate detection
 * works the same past the size where mappings get a key index. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "model/yaml.h"

static double seconds(void)
{
    struct timespec ts;
    /* CPU time: a loaded machine preempts the run without slowing the parser. */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct al_ydoc *load_buf(struct al_buf *b)
{
    return al_yaml_load(b->ptr, b->len);
}

static void duplicates_past_the_index_threshold(void **state)
{
    (void)state;
    struct al_buf b = AL_BUF_INIT;
    for (int i = 0; i < 100; i++)
        al_buf_printf(&b, "k%d: %d\n", i, i);
    al_buf_puts(&b, "k7: last\nk99: again\n");
    struct al_ydoc *d = load_buf(&b);
    assert_int_equal(d->n_issues, 2);
    assert_int_equal(d->issues[0].kind, AL_YI_DUPLICATE_KEY);
    assert_int_equal(d->issues[0].pos.line, 101);
    assert_int_equal(d->issues[0].other.line, 8);
    assert_int_equal(d->issues[1].other.line, 100);
    assert_int_equal(d->root->n, 100);
    assert_string_equal(al_ymap_get(d->root, "k7")->str, "last");
    al_ydoc_free(d);
    al_buf_free(&b);
}

static void typed_keys_compare_by_value(void **state)
{
    (void)state;
    struct al_buf b = AL_BUF_INIT;
    for (int i = 0; i < 40; i++)
        al_buf_printf(&b, "s%d: x\n", i);
    /* 0x10 and 16 are the same int; 0.0 and -0.0 the same float; "16" a string. */
    al_buf_puts(&b, "16: a\n0x10: b\n\"16\": c\n0.0: d\n-0.0: e\n.nan: f\n.nan: g\n");
    struct al_ydoc *d = load_buf(&b);
    assert_int_equal(d->n_issues, 2);
    assert_int_equal(d->issues[0].pos.line, 42);
    assert_int_equal(d->issues[1].pos.line, 45);
    assert_int_equal(d->root->n, 40 + 5);
    al_ydoc_free(d);
    al_buf_free(&b);
}

/* The smallest CPU time of three loads of the buffer. */
static double best_load_time(struct al_buf *b)
{
    double best = 1e9;
    for (int run = 0; run < 3; run++) {
        double t0 = seconds();
        struct al_ydoc *d = load_buf(b);
        double took = seconds() - t0;
        al_ydoc_free(d);
        best = took < best ? took : best;
    }
    return best;
}

/* 45 merges of an anchored mapping of n keys. */
static void merge_doc(struct al_buf *b, int n)
{
    al_buf_clear(b);
    al_buf_puts(b, "a: &a\n");
    for (int i = 0; i < n; i++)
        al_buf_printf(b, "  k%d: 1\n", i);
    for (int i = 0; i < 45; i++)
        al_buf_printf(b, "m%d: {<<: *a, k1: 2}\n", i);
}

/* Cost grows with the merged output: four times the keys stay within eight
 * times the time (a quadratic merge: sixteen). No absolute times. */
static void merging_a_large_anchor_many_times_is_linear(void **state)
{
    (void)state;
    struct al_buf b = AL_BUF_INIT;
    merge_doc(&b, 10000);
    struct al_ydoc *d = load_buf(&b);
    assert_int_equal(d->n_issues, 0);
    const struct al_ynode *m = al_ymap_get(d->root, "m44");
    assert_int_equal(m->n, 10000);
    assert_int_equal(al_ymap_get(m, "k1")->v.i, 2);
    al_ydoc_free(d);
    double t4 = best_load_time(&b);
    merge_doc(&b, 2500);
    double t1 = best_load_time(&b);
    fprintf(stderr, "merge: 2500 keys %.4f s, 10000 keys %.4f s\n", t1, t4);
    assert_true(t4 < 8 * t1 + 0.02);
    al_buf_free(&b);
}

static void mapping_doc(struct al_buf *b, int n)
{
    al_buf_clear(b);
    al_buf_puts(b, "a:\n");
    for (int i = 0; i < n; i++)
        al_buf_printf(b, "  k%d: %d\n", i, i);
}

static void a_large_mapping_is_linear(void **state)
{
    (void)state;
    struct al_buf b = AL_BUF_INIT;
    mapping_doc(&b, 100000);
    struct al_ydoc *d = load_buf(&b);
    assert_int_equal(al_ymap_get(d->root, "a")->n, 100000);
    al_ydoc_free(d);
    double t4 = best_load_time(&b);
    mapping_doc(&b, 25000);
    double t1 = best_load_time(&b);
    fprintf(stderr, "mapping: 25000 keys %.4f s, 100000 keys %.4f s\n", t1, t4);
    assert_true(t4 < 8 * t1 + 0.02);
    al_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(duplicates_past_the_index_threshold),
        cmocka_unit_test(typed_keys_compare_by_value),
        cmocka_unit_test(merging_a_large_anchor_many_times_is_linear),
        cmocka_unit_test(a_large_mapping_is_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
