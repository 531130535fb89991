#include "model/config.h"
#include "model/paths.h"

#include <stdlib.h>
#include <string.h>

/* A string scalar's text, copied into the config (it outlives the document). */
static const char *str_of(struct al_config *cfg, const struct al_ynode *n)
{
    return n && n->kind == AL_YSTR ? al_arena_strndup(&cfg->arena, n->str, n->len) : NULL;
}

static const char **strings(struct al_config *cfg, const struct al_ynode *seq, size_t *n,
                            const struct al_ynode ***nodes)
{
    *n = 0;
    if (!seq || seq->kind != AL_YSEQ)
        return NULL;
    const char **out = al_arena_alloc(&cfg->arena, (seq->n + 1) * sizeof(char *));
    const struct al_ynode **outn = al_arena_alloc(&cfg->arena, (seq->n + 1) * sizeof(void *));
    for (size_t i = 0; i < seq->n; i++) {
        const struct al_ynode *it = seq->items[i];
        if (it->kind == AL_YSTR && *it->str) {
            outn[*n] = it;
            out[(*n)++] = str_of(cfg, it);
        }
    }
    if (nodes)
        *nodes = outn;
    return out;
}

static void read_impersonate(struct al_config *cfg, struct al_impersonate *imp,
                             const struct al_ynode *n)
{
    imp->username = str_of(cfg, al_ymap_get(n, "username"));
    imp->groups = strings(cfg, al_ymap_get(n, "groups"), &imp->n_groups, NULL);
    imp->uid = str_of(cfg, al_ymap_get(n, "uid"));
    const struct al_ynode *extra = al_ymap_get(n, "extra");
    if (extra && extra->kind == AL_YSEQ) {
        imp->extra = al_arena_alloc(&cfg->arena, (extra->n + 1) * sizeof(*imp->extra));
        for (size_t i = 0; i < extra->n; i++) {
            const struct al_ynode *it = extra->items[i];
            const char *key = str_of(cfg, al_ymap_get(it, "key"));
            if (!key)
                continue;
            struct al_extra *e = &imp->extra[imp->n_extra++];
            e->key = key;
            e->vals = strings(cfg, al_ymap_get(it, "val"), &e->n_vals, NULL);
        }
    }
}

static void read_access_as(struct al_config *cfg, struct al_entry *e, const struct al_ynode *n)
{
    e->access_as = AL_AS_AGENT;
    e->access_as_node = n;
    if (!n || n->kind != AL_YMAP)
        return;
    static const struct {
        const char *name;
        enum al_access_as as;
    } members[] = {{"agent", AL_AS_AGENT},
                   {"ci_job", AL_AS_CI_JOB},
                   {"impersonate", AL_AS_IMPERSONATE},
                   {"ci_user", AL_AS_CI_USER},
                   {"user", AL_AS_USER}};
    /* The first member that is set (the schema check reports extra ones). */
    for (size_t i = 0; i < n->n; i++) {
        for (size_t k = 0; k < sizeof members / sizeof members[0]; k++) {
            if (strcmp(n->pairs[i].name, members[k].name) != 0 || n->pairs[i].val->kind == AL_YNULL)
                continue;
            e->access_as = members[k].as;
            e->access_as_set = true;
            if (e->access_as == AL_AS_IMPERSONATE)
                read_impersonate(cfg, &e->imp, n->pairs[i].val);
            return;
        }
    }
}

static struct al_entry *new_entry(struct al_config *cfg, size_t *cap)
{
    cfg->entries = al_grow(cfg->entries, cap, cfg->n_entries + 1, sizeof(*cfg->entries));
    struct al_entry *e = &cfg->entries[cfg->n_entries++];
    memset(e, 0, sizeof(*e));
    return e;
}

static void read_options(struct al_config *cfg, struct al_entry *e, const struct al_ynode *n)
{
    e->node = n;
    read_access_as(cfg, e, al_ymap_get(n, "access_as"));
    const struct al_ynode *env = al_ymap_get(n, "environments");
    e->environments = strings(cfg, env, &e->n_env, &e->env_nodes);
    e->has_environments = env && env->kind == AL_YSEQ && env->n > 0;
    const struct al_ynode *pbo = al_ymap_get(n, "protected_branches_only");
    e->protected_node = pbo;
    e->protected_branches_only = pbo && pbo->kind == AL_YBOOL && pbo->v.b;
    e->protected_truthy = pbo && pbo->kind != AL_YNULL && !(pbo->kind == AL_YBOOL && !pbo->v.b);
    e->default_namespace = str_of(cfg, al_ymap_get(n, "default_namespace"));
    const struct al_ynode *rm = al_ymap_get(al_ymap_get(n, "resource_management"), "enabled");
    e->resource_management = rm && rm->kind == AL_YBOOL && rm->v.b;
}

static void read_list(struct al_config *cfg, size_t *cap, enum al_section section,
                      enum al_scope scope, const struct al_ynode *list)
{
    if (!list || list->kind != AL_YSEQ)
        return;
    for (size_t i = 0; i < list->n; i++) {
        const struct al_ynode *it = list->items[i];
        if (it->kind != AL_YMAP)
            continue;
        struct al_entry *e = new_entry(cfg, cap);
        e->section = section;
        e->scope = scope;
        e->index = i;
        e->id_node = al_ymap_get(it, "id");
        e->id = str_of(cfg, e->id_node);
        e->pos = it->pos;
        e->id_problem = e->id ? al_id_problem(e->id, scope, NULL) : NULL;
        if (section == AL_CI_ACCESS) {
            read_options(cfg, e, it);
        } else {
            e->node = it;
            e->access_as = cfg->user_access_as;
        }
    }
}

static size_t list_len(const struct al_ynode *section, const char *key)
{
    const struct al_ynode *list = al_ymap_get(section, key);
    return list && list->kind == AL_YSEQ ? list->n : 0;
}

/* The most entries the lists can give: allocated once, so that a run of
 * 10,000 configs does not keep the slack (and the freed copies) of a
 * doubling array per config. */
static void reserve(struct al_config *cfg, size_t *cap, const struct al_ynode *ci,
                    const struct al_ynode *ua)
{
    size_t n = list_len(ci, "projects") + list_len(ci, "groups") + 1 /* instance */ +
               list_len(ua, "projects") + list_len(ua, "groups");
    cfg->entries = al_malloc(n * sizeof(*cfg->entries));
    *cap = n;
}

void al_config_build(struct al_config *cfg, const struct al_ynode *root)
{
    memset(cfg, 0, sizeof(*cfg));
    size_t cap = 0;
    const struct al_ynode *ci = al_ymap_get(root, "ci_access");
    const struct al_ynode *ua = al_ymap_get(root, "user_access");
    cfg->has_ci_access = ci && ci->kind == AL_YMAP;
    cfg->has_user_access = ua && ua->kind == AL_YMAP;
    reserve(cfg, &cap, cfg->has_ci_access ? ci : NULL, cfg->has_user_access ? ua : NULL);
    if (cfg->has_ci_access) {
        read_list(cfg, &cap, AL_CI_ACCESS, AL_SCOPE_PROJECT, al_ymap_get(ci, "projects"));
        read_list(cfg, &cap, AL_CI_ACCESS, AL_SCOPE_GROUP, al_ymap_get(ci, "groups"));
        const struct al_ypair *inst = al_ymap_pair(ci, "instance");
        if (inst && (inst->val->kind == AL_YMAP || inst->val->kind == AL_YNULL)) {
            struct al_entry *e = new_entry(cfg, &cap);
            e->section = AL_CI_ACCESS;
            e->scope = AL_SCOPE_INSTANCE;
            e->id_node = inst->key;
            read_options(cfg, e, inst->val);
            e->node = inst->val->kind == AL_YMAP ? inst->val : inst->key;
            e->pos = e->node->pos;
            e->instance_unset = inst->val->kind != AL_YMAP;
        }
    }
    if (cfg->has_user_access) {
        cfg->user_access_node = ua;
        const struct al_ynode *as = al_ymap_get(ua, "access_as");
        size_t set = 0;
        cfg->user_access_as = AL_AS_AGENT;
        for (size_t i = 0; as && as->kind == AL_YMAP && i < as->n; i++) {
            if (as->pairs[i].val->kind == AL_YNULL)
                continue;
            if (strcmp(as->pairs[i].name, "user") == 0) {
                if (!set)
                    cfg->user_access_as = AL_AS_USER;
                set++;
            } else if (strcmp(as->pairs[i].name, "agent") == 0) {
                set++;
            }
        }
        cfg->user_access_as_valid = set == 1;
        read_list(cfg, &cap, AL_USER_ACCESS, AL_SCOPE_PROJECT, al_ymap_get(ua, "projects"));
        read_list(cfg, &cap, AL_USER_ACCESS, AL_SCOPE_GROUP, al_ymap_get(ua, "groups"));
    }
    for (size_t i = 0; i < cfg->n_entries; i++)
        cfg->n_listed +=
            cfg->entries[i].scope == AL_SCOPE_PROJECT || cfg->entries[i].scope == AL_SCOPE_GROUP;
}

void al_config_free(struct al_config *cfg)
{
    free(cfg->entries);
    al_arena_free(&cfg->arena);
    memset(cfg, 0, sizeof(*cfg));
}

void al_config_detach(struct al_config *cfg)
{
    for (size_t i = 0; i < cfg->n_entries; i++) {
        struct al_entry *e = &cfg->entries[i];
        e->node = e->id_node = e->access_as_node = e->protected_node = NULL;
        e->env_nodes = NULL;
    }
    cfg->user_access_node = NULL;
}

const char *al_section_name(enum al_section s)
{
    return s == AL_CI_ACCESS ? "ci_access" : "user_access";
}

const char *al_scope_name(enum al_scope s)
{
    switch (s) {
    case AL_SCOPE_PROJECT:
        return "project";
    case AL_SCOPE_GROUP:
        return "group";
    case AL_SCOPE_IMPLICIT:
        return "implicit";
    case AL_SCOPE_INSTANCE:
        return "instance";
    }
    return "?";
}

const char *al_scope_list_name(enum al_scope s)
{
    switch (s) {
    case AL_SCOPE_PROJECT:
        return "projects";
    case AL_SCOPE_GROUP:
        return "groups";
    default:
        return "instance";
    }
}

const char *al_access_as_name(enum al_access_as a)
{
    switch (a) {
    case AL_AS_AGENT:
        return "agent";
    case AL_AS_CI_JOB:
        return "ci_job";
    case AL_AS_IMPERSONATE:
        return "impersonate";
    case AL_AS_CI_USER:
        return "ci_user";
    case AL_AS_USER:
        return "user";
    }
    return "?";
}
