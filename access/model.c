/* al_access_build: config entries -> the authorizations GitLab stores, as
 * CiAccess::RefreshService and UserAccess::RefreshService compute them
 * (gitlab-semantics.md §4): per list the first 500 entries, ids indexed
 * lower-cased with the last duplicate winning, ids outside the config
 * project's top-level namespace dropped, and ids that can never match a
 * path dropped. Plus the implicit authorization of the agent's own project
 * and ci_access.instance. */
#include "access/model.h"
#include "model/paths.h"
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
};

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

/* Rails reads the stored JSON: anything but absent, null and false is true. */
static bool truthy(const struct al_ynode *n)
{
    return n && n->kind != AL_YNULL && !(n->kind == AL_YBOOL && !n->v.b);
}

static const char *key_of(struct build *B, const char *id)
{
    if (!id)
        return NULL;
    if (!newer_than_17(&B->m->opts))
        return id;
    char *low = al_str_lower(id);
    const char *k = al_arena_strdup(&B->m->arena, low);
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
    a->protected_branches_only = truthy(e->protected_node);
    /* KAS re-marshals the config without zero values: "" is no namespace. */
    a->default_namespace =
        e->default_namespace && *e->default_namespace ? e->default_namespace : NULL;
    a->entry = e;
    a->path = B->agent->path;
    const struct al_ynode *at = e->node ? e->node : e->id_node;
    a->line = at ? at->pos.line : 0;
    a->col = at ? at->pos.col : 0;
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
    drop(a, AL_DROP_LIMIT,
         arena_printf(&B->m->arena,
                      "entry %zu of %s.%s: GitLab keeps only the first %zu entries of a list and "
                      "ignores the rest",
                      a->entry->index + 1, al_section_name(a->section),
                      al_scope_list_name(a->scope), limit));
}

/* index_by(id.downcase): of equal keys in one list, the last one stays. */
static void drop_duplicates(struct build *B, struct al_auth *auths, size_t n, size_t i)
{
    struct al_auth *a = &auths[i];
    if (!a->effective || !a->key)
        return;
    for (size_t k = n; k-- > i + 1;) {
        struct al_auth *b = &auths[k];
        if (b->drop == AL_DROP_LIMIT || !b->key || !same_list(a, b) || strcmp(a->key, b->key))
            continue;
        a->shadowed_by = b;
        drop(a, AL_DROP_DUPLICATE,
             arena_printf(&B->m->arena,
                          "%s (line %u) names the same %s and comes later; GitLab keeps only the "
                          "last entry for an id (compared case-insensitively)",
                          b->label, b->line, a->scope == AL_SCOPE_GROUP ? "group" : "project"));
        return;
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

static void drop_namespace(struct build *B, struct al_auth *a)
{
    const struct al_access_opts *o = &B->m->opts;
    if (!B->root || al_path_cross_root(a->section, o->gitlab_version, o->instance_authorization))
        return;
    if (a->scope == AL_SCOPE_GROUP && B->personal) {
        drop(a, AL_DROP_PERSONAL,
             arena_printf(&B->m->arena,
                          "the configuration project is in the personal namespace %s, and GitLab "
                          "never authorizes groups for it (%s)",
                          B->root, unless_setting(B, a->section)));
        return;
    }
    char *root = al_path_root(a->id);
    bool inside = al_path_eq(root, B->root);
    free(root);
    if (!inside)
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
    if (a->entry->node && a->entry->node->kind != AL_YMAP)
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
    for (size_t i = 0; i < n; i++)
        if (auths[i].scope != AL_SCOPE_IMPLICIT && auths[i].scope != AL_SCOPE_INSTANCE)
            drop_duplicates(B, auths, n, i);
    for (size_t i = 0; i < n; i++) {
        if (auths[i].scope == AL_SCOPE_INSTANCE)
            check_instance(B, &auths[i]);
        else if (auths[i].scope != AL_SCOPE_IMPLICIT)
            check_id(B, &auths[i]);
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
        if (!a->effective || a->section != AL_CI_ACCESS ||
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
    if (ag->name)
        ag->context = arena_printf(&B->m->arena, "%s:%s", config_project, ag->name);
}

struct al_access_agent *al_access_add(struct al_access *m, const struct al_agent *agent,
                                      const char *config_project)
{
    struct al_access_agent *ag = al_arena_alloc(&m->arena, sizeof(*ag));
    struct build B = {m, ag, NULL, false};
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
    ag->auths = auths;
    ag->n_auths = n;
    m->agents = al_grow(m->agents, &m->cap_agents, m->n_agents + 1, sizeof(*m->agents));
    m->agents[m->n_agents++] = ag;
    return ag;
}

int al_access_build(const struct al_access_opts *o, const struct al_agent *agents, size_t n,
                    struct al_access *out)
{
    al_access_init(out, o);
    for (size_t i = 0; i < n; i++)
        if (!agents[i].foreign)
            al_access_add(out, &agents[i], out->opts.config_project);
    return 0;
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
