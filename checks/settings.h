/* .agentlint.yaml: the repository's own settings for agentlint.
 *
 *   project_path: group/subgroup/agent-config-project
 *   gitlab_version: "17.5"
 *   env_matching: anchored          # or legacy
 *   instance_authorization: false
 *   rules:                          # severity per rule id, or off; the notes a
 *     env-pattern: note             # warning rule reports on purpose stay notes
 *     duplicate-id: off
 *   ignore:                         # paths or globs; a double star matches across slashes
 *     - .gitlab/agents/sandbox/
 *   policy:                         # requirements per agent (validator/policy.h)
 *     preset: production
 *
 * Command-line flags win over these. */
#ifndef AL_SETTINGS_H
#define AL_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/finding.h"
#include "checks/policy.h"

/* A settings file is a few lines; the bound keeps a hostile one cheap. */
enum { AL_SETTINGS_MAX_SIZE = 128 * 1024 };

struct al_rule_severity {
    const char *rule;
    enum al_severity severity; /* AL_SEV_OFF to switch the rule off */
};

struct al_settings {
    struct al_ydoc *doc; /* owns the strings */
    const char *project_path;
    int gitlab_version;         /* 0 when unset */
    int env_matching;           /* -1 unset, else enum al_env_matching */
    int instance_authorization; /* -1 unset, 0, 1 */
    struct al_rule_severity *severities;
    size_t n_severities;
    const char **ignore;
    size_t n_ignore;
    struct al_policy policy;
};

/* Parse settings; `origin` names the file in error messages. Returns < 0
 * with one sentence in al_error_last() when the file is not usable. */
int al_settings_parse(const char *data, size_t len, const char *origin, struct al_settings *out);
void al_settings_free(struct al_settings *s);

/* Whether `path` matches one of the ignore globs. */
bool al_settings_ignores(const struct al_settings *s, const char *path);
/* Glob match: '*' and '?' within a path segment, '**' across segments. */
bool al_glob_match(const char *pattern, const char *path);

#endif
