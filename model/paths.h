/* GitLab full paths (group/subgroup/project) as ci_access ids: how GitLab
 * compares them (lower-cased, full path only), how they nest, and which ids
 * can never match anything. Shared by the semantic rules and the access
 * model so both read an id the same way. */
#ifndef AL_PATHS_H
#define AL_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/config.h"

/* Lower-cased copy (GitLab's routes match LOWER(path) = LOWER(id)). */
char *al_path_lower(const char *path);
/* Case-insensitive equality of two full paths. */
bool al_path_eq(const char *a, const char *b);
/* Whether `path` lies under group `group` (a/b/c is under a and a/b, not
 * under a/b/c itself), case-insensitively. */
bool al_path_within(const char *path, const char *group);
/* The top-level namespace of a path ("a" for a/b/c), as a new string. */
char *al_path_root(const char *path);
/* The parent group of a path ("a/b" for a/b/c), or NULL for a top-level one. */
char *al_path_parent(const char *path);
/* Number of segments ("a/b/c" -> 3). */
size_t al_path_depth(const char *path);

/* Why an id can never match a GitLab path, or NULL when it may match.
 * `scope` is AL_SCOPE_PROJECT or AL_SCOPE_GROUP. The sentence starts with a
 * lower-case letter and names the fix, e.g. "a URL, not a path: write
 * group/project". When `fix` is not NULL it receives a corrected id
 * (caller frees) where one can be derived (trimmed slashes, URL path). */
const char *al_id_problem(const char *id, enum al_scope scope, char **fix);

/* Whether GitLab keeps a section's projects and groups outside the
 * configuration project's top-level namespace: only when the self-managed
 * admin setting organization_cluster_agent_authorization_enabled is on, and
 * only from the version al_path_cross_root_since names (`gitlab_version` 0:
 * the newest). Before it, RefreshService may store such ids but the finder
 * never picks them. */
bool al_path_cross_root(enum al_section s, int gitlab_version, bool instance_authorization);
/* 1801 for ci_access (MR 190769), 1804 for user_access (MR 202853). */
int al_path_cross_root_since(enum al_section s);

#endif
