/* The typed model of one agent's configuration: the ci_access and user_access
 * entries as written, in file order, each with its source position. Semantic
 * rules read it, and the access model (access/) turns it into the
 * authorizations GitLab would store.
 *
 * Extraction is tolerant: a value of the wrong type is skipped (the schema
 * check reports it), so a partly broken file still yields what it says.
 *
 * The config owns its strings (its arena), positions and flags: it outlives
 * the YAML document. The node pointers are for the per-agent rules only,
 * which run while the document is loaded; al_config_detach clears them
 * before the document is freed, so that a run holds one agent's tree at a
 * time (10,000 agents: about 35 KB each otherwise). */
#ifndef AL_CONFIG_H
#define AL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "common/alloc.h"
#include "model/yaml.h"

enum al_section { AL_CI_ACCESS, AL_USER_ACCESS };

enum al_scope {
    AL_SCOPE_PROJECT,
    AL_SCOPE_GROUP,
    AL_SCOPE_IMPLICIT, /* the agent's own configuration project (never written) */
    AL_SCOPE_INSTANCE, /* ci_access.instance */
};

enum al_access_as {
    AL_AS_AGENT, /* also: access_as absent or null */
    AL_AS_CI_JOB,
    AL_AS_IMPERSONATE,
    AL_AS_CI_USER,
    AL_AS_USER, /* user_access only */
};

struct al_extra {
    const char *key;
    const char **vals;
    size_t n_vals;
};

struct al_impersonate {
    const char *username;
    const char **groups;
    size_t n_groups;
    const char *uid;
    struct al_extra *extra;
    size_t n_extra;
};

struct al_entry {
    enum al_section section;
    enum al_scope scope;
    size_t index;                /* position in its list, 0-based */
    const char *id;              /* as written; NULL when not a string */
    struct al_ypos pos;          /* where the entry starts (its mapping, or instance's key) */
    const struct al_ynode *node; /* the entry's mapping (per-agent phase only, see above) */
    const struct al_ynode *id_node;
    /* Why the id can never match a GitLab path (al_id_problem), or NULL:
     * computed once here, read by every rule that needs it. */
    const char *id_problem;
    enum al_access_as access_as;
    bool access_as_set; /* written with a member */
    const struct al_ynode *access_as_node;
    struct al_impersonate imp; /* when access_as is impersonate */
    const char **environments; /* non-empty strings, in order */
    const struct al_ynode **env_nodes;
    size_t n_env;
    bool has_environments;        /* the key is present with items */
    bool protected_branches_only; /* written as the boolean true */
    /* protected_branches_only present and neither null nor false: what Rails
     * reads from the value KAS stores. */
    bool protected_truthy;
    const struct al_ynode *protected_node;
    /* ci_access.instance written without a value (null): protojson reads it
     * as unset. */
    bool instance_unset;
    const char *default_namespace;
    bool resource_management;
};

struct al_config {
    struct al_arena arena;
    struct al_entry *entries; /* ci_access projects, groups, instance; user_access ... */
    size_t n_entries;
    size_t n_listed; /* entries of projects and groups lists */
    bool has_ci_access, has_user_access;
    enum al_access_as user_access_as; /* AL_AS_AGENT or AL_AS_USER */
    bool user_access_as_valid;        /* exactly one member set */
    const struct al_ynode *user_access_node;
};

/* Build the model from a document root (NULL for an empty file). */
void al_config_build(struct al_config *cfg, const struct al_ynode *root);
void al_config_free(struct al_config *cfg);
/* Forget the YAML nodes (the document is about to be freed); everything
 * else stays. */
void al_config_detach(struct al_config *cfg);

const char *al_section_name(enum al_section s); /* "ci_access" | "user_access" */
const char *al_scope_name(enum al_scope s);     /* "project" | "group" | ... */
const char *al_access_as_name(enum al_access_as a);
/* "projects" | "groups" | "instance" */
const char *al_scope_list_name(enum al_scope s);

#endif
