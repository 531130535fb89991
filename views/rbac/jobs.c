/* Representative jobs. The jobs a cluster's agents can serve are endless
 * (any project under a group, any environment name), but GitLab's decision
 * only depends on which entries cover a job: one job per project an entry
 * or --ids names, one for the other projects of each group entry, and per
 * project no environment, each name an entry lists, a name for each
 * wildcard and one name nobody lists cover every case the rules tell
 * apart. */
#include "common/alloc.h"
#include "views/rbac/build.h"
#include "model/paths.h"
#include "common/buf.h"

#include <stdlib.h>
#include <string.h>

static const char UNLISTED[] = "unlisted";

struct projects {
    struct al_rbac_job *items; /* project, synthetic and group only */
    size_t n, cap;
    struct al_rbac_strset seen; /* lower-cased paths, as GitLab compares them */
};

static void add_project(struct al_rbac_jobs *J, struct projects *P, const char *path,
                        bool synthetic, const char *group)
{
    char *key = al_path_lower(path);
    size_t before = P->seen.n;
    al_rbac_strset_add(&P->seen, &J->arena, key);
    free(key);
    if (P->seen.n == before)
        return;
    P->items = al_grow(P->items, &P->cap, P->n + 1, sizeof(*P->items));
    struct al_rbac_job *j = &P->items[P->n++];
    memset(j, 0, sizeof(*j));
    j->project = al_arena_strdup(&J->arena, path);
    j->synthetic = synthetic;
    j->group = group ? al_arena_strdup(&J->arena, group) : NULL;
}

/* The project paths --ids names, lower-cased and sorted, so that a group's
 * projects are one range found by binary search (a scan of every id per
 * group entry was quadratic). Ties keep strcmp order, the order of old. */
struct id_paths {
    char **lower;
    const char **path;
    size_t n;
};

struct id_pair {
    char *lower;
    const char *path;
};

static int pair_cmp(const void *a, const void *b)
{
    const struct id_pair *x = a, *y = b;
    int c = strcmp(x->lower, y->lower);
    return c ? c : strcmp(x->path, y->path);
}

static void id_paths_build(const struct al_ids *ids, struct id_paths *out)
{
    const char **paths;
    memset(out, 0, sizeof(*out));
    size_t n = al_ids_paths(ids, AL_IDS_PROJECT, &paths);
    struct id_pair *v = al_malloc((n + 1) * sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = (struct id_pair){al_path_lower(paths[i]), paths[i]};
    if (n)
        al_qsort(v, n, sizeof(*v), pair_cmp);
    out->lower = al_malloc((n + 1) * sizeof(char *));
    out->path = al_malloc((n + 1) * sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        out->lower[i] = v[i].lower;
        out->path[i] = v[i].path;
    }
    out->n = n;
    free(v);
    free(paths);
}

static void id_paths_free(struct id_paths *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->lower[i]);
    free(p->lower);
    free(p->path);
}

/* The projects under group `key` that --ids names (al_path_within). */
static void ids_projects(struct al_rbac_jobs *J, struct projects *P, const struct id_paths *ids,
                         const char *key)
{
    char *low = al_path_lower(key);
    size_t n = strlen(low), lo = 0, hi = ids->n;
    if (!n) {
        free(low);
        return;
    }
    while (lo < hi) { /* the first path not below "key/" */
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(ids->lower[mid], low, n);
        if (c < 0 || (c == 0 && (unsigned char)ids->lower[mid][n] < '/'))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo;
         i < ids->n && strncmp(ids->lower[i], low, n) == 0 && ids->lower[i][n] == '/'; i++)
        if (ids->lower[i][n + 1])
            add_project(J, P, ids->path[i], false, NULL);
    free(low);
}

static void collect_projects(const struct al_access *m, struct al_rbac_jobs *J, struct projects *P)
{
    struct id_paths ids;
    id_paths_build(m->opts.ids, &ids);
    for (size_t i = 0; i < m->n_agents; i++) {
        const struct al_access_agent *ag = m->agents[i];
        for (size_t k = 0; k < ag->n_auths; k++) {
            const struct al_auth *x = &ag->auths[k];
            if (!x->effective || x->section != AL_CI_ACCESS)
                continue;
            J->any_protected_only |= x->protected_branches_only;
            if ((x->scope == AL_SCOPE_PROJECT || x->scope == AL_SCOPE_IMPLICIT) && x->id) {
                add_project(J, P, x->id, false, NULL);
            } else if (x->scope == AL_SCOPE_GROUP && x->key) {
                struct al_buf b = AL_BUF_INIT;
                al_buf_printf(&b, "%s/*", x->id); /* '*' is in no GitLab path */
                add_project(J, P, al_buf_cstr(&b), true, x->id);
                al_buf_free(&b);
                ids_projects(J, P, &ids, x->key);
            } else if (x->scope == AL_SCOPE_INSTANCE) {
                add_project(J, P, "*/*", true, NULL);
            }
        }
    }
    id_paths_free(&ids);
}

static bool covers(const struct al_auth *x, const char *project)
{
    if (!x->effective || x->section != AL_CI_ACCESS)
        return false;
    switch (x->scope) {
    case AL_SCOPE_PROJECT:
    case AL_SCOPE_IMPLICIT:
        return x->key && al_path_eq(x->key, project);
    case AL_SCOPE_GROUP:
        return x->key && al_path_within(project, x->key);
    default:
        return true;
    }
}

/* Add project p's job with `env` unless it is there (its jobs start at `from`). */
static void add_job(struct al_rbac_jobs *J, size_t from, const struct al_rbac_job *p,
                    const char *env, enum al_rbac_env_kind kind)
{
    for (size_t i = from; i < J->n; i++) {
        const struct al_rbac_job *o = &J->items[i];
        if (o->project == p->project &&
            (o->env == env || (o->env && env && strcmp(o->env, env) == 0)))
            return;
    }
    J->items = al_grow(J->items, &J->cap, J->n + 1, sizeof(*J->items));
    struct al_rbac_job *j = &J->items[J->n++];
    *j = *p;
    j->env = env ? al_arena_strdup(&J->arena, env) : NULL;
    j->env_kind = kind;
}

/* A name the pattern matches in both readings: each '*' as "x". */
static char *instantiate(const char *pattern)
{
    struct al_buf b = AL_BUF_INIT;
    for (const char *p = pattern; *p; p++)
        al_buf_putc(&b, *p == '*' ? 'x' : *p);
    return al_buf_detach(&b);
}

/* The entries that may cover p (J->cover), in model order, as a scan of
 * every agent's entries would meet them. */
static void environments(struct al_rbac_jobs *J, const struct al_rbac_job *p,
                         struct al_rbac_hits *hits)
{
    size_t from = J->n;
    add_job(J, from, p, NULL, AL_RBAC_ENV_NONE);
    al_rbac_cover_find(&J->cover, p->project, hits);
    for (size_t h = 0; h < hits->n; h++) {
        const struct al_auth *x = hits->items[h].auth;
        if (!x->restricts_env || !covers(x, p->project))
            continue;
        for (size_t e = 0; e < x->n_env; e++) {
            if (!strchr(x->environments[e], '*')) {
                add_job(J, from, p, x->environments[e], AL_RBAC_ENV_LISTED);
                continue;
            }
            char *name = instantiate(x->environments[e]);
            add_job(J, from, p, name, AL_RBAC_ENV_WILDCARD);
            free(name);
        }
    }
    add_job(J, from, p, UNLISTED, AL_RBAC_ENV_UNLISTED);
}

static int cmp_project(const void *a, const void *b)
{
    const struct al_rbac_job *x = a, *y = b;
    int c = strcmp(x->project, y->project);
    return c ? c : (int)x->synthetic - (int)y->synthetic;
}

void al_rbac_jobs_build(const struct al_access *m, struct al_rbac_jobs *out)
{
    memset(out, 0, sizeof(*out));
    struct projects P;
    memset(&P, 0, sizeof P);
    collect_projects(m, out, &P);
    if (P.n)
        al_qsort(P.items, P.n, sizeof(*P.items), cmp_project);
    al_rbac_cover_build(m, &out->cover);
    struct al_rbac_hits hits = {NULL, 0, 0};
    for (size_t i = 0; i < P.n; i++)
        environments(out, &P.items[i], &hits);
    free(hits.items);
    free(P.items);
    al_rbac_strset_free(&P.seen);
}

void al_rbac_jobs_free(struct al_rbac_jobs *j)
{
    free(j->items);
    al_arena_free(&j->arena);
    al_rbac_cover_free(&j->cover);
    memset(j, 0, sizeof(*j));
}

const char *al_rbac_job_project(struct al_rbac_ctx *c, const struct al_rbac_job *j)
{
    if (!j->synthetic)
        return j->project;
    if (!j->group)
        return "projects no entry names";
    return al_rbac_printf(c, "other projects of %s", j->group);
}
