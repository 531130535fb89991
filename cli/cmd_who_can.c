/* who-can VERB RESOURCE [-n NS] --rbac PATH...: which projects, groups and
 * environments' CI jobs can do a Kubernetes request, through the agent
 * configs of the repository (perm/whocan.h). Exit 0 when it could answer
 * (also when nobody can), 2 when it cannot. */
#include "cli/accepted.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/diag.h"
#include "cli/formats.h"
#include "checks/run.h"
#include "cli/output.h"
#include "cli/rbac_input.h"
#include "cli/text_table.h"
#include "cli/whocan.h"
#include "common/error.h"

#include <string.h>

static int check_args(const struct al_opts *o)
{
    if (o->n_paths != 2)
        return al_error_set("who-can needs a verb and a resource, as kubectl auth can-i takes "
                            "them (agentlint who-can get secrets -n prod --rbac rbac.yaml)");
    if (!o->n_rbac)
        return al_error_set("who-can needs the cluster's RBAC: --rbac FILE (a kubectl get "
                            "clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml "
                            "dump, or the manifests)");
    return 0;
}

/* What the answer rests on, on standard error. */
static void warn(const struct al_access *m, const struct al_who *w, const char *project)
{
    for (size_t i = 0; i < m->n_agents; i++)
        if (m->agents[i]->rejected)
            al_diag("agentlint: warning: GitLab would reject %s (agentlint check says why): it "
                    "keeps the previous configuration in force, and answered is what the file "
                    "says",
                    m->agents[i]->path);
    if (!project && m->n_agents)
        al_diag("agentlint: note: the configuration project's path is unknown (give "
                "--project-path or set remote.origin.url): implicit authorizations are left out");
    if (w->n_missing)
        al_diag("agentlint: warning: %zu numeric id(s) unknown: bindings that name them cannot "
                "be matched, so jobs may be missing from the answer; give them with --ids FILE",
                w->n_missing);
    const struct al_who_row *unknown = NULL;
    size_t n_unknown = 0;
    for (size_t i = 0; i < w->n_rows; i++)
        if (!w->rows[i].known) {
            unknown = unknown ? unknown : &w->rows[i];
            n_unknown++;
        }
    if (unknown)
        al_diag("agentlint: warning: %zu group%s of jobs act%s as an identity agentlint cannot "
                "tell, listed as unknown: %s",
                n_unknown, n_unknown == 1 ? "" : "s", n_unknown == 1 ? "s" : "",
                unknown->why ? unknown->why : "see the list");
}

struct run {
    const struct al_opts *o;
    const struct al_format *fmt;
    struct al_session *s;
    struct al_kube *k;
    struct al_kube_request req;
    struct al_perm_opts perm;
};

static int render(const struct run *R, const struct al_access *m, const struct al_who *w)
{
    const struct al_opts *o = R->o;
    struct al_whocan_view v = {w,
                               o->paths[0],
                               o->paths[1],
                               o->rbac,
                               o->n_rbac,
                               R->k->defaults_version,
                               R->s->ctx.project_path,
                               AL_VERSION,
                               R->s->color,
                               al_text_term_width()};
    (void)m;
    return al_format_write(R->fmt, &v, o->output) < 0 ? al_cmd_fail(al_error_last()) : 0;
}

static int who_can(struct run *R, const struct al_ids *ids)
{
    struct al_session *s = R->s;
    struct al_run run;
    int rc = al_session_run(s, R->o, ids, &run) < 0 ? al_cmd_fail(al_error_last()) : 0;
    const struct al_access *m = &run.access;
    if (rc == 0) {
        struct al_who_opts wo = {&R->perm, s->ctx.env_matching};
        struct al_who w;
        al_who_can(R->k, m, &R->req, &wo, &w);
        warn(m, &w, s->ctx.project_path);
        rc = render(R, m, &w);
        al_who_free(&w);
    }
    al_run_free(&run);
    return rc;
}

/* The RBAC (read from the configs' source), the request and --agent-sa. */
static int prepare(struct run *R)
{
    const struct al_opts *o = R->o;
    R->k = al_kube_new();
    if (al_rbac_input_load(R->s, o, R->k) < 0)
        return AL_ERR;
    al_rbac_input_report(R->k, true);
    if (al_kube_request_parse(R->k, o->paths[0], o->paths[1], o->subresource, o->namespace,
                              &R->req) < 0)
        return AL_ERR;
    memset(&R->perm, 0, sizeof(R->perm));
    if (o->agent_sa && al_perm_agent_sa_parse(R->k, o->agent_sa, &R->perm) < 0)
        return AL_ERR;
    return 0;
}

int al_cmd_who_can(const struct al_opts *o)
{
    struct run R = {o, al_format_find(AL_CMD_WHO_CAN, "who-can", o->format), NULL, NULL, {0}, {0}};
    if (!R.fmt)
        return al_cmd_fail(al_error_last());
    if (check_args(o) < 0)
        return al_cmd_fail(al_error_last());
    /* The positional arguments are the request, not config files. */
    struct al_opts so = *o;
    so.paths = NULL;
    so.n_paths = 0;
    struct al_ids *ids = NULL;
    struct al_session s;
    int rc;
    if (al_session_ids(o, &ids) < 0) {
        rc = al_cmd_fail(al_error_last());
    } else if (al_session_open(&s, &so) < 0 || al_session_load(&s) < 0) {
        rc = al_cmd_fail(al_error_last());
        al_session_close(&s);
    } else {
        R.s = &s;
        rc = prepare(&R) < 0 ? al_cmd_fail(al_error_last()) : who_can(&R, ids);
        al_session_close(&s);
    }
    al_ids_free(ids);
    if (R.k)
        al_kube_free(R.k);
    return rc;
}
