/* rbac --verify: intents per representative job, the intended bindings
 * as a second RBAC set, and both sets' answers compared cell by cell. */
#include "common/alloc.h"
#include "views/rbac/verify.h"
#include "access/env.h"
#include "common/buf.h"
#include "perm/perm.h"
#include "views/rbac/strset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char INTENT_GROUP[] = "agentlint:intent:";

/* A job identity to compare, kept until the intended set is finished. */
struct pending {
    struct al_rbac_verify_job job;
    size_t group; /* the intent's group number */
};

struct run {
    struct al_kube *written, *intended;
    const struct al_access *m;
    const struct al_rbac_opts *ro;
    struct al_rbac_verify *out;
    struct pending *p;
    size_t n, cap;
    struct al_rbac_strset signatures; /* per intent group: its grants, sorted */
    struct al_buf text;               /* the intended bindings, JSON */
    const struct al_rbac_job *job;
    int tier;
    bool protected_ref;
};

static bool any_tier(const struct al_kube *k, const struct al_rbac_opts *ro)
{
    for (size_t i = 0; ro->policy && i < ro->policy->n_rules; i++)
        if (ro->policy->rules[i].tier >= 0)
            return true;
    for (size_t i = 0; i < k->n_bindings; i++)
        for (size_t s = 0; s < k->bindings[i]->n_subjects; s++)
            if (strstr(k->bindings[i]->subjects[s].name, "_env_tier:"))
                return true;
    return false;
}

static int cmp_intent(const void *a, const void *b)
{
    const struct al_rbac_grant_intent *x = a, *y = b;
    int c = strcmp(x->role, y->role);
    if (c)
        return c;
    return strcmp(x->namespace ? x->namespace : "", y->namespace ? y->namespace : "");
}

static void json_str(struct al_buf *b, const char *s)
{
    al_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            al_buf_printf(b, "\\%c", c);
        else if (c < 0x20)
            al_buf_printf(b, "\\u%04x", c);
        else
            al_buf_putc(b, (char)c);
    }
    al_buf_putc(b, '"');
}

/* One intended binding: role in ns (NULL: cluster-wide) to the group. */
static void binding_text(struct al_buf *b, size_t group, size_t k,
                         const struct al_rbac_grant_intent *g)
{
    al_buf_printf(b,
                  "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"%s\","
                  "\"metadata\":{\"name\":\"agentlint-intent-%zu-%zu\"",
                  g->namespace ? "RoleBinding" : "ClusterRoleBinding", group, k);
    if (g->namespace) {
        al_buf_puts(b, ",\"namespace\":");
        json_str(b, g->namespace);
    }
    al_buf_puts(b, "},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":"
                   "\"ClusterRole\",\"name\":");
    json_str(b, g->role);
    al_buf_printf(b,
                  "},\"subjects\":[{\"kind\":\"Group\",\"apiGroup\":\"rbac.authorization."
                  "k8s.io\",\"name\":\"%s%zu\"}]}\n---\n",
                  INTENT_GROUP, group);
}

/* The intent's group: one per distinct set of grants. */
static size_t group_of(struct run *R, struct al_rbac_intent *it)
{
    if (it->n > 1)
        al_qsort(it->items, it->n, sizeof(*it->items), cmp_intent);
    struct al_buf sig = AL_BUF_INIT;
    for (size_t i = 0; i < it->n; i++)
        al_buf_printf(&sig, "%s\x01%s\x02", it->items[i].role,
                      it->items[i].namespace ? it->items[i].namespace : "");
    size_t n = R->signatures.n;
    size_t at = al_rbac_strset_add(&R->signatures, &R->out->arena, al_buf_cstr(&sig));
    al_buf_free(&sig);
    if (R->signatures.n > n)
        for (size_t i = 0; i < it->n; i++)
            binding_text(&R->text, at, i, &it->items[i]);
    return at;
}

static const char *project_shown(struct run *R, const struct al_rbac_job *j)
{
    struct al_buf b = AL_BUF_INIT;
    if (!j->synthetic)
        al_buf_puts(&b, j->project);
    else if (j->group)
        al_buf_printf(&b, "other projects of %s", j->group);
    else
        al_buf_puts(&b, "projects no entry names");
    const char *s = al_arena_strdup(&R->out->arena, al_buf_cstr(&b));
    al_buf_free(&b);
    return s;
}

static void keep(struct run *R, const struct al_decision *x, const struct al_kube_user *u,
                 struct al_rbac_intent *it)
{
    R->p = al_grow(R->p, &R->cap, R->n + 1, sizeof(*R->p));
    struct pending *p = &R->p[R->n++];
    memset(p, 0, sizeof(*p));
    struct al_rbac_verify_job *j = &p->job;
    j->project = project_shown(R, R->job);
    j->environment = R->job->env ? al_arena_strdup(&R->out->arena, R->job->env) : NULL;
    j->env_kind = R->job->env_kind;
    j->tier = R->tier;
    j->protected_ref = R->protected_ref;
    j->agent = x->agent;
    j->auth = x->auth;
    al_perm_user_copy(&R->out->arena, u, &j->user);
    p->group = group_of(R, it);
    j->intent = al_arena_alloc(&R->out->arena, (it->n + 1) * sizeof(*j->intent));
    if (it->n)
        memcpy(j->intent, it->items, it->n * sizeof(*j->intent));
    j->n_intent = it->n;
}

static void ask(struct run *R, const struct al_rbac_jobs *J)
{
    const struct al_rbac_job *jb = R->job;
    struct al_job job = {jb->project,
                         jb->env,
                         R->protected_ref,
                         R->tier >= 0 ? al_env_tier_name((enum al_env_tier)R->tier) : NULL,
                         NULL,
                         AL_LICENSE_PREMIUM,
                         R->ro->matching};
    struct al_decisions d;
    al_rbac_decide(&J->cover, R->m, &job, &d);
    int tier = jb->env ? (int)al_env_tier_parse(d.job.tier) : -1;
    for (size_t i = 0; i < d.n; i++) {
        const struct al_decision *x = &d.items[i];
        if (!x->allowed)
            continue;
        if (x->auth->access_as != AL_AS_CI_JOB && x->auth->access_as != AL_AS_IMPERSONATE) {
            R->out->n_skipped++;
            continue;
        }
        struct al_perm_user pu;
        if (al_perm_user(R->written, x, NULL, &pu) < 0 || !pu.known)
            continue;
        struct al_rbac_intent it;
        al_rbac_intent_of(R->ro, x, &d.job, tier, &it);
        keep(R, x, &pu.user, &it);
        al_rbac_intent_free(&it);
    }
    al_decisions_free(&d);
}

static void ask_variants(struct run *R, const struct al_rbac_jobs *J, bool tiers)
{
    int n_tiers = tiers && R->job->env ? 5 : 0;
    for (int prot = 0; prot <= (J->any_protected_only ? 1 : 0); prot++) {
        R->protected_ref = prot == 1;
        for (int t = n_tiers ? 0 : -1; t < n_tiers; t++) {
            R->tier = t;
            ask(R, J);
        }
    }
}

/* Whether project p's representative jobs already have environment `env`. */
static bool has_env(const struct al_rbac_jobs *J, const char *project, const char *env)
{
    for (size_t i = 0; i < J->n; i++)
        if (J->items[i].project == project && J->items[i].env && strcmp(J->items[i].env, env) == 0)
            return true;
    return false;
}

/* The environments the policy names are jobs of their own for every
 * project: the representative jobs only know the names entries list. */
static void ask_policy_envs(struct run *R, const struct al_rbac_jobs *J, bool tiers)
{
    const struct al_rbac_policy *p = R->ro->policy;
    const struct al_rbac_job *base = R->job;
    for (size_t i = 0; p && i < p->n_rules; i++) {
        const char *env = p->rules[i].environment;
        bool dup = false;
        for (size_t k = 0; env && k < i && !dup; k++)
            dup = p->rules[k].environment && strcmp(p->rules[k].environment, env) == 0;
        if (!env || dup || has_env(J, base->project, env))
            continue;
        struct al_rbac_job extra = *base;
        extra.env = env;
        extra.env_kind = AL_RBAC_ENV_LISTED;
        R->job = &extra;
        ask_variants(R, J, tiers);
    }
    R->job = base;
}

static void collect(struct run *R)
{
    struct al_rbac_jobs J;
    al_rbac_jobs_build(R->m, &J);
    bool tiers = any_tier(R->written, R->ro);
    for (size_t i = 0; i < J.n; i++) {
        R->job = &J.items[i];
        ask_variants(R, &J, tiers);
        if (R->job->env_kind == AL_RBAC_ENV_UNLISTED)
            ask_policy_envs(R, &J, tiers);
    }
    al_rbac_jobs_free(&J);
}

static void add_cell(struct al_rbac_verify_job *j, struct al_arena *arena,
                     const struct al_perm_axes *x, size_t place, size_t row, size_t verb,
                     enum al_perm_change change, const struct al_kube_grant *by)
{
    if (change == AL_PERM_WIDER || change == AL_PERM_MIXED)
        j->n_wider++;
    if (change == AL_PERM_NARROWER || change == AL_PERM_MIXED)
        j->n_narrower++;
    if (j->n_cells >= AL_RBAC_VERIFY_SHOWN)
        return;
    if (j->n_cells == j->cap_cells) {
        size_t cap = j->cap_cells ? 2 * j->cap_cells : 16;
        struct al_rbac_verify_cell *v = al_arena_alloc(arena, cap * sizeof(*v));
        if (j->n_cells)
            memcpy(v, j->cells, j->n_cells * sizeof(*v));
        j->cells = v;
        j->cap_cells = cap;
    }
    struct al_buf name = AL_BUF_INIT;
    al_perm_row_name(&x->rows[row], &name);
    j->cells[j->n_cells++] = (struct al_rbac_verify_cell){
        x->places[place] ? al_arena_strdup(arena, x->places[place]) : NULL,
        al_arena_strdup(arena, al_buf_cstr(&name)), al_arena_strdup(arena, x->verbs[verb]), change,
        *by};
    al_buf_free(&name);
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The same job on the other kind of ref, with the same differences: one
 * entry says both (protected and unprotected variants come one after the
 * other). */
static bool same_but_ref(const struct al_rbac_verify_job *a, const struct al_rbac_verify_job *b)
{
    if (a->protected_ref == b->protected_ref || a->agent != b->agent || a->auth != b->auth ||
        a->tier != b->tier || !same_str(a->project, b->project) ||
        !same_str(a->environment, b->environment) || a->n_wider != b->n_wider ||
        a->n_narrower != b->n_narrower || a->n_cells != b->n_cells)
        return false;
    for (size_t i = 0; i < a->n_cells; i++) {
        const struct al_rbac_verify_cell *x = &a->cells[i], *y = &b->cells[i];
        if (x->change != y->change || !same_str(x->place, y->place) ||
            strcmp(x->row, y->row) != 0 || strcmp(x->verb, y->verb) != 0)
            return false;
    }
    return true;
}

static void compare(struct run *R, struct pending *p)
{
    struct al_rbac_verify_job *j = &p->job;
    /* the stand-in: the same user, plus the group its intended bindings name */
    char group[64];
    snprintf(group, sizeof group, "%s%zu", INTENT_GROUP, p->group);
    const char **groups = al_arena_alloc(&R->out->arena, (j->user.n_groups + 1) * sizeof(char *));
    memcpy(groups, j->user.groups, j->user.n_groups * sizeof(char *));
    groups[j->user.n_groups] = group;
    struct al_kube_user meant = {j->user.name, groups, j->user.n_groups + 1};
    struct al_perm_axes x;
    al_perm_axes_init(&x);
    al_perm_axes_add(&x, R->written, &j->user, NULL);
    al_perm_axes_add(&x, R->intended, &meant, NULL);
    al_perm_axes_sort(&x);
    struct al_perm_table got, want;
    al_perm_table_build(&got, &x, R->written, &j->user);
    al_perm_table_build(&want, &x, R->intended, &meant);
    for (size_t pl = 0; pl < x.n_places; pl++)
        for (size_t r = 0; r < x.n_rows; r++)
            for (size_t v = 0; v < x.n_verbs; v++) {
                const struct al_perm_cell *a = al_perm_table_cell(&want, pl, r, v);
                const struct al_perm_cell *b = al_perm_table_cell(&got, pl, r, v);
                enum al_perm_change c = al_perm_cell_compare(a, b);
                if (c != AL_PERM_SAME)
                    add_cell(j, &R->out->arena, &x, pl, r, v, c,
                             c == AL_PERM_NARROWER ? &a->by : &b->by);
            }
    al_perm_table_free(&got);
    al_perm_table_free(&want);
    al_perm_axes_free(&x);
    R->out->n_checked++;
    if (j->n_wider || j->n_narrower) {
        struct al_rbac_verify *o = R->out;
        o->n_differ++;
        if (o->n_jobs && same_but_ref(&o->jobs[o->n_jobs - 1], j)) {
            o->jobs[o->n_jobs - 1].any_ref = true;
            return;
        }
        o->jobs = al_grow(o->jobs, &o->cap_jobs, o->n_jobs + 1, sizeof(*o->jobs));
        o->jobs[o->n_jobs++] = *j;
    }
}

int al_rbac_verify(struct al_kube *written, struct al_kube *intended, const struct al_access *m,
                   const struct al_rbac_opts *ro, struct al_rbac_verify *out)
{
    memset(out, 0, sizeof(*out));
    struct run R;
    memset(&R, 0, sizeof R);
    R.written = written;
    R.intended = intended;
    R.m = m;
    R.ro = ro;
    R.out = out;
    collect(&R);
    int rc = R.text.len
                 ? al_kube_add_text(intended, "<policy intent>", al_buf_cstr(&R.text), R.text.len)
                 : 0;
    if (rc == 0)
        rc = al_kube_finish(intended);
    for (size_t i = 0; rc == 0 && i < R.n; i++)
        compare(&R, &R.p[i]);
    free(R.p);
    al_buf_free(&R.text);
    al_rbac_strset_free(&R.signatures);
    return rc;
}

void al_rbac_verify_free(struct al_rbac_verify *v)
{
    free(v->jobs);
    al_arena_free(&v->arena);
    memset(v, 0, sizeof(*v));
}
