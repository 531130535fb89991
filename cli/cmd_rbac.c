/* rbac: the Kubernetes RBAC for the identities GitLab impersonates, for the
 * agents of one cluster. A config GitLab would reject is refused (exit 1,
 * its errors and the last accepted commit named), since GitLab keeps
 * another configuration in force, unless --allow-rejected binds what it
 * says. Exit 2 only when it cannot answer: a bad flag or policy, an
 * unreadable input, or an id --ids does not give (never a guessed one: it
 * lists them with the commands that fetch them). */
#include "cli/accepted.h"
#include "access/templates.h"
#include "cli/diag.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/explain.h"
#include "cli/formats.h"
#include "cli/output.h"
#include "cli/rbac_input.h"
#include "cli/render_rbac.h"
#include "cli/render_verify.h"
#include "cli/text_table.h"
#include "checks/run.h"
#include "common/error.h"
#include "checks/rules.h"
#include "views/rbac/rbac.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --agent-sa NAMESPACE:NAME, split into `ns` and `name` (caller frees ns). */
static int parse_agent_sa(const char *v, char **ns, const char **name)
{
    const char *colon = v ? strchr(v, ':') : NULL;
    *ns = NULL;
    if (!colon)
        return al_error_set("--agent-sa must be NAMESPACE:NAME, the agent's service account "
                            "(for the Helm chart: gitlab-agent-AGENT:RELEASE-gitlab-agent)");
    *ns = al_strndup(v, (size_t)(colon - v));
    *name = colon + 1;
    if (!al_rbac_dns_label(*ns))
        return al_error_set("--agent-sa: '%s' is not a Kubernetes namespace name", *ns);
    if (!al_rbac_dns_subdomain(*name))
        return al_error_set("--agent-sa: '%s' is not a Kubernetes service account name", *name);
    return 0;
}

static int check_flags(const struct al_opts *o, struct al_rbac_opts *ro, char **sa_ns,
                       const struct al_format **fmt)
{
    *sa_ns = NULL;
    *fmt = NULL;
    if (o->verify) {
        if (o->format && strcmp(o->format, "text") != 0 && strcmp(o->format, "json") != 0)
            return al_error_set("--format for rbac --verify must be text or json, not '%s'",
                                o->format);
    } else {
        *fmt = al_format_find(AL_CMD_RBAC, "rbac", o->format);
        if (!*fmt)
            return AL_ERR;
        if (o->n_rbac || o->kube_version)
            return al_error_set("--rbac and --kube-version are for rbac --verify (the roles the "
                                "bindings name); give --verify too");
    }
    if (o->role && !al_rbac_role_name_ok(o->role))
        return al_error_set("--role must be the name of a ClusterRole (such as view or edit), "
                            "not '%s'",
                            o->role);
    if (o->agent_sa && !o->impersonator)
        return al_error_set("--agent-sa names the service account for --impersonator; give "
                            "--impersonator too");
    if (o->impersonator && !o->agent_sa)
        return al_error_set("--impersonator needs the agent's service account: --agent-sa "
                            "NAMESPACE:NAME");
    if (o->agent_sa && parse_agent_sa(o->agent_sa, sa_ns, &ro->sa_name) < 0)
        return AL_ERR;
    ro->sa_namespace = *sa_ns;
    ro->role = o->role;
    ro->cluster_wide = o->cluster_wide;
    ro->baseline = o->bind_all_jobs;
    ro->impersonator = o->impersonator;
    return 0;
}

/* Ids rbac will not guess: list them and how to fetch them, exit 2. */
static int missing_ids(const struct al_rbac *r)
{
    struct al_buf b = AL_BUF_INIT;
    for (size_t i = 0; i < r->n_missing; i++)
        al_buf_printf(&b, "%s%s %s", i ? ", " : "", al_explain_id_kind(r->missing[i].kind),
                      r->missing[i].path);
    al_diag("agentlint: %zu numeric id(s) are not in --ids, and rbac never guesses one: %s",
            r->n_missing, al_buf_cstr(&b));
    al_buf_free(&b);
    al_diag("agentlint: fetch them (with glab, or with curl and a token with read_api), then run "
            "again with --ids ids.json:");
    for (size_t i = 0; i < r->n_missing; i++) {
        struct al_buf glab = AL_BUF_INIT, curl = AL_BUF_INIT;
        al_explain_fetch_command(&glab, &r->missing[i]);
        al_explain_fetch_curl(&curl, &r->missing[i]);
        al_diag("  %s", al_buf_cstr(&glab));
        al_diag("  %s", al_buf_cstr(&curl));
        al_buf_free(&glab);
        al_buf_free(&curl);
    }
    return 2;
}

static void say(const char *level, const struct al_rbac_object *o, const char *text)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "agentlint: %s: ", level);
    if (o)
        al_buf_printf(&b, "%s %s: ", al_rbac_kind_name(o->kind), o->name);
    al_buf_puts(&b, text);
    al_diag("%s", al_buf_cstr(&b)); /* config values: sanitized there */
    al_buf_free(&b);
}

/* Environment templates bind roles too, per environment, outside what
 * rbac generates: one note per binding, with its role and subjects. */
static void template_notes(const struct al_session *s, const struct al_access *m)
{
    for (size_t i = 0; i < m->n_agents; i++) {
        struct al_tmpls t;
        al_tmpls_load(&t, s->source, m->agents[i]->name);
        for (size_t k = 0; k < t.n; k++)
            for (size_t j = 0; j < t.items[k].n_objects; j++) {
                const struct al_tmpl_object *x = &t.items[k].objects[j];
                if (!x->binding)
                    continue;
                struct al_buf b = AL_BUF_INIT;
                al_buf_printf(&b,
                              "%s: GitLab also creates, for every environment a job of an "
                              "entry with resource_management starts: ",
                              t.items[k].path);
                al_explain_template_object(&b, x);
                al_buf_puts(&b, " (not in this output; review it with the template)");
                say("note", NULL, al_buf_cstr(&b));
                al_buf_free(&b);
            }
        al_tmpls_free(&t);
    }
}

static void diagnostics(const struct al_opts *o, const struct al_session *s,
                        const struct al_access *m, const struct al_rbac *r)
{
    template_notes(s, m);
    if (!s->ctx.project_path && m->n_agents)
        say("note", NULL,
            "the configuration project's path is unknown (give --project-path or set "
            "remote.origin.url): implicit authorizations are left out");
    if (!o->n_agents && m->n_agents > 1)
        say("note", NULL,
            "bindings for every agent of the repository, as if they shared one cluster: give "
            "--agents A,B for the agents of one cluster");
    for (size_t i = 0; i < r->n_warnings; i++)
        say("warning", r->warnings[i].object, r->warnings[i].text);
    for (size_t i = 0; i < r->n_notes; i++)
        say("note", NULL, r->notes[i]);
    for (size_t i = 0; i < r->n_objects; i++)
        for (size_t k = 0; k < r->objects[i]->n_notes; k++)
            say("note", r->objects[i], r->objects[i]->notes[k]);
    if (!r->n_objects)
        say("note", NULL,
            "nothing to bind: no entry of these agents impersonates (access_as ci_job, "
            "impersonate, or user_access with user)");
}

/* An agent whose file GitLab rejects: its errors (file:line: rule:
 * message), then where the last accepted version is. */
static void rejected_errors(const struct al_report *report, const struct al_access_agent *ag,
                            const char *level)
{
    size_t shown = 0, more = 0;
    for (size_t i = 0; i < report->findings.n; i++) {
        const struct al_finding *f = &report->findings.items[i];
        const struct al_rule *rule = al_rule_find(f->rule);
        /* file-name marks a config that is not a readable file rejected too */
        bool rejecting = (rule && rule->rejects) || strcmp(f->rule, "file-name") == 0;
        if (strcmp(f->path, ag->path) != 0 || f->severity != AL_SEV_ERROR || !rejecting)
            continue;
        if (shown == 3) {
            more++;
            continue;
        }
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b, "%s:%u: %s: %s", f->path, f->line, f->rule, f->message);
        say(level, NULL, al_buf_cstr(&b));
        al_buf_free(&b);
        shown++;
    }
    if (more)
        al_diag("agentlint: %s: ... and %zu more (agentlint check lists them)", level, more);
    struct al_buf note = AL_BUF_INIT;
    al_explain_rejected_note(&note, ag);
    say("note", NULL, al_buf_cstr(&note));
    al_buf_free(&note);
}

/* rbac never binds what GitLab would not apply, unless asked to. */
static int refuse_rejected(const struct al_opts *o, const struct al_report *report,
                           const struct al_access *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_agents; i++) {
        const struct al_access_agent *ag = m->agents[i];
        if (!ag->rejected)
            continue;
        n++;
        rejected_errors(report, ag, o->allow_rejected ? "warning" : "error");
    }
    if (!n)
        return 0;
    if (o->allow_rejected) {
        al_diag("agentlint: warning: --allow-rejected: binding %zu agent%s from file%s "
                "GitLab rejects, as written",
                n, n == 1 ? "" : "s", n == 1 ? "" : "s");
        return 0;
    }
    al_diag("agentlint: %zu agent%s ha%s a config GitLab rejects, so its bindings would not "
            "match what GitLab applies: fix the file, give --rev of an accepted version, or "
            "--allow-rejected to bind what it says",
            n, n == 1 ? "" : "s", n == 1 ? "s" : "ve");
    return 1;
}

/* --verify: the written objects, read back from their YAML, against the
 * policy's intent, both in the RBAC engine with --rbac's roles and the
 * defaults of --kube-version. Exit 1 when a job's permissions differ. */
static int verify(const struct al_opts *o, const struct al_session *s, const struct al_access *m,
                  const struct al_rbac_opts *ro, const struct al_rbac *r)
{
    struct al_buf yaml = AL_BUF_INIT;
    struct al_kube *written = al_kube_new(), *intended = al_kube_new();
    int rc = al_render_rbac_yaml(r, &yaml) < 0 ? al_error_set("internal error: the YAML "
                                                              "emitter failed")
                                               : 0;
    if (rc == 0)
        rc = al_rbac_input_add(s, o, written);
    if (rc == 0)
        rc = al_kube_add_text(written, "<agentlint rbac>", al_buf_cstr(&yaml), yaml.len);
    if (rc == 0)
        rc = al_kube_finish(written);
    if (rc == 0)
        rc = al_rbac_input_add(s, o, intended);
    struct al_rbac_verify v;
    memset(&v, 0, sizeof v);
    if (rc == 0) {
        al_rbac_input_report(written, true);
        rc = al_rbac_verify(written, intended, m, ro, &v);
    }
    if (rc == 0) {
        struct al_verify_view view = {&v, o->policy, written->defaults_version, AL_VERSION,
                                      al_text_term_width()};
        struct al_buf out = AL_BUF_INIT;
        bool json = o->format && strcmp(o->format, "json") == 0;
        (json ? al_render_verify_json : al_render_verify_text)(&view, &out);
        rc = al_output_write(o->output, &out) < 0 ? AL_ERR : v.n_jobs ? 1 : 0;
        al_buf_free(&out);
    }
    if (rc < 0)
        rc = al_cmd_fail(al_error_last());
    al_rbac_verify_free(&v);
    al_kube_free(written);
    al_kube_free(intended);
    al_buf_free(&yaml);
    return rc;
}

/* What one run holds beyond the session. */
struct run {
    struct al_rbac_opts opts;
    struct al_rbac_policy *policy;
    struct al_ids *ids;
    char *sa_namespace;
    const struct al_format *fmt;
};

static int rbac(const struct al_opts *o, struct al_session *s, struct run *R)
{
    struct al_run run;
    int rc = al_session_run(s, o, R->ids, &run) < 0 ? al_cmd_fail(al_error_last()) : 0;
    struct al_access *m = &run.access;
    if (rc == 0)
        rc = refuse_rejected(o, &run.report, m);
    if (rc == 0) {
        struct al_rbac r;
        R->opts.matching = s->ctx.env_matching;
        al_rbac_build(m, &R->opts, &r);
        if (r.n_missing) {
            rc = missing_ids(&r);
        } else {
            diagnostics(o, s, m, &r);
            rc = o->verify                                    ? verify(o, s, m, &R->opts, &r)
                 : al_format_write(R->fmt, &r, o->output) < 0 ? al_cmd_fail(al_error_last())
                                                              : 0;
        }
        al_rbac_free(&r);
    }
    al_run_free(&run);
    return rc;
}

/* Everything that can be refused before the repository is read. */
static int prepare(const struct al_opts *o, struct run *R)
{
    memset(R, 0, sizeof(*R));
    if (check_flags(o, &R->opts, &R->sa_namespace, &R->fmt) < 0)
        return AL_ERR;
    if (o->policy && al_rbac_policy_load_file(o->policy, &R->policy) < 0)
        return AL_ERR;
    R->opts.policy = R->policy;
    return al_session_ids(o, &R->ids);
}

int al_cmd_rbac(const struct al_opts *o)
{
    struct run R;
    struct al_session s;
    int rc;
    if (prepare(o, &R) < 0) {
        rc = al_cmd_fail(al_error_last());
    } else if (al_session_open(&s, o) < 0 || al_session_load(&s) < 0) {
        rc = al_cmd_fail(al_error_last());
        al_session_close(&s);
    } else {
        rc = rbac(o, &s, &R);
        al_session_close(&s);
    }
    al_ids_free(R.ids);
    al_rbac_policy_free(R.policy);
    free(R.sa_namespace);
    return rc;
}
