/* A job's identity, as the Kubernetes authorizer sees it (see perm.h).
 *
 * The agent's own service account has no default here: GitLab's Helm chart
 * (gitlab-org/charts/gitlab-agent) names it after the release
 * (`<release>-gitlab-agent` in the release's namespace; the docs' example
 * installs release `test` into `gitlab-agent-test`), so guessing would
 * answer for an account that may not exist. */
#include "perm/perm.h"

#include <string.h>

#include "common/buf.h"
#include "common/error.h"

/* A Kubernetes namespace or service account name: a DNS label (1123),
 * at most 253 characters for a service account. Both are checked
 * loosely: non-empty, lowercase alphanumerics, '-' and '.'. */
static bool dns_name(const char *s, size_t n)
{
    if (n == 0 || n > 253)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            return false;
    }
    return true;
}

int al_perm_agent_sa_parse(struct al_kube *k, const char *arg, struct al_perm_opts *out)
{
    /* NS/NAME; NS:NAME is rbac --agent-sa's spelling. Neither part may hold
     * either separator, so the two cannot be read two ways. */
    const char *slash = arg ? strpbrk(arg, "/:") : NULL;
    if (!slash || !dns_name(arg, (size_t)(slash - arg)) || !dns_name(slash + 1, strlen(slash + 1)))
        return al_error_set("--agent-sa takes NAMESPACE/NAME of agentk's service account, e.g. "
                            "gitlab-agent/gitlab-agent (lowercase letters, digits, '-', '.'; "
                            "NAMESPACE:NAME also works)");
    out->agent_sa_namespace = al_arena_strndup(&k->arena, arg, (size_t)(slash - arg));
    out->agent_sa_name = al_arena_strdup(&k->arena, slash + 1);
    return 0;
}

static bool has_group(const char *const *groups, size_t n, const char *g)
{
    for (size_t i = 0; i < n; i++)
        if (groups[i] && strcmp(groups[i], g) == 0)
            return true;
    return false;
}

void al_perm_impersonated(struct al_kube *k, const char *username, const char *const *groups,
                          size_t n_groups, struct al_kube_user *out)
{
    const char *ns, *name;
    if (n_groups == 0 && al_kube_sa_parse(k, username, &ns, &name)) {
        /* serviceaccount.MakeGroupNames, then system:authenticated. */
        al_kube_user_sa(k, ns, name, out);
        return;
    }
    const char **g = al_arena_alloc(&k->arena, (n_groups + 1) * sizeof(*g));
    if (n_groups)
        memcpy(g, groups, n_groups * sizeof(*g));
    size_t n = n_groups;
    if (username && strcmp(username, "system:anonymous") == 0) {
        if (!has_group(groups, n_groups, "system:unauthenticated"))
            g[n++] = "system:unauthenticated";
    } else if (!has_group(groups, n_groups, "system:authenticated") &&
               !has_group(groups, n_groups, "system:unauthenticated")) {
        g[n++] = "system:authenticated";
    }
    out->name = username ? al_arena_strdup(&k->arena, username) : "";
    out->groups = g;
    out->n_groups = n;
}

int al_perm_user(struct al_kube *k, const struct al_decision *d, const struct al_perm_opts *o,
                 struct al_perm_user *out)
{
    memset(out, 0, sizeof(*out));
    if (!d->allowed)
        return al_error_set("the job may not use this agent, so it has no identity in the "
                            "cluster");
    const struct al_identity *id = &d->identity;
    if (id->as == AL_AS_AGENT) {
        if (!o || !o->agent_sa_namespace) {
            out->why = "the job acts as the agent's own service account, which agentlint cannot "
                       "know: pass --agent-sa NAMESPACE/NAME (GitLab's Helm chart names it after "
                       "the release, e.g. gitlab-agent-test/test-gitlab-agent)";
            return 0;
        }
        al_kube_user_sa(k, o->agent_sa_namespace, o->agent_sa_name, &out->user);
        out->known = true;
        return 0;
    }
    /* ci_job and impersonate: agentk impersonates, the API server's
     * impersonation filter completes the groups. */
    al_perm_impersonated(k, id->username, id->groups, id->n_groups, &out->user);
    out->known = true;
    return 0;
}
