/* Where Kubernetes and GitLab part ways. Kubernetes grants a request the
 * sum of every binding whose subjects it carries; GitLab picks one entry per
 * agent and filters it. Every ci_job request carries gitlab:group:<id> for
 * each ancestor group, so a group entry's binding also reaches projects
 * whose own entry won in GitLab, and jobs that come through another agent
 * of the same cluster. For each representative job, GitLab's decision
 * (access/decide.h) says which entries serve it; a binding that reaches the
 * job although it belongs to none of them, and grants a role in a place
 * that none of theirs grants, is an over-grant, named with the projects. */
#include "rbacgen/build.h"
#include "access/env.h"
#include "common/buf.h"

#include <stdlib.h>
#include <string.h>

enum { SHOWN = 10 }; /* projects named on standard error per binding */

struct concern {
    const char *project; /* as shown */
    const char *text;    /* "acme/web, environment production: ..." */
};

struct concerns {
    struct concern *items;
    size_t n, cap;
};

struct scan {
    struct al_rbac_ctx *c;
    const struct al_rbac_job *job;
    const struct al_decisions *d;
    const struct al_decision **via; /* per object: the decision it reaches the job through */
    bool *intended;                 /* per object: made for the entry that serves the job */
    struct concerns *per;           /* per object */
};

static bool in_groups(const struct al_identity *id, const char *name)
{
    for (size_t i = 0; i < id->n_groups; i++)
        if (strcmp(id->groups[i], name) == 0)
            return true;
    return false;
}

static bool reaches(const struct al_rbac_object *o, const struct al_identity *id)
{
    for (size_t i = 0; i < o->n_subjects; i++) {
        const struct al_rbac_subject *s = &o->subjects[i];
        if (s->kind == AL_RBAC_GROUP && in_groups(id, s->name))
            return true;
        if (s->kind == AL_RBAC_USER && id->username && strcmp(id->username, s->name) == 0)
            return true;
    }
    return false;
}

/* Whether a binding of `o`'s role in `o`'s place is among the intended. */
static bool covered(const struct scan *S, const struct al_rbac_object *o)
{
    const struct al_rbac *r = S->c->r;
    for (size_t i = 0; i < r->n_objects; i++) {
        const struct al_rbac_object *t = r->objects[i];
        if (!S->intended[i] || !t->role || strcmp(t->role, o->role) != 0)
            continue;
        if (t->kind == AL_RBAC_CLUSTER_ROLE_BINDING ||
            (o->kind == AL_RBAC_ROLE_BINDING && strcmp(t->namespace, o->namespace) == 0))
            return true;
    }
    return false;
}

static const char *place_of(struct al_rbac_ctx *c, const struct al_rbac_object *o)
{
    return o->kind == AL_RBAC_ROLE_BINDING
               ? al_rbac_printf(c, "%s in namespace %s", o->role, o->namespace)
               : al_rbac_printf(c, "%s cluster-wide", o->role);
}

/* "view in namespace web, edit cluster-wide", or "nothing". */
static void intended_grants(const struct scan *S, struct al_buf *b)
{
    const struct al_rbac *r = S->c->r;
    size_t n = 0;
    for (size_t i = 0; i < r->n_objects; i++)
        if (S->intended[i])
            al_buf_printf(b, "%s%s", n++ ? ", " : "", place_of(S->c, r->objects[i]));
    if (!n)
        al_buf_puts(b, "nothing");
}

static void job_words(const struct scan *S, struct al_buf *b)
{
    const struct al_rbac_job *j = S->job;
    switch (j->env_kind) {
    case AL_RBAC_ENV_NONE:
        al_buf_puts(b, " without an environment");
        break;
    case AL_RBAC_ENV_UNLISTED:
        al_buf_puts(b, " in an environment no entry lists");
        break;
    default:
        al_buf_printf(b, " in environment %s", j->env);
    }
    if (j->env_kind == AL_RBAC_ENV_UNLISTED && S->d->job.tier && !S->d->tier_guessed)
        al_buf_printf(b, " (tier %s)", S->d->job.tier);
    if (!S->d->job.protected_ref)
        al_buf_puts(b, " on an unprotected ref");
}

static const struct al_decision *decision_of(const struct al_decisions *d,
                                             const struct al_access_agent *ag)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].agent == ag)
            return &d->items[i];
    return NULL;
}

static const char *agent_name(const struct al_access_agent *ag)
{
    return ag->name ? ag->name : "(unnamed)";
}

/* How the job gets to binding `o` and what GitLab means it to get. */
static const char *concern_text(const struct scan *S, const struct al_rbac_object *o,
                                const struct al_decision *via)
{
    struct al_rbac_ctx *c = S->c;
    struct al_buf b = AL_BUF_INIT;
    al_buf_puts(&b, al_rbac_job_project(c, S->job));
    job_words(S, &b);
    const struct al_access_agent *own = o->auth->agent;
    if (via->agent == own) {
        al_buf_printf(&b, ": agent %s picks %s for them", agent_name(own),
                      al_rbac_describe(c, via->auth));
    } else {
        al_buf_printf(&b, ": through agent %s (%s)", agent_name(via->agent),
                      al_rbac_describe(c, via->auth));
        const struct al_decision *mine = decision_of(S->d, own);
        if (mine && mine->allowed)
            al_buf_printf(&b, ", while agent %s picks %s", agent_name(own),
                          al_rbac_describe(c, mine->auth));
        else
            al_buf_printf(&b, ", which agent %s refuses", agent_name(own));
    }
    al_buf_puts(&b, "; GitLab's decision binds ");
    intended_grants(S, &b);
    const char *s = al_rbac_printf(c, "%s", al_buf_cstr(&b));
    al_buf_free(&b);
    return s;
}

static void add_concern(struct concerns *cs, const char *project, const char *text)
{
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(cs->items[i].project, project) == 0)
            return; /* one reason per project is enough */
    cs->items = al_grow(cs->items, &cs->cap, cs->n + 1, sizeof(*cs->items));
    cs->items[cs->n].project = project;
    cs->items[cs->n++].text = text;
}

/* Which objects the job reaches, through which decision, and which of them
 * were made for the entries that serve it. */
static void mark(struct scan *S)
{
    const struct al_rbac *r = S->c->r;
    for (size_t k = 0; k < S->d->n; k++) {
        const struct al_decision *x = &S->d->items[k];
        if (!x->allowed ||
            (x->auth->access_as != AL_AS_CI_JOB && x->auth->access_as != AL_AS_IMPERSONATE))
            continue;
        for (size_t i = 0; i < r->n_objects; i++) {
            const struct al_rbac_object *o = r->objects[i];
            if (o->kind == AL_RBAC_CLUSTER_ROLE || !reaches(o, &x->identity))
                continue;
            if (!S->via[i])
                S->via[i] = x;
            if (o->origin != AL_RBAC_FROM_ENTRY || o->auth == x->auth)
                S->intended[i] = true; /* baselines are meant for every job */
        }
    }
}

static void scan_decisions(struct scan *S)
{
    const struct al_rbac *r = S->c->r;
    memset(S->via, 0, r->n_objects * sizeof(*S->via));
    memset(S->intended, 0, r->n_objects * sizeof(*S->intended));
    mark(S);
    for (size_t i = 0; i < r->n_objects; i++) {
        const struct al_rbac_object *o = r->objects[i];
        if (!S->via[i] || S->intended[i] || o->origin != AL_RBAC_FROM_ENTRY || covered(S, o))
            continue;
        add_concern(&S->per[i], al_rbac_job_project(S->c, S->job), concern_text(S, o, S->via[i]));
    }
}

static bool any_tier_subject(const struct al_rbac *r)
{
    for (size_t i = 0; i < r->n_objects; i++)
        for (size_t k = 0; k < r->objects[i]->n_subjects; k++)
            if (strstr(r->objects[i]->subjects[k].name, "_env_tier:"))
                return true;
    return false;
}

static void scan_job(struct scan *S, const struct al_rbac_jobs *J, bool tiers)
{
    /* A job may set any deployment tier: try them all for a name nobody lists. */
    int n_tiers = tiers && S->job->env_kind == AL_RBAC_ENV_UNLISTED ? 5 : 1;
    for (int prot = J->any_protected_only ? 0 : 1; prot <= 1; prot++)
        for (int t = 0; t < n_tiers; t++) {
            struct al_job job = {S->job->project,
                                 S->job->env,
                                 prot == 1,
                                 n_tiers > 1 ? al_env_tier_name((enum al_env_tier)t) : NULL,
                                 NULL,
                                 AL_LICENSE_PREMIUM,
                                 S->c->o->matching};
            struct al_decisions d;
            al_access_decide(S->c->m, &job, &d);
            S->d = &d;
            scan_decisions(S);
            al_decisions_free(&d);
        }
}

static void report(struct al_rbac_ctx *c, struct al_rbac_object *o, const struct concerns *cs)
{
    struct al_buf all = AL_BUF_INIT, shown = AL_BUF_INIT;
    for (size_t i = 0; i < cs->n; i++) {
        al_buf_printf(&all, "%s%s", i ? "\n" : "", cs->items[i].text);
        if (i < SHOWN)
            al_buf_printf(&shown, "%s%s", i ? "; " : "", cs->items[i].text);
    }
    if (cs->n > SHOWN)
        al_buf_printf(&shown, "; and %zu more (annotation agentlint/over-grant)", cs->n - SHOWN);
    o->over_grant = al_arena_strdup(&c->r->arena, al_buf_cstr(&all));
    al_rbac_warn(c, NULL,
                 "%s %s grants %s to CI jobs beyond what GitLab decides for them (Kubernetes adds "
                 "up bindings, GitLab picks one entry per agent): %s",
                 al_rbac_kind_name(o->kind), o->name, place_of(c, o), al_buf_cstr(&shown));
    al_buf_free(&all);
    al_buf_free(&shown);
}

void al_rbac_check_over_grant(struct al_rbac_ctx *c)
{
    struct al_rbac *r = c->r;
    if (!r->n_objects)
        return;
    struct al_rbac_jobs J;
    al_rbac_jobs_build(c->m, &J);
    struct scan S = {c,
                     NULL,
                     NULL,
                     al_calloc(r->n_objects, sizeof(*S.via)),
                     al_calloc(r->n_objects, sizeof(bool)),
                     al_calloc(r->n_objects, sizeof(struct concerns))};
    bool tiers = any_tier_subject(r);
    for (size_t i = 0; i < J.n; i++) {
        S.job = &J.items[i];
        scan_job(&S, &J, tiers);
    }
    for (size_t i = 0; i < r->n_objects; i++) {
        if (S.per[i].n)
            report(c, r->objects[i], &S.per[i]);
        free(S.per[i].items);
    }
    free(S.via);
    free(S.intended);
    free(S.per);
    al_rbac_jobs_free(&J);
}
