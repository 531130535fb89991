/* The RBAC engine (kube/) against Kubernetes' own test cases, restated as
 * data in testdata/kube/ (sources and commits in its README), plus the
 * loader's handling of bad input, the subject index and the identity join
 * (perm/). Every case of a file runs; a failure names the case. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/error.h"
#include "kube/kube.h"
#include "perm/perm.h"
#include "model/yaml.h"

static char *read_file(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/kube/%s", TESTDATA_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (tests run from the repository root)", path);
    struct al_buf b = AL_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        al_buf_put(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return al_buf_detach(&b);
}

static struct al_ydoc *load_cases(const char *name, char **text)
{
    size_t len;
    *text = read_file(name, &len);
    struct al_ydoc *doc = al_yaml_load(*text, len);
    if (!doc->root || doc->root->kind != AL_YMAP)
        fail_msg("%s does not load as a YAML mapping", name);
    return doc;
}

static const char *str_of(const struct al_ynode *map, const char *key)
{
    const struct al_ynode *n = al_ymap_get(map, key);
    return n && n->kind == AL_YSTR ? n->str : NULL;
}

/* The `rbac` text of a case, as a List (the data writes only the items). */
static struct al_kube *kube_of(const struct al_ynode *c, const char *file)
{
    struct al_kube *k = al_kube_new();
    const struct al_ynode *d = al_ymap_get(c, "defaults");
    if (d && d->kind == AL_YBOOL && d->v.b)
        assert_int_equal(al_kube_add_defaults(k, NULL), 0);
    const char *rbac = str_of(c, "rbac");
    if (rbac && *rbac) {
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b, "apiVersion: v1\nkind: List\nitems:\n%s", rbac);
        assert_int_equal(al_kube_add_text(k, file, b.ptr, b.len), 0);
        al_buf_free(&b);
    }
    assert_int_equal(al_kube_finish(k), 0);
    for (size_t i = 0; i < k->n_diags; i++)
        if (k->diags[i].severity == AL_KUBE_ERROR)
            fail_msg("%s: %s: %s", file, str_of(c, "name"), k->diags[i].message);
    return k;
}

static void request_of(const struct al_ynode *r, struct al_kube_request *q)
{
    memset(q, 0, sizeof(*q));
    q->verb = str_of(r, "verb");
    q->api_group = str_of(r, "group");
    if (!q->api_group)
        q->api_group = "";
    q->resource = str_of(r, "resource");
    q->subresource = str_of(r, "subresource");
    q->name = str_of(r, "name");
    q->namespace = str_of(r, "namespace");
    q->path = str_of(r, "path");
}

static void user_of(const struct al_ynode *r, struct al_kube_user *u, const char **groups)
{
    u->name = str_of(r, "user");
    if (!u->name)
        u->name = "";
    u->n_groups = 0;
    const struct al_ynode *g = al_ymap_get(r, "groups");
    for (size_t i = 0; g && i < g->n && i < 16; i++)
        groups[u->n_groups++] = g->items[i]->str;
    u->groups = groups;
}

static bool expected(const struct al_ynode *r)
{
    const struct al_ynode *a = al_ymap_get(r, "allowed");
    if (!a || a->kind != AL_YBOOL)
        fail_msg("a request without `allowed: true|false`");
    return a->v.b;
}

/* Cases with `rbac` and `requests` through the whole authorizer. */
static void run_authorizer_file(const char *file)
{
    char *text;
    struct al_ydoc *doc = load_cases(file, &text);
    const struct al_ynode *cases = al_ymap_get(doc->root, "cases");
    assert_non_null(cases);
    int failed = 0, ran = 0;
    for (size_t i = 0; i < cases->n; i++) {
        const struct al_ynode *c = cases->items[i];
        struct al_kube *k = kube_of(c, file);
        const struct al_ynode *reqs = al_ymap_get(c, "requests");
        for (size_t j = 0; reqs && j < reqs->n; j++) {
            struct al_kube_request q;
            struct al_kube_user u;
            const char *groups[16];
            request_of(reqs->items[j], &q);
            user_of(reqs->items[j], &u, groups);
            struct al_kube_answer a;
            bool got = al_kube_authorize(k, &u, &q, &a);
            ran++;
            if (got != expected(reqs->items[j])) {
                failed++;
                fprintf(stderr, "%s: %s: request %zu: expected %s, got %s\n", file,
                        str_of(c, "name"), j, got ? "deny" : "allow", got ? "allow" : "deny");
            } else if (got && !a.privileged_group) {
                /* The deciding grant is real: its rule allows the request. */
                assert_non_null(a.by.binding);
                assert_true(al_kube_rule_allows(a.by.rule, &q));
            }
        }
        al_kube_free(k);
    }
    printf("%s: %d requests, %d failed\n", file, ran, failed);
    al_ydoc_free(doc);
    free(text);
    assert_int_equal(failed, 0);
    assert_true(ran > 0);
}

static void test_authorizer(void **state)
{
    (void)state;
    run_authorizer_file("authorizer.yaml");
}

static void test_applies_to(void **state)
{
    (void)state;
    run_authorizer_file("applies_to.yaml");
}

static void test_bootstrap(void **state)
{
    (void)state;
    run_authorizer_file("bootstrap.yaml");
}

/* Cases with one `rule` and requests through RuleAllows. */
static void run_rule_file(const char *file)
{
    char *text;
    struct al_ydoc *doc = load_cases(file, &text);
    const struct al_ynode *cases = al_ymap_get(doc->root, "cases");
    int failed = 0, ran = 0;
    for (size_t i = 0; i < cases->n; i++) {
        const struct al_ynode *c = cases->items[i];
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b,
                      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                      "metadata: {name: r}\nrules: [%s]\n",
                      str_of(c, "rule"));
        struct al_kube *k = al_kube_new();
        assert_int_equal(al_kube_add_text(k, file, b.ptr, b.len), 0);
        al_buf_free(&b);
        assert_int_equal(k->n_roles, 1);
        assert_int_equal(k->roles[0]->n_rules, 1);
        const struct al_kube_rule *rule = &k->roles[0]->rules[0];
        const struct al_ynode *reqs = al_ymap_get(c, "requests");
        for (size_t j = 0; j < reqs->n; j++) {
            struct al_kube_request q;
            request_of(reqs->items[j], &q);
            bool got = al_kube_rule_allows(rule, &q);
            ran++;
            if (got != expected(reqs->items[j])) {
                failed++;
                fprintf(stderr, "%s: %s: request %zu: expected %s\n", file, str_of(c, "name"), j,
                        got ? "deny" : "allow");
            }
        }
        al_kube_free(k);
    }
    printf("%s: %d requests, %d failed\n", file, ran, failed);
    al_ydoc_free(doc);
    free(text);
    assert_int_equal(failed, 0);
}

static void test_rule_matches(void **state)
{
    (void)state;
    run_rule_file("rule_matches.yaml");
}

static void test_helpers(void **state)
{
    (void)state;
    run_rule_file("helpers.yaml");
}

/* VERBS|APIGROUPS|RESOURCES, each list comma-joined. */
static void rule_text(struct al_buf *b, const struct al_kube_rule *r)
{
    al_buf_clear(b);
    for (size_t i = 0; i < r->n_verbs; i++)
        al_buf_printf(b, "%s%s", i ? "," : "", r->verbs[i]);
    al_buf_putc(b, '|');
    for (size_t i = 0; i < r->n_api_groups; i++)
        al_buf_printf(b, "%s%s", i ? "," : "", r->api_groups[i]);
    al_buf_putc(b, '|');
    for (size_t i = 0; i < r->n_resources; i++)
        al_buf_printf(b, "%s%s", i ? "," : "", r->resources[i]);
}

static const struct al_kube_role *role_named(const struct al_kube *k, const char *name)
{
    for (size_t i = 0; i < k->n_roles; i++)
        if (strcmp(k->roles[i]->name, name) == 0)
            return k->roles[i];
    return NULL;
}

static void test_aggregation(void **state)
{
    (void)state;
    char *text;
    struct al_ydoc *doc = load_cases("aggregation.yaml", &text);
    const struct al_ynode *cases = al_ymap_get(doc->root, "cases");
    int failed = 0;
    struct al_buf b = AL_BUF_INIT;
    for (size_t i = 0; i < cases->n; i++) {
        const struct al_ynode *c = cases->items[i];
        struct al_kube *k = kube_of(c, "aggregation.yaml");
        const struct al_kube_role *combined = role_named(k, "combined");
        assert_non_null(combined);
        const struct al_ynode *want = al_ymap_get(c, "rules");
        bool ok = combined->n_rules == want->n;
        for (size_t j = 0; ok && j < want->n; j++) {
            rule_text(&b, &combined->rules[j]);
            ok = strcmp(b.ptr, want->items[j]->str) == 0;
        }
        if (!ok) {
            failed++;
            fprintf(stderr, "aggregation.yaml: %s: got %zu rules:", str_of(c, "name"),
                    combined->n_rules);
            for (size_t j = 0; j < combined->n_rules; j++) {
                rule_text(&b, &combined->rules[j]);
                fprintf(stderr, " %s", b.ptr);
            }
            fputc('\n', stderr);
        }
        al_kube_free(k);
    }
    al_buf_free(&b);
    printf("aggregation.yaml: %zu cases, %d failed\n", cases->n, failed);
    al_ydoc_free(doc);
    free(text);
    assert_int_equal(failed, 0);
}

struct collect {
    char **texts;
    size_t n;
};

static int collect_rule(void *data, const struct al_kube_grant *g)
{
    struct collect *c = data;
    struct al_buf b = AL_BUF_INIT;
    rule_text(&b, g->rule);
    c->texts[c->n++] = al_buf_detach(&b);
    return 0;
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_resolver(void **state)
{
    (void)state;
    char *text;
    struct al_ydoc *doc = load_cases("resolver.yaml", &text);
    struct al_kube *k = kube_of(doc->root, "resolver.yaml");
    const struct al_ynode *cases = al_ymap_get(doc->root, "cases");
    for (size_t i = 0; i < cases->n; i++) {
        const struct al_ynode *c = cases->items[i];
        struct al_kube_user u;
        const char *groups[16];
        user_of(c, &u, groups);
        const char *ns = str_of(c, "namespace");
        char *texts[64];
        struct collect col = {texts, 0};
        al_kube_grants(k, &u, ns ? ns : "", collect_rule, &col);
        const struct al_ynode *want = al_ymap_get(c, "rules");
        qsort(texts, col.n, sizeof(*texts), cmp_text);
        const char *w[64];
        for (size_t j = 0; j < want->n; j++)
            w[j] = want->items[j]->str;
        qsort(w, want->n, sizeof(*w), cmp_text);
        if (col.n != want->n)
            fail_msg("resolver.yaml: %s: %zu rules, expected %zu", str_of(c, "name"), col.n,
                     want->n);
        for (size_t j = 0; j < col.n; j++) {
            assert_string_equal(texts[j], w[j]);
            free(texts[j]);
        }
    }
    al_kube_free(k);
    al_ydoc_free(doc);
    free(text);
}

/* ---- input handling ---- */

static struct al_kube *load_text(const char *text)
{
    struct al_kube *k = al_kube_new();
    assert_int_equal(al_kube_add_text(k, "t.yaml", text, strlen(text)), 0);
    assert_int_equal(al_kube_finish(k), 0);
    return k;
}

static bool has_diag(const struct al_kube *k, enum al_kube_severity s, const char *part)
{
    for (size_t i = 0; i < k->n_diags; i++)
        if (k->diags[i].severity == s && strstr(k->diags[i].message, part))
            return true;
    return false;
}

static void test_load_streams_and_lists(void **state)
{
    (void)state;
    /* Two documents, the second a List as `kubectl get -o yaml` writes, a
     * JSON document, and a kind that is not RBAC. */
    struct al_kube *k = load_text(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: a}\n"
        "rules: [{verbs: [get], apiGroups: [''], resources: [pods]}]\n"
        "---\n"
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: RoleBinding\n"
        "  metadata: {name: b, namespace: ns}\n"
        "  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: a}\n"
        "  subjects: [{kind: Group, name: g}]\n"
        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n"
        "---\n"
        "{\"apiVersion\": \"rbac.authorization.k8s.io/v1\", \"kind\": \"Role\", \"metadata\": "
        "{\"name\": \"r\", \"namespace\": \"ns\"}, \"rules\": []}\n");
    assert_int_equal(k->n_roles, 2);
    assert_int_equal(k->n_bindings, 1);
    assert_non_null(k->bindings[0]->role);
    assert_int_equal(k->bindings[0]->src.line, 9);
    assert_true(has_diag(k, AL_KUBE_NOTE, "ConfigMap"));
    size_t n;
    const char *const *ns = al_kube_namespaces(k, &n);
    assert_int_equal(n, 1);
    assert_string_equal(ns[0], "ns");
    al_kube_free(k);
}

static void test_load_bad_objects(void **state)
{
    (void)state;
    /* A YAML 1.1 boolean where a string belongs (kubectl refuses it), a
     * missing name, a non-mapping document, an unknown subject kind, a
     * ClusterRoleBinding to a Role, a binding to a missing role. */
    struct al_kube *k = load_text(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: a}\n"
        "rules: [{verbs: [get, on], resources: [pods]}]\n"
        "---\nkind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {}\n"
        "---\n- just a list\n"
        "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n"
        "metadata: {name: x}\nroleRef: {kind: Role, name: r, apiGroup: rbac.authorization.k8s.io}\n"
        "subjects: [{kind: user, name: u}]\n"
        "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
        "metadata: {name: yb, namespace: nb}\n"
        "roleRef: {kind: ClusterRole, name: missing, apiGroup: rbac.authorization.k8s.io}\n"
        "subjects: [{kind: User, name: u}]\n");
    assert_int_equal(k->n_roles, 0);
    assert_int_equal(k->n_bindings, 2);
    assert_true(has_diag(k, AL_KUBE_ERROR, "`verbs` must be a string"));
    assert_true(has_diag(k, AL_KUBE_ERROR, "no `name`"));
    assert_true(has_diag(k, AL_KUBE_ERROR, "must be a mapping"));
    assert_true(has_diag(k, AL_KUBE_WARNING, "subject kind `user`"));
    assert_true(has_diag(k, AL_KUBE_WARNING, "can only refer to a ClusterRole"));
    assert_true(has_diag(k, AL_KUBE_WARNING, "not in the RBAC input"));
    struct al_kube_user u = {"u", NULL, 0};
    struct al_kube_request q = {
        .verb = "get", .api_group = "", .resource = "pods", .namespace = "nb"};
    struct al_kube_answer a;
    assert_false(al_kube_authorize(k, &u, &q, &a));
    al_kube_free(k);
}

static void test_load_syntax_and_limits(void **state)
{
    (void)state;
    struct al_kube *k = al_kube_new();
    const char *bad = "kind: ClusterRole\nmetadata: {name: [\n";
    assert_int_equal(al_kube_add_text(k, "t.yaml", bad, strlen(bad)), 0);
    assert_true(has_diag(k, AL_KUBE_ERROR, "not read"));
    /* Too large: refused with a sentence, before parsing. */
    assert_true(al_kube_add_text(k, "big.yaml", bad, (size_t)AL_KUBE_MAX_FILE + 1) < 0);
    assert_non_null(strstr(al_error_last(), "split"));
    al_kube_free(k);
    /* An alias bomb over many documents stays bounded. */
    struct al_buf b = AL_BUF_INIT;
    al_buf_puts(&b, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 0; i < 6; i++)
        al_buf_printf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", 'b' + i,
                      'b' + i, 'a' + i, 'a' + i, 'a' + i, 'a' + i, 'a' + i, 'a' + i, 'a' + i,
                      'a' + i, 'a' + i, 'a' + i);
    k = al_kube_new();
    assert_int_equal(al_kube_add_text(k, "bomb.yaml", b.ptr, b.len), 0);
    assert_true(has_diag(k, AL_KUBE_ERROR, "too many nodes"));
    al_kube_free(k);
    al_buf_free(&b);
}

static void test_defaults_versions(void **state)
{
    (void)state;
    size_t n;
    const char *const *v = al_kube_versions(&n);
    assert_true(n >= 1);
    assert_string_equal(v[n - 1], al_kube_default_version());
    struct al_kube *k = al_kube_new();
    assert_true(al_kube_add_defaults(k, "1.2") < 0);
    assert_non_null(strstr(al_error_last(), al_kube_default_version()));
    assert_int_equal(al_kube_add_defaults(k, v[0]), 0);
    assert_int_equal(al_kube_finish(k), 0);
    assert_int_equal(k->n_diags, 0);
    const struct al_kube_role *admin = role_named(k, "admin");
    assert_non_null(admin);
    assert_true(admin->builtin && admin->aggregated && admin->n_rules > 10);
    al_kube_free(k);
}

/* ---- requests as kubectl reads them ---- */

static void test_request_parse(void **state)
{
    (void)state;
    struct al_kube *k = al_kube_new();
    struct al_kube_request q;
    assert_int_equal(al_kube_request_parse(k, "get", "pods", NULL, "ns", &q), 0);
    assert_string_equal(q.resource, "pods");
    assert_string_equal(q.api_group, "");
    assert_string_equal(q.namespace, "ns");
    assert_int_equal(al_kube_request_parse(k, "create", "deployments.apps", NULL, NULL, &q), 0);
    assert_string_equal(q.resource, "deployments");
    assert_string_equal(q.api_group, "apps");
    assert_int_equal(al_kube_request_parse(k, "create", "Deployments.v1.apps", NULL, NULL, &q), 0);
    assert_string_equal(q.resource, "deployments");
    assert_string_equal(q.api_group, "apps");
    assert_int_equal(al_kube_request_parse(k, "get", "deploy", NULL, NULL, &q), 0);
    assert_string_equal(q.resource, "deployments");
    assert_string_equal(q.api_group, "apps");
    /* kubectl: TYPE/NAME, not a subresource. */
    assert_int_equal(al_kube_request_parse(k, "get", "pods/log", NULL, NULL, &q), 0);
    assert_string_equal(q.name, "log");
    assert_null(q.subresource);
    assert_int_equal(al_kube_request_parse(k, "get", "pods", "log", NULL, &q), 0);
    assert_string_equal(q.subresource, "log");
    assert_int_equal(al_kube_request_parse(k, "get", "foos.example.com", NULL, NULL, &q), 0);
    assert_string_equal(q.resource, "foos");
    assert_string_equal(q.api_group, "example.com");
    assert_int_equal(al_kube_request_parse(k, "get", "/healthz", NULL, "ns", &q), 0);
    assert_string_equal(q.path, "/healthz");
    assert_true(al_kube_request_parse(k, "get", "/healthz", "x", NULL, &q) < 0);
    assert_true(al_kube_request_parse(k, "", "pods", NULL, NULL, &q) < 0);
    assert_true(al_kube_request_parse(k, "get", "", NULL, NULL, &q) < 0);
    assert_true(al_kube_request_parse(k, "get", "/secrets", NULL, NULL, &q) == 0);
    assert_null(q.resource); /* a leading / is always a URL */
    al_kube_free(k);
}

/* ---- users: service accounts and impersonation ---- */

static void test_users(void **state)
{
    (void)state;
    struct al_kube *k = al_kube_new();
    const char *ns, *name;
    assert_true(al_kube_sa_parse(k, "system:serviceaccount:gitlab-agent:agent", &ns, &name));
    assert_string_equal(ns, "gitlab-agent");
    assert_string_equal(name, "agent");
    assert_false(al_kube_sa_parse(k, "system:serviceaccount:a:b:c", &ns, &name));
    assert_false(al_kube_sa_parse(k, "system:serviceaccount::b", &ns, &name));
    assert_false(al_kube_sa_parse(k, "system:serviceaccounts:a", &ns, &name));

    struct al_kube_user u;
    const char *g1[] = {"gitlab:ci_job", "gitlab:project:1"};
    al_perm_impersonated(k, "gitlab:ci_job:<job id>", g1, 2, &u);
    assert_int_equal(u.n_groups, 3);
    assert_string_equal(u.groups[2], "system:authenticated");
    const char *g2[] = {"system:authenticated", "x"};
    al_perm_impersonated(k, "someone", g2, 2, &u);
    assert_int_equal(u.n_groups, 2);
    al_perm_impersonated(k, "system:anonymous", NULL, 0, &u);
    assert_int_equal(u.n_groups, 1);
    assert_string_equal(u.groups[0], "system:unauthenticated");
    /* A service account impersonated without groups gets its SA groups. */
    al_perm_impersonated(k, "system:serviceaccount:ns:sa", NULL, 0, &u);
    assert_int_equal(u.n_groups, 3);
    assert_string_equal(u.groups[1], "system:serviceaccounts:ns");

    struct al_perm_opts o = {0};
    assert_int_equal(al_perm_agent_sa_parse(k, "gitlab-agent/gitlab-agent", &o), 0);
    assert_string_equal(o.agent_sa_namespace, "gitlab-agent");
    assert_true(al_perm_agent_sa_parse(k, "gitlab-agent", &o) < 0);
    assert_int_equal(al_perm_agent_sa_parse(k, "ns:sa", &o), 0);
    assert_string_equal(o.agent_sa_name, "sa");
    assert_true(al_perm_agent_sa_parse(k, "ns/a:b", &o) < 0);
    assert_true(al_perm_agent_sa_parse(k, "/x", &o) < 0);
    assert_true(al_perm_agent_sa_parse(k, "A/x", &o) < 0);
    al_kube_free(k);
}

/* A ServiceAccount subject without a namespace in a RoleBinding is the
 * binding's namespace; in a ClusterRoleBinding it matches nobody. */
static void test_sa_subject_namespace(void **state)
{
    (void)state;
    struct al_kube *k = load_text(
        "apiVersion: v1\nkind: List\nitems:\n"
        "- {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: all}, "
        "rules: [{verbs: ['*'], apiGroups: ['*'], resources: ['*']}]}\n"
        "- {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: b, "
        "namespace: team}, roleRef: {kind: ClusterRole, name: all, apiGroup: "
        "rbac.authorization.k8s.io}, subjects: [{kind: ServiceAccount, name: deployer}]}\n"
        "- {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding, metadata: {name: "
        "c}, roleRef: {kind: ClusterRole, name: all, apiGroup: rbac.authorization.k8s.io}, "
        "subjects: [{kind: ServiceAccount, name: other}]}\n");
    struct al_kube_user u;
    al_kube_user_sa(k, "team", "deployer", &u);
    struct al_kube_request q = {
        .verb = "get", .api_group = "", .resource = "pods", .namespace = "team"};
    struct al_kube_answer a;
    assert_true(al_kube_authorize(k, &u, &q, &a));
    assert_string_equal(a.by.binding->name, "b");
    assert_string_equal(a.by.namespace, "team");
    q.namespace = "else";
    assert_false(al_kube_authorize(k, &u, &q, &a));
    al_kube_user_sa(k, "default", "other", &u);
    assert_false(al_kube_authorize(k, &u, &q, &a));
    al_kube_free(k);
}

/* 10,000 bindings x 1,000 users: each query costs the user's bindings. */
static void test_scale(void **state)
{
    (void)state;
    struct al_buf b = AL_BUF_INIT;
    al_buf_puts(&b, "apiVersion: v1\nkind: List\nitems:\n"
                    "- {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: "
                    "{name: edit-ish}, rules: [{verbs: [get, create], apiGroups: [''], "
                    "resources: [pods, secrets]}]}\n");
    for (int i = 0; i < 10000; i++)
        al_buf_printf(&b,
                      "- {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: "
                      "{name: b%d, namespace: ns%d}, roleRef: {kind: ClusterRole, name: edit-ish, "
                      "apiGroup: rbac.authorization.k8s.io}, subjects: [{kind: Group, name: "
                      "'gitlab:project:%d'}]}\n",
                      i, i % 100, i % 1000);
    struct al_kube *k = al_kube_new();
    assert_int_equal(al_kube_add_text(k, "scale.yaml", b.ptr, b.len), 0);
    assert_int_equal(al_kube_finish(k), 0);
    al_buf_free(&b);
    clock_t t0 = clock();
    int yes = 0;
    for (int j = 0; j < 1000; j++) {
        char g[64];
        snprintf(g, sizeof g, "gitlab:project:%d", j);
        const char *groups[] = {"gitlab:ci_job", g, "system:authenticated"};
        struct al_kube_user u = {"gitlab:ci_job:<job id>", groups, 3};
        struct al_kube_request q = {
            .verb = "create", .api_group = "", .resource = "secrets", .namespace = "ns7"};
        struct al_kube_answer a;
        yes += al_kube_authorize(k, &u, &q, &a);
    }
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    printf("scale: 10,000 bindings, 1,000 users: %.3f s, %d allowed\n", secs, yes);
    /* project j has bindings i = j + 1000 m, in namespaces (j + 1000 m) % 100 = j % 100. */
    assert_int_equal(yes, 10);
    assert_true(secs < 2.0);
    al_kube_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_authorizer),
        cmocka_unit_test(test_rule_matches),
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_applies_to),
        cmocka_unit_test(test_resolver),
        cmocka_unit_test(test_aggregation),
        cmocka_unit_test(test_bootstrap),
        cmocka_unit_test(test_load_streams_and_lists),
        cmocka_unit_test(test_load_bad_objects),
        cmocka_unit_test(test_load_syntax_and_limits),
        cmocka_unit_test(test_defaults_versions),
        cmocka_unit_test(test_request_parse),
        cmocka_unit_test(test_users),
        cmocka_unit_test(test_sa_subject_namespace),
        cmocka_unit_test(test_scale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
