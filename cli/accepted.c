/* Walks back a rejected file's history (validator/source.h's
 * al_repo_file_versions), checking each distinct version alone with the
 * run's own context (settings, GitLab version): the first one whose agent
 * is not rejected is the answer. Bounded by AL_ACCEPTED_MAX_COMMITS commits;
 * each version is checked once, however many commits kept it. */
#include "cli/accepted.h"
#include "checks/run.h"
#include "model/source.h"

#include "common/alloc.h"

#include <stdlib.h>
#include <string.h>

struct walk {
    const struct al_session *s;
    const char *path;
    char *found; /* 41 bytes */
};

static bool accepted(void *ud, const char *sha, const char *data, size_t len)
{
    struct walk *w = ud;
    struct al_source *src = al_source_new(AL_SRC_REVISION);
    /* Agents are found by their directory, as in a loaded source. */
    const char *slash = strrchr(w->path, '/');
    char *dir = al_strndup(w->path, slash ? (size_t)(slash - w->path) : 0);
    al_source_add(src, dir, AL_FILE_DIR, NULL, 0);
    free(dir);
    struct al_file *f = al_source_add(src, w->path, AL_FILE_REGULAR, data, len);
    al_file_index_lines(f);
    struct al_run_opts ro;
    al_run_opts_init(&ro, &w->s->ctx);
    struct al_run r;
    al_run_build(&ro, src, &r);
    const struct al_agent *a = NULL;
    for (size_t i = 0; i < r.report.n_agents && !a; i++)
        if (strcmp(r.report.agents[i].path, w->path) == 0)
            a = &r.report.agents[i];
    bool ok = a && !a->rejected;
    if (ok)
        memcpy(w->found, sha, 41);
    al_run_free(&r);
    al_source_free(src);
    return ok;
}

void al_accepted_find(const struct al_session *s, struct al_access *m)
{
    if (!s->repo || !s->source)
        return;
    char start[41];
    if (s->source->revision)
        memcpy(start, s->source->revision, 41);
    else if (al_repo_resolve(s->repo, "HEAD", start) < 0)
        return; /* an unborn branch: no history */
    for (size_t i = 0; i < m->n_agents; i++) {
        struct al_access_agent *ag = m->agents[i];
        if (!ag->rejected || !ag->path)
            continue;
        struct walk w = {s, ag->path, ag->last_accepted};
        int n =
            al_repo_file_versions(s->repo, start, ag->path, AL_ACCEPTED_MAX_COMMITS, accepted, &w);
        ag->history_walked = n > 0 ? (unsigned)n : 0;
    }
}
