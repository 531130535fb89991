/* explain: the access matrix, or one job's decisions (--project). It
 * answers even for a config GitLab would reject (it says so on standard
 * error and in the output), and exits 2 only when it cannot answer. */
#include "cli/accepted.h"
#include "cli/diag.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/explain.h"
#include "cli/formats.h"
#include "cli/explain_perm.h"
#include "cli/rbac_input.h"
#include "cli/output.h"
#include "cli/text_table.h"
#include "model/paths.h"
#include "checks/run.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The job flags describe a job: they need --project, and tier and slug
 * describe its environment. */
static int check_job_flags(const struct al_opts *o)
{
    bool job = o->environment || o->protected_ref >= 0 || o->tier || o->slug || o->license;
    if (job && !o->project)
        return al_error_set("--environment, --protected, --unprotected, --tier, --slug and "
                            "--license describe a CI job: give its project with --project PATH");
    if ((o->tier || o->slug) && !o->environment)
        return al_error_set("--tier and --slug describe the job's environment: give "
                            "--environment NAME too");
    if (o->environment && !*o->environment)
        return al_error_set("--environment needs a name; leave it out for a job without one");
    if (o->tier && al_env_tier_parse(o->tier) < 0)
        return al_error_set("--tier must be production, staging, testing, development or "
                            "other, not '%s'",
                            o->tier);
    if ((o->permissions || o->n_rbac || o->agent_sa || o->kube_version) && !o->project)
        return al_error_set("--permissions, --rbac, --agent-sa and --kube-version answer for a CI "
                            "job: give its project with --project PATH (and --environment NAME)");
    if (o->permissions && !o->n_rbac)
        return al_error_set("--permissions needs the cluster's RBAC: give --rbac FILE (a kubectl "
                            "get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml "
                            "dump, or the manifests)");
    if (o->license && al_license_parse(o->license) < 0)
        return al_error_set("--license must be free, premium or ultimate, not '%s'", o->license);
    const char *problem = o->project ? al_id_problem(o->project, AL_SCOPE_PROJECT, NULL) : NULL;
    if (problem || (o->project && !*o->project))
        return al_error_set("--project '%s' %s", o->project,
                            problem ? problem : "is empty; give the job project's full path");
    return 0;
}

/* Diagnostics: what the answer rests on, on standard error. */
static void warn(const struct al_access *m, const struct al_decisions *d, const char *project)
{
    for (size_t i = 0; i < m->n_agents; i++)
        if (m->agents[i]->rejected)
            al_diag("agentlint: warning: GitLab would reject %s (agentlint check says why): it "
                    "keeps the previous configuration in force, and shown is what the file says",
                    m->agents[i]->path);
    if (!project && m->n_agents)
        al_diag("agentlint: note: the configuration project's path is unknown (give --project-path "
                "or set remote.origin.url): implicit authorizations, the namespace rule and "
                "kubeconfig contexts are left out");
    if (d && d->n_missing) {
        struct al_buf b = AL_BUF_INIT;
        for (size_t i = 0; i < d->n_missing; i++)
            al_buf_printf(&b, "%s%s %s", i ? ", " : "", al_explain_id_kind(d->missing[i].kind),
                          d->missing[i].path);
        al_diag("agentlint: note: %zu numeric id(s) unknown, shown as <path>: %s; give them with "
                "--ids FILE (see agentlint explain --help)",
                d->n_missing, al_buf_cstr(&b));
        al_buf_free(&b);
    }
}

static struct al_job job_of(const struct al_opts *o, const struct al_session *s)
{
    struct al_job job = {o->project, o->environment,     o->protected_ref == 1, o->tier,
                         o->slug,    AL_LICENSE_PREMIUM, s->ctx.env_matching};
    if (o->license)
        job.license = (enum al_license)al_license_parse(o->license);
    if (o->slug && !al_env_slug_valid(o->slug))
        al_diag("agentlint: warning: --slug '%s' does not look like a GitLab environment "
                "slug (lower-case letters, digits and '-', at most 24 characters)",
                o->slug);
    return job;
}

static int render(const struct al_opts *o, const struct al_format *fmt, const struct al_session *s,
                  const struct al_report *report, const struct al_access *m,
                  const struct al_decisions *d, const struct al_explain_perms *perms)
{
    struct al_explain_view v = {report,
                                m,
                                d,
                                s->ctx.project_path,
                                s->ctx.project_path_origin,
                                s->ctx.env_matching,
                                AL_VERSION,
                                s->color,
                                al_text_term_width(),
                                perms};
    return al_format_write(fmt, &v, o->output) < 0 ? al_cmd_fail(al_error_last()) : 0;
}

/* What --permissions adds: the cluster's RBAC and --agent-sa. */
struct kube_side {
    struct al_kube *k; /* NULL without --rbac */
    struct al_perm_opts perm;
};

static int kube_side_load(const struct al_session *s, const struct al_opts *o, struct kube_side *ks)
{
    if (!o->n_rbac)
        return 0;
    ks->k = al_kube_new();
    if (al_rbac_input_load(s, o, ks->k) < 0)
        return AL_ERR;
    al_rbac_input_report(ks->k, true);
    return o->agent_sa ? al_perm_agent_sa_parse(ks->k, o->agent_sa, &ks->perm) : 0;
}

static int render_decided(const struct al_opts *o, const struct al_format *fmt,
                          const struct al_session *s, const struct al_report *report,
                          const struct al_access *m, const struct al_decisions *d,
                          const struct kube_side *ks)
{
    if (!ks->k)
        return render(o, fmt, s, report, m, d, NULL);
    struct al_explain_perms perms;
    al_explain_perms_build(ks->k, d, &ks->perm, &perms);
    perms.rbac = o->rbac;
    perms.n_rbac = o->n_rbac;
    for (size_t i = 0; i < perms.n; i++)
        if (!perms.items[i].known)
            al_diag("agentlint: warning: agent %s: the identity is unknown, so are its "
                    "permissions: %s",
                    perms.items[i].decision->agent->name ? perms.items[i].decision->agent->name
                                                         : perms.items[i].decision->agent->path,
                    perms.items[i].why);
    int rc = render(o, fmt, s, report, m, d, &perms);
    al_explain_perms_free(&perms);
    return rc;
}

static int explain(const struct al_opts *o, const struct al_format *fmt, struct al_session *s,
                   const struct al_ids *ids, const struct kube_side *ks)
{
    struct al_run run;
    int rc = al_session_run(s, o, ids, &run) < 0 ? al_cmd_fail(al_error_last()) : 0;
    struct al_access *m = &run.access;
    struct al_decisions d;
    bool decided = rc == 0 && o->project;
    if (decided) {
        struct al_job job = job_of(o, s);
        al_access_decide(m, &job, &d);
    }
    if (rc == 0) {
        warn(m, decided ? &d : NULL, s->ctx.project_path);
        rc = decided ? render_decided(o, fmt, s, &run.report, m, &d, ks)
                     : render(o, fmt, s, &run.report, m, NULL, NULL);
    }
    if (decided)
        al_decisions_free(&d);
    al_run_free(&run);
    return rc;
}

int al_cmd_explain(const struct al_opts *o)
{
    const struct al_format *fmt = al_format_find(AL_CMD_EXPLAIN, "explain", o->format);
    if (!fmt)
        return al_cmd_fail(al_error_last());
    if (check_job_flags(o) < 0)
        return al_cmd_fail(al_error_last());
    struct al_ids *ids = NULL;
    struct al_session s;
    struct kube_side ks;
    memset(&ks, 0, sizeof ks);
    int rc;
    if (al_session_ids(o, &ids) < 0) {
        rc = al_cmd_fail(al_error_last());
    } else if (al_session_open(&s, o) < 0 || al_session_load(&s) < 0) {
        rc = al_cmd_fail(al_error_last());
        al_session_close(&s);
    } else {
        rc = kube_side_load(&s, o, &ks) < 0 ? al_cmd_fail(al_error_last())
                                            : explain(o, fmt, &s, ids, &ks);
        al_session_close(&s);
    }
    al_ids_free(ids);
    if (ks.k)
        al_kube_free(ks.k);
    return rc;
}
