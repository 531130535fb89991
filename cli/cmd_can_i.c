/* can-i: may this CI job do VERB on RESOURCE in the cluster? GitLab's
 * decision (explain's) gives the identity of every agent the job may use;
 * Kubernetes' RBAC authorizer (kube/) answers for each. The first line is
 * `yes` or `no`, and the exit status 0, 1 or 2, as `kubectl auth can-i`:
 * yes when some agent context of the job may do it (a job can pick any of
 * its contexts). */
#include "cli/can_i.h"
#include "cli/formats.h"
#include "checks/run.h"
#include "cli/accepted.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/diag.h"
#include "cli/output.h"
#include "cli/rbac_input.h"
#include "common/error.h"
#include "model/paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_args(const struct al_opts *o)
{
    if (o->n_paths != 2)
        return al_error_set("can-i takes VERB and RESOURCE (e.g. can-i create deployments.apps), "
                            "got %zu argument(s)",
                            o->n_paths);
    if (!o->project)
        return al_error_set("can-i answers for a CI job: give its project with --project PATH");
    const char *problem = al_id_problem(o->project, AL_SCOPE_PROJECT, NULL);
    if (problem || !*o->project)
        return al_error_set("--project '%s' %s", o->project,
                            problem ? problem : "is empty; give the job project's full path");
    if (o->environment && !*o->environment)
        return al_error_set("--environment needs a name; leave it out for a job without one");
    if (o->tier && al_env_tier_parse(o->tier) < 0)
        return al_error_set("--tier must be production, staging, testing, development or "
                            "other, not '%s'",
                            o->tier);
    if (o->license && al_license_parse(o->license) < 0)
        return al_error_set("--license must be free, premium or ultimate, not '%s'", o->license);
    if (o->n_rbac == 0)
        return al_error_set("can-i needs the cluster's RBAC objects: --rbac PATH (a file, a "
                            "directory or a glob; e.g. the output of kubectl get "
                            "clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml)");
    return 0;
}

static struct al_job job_of(const struct al_opts *o, const struct al_session *s)
{
    struct al_job job = {o->project, o->environment,     o->protected_ref == 1, o->tier,
                         o->slug,    AL_LICENSE_PREMIUM, s->ctx.env_matching};
    if (o->license)
        job.license = (enum al_license)al_license_parse(o->license);
    return job;
}

/* kubectl's namespace: -n, else the context's (GitLab writes the entry's
 * default_namespace into it), else "default". A non-resource URL has none. */
static const char *namespace_for(const struct al_opts *o, const struct al_decision *d)
{
    if (o->namespace)
        return o->namespace;
    return d->namespace && *d->namespace ? d->namespace : "default";
}

static int answer(const struct al_opts *o, struct al_kube *k, const struct al_decisions *ds,
                  const struct al_perm_opts *po, struct al_can_i_view *v)
{
    v->agents = al_calloc(ds->n + 1, sizeof(*v->agents));
    for (size_t i = 0; i < ds->n; i++) {
        struct al_can_i_agent *a = &v->agents[v->n_agents++];
        a->d = &ds->items[i];
        if (al_kube_request_parse(k, o->paths[0], o->paths[1], o->subresource,
                                  namespace_for(o, a->d), &a->request) < 0)
            return -1;
        if (a->request.path)
            a->request.namespace = NULL;
        if (!a->d->allowed)
            continue;
        al_perm_user(k, a->d, po, &a->user);
        if (!a->user.known) {
            v->unknown = true;
            continue;
        }
        v->allowed |= al_kube_authorize(k, &a->user.user, &a->request, &a->answer);
    }
    return 0;
}

static int can_i(const struct al_opts *o, const struct al_format *fmt, struct al_session *s,
                 const struct al_ids *ids)
{
    struct al_kube *k = al_kube_new();
    struct al_perm_opts po = {0};
    if ((o->agent_sa && al_perm_agent_sa_parse(k, o->agent_sa, &po) < 0) ||
        al_rbac_input_load(s, o, k) < 0) {
        al_kube_free(k);
        return al_cmd_fail(al_error_last());
    }
    size_t errors = al_rbac_input_report(k, o->quiet);
    struct al_run run;
    int rc = al_session_run(s, o, ids, &run) < 0 ? al_cmd_fail(al_error_last()) : 0;
    struct al_access *mp = &run.access;
    struct al_decisions ds;
    struct al_job job = job_of(o, s);
    bool decided = rc == 0;
    if (decided)
        al_access_decide(mp, &job, &ds);
    struct al_can_i_view v = {o->paths[0], o->paths[1], &job, k, NULL, 0, false, false, AL_VERSION};
    if (rc == 0 && answer(o, k, &ds, &po, &v) < 0)
        rc = al_cmd_fail(al_error_last());
    if (rc == 0) {
        for (size_t i = 0; i < mp->n_agents; i++)
            if (mp->agents[i]->rejected)
                al_diag("agentlint: warning: GitLab would reject %s (agentlint check says why): "
                        "the answer is for what the file says",
                        mp->agents[i]->path);
        /* RBAC only adds: what could not be read can turn a no into a yes,
         * never a yes into a no. */
        if (errors && !v.allowed)
            rc = al_cmd_fail("cannot answer no: some RBAC input could not be read (see above); "
                             "Kubernetes would refuse it, so fix it or leave it out");
        else if (v.unknown && !v.allowed)
            rc = al_cmd_fail("cannot answer: the job acts as an agent's own service account, "
                             "which agentlint cannot know; pass --agent-sa NAMESPACE/NAME");
        else if (al_format_write(fmt, &v, o->output) < 0)
            rc = al_cmd_fail(al_error_last());
        else
            rc = v.allowed ? 0 : 1;
    }
    free(v.agents);
    if (decided)
        al_decisions_free(&ds);
    al_run_free(&run);
    al_kube_free(k);
    return rc;
}

int al_cmd_can_i(const struct al_opts *o)
{
    const struct al_format *fmt = al_format_find(AL_CMD_CAN_I, "can-i", o->format);
    if (!fmt)
        return al_cmd_fail(al_error_last());
    if (check_args(o) < 0)
        return al_cmd_fail(al_error_last());
    /* VERB and RESOURCE are not config files: the configs come from the
     * repository (working tree, --staged, --rev). */
    struct al_opts so = *o;
    so.paths = NULL;
    so.n_paths = 0;
    struct al_ids *ids;
    struct al_session s;
    int rc;
    if (al_session_ids(&so, &ids) < 0) {
        rc = al_cmd_fail(al_error_last());
    } else if (al_session_open(&s, &so) < 0 || al_session_load(&s) < 0) {
        rc = al_cmd_fail(al_error_last());
        al_session_close(&s);
    } else {
        rc = can_i(o, fmt, &s, ids);
        al_session_close(&s);
    }
    al_ids_free(ids);
    return rc;
}
