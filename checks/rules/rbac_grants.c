/* The RBAC rules about what bindings grant: whole groups of jobs bound to
 * admin rights or cluster-wide write, secrets every CI job can read, and the
 * agent's own service account (what it must be allowed to impersonate, and
 * what access_as agent hands every authorized job). Grants are the engine's
 * (al_kube_grants): they reach a user exactly as the authorizer lets them. */
#include "common/buf.h"
#include "checks/rules/rbac_int.h"

#include <stdarg.h>
#include <string.h>

const char *al_permrules_binding_kind(const struct al_kube_binding *b)
{
    return b->cluster ? "ClusterRoleBinding" : "RoleBinding";
}

struct al_finding *al_permrules_report(struct al_findings *out, const char *rule,
                                       const struct al_kube_binding *b,
                                       const struct al_kube_subject *s, const char *fmt, ...)
{
    struct al_buf msg = AL_BUF_INIT, key = AL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    al_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    const struct al_kube_src *src = s ? &s->src : &b->src;
    struct al_ypos pos = {src->line, src->col};
    struct al_finding *f = al_findings_add(out, rule, src->file, pos, "%s", al_buf_cstr(&msg));
    al_buf_printf(&key, "%s/%s%s%s", al_permrules_binding_kind(b), b->namespace ? b->namespace : "",
                  b->namespace ? "/" : "", b->name ? b->name : "");
    if (s)
        al_buf_printf(&key, ".subjects[%zu]", (size_t)(s - b->subjects));
    al_finding_set_key_path(f, al_buf_cstr(&key));
    if (s && s->name)
        al_finding_set_value(f, s->name);
    al_buf_free(&msg);
    al_buf_free(&key);
    return f;
}

bool al_permrules_has(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static bool rule_star(const struct al_kube_rule *r)
{
    return al_permrules_has(r->verbs, r->n_verbs, "*") ||
           al_permrules_has(r->resources, r->n_resources, "*");
}

bool al_permrules_role_admin(const struct al_kube_binding *b)
{
    const struct al_kube_role *role = b->role;
    if (!role)
        return false;
    if (role->cluster &&
        (strcmp(role->name, "cluster-admin") == 0 || strcmp(role->name, "admin") == 0))
        return true;
    for (size_t i = 0; i < role->n_rules; i++)
        if (rule_star(&role->rules[i]))
            return true;
    return false;
}

static const char *const write_verbs[] = {"*",           "create",           "update", "patch",
                                          "delete",      "deletecollection", "bind",   "escalate",
                                          "impersonate", "approve",          "sign"};
enum { N_WRITE = sizeof write_verbs / sizeof write_verbs[0] };

static bool rule_writes(const struct al_kube_rule *r)
{
    for (size_t i = 0; i < N_WRITE; i++)
        if (al_permrules_has(r->verbs, r->n_verbs, write_verbs[i]))
            return true;
    return false;
}

static bool role_writes(const struct al_kube_role *role)
{
    for (size_t i = 0; i < role->n_rules; i++)
        if (rule_writes(&role->rules[i]))
            return true;
    return false;
}

/* A Group subject that names every job or user of a whole group, tier or
 * GitLab, or every authenticated identity. */
static bool wide_subject(const struct al_kube_subject *s)
{
    if (s->kind != AL_KUBE_GROUP)
        return false;
    if (strcmp(s->name, "system:authenticated") == 0)
        return true;
    struct al_gl_subject g;
    al_permrules_subject(s->kind, s->name, &g);
    return g.ident != AL_GL_INVALID && g.ident != AL_GL_NONE && g.wide;
}

static void wide_binding(const struct al_kube_binding *b, const struct al_kube_subject *s,
                         struct al_findings *out)
{
    const char *where = b->cluster ? "in every namespace" : "in namespace ";
    const char *ns = b->cluster ? "" : b->namespace;
    if (al_permrules_role_admin(b)) {
        al_permrules_report(out, "rbac-wide-admin", b, s,
                            "%s %s gives %s the %s %s, which grants everything (a * or an "
                            "admin role), %s%s: every job or user that identity names gets it",
                            al_permrules_binding_kind(b), b->name, s->name, b->role_kind,
                            b->role_name, where, ns);
        return;
    }
    if (!b->cluster)
        return;
    if (!b->role) {
        struct al_finding *f = al_permrules_report(
            out, "rbac-wide-cluster-binding", b, s,
            "%s %s gives %s the %s %s, which is not in the RBAC input: what every job it names "
            "may do in every namespace cannot be told (add the role's file or a cluster dump)",
            al_permrules_binding_kind(b), b->name, s->name, b->role_kind, b->role_name);
        al_finding_set_severity(f, AL_SEV_NOTE);
        return;
    }
    if (role_writes(b->role))
        al_permrules_report(out, "rbac-wide-cluster-binding", b, s,
                            "%s %s gives %s write access (%s %s) in every namespace: every job "
                            "it names gets it, whatever its environment; bind a Role per "
                            "namespace, or a narrower group (gitlab:project_env:ID:SLUG)",
                            al_permrules_binding_kind(b), b->name, s->name, b->role_kind,
                            b->role_name);
}

static void wide_rules(const struct al_permrules_in *in, struct al_findings *out)
{
    const struct al_kube *k = in->kube;
    for (size_t i = 0; i < k->n_bindings; i++) {
        const struct al_kube_binding *b = k->bindings[i];
        if (b->builtin)
            continue;
        for (size_t j = 0; j < b->n_subjects; j++)
            if (wide_subject(&b->subjects[j]))
                wide_binding(b, &b->subjects[j], out);
    }
}

/* ---- secrets every CI job can read ---- */

static const char *const read_verbs[] = {"get", "list", "watch"};

/* Which of get, list, watch a rule allows on secrets (bits 0..2). */
static unsigned secret_reads(const struct al_kube_rule *r, const char *ns)
{
    unsigned bits = 0;
    for (unsigned v = 0; v < 3; v++) {
        struct al_kube_request q = {read_verbs[v], "", "secrets", NULL, NULL, ns, NULL};
        if (al_kube_rule_allows(r, &q))
            bits |= 1u << v;
    }
    return bits;
}

/* Grants arrive binding by binding: gather one binding's reads, report when
 * the next binding starts. */
struct secrets_walk {
    struct al_findings *out;
    const struct al_kube_grant *last;
    struct al_kube_grant cur;
    unsigned bits;
};

static void secrets_flush(struct secrets_walk *w)
{
    if (!w->bits || w->cur.binding->builtin)
        return;
    const struct al_kube_grant *g = &w->cur;
    struct al_buf verbs = AL_BUF_INIT;
    for (unsigned v = 0; v < 3; v++)
        if (w->bits & (1u << v))
            al_buf_printf(&verbs, "%s%s", verbs.len ? ", " : "", read_verbs[v]);
    al_permrules_report(w->out, "rbac-secrets-every-job", g->binding, g->subject,
                        "%s %s lets every CI job (%s %s) %s secrets %s%s through %s %s: any "
                        "pipeline of any authorized project can read every secret there",
                        al_permrules_binding_kind(g->binding), g->binding->name,
                        g->subject->kind_text, g->subject->name, al_buf_cstr(&verbs),
                        g->namespace ? "in namespace " : "in every namespace",
                        g->namespace ? g->namespace : "", g->binding->role_kind,
                        g->binding->role_name);
    al_buf_free(&verbs);
    w->bits = 0;
}

static int secrets_visit(void *data, const struct al_kube_grant *g)
{
    struct secrets_walk *w = data;
    if (w->bits && (g->binding != w->cur.binding || g->subject != w->cur.subject))
        secrets_flush(w);
    w->cur = *g;
    w->bits |= secret_reads(g->rule, g->namespace ? g->namespace : "default");
    return 0;
}

/* The identity every CI job of an access_as ci_job entry carries, whatever
 * its project: the group gitlab:ci_job, and system:authenticated that the
 * API server adds to every impersonated user. */
static void secrets_rule(const struct al_permrules_in *in, struct al_findings *out)
{
    static const char *const groups[] = {"gitlab:ci_job", "system:authenticated"};
    struct al_kube_user u = {"gitlab:ci_job:<job id>", groups, 2};
    struct secrets_walk w = {out, NULL, {0}, 0};
    al_kube_grants(in->kube, &u, NULL, secrets_visit, &w);
    if (w.bits)
        secrets_flush(&w);
}

void al_permrules_grants(const struct al_permrules_in *in, struct al_findings *out)
{
    wide_rules(in, out);
    secrets_rule(in, out);
}
