/* The report's view (review.h): findings per agent, the identities of every
 * authorization in force, the bindings rbacgen made from them, the widest
 * grants, and every numeric id something needs and --ids does not give.
 * Nothing here decides access: identities come from al_access_identity,
 * bindings from al_rbac_build, reach from the model. */
#include "common/alloc.h"
#include "cli/review.h"
#include "cli/diff.h"
#include "cli/explain.h"
#include "model/paths.h"
#include "common/version.h"

#include <stdlib.h>
#include <string.h>

/* State of one build beyond the view. */
struct build {
    struct al_review_view *v;
    struct al_access empty; /* the model's options, no agents: a job's context alone */
    size_t cap_missing;
    /* Agents by name ("n:"), by path ("p:") and unnamed ones by path
     * ("u:"): a finding's owner without a scan of every agent. */
    struct al_rbac_strset agent_keys;
    size_t *agent_of_key; /* per key: the first agent with it */
    size_t cap_agent_of_key;
};

static const char *dup(struct build *B, const char *s)
{
    return s ? al_arena_strdup(&B->v->arena, s) : NULL;
}

static const char *printf_dup(struct build *B, const char *fmt, const char *a)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, fmt, a);
    const char *s = dup(B, al_buf_cstr(&b));
    al_buf_free(&b);
    return s;
}

static void add_missing(struct build *B, enum al_ids_kind kind, const char *path)
{
    struct al_review_view *v = B->v;
    v->missing = al_grow(v->missing, &B->cap_missing, v->n_missing + 1, sizeof(*v->missing));
    v->missing[v->n_missing].kind = kind;
    v->missing[v->n_missing++].path = dup(B, path);
}

/* ---- findings ---- */

static void count(const struct al_finding *f, size_t *e, size_t *w, size_t *n)
{
    if (f->severity == AL_SEV_ERROR)
        (*e)++;
    else if (f->severity == AL_SEV_WARNING)
        (*w)++;
    else
        (*n)++;
}

static const char *agent_key(struct al_buf *b, char kind, const char *s)
{
    al_buf_clear(b);
    al_buf_printf(b, "%c:%s", kind, s);
    return al_buf_cstr(b);
}

static void index_key(struct build *B, struct al_buf *b, char kind, const char *s, size_t k)
{
    size_t n = B->agent_keys.n;
    size_t at = al_rbac_strset_add(&B->agent_keys, &B->v->arena, agent_key(b, kind, s));
    if (B->agent_keys.n == n)
        return; /* an earlier agent has it, and comes first */
    B->agent_of_key =
        al_grow(B->agent_of_key, &B->cap_agent_of_key, B->agent_keys.n, sizeof(size_t));
    B->agent_of_key[at] = k;
}

static void index_agents(struct build *B)
{
    struct al_buf b = AL_BUF_INIT;
    for (size_t k = 0; k < B->v->n_agents; k++) {
        const struct al_access_agent *ag = B->v->agents[k].agent;
        if (ag->name)
            index_key(B, &b, 'n', ag->name, k);
        else
            index_key(B, &b, 'u', ag->path, k);
        index_key(B, &b, 'p', ag->path, k);
    }
    al_buf_free(&b);
}

static size_t first_with(const struct build *B, struct al_buf *b, char kind, const char *s)
{
    long at = al_rbac_strset_find(&B->agent_keys, agent_key(b, kind, s));
    return at < 0 ? B->v->n_agents : B->agent_of_key[at];
}

/* The agent a finding is about (index into v->agents), n_agents for the
 * repository as a whole, or -1 for an agent --agents left out. The first
 * agent that matches: by name when both the finding and the agent have one,
 * else by path, found by key instead of a scan of every agent. */
static long owner_of(const struct build *B, const struct al_finding *f)
{
    const struct al_review_view *v = B->v;
    struct al_buf b = AL_BUF_INIT;
    size_t k;
    if (f->agent) {
        k = first_with(B, &b, 'n', f->agent);
        size_t unnamed = first_with(B, &b, 'u', f->path);
        k = unnamed < k ? unnamed : k;
    } else {
        k = first_with(B, &b, 'p', f->path);
    }
    al_buf_free(&b);
    if (k < v->n_agents)
        return (long)k;
    return v->only_some_agents && f->agent ? -1 : (long)v->n_agents;
}

static void assign_findings(struct build *B)
{
    struct al_review_view *v = B->v;
    const struct al_findings *fs = &v->report->findings;
    long *owner = al_calloc(fs->n + 1, sizeof(*owner));
    size_t *n = al_calloc(v->n_agents + 1, sizeof(*n)); /* per agent, then the others */
    index_agents(B);
    for (size_t i = 0; i < fs->n; i++)
        if ((owner[i] = owner_of(B, &fs->items[i])) >= 0)
            n[owner[i]]++;
    for (size_t k = 0; k < v->n_agents; k++)
        v->agents[k].findings = al_calloc(n[k] + 1, sizeof(*v->agents[k].findings));
    v->other = al_calloc(n[v->n_agents] + 1, sizeof(*v->other));
    for (size_t i = 0; i < fs->n; i++) {
        const struct al_finding *f = &fs->items[i];
        if (owner[i] < 0)
            continue;
        count(f, &v->errors, &v->warnings, &v->notes);
        if ((size_t)owner[i] == v->n_agents) {
            v->other[v->n_other++] = f;
            continue;
        }
        struct al_review_agent *ra = &v->agents[owner[i]];
        ra->findings[ra->n_findings++] = f;
        count(f, &ra->errors, &ra->warnings, &ra->notes);
    }
    free(owner);
    free(n);
}

/* ---- identities ---- */

/* The identity's strings outlive the decisions they were made in. */
static void keep_identity(struct build *B, struct al_review_identity *out,
                          const struct al_identity *id)
{
    out->username = dup(B, id->username);
    out->uid = dup(B, id->uid);
    const char **g = al_arena_alloc(&B->v->arena, (id->n_groups + 1) * sizeof(char *));
    for (size_t i = 0; i < id->n_groups; i++)
        g[i] = dup(B, id->groups[i]);
    out->groups = g;
    out->n_groups = id->n_groups;
}

/* Ids the groups name: the job's project and groups (not the agent's and
 * configuration project's, which only the extras carry), and never the
 * stand-ins with '*', which no API call answers. */
static void keep_missing(struct build *B, const struct al_decisions *d)
{
    for (size_t i = 0; i < d->n_missing; i++) {
        const struct al_missing_id *m = &d->missing[i];
        bool named = m->kind == AL_IDS_PROJECT && strcmp(m->path, d->job.project) == 0;
        for (size_t k = 0; k < d->n_ancestors && !named; k++)
            named = m->kind == AL_IDS_GROUP && strcmp(m->path, d->ancestors[k]) == 0;
        if (named && !strchr(m->path, '*'))
            add_missing(B, m->kind, m->path);
    }
}

/* A job of `project` (a path; "GROUP/ *" without the space stands for any
 * project of GROUP, as in rbacgen) with environment `env`: its context from
 * al_access_decide on a model without agents, its identity from
 * al_access_identity. A pattern has no slug or tier of its own. */
static void job_identity(struct build *B, const struct al_auth *a, const char *project,
                         const char *env, struct al_review_identity *out)
{
    bool pattern = env && strchr(env, '*');
    struct al_job job = {project,
                         env,
                         false,
                         pattern ? "<tier>" : NULL,
                         pattern ? "<slug>" : NULL,
                         AL_LICENSE_PREMIUM,
                         B->v->ctx->env_matching};
    struct al_decisions d;
    al_access_decide(&B->empty, &job, &d);
    struct al_identity id;
    al_access_identity(B->v->model, a, &d, &id);
    keep_identity(B, out, &id);
    keep_missing(B, &d);
    out->environment = dup(B, env);
    out->pattern = pattern;
    al_decisions_free(&d);
}

/* user_access with access_as user (gitlab-semantics.md §6.5): the user's
 * own name and one group per role they hold where the entry points. */
static void user_identity(struct build *B, const struct al_auth *a, struct al_review_identity *out)
{
    bool project = a->scope == AL_SCOPE_PROJECT;
    enum al_ids_kind kind = project ? AL_IDS_PROJECT : AL_IDS_GROUP;
    long long id = al_ids_get(B->v->model->opts.ids, kind, a->id);
    struct al_buf b = AL_BUF_INIT;
    if (id > 0)
        al_buf_printf(&b, "gitlab:%s_role:%lld:<role>", project ? "project" : "group", id);
    else
        al_buf_printf(&b, "gitlab:%s_role:<%s>:<role>", project ? "project" : "group", a->id);
    if (id <= 0)
        add_missing(B, kind, a->id);
    const char **g = al_arena_alloc(&B->v->arena, 3 * sizeof(char *));
    g[0] = "gitlab:user";
    g[1] = dup(B, al_buf_cstr(&b));
    al_buf_free(&b);
    out->username = "gitlab:user:<username>";
    out->groups = g;
    out->n_groups = 2;
}

/* Who the entry admits, in words, and the project a job of theirs is in. */
static const char *who(struct build *B, const struct al_auth *a, const char **project)
{
    const char *id = a->id ? a->id : "";
    bool users = a->section == AL_USER_ACCESS;
    *project = id;
    switch (a->scope) {
    case AL_SCOPE_INSTANCE:
        *project = "*/*";
        return "jobs of any project of the instance";
    case AL_SCOPE_GROUP:
        *project = printf_dup(B, "%s/*", id);
        return printf_dup(
            B, users ? "members of group %s and its projects" : "jobs of any project under %s", id);
    default:
        return printf_dup(B, users ? "members of project %s" : "jobs of %s", id);
    }
}

static struct al_review_identity *new_identity(struct build *B, struct al_review_agent *ra,
                                               size_t *cap, const struct al_auth *a,
                                               const char *jobs)
{
    ra->identities = al_grow(ra->identities, cap, ra->n_identities + 1, sizeof(*ra->identities));
    struct al_review_identity *x = &ra->identities[ra->n_identities++];
    memset(x, 0, sizeof(*x));
    x->auth = a;
    x->jobs = jobs;
    return x;
}

/* The environments an entry admits, as every identity row shows them: its
 * patterns, or "any" (a ci_job row without one is computed for a job with
 * no environment, which has no environment groups). */
static const char *entry_environments(struct build *B, const struct al_auth *a)
{
    if (!a->restricts_env)
        return a->access_as == AL_AS_CI_JOB ? "any (groups shown for a job without one)" : "any";
    struct al_buf b = AL_BUF_INIT;
    al_explain_envs(&b, a);
    const char *s = dup(B, al_buf_cstr(&b));
    al_buf_free(&b);
    return s;
}

/* One identity per environment a ci_job entry lists (the groups carry the
 * environment), else one. */
static void auth_identities(struct build *B, struct al_review_agent *ra, size_t *cap,
                            const struct al_auth *a)
{
    const char *project;
    const char *jobs = who(B, a, &project);
    if (a->access_as == AL_AS_CI_JOB && a->restricts_env) {
        for (size_t e = 0; e < a->n_env; e++)
            job_identity(B, a, project, a->environments[e], new_identity(B, ra, cap, a, jobs));
        return;
    }
    struct al_review_identity *x = new_identity(B, ra, cap, a, jobs);
    if (a->access_as == AL_AS_CI_JOB)
        job_identity(B, a, project, NULL, x);
    else if (a->access_as == AL_AS_USER)
        user_identity(B, a, x);
    else if (a->access_as == AL_AS_IMPERSONATE && a->imp)
        job_identity(B, a, project, NULL, x); /* static: the job does not matter */
    x->environment = entry_environments(B, a);
}

const char *const al_review_change_head[AL_REVIEW_CHANGE_COLUMNS] = {"Agent", "Change", "Entry",
                                                                     "Effect", "Why"};

void al_review_change_init(struct al_review_change *c, const struct al_diff_item *it)
{
    c->title = (struct al_buf)AL_BUF_INIT;
    c->why = (struct al_buf)AL_BUF_INIT;
    al_render_diff_title(&c->title, it);
    for (size_t i = 0; i < it->n_reasons; i++)
        al_buf_printf(&c->why, "%s%s", i ? "; " : "", it->reasons[i].text);
    const char *cells[AL_REVIEW_CHANGE_COLUMNS] = {
        it->agent, al_diff_change_name(it->change), al_buf_cstr(&c->title),
        al_diff_effect_name(it->effect), c->why.len ? al_buf_cstr(&c->why) : NULL};
    memcpy(c->cells, cells, sizeof cells);
}

void al_review_change_free(struct al_review_change *c)
{
    al_buf_free(&c->title);
    al_buf_free(&c->why);
}

void al_review_changes_intro(struct al_buf *out, const struct al_review_view *v)
{
    al_buf_printf(out, "Compared with %s (commit %.12s): ", v->base_rev, v->base_sha);
    al_render_diff_headline(out, v->changes, "The configuration");
    struct al_buf counts = AL_BUF_INIT;
    al_render_diff_counts(&counts, v->changes);
    if (counts.len)
        al_buf_printf(out, " (%s)", al_buf_cstr(&counts));
    al_buf_putc(out, '.');
    for (size_t i = 0; i < v->changes->n_agents; i++) {
        const struct al_diff_agent *a = &v->changes->agents[i];
        const char *notes[AL_RENDER_DIFF_MAX_NOTES];
        size_t n = al_render_diff_agent_notes(a, notes);
        for (size_t k = 0; k < n; k++)
            al_buf_printf(out, " Agent %s: %s.", a->name, notes[k]);
    }
    al_buf_puts(out, " A file GitLab rejects changes nothing GitLab applies (agentlint diff says "
                     "more).");
    al_buf_free(&counts);
}

bool al_review_wide(const struct al_auth *a)
{
    if (a->scope == AL_SCOPE_GROUP || a->scope == AL_SCOPE_INSTANCE)
        return true;
    /* A project entry is as wide as it gets in power: the agent's own
     * service account, from any branch and environment. */
    return a->scope == AL_SCOPE_PROJECT && a->access_as == AL_AS_AGENT && !a->restricts_env &&
           !a->protected_branches_only;
}

/* Smaller is wider: the instance, then groups from the top, then the rest;
 * unrestricted before restricted. */
static size_t rank(const struct al_auth *a)
{
    size_t r = a->scope == AL_SCOPE_INSTANCE ? 0
               : a->scope == AL_SCOPE_GROUP  ? 1 + al_path_depth(a->key ? a->key : "")
                                             : 1000;
    return r * 4 + (a->restricts_env ? 2 : 0) + (a->protected_branches_only ? 1 : 0);
}

static void agent_identities(struct build *B, struct al_review_agent *ra)
{
    size_t cap = 0;
    for (size_t i = 0; i < ra->agent->n_auths; i++) {
        const struct al_auth *a = &ra->agent->auths[i];
        if (!al_explain_in_force(a))
            continue; /* a rejected file's entries too: GitLab does not apply them */
        ra->in_force++;
        if (!ra->widest || rank(a) < rank(ra->widest))
            ra->widest = a;
        auth_identities(B, ra, &cap, a);
    }
}

/* ---- bindings, reach, missing ids ---- */

/* Each agent's bindings, in rbac's order, in one pass over the objects
 * (an object's agent found by bsearch, not a pass per agent). */
struct agent_at {
    const struct al_access_agent *agent;
    size_t index;
};

static int agent_at_cmp(const void *x, const void *y)
{
    const struct agent_at *a = x, *b = y;
    return a->agent < b->agent ? -1 : a->agent > b->agent;
}

static struct al_review_agent *review_agent_of(const struct al_review_view *v,
                                               const struct agent_at *by_ptr,
                                               const struct al_rbac_object *o)
{
    if (!o->auth)
        return NULL;
    struct agent_at key = {o->auth->agent, 0};
    const struct agent_at *hit = bsearch(&key, by_ptr, v->n_agents, sizeof(*by_ptr), agent_at_cmp);
    return hit ? &v->agents[hit->index] : NULL;
}

static void agent_bindings(struct build *B)
{
    struct al_review_view *v = B->v;
    const struct al_rbac *r = v->rbac;
    struct agent_at *by_ptr = al_calloc(v->n_agents + 1, sizeof(*by_ptr));
    for (size_t k = 0; k < v->n_agents; k++)
        by_ptr[k] = (struct agent_at){v->agents[k].agent, k};
    if (v->n_agents)
        al_qsort(by_ptr, v->n_agents, sizeof(*by_ptr), agent_at_cmp);
    size_t *cap = al_calloc(v->n_agents + 1, sizeof(*cap));
    for (size_t i = 0; i < r->n_objects && !r->n_missing; i++) {
        struct al_review_agent *ra = review_agent_of(v, by_ptr, r->objects[i]);
        if (!ra || ra->agent->rejected) /* GitLab does not apply a rejected file */
            continue;
        size_t *c = &cap[ra - v->agents];
        ra->bindings = al_grow(ra->bindings, c, ra->n_bindings + 1, sizeof(*ra->bindings));
        ra->bindings[ra->n_bindings++] = r->objects[i];
    }
    for (size_t k = 0; k < v->n_agents; k++)
        if (!v->agents[k].bindings)
            v->agents[k].bindings = al_calloc(1, sizeof(*v->agents[k].bindings));
    free(cap);
    free(by_ptr);
}

static int cmp_wide(const void *x, const void *y)
{
    const struct al_auth *a = *(const struct al_auth *const *)x;
    const struct al_auth *b = *(const struct al_auth *const *)y;
    size_t ra = rank(a), rb = rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    return a < b ? -1 : a > b; /* model order: agents, then file order */
}

static void widest(struct build *B)
{
    struct al_review_view *v = B->v;
    size_t n = 0, cap = 0;
    const struct al_auth **all = NULL;
    for (size_t i = 0; i < v->model->n_agents; i++)
        for (size_t k = 0; k < v->model->agents[i]->n_auths; k++) {
            const struct al_auth *a = &v->model->agents[i]->auths[k];
            if (al_explain_in_force(a) && al_review_wide(a)) {
                all = al_grow(all, &cap, n + 1, sizeof(*all));
                all[n++] = a;
            }
        }
    if (n)
        al_qsort(all, n, sizeof(*all), cmp_wide);
    v->widest = all;
    v->n_widest = n < AL_REVIEW_WIDEST ? n : AL_REVIEW_WIDEST;
}

static int cmp_missing(const void *x, const void *y)
{
    const struct al_missing_id *a = x, *b = y;
    if (a->kind != b->kind)
        return (int)a->kind - (int)b->kind;
    return strcmp(a->path, b->path);
}

static void unique_missing(struct build *B)
{
    struct al_review_view *v = B->v;
    for (size_t i = 0; i < v->rbac->n_missing; i++)
        add_missing(B, v->rbac->missing[i].kind, v->rbac->missing[i].path);
    if (!v->n_missing)
        return;
    al_qsort(v->missing, v->n_missing, sizeof(*v->missing), cmp_missing);
    size_t n = 1;
    for (size_t i = 1; i < v->n_missing; i++)
        if (cmp_missing(&v->missing[i], &v->missing[n - 1]) != 0)
            v->missing[n++] = v->missing[i];
    v->n_missing = n;
}

static const char *missing_key(struct al_buf *b, enum al_ids_kind kind, const char *path)
{
    al_buf_clear(b);
    al_buf_printf(b, "%d:%s", (int)kind, path);
    return al_buf_cstr(b);
}

/* rbac's missing ids are unique (al_rbac_missing): key i is missing[i]. */
static void index_waiting(struct al_review_view *v)
{
    struct al_buf b = AL_BUF_INIT;
    for (size_t i = 0; i < v->rbac->n_missing; i++)
        al_rbac_strset_add(&v->waiting, &v->arena,
                           missing_key(&b, v->rbac->missing[i].kind, v->rbac->missing[i].path));
    al_buf_free(&b);
}

void al_review_build(struct al_review_view *v)
{
    struct build B;
    memset(&B, 0, sizeof B);
    B.v = v;
    al_access_init(&B.empty, &v->model->opts);
    v->n_agents = v->model->n_agents;
    v->agents = al_calloc(v->n_agents + 1, sizeof(*v->agents));
    for (size_t i = 0; i < v->n_agents; i++) {
        v->agents[i].agent = v->model->agents[i];
        if (v->model->agents[i]->rejected)
            v->rejected++;
    }
    assign_findings(&B);
    for (size_t i = 0; i < v->n_agents; i++)
        agent_identities(&B, &v->agents[i]);
    agent_bindings(&B);
    widest(&B);
    unique_missing(&B);
    index_waiting(v);
    al_access_free(&B.empty);
    al_rbac_strset_free(&B.agent_keys);
    free(B.agent_of_key);
}

void al_review_free(struct al_review_view *v)
{
    for (size_t i = 0; i < v->n_agents; i++) {
        free(v->agents[i].findings);
        free(v->agents[i].identities);
        free(v->agents[i].bindings);
    }
    free(v->agents);
    free(v->other);
    free((void *)v->widest);
    free(v->missing);
    al_rbac_strset_free(&v->waiting);
    al_arena_free(&v->arena);
}

/* ---- shared wording ---- */

const char *al_review_reach(const struct al_auth *a)
{
    switch (a->scope) {
    case AL_SCOPE_INSTANCE:
        return "every project of the instance";
    case AL_SCOPE_GROUP:
        return a->key && !strchr(a->key, '/') ? "a top-level group" : "a group";
    case AL_SCOPE_IMPLICIT:
        return "the configuration project";
    default:
        return "one project";
    }
}

const struct al_missing_id *al_review_waiting(const struct al_review_view *v,
                                              const struct al_auth *a)
{
    const struct al_rbac *r = v->rbac;
    if (!a->id || (a->scope != AL_SCOPE_PROJECT && a->scope != AL_SCOPE_GROUP))
        return NULL;
    enum al_ids_kind kind = a->scope == AL_SCOPE_PROJECT ? AL_IDS_PROJECT : AL_IDS_GROUP;
    struct al_buf b = AL_BUF_INIT;
    long at = al_rbac_strset_find(&v->waiting, missing_key(&b, kind, a->id));
    al_buf_free(&b);
    return at >= 0 && (size_t)at < r->n_missing ? &r->missing[at] : NULL;
}

void al_review_binding_name(struct al_buf *out, const struct al_rbac_object *o)
{
    al_buf_printf(out, "%s %s", al_rbac_kind_name(o->kind), o->name);
    if (o->namespace)
        al_buf_printf(out, " in namespace %s", o->namespace);
}

void al_review_subjects(struct al_buf *out, const struct al_rbac_object *o)
{
    static const char *const kinds[] = {"User", "Group", "ServiceAccount"};
    for (size_t i = 0; i < o->n_subjects; i++)
        al_buf_printf(out, "%s%s %s", i ? ", " : "", kinds[o->subjects[i].kind],
                      o->subjects[i].name);
}

void al_review_meta(struct al_buf *b, const struct al_review_view *v)
{
    const struct al_check_ctx *c = v->ctx;
    const struct al_source *src = v->report->source;
    al_buf_puts(b, "Configuration project: ");
    if (c->project_path)
        al_buf_printf(b, "%s (from %s)", c->project_path, c->project_path_origin);
    else
        al_buf_puts(b, "unknown (give --project-path)");
    al_buf_printf(b, " · Source: %s", al_source_kind_name(src->kind));
    if (src->revision)
        al_buf_printf(b, " %s", src->revision);
    char version[32];
    al_version_str(c->gitlab_version, version);
    al_buf_printf(b, " · GitLab %s · %s environment matching · %s licence · agentlint %s", version,
                  c->env_matching == AL_ENV_LEGACY ? "legacy" : "anchored",
                  al_license_name(v->license), v->version);
}

void al_review_rejected(struct al_buf *b, const struct al_review_view *v)
{
    al_buf_printf(b, "GitLab rejects the config of %zu agent%s: ", v->rejected,
                  v->rejected == 1 ? "" : "s");
    size_t k = 0;
    for (size_t i = 0; i < v->n_agents; i++)
        if (v->agents[i].agent->rejected)
            al_buf_printf(b, "%s%s", k++ ? ", " : "",
                          v->agents[i].agent->name ? v->agents[i].agent->name
                                                   : v->agents[i].agent->path);
    al_buf_puts(b, ". Its agent server refuses the whole file and silently keeps the previous "
                   "configuration in force; this report shows what the files say. The errors "
                   "below say why.");
}
