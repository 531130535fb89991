/* An agent as GitLab's agent server sees it: its name, its config.yaml, the
 * parsed document and typed config, and whether the file is in force. */
#ifndef AL_AGENT_H
#define AL_AGENT_H

#include <stdbool.h>

#include "model/config.h"
#include "model/env.h"
#include "model/source.h"
#include "model/yaml.h"

/* GitLab's limit on config.yaml (agent.configuration.max_configuration_file_size). */
enum { AL_MAX_CONFIG_SIZE = 128 * 1024 };
/* Files up to twice that are still checked in full, so that trimming a file
 * shows what else is wrong with it; larger ones only get their file-size
 * finding: a parse costs time linear in the size, and nothing past this
 * size is worth it (GitLab reads none of it). */
enum { AL_MAX_PARSE_SIZE = 2 * AL_MAX_CONFIG_SIZE };

struct al_access_agent;

struct al_agent {
    char *name;                 /* agent name, or NULL for a plain file without one */
    char *path;                 /* config path as reported (.gitlab/agents/NAME/config.yaml) */
    const struct al_file *file; /* NULL when the agent has no config.yaml */
    /* The parsed document, during the per-agent phase (parse, schema, rules)
     * only: it is freed then, and NULL after the run (model/config.h). */
    struct al_ydoc *doc;
    struct al_config config; /* owns what it holds: valid for the whole run */
    bool empty;              /* a config.yaml with no document in it (nothing parsed, or no root) */
    bool rejected;           /* GitLab's agent server would refuse this file */
    bool foreign;            /* not an agent configuration (a Duo Agent Platform file) */
    /* While its per-agent rules run (checks/check.c): what GitLab keeps of
     * its config and why (access/model.h, al_access_one); NULL otherwise.
     * Only a pointer to a higher layer's type, never dereferenced here. */
    const struct al_access_agent *verdicts;
};

/* Whether `name` is a valid agent name (GitLab's regex, at most 63 chars). */
bool al_agent_name_valid(const char *name);
/* The agent name KAS derives from a repository path, or NULL (caller frees). */
char *al_agent_from_path(const char *path);

#endif
