/* perm/table.c: a user's permissions as rows and verbs per place, every
 * cell asked of the RBAC engine; and how two cells compare (rbac
 * --verify). The RBAC here is written for these tests. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "kube/kube.h"
#include "perm/table.h"

static const char RBAC[] =
    "apiVersion: rbac.authorization.k8s.io/v1\n"
    "kind: ClusterRole\n"
    "metadata: {name: reader}\n"
    "rules:\n"
    "  - apiGroups: ['']\n"
    "    resources: [pods, pods/log]\n"
    "    verbs: [get, list]\n"
    "  - apiGroups: ['']\n"
    "    resources: [secrets]\n"
    "    resourceNames: [db, api]\n"
    "    verbs: [get]\n"
    "  - nonResourceURLs: [/healthz]\n"
    "    verbs: [get]\n"
    "---\n"
    "apiVersion: rbac.authorization.k8s.io/v1\n"
    "kind: Role\n"
    "metadata: {name: deployer, namespace: web}\n"
    "rules:\n"
    "  - apiGroups: [apps]\n"
    "    resources: ['*/scale', deployments]\n"
    "    verbs: [update, escalate]\n"
    "---\n"
    "apiVersion: rbac.authorization.k8s.io/v1\n"
    "kind: ClusterRoleBinding\n"
    "metadata: {name: readers}\n"
    "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}\n"
    "subjects: [{kind: Group, name: team}]\n"
    "---\n"
    "apiVersion: rbac.authorization.k8s.io/v1\n"
    "kind: RoleBinding\n"
    "metadata: {name: deployers, namespace: web}\n"
    "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}\n"
    "subjects: [{kind: User, name: alice}]\n";

static struct al_kube *kube(void)
{
    struct al_kube *k = al_kube_new();
    assert_int_equal(al_kube_add_text(k, "rbac.yaml", RBAC, strlen(RBAC)), 0);
    assert_int_equal(al_kube_finish(k), 0);
    return k;
}

static const char *const ALICE_GROUPS[] = {"team", "system:authenticated"};
static const struct al_kube_user ALICE = {"alice", ALICE_GROUPS, 2};

static long find_row(const struct al_perm_axes *x, const char *name)
{
    for (size_t i = 0; i < x->n_rows; i++) {
        struct al_buf b = AL_BUF_INIT;
        al_perm_row_name(&x->rows[i], &b);
        bool same = strcmp(al_buf_cstr(&b), name) == 0;
        al_buf_free(&b);
        if (same)
            return (long)i;
    }
    return -1;
}

static long find_str(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if ((!s && !v[i]) || (s && v[i] && strcmp(v[i], s) == 0))
            return (long)i;
    return -1;
}

static enum al_perm_state state(const struct al_perm_table *t, const char *place, const char *row,
                                const char *verb)
{
    const struct al_perm_axes *x = t->axes;
    long p = find_str(x->places, x->n_places, place), r = find_row(x, row),
         v = find_str(x->verbs, x->n_verbs, verb);
    if (p < 0 || r < 0 || v < 0)
        fail_msg("no cell %s / %s / %s", place ? place : "(every namespace)", row, verb);
    return al_perm_table_cell(t, (size_t)p, (size_t)r, (size_t)v)->state;
}

static void test_axes(void **state_)
{
    (void)state_;
    struct al_kube *k = kube();
    struct al_perm_axes x;
    al_perm_axes_init(&x);
    al_perm_axes_add(&x, k, &ALICE, "api");
    al_perm_axes_sort(&x);
    /* places: every namespace first, then sorted, the extra one included */
    assert_int_equal(x.n_places, 3);
    assert_null(x.places[0]);
    assert_string_equal(x.places[1], "api");
    assert_string_equal(x.places[2], "web");
    /* the usual eight verbs first, then the others, sorted */
    assert_string_equal(x.verbs[0], "get");
    assert_string_equal(x.verbs[7], "deletecollection");
    assert_int_equal(x.n_verbs, 9);
    assert_string_equal(x.verbs[8], "escalate");
    /* rows: core group first, subresources their own, URLs last */
    assert_true(find_row(&x, "pods") >= 0);
    assert_true(find_row(&x, "pods/log") >= 0);
    assert_true(find_row(&x, "*.apps/scale") >= 0);
    assert_true(find_row(&x, "deployments.apps") >= 0);
    assert_int_equal(find_row(&x, "/healthz"), (long)x.n_rows - 1);
    assert_true(find_row(&x, "pods") < find_row(&x, "deployments.apps"));
    al_perm_axes_free(&x);
    al_kube_free(k);
}

static void test_cells(void **state_)
{
    (void)state_;
    struct al_kube *k = kube();
    struct al_perm_axes x;
    al_perm_axes_init(&x);
    al_perm_axes_add(&x, k, &ALICE, NULL);
    al_perm_axes_sort(&x);
    struct al_perm_table t;
    al_perm_table_build(&t, &x, k, &ALICE);
    /* ClusterRoleBinding: everywhere; RoleBinding: only in its namespace */
    assert_int_equal(state(&t, NULL, "pods", "get"), AL_PERM_YES);
    assert_int_equal(state(&t, "web", "pods", "list"), AL_PERM_YES);
    assert_int_equal(state(&t, NULL, "pods", "delete"), AL_PERM_NO);
    assert_int_equal(state(&t, NULL, "pods/log", "get"), AL_PERM_YES);
    assert_int_equal(state(&t, NULL, "deployments.apps", "update"), AL_PERM_NO);
    assert_int_equal(state(&t, "web", "deployments.apps", "update"), AL_PERM_YES);
    assert_int_equal(state(&t, "web", "deployments.apps", "escalate"), AL_PERM_YES);
    assert_int_equal(state(&t, "web", "*.apps/scale", "update"), AL_PERM_YES);
    /* resourceNames: only those objects, sorted */
    assert_int_equal(state(&t, NULL, "secrets", "get"), AL_PERM_NAMES);
    long p = find_str(x.places, x.n_places, NULL), r = find_row(&x, "secrets");
    const struct al_perm_cell *c = al_perm_table_cell(&t, (size_t)p, (size_t)r, 0);
    assert_int_equal(c->n_names, 2);
    assert_string_equal(c->names[0], "api");
    assert_string_equal(c->names[1], "db");
    assert_string_equal(c->by.binding->name, "readers");
    assert_int_equal(state(&t, NULL, "secrets", "list"), AL_PERM_NO);
    /* URLs: answered once, in the first place */
    assert_int_equal(state(&t, NULL, "/healthz", "get"), AL_PERM_YES);
    assert_int_equal(state(&t, "web", "/healthz", "get"), AL_PERM_NO);
    /* the deciding grant */
    r = find_row(&x, "deployments.apps");
    c = al_perm_table_cell(&t, (size_t)find_str(x.places, x.n_places, "web"), (size_t)r,
                           (size_t)find_str(x.verbs, x.n_verbs, "update"));
    assert_string_equal(c->by.binding->name, "deployers");
    assert_string_equal(c->by.role->name, "deployer");
    assert_int_equal(c->by.rule->src.line, 19); /* "  - apiGroups: [apps]" */
    assert_true(al_perm_table_place_any(&t, 0));
    al_perm_table_free(&t);
    al_perm_axes_free(&x);
    al_kube_free(k);
}

static void test_other_user_shares_axes(void **state_)
{
    (void)state_;
    struct al_kube *k = kube();
    static const char *const bob_groups[] = {"system:authenticated"};
    const struct al_kube_user bob = {"bob", bob_groups, 1};
    struct al_perm_axes x;
    al_perm_axes_init(&x);
    al_perm_axes_add(&x, k, &ALICE, NULL);
    al_perm_axes_add(&x, k, &bob, NULL);
    al_perm_axes_sort(&x);
    struct al_perm_table t;
    al_perm_table_build(&t, &x, k, &bob);
    for (size_t p = 0; p < x.n_places; p++)
        assert_false(al_perm_table_place_any(&t, p));
    al_perm_table_free(&t);
    al_perm_axes_free(&x);
    al_kube_free(k);
}

static void test_compare(void **state_)
{
    (void)state_;
    static const char *const ab[] = {"a", "b"}, *const bc[] = {"b", "c"}, *const b[] = {"b"};
    struct al_perm_cell no = {AL_PERM_NO, NULL, 0, {0}}, yes = {AL_PERM_YES, NULL, 0, {0}};
    struct al_perm_cell n_ab = {AL_PERM_NAMES, ab, 2, {0}}, n_bc = {AL_PERM_NAMES, bc, 2, {0}},
                        n_b = {AL_PERM_NAMES, b, 1, {0}};
    assert_int_equal(al_perm_cell_compare(&no, &no), AL_PERM_SAME);
    assert_int_equal(al_perm_cell_compare(&yes, &yes), AL_PERM_SAME);
    assert_int_equal(al_perm_cell_compare(&no, &yes), AL_PERM_WIDER);
    assert_int_equal(al_perm_cell_compare(&yes, &no), AL_PERM_NARROWER);
    assert_int_equal(al_perm_cell_compare(&n_ab, &yes), AL_PERM_WIDER);
    assert_int_equal(al_perm_cell_compare(&yes, &n_ab), AL_PERM_NARROWER);
    assert_int_equal(al_perm_cell_compare(&n_b, &n_ab), AL_PERM_WIDER);
    assert_int_equal(al_perm_cell_compare(&n_ab, &n_b), AL_PERM_NARROWER);
    assert_int_equal(al_perm_cell_compare(&n_ab, &n_bc), AL_PERM_MIXED);
    assert_int_equal(al_perm_cell_compare(&n_ab, &n_ab), AL_PERM_SAME);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_axes),
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_other_user_shares_axes),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
