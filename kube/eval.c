/* The RBAC authorizer (plugin/pkg/auth/authorizer/rbac/rbac.go) over the
 * subject index: the rules that reach a user are visited in VisitRulesFor's
 * order (ClusterRoleBindings, then the request namespace's RoleBindings),
 * and the first one RuleAllows decides. */
#include "kube/kube_int.h"

#include <stdlib.h>
#include <string.h>

static bool has(const char *const *list, size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], want) == 0)
            return true;
    return false;
}

/* VerbMatches, APIGroupMatches: "*" or equal. */
static bool matches_or_all(const char *const *list, size_t n, const char *want)
{
    return has(list, n, "*") || has(list, n, want ? want : "");
}

/* ResourceMatches: "*", the exact "resource/subresource", or
 * "* /subresource" for any resource. No other wildcard: "pods/ *" matches
 * only a subresource literally named "*". */
static bool resource_matches(const struct al_kube_rule *rule, const char *combined, const char *sub)
{
    size_t sub_len = sub ? strlen(sub) : 0;
    for (size_t i = 0; i < rule->n_resources; i++) {
        const char *r = rule->resources[i];
        if (strcmp(r, "*") == 0 || strcmp(r, combined) == 0)
            return true;
        if (sub_len && strlen(r) == sub_len + 2 && r[0] == '*' && r[1] == '/' &&
            strcmp(r + 2, sub) == 0)
            return true;
    }
    return false;
}

static bool resource_name_matches(const struct al_kube_rule *rule, const char *name)
{
    return rule->n_resource_names == 0 ||
           has(rule->resource_names, rule->n_resource_names, name ? name : "");
}

/* NonResourceURLMatches: "*", equal, or a prefix ending in "*" (every
 * trailing star is dropped, as strings.TrimRight does). */
static bool url_matches(const struct al_kube_rule *rule, const char *path)
{
    for (size_t i = 0; i < rule->n_non_resource_urls; i++) {
        const char *u = rule->non_resource_urls[i];
        size_t n = strlen(u);
        if (strcmp(u, "*") == 0 || strcmp(u, path) == 0)
            return true;
        if (n && u[n - 1] == '*') {
            while (n && u[n - 1] == '*')
                n--;
            if (strncmp(path, u, n) == 0)
                return true;
        }
    }
    return false;
}

bool al_kube_rule_allows(const struct al_kube_rule *rule, const struct al_kube_request *r)
{
    if (!matches_or_all(rule->verbs, rule->n_verbs, r->verb))
        return false;
    if (r->path)
        return url_matches(rule, r->path);
    if (!matches_or_all(rule->api_groups, rule->n_api_groups, r->api_group))
        return false;
    const char *resource = r->resource ? r->resource : "";
    bool sub = r->subresource && *r->subresource;
    char small[256];
    char *combined = small;
    size_t need = strlen(resource) + (sub ? strlen(r->subresource) + 1 : 0) + 1;
    if (need > sizeof small)
        combined = al_malloc(need);
    strcpy(combined, resource);
    if (sub) {
        strcat(combined, "/");
        strcat(combined, r->subresource);
    }
    bool ok = resource_matches(rule, combined, sub ? r->subresource : NULL) &&
              resource_name_matches(rule, r->name);
    if (combined != small)
        free(combined);
    return ok;
}

/* Visit the rules of one binding that reaches the user. */
static int visit_binding(const struct al_kube *k, const struct al_kube_hit *h,
                         al_kube_visit_fn visit, void *data)
{
    const struct al_kube_binding *b = k->bindings[h->binding];
    if (!b->role)
        return 0;
    struct al_kube_grant g = {b, &b->subjects[h->subject], b->role, NULL, b->namespace};
    for (size_t i = 0; i < b->role->n_rules; i++) {
        g.rule = &b->role->rules[i];
        int rc = visit(data, &g);
        if (rc)
            return rc;
    }
    return 0;
}

int al_kube_grants(const struct al_kube *k, const struct al_kube_user *u, const char *namespace,
                   al_kube_visit_fn visit, void *data)
{
    struct al_kube_hit *hits = NULL;
    size_t cap = 0;
    size_t n = al_kube_index_lookup(k, u, &hits, &cap);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++)
        if (k->bindings[hits[i].binding]->cluster)
            rc = visit_binding(k, &hits[i], visit, data);
    bool all = namespace == NULL;
    for (size_t i = 0; i < n && !rc && (all || *namespace); i++) {
        const struct al_kube_binding *b = k->bindings[hits[i].binding];
        if (!b->cluster && (all || strcmp(b->namespace, namespace) == 0))
            rc = visit_binding(k, &hits[i], visit, data);
    }
    free(hits);
    return rc;
}

struct decide {
    const struct al_kube_request *r;
    struct al_kube_answer *out;
};

static int decide_one(void *data, const struct al_kube_grant *g)
{
    struct decide *d = data;
    if (!al_kube_rule_allows(g->rule, d->r))
        return 0;
    d->out->allowed = true;
    d->out->by = *g;
    return 1;
}

bool al_kube_authorize(const struct al_kube *k, const struct al_kube_user *u,
                       const struct al_kube_request *r, struct al_kube_answer *out)
{
    memset(out, 0, sizeof(*out));
    /* kube-apiserver's authorizer chain starts with the privileged group
     * (authorizerfactory.NewPrivilegedGroups(user.SystemPrivilegedGroup)). */
    for (size_t i = 0; i < u->n_groups; i++)
        if (u->groups[i] && strcmp(u->groups[i], "system:masters") == 0) {
            out->allowed = out->privileged_group = true;
            return true;
        }
    struct decide d = {r, out};
    /* A non-resource request has no namespace: only ClusterRoleBindings. */
    const char *ns = r->path ? "" : (r->namespace ? r->namespace : "");
    al_kube_grants(k, u, ns, decide_one, &d);
    return out->allowed;
}

void al_kube_who_can(const struct al_kube *k, const struct al_kube_user *users, size_t n,
                     const struct al_kube_request *r, struct al_kube_answer *answers)
{
    for (size_t i = 0; i < n; i++)
        al_kube_authorize(k, &users[i], r, &answers[i]);
}
