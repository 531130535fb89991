/* check --changed: which agents a change touches, compared with HEAD (the
 * index for the pre-commit hook, the working tree otherwise), so that a
 * commit to one agent is not blocked or flooded by another's findings. */
#ifndef AL_CHANGE_H
#define AL_CHANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/finding.h"
#include "model/source.h"

struct al_change {
    bool everything; /* no HEAD yet, or .agentlint.yaml changed */
    char **paths;    /* changed paths (either side) */
    size_t n_paths;
    char **agents; /* names of agents with a changed file */
    size_t n_agents;
};

/* Compare `src` with the HEAD commit of `repo`. Returns < 0 with a sentence
 * when HEAD exists but cannot be read. */
int al_change_load(struct al_repo *repo, const struct al_source *src, struct al_change **out);
void al_change_free(struct al_change *s);
/* Whether a finding belongs to the change: its agent changed, or its file
 * (a file next to the agents, a look-alike path) did. */
bool al_change_keeps(const struct al_change *s, const struct al_finding *f);

#endif
