/* Where Kubernetes and GitLab part ways. Kubernetes grants a request the
 * sum of every binding whose subjects it carries; GitLab picks one entry per
 * agent and filters it. Every ci_job request carries gitlab:group:<id> for
 * each ancestor group, so a group entry's binding also reaches projects
 * whose own entry won in GitLab, and jobs that come through another agent
 * of the same cluster. For each representative job, GitLab's decision
 * (access/decide.h) says which entries serve it; a binding that reaches the
 * job although it belongs to none of them, and grants a role in a place
 * that none of theirs grants, is an over-grant, named with the projects. */
#include "views/rbac/build.h"
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

/* The bindings that name each user and group: what a request carrying
 * them reaches, without comparing every subject of every binding. */
struct list {
    size_t *v;
    size_t n, cap;
};

struct index {
    struct al_rbac_strset keys; /* "G:" or "U:" and the name */
    struct list *lists;         /* per key */
    size_t cap_lists;
};

struct scan {
    struct al_rbac_ctx *c;
    const struct index *index;
    const struct al_rbac_job *job;
    const struct al_decisions *d;
    const struct al_decision **via; /* per object: the decision it reaches the job through */
    bool *intended;                 /* per object: made for the entry that serves the job */
    size_t *touched, n_touched;     /* the objects the job reaches */
    size_t *mine, n_mine;           /* those of them meant for it */
    struct concerns *per;           /* per object */
};

static const char *index_key(struct al_buf *b, enum al_rbac_subject_kind kind, const char *name)
{
    al_buf_clear(b);
    al_buf_printf(b, "%c:%s", kind == AL_RBAC_USER ? 'U' : 'G', name);
    return al_buf_cstr(b);
}

static void index_build(struct al_rbac_ctx *c, struct index *x)
{
    struct al_buf key = AL_BUF_INIT;
    memset(x, 0, sizeof(*x));
    for (size_t i = 0; i < c->r->n_objects; i++) {
        const struct al_rbac_object *o = c->r->objects[i];
        if (o->origin != AL_RBAC_FROM_ENTRY && o->origin != AL_RBAC_FROM_BASELINE)
            continue;
        for (size_t k = 0; k < o->n_subjects; k++) {
            const struct al_rbac_subject *sub = &o->subjects[k];
            size_t n = x->keys.n;
            size_t at =
                al_rbac_strset_add(&x->keys, &c->r->arena, index_key(&key, sub->kind, sub->name));
            if (x->keys.n > n) {
                x->lists = al_grow(x->lists, &x->cap_lists, x->keys.n, sizeof(*x->lists));
                memset(&x->lists[at], 0, sizeof(x->lists[at]));
            }
            struct list *l = &x->lists[at];
            l->v = al_grow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
            l->v[l->n++] = i;
        }
    }
    al_buf_free(&key);
}

static void index_free(struct index *x)
{
    for (size_t i = 0; i < x->keys.n; i++)
        free(x->lists[i].v);
    free(x->lists);
    al_rbac_strset_free(&x->keys);
}

/* Whether a binding of `o`'s role in `o`'s place is among the intended. */
static bool covered(const struct scan *S, const struct al_rbac_object *o)
{
    for (size_t i = 0; i < S->n_mine; i++) {
        const struct al_rbac_object *t = S->c->r->objects[S->mine[i]];
        if (!t->role || strcmp(t->role, o->role) != 0)
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
    for (size_t i = 0; i < S->n_mine; i++)
        al_buf_printf(b, "%s%s", i ? ", " : "", place_of(S->c, S->c->r->objects[S->mine[i]]));
    if (!S->n_mine)
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

/* One reason per project is enough (a project's jobs come one after the other). */
static void add_concern(struct concerns *cs, const char *project, const char *text)
{
    if (cs->n && strcmp(cs->items[cs->n - 1].project, project) == 0)
        return;
    cs->items = al_grow(cs->items, &cs->cap, cs->n + 1, sizeof(*cs->items));
    cs->items[cs->n].project = project;
    cs->items[cs->n++].text = text;
}

/* Object `i` is reached through decision `x`. */
static void reach(struct scan *S, size_t i, const struct al_decision *x)
{
    const struct al_rbac_object *o = S->c->r->objects[i];
    if (!S->via[i]) {
        S->via[i] = x;
        S->touched[S->n_touched++] = i;
    }
    if ((o->origin != AL_RBAC_FROM_ENTRY || o->auth == x->auth) && !S->intended[i]) {
        S->intended[i] = true; /* baselines are meant for every job */
        S->mine[S->n_mine++] = i;
    }
}

static void reach_named(struct scan *S, enum al_rbac_subject_kind kind, const char *name,
                        const struct al_decision *x, struct al_buf *key)
{
    long at = al_rbac_strset_find(&S->index->keys, index_key(key, kind, name));
    for (size_t k = 0; at >= 0 && k < S->index->lists[at].n; k++)
        reach(S, S->index->lists[at].v[k], x);
}

/* Which objects the job reaches, through which decision, and which of them
 * were made for the entries that serve it. */
static void mark(struct scan *S)
{
    struct al_buf key = AL_BUF_INIT;
    for (size_t k = 0; k < S->d->n; k++) {
        const struct al_decision *x = &S->d->items[k];
        if (!x->allowed ||
            (x->auth->access_as != AL_AS_CI_JOB && x->auth->access_as != AL_AS_IMPERSONATE))
            continue;
        for (size_t g = 0; g < x->identity.n_groups; g++)
            reach_named(S, AL_RBAC_GROUP, x->identity.groups[g], x, &key);
        if (x->identity.username)
            reach_named(S, AL_RBAC_USER, x->identity.username, x, &key);
    }
    al_buf_free(&key);
}

static void scan_decisions(struct scan *S)
{
    S->n_touched = S->n_mine = 0;
    mark(S);
    for (size_t t = 0; t < S->n_touched; t++) {
        size_t i = S->touched[t];
        const struct al_rbac_object *o = S->c->r->objects[i];
        if (!S->intended[i] && o->origin == AL_RBAC_FROM_ENTRY && !covered(S, o))
            add_concern(&S->per[i], al_rbac_job_project(S->c, S->job),
                        concern_text(S, o, S->via[i]));
    }
    for (size_t t = 0; t < S->n_touched; t++) {
        S->via[S->touched[t]] = NULL;
        S->intended[S->touched[t]] = false;
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
            al_rbac_decide(&J->cover, S->c->m, &job, &d);
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
    size_t n = r->n_objects;
    if (!n)
        return;
    struct al_rbac_jobs J;
    al_rbac_jobs_build(c->m, &J);
    struct index index;
    index_build(c, &index);
    struct scan S = {c,
                     &index,
                     NULL,
                     NULL,
                     al_calloc(n, sizeof(*S.via)),
                     al_calloc(n, sizeof(bool)),
                     al_calloc(n, sizeof(size_t)),
                     0,
                     al_calloc(n, sizeof(size_t)),
                     0,
                     al_calloc(n, sizeof(struct concerns))};
    bool tiers = any_tier_subject(r);
    for (size_t i = 0; i < J.n; i++) {
        S.job = &J.items[i];
        scan_job(&S, &J, tiers);
    }
    for (size_t i = 0; i < n; i++) {
        if (S.per[i].n)
            report(c, r->objects[i], &S.per[i]);
        free(S.per[i].items);
    }
    free(S.via);
    free(S.intended);
    free(S.touched);
    free(S.mine);
    free(S.per);
    index_free(&index);
    al_rbac_jobs_free(&J);
}
