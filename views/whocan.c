/* who-can over GitLab's identities: representative jobs, GitLab's
 * decision per agent, the user the cluster sees, the authorizer's answer;
 * answers that share project, agent, entry, grant and place are one row. */
#include "views/whocan.h"
#include "perm/table.h"
#include "access/env.h"
#include "common/buf.h"
#include "views/rbac/strset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
    struct al_kube *k;
    const struct al_access *m;
    const struct al_who_opts *o;
    struct al_who *w;
    struct al_rbac_strset rows;    /* row keys, in w->rows order */
    struct al_rbac_strset missing; /* "kind:path" */
    /* the job being asked */
    const struct al_rbac_job *job;
    int tier; /* -1: guessed from the name */
    bool protected_ref;
};

/* Whether any binding names a tier group: only then can a job's tier
 * change an answer, and every tier is tried. */
static bool any_tier_subject(const struct al_kube *k)
{
    for (size_t i = 0; i < k->n_bindings; i++)
        for (size_t s = 0; s < k->bindings[i]->n_subjects; s++)
            if (strstr(k->bindings[i]->subjects[s].name, "_env_tier:"))
                return true;
    return false;
}

static const char *project_shown(struct run *R, const struct al_rbac_job *j)
{
    if (!j->synthetic)
        return al_arena_strdup(&R->w->arena, j->project);
    if (!j->group)
        return "projects no entry names";
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "other projects of %s", j->group);
    const char *s = al_arena_strdup(&R->w->arena, al_buf_cstr(&b));
    al_buf_free(&b);
    return s;
}

static struct al_who_row *row_for(struct run *R, const struct al_decision *x,
                                  const struct al_perm_user *pu, const struct al_kube_grant *by,
                                  const char *ns)
{
    char key[256];
    snprintf(key, sizeof key, "%p|%p|%p|%p|%p|%d|", (const void *)R->job->project,
             (const void *)x->agent, (const void *)x->auth, (const void *)(by ? by->binding : NULL),
             (const void *)(by ? by->rule : NULL), pu->known);
    struct al_buf b = AL_BUF_INIT;
    al_buf_puts(&b, key);
    al_buf_puts(&b, ns ? ns : "\x01");
    size_t n = R->rows.n;
    size_t at = al_rbac_strset_add(&R->rows, &R->w->arena, al_buf_cstr(&b));
    al_buf_free(&b);
    struct al_who *w = R->w;
    if (R->rows.n == n)
        return &w->rows[at];
    w->rows = al_grow(w->rows, &w->cap_rows, w->n_rows + 1, sizeof(*w->rows));
    struct al_who_row *row = &w->rows[w->n_rows++];
    memset(row, 0, sizeof(*row));
    row->project = project_shown(R, R->job);
    row->synthetic = R->job->synthetic;
    row->agent = x->agent;
    row->auth = x->auth;
    row->known = pu->known;
    row->why = pu->why;
    if (pu->known)
        al_perm_user_copy(&w->arena, &pu->user, &row->user);
    if (by)
        row->by = *by;
    row->namespace = ns ? al_arena_strdup(&w->arena, ns) : NULL;
    return row;
}

static void add_env(struct run *R, struct al_who_row *row)
{
    const struct al_rbac_job *j = R->job;
    unsigned tiers = R->tier < 0 ? AL_WHO_ALL_TIERS : 1u << R->tier;
    if (R->protected_ref)
        row->protected_ref = true;
    else
        row->unprotected = true;
    if (!R->w->any_protected_only)
        row->protected_ref = true; /* no entry tells the refs apart */
    for (size_t i = 0; i < row->n_envs; i++) {
        struct al_who_env *e = &row->envs[i];
        if (e->kind == j->env_kind &&
            (e->name == j->env || (e->name && j->env && strcmp(e->name, j->env) == 0))) {
            e->tiers |= tiers;
            return;
        }
    }
    row->envs = al_grow(row->envs, &row->cap_envs, row->n_envs + 1, sizeof(*row->envs));
    row->envs[row->n_envs++] = (struct al_who_env){
        j->env_kind, j->env ? al_arena_strdup(&R->w->arena, j->env) : NULL, tiers};
}

/* Anywhere: the first grant in the authorizer's order that allows the
 * request where it applies; ClusterRoleBindings come first. */
struct anywhere {
    const struct al_kube_request *r;
    struct al_kube_grant *found;
    size_t n, cap;
};

static int allows_anywhere(void *data, const struct al_kube_grant *g)
{
    struct anywhere *A = data;
    struct al_kube_request q = *A->r;
    q.namespace = g->namespace ? g->namespace : "";
    if (!al_kube_rule_allows(g->rule, &q))
        return 0;
    for (size_t i = 0; i < A->n; i++) /* one grant per place */
        if ((!A->found[i].namespace && !g->namespace) ||
            (A->found[i].namespace && g->namespace &&
             strcmp(A->found[i].namespace, g->namespace) == 0))
            return 0;
    A->found = al_grow(A->found, &A->cap, A->n + 1, sizeof(*A->found));
    A->found[A->n++] = *g;
    return 0;
}

static void answer(struct run *R, const struct al_decision *x, const struct al_perm_user *pu)
{
    const struct al_kube_request *r = &R->w->request;
    if (!pu->known) {
        add_env(R, row_for(R, x, pu, NULL, NULL));
        return;
    }
    if (r->path || (r->namespace && *r->namespace)) {
        struct al_kube_answer a;
        if (al_kube_authorize(R->k, &pu->user, r, &a))
            add_env(R, row_for(R, x, pu, &a.by, r->path ? NULL : a.by.namespace));
        return;
    }
    struct anywhere A = {r, NULL, 0, 0};
    al_kube_grants(R->k, &pu->user, NULL, allows_anywhere, &A);
    bool everywhere = false;
    for (size_t i = 0; i < A.n && !everywhere; i++)
        everywhere = !A.found[i].namespace;
    for (size_t i = 0; i < A.n; i++)
        if (!everywhere || !A.found[i].namespace) /* a namespace adds nothing to everywhere */
            add_env(R, row_for(R, x, pu, &A.found[i], A.found[i].namespace));
    free(A.found);
}

/* Whether an allowed identity of `d` carries the placeholder "<path>" in a
 * group: only group names are matched by bindings, so an id that only an
 * extra needs (the agent's, the configuration project's) changes nothing. */
static bool in_groups(const struct al_decisions *d, const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < d->n; i++) {
        const struct al_identity *id = &d->items[i].identity;
        for (size_t g = 0; d->items[i].allowed && g < id->n_groups; g++) {
            const char *lt = strchr(id->groups[g], '<');
            if (lt && strncmp(lt + 1, path, n) == 0 && lt[1 + n] == '>')
                return true;
        }
    }
    return false;
}

static void note_missing(struct run *R, const struct al_decisions *d)
{
    struct al_who *w = R->w;
    for (size_t i = 0; i < d->n_missing; i++) {
        const struct al_missing_id *mi = &d->missing[i];
        if (strchr(mi->path, '*') || !in_groups(d, mi->path))
            continue; /* a stand-in project (no id exists), or not in a group name */
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b, "%d:%s", (int)mi->kind, mi->path);
        size_t n = R->missing.n;
        al_rbac_strset_add(&R->missing, &w->arena, al_buf_cstr(&b));
        al_buf_free(&b);
        if (R->missing.n == n)
            continue;
        w->missing = al_grow(w->missing, &w->cap_missing, w->n_missing + 1, sizeof(*w->missing));
        w->missing[w->n_missing].kind = mi->kind;
        w->missing[w->n_missing++].path = al_arena_strdup(&w->arena, mi->path);
    }
}

static void ask(struct run *R, const struct al_rbac_jobs *J)
{
    const struct al_rbac_job *j = R->job;
    struct al_job job = {j->project,
                         j->env,
                         R->protected_ref,
                         R->tier >= 0 ? al_env_tier_name((enum al_env_tier)R->tier) : NULL,
                         NULL,
                         AL_LICENSE_PREMIUM,
                         R->o->matching};
    struct al_decisions d;
    al_rbac_decide(&J->cover, R->m, &job, &d);
    for (size_t i = 0; i < d.n; i++) {
        const struct al_decision *x = &d.items[i];
        struct al_perm_user pu;
        if (!x->allowed || al_perm_user(R->k, x, R->o->perm, &pu) < 0)
            continue;
        answer(R, x, &pu);
    }
    note_missing(R, &d);
    al_decisions_free(&d);
}

int al_who_can(struct al_kube *k, const struct al_access *m, const struct al_kube_request *r,
               const struct al_who_opts *o, struct al_who *out)
{
    memset(out, 0, sizeof(*out));
    out->request = *r;
    struct al_rbac_jobs J;
    al_rbac_jobs_build(m, &J);
    out->tiers = any_tier_subject(k);
    out->any_protected_only = J.any_protected_only;
    struct run R = {k, m, o, out, {0}, {0}, NULL, -1, false};
    for (size_t i = 0; i < J.n; i++) {
        R.job = &J.items[i];
        int n_tiers = out->tiers && R.job->env ? 5 : 0;
        for (int prot = 0; prot <= (J.any_protected_only ? 1 : 0); prot++) {
            R.protected_ref = prot == 1;
            for (int t = n_tiers ? 0 : -1; t < n_tiers; t++) {
                R.tier = t;
                ask(&R, &J);
                out->n_jobs++;
            }
        }
    }
    al_rbac_strset_free(&R.rows);
    al_rbac_strset_free(&R.missing);
    al_rbac_jobs_free(&J);
    return 0;
}

void al_who_free(struct al_who *w)
{
    for (size_t i = 0; i < w->n_rows; i++)
        free(w->rows[i].envs);
    free(w->rows);
    free(w->missing);
    al_arena_free(&w->arena);
    memset(w, 0, sizeof(*w));
}
