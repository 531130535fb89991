/* git itself, for what libgit2 1.5 cannot read (a split or sparse index).
 *
 * git runs read-only with an environment built from nothing and options that
 * disarm whatever the repository's own configuration asks for: no system or
 * global configuration, no fsmonitor, no hooks, no pager, no optional locks,
 * no network (protocol.allow=never stops a partial clone's lazy fetch), no
 * replace objects, and safe.directory=* so that a repository owned by another
 * user reads as it does with libgit2. Its stderr is discarded: nothing it
 * says reaches the terminal. */
#ifndef AL_GITCLI_H
#define AL_GITCLI_H

#include <stdbool.h>
#include <stddef.h>

struct al_gitcli;

/* Start `git ARGS...` (args ends with NULL) on the repository at `gitdir`
 * with working tree `workdir` (NULL: none). `what` names the job in
 * sentences ("read the index"). */
int al_gitcli_start(const char *gitdir, const char *workdir, const char *what,
                    const char *const *args, struct al_gitcli **out);
/* The next NUL-terminated record of git's output: 1 and *rec (valid until
 * the next call) when there is one, 0 at the end, < 0 on a read error. */
int al_gitcli_next(struct al_gitcli *g, const char **rec, size_t *len);
/* Wait for git and free `g`: < 0 with a sentence when git failed or is not
 * installed. `abandon`: the caller failed first; stop git, keep its sentence. */
int al_gitcli_finish(struct al_gitcli *g, bool abandon);

#endif
