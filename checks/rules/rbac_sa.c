/* The RBAC rules about agentk's own service account (--agent-sa NS/NAME):
 * the impersonate permission its configs need (without it the API server
 * refuses every request of those jobs), and the cluster-wide rights that
 * access_as agent hands to every job it authorizes. */
#include "common/buf.h"
#include "checks/rules/rbac_int.h"

#include <string.h>

/* ---- what access_as agent hands out ---- */

/* The effective ci_access entries of accepted configs that send jobs as the
 * agent itself (the configuration project's implicit one included). */
static size_t agent_mode_entries(const struct al_access *m, const struct al_auth **first)
{
    size_t n = 0;
    *first = NULL;
    for (size_t i = 0; m && i < m->n_agents; i++) {
        const struct al_access_agent *a = m->agents[i];
        for (size_t j = 0; !a->rejected && j < a->n_auths; j++) {
            const struct al_auth *au = &a->auths[j];
            if (au->effective && au->section == AL_CI_ACCESS && au->access_as == AL_AS_AGENT) {
                if (!*first || (!(*first)->entry && au->entry))
                    *first = au; /* prefer a written entry to name */
                n++;
            }
        }
    }
    return n;
}

/* The impersonate rules the agent needs are not what access_as agent hands
 * out: leave a rule whose only verb is impersonate. */
static bool impersonate_only(const struct al_kube_rule *r)
{
    return r->n_verbs == 1 && strcmp(r->verbs[0], "impersonate") == 0;
}

enum { SA_NONE, SA_READ_SECRETS, SA_WRITE, SA_ALL };

static int rule_weight(const struct al_kube_rule *r)
{
    if (impersonate_only(r))
        return SA_NONE;
    bool star_verb = al_permrules_has(r->verbs, r->n_verbs, "*");
    if (star_verb && al_permrules_has(r->resources, r->n_resources, "*"))
        return SA_ALL;
    static const char *const writes[] = {"*",      "create",           "update", "patch",
                                         "delete", "deletecollection", "bind",   "escalate"};
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++)
        if (al_permrules_has(r->verbs, r->n_verbs, writes[i]))
            return SA_WRITE;
    struct al_kube_request q = {"get", "", "secrets", NULL, NULL, "default", NULL};
    return al_kube_rule_allows(r, &q) ? SA_READ_SECRETS : SA_NONE;
}

struct sa_walk {
    struct al_findings *out;
    const struct al_perm_opts *sa;
    const struct al_auth *entry;
    size_t n_entries;
    struct al_kube_grant cur;
    int weight;
};

static void sa_flush(struct sa_walk *w)
{
    if (w->weight == SA_NONE || w->cur.binding->builtin)
        return;
    const struct al_kube_grant *g = &w->cur;
    static const char *const what[] = {"", "read access to secrets", "write access",
                                       "every right (a * rule or cluster-admin)"};
    const struct al_auth *e = w->entry;
    struct al_finding *f = al_permrules_report(
        w->out, "rbac-agent-sa-wide", g->binding, g->subject,
        "%s %s gives the agent's service account %s/%s %s in every namespace through %s %s, "
        "and %zu ci_access entr%s with access_as agent (agent %s, %s) hand%s it to every job "
        "they authorize: use access_as ci_job or impersonate with a bound role, or narrow the "
        "service account to impersonate",
        al_permrules_binding_kind(g->binding), g->binding->name, w->sa->agent_sa_namespace,
        w->sa->agent_sa_name, what[w->weight], g->binding->role_kind, g->binding->role_name,
        w->n_entries, w->n_entries == 1 ? "y" : "ies", e->agent->name ? e->agent->name : "-",
        e->label, w->n_entries == 1 ? "s" : "");
    if (w->weight != SA_ALL)
        al_finding_set_severity(f, AL_SEV_WARNING);
    w->weight = SA_NONE;
}

static int sa_visit(void *data, const struct al_kube_grant *g)
{
    struct sa_walk *w = data;
    if (g->namespace)
        return 0; /* a RoleBinding: one namespace, not the cluster */
    if (w->weight != SA_NONE && (g->binding != w->cur.binding || g->subject != w->cur.subject))
        sa_flush(w);
    int weight = rule_weight(g->rule);
    if (weight > w->weight || g->binding != w->cur.binding || g->subject != w->cur.subject)
        w->cur = *g;
    if (weight > w->weight)
        w->weight = weight;
    return 0;
}

static void sa_wide(const struct al_permrules_in *in, const struct al_kube_user *sa,
                    struct al_findings *out)
{
    struct sa_walk w = {out, in->agent_sa, NULL, 0, {0}, SA_NONE};
    w.n_entries = agent_mode_entries(in->model, &w.entry);
    if (!w.n_entries)
        return;
    al_kube_grants(in->kube, sa, NULL, sa_visit, &w);
    if (w.weight != SA_NONE)
        sa_flush(&w);
}

/* ---- the impersonate permission the configs need ---- */

struct need {
    struct al_buf missing;
    size_t n;
};

static void ask(const struct al_permrules_in *in, const struct al_kube_user *sa, struct need *nd,
                const char *group, const char *resource, const char *sub, const char *name,
                const char *ns)
{
    struct al_kube_request q = {"impersonate", group, resource, sub, name, ns, NULL};
    struct al_kube_answer a;
    if (al_kube_authorize(in->kube, sa, &q, &a))
        return;
    al_buf_printf(&nd->missing, "%s%s%s%s %s", nd->n ? ", " : "", resource, sub ? "/" : "",
                  sub ? sub : "", name);
    nd->n++;
}

static void ask_user(const struct al_permrules_in *in, const struct al_kube_user *sa,
                     struct need *nd, const char *username)
{
    const char *ns, *name;
    if (al_kube_sa_parse(in->kube, username, &ns, &name))
        ask(in, sa, nd, "", "serviceaccounts", NULL, name, ns);
    else
        ask(in, sa, nd, "", "users", NULL, username, NULL);
}

/* KAS's job identity (gitlab-semantics.md §6.2): the names vary per job, so
 * one placeholder of each stands for all; a rule limited by resourceNames
 * cannot cover them and is reported. */
static void ci_job_needs(const struct al_permrules_in *in, const struct al_kube_user *sa,
                         const struct al_auth *au, struct need *nd)
{
    static const char *const extras[] = {"agent.gitlab.com/id",
                                         "agent.gitlab.com/config_project_id",
                                         "agent.gitlab.com/project_id",
                                         "agent.gitlab.com/ci_pipeline_id",
                                         "agent.gitlab.com/ci_job_id",
                                         "agent.gitlab.com/username",
                                         "agent.gitlab.com/environment_slug",
                                         "agent.gitlab.com/environment_tier"};
    ask_user(in, sa, nd, "gitlab:ci_job:<job id>");
    ask(in, sa, nd, "", "groups", NULL, "gitlab:ci_job", NULL);
    ask(in, sa, nd, "", "groups", NULL, "gitlab:project:<project id>", NULL);
    size_t n = au->restricts_env ? 8 : 6;
    for (size_t i = 0; i < n; i++)
        ask(in, sa, nd, "authentication.k8s.io", "userextras", extras[i], "<value>", NULL);
}

/* The static identity, as written. */
static void impersonate_needs(const struct al_permrules_in *in, const struct al_kube_user *sa,
                              const struct al_impersonate *imp, struct need *nd)
{
    if (imp->username && *imp->username)
        ask_user(in, sa, nd, imp->username);
    for (size_t i = 0; i < imp->n_groups; i++)
        ask(in, sa, nd, "", "groups", NULL, imp->groups[i], NULL);
    if (imp->uid && *imp->uid)
        ask(in, sa, nd, "authentication.k8s.io", "uids", NULL, imp->uid, NULL);
    for (size_t i = 0; i < imp->n_extra; i++)
        for (size_t j = 0; imp->extra[i].key && j < imp->extra[i].n_vals; j++)
            ask(in, sa, nd, "authentication.k8s.io", "userextras", imp->extra[i].key,
                imp->extra[i].vals[j], NULL);
}

/* user_access access_as user (§6.5). */
static void user_needs(const struct al_permrules_in *in, const struct al_kube_user *sa,
                       struct need *nd)
{
    static const char *const extras[] = {"agent.gitlab.com/id", "agent.gitlab.com/username",
                                         "agent.gitlab.com/access_type",
                                         "agent.gitlab.com/config_project_id"};
    ask_user(in, sa, nd, "gitlab:user:<username>");
    ask(in, sa, nd, "", "groups", NULL, "gitlab:user", NULL);
    for (size_t i = 0; i < 4; i++)
        ask(in, sa, nd, "authentication.k8s.io", "userextras", extras[i], "<value>", NULL);
}

static void entry_needs(const struct al_permrules_in *in, const struct al_kube_user *sa,
                        const struct al_auth *au, struct al_findings *out)
{
    struct need nd = {AL_BUF_INIT, 0};
    if (au->access_as == AL_AS_CI_JOB)
        ci_job_needs(in, sa, au, &nd);
    else if (au->access_as == AL_AS_IMPERSONATE && au->imp)
        impersonate_needs(in, sa, au->imp, &nd);
    else if (au->access_as == AL_AS_USER)
        user_needs(in, sa, &nd);
    if (nd.n) {
        struct al_ypos pos = {au->line, au->col};
        struct al_finding *f = al_findings_add(
            out, "rbac-agent-impersonate", au->path, pos,
            "%s (access_as %s) needs the agent's service account %s/%s to impersonate what "
            "GitLab sends, and the RBAC input does not allow %zu of it (%s): the API server "
            "refuses every request of these %s; bind a ClusterRole with verb impersonate on "
            "users, groups and userextras/agent.gitlab.com/* without resourceNames",
            au->label, al_access_as_name(au->access_as), in->agent_sa->agent_sa_namespace,
            in->agent_sa->agent_sa_name, nd.n, al_buf_cstr(&nd.missing),
            au->section == AL_CI_ACCESS ? "jobs" : "users");
        if (au->agent->name)
            al_finding_set_agent(f, au->agent->name);
        struct al_buf key = AL_BUF_INIT;
        al_buf_printf(&key, "%s.access_as", au->label);
        al_finding_set_key_path(f, al_buf_cstr(&key));
        al_buf_free(&key);
    }
    al_buf_free(&nd.missing);
}

static void sa_impersonate(const struct al_permrules_in *in, const struct al_kube_user *sa,
                           struct al_findings *out)
{
    for (size_t i = 0; in->model && i < in->model->n_agents; i++) {
        const struct al_access_agent *a = in->model->agents[i];
        for (size_t j = 0; !a->rejected && j < a->n_auths; j++)
            if (a->auths[j].effective)
                entry_needs(in, sa, &a->auths[j], out);
    }
}

void al_permrules_agent_sa(const struct al_permrules_in *in, struct al_findings *out)
{
    if (!in->agent_sa || !in->agent_sa->agent_sa_namespace)
        return;
    struct al_kube_user sa;
    al_kube_user_sa(in->kube, in->agent_sa->agent_sa_namespace, in->agent_sa->agent_sa_name, &sa);
    sa_wide(in, &sa, out);
    sa_impersonate(in, &sa, out);
}
