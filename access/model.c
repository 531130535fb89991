/* al_access_build: config entries -> the authorizations GitLab stores, as
 * CiAccess::RefreshService and UserAccess::RefreshService compute them
 * (gitlab-semantics.md §4): per list the first 500 entries, ids indexed
 * lower-cased with the last duplicate winning, ids outside the config
 * project's top-level namespace dropped, and ids that can never match a
 * path dropped. Plus the implicit authorization of the agent's own project
 * and ci_access.instance. */
#include "access/model.h"
#include "model/paths.h"
#include "access/pathindex.h"
#include "common/buf.h"
#include "common/str.h"
#include "common/version.h"

#include <stdlib.h>
#include <string.h>

enum {
    LIMIT = 500, /* AUTHORIZED_ENTITY_LIMIT */
    LIMIT_BEFORE_17 = 100,
    V17_0 = 1700,  /* limit raised, ids lower-cased */
    V17_11 = 1711, /* ci_access.instance */
};

struct build {
    struct al_access *m;
    struct al_access_agent *agent;
    const char *root; /* the config project's top-level namespace, or NULL */
    bool personal;    /* the config project is in a personal namespace */
    bool presumed;    /* ... or under `root` (see al_auth.outside) */
};

/* The administrator's user namespace on every self-managed instance. */
static const char PERSONAL_ROOT[] = "root";

static const char *arena_printf(struct al_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static const char *arena_printf(struct al_arena *a, const char *fmt, ...)
{
    struct al_buf b = AL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    al_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    const char *s = al_arena_strdup(a, al_buf_cstr(&b));
    al_buf_free(&b);
    return s;
}

static bool newer_than_17(const struct al_access_opts *o)
{
    return !o->gitlab_version || o->gitlab_version >= V17_0;
}

size_t al_access_entry_limit(const struct al_access_opts *o)
{
    if (o->entry_limit)
        return o->entry_limit;
    return newer_than_17(o) ? LIMIT : LIMIT_BEFORE_17;
}

/* The id as GitLab compares it: lower-cased from 17.0. An id already in
 * lower case (most are) is shared with its entry, not copied. */
static const char *key_of(struct build *B, const char *id)
{
    if (!id)
        return NULL;
    if (!newer_than_17(&B->m->opts))
        return id;
    char *low = al_str_lower(id);
    const char *k = strcmp(low, id) == 0 ? id : al_arena_strdup(&B->m->arena, low);
    free(low);
    return k;
}

static const char *label_of(struct al_arena *a, const struct al_entry *e)
{
    if (e->scope == AL_SCOPE_INSTANCE)
        return "ci_access.instance";
    return arena_printf(a, "%s.%s[%zu]", al_section_name(e->section), al_scope_list_name(e->scope),
                        e->index);
}

static void from_entry(struct build *B, struct al_auth *a, const struct al_entry *e)
{
    a->agent = B->agent;
    a->section = e->section;
    a->scope = e->scope;
    a->id = e->id;
    a->key = key_of(B, e->id);
    a->label = label_of(&B->m->arena, e);
    a->access_as = e->access_as;
    a->imp = e->access_as == AL_AS_IMPERSONATE ? &e->imp : NULL;
    a->environments = e->environments;
    a->n_env = e->n_env;
    a->restricts_env = e->has_environments;
    a->protected_branches_only = e->protected_truthy;
    /* KAS re-marshals the config without zero values: "" is no namespace. */
    a->default_namespace =
        e->default_namespace && *e->default_namespace ? e->default_namespace : NULL;
    a->entry = e;
    a->path = B->agent->path;
    a->line = e->pos.line;
    a->col = e->pos.col;
    a->effective = true;
}

static void implicit(struct build *B, struct al_auth *a)
{
    a->agent = B->agent;
    a->section = AL_CI_ACCESS;
    a->scope = AL_SCOPE_IMPLICIT;
    a->id = B->agent->config_project;
    a->key = key_of(B, a->id);
    a->label = "implicit";
    a->access_as = AL_AS_AGENT;
    a->path = B->agent->path;
    a->effective = true;
}

static void drop(struct al_auth *a, enum al_drop why, const char *sentence)
{
    a->effective = false;
    a->drop = why;
    a->why = sentence;
}

/* ---- the refresh rules, one list at a time ---- */

static bool same_list(const struct al_auth *a, const struct al_auth *b)
{
    return a->section == b->section && a->scope == b->scope;
}

static void drop_past_limit(struct build *B, struct al_auth *a)
{
    size_t limit = al_access_entry_limit(&B->m->opts);
    if (a->scope == AL_SCOPE_INSTANCE || a->entry->index < limit)
        return;
    a->past_limit = true;
    drop(a, AL_DROP_LIMIT,
         arena_printf(&B->m->arena,
                      "entry %zu of %s.%s: GitLab keeps only the first %zu entries of a list and "
                      "ignores the rest",
                      a->entry->index + 1, al_section_name(a->section),
                      al_scope_list_name(a->scope), limit));
}

/* index_by(id.downcase): of equal keys in one list, the last one stays. */
/* The last entry of each list and key that the limit keeps, found by hash
 * (an agent lists up to thousands of entries; a search per entry was
 * quadratic): last[slot] is its index + 1, 0 for an empty slot. */
struct last_of {
    size_t *slot;
    size_t mask;
};

static bool is_listed(const struct al_auth *a)
{
    return a->scope != AL_SCOPE_IMPLICIT && a->scope != AL_SCOPE_INSTANCE;
}

static size_t *last_slot(const struct last_of *L, const struct al_auth *auths,
                         const struct al_auth *a)
{
    unsigned long long h = al_str_hash(a->key, strlen(a->key), a->section * 4ULL + a->scope);
    size_t i = (size_t)al_hash_mix(h) & L->mask;
    while (L->slot[i]) {
        const struct al_auth *b = &auths[L->slot[i] - 1];
        if (same_list(a, b) && strcmp(a->key, b->key) == 0)
            break;
        i = (i + 1) & L->mask;
    }
    return &L->slot[i];
}

static void last_of_build(struct last_of *L, const struct al_auth *auths, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    L->slot = al_calloc(cap, sizeof(*L->slot));
    L->mask = cap - 1;
    for (size_t k = 0; k < n; k++)
        if (is_listed(&auths[k]) && auths[k].key && auths[k].drop != AL_DROP_LIMIT)
            *last_slot(L, auths, &auths[k]) = k + 1;
}

static void drop_duplicates(struct build *B, struct al_auth *auths, const struct last_of *L,
                            size_t i)
{
    struct al_auth *a = &auths[i];
    if (!a->effective || !a->key)
        return;
    size_t last = *last_slot(L, auths, a);
    if (last > i + 1) {
        struct al_auth *b = &auths[last - 1];
        a->shadowed_by = b;
        drop(a, AL_DROP_DUPLICATE,
             arena_printf(&B->m->arena,
                          "%s (line %u) names the same %s and comes later; GitLab keeps only the "
                          "last entry for an id (compared case-insensitively)",
                          b->label, b->line, a->scope == AL_SCOPE_GROUP ? "group" : "project"));
    }
}

static bool wrong_kind(struct build *B, struct al_auth *a)
{
    const struct al_ids *ids = B->m->opts.ids;
    if (!ids || !a->id)
        return false;
    enum al_ids_kind want = a->scope == AL_SCOPE_GROUP ? AL_IDS_GROUP : AL_IDS_PROJECT;
    if (al_ids_known(ids, want, a->id))
        return false;
    const char *is = NULL;
    if (want == AL_IDS_GROUP && al_ids_known(ids, AL_IDS_PROJECT, a->id))
        is = "a project; a groups entry matches only groups";
    else if (want == AL_IDS_GROUP && al_ids_known(ids, AL_IDS_USER_NAMESPACE, a->id))
        is = "a personal namespace; a groups entry matches only groups";
    else if (want == AL_IDS_PROJECT && al_ids_known(ids, AL_IDS_GROUP, a->id))
        is = "a group; a projects entry matches only projects";
    if (!is)
        return false;
    drop(a, AL_DROP_WRONG_KIND, arena_printf(&B->m->arena, "--ids knows %s as %s", a->id, is));
    return true;
}

/* What would keep an id outside the root: the admin setting, from the
 * version GitLab honours it for this section. */
static const char *unless_setting(struct build *B, enum al_section s)
{
    const struct al_access_opts *o = &B->m->opts;
    char since[16];
    al_version_str(al_path_cross_root_since(s), since);
    if (o->instance_authorization)
        return arena_printf(&B->m->arena,
                            "the admin setting organization_cluster_agent_authorization_enabled "
                            "keeps %s ids outside it only from GitLab %s (--gitlab-version)",
                            al_section_name(s), since);
    return arena_printf(&B->m->arena,
                        "unless the admin setting organization_cluster_agent_authorization_enabled "
                        "is on, on GitLab %s or later: --instance-authorization",
                        since);
}

static bool in_root(const struct build *B, const char *id)
{
    char *root = al_path_root(id);
    bool inside = al_path_eq(root, B->root);
    free(root);
    return inside;
}

/* al_auth.outside, for every entry within the limit with a usable id. */
static void judge_namespace(struct build *B, struct al_auth *a)
{
    const struct al_access_opts *o = &B->m->opts;
    if (!B->root || a->past_limit || !a->id || a->entry->id_problem ||
        al_path_cross_root(a->section, o->gitlab_version, o->instance_authorization))
        return;
    if (a->scope == AL_SCOPE_GROUP && (B->personal || B->presumed))
        a->outside = AL_DROP_PERSONAL;
    else if (!in_root(B, a->id))
        a->outside = AL_DROP_NAMESPACE;
}

static void drop_namespace(struct build *B, struct al_auth *a)
{
    if (a->outside == AL_DROP_PERSONAL && B->personal) {
        drop(a, AL_DROP_PERSONAL,
             arena_printf(&B->m->arena,
                          "the configuration project is in the personal namespace %s, and GitLab "
                          "never authorizes groups for it (%s)",
                          B->root, unless_setting(B, a->section)));
        return;
    }
    /* A presumed personal namespace drops nothing on its own. */
    if (a->outside == AL_DROP_NAMESPACE || (a->outside == AL_DROP_PERSONAL && !in_root(B, a->id)))
        drop(a, AL_DROP_NAMESPACE,
             arena_printf(&B->m->arena,
                          "outside %s, the configuration project's top-level namespace; GitLab "
                          "drops it without a word (%s)",
                          B->root, unless_setting(B, a->section)));
}

static void check_id(struct build *B, struct al_auth *a)
{
    if (!a->effective)
        return;
    if (!a->id) {
        drop(a, AL_DROP_NO_ID, "the entry has no id string, so it names nothing");
        return;
    }
    const char *problem = al_id_problem(a->id, a->scope, NULL);
    if (problem) {
        drop(a, AL_DROP_ID,
             arena_printf(&B->m->arena, "the id %s, so it matches nothing", problem));
        return;
    }
    drop_namespace(B, a);
    if (a->effective)
        wrong_kind(B, a);
}

static void check_instance(struct build *B, struct al_auth *a)
{
    const struct al_access_opts *o = &B->m->opts;
    if (a->entry->instance_unset)
        drop(a, AL_DROP_UNSET,
             "instance: has no value, which the agent server reads as unset: GitLab creates no "
             "instance authorization (write instance: {})");
    else if (!o->instance_authorization)
        drop(a, AL_DROP_SETTING,
             "ci_access.instance is ignored unless the self-managed admin setting "
             "organization_cluster_agent_authorization_enabled is on (--instance-authorization)");
    else if (o->gitlab_version && o->gitlab_version < V17_11)
        drop(a, AL_DROP_SETTING, "ci_access.instance needs GitLab 17.11 or later");
}

static void refresh(struct build *B, struct al_auth *auths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (auths[i].scope != AL_SCOPE_IMPLICIT && auths[i].scope != AL_SCOPE_INSTANCE)
            drop_past_limit(B, &auths[i]);
    struct last_of L;
    last_of_build(&L, auths, n);
    for (size_t i = 0; i < n; i++)
        if (is_listed(&auths[i]))
            drop_duplicates(B, auths, &L, i);
    free(L.slot);
    for (size_t i = 0; i < n; i++) {
        if (auths[i].scope == AL_SCOPE_INSTANCE) {
            check_instance(B, &auths[i]);
        } else if (auths[i].scope != AL_SCOPE_IMPLICIT) {
            judge_namespace(B, &auths[i]);
            check_id(B, &auths[i]);
        }
    }
}

/* ---- which entries a broader one gives way to ---- */

static bool prefers(const struct al_auth *o, const struct al_auth *a)
{
    if (o == a || !o->effective || o->section != AL_CI_ACCESS || !o->key)
        return false;
    switch (a->scope) {
    case AL_SCOPE_INSTANCE:
        return true;
    case AL_SCOPE_GROUP:
        return o->scope != AL_SCOPE_INSTANCE && al_path_within(o->key, a->key);
    case AL_SCOPE_IMPLICIT:
        return o->scope == AL_SCOPE_PROJECT && al_path_eq(o->key, a->key);
    default:
        return false;
    }
}

static void overrides(struct al_arena *arena, struct al_auth *auths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct al_auth *a = &auths[i];
        /* Nothing is preferred to a project entry (prefers): skip the scan. */
        if (!a->effective || a->section != AL_CI_ACCESS || a->scope == AL_SCOPE_PROJECT ||
            (!a->key && a->scope != AL_SCOPE_INSTANCE))
            continue;
        size_t cnt = 0;
        for (size_t k = 0; k < n; k++)
            cnt += prefers(&auths[k], a);
        if (!cnt)
            continue;
        const struct al_auth **list = al_arena_alloc(arena, cnt * sizeof(*list));
        for (size_t k = 0; k < n; k++)
            if (prefers(&auths[k], a))
                list[a->n_overridden_by++] = &auths[k];
        a->overridden_by = list;
    }
}

/* ---- the finder's order: which entry takes whose place ---- */

static bool kept_listed(const struct al_auth *a, enum al_scope scope)
{
    return a->section == AL_CI_ACCESS && a->scope == scope && !a->past_limit && a->id;
}

/* Projects contain no projects: a projects entry with a listed project (or
 * the configuration project) under it is a group; a groups entry naming the
 * configuration project is a project. Entries past the limit are evidence
 * too: the path exists whether or not GitLab keeps the entry. */
static void judge_kinds(struct al_auth *auths, size_t n, const struct al_pathix *projects,
                        const char *cp)
{
    for (size_t i = 0; i < n; i++) {
        const struct al_auth *a = &auths[i];
        if (a->section != AL_CI_ACCESS || !a->id || a->scope == AL_SCOPE_IMPLICIT)
            continue;
        if (a->scope == AL_SCOPE_PROJECT) {
            struct al_auth *q = (struct al_auth *)al_pathix_nearest_parent(projects, a->id);
            if (q)
                q->other_kind = true;
        } else if (a->scope == AL_SCOPE_GROUP && !a->past_limit && cp && al_path_eq(a->id, cp)) {
            auths[i].other_kind = true;
        }
    }
    struct al_auth *q = cp ? (struct al_auth *)al_pathix_nearest_parent(projects, cp) : NULL;
    if (q)
        q->other_kind = true;
}

/* The group entry nearest above `path` among those the refresh keeps for
 * their id, when it can match a group. */
static const struct al_auth *nearest_group(const struct al_pathix *groups, const char *path)
{
    const struct al_auth *g = al_pathix_nearest_parent(groups, path);
    return g && !g->entry->id_problem && !g->other_kind ? g : NULL;
}

static void finder_order(struct build *B, struct al_auth *auths, size_t n)
{
    struct al_pathix projects, groups;
    al_pathix_init(&projects, n);
    al_pathix_init(&groups, n);
    for (size_t i = 0; i < n; i++) {
        if (kept_listed(&auths[i], AL_SCOPE_PROJECT))
            al_pathix_add(&projects, auths[i].id, &auths[i]);
        else if (kept_listed(&auths[i], AL_SCOPE_GROUP))
            al_pathix_add(&groups, auths[i].id, &auths[i]);
    }
    const char *cp = B->agent->config_project;
    judge_kinds(auths, n, &projects, cp);
    for (size_t i = 0; i < n; i++) {
        struct al_auth *a = &auths[i];
        if (a->section == AL_CI_ACCESS && a->scope == AL_SCOPE_PROJECT && a->effective &&
            !a->other_kind)
            a->replaces = nearest_group(&groups, a->id);
        else if (a->scope == AL_SCOPE_IMPLICIT && !al_pathix_find(&projects, cp, strlen(cp)))
            a->replaces = nearest_group(&groups, cp);
    }
    al_pathix_free(&projects);
    al_pathix_free(&groups);
}

/* ---- agents ---- */

void al_access_init(struct al_access *m, const struct al_access_opts *o)
{
    memset(m, 0, sizeof(*m));
    m->opts = *o;
    if (o->config_project)
        m->opts.config_project = al_arena_strdup(&m->arena, o->config_project);
}

static void place_agent(struct build *B, const char *config_project)
{
    struct al_access_agent *ag = B->agent;
    if (!config_project)
        return;
    ag->config_project = al_arena_strdup(&B->m->arena, config_project);
    char *root = al_path_root(config_project);
    B->root = al_arena_strdup(&B->m->arena, root);
    free(root);
    B->personal = al_ids_personal(B->m->opts.ids, config_project);
    B->presumed = strcmp(B->root, PERSONAL_ROOT) == 0;
    if (ag->name)
        ag->context = arena_printf(&B->m->arena, "%s:%s", config_project, ag->name);
}

/* The projects and groups lists that have entries, as written. */
static void find_lists(struct al_access_agent *ag, const struct al_agent *agent)
{
    const struct al_config *cfg = &agent->config;
    const struct al_ynode *root = agent->doc ? agent->doc->root : NULL;
    for (size_t i = 0; i < cfg->n_entries;) {
        const struct al_entry *e = &cfg->entries[i];
        size_t k = i;
        while (k < cfg->n_entries && cfg->entries[k].section == e->section &&
               cfg->entries[k].scope == e->scope)
            k++;
        if ((e->scope == AL_SCOPE_PROJECT || e->scope == AL_SCOPE_GROUP) && ag->n_lists < 4) {
            struct al_access_list *l = &ag->lists[ag->n_lists++];
            l->section = e->section;
            l->scope = e->scope;
            l->node = al_ymap_get(al_ymap_get(root, al_section_name(e->section)),
                                  al_scope_list_name(e->scope));
            l->written = l->node && l->node->kind == AL_YSEQ ? l->node->n : 0;
        }
        i = k;
    }
}

struct al_access_agent *al_access_add(struct al_access *m, const struct al_agent *agent,
                                      const char *config_project)
{
    struct al_access_agent *ag = al_arena_alloc(&m->arena, sizeof(*ag));
    struct build B = {m, ag, NULL, false, false};
    ag->name = agent->name;
    ag->path = agent->path;
    ag->rejected = agent->rejected;
    ag->source = agent;
    place_agent(&B, config_project);
    const struct al_config *cfg = &agent->config;
    size_t n = cfg->n_entries + (ag->config_project ? 1 : 0);
    struct al_auth *auths = al_arena_alloc(&m->arena, (n ? n : 1) * sizeof(*auths));
    size_t k = 0;
    if (ag->config_project)
        implicit(&B, &auths[k++]);
    for (size_t i = 0; i < cfg->n_entries; i++)
        from_entry(&B, &auths[k++], &cfg->entries[i]);
    refresh(&B, auths, n);
    overrides(&m->arena, auths, n);
    finder_order(&B, auths, n);
    ag->auths = auths;
    ag->n_auths = n;
    ag->entry_limit = al_access_entry_limit(&m->opts);
    ag->ids_fold_case = newer_than_17(&m->opts);
    find_lists(ag, agent);
    m->agents = al_grow(m->agents, &m->cap_agents, m->n_agents + 1, sizeof(*m->agents));
    m->agents[m->n_agents++] = ag;
    return ag;
}

void al_access_opts_init(struct al_access_opts *o)
{
    memset(o, 0, sizeof(*o));
}

void al_access_build(const struct al_access_opts *o, const struct al_agent *agents, size_t n,
                     struct al_access *out)
{
    al_access_init(out, o);
    for (size_t i = 0; i < n; i++)
        if (!agents[i].foreign)
            al_access_add(out, &agents[i], out->opts.config_project);
}

const struct al_access_agent *al_access_one(struct al_access *m, const struct al_access_opts *o,
                                            const struct al_agent *agent)
{
    al_access_init(m, o);
    return al_access_add(m, agent, m->opts.config_project);
}

void al_access_free(struct al_access *m)
{
    free(m->agents);
    al_arena_free(&m->arena);
    memset(m, 0, sizeof(*m));
}

const struct al_access_agent *al_access_agent_find(const struct al_access *m, const char *name)
{
    for (size_t i = 0; i < m->n_agents; i++)
        if (m->agents[i]->name && name && strcmp(m->agents[i]->name, name) == 0)
            return m->agents[i];
    return NULL;
}

const struct al_auth *al_access_auth_find(const struct al_access_agent *a, enum al_section s,
                                          enum al_scope scope, const char *id)
{
    for (size_t i = 0; i < a->n_auths; i++) {
        const struct al_auth *x = &a->auths[i];
        if (!x->effective || x->section != s || x->scope != scope)
            continue;
        if (scope == AL_SCOPE_INSTANCE || (x->key && id && al_path_eq(x->key, id)))
            return x;
    }
    return NULL;
}

const char *al_drop_name(enum al_drop d)
{
    static const char *const names[] = {"",           "limit",     "duplicate", "no-id",   "id",
                                        "wrong-kind", "namespace", "personal",  "setting", "unset"};
    return (unsigned)d < sizeof names / sizeof names[0] ? names[d] : "";
}
