/* The RBAC policy file: which ClusterRole to bind, and where, per agent,
 * entry, environment or tier. Read with our YAML loader (the same types as
 * everywhere else), validated whole before anything is generated: a policy
 * that says something agentlint cannot do is refused with one sentence.
 *
 *   role: view                 # default ClusterRole (--role wins)
 *   cluster_wide: false        # true: ignore the entries' default_namespace
 *   baseline: view             # bind it to every CI job (gitlab:ci_job)
 *   user_baseline: view        # bind it to every user of user_access (gitlab:user)
 *   rules:                     # every rule that matches binds; else the default
 *     - agent: deploy          # selectors: agent, access, project | group,
 *       project: acme/web      #   environment | tier
 *       environment: production
 *       role: edit
 *       namespaces: [web]      # or cluster_wide: true
 */
#include "views/rbac/rbac.h"
#include "access/env.h"
#include "model/paths.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/str.h"
#include "model/yaml.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_POLICY = 1024 * 1024 };

struct pload {
    const char *origin;
    struct al_rbac_policy *p;
    const char *where; /* "rules[2]" or NULL at the top */
};

static int fail(const struct pload *L, const struct al_ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(const struct pload *L, const struct al_ynode *n, const char *fmt, ...)
{
    struct al_buf b = AL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    al_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (n && n->pos.line)
        al_error_set("%s:%u:%u: %s", L->origin, n->pos.line, n->pos.col, al_buf_cstr(&b));
    else
        al_error_set("%s: %s", L->origin, al_buf_cstr(&b));
    al_buf_free(&b);
    return AL_ERR;
}

static const char *dup(const struct pload *L, const char *s)
{
    return al_arena_strdup(&L->p->arena, s);
}

/* "rules[2].role" or "role". */
static const char *key_path(const struct pload *L, const char *key, struct al_buf *b)
{
    al_buf_clear(b);
    if (L->where)
        al_buf_printf(b, "%s.", L->where);
    al_buf_puts(b, key);
    return al_buf_cstr(b);
}

static int want_string(const struct pload *L, const struct al_ynode *n, const char *key)
{
    struct al_buf b = AL_BUF_INIT;
    int rc = 0;
    if (!al_ynode_is_str(n) || !n->len)
        rc = fail(L, n, "%s must be a non-empty string, not %s", key_path(L, key, &b),
                  n->kind == AL_YSTR ? "an empty one" : al_ykind_name(n->kind));
    else if (strlen(n->str) != n->len)
        rc = fail(L, n, "%s must not contain NUL bytes", key_path(L, key, &b));
    al_buf_free(&b);
    return rc;
}

static int get_string(const struct pload *L, const struct al_ynode *n, const char *key,
                      const char **out)
{
    if (want_string(L, n, key) < 0)
        return AL_ERR;
    *out = dup(L, n->str);
    return 0;
}

static int get_role(const struct pload *L, const struct al_ynode *n, const char *key,
                    const char **out)
{
    if (want_string(L, n, key) < 0)
        return AL_ERR;
    if (!al_rbac_role_name_ok(n->str)) {
        struct al_buf b = AL_BUF_INIT;
        fail(L, n,
             "%s must be the name of a ClusterRole (such as view or edit: no '/', no '%%', no "
             "control characters)",
             key_path(L, key, &b));
        al_buf_free(&b);
        return AL_ERR;
    }
    *out = dup(L, n->str);
    return 0;
}

static int get_bool(const struct pload *L, const struct al_ynode *n, const char *key, bool *out)
{
    if (n->kind != AL_YBOOL) {
        struct al_buf b = AL_BUF_INIT;
        fail(L, n, "%s must be true or false, not %s", key_path(L, key, &b),
             al_ykind_name(n->kind));
        al_buf_free(&b);
        return AL_ERR;
    }
    *out = n->v.b;
    return 0;
}

/* Unknown key: say which ones exist, and the nearest one. */
static int unknown_key(const struct pload *L, const struct al_ypair *pair, const char *const *known)
{
    const char *near = NULL;
    size_t best = 3;
    for (const char *const *k = known; *k; k++) {
        size_t d = al_str_distance(pair->name, *k, 2);
        if (d < best)
            best = d, near = *k;
    }
    struct al_buf list = AL_BUF_INIT;
    for (const char *const *k = known; *k; k++)
        al_buf_printf(&list, "%s%s", k == known ? "" : ", ", *k);
    struct al_buf where = AL_BUF_INIT;
    if (L->where)
        al_buf_printf(&where, " in %s", L->where);
    if (near)
        fail(L, pair->key, "unknown key \"%s\"%s: did you mean \"%s\"? (keys: %s)", pair->name,
             al_buf_cstr(&where), near, al_buf_cstr(&list));
    else
        fail(L, pair->key, "unknown key \"%s\"%s (keys: %s)", pair->name, al_buf_cstr(&where),
             al_buf_cstr(&list));
    al_buf_free(&list);
    al_buf_free(&where);
    return AL_ERR;
}

/* ---- one rule ---- */

static const char *const rule_keys[] = {"agent",       "access",       "project",     "group",
                                        "environment", "tier",         "gitlab_role", "role",
                                        "namespaces",  "cluster_wide", NULL};
static const char *const gitlab_roles[] = {"guest",      "planner", "reporter", "developer",
                                           "maintainer", "owner",   NULL};

static int get_access(const struct pload *L, const struct al_ynode *n, struct al_rbac_rule *r)
{
    static const char *const names[] = {"ci_job", "impersonate", "user", NULL};
    if (want_string(L, n, "access") < 0)
        return AL_ERR;
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], n->str) == 0) {
            r->access = (enum al_rbac_access)(i + 1);
            return 0;
        }
    return fail(L, n, "%s.access must be ci_job, impersonate or user, not '%s'", L->where, n->str);
}

static int get_path(const struct pload *L, const struct al_ynode *n, const char *key,
                    enum al_scope scope, const char **out)
{
    if (want_string(L, n, key) < 0)
        return AL_ERR;
    const char *problem = al_id_problem(n->str, scope, NULL);
    if (problem)
        return fail(L, n, "%s.%s '%s' is %s", L->where, key, n->str, problem);
    *out = dup(L, n->str);
    return 0;
}

static int get_namespaces(const struct pload *L, const struct al_ynode *n, struct al_rbac_rule *r)
{
    if (n->kind != AL_YSEQ || !n->n)
        return fail(L, n, "%s.namespaces must be a non-empty list of namespace names", L->where);
    const char **list = al_arena_alloc(&L->p->arena, n->n * sizeof(char *));
    for (size_t i = 0; i < n->n; i++) {
        const struct al_ynode *item = n->items[i];
        if (!al_ynode_is_str(item) || !al_rbac_dns_label(item->str))
            return fail(L, item,
                        "%s.namespaces[%zu] must be a Kubernetes namespace name (lower-case "
                        "letters, digits and '-', at most 63 characters)",
                        L->where, i);
        list[r->n_namespaces++] = dup(L, item->str);
    }
    r->namespaces = list;
    return 0;
}

static int get_enum(const struct pload *L, const struct al_ynode *n, const char *key,
                    const char *const *names, const char **out)
{
    if (want_string(L, n, key) < 0)
        return AL_ERR;
    for (const char *const *k = names; *k; k++)
        if (strcmp(*k, n->str) == 0) {
            *out = *k;
            return 0;
        }
    struct al_buf list = AL_BUF_INIT;
    for (const char *const *k = names; *k; k++)
        al_buf_printf(&list, "%s%s", k == names ? "" : ", ", *k);
    fail(L, n, "%s.%s must be one of %s, not '%s'", L->where, key, al_buf_cstr(&list), n->str);
    al_buf_free(&list);
    return AL_ERR;
}

static int rule_field(const struct pload *L, const struct al_ypair *pr, struct al_rbac_rule *r)
{
    const char *k = pr->name;
    const struct al_ynode *v = pr->val;
    const char *tier;
    if (strcmp(k, "agent") == 0)
        return get_string(L, v, k, &r->agent);
    if (strcmp(k, "access") == 0)
        return get_access(L, v, r);
    if (strcmp(k, "project") == 0)
        return get_path(L, v, k, AL_SCOPE_PROJECT, &r->project);
    if (strcmp(k, "group") == 0)
        return get_path(L, v, k, AL_SCOPE_GROUP, &r->group);
    if (strcmp(k, "environment") == 0)
        return get_string(L, v, k, &r->environment);
    if (strcmp(k, "tier") == 0) {
        static const char *const tiers[] = {"production",  "staging", "testing",
                                            "development", "other",   NULL};
        if (get_enum(L, v, k, tiers, &tier) < 0)
            return AL_ERR;
        r->tier = al_env_tier_parse(tier);
        return 0;
    }
    if (strcmp(k, "gitlab_role") == 0)
        return get_enum(L, v, k, gitlab_roles, &r->gitlab_role);
    if (strcmp(k, "role") == 0)
        return get_role(L, v, k, &r->role);
    if (strcmp(k, "namespaces") == 0)
        return get_namespaces(L, v, r);
    return get_bool(L, v, k, &r->cluster_wide);
}

/* Combinations a rule cannot mean. */
static int rule_consistent(const struct pload *L, const struct al_ynode *n, struct al_rbac_rule *r)
{
    bool env = r->environment || r->tier >= 0;
    if (r->project && r->group)
        return fail(L, n, "%s names both a project and a group: an entry is one or the other",
                    L->where);
    if (r->environment && r->tier >= 0)
        return fail(L, n,
                    "%s has both environment and tier: bind one environment by name, or every "
                    "environment of a tier",
                    L->where);
    if (r->namespaces && r->cluster_wide)
        return fail(L, n, "%s has both namespaces and cluster_wide: true; choose one", L->where);
    if (r->gitlab_role && r->access != AL_RBAC_ACCESS_ANY && r->access != AL_RBAC_ACCESS_USER)
        return fail(L, n, "%s: gitlab_role is for user_access entries (access: user)", L->where);
    if (r->gitlab_role)
        r->access = AL_RBAC_ACCESS_USER;
    if (env && r->access == AL_RBAC_ACCESS_USER)
        return fail(L, n,
                    "%s: user_access entries have no environments; environment and tier are "
                    "for ci_job entries",
                    L->where);
    if (env && r->access == AL_RBAC_ACCESS_IMPERSONATE)
        return fail(L, n,
                    "%s: a static impersonate identity carries no environment; environment and "
                    "tier are for ci_job entries",
                    L->where);
    if (env && r->access == AL_RBAC_ACCESS_ANY)
        r->access = AL_RBAC_ACCESS_CI_JOB;
    return 0;
}

static int one_rule(struct pload *L, const struct al_ynode *n, struct al_rbac_rule *r)
{
    r->tier = -1;
    r->line = n->pos.line;
    if (n->kind != AL_YMAP)
        return fail(L, n, "%s must be a mapping (agent, project, role, ...), not %s", L->where,
                    al_ykind_name(n->kind));
    for (size_t i = 0; i < n->n; i++) {
        if (!al_str_in(n->pairs[i].name, rule_keys))
            return unknown_key(L, &n->pairs[i], rule_keys);
        if (rule_field(L, &n->pairs[i], r) < 0)
            return AL_ERR;
    }
    return rule_consistent(L, n, r);
}

static int rules(struct pload *L, const struct al_ynode *n)
{
    if (n->kind != AL_YSEQ)
        return fail(L, n, "rules must be a list of rules, not %s", al_ykind_name(n->kind));
    L->p->rules = al_arena_alloc(&L->p->arena, (n->n + 1) * sizeof(*L->p->rules));
    struct al_buf where = AL_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < n->n && rc == 0; i++) {
        al_buf_clear(&where);
        al_buf_printf(&where, "rules[%zu]", i);
        L->where = al_buf_cstr(&where);
        rc = one_rule(L, n->items[i], &L->p->rules[L->p->n_rules++]);
    }
    L->where = NULL;
    al_buf_free(&where);
    return rc;
}

/* ---- the file ---- */

static const char *const top_keys[] = {"role",          "cluster_wide", "baseline",
                                       "user_baseline", "rules",        NULL};

static int top_field(struct pload *L, const struct al_ypair *pr)
{
    struct al_rbac_policy *p = L->p;
    const char *k = pr->name;
    if (strcmp(k, "role") == 0)
        return get_role(L, pr->val, k, &p->role);
    if (strcmp(k, "cluster_wide") == 0)
        return get_bool(L, pr->val, k, &p->cluster_wide);
    if (strcmp(k, "baseline") == 0) {
        p->baseline_line = pr->key->pos.line;
        return get_role(L, pr->val, k, &p->baseline);
    }
    if (strcmp(k, "user_baseline") == 0) {
        p->user_baseline_line = pr->key->pos.line;
        return get_role(L, pr->val, k, &p->user_baseline);
    }
    return rules(L, pr->val);
}

static int top(struct pload *L, const struct al_ynode *root)
{
    if (!root)
        return 0; /* an empty policy: the defaults */
    if (root->kind != AL_YMAP)
        return fail(L, root, "a policy is a mapping (%s), not %s",
                    "role, cluster_wide, baseline, user_baseline, rules",
                    al_ykind_name(root->kind));
    for (size_t i = 0; i < root->n; i++) {
        const struct al_ypair *pr = &root->pairs[i];
        if (!al_str_in(pr->name, top_keys))
            return unknown_key(L, pr, top_keys);
        if (top_field(L, pr) < 0)
            return AL_ERR;
    }
    return 0;
}

static int parse_issues(const struct pload *L, const struct al_ydoc *doc)
{
    for (size_t i = 0; i < doc->n_issues; i++) {
        const struct al_yissue *is = &doc->issues[i];
        struct al_ynode at = {0};
        at.pos = is->pos;
        if (is->kind == AL_YI_DUPLICATE_KEY)
            return fail(L, &at, "key \"%s\" appears twice (first on line %u)",
                        is->key ? is->key : "", is->other.line);
        if (is->kind == AL_YI_EXTRA_DOCUMENT)
            return fail(L, &at, "a policy is one YAML document; remove the second one");
        return fail(L, &at, "%s", is->message);
    }
    return 0;
}

int al_rbac_policy_load(const char *text, size_t len, const char *origin,
                        struct al_rbac_policy **out)
{
    struct al_rbac_policy *p = al_calloc(1, sizeof(*p));
    struct pload L = {origin, p, NULL};
    p->path = al_arena_strdup(&p->arena, origin);
    struct al_ydoc *doc = al_yaml_load(text, len);
    int rc = parse_issues(&L, doc);
    if (rc == 0)
        rc = top(&L, doc->root);
    al_ydoc_free(doc);
    if (rc < 0) {
        al_rbac_policy_free(p);
        p = NULL;
    }
    *out = p;
    return rc;
}

int al_rbac_policy_load_file(const char *path, struct al_rbac_policy **out)
{
    *out = NULL;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return al_error_set("cannot read the policy %s: %s", path, strerror(errno));
    struct al_buf b = AL_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= MAX_POLICY)
        al_buf_put(&b, chunk, n);
    bool err = ferror(f);
    if (f != stdin)
        fclose(f);
    int rc;
    if (err)
        rc = al_error_set("cannot read the policy %s", path);
    else if (b.len > MAX_POLICY)
        rc = al_error_set("the policy %s is larger than 1 MiB; a policy is a few rules", path);
    else
        rc = al_rbac_policy_load(al_buf_cstr(&b), b.len, path, out);
    al_buf_free(&b);
    return rc;
}

void al_rbac_policy_free(struct al_rbac_policy *p)
{
    if (!p)
        return;
    al_arena_free(&p->arena);
    free(p);
}
