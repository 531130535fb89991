/* broad-agent-access: an entry that gives the agent's own identity (its
 * service account: access_as agent, or no access_as) to every project of a
 * top-level group or of the instance, in ci_access or user_access. Every
 * pipeline, or every member, of any project there then acts in the cluster
 * with all the agent's own permissions, which installers usually bind to
 * cluster-admin. The configuration project's implicit authorization is not
 * this: it is never written and covers one project. Linear in the entries. */
#include "checks/rules.h"
#include "checks/rules/util.h"

#include "common/buf.h"

#include <string.h>

static bool top_level_group(const struct al_entry *e)
{
    return e->scope == AL_SCOPE_GROUP && e->id && !e->id_problem && !strchr(e->id, '/');
}

static void check_entry(const struct al_check_ctx *ctx, const struct al_agent *a,
                        const struct al_entry *e, struct al_findings *out)
{
    bool instance = e->scope == AL_SCOPE_INSTANCE;
    if (!instance && !top_level_group(e))
        return;
    if (instance && !ctx->instance_authorization)
        return; /* GitLab ignores it without the admin setting (namespace/version say so) */
    struct al_buf where = AL_BUF_INIT;
    if (instance)
        al_buf_puts(&where, "any project of the instance");
    else
        al_buf_printf(&where, "any project of the top-level group \"%s\"", e->id);
    struct al_ypos pos = e->access_as_node ? e->access_as_node->pos : al_rule_id_pos(e);
    struct al_finding *f = al_rule_report_entry(
        out, a, "broad-agent-access", e, pos, e->access_as_node ? ".access_as" : NULL,
        "%s of %s reaches the cluster as the agent itself (%s), with every "
        "permission of the agent's service account, from any branch and "
        "environment. Use access_as ci_job, or impersonate an identity bound "
        "to what these projects need, or list only the projects that need the "
        "agent's identity",
        e->section == AL_USER_ACCESS ? "every member" : "every CI job", al_buf_cstr(&where),
        e->access_as_set ? "access_as: agent" : "no access_as means the agent's identity");
    /* GitLab documents a group with the agent's identity for small set-ups,
     * and 14 of the 21 clean real-world configs of tests/corpus do it: a
     * note there, a warning for the whole instance. */
    if (!instance)
        al_finding_set_severity(f, AL_SEV_NOTE);
    al_buf_free(&where);
}

void al_rule_broad_agent_access(const struct al_check_ctx *ctx, const struct al_agent *a,
                                struct al_findings *out)
{
    for (size_t i = 0; i < a->config.n_entries; i++) {
        const struct al_entry *e = &a->config.entries[i];
        if (e->access_as == AL_AS_AGENT && e->scope != AL_SCOPE_IMPLICIT)
            check_entry(ctx, a, e, out);
    }
}
