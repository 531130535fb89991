/* The access model: per agent, the authorizations GitLab stores for its
 * config.yaml (gitlab-semantics.md §4), each with why it is or is not in
 * force. `explain` prints it, `diff` compares two of them, `rbac` binds the
 * identities of its effective entries, and access/decide.h answers one job's
 * question from it.
 *
 * The model borrows from the agents it was built from (their typed
 * configs' entries and strings, never YAML nodes): keep them alive while the
 * model is used, free the model first. */
#ifndef AL_MODEL_H
#define AL_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "model/ids.h"
#include "common/alloc.h"
#include "model/agent.h"
#include "model/config.h"

/* Why an authorization is not in force (AL_DROP_NONE: it is). */
enum al_drop {
    AL_DROP_NONE,
    AL_DROP_LIMIT,      /* past the first 500 (100 before 17.0) entries of its list */
    AL_DROP_DUPLICATE,  /* a later entry of the list has the same id: shadowed_by wins */
    AL_DROP_NO_ID,      /* the id is missing or not a string */
    AL_DROP_ID,         /* the id can never match a path (URL, number, ...) */
    AL_DROP_WRONG_KIND, /* --ids knows it as a project under groups, or the reverse */
    AL_DROP_NAMESPACE,  /* outside the configuration project's top-level namespace */
    AL_DROP_PERSONAL,   /* a group entry of a configuration project in a personal namespace */
    AL_DROP_SETTING,    /* ci_access.instance without the admin setting (or before 17.11) */
    AL_DROP_UNSET,      /* `instance:` with no value: protojson reads null as unset */
};

struct al_access_agent;

struct al_auth {
    const struct al_access_agent *agent;
    enum al_section section;
    enum al_scope scope;
    const char *id;    /* as written; implicit: the config project; instance: NULL */
    const char *key;   /* as GitLab stores and compares it (lower-cased from 17.0), or NULL */
    const char *label; /* where it is written: "ci_access.projects[2]", "implicit", ... */
    enum al_access_as access_as;
    const struct al_impersonate *imp; /* access_as impersonate, else NULL */
    const char *const *environments;  /* non-empty strings, in file order */
    size_t n_env;
    bool restricts_env;           /* `environments` is not blank: a job must match one */
    bool protected_branches_only; /* truthy as Rails reads the stored value */
    const char *default_namespace;
    const struct al_entry *entry; /* the entry as written; NULL for implicit */
    const char *path;             /* the config file */
    unsigned line, col;           /* 1-based; 0 for implicit */

    bool effective;                    /* GitLab stores it and the finder can pick it */
    enum al_drop drop;                 /* why not, when !effective */
    const char *why;                   /* that reason as a sentence, or NULL */
    const struct al_auth *shadowed_by; /* AL_DROP_DUPLICATE: the later entry that wins */
    /* Effective entries of the same agent that GitLab prefers for part of
     * what this one covers (for a group: project and nearer group entries
     * inside it, and the implicit authorization of a config project inside
     * it). The winner is used whole, never merged. */
    const struct al_auth **overridden_by;
    size_t n_overridden_by;

    /* The verdicts one by one (`drop` names only the first that applies),
     * for the rules that word them (entry-limit, duplicate-id, namespace,
     * override); implicit and instance authorizations have none of them. */
    bool past_limit; /* AL_DROP_LIMIT; shadowed_by is set for every duplicate within the limit */
    /* AL_DROP_NAMESPACE or AL_DROP_PERSONAL: the id lies outside what the
     * configuration project may authorize, duplicate or not (entries within
     * the limit with a usable id; the project known). AL_DROP_PERSONAL is
     * also said of a configuration project under `root`, the administrator's
     * user on every self-managed instance, without dropping the entry: only
     * --ids makes that certain, and the model never hides access on a guess. */
    enum al_drop outside;
    /* The text shows the id names the other kind: a projects entry that
     * another listed project (or the configuration project) lies under is a
     * group, a groups entry naming the configuration project is a project.
     * GitLab matches nothing for it; id-format says so. */
    bool other_kind;
    /* ci_access: the nearest group entry whose place this one takes for its
     * jobs, whole (the finder picks the most specific, gitlab-semantics.md
     * §5.1): for a projects entry, the group entry nearest above it; for the
     * implicit authorization, the group entry nearest above the configuration
     * project when no projects entry names it. NULL when none. */
    const struct al_auth *replaces;
};

/* One projects or groups list of an agent that has entries, as written: the
 * refresh keeps its first `limit` items, whatever their shape. */
struct al_access_list {
    enum al_section section;
    enum al_scope scope;
    const struct al_ynode *node; /* the YAML sequence */
    size_t written;              /* its items */
};

struct al_access_agent {
    const char *name;           /* NULL for a plain file without an agent name */
    const char *path;           /* its config.yaml */
    const char *config_project; /* full path of the project it is registered in, or NULL */
    const char *context;        /* kubeconfig context CONFIG_PROJECT:NAME, or NULL */
    bool rejected;              /* GitLab would refuse the file: shown is what it says, flagged */
    /* For a rejected file read from a repository (cli/accepted.c): the
     * newest commit of its history whose version GitLab would accept ("" if
     * none was found), and how many commits were walked (0: not searched). */
    char last_accepted[41];
    unsigned history_walked;
    const struct al_agent *source; /* the report's agent (YAML, findings' path) */
    struct al_auth *auths;         /* ci_access (implicit first), then user_access; file order */
    size_t n_auths;
    struct al_access_list lists[4]; /* ci_access projects, groups; user_access projects, groups */
    size_t n_lists;
    size_t entry_limit; /* per list, for the GitLab version */
    bool ids_fold_case; /* ids compared case-insensitively (GitLab 17.0 and later) */
};

struct al_access_opts {
    const char *config_project; /* full path, or NULL when unknown */
    int gitlab_version;         /* al_version_parse form; 0: the newest */
    bool instance_authorization;
    const struct al_ids *ids; /* optional: personal namespaces, projects vs groups */
    size_t entry_limit;       /* 0: GitLab's (500; 100 before 17.0); tests stub it */
};

/* The defaults: configuration project unknown, the newest GitLab, no
 * instance setting, no --ids, GitLab's entry limit. Set fields by name. */
void al_access_opts_init(struct al_access_opts *o);

struct al_access {
    struct al_access_opts opts;
    struct al_access_agent **agents;
    size_t n_agents, cap_agents;
    struct al_arena arena;
};

/* Build the model for every agent of a run (plain-file agents too; files
 * that are not agent configurations are left out). */
void al_access_build(const struct al_access_opts *o, const struct al_agent *agents, size_t n,
                     struct al_access *out);
void al_access_free(struct al_access *m);

/* The same one agent at a time: an empty model, then agents added with
 * their own configuration project (the vectors place agents in several). */
void al_access_init(struct al_access *m, const struct al_access_opts *o);
struct al_access_agent *al_access_add(struct al_access *m, const struct al_agent *agent,
                                      const char *config_project);

/* One agent alone, for the rules that run per agent: `m` is initialised
 * with `o` and holds that agent only (free it with al_access_free). Works
 * whether or not a model of the whole run exists. */
const struct al_access_agent *al_access_one(struct al_access *m, const struct al_access_opts *o,
                                            const struct al_agent *agent);

/* Lookups for views that compare or bind. */
const struct al_access_agent *al_access_agent_find(const struct al_access *m, const char *name);
/* The effective authorization of an agent with that section, scope and key
 * (compared as GitLab compares ids), or NULL. */
const struct al_auth *al_access_auth_find(const struct al_access_agent *a, enum al_section s,
                                          enum al_scope scope, const char *id);
/* The entry limit in force for these options. */
size_t al_access_entry_limit(const struct al_access_opts *o);
const char *al_drop_name(enum al_drop d); /* "limit", "duplicate", ... ("" for none) */

#endif
