/* Numeric GitLab ids for full paths, from `--ids FILE` (repeatable).
 *
 * The identities GitLab impersonates and the RBAC subjects that bind them
 * carry numeric ids (gitlab:project:42), while config.yaml names paths.
 * agentlint never guesses an id: it takes them from what the GitLab API
 * returns, saved to a file, or from a small map written by hand:
 *
 *   GET /groups/:id/projects, /groups/:id/descendant_groups   (arrays)
 *   GET /projects/:id, /groups/:id, /namespaces/:id           (objects)
 *   GET /projects/:id/cluster_agents                          (agent ids)
 *   {projects: {PATH: ID}, groups: {PATH: ID}, agents: {PATH:NAME: ID}}
 *
 * Projects carry `id` + `path_with_namespace` (and `namespace`, whose `kind`
 * tells a personal namespace from a group, and whose `id` is the group's);
 * groups carry `id` + `full_path`. Lookups are case-insensitive, as GitLab's
 * routes are. */
#ifndef AL_IDS_H
#define AL_IDS_H

#include <stdbool.h>
#include <stddef.h>

enum al_ids_kind {
    AL_IDS_PROJECT,
    AL_IDS_GROUP,
    AL_IDS_AGENT,          /* key "CONFIG_PROJECT:AGENT_NAME" */
    AL_IDS_USER_NAMESPACE, /* a personal namespace (id may be unknown: 0) */
};

struct al_ids;

struct al_ids *al_ids_new(void);
void al_ids_free(struct al_ids *ids);

/* Add the ids in `data` (JSON or YAML, either form above). `origin` names
 * the input in messages. Returns < 0 with one sentence in al_error_last()
 * when the input is neither form or contradicts ids loaded before. */
int al_ids_load(struct al_ids *ids, const char *data, size_t len, const char *origin);
/* The same for a file ("-" reads standard input). */
int al_ids_load_file(struct al_ids *ids, const char *path);

/* The id of `path` of that kind, or -1 when unknown. For AL_IDS_AGENT the
 * key is "CONFIG_PROJECT:AGENT". */
long long al_ids_get(const struct al_ids *ids, enum al_ids_kind kind, const char *path);
/* Whether `path` (a top-level namespace or anything under one) is known to
 * be in a personal namespace. false when unknown. */
bool al_ids_personal(const struct al_ids *ids, const char *path);
/* Whether `path` is known at all as that kind (for ids that name a project
 * under groups, or the reverse). */
bool al_ids_known(const struct al_ids *ids, enum al_ids_kind kind, const char *path);
/* Number of ids of that kind. */
size_t al_ids_count(const struct al_ids *ids, enum al_ids_kind kind);
/* The paths of that kind with a known id (lower-cased, as stored), sorted;
 * rbac looks for the projects under a group entry. The array is the
 * caller's to free, the strings stay with `ids`. */
size_t al_ids_paths(const struct al_ids *ids, enum al_ids_kind kind, const char ***out);

#endif
