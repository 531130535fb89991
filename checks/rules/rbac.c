/* The RBAC rules about subjects: what a binding names, read as GitLab's
 * identities (gitlab-semantics.md §6.2, §6.5), and whether the agent configs
 * can send it. The rules about what bindings grant are in
 * permrules_grants.c. */
#include "checks/rules/rbac.h"
#include "checks/rules/rbac_int.h"

#include "common/alloc.h"

#include <stdlib.h>
#include <strings.h>
#include <string.h>

static bool all_digits(const char *s, size_t n)
{
    if (n == 0 || n > 18)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool valid_tier(const char *s)
{
    static const char *const tiers[] = {"production", "staging", "testing", "development", "other"};
    for (size_t i = 0; i < sizeof tiers / sizeof tiers[0]; i++)
        if (strcmp(s, tiers[i]) == 0)
            return true;
    return false;
}

/* A template or an example left in a name: {{ .project.id }}, <id>, $ID. */
static bool templated(const char *s)
{
    return strstr(s, "{{") || strchr(s, '<') || strchr(s, '$');
}

/* The forms GitLab sends, by prefix: whether the part after it is
 * ID, ID:TIER or ID:SOMETHING. */
enum tail { T_NONE, T_NAME, T_ID, T_ID_TIER, T_ID_NAME };

struct form {
    const char *prefix; /* up to and including the last ':' before the tail */
    enum al_gl_ident ident;
    enum tail tail;
    enum al_kube_subject_kind kind;
    bool ci, user, wide;
};

static const struct form forms[] = {
    {"gitlab:ci_job", AL_GL_CI_JOB, T_NONE, AL_KUBE_GROUP, true, false, true},
    {"gitlab:ci_job:", AL_GL_CI_JOB_USER, T_ID, AL_KUBE_USER, true, false, false},
    {"gitlab:group:", AL_GL_GROUP, T_ID, AL_KUBE_GROUP, true, false, true},
    {"gitlab:group_env_tier:", AL_GL_GROUP_ENV_TIER, T_ID_TIER, AL_KUBE_GROUP, true, false, true},
    {"gitlab:project:", AL_GL_PROJECT, T_ID, AL_KUBE_GROUP, true, false, false},
    {"gitlab:project_env:", AL_GL_PROJECT_ENV, T_ID_NAME, AL_KUBE_GROUP, true, false, false},
    {"gitlab:project_env_tier:", AL_GL_PROJECT_ENV_TIER, T_ID_TIER, AL_KUBE_GROUP, true, false,
     true},
    {"gitlab:user", AL_GL_USER, T_NONE, AL_KUBE_GROUP, false, true, true},
    {"gitlab:user:", AL_GL_USER_USER, T_NAME, AL_KUBE_USER, false, true, false},
    {"gitlab:project_role:", AL_GL_PROJECT_ROLE, T_ID_NAME, AL_KUBE_GROUP, false, true, false},
    {"gitlab:group_role:", AL_GL_GROUP_ROLE, T_ID_NAME, AL_KUBE_GROUP, false, true, true},
};

static const struct form *find_form(const char *name)
{
    const struct form *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        size_t n = strlen(forms[i].prefix);
        bool exact = forms[i].tail == T_NONE;
        if (exact ? strcmp(name, forms[i].prefix) == 0 : strncmp(name, forms[i].prefix, n) == 0)
            if (n > best_len)
                best = &forms[i], best_len = n;
    }
    return best;
}

/* The tail after the prefix: why it is not what GitLab sends, or NULL. */
static const char *tail_problem(const struct form *f, const char *tail, long long *id)
{
    if (f->tail == T_NONE)
        return NULL;
    if (templated(tail))
        return "it is a template or placeholder, not a name GitLab sends: render it with the "
               "real numeric ids";
    if (f->tail == T_NAME)
        return *tail ? NULL : "the user name after gitlab:user: is empty";
    const char *colon = strchr(tail, ':');
    size_t n = colon ? (size_t)(colon - tail) : strlen(tail);
    if (!all_digits(tail, n))
        return "GitLab sends numeric ids here, never paths or names: take the id from the "
               "project's or group's page";
    *id = strtoll(tail, NULL, 10);
    if (f->tail == T_ID)
        return colon ? "GitLab sends no further part after the id" : NULL;
    if (!colon || !colon[1])
        return f->tail == T_ID_TIER ? "the deployment tier after the id is missing"
                                    : "the part after the id is missing";
    if (f->tail == T_ID_TIER && !valid_tier(colon + 1))
        return "GitLab's deployment tiers are production, staging, testing, development and "
               "other";
    return NULL;
}

static const char *kind_problem(const struct form *f, enum al_kube_subject_kind kind)
{
    if (kind == f->kind)
        return NULL;
    if (f->kind == AL_KUBE_GROUP)
        return "GitLab sends this name as a group: write kind: Group";
    return "GitLab sends this name as the user: write kind: User";
}

void al_permrules_subject(enum al_kube_subject_kind kind, const char *name,
                          struct al_gl_subject *out)
{
    *out = (struct al_gl_subject){AL_GL_NONE, -1, false, false, false, NULL};
    if (kind == AL_KUBE_SERVICE_ACCOUNT || kind == AL_KUBE_OTHER || !name)
        return;
    if (strncasecmp(name, "gitlab:", 7) != 0)
        return;
    out->ident = AL_GL_INVALID;
    if (strncmp(name, "gitlab:", 7) != 0) {
        out->problem = "Kubernetes compares names case-sensitively and GitLab's identities are "
                       "lower-case gitlab:...";
        return;
    }
    if (strncmp(name, "gitlab:agent:", 13) == 0 || strcmp(name, "gitlab:agent") == 0) {
        out->problem = "GitLab never sends a gitlab:agent identity: an agent acts as its own "
                       "service account (access_as agent), so bind that ServiceAccount";
        return;
    }
    const struct form *f = find_form(name);
    if (!f) {
        out->problem = "it is none of the names GitLab sends (gitlab:ci_job, gitlab:group:ID, "
                       "gitlab:project:ID, gitlab:project_env:ID:SLUG, "
                       "gitlab:project_env_tier:ID:TIER, gitlab:group_env_tier:ID:TIER, "
                       "gitlab:user, gitlab:project_role:ID:ROLE, gitlab:group_role:ID:ROLE)";
        return;
    }
    out->ident = f->ident, out->ci = f->ci, out->user = f->user, out->wide = f->wide;
    out->problem = tail_problem(f, name + strlen(f->prefix), &out->id);
    if (!out->problem)
        out->problem = kind_problem(f, kind);
    if (!out->problem && f->ident == AL_GL_CI_JOB_USER)
        out->problem = "a job id is new for every job: the binding matches one past job and "
                       "never another; bind the group gitlab:ci_job or a project's group";
    if (!out->problem && (out->id == 123 || out->id == 456))
        out->problem = "123 and 456 are the placeholder ids of GitLab's documentation: use the "
                       "real project or group id";
    if (out->problem)
        out->ident = AL_GL_INVALID;
}

/* ---- which configs send an identity ---- */

struct producers {
    size_t ci, ci_rejected;     /* agents with an effective access_as ci_job entry */
    size_t user, user_rejected; /* agents with an effective user_access access_as user */
    const char *ci_rejected_name, *user_rejected_name;
};

static void count_producers(const struct al_access *m, struct producers *p)
{
    memset(p, 0, sizeof *p);
    for (size_t i = 0; m && i < m->n_agents; i++) {
        const struct al_access_agent *a = m->agents[i];
        bool ci = false, user = false;
        for (size_t j = 0; j < a->n_auths; j++) {
            const struct al_auth *au = &a->auths[j];
            if (!au->effective)
                continue;
            ci |= au->section == AL_CI_ACCESS && au->access_as == AL_AS_CI_JOB;
            user |= au->section == AL_USER_ACCESS && au->access_as == AL_AS_USER;
        }
        if (ci && a->rejected)
            p->ci_rejected++, p->ci_rejected_name = a->name ? a->name : a->path;
        else if (ci)
            p->ci++;
        if (user && a->rejected)
            p->user_rejected++, p->user_rejected_name = a->name ? a->name : a->path;
        else if (user)
            p->user++;
    }
}

/* --ids: the numeric ids of one kind, sorted, so that each subject costs a
 * bisection. */
struct idset {
    long long *ids;
    size_t n;
};

static int ll_cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static void idset_build(const struct al_ids *ids, enum al_ids_kind kind, struct idset *out)
{
    const char **paths;
    out->n = ids ? al_ids_paths(ids, kind, &paths) : 0;
    out->ids = al_calloc(out->n ? out->n : 1, sizeof(*out->ids));
    for (size_t i = 0; i < out->n; i++)
        out->ids[i] = al_ids_get(ids, kind, paths[i]);
    if (ids)
        free(paths);
    al_qsort(out->ids, out->n, sizeof(*out->ids), ll_cmp);
}

static bool idset_has(const struct idset *s, long long id)
{
    return bsearch(&id, s->ids, s->n, sizeof(*s->ids), ll_cmp) != NULL;
}

static enum al_ids_kind id_kind(enum al_gl_ident g)
{
    return g == AL_GL_GROUP || g == AL_GL_GROUP_ENV_TIER || g == AL_GL_GROUP_ROLE ? AL_IDS_GROUP
                                                                                  : AL_IDS_PROJECT;
}

/* What the subject rules look up, built once per run. */
struct subj_ctx {
    const struct al_permrules_in *in;
    struct producers p;
    struct idset projects, groups;
};

static void unknown_id(const struct subj_ctx *c, const struct al_kube_binding *b,
                       const struct al_kube_subject *s, const struct al_gl_subject *g,
                       struct al_findings *out)
{
    enum al_ids_kind kind = id_kind(g->ident);
    const struct idset *set = kind == AL_IDS_GROUP ? &c->groups : &c->projects;
    if (g->id < 0 || set->n == 0 || idset_has(set, g->id))
        return;
    al_permrules_report(out, "rbac-unknown-subject", b, s,
                        "%s %s binds %s %s, but %lld is no %s id in --ids: no job or user of "
                        "these agents is sent it",
                        al_permrules_binding_kind(b), b->name, s->kind_text, s->name, g->id,
                        kind == AL_IDS_GROUP ? "group" : "project");
}

static void not_sent(const struct al_permrules_in *in, const struct producers *p,
                     const struct al_kube_binding *b, const struct al_kube_subject *s,
                     const struct al_gl_subject *g, struct al_findings *out)
{
    if (!in->model || in->model->n_agents == 0)
        return; /* RBAC alone: the configs live elsewhere */
    size_t ok = g->ci ? p->ci : p->user, rejected = g->ci ? p->ci_rejected : p->user_rejected;
    if (ok)
        return;
    const char *how =
        g->ci ? "a ci_access entry with access_as: ci_job" : "user_access with access_as: user";
    if (rejected) {
        al_permrules_report(out, "rbac-rejected-agent", b, s,
                            "%s %s binds %s %s, which only agent %s sends (%s), and GitLab "
                            "rejects that agent's config: the previous configuration stays in "
                            "force",
                            al_permrules_binding_kind(b), b->name, s->kind_text, s->name,
                            g->ci ? p->ci_rejected_name : p->user_rejected_name, how);
        return;
    }
    al_permrules_report(out, "rbac-unknown-subject", b, s,
                        "%s %s binds %s %s, but no agent config here sends it: none has %s",
                        al_permrules_binding_kind(b), b->name, s->kind_text, s->name, how);
}

static void check_subject(const struct subj_ctx *c, const struct al_kube_binding *b,
                          const struct al_kube_subject *s, struct al_findings *out)
{
    if ((s->kind == AL_KUBE_USER || s->kind == AL_KUBE_GROUP) && s->namespace && *s->namespace)
        al_permrules_report(out, "rbac-subject-namespace", b, s,
                            "%s %s: namespace %s on %s %s has no effect, Kubernetes ignores "
                            "a namespace on User and Group subjects%s",
                            al_permrules_binding_kind(b), b->name, s->namespace, s->kind_text,
                            s->name, b->cluster ? ": the binding applies in every namespace" : "");
    struct al_gl_subject g;
    al_permrules_subject(s->kind, s->name, &g);
    if (g.ident == AL_GL_NONE)
        return;
    if (g.problem) {
        al_permrules_report(
            out, "rbac-unknown-subject", b, s, "%s %s binds %s %s, which GitLab never sends: %s",
            al_permrules_binding_kind(b), b->name, s->kind_text, s->name, g.problem);
        return;
    }
    not_sent(c->in, &c->p, b, s, &g, out);
    unknown_id(c, b, s, &g, out);
}

static void subject_rules(const struct al_permrules_in *in, struct al_findings *out)
{
    struct subj_ctx c = {in, {0}, {0}, {0}};
    count_producers(in->model, &c.p);
    idset_build(in->ids, AL_IDS_PROJECT, &c.projects);
    idset_build(in->ids, AL_IDS_GROUP, &c.groups);
    const struct al_kube *k = in->kube;
    for (size_t i = 0; i < k->n_bindings; i++) {
        const struct al_kube_binding *b = k->bindings[i];
        if (b->builtin)
            continue;
        for (size_t j = 0; j < b->n_subjects; j++)
            check_subject(&c, b, &b->subjects[j], out);
    }
    free(c.projects.ids);
    free(c.groups.ids);
}

void al_permrules_input(const struct al_kube *k, struct al_findings *out)
{
    for (size_t i = 0; i < k->n_diags; i++) {
        const struct al_kube_diag *d = &k->diags[i];
        if (d->severity == AL_KUBE_NOTE)
            continue;
        struct al_ypos pos = {d->src.line, d->src.col};
        struct al_finding *f =
            al_findings_add(out, "rbac-input", d->src.file, pos, "%s", d->message);
        al_finding_set_severity(f, d->severity == AL_KUBE_ERROR ? AL_SEV_ERROR : AL_SEV_WARNING);
        al_finding_set_value(f, d->message);
    }
}

void al_permrules_run(const struct al_permrules_in *in, struct al_findings *out)
{
    subject_rules(in, out);
    al_permrules_grants(in, out);
    al_permrules_agent_sa(in, out);
}
