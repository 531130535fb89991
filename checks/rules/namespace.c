/* namespace: RefreshService authorizes only projects and groups under the
 * configuration project's top-level namespace (root_ancestor); a config
 * project in a personal namespace can authorize no group at all. Other ids
 * are dropped silently, unless the self-managed admin setting
 * organization_cluster_agent_authorization_enabled widens the scope to the
 * organization (--instance-authorization): for ci_access from GitLab 18.1,
 * for user_access from 18.4 (al_path_cross_root); with the setting on an
 * older version, the entry is still reported, saying from when it counts.
 *
 * Whether a two-segment project path (user/project or group/project) is
 * personal cannot be told from the path; it can when the configuration
 * project is nested (user namespaces have no subgroups, so its root is a
 * group) or lives under `root`, the administrator's user on self-managed
 * GitLab. Only the latter is reported (the model presumes it).
 *
 * The access model decides it (al_auth.outside); this rule words it, one
 * finding per entry. Without a project path there is nothing to decide, and
 * the run-level part says once how to supply one. */
#include "checks/rules.h"
#include "checks/rules/util.h"
#include "model/paths.h"
#include "common/buf.h"
#include "common/version.h"
#include "access/model.h"

#include <stdlib.h>
#include <string.h>

static const char *origin_of(const struct al_check_ctx *ctx)
{
    return ctx->project_path_origin ? ctx->project_path_origin : "the context";
}

/* How the entry could count: the setting, or a newer GitLab with it. */
static void unless_setting(const struct al_check_ctx *ctx, const struct al_entry *e,
                           struct al_buf *b)
{
    char since[16], now[16];
    al_version_str(al_path_cross_root_since(e->section), since);
    if (ctx->instance_authorization)
        al_buf_printf(b,
                      "the admin setting organization_cluster_agent_authorization_enabled "
                      "(--instance-authorization) keeps %s ids outside the top-level group only "
                      "from GitLab %s, and this is %s (--gitlab-version)",
                      al_section_name(e->section), since, al_version_str(ctx->gitlab_version, now));
    else
        al_buf_printf(b,
                      "or, if a self-managed administrator turned on "
                      "organization_cluster_agent_authorization_enabled and the instance runs "
                      "GitLab %s or later, pass --instance-authorization",
                      since);
}

static void report_outside(const struct al_check_ctx *ctx, const struct al_agent *a,
                           const struct al_entry *e, const char *root, struct al_findings *out)
{
    char *their = al_path_root(e->id);
    struct al_buf unless = AL_BUF_INIT;
    unless_setting(ctx, e, &unless);
    al_rule_report_entry(out, a, "namespace", e, al_rule_id_pos(e), ".id",
                         "\"%s\" is outside %s, the top-level namespace of the configuration "
                         "project %s (from %s); GitLab authorizes only projects and groups under "
                         "%s and drops this entry without a word: register an agent in a project "
                         "under %s for it (%s)",
                         e->id, root, ctx->project_path, origin_of(ctx), root, their,
                         al_buf_cstr(&unless));
    al_buf_free(&unless);
    free(their);
}

static void report_personal_group(const struct al_check_ctx *ctx, const struct al_agent *a,
                                  const struct al_entry *e, const char *root,
                                  struct al_findings *out)
{
    struct al_buf unless = AL_BUF_INIT;
    unless_setting(ctx, e, &unless);
    al_rule_report_entry(out, a, "namespace", e, al_rule_id_pos(e), ".id",
                         "the configuration project %s is in the personal namespace of the "
                         "user \"%s\", and GitLab never authorizes groups for an agent "
                         "registered in a personal project: this entry is dropped without a "
                         "word; move the agent to a project in a group (%s)",
                         ctx->project_path, root, al_buf_cstr(&unless));
    al_buf_free(&unless);
}

void al_rule_namespace(const struct al_check_ctx *ctx, const struct al_agent *a,
                       struct al_findings *out)
{
    const struct al_access_agent *v = a->verdicts;
    if (!v || !ctx->project_path)
        return;
    char *root = al_path_root(ctx->project_path);
    for (size_t i = 0; i < v->n_auths; i++) {
        const struct al_auth *e = &v->auths[i];
        if (e->outside == AL_DROP_PERSONAL)
            report_personal_group(ctx, a, e->entry, root, out);
        else if (e->outside == AL_DROP_NAMESPACE)
            report_outside(ctx, a, e->entry, root, out);
    }
    free(root);
}

static bool has_entries(const struct al_agent *a)
{
    return !a->foreign && a->config.n_listed > 0;
}

void al_rule_namespace_run(const struct al_check_ctx *ctx, const struct al_source *src,
                           const struct al_agent *agents, size_t n_agents, struct al_findings *out)
{
    (void)src;
    if (ctx->project_path ||
        (al_path_cross_root(AL_CI_ACCESS, ctx->gitlab_version, ctx->instance_authorization) &&
         al_path_cross_root(AL_USER_ACCESS, ctx->gitlab_version, ctx->instance_authorization)))
        return;
    for (size_t i = 0; i < n_agents; i++) {
        if (!has_entries(&agents[i]))
            continue;
        struct al_finding *f = al_findings_add(
            out, "namespace", agents[i].path, (struct al_ypos){0, 0},
            "the configuration project's path is unknown, so agentlint did not check that the "
            "ids lie in its top-level namespace (GitLab drops the others without a word): pass "
            "--project-path GROUP/PROJECT, set CI_PROJECT_PATH, add project_path to "
            ".agentlint.yaml, or add an origin remote");
        al_finding_set_severity(f, AL_SEV_NOTE);
        return;
    }
}
