/* The commands main dispatches to; each returns the process exit status. */
#ifndef AL_COMMANDS_H
#define AL_COMMANDS_H

#include "cli/options.h"

int al_cmd_check(const struct al_opts *o);
int al_cmd_rules(const struct al_opts *o);
int al_cmd_explain(const struct al_opts *o);
int al_cmd_install_hook(const struct al_opts *o);
int al_cmd_diff(const struct al_opts *o);
int al_cmd_rbac(const struct al_opts *o);
int al_cmd_report(const struct al_opts *o);
int al_cmd_schema(const struct al_opts *o);
int al_cmd_can_i(const struct al_opts *o);
int al_cmd_who_can(const struct al_opts *o);
/* --version: the release, the commit it was built from (the build passes
 * it in; "unknown" when it could not tell) and the GitLab versions the
 * built-in schema knows. */
int al_cmd_version(const char *commit);

/* Print "agentlint: MESSAGE" to standard error and return 2. */
int al_cmd_fail(const char *message);

#endif
