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
 * Project entries are matched to their nearest listed group through a
 * sorted index of the groups, one lookup per ancestor path: O(n log n). */
#include "checks/rules.h"
#include "checks/rules/util.h"
#include "model/paths.h"
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
    qsort(x, a->n_env, sizeof(char *), cmp_str);
    qsort(y, b->n_env, sizeof(char *), cmp_str);
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

static bool dropped_by_namespace(const struct al_check_ctx *ctx, const char *root,
                                 const struct al_entry *e)
{
    return root &&
           !al_path_cross_root(e->section, ctx->gitlab_version, ctx->instance_authorization) &&
           !al_path_within(e->id, root);
}

/* Project entries that are really groups (they contain another listed
 * project, or the configuration project): they match nothing, and
 * id-format says so. */
static bool *projects_that_are_groups(const struct al_check_ctx *ctx, const struct al_rule_list *pl,
                                      const struct al_rule_index *pix)
{
    bool *group = al_calloc(pl->n + 1, sizeof(bool));
    for (size_t i = 0; i < pl->n; i++) {
        const struct al_entry *q =
            pl->entries[i].id ? al_rule_index_nearest_parent(pix, pl->entries[i].id) : NULL;
        if (q)
            group[q - pl->entries] = true;
    }
    const struct al_entry *q =
        ctx->project_path ? al_rule_index_nearest_parent(pix, ctx->project_path) : NULL;
    if (q)
        group[q - pl->entries] = true;
    return group;
}

/* A groups entry that names the configuration project is a project. */
static bool usable_group(const struct al_check_ctx *ctx, const struct al_entry *g)
{
    return g && !g->id_problem && !(ctx->project_path && al_path_eq(g->id, ctx->project_path));
}

static void check_config_project(const struct al_check_ctx *ctx, const struct al_agent *a,
                                 const struct al_rule_index *projects,
                                 const struct al_rule_index *groups, struct al_findings *out)
{
    const char *cp = ctx->project_path;
    if (!cp || al_rule_index_find(projects, cp, strlen(cp)))
        return; /* an explicit entry for the project comes before the implicit one */
    const struct al_entry *g = al_rule_index_nearest_parent(groups, cp);
    if (!usable_group(ctx, g))
        return;
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
    struct al_rule_list lists[4], empty = {0};
    const struct al_rule_list *pl = &empty, *gl = &empty;
    size_t n = al_rule_lists(a, lists);
    for (size_t i = 0; i < n; i++) {
        if (lists[i].section != AL_CI_ACCESS)
            continue;
        if (lists[i].scope == AL_SCOPE_PROJECT)
            pl = &lists[i];
        else
            gl = &lists[i];
    }
    if (!gl->n)
        return;
    size_t cap = al_rule_entry_cap(ctx);
    struct al_rule_index pix, gix;
    al_rule_index_build(&pix, pl, cap);
    al_rule_index_build(&gix, gl, cap);
    char *root = ctx->project_path ? al_path_root(ctx->project_path) : NULL;
    bool *is_group = projects_that_are_groups(ctx, pl, &pix);
    for (size_t i = 0; i < pl->n; i++) {
        const struct al_entry *p = &pl->entries[i];
        if (is_group[i] || !al_rule_index_wins(&pix, p) || p->id_problem ||
            dropped_by_namespace(ctx, root, p))
            continue;
        const struct al_entry *g = al_rule_index_nearest_parent(&gix, p->id);
        if (usable_group(ctx, g))
            check_project(ctx, a, p, g, out);
    }
    check_config_project(ctx, a, &pix, &gix, out);
    free(is_group);
    free(root);
    al_rule_index_free(&pix);
    al_rule_index_free(&gix);
}
