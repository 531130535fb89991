/* policy: the requirements .agentlint.yaml's policy section sets for an
 * agent (validator/policy.h), checked on every entry as written (the
 * implicit authorization of the configuration project is never written,
 * so no policy can restrict it here). One finding per requirement an entry
 * breaks, at the value that breaks it, naming the requirement and the line
 * of .agentlint.yaml that sets it. Linear in the entries times the globs. */
#include "checks/rules.h"
#include "checks/rules/util.h"
#include "checks/settings.h"

#include <string.h>

struct ctx {
    const struct al_agent *a;
    const struct al_policy_req *req;
    struct al_findings *out;
};

static bool allowed(const struct al_policy_globs *g, const char *s)
{
    for (size_t i = 0; s && i < g->n; i++)
        if (al_glob_match(g->items[i], s))
            return true;
    return false;
}

/* "the policy for agents "prod*" (.agentlint.yaml:4, preset production)" */
static void origin(struct al_buf *b, const struct al_policy_req *r)
{
    if (strcmp(r->agents, "*") == 0)
        al_buf_puts(b, "the policy for every agent");
    else
        al_buf_printf(b, "the policy for agents \"%s\"", r->agents);
    al_buf_printf(b, " (.agentlint.yaml:%u%s%s)", r->line, r->preset ? ", preset " : "",
                  r->preset ? r->preset : "");
}

static void report(const struct ctx *c, const struct al_entry *e, const struct al_ynode *at,
                   const char *suffix, const char *value, const char *fmt, const char *what)
{
    struct al_buf o = AL_BUF_INIT, m = AL_BUF_INIT;
    origin(&o, c->req);
    al_buf_printf(&m, fmt, al_buf_cstr(&o), what);
    struct al_finding *f = al_rule_report_entry(
        c->out, c->a, "policy", e, at ? at->pos : al_rule_id_pos(e), suffix, "%s", al_buf_cstr(&m));
    if (value)
        al_finding_set_value(f, value);
    al_buf_free(&o);
    al_buf_free(&m);
}

static void check_access_as(const struct ctx *c, const struct al_entry *e)
{
    if (!c->req->access_as || (c->req->access_as & (1u << e->access_as)))
        return;
    static const enum al_access_as kinds[] = {AL_AS_AGENT, AL_AS_CI_JOB, AL_AS_IMPERSONATE,
                                              AL_AS_USER};
    struct al_buf what = AL_BUF_INIT;
    al_buf_printf(&what, "%s%s; it allows only", al_access_as_name(e->access_as),
                  e->access_as_set || e->section == AL_USER_ACCESS
                      ? ""
                      : " (no access_as means the agent's own service account)");
    for (size_t i = 0, n = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (c->req->access_as & (1u << kinds[i]))
            al_buf_printf(&what, "%s %s", n++ ? "," : "", al_access_as_name(kinds[i]));
    report(c, e, e->access_as_node, e->access_as_node ? ".access_as" : NULL,
           al_access_as_name(e->access_as), "%s does not allow access_as %s", al_buf_cstr(&what));
    al_buf_free(&what);
}

static void check_ci_terms(const struct ctx *c, const struct al_entry *e)
{
    if (e->section != AL_CI_ACCESS)
        return;
    if (c->req->protected_branches_only && !e->protected_branches_only)
        report(c, e, e->protected_node, e->protected_node ? ".protected_branches_only" : NULL, NULL,
               "%s requires protected_branches_only: true on every ci_access entry%s: this "
               "entry admits jobs of any branch",
               "");
    if (c->req->environments_required && !e->has_environments)
        report(c, e, NULL, NULL, NULL,
               "%s requires environments on every ci_access entry%s: this entry admits jobs "
               "of any environment, and jobs with none",
               "");
    if (!c->req->environments.set)
        return;
    for (size_t i = 0; i < e->n_env; i++) {
        if (allowed(&c->req->environments, e->environments[i]))
            continue;
        struct al_buf s = AL_BUF_INIT;
        al_buf_printf(&s, ".environments[%zu]", i);
        report(c, e, e->env_nodes[i], al_buf_cstr(&s), e->environments[i],
               "%s does not allow the environment pattern \"%s\"", e->environments[i]);
        al_buf_free(&s);
    }
}

static void check_id(const struct ctx *c, const struct al_entry *e)
{
    const struct al_policy_globs *g =
        e->scope == AL_SCOPE_PROJECT ? &c->req->projects : &c->req->groups;
    if (!g->set || e->scope == AL_SCOPE_IMPLICIT)
        return;
    if (e->scope == AL_SCOPE_INSTANCE) {
        report(c, e, NULL, NULL, NULL,
               "%s lists the groups it allows%s, and the instance is wider than any of them", "");
        return;
    }
    if (e->id && !allowed(g, e->id))
        report(c, e, e->id_node, ".id", e->id, "%s does not allow the id \"%s\" here", e->id);
}

static void check_namespace(const struct ctx *c, const struct al_entry *e)
{
    if (c->req->namespaces.set && e->default_namespace &&
        !allowed(&c->req->namespaces, e->default_namespace))
        report(c, e, al_ymap_get(e->node, "default_namespace"), ".default_namespace",
               e->default_namespace, "%s does not allow the default_namespace \"%s\"",
               e->default_namespace);
}

static void check_identity(const struct ctx *c, const struct al_entry *e, const struct al_ynode *n,
                           const char *suffix)
{
    if (n && n->kind == AL_YSTR && !allowed(&c->req->identities, n->str))
        report(c, e, n, suffix, n->str, "%s does not allow impersonating \"%s\"", n->str);
}

static void check_impersonation(const struct ctx *c, const struct al_entry *e)
{
    if (!c->req->identities.set || e->access_as != AL_AS_IMPERSONATE)
        return;
    const struct al_ynode *imp = al_ymap_get(e->access_as_node, "impersonate");
    check_identity(c, e, al_ymap_get(imp, "username"), ".access_as.impersonate.username");
    const struct al_ynode *groups = al_ymap_get(imp, "groups");
    struct al_buf s = AL_BUF_INIT;
    for (size_t i = 0; groups && groups->kind == AL_YSEQ && i < groups->n; i++) {
        al_buf_clear(&s);
        al_buf_printf(&s, ".access_as.impersonate.groups[%zu]", i);
        check_identity(c, e, groups->items[i], al_buf_cstr(&s));
    }
    al_buf_free(&s);
}

void al_rule_policy(const struct al_check_ctx *ctx, const struct al_agent *a,
                    struct al_findings *out)
{
    const struct al_policy_req *req =
        ctx->settings ? al_policy_for(&ctx->settings->policy, a->name) : NULL;
    if (!req)
        return;
    struct ctx c = {a, req, out};
    for (size_t i = 0; i < a->config.n_entries; i++) {
        const struct al_entry *e = &a->config.entries[i];
        if (e->scope == AL_SCOPE_IMPLICIT)
            continue;
        check_access_as(&c, e);
        check_ci_terms(&c, e);
        check_id(&c, e);
        check_namespace(&c, e);
        check_impersonation(&c, e);
    }
}
