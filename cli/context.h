/* Setting up a command: the schema, the source of configs, .agentlint.yaml,
 * and the check context (GitLab version, environment matching, the
 * configuration project's path and where it came from). main owns all of it. */
#ifndef AL_CONTEXT_H
#define AL_CONTEXT_H

#include <stdbool.h>

#include "model/ids.h"
#include "access/model.h"
#include "cli/options.h"
#include "checks/check.h"
#include "checks/run.h"

struct al_session {
    const struct al_opts *opts;
    struct al_schema *schema;
    struct al_repo *repo; /* NULL for plain files */
    struct al_source *source;
    struct al_settings settings;
    bool have_settings;
    struct al_check_ctx ctx;
    char *project_path; /* owned copy */
    bool color;         /* colour on standard output */
};

/* Open the repository (unless plain files are given) without loading a
 * source. Returns < 0 with a sentence in al_error_last(). */
int al_session_open(struct al_session *s, const struct al_opts *o);
/* Load a source (by the options: worktree, --staged, --rev, or files),
 * settings and the context. */
int al_session_load(struct al_session *s);
/* Settings and context for a source loaded elsewhere (diff). */
int al_session_configure(struct al_session *s, const struct al_source *src);
void al_session_close(struct al_session *s);

/* --ids FILE...: the ids in one table (NULL when none is given). Returns < 0
 * with a sentence when a file cannot be read or used. */
int al_session_ids(const struct al_opts *o, struct al_ids **out);
/* --agents a,b: keep those agents of the model, in its order (explain, and
 * rbac for the agents of one cluster). < 0 when one is not there. */
int al_session_keep_agents(const struct al_opts *o, struct al_access *m);

/* The start of every command that reads the access model: the session's
 * source checked and modelled (al_run_build, with --ids), the last accepted
 * version of each rejected file found, and only --agents kept. The run is
 * built either way (free it with al_run_free); < 0 with a sentence when an
 * --agents name is not there. */
int al_session_run(struct al_session *s, const struct al_opts *o, const struct al_ids *ids,
                   struct al_run *out);

/* "group/sub/project" from a git remote URL (ssh or https, .git stripped), or
 * NULL. Exposed for tests. */
char *al_project_path_from_url(const char *url);

#endif
