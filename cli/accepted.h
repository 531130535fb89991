/* The last accepted version of a config GitLab rejects. GitLab keeps the
 * previous configuration in force when it refuses a file; agentlint cannot
 * know which one that is, but in a repository it can name the newest
 * version of the file's history that GitLab would accept, for --rev. */
#ifndef AL_CLI_ACCEPTED_H
#define AL_CLI_ACCEPTED_H

#include "access/model.h"
#include "cli/context.h"

/* How far back the walk goes, in first-parent commits. */
enum { AL_ACCEPTED_MAX_COMMITS = 200 };

/* For every rejected agent of m, walk its file's history from the source's
 * revision (HEAD for the working tree and the index) and set last_accepted
 * and history_walked. Nothing for plain files or an unborn branch. */
void al_accepted_find(const struct al_session *s, struct al_access *m);

#endif
