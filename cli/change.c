#include "cli/change.h"
#include "common/alloc.h"
#include "common/error.h"

#include <stdlib.h>
#include <string.h>

static const char AGENTS[] = ".gitlab/agents/";

static bool same_file(const struct al_file *a, const struct al_file *b)
{
    return a && b && a->kind == b->kind && a->len == b->len && a->size == b->size &&
           (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static bool listed(char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static void note_change(struct al_change *s, const char *path)
{
    if (strcmp(path, ".agentlint.yaml") == 0)
        s->everything = true; /* severities and ignores change every verdict */
    if (listed(s->paths, s->n_paths, path))
        return;
    s->paths = al_realloc(s->paths, (s->n_paths + 1) * sizeof(char *));
    s->paths[s->n_paths++] = al_strdup(path);
    if (strncmp(path, AGENTS, sizeof AGENTS - 1) != 0)
        return;
    const char *name = path + sizeof AGENTS - 1;
    const char *slash = strchr(name, '/');
    char *agent = slash ? al_strndup(name, (size_t)(slash - name)) : al_strdup(name);
    if (listed(s->agents, s->n_agents, agent)) {
        free(agent);
        return;
    }
    s->agents = al_realloc(s->agents, (s->n_agents + 1) * sizeof(char *));
    s->agents[s->n_agents++] = agent;
}

static void compare(struct al_change *s, const struct al_source *a, const struct al_source *b)
{
    for (size_t i = 0; i < a->n_files; i++)
        if (!same_file(&a->files[i], al_source_find(b, a->files[i].path)))
            note_change(s, a->files[i].path);
}

int al_change_load(struct al_repo *repo, const struct al_source *src, struct al_change **out)
{
    struct al_change *s = al_calloc(1, sizeof(*s));
    *out = s;
    char head_id[41];
    if (al_repo_resolve(repo, "HEAD", head_id) < 0) {
        s->everything = true; /* a repository's first commit: all of it is the change */
        return 0;
    }
    struct al_source *head;
    if (al_source_load(repo, AL_SRC_REVISION, head_id, &head) < 0)
        return al_error_set("--changed: cannot read HEAD to compare with (%s)", al_error_last());
    compare(s, src, head);
    compare(s, head, src);
    al_source_free(head);
    return 0;
}

void al_change_free(struct al_change *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_paths; i++)
        free(s->paths[i]);
    for (size_t i = 0; i < s->n_agents; i++)
        free(s->agents[i]);
    free(s->paths);
    free(s->agents);
    free(s);
}

bool al_change_keeps(const struct al_change *s, const struct al_finding *f)
{
    if (s->everything || listed(s->paths, s->n_paths, f->path))
        return true;
    if (f->agent && listed(s->agents, s->n_agents, f->agent))
        return true;
    /* A file of a changed agent's directory (a secret next to its config). */
    for (size_t i = 0; i < s->n_agents; i++) {
        size_t n = strlen(s->agents[i]);
        if (strncmp(f->path, AGENTS, sizeof AGENTS - 1) == 0 &&
            strncmp(f->path + sizeof AGENTS - 1, s->agents[i], n) == 0 &&
            f->path[sizeof AGENTS - 1 + n] == '/')
            return true;
    }
    return false;
}
