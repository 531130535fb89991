/* The typed model of one agent's configuration: the ci_access and user_access
 * entries as written, in file order, each with its source position. Semantic
 * rules read it, and the access model (access/) turns it into the
 * authorizations GitLab would store.
 *
 * Extraction is tolerant: a value of the wrong type is skipped (the schema
 * check reports it), so a partly broken file still yields what it says. */
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
    const struct al_ynode *node; /* the entry's mapping */
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
    bool has_environments; /* the key is present with items */
    bool protected_branches_only;
    const struct al_ynode *protected_node;
    const char *default_namespace;
    bool resource_management;
};

struct al_config {
    struct al_arena arena;
    struct al_entry *entries; /* ci_access projects, groups, instance; user_access ... */
    size_t n_entries;
    size_t n_listed; /* entries of projects and groups lists (kept by al_config_strip) */
    bool has_ci_access, has_user_access;
    enum al_access_as user_access_as; /* AL_AS_AGENT or AL_AS_USER */
    bool user_access_as_valid;        /* exactly one member set */
    const struct al_ynode *user_access_node;
};

/* Build the model from a document root (NULL for an empty file). */
void al_config_build(struct al_config *cfg, const struct al_ynode *root);
void al_config_free(struct al_config *cfg);
/* Drop the entries (everything that points into the YAML document), so that
 * the document can be freed once the rules have run: what remains is the
 * counts (n_listed) and the user_access summary. */
void al_config_strip(struct al_config *cfg);

const char *al_section_name(enum al_section s); /* "ci_access" | "user_access" */
const char *al_scope_name(enum al_scope s);     /* "project" | "group" | ... */
const char *al_access_as_name(enum al_access_as a);
/* "projects" | "groups" | "instance" */
const char *al_scope_list_name(enum al_scope s);

#endif
