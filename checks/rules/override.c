/* override: for a CI job, GitLab's Finder takes, per agent, the single most
 * specific authorization (the job project's own entry, then the implicit one
 * of the agent's own project, then the nearest group, then farther groups)
 * and uses it whole: nothing is merged, and nothing falls back after the
 * environment and protected-branch filters.
 *
 * - A projects entry inside a listed group replaces that group's entry for
 *   its jobs. When the two differ (environments, protected_branches_only,
 *   access_as with its impersonation, default_namespace) the finding says
 *   what the project loses or gains; when they are the same, a note says the
 *   project will not follow later changes of the group entry.
 * - A groups entry covering the configuration project does not reach that
 *   project's own jobs: they keep the implicit authorization (the agent's
 *   identity, no filters) unless the project has an entry of its own.
 *
 * ci_access only: user_access entries carry no settings of their own.
 * Which entry takes whose place is the access model's verdict
 * (al_auth.replaces); this rule compares the two and words the difference. */
#include "checks/rules.h"
#include "checks/rules/util.h"
#include "model/paths.h"
#include "access/model.h"
#include "common/alloc.h"

#include <stdlib.h>
#include <string.h>

static bool str_eq0(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool strs_eq(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Environments compare as sets: order and repeats do not change a match. */
static bool env_sets_eq(const struct al_entry *a, const struct al_entry *b)
{
    if (!a->n_env || !b->n_env)
        return a->n_env == b->n_env;
    const char **x = al_calloc(a->n_env, sizeof(char *));
    const char **y = al_calloc(b->n_env, sizeof(char *));
    memcpy(x, a->environments, a->n_env * sizeof(char *));
    memcpy(y, b->environments, b->n_env * sizeof(char *));
    al_qsort(x, a->n_env, sizeof(char *), cmp_str);
    al_qsort(y, b->n_env, sizeof(char *), cmp_str);
    size_t i = 0, k = 0;
    bool eq = true;
    while (eq && (i < a->n_env || k < b->n_env)) {
        if (i == a->n_env || k == b->n_env || strcmp(x[i], y[k]) != 0) {
            eq = false;
            break;
        }
        const char *v = x[i];
        while (i < a->n_env && strcmp(x[i], v) == 0)
            i++;
        while (k < b->n_env && strcmp(y[k], v) == 0)
            k++;
    }
    free(x);
    free(y);
    return eq;
}

static bool extra_eq(const struct al_impersonate *a, const struct al_impersonate *b)
{
    if (a->n_extra != b->n_extra)
        return false;
    for (size_t i = 0; i < a->n_extra; i++)
        if (strcmp(a->extra[i].key, b->extra[i].key) != 0 ||
            !strs_eq(a->extra[i].vals, a->extra[i].n_vals, b->extra[i].vals, b->extra[i].n_vals))
            return false;
    return true;
}

static bool identity_eq(const struct al_entry *a, const struct al_entry *b)
{
    if (a->access_as != b->access_as)
        return false;
    if (a->access_as != AL_AS_IMPERSONATE)
        return true;
    return str_eq0(a->imp.username, b->imp.username) && str_eq0(a->imp.uid, b->imp.uid) &&
           strs_eq(a->imp.groups, a->imp.n_groups, b->imp.groups, b->imp.n_groups) &&
           extra_eq(&a->imp, &b->imp);
}

/* "the agent's own identity", "the CI job (ci_job)", "user deployer (groups a, b)" */
static void describe_identity(struct al_buf *b, const struct al_entry *e)
{
    switch (e->access_as) {
    case AL_AS_CI_JOB:
        al_buf_puts(b, "the CI job (ci_job)");
        break;
    case AL_AS_CI_USER:
        al_buf_puts(b, "the user running the job (ci_user)");
        break;
    case AL_AS_IMPERSONATE:
        al_buf_printf(b, "the impersonated user \"%s\"", e->imp.username ? e->imp.username : "");
        if (e->imp.n_groups) {
            al_buf_puts(b, " with groups ");
            al_rule_join(b, e->imp.groups, e->imp.n_groups);
        }
        break;
    default:
        al_buf_puts(b, "the agent's own service account");
        break;
    }
}

static void describe_envs(struct al_buf *b, const struct al_entry *e)
{
    al_buf_putc(b, '[');
    al_rule_join(b, e->environments, e->n_env);
    al_buf_putc(b, ']');
}

static void sep(struct al_buf *b)
{
    if (b->len)
        al_buf_puts(b, "; ");
}

static void diff_environments(struct al_buf *b, const struct al_entry *p, const struct al_entry *g)
{
    if (env_sets_eq(p, g))
        return;
    sep(b);
    if (!p->n_env) {
        al_buf_puts(b, "lose the group's environments restriction ");
        describe_envs(b, g);
        al_buf_puts(b, ": they may use the agent from any environment, and without one");
    } else if (!g->n_env) {
        al_buf_puts(b, "gain an environments restriction ");
        describe_envs(b, p);
        al_buf_puts(b, " the group entry does not have: jobs without a matching environment "
                       "lose the access the group gave them");
    } else {
        al_buf_puts(b, "are limited to the environments ");
        describe_envs(b, p);
        al_buf_puts(b, " instead of the group's ");
        describe_envs(b, g);
    }
}

static void diff_protected(struct al_buf *b, const struct al_entry *p, const struct al_entry *g)
{
    if (p->protected_branches_only == g->protected_branches_only)
        return;
    sep(b);
    if (g->protected_branches_only)
        al_buf_puts(b, "lose the group's protected_branches_only: pipelines on unprotected "
                       "branches may use the agent");
    else
        al_buf_puts(b, "gain protected_branches_only: only pipelines on protected branches and "
                       "tags may use the agent");
}

static void diff_identity(struct al_buf *b, const struct al_entry *p, const struct al_entry *g)
{
    if (identity_eq(p, g))
        return;
    sep(b);
    al_buf_puts(b, "act as ");
    describe_identity(b, p);
    al_buf_puts(b, " instead of ");
    describe_identity(b, g);
    if (p->access_as == AL_AS_IMPERSONATE && g->access_as == AL_AS_IMPERSONATE &&
        str_eq0(p->imp.username, g->imp.username))
        al_buf_puts(b, " (the impersonation's groups, uid or extra differ)");
}

static void diff_namespace(struct al_buf *b, const struct al_entry *p, const struct al_entry *g)
{
    if (str_eq0(p->default_namespace, g->default_namespace))
        return;
    sep(b);
    if (!p->default_namespace)
        al_buf_printf(b, "get no default namespace instead of the group's \"%s\"",
                      g->default_namespace);
    else if (!g->default_namespace)
        al_buf_printf(b, "get the default namespace \"%s\" (the group entry sets none)",
                      p->default_namespace);
    else
        al_buf_printf(b, "get the default namespace \"%s\" instead of the group's \"%s\"",
                      p->default_namespace, g->default_namespace);
}

static void check_project(const struct al_check_ctx *ctx, const struct al_agent *a,
                          const struct al_entry *p, const struct al_entry *g,
                          struct al_findings *out)
{
    struct al_buf d = AL_BUF_INIT;
    diff_environments(&d, p, g);
    diff_protected(&d, p, g);
    diff_identity(&d, p, g);
    diff_namespace(&d, p, g);
    if (d.len) {
        al_rule_report_entry(out, a, "override", p, al_rule_id_pos(p), ".id",
                             "the entry for project \"%s\" replaces the entry of its group \"%s\" "
                             "(line %u) for the project's jobs, whole: GitLab uses the most "
                             "specific entry and never merges them, so these jobs %s. If that is "
                             "not meant, give the project entry the group's settings, or remove "
                             "it",
                             p->id, g->id, al_rule_id_pos(g).line, al_buf_cstr(&d));
    } else if (!(ctx->project_path && al_path_eq(p->id, ctx->project_path))) {
        /* (The configuration project's own entry is never redundant: it
         * replaces the implicit, unrestricted authorization.) */
        struct al_finding *f = al_rule_report_entry(
            out, a, "override", p, al_rule_id_pos(p), ".id",
            "the entry for project \"%s\" has the same settings as the entry of its group \"%s\" "
            "(line %u), which it replaces for the project's jobs: nothing changes today, but a "
            "restriction later added to the group entry will not reach this project, because "
            "GitLab uses the most specific entry whole; remove the project entry unless it is "
            "meant to diverge",
            p->id, g->id, al_rule_id_pos(g).line);
        al_finding_set_severity(f, AL_SEV_NOTE);
    }
    al_buf_free(&d);
}

/* What the implicit authorization of the agent's own project lacks. */
static void restrictions(struct al_buf *b, const struct al_entry *g)
{
    if (g->n_env) {
        sep(b);
        al_buf_puts(b, "its environments ");
        describe_envs(b, g);
    }
    if (g->protected_branches_only) {
        sep(b);
        al_buf_puts(b, "its protected_branches_only");
    }
    if (g->access_as != AL_AS_AGENT) {
        sep(b);
        al_buf_puts(b, "acting as ");
        describe_identity(b, g);
    }
    if (g->default_namespace) {
        sep(b);
        al_buf_printf(b, "its default namespace \"%s\"", g->default_namespace);
    }
}

static void check_config_project(const struct al_check_ctx *ctx, const struct al_agent *a,
                                 const struct al_entry *g, struct al_findings *out)
{
    const char *cp = ctx->project_path;
    struct al_buf r = AL_BUF_INIT;
    restrictions(&r, g);
    if (r.len)
        al_rule_report_entry(out, a, "override", g, al_rule_id_pos(g), ".id",
                             "the entry of group \"%s\" covers the configuration project %s, but "
                             "GitLab gives the jobs of an agent's own project an implicit "
                             "authorization that comes before any group entry: they use agent %s "
                             "as the agent itself, from any environment and branch, without %s. "
                             "To restrict them too, add a projects entry for %s with these "
                             "settings",
                             g->id, cp, a->name ? a->name : "(this agent)", al_buf_cstr(&r), cp);
    al_buf_free(&r);
}

void al_rule_override(const struct al_check_ctx *ctx, const struct al_agent *a,
                      struct al_findings *out)
{
    const struct al_access_agent *v = a->verdicts;
    for (size_t i = 0; v && i < v->n_auths; i++) {
        const struct al_auth *x = &v->auths[i];
        if (!x->replaces)
            continue;
        if (x->scope == AL_SCOPE_IMPLICIT)
            check_config_project(ctx, a, x->replaces->entry, out);
        else
            check_project(ctx, a, x->entry, x->replaces->entry, out);
    }
}
