/* check --rbac: the RBAC rules (perm/permrules.h) over the RBAC files read
 * at the configs' revision, joined with the configs' access model, their
 * findings added to the report as any rule's. */
#include "cli/check_rbac.h"

#include "access/model.h"
#include "cli/rbacin.h"
#include "common/error.h"
#include "checks/rules/rbac.h"
#include "checks/suppress.h"

#include <stdlib.h>
#include <string.h>

static void copy_finding(struct al_findings *to, const struct al_finding *f)
{
    struct al_ypos pos = {f->line, f->col};
    struct al_finding *c = al_findings_add(to, f->rule, f->path, pos, "%s", f->message);
    al_finding_set_severity(c, f->severity);
    if (f->suggestion)
        al_finding_set_suggestion(c, f->suggestion);
    if (f->agent)
        al_finding_set_agent(c, f->agent);
    if (f->key_path)
        al_finding_set_key_path(c, f->key_path);
    if (f->value)
        al_finding_set_value(c, f->value);
}

static int agent_sa(const struct al_opts *o, struct al_kube *k, struct al_perm_opts *out)
{
    memset(out, 0, sizeof *out);
    if (!o->agent_sa)
        return 0;
    return al_perm_agent_sa_parse(k, o->agent_sa, out);
}

/* Findings on the RBAC files: inline ignores there, .agentlint.yaml's
 * severities and ignored paths, the per-file cap; then into the report. */
static void merge(const struct al_session *s, const struct al_rbacin *in, struct al_findings *found,
                  struct al_report *r)
{
    al_suppress_extra(&s->ctx, in->disk, found);
    if (in->revision)
        al_suppress_extra(&s->ctx, in->revision, found);
    al_findings_cap(found, s->ctx.max_per_rule);
    for (size_t i = 0; i < found->n; i++)
        copy_finding(&r->findings, &found->items[i]);
    al_findings_sort(&r->findings);
}

int al_check_rbac(const struct al_opts *o, struct al_session *s, struct al_report *r)
{
    const char *rev = s->source->kind == AL_SRC_REVISION ? s->source->revision : NULL;
    struct al_rbacin in;
    struct al_ids *ids = NULL;
    struct al_perm_opts sa;
    int rc = al_rbacin_load(o, s->repo, rev, &in);
    if (rc == 0)
        rc = al_session_ids(o, &ids);
    if (rc == 0)
        rc = agent_sa(o, in.kube, &sa);
    if (rc == 0) {
        struct al_access_opts ao = {s->ctx.project_path, s->ctx.gitlab_version,
                                    s->ctx.instance_authorization, ids, 0};
        struct al_access m;
        al_access_build(&ao, r->agents, r->n_agents, &m);
        struct al_findings found = {0};
        struct al_permrules_in pin = {in.kube, &m, ids, o->agent_sa ? &sa : NULL};
        al_permrules_input(in.kube, &found);
        al_permrules_run(&pin, &found);
        merge(s, &in, &found, r);
        al_findings_free(&found);
        al_access_free(&m);
    }
    al_ids_free(ids);
    al_rbacin_free(&in);
    return rc;
}
