/* Which entries can serve a project's jobs, found by hashing instead of
 * asking every entry of every agent: a job's project is served by entries
 * whose key is the project (project entries, the implicit authorization),
 * by group entries whose key is one of its ancestors, and by instance
 * entries. With 10,000 agents and 200,000 projects the scan was quadratic
 * (al_rbac_jobs_build, the impersonator and the over-grant analysis each ask
 * for every project); this keeps each question to the entries that answer
 * it. Keys are compared lower-cased, as al_path_eq and al_path_within do. */
#include "common/alloc.h"
#include "common/buf.h"
#include "views/rbac/build.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

static void hits_add(struct al_rbac_hits *h, size_t agent, const struct al_auth *auth)
{
    h->items = al_grow(h->items, &h->cap, h->n + 1, sizeof(*h->items));
    h->items[h->n].agent = agent;
    h->items[h->n++].auth = auth;
}

/* "P:" (the key is the project) or "G:" (a group above it), lower-cased. */
static const char *cover_key(struct al_buf *b, char kind, const char *path, size_t n)
{
    al_buf_clear(b);
    al_buf_putc(b, kind);
    al_buf_putc(b, ':');
    for (size_t i = 0; i < n; i++)
        al_buf_putc(b, path[i] >= 'A' && path[i] <= 'Z' ? (char)(path[i] - 'A' + 'a') : path[i]);
    return al_buf_cstr(b);
}

static void add_keyed(struct al_rbac_cover *c, const char *key, size_t agent,
                      const struct al_auth *auth)
{
    size_t n = c->keys.n;
    size_t at = al_rbac_strset_add(&c->keys, &c->arena, key);
    if (c->keys.n > n) {
        c->lists = al_grow(c->lists, &c->cap_lists, c->keys.n, sizeof(*c->lists));
        memset(&c->lists[at], 0, sizeof(c->lists[at]));
    }
    hits_add(&c->lists[at], agent, auth);
}

void al_rbac_cover_build(const struct al_access *m, struct al_rbac_cover *out)
{
    struct al_buf key = AL_BUF_INIT;
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < m->n_agents; i++) {
        const struct al_access_agent *ag = m->agents[i];
        for (size_t k = 0; k < ag->n_auths; k++) {
            const struct al_auth *x = &ag->auths[k];
            if (!x->effective || x->section != AL_CI_ACCESS)
                continue;
            if (x->scope == AL_SCOPE_INSTANCE)
                hits_add(&out->anywhere, i, x);
            else if (x->key && (x->scope == AL_SCOPE_PROJECT || x->scope == AL_SCOPE_IMPLICIT))
                add_keyed(out, cover_key(&key, 'P', x->key, strlen(x->key)), i, x);
            else if (x->key && x->scope == AL_SCOPE_GROUP)
                add_keyed(out, cover_key(&key, 'G', x->key, strlen(x->key)), i, x);
        }
    }
    al_buf_free(&key);
}

static void take(struct al_rbac_hits *out, const struct al_rbac_cover *c, const char *key)
{
    long at = al_rbac_strset_find(&c->keys, key);
    for (size_t k = 0; at >= 0 && k < c->lists[at].n; k++)
        hits_add(out, c->lists[at].items[k].agent, c->lists[at].items[k].auth);
}

/* Model order: by agent, then by entry (an agent's entries are one array). */
static int hit_cmp(const void *a, const void *b)
{
    const struct al_rbac_hit *x = a, *y = b;
    if (x->agent != y->agent)
        return x->agent < y->agent ? -1 : 1;
    return x->auth < y->auth ? -1 : x->auth > y->auth;
}

size_t al_rbac_cover_find(const struct al_rbac_cover *c, const char *project,
                          struct al_rbac_hits *out)
{
    struct al_buf key = AL_BUF_INIT;
    size_t len = strlen(project);
    out->n = 0;
    take(out, c, cover_key(&key, 'P', project, len));
    /* al_path_within: the group's key, then '/', then at least one byte. */
    for (size_t i = 1; i + 1 < len; i++)
        if (project[i] == '/')
            take(out, c, cover_key(&key, 'G', project, i));
    for (size_t k = 0; k < c->anywhere.n; k++)
        hits_add(out, c->anywhere.items[k].agent, c->anywhere.items[k].auth);
    if (out->n > 1)
        al_qsort(out->items, out->n, sizeof(*out->items), hit_cmp);
    al_buf_free(&key);
    return out->n;
}

size_t al_rbac_cover_agents(const struct al_rbac_hits *hits, size_t **agents, size_t *cap)
{
    size_t n = 0;
    for (size_t k = 0; k < hits->n; k++) {
        if (n && (*agents)[n - 1] == hits->items[k].agent)
            continue;
        *agents = al_grow(*agents, cap, n + 1, sizeof(**agents));
        (*agents)[n++] = hits->items[k].agent;
    }
    return n;
}

void al_rbac_decide(const struct al_rbac_cover *c, const struct al_access *m,
                    const struct al_job *job, struct al_decisions *out)
{
    struct al_rbac_hits hits = {NULL, 0, 0};
    size_t *agents = NULL, cap = 0;
    al_rbac_cover_find(c, job->project, &hits);
    size_t n = al_rbac_cover_agents(&hits, &agents, &cap);
    al_access_decide_some(m, job, agents, n, out);
    free(agents);
    free(hits.items);
}

void al_rbac_cover_free(struct al_rbac_cover *c)
{
    for (size_t i = 0; i < c->keys.n; i++)
        free(c->lists[i].items);
    free(c->lists);
    free(c->anywhere.items);
    al_rbac_strset_free(&c->keys);
    al_arena_free(&c->arena);
    memset(c, 0, sizeof(*c));
}
