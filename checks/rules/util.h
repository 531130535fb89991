/* What the semantic rules share: the lists of an agent's configuration as
 * GitLab's RefreshService sees them (per section and scope, capped, indexed
 * by lower-cased id), and one way to report a finding on an entry.
 *
 * Every helper is linear or n log n in the number of entries: rules run on
 * 500-entry lists of hundreds of agents on every commit. */
#ifndef AL_RULES_UTIL_H
#define AL_RULES_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "checks/check.h"
#include "model/config.h"
#include "checks/finding.h"

/* GitLab 17.0 raised the per-list limit from 100 to 500 and started
 * comparing ids case-insensitively (RefreshService). */
enum { AL_GITLAB_17_0 = 1700 };

/* One `projects` or `groups` list of one section, as written. */
struct al_rule_list {
    enum al_section section;
    enum al_scope scope;
    const struct al_entry *entries; /* contiguous in the config, file order */
    size_t n;
    const struct al_ynode *node; /* the YAML sequence */
};

/* The (at most four) projects/groups lists an agent has, in file model
 * order: ci_access projects, groups; user_access projects, groups. */
size_t al_rule_lists(const struct al_agent *a, struct al_rule_list out[4]);

/* How many entries of a list GitLab keeps for the target version. */
size_t al_rule_entry_cap(const struct al_check_ctx *ctx);
/* Whether GitLab compares ids case-insensitively for the target version. */
bool al_rule_ids_fold_case(const struct al_check_ctx *ctx);

/* "ci_access.projects[3]" followed by `suffix` (may be NULL or ".id"). */
void al_rule_entry_path(struct al_buf *b, const struct al_entry *e, const char *suffix);
/* Where an entry's id is written (its value, else the entry). */
struct al_ypos al_rule_id_pos(const struct al_entry *e);

/* Add a finding of `rule` for agent `a` at `pos`, with key_path and value
 * (either may be NULL). Returns it for further setters. */
struct al_finding *al_rule_report(struct al_findings *out, const struct al_agent *a,
                                  const char *rule, struct al_ypos pos, const char *key_path,
                                  const char *value, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* The same for an entry: key_path is the entry's path plus `suffix`, the
 * value its id. */
struct al_finding *al_rule_report_entry(struct al_findings *out, const struct al_agent *a,
                                        const char *rule, const struct al_entry *e,
                                        struct al_ypos pos, const char *suffix, const char *fmt,
                                        ...) __attribute__((format(printf, 7, 8)));

/* Entries keyed by id, sorted case-insensitively (ties in file order), for
 * O(log n) lookups of a path or of any prefix of it. */
struct al_rule_key {
    const char *id;
    size_t len;
    const struct al_entry *e;
};

struct al_rule_index {
    struct al_rule_key *keys;
    size_t n;
    unsigned *slots; /* hash of the lower-cased id -> key index + 1; 0 = empty */
    size_t n_slots;
};

/* Index the entries of `list` that GitLab keeps (the first `cap`) and whose
 * id is a string. */
void al_rule_index_build(struct al_rule_index *ix, const struct al_rule_list *list, size_t cap);
void al_rule_index_free(struct al_rule_index *ix);
/* The entry GitLab keeps for the id s[0..n) (the last of equal ids), or NULL. */
const struct al_entry *al_rule_index_find(const struct al_rule_index *ix, const char *s, size_t n);
/* Whether `e` is the entry GitLab keeps for its id (no later duplicate). */
bool al_rule_index_wins(const struct al_rule_index *ix, const struct al_entry *e);
/* The entry of the nearest group strictly containing `path` (a/b for a/b/c,
 * else a), or NULL. */
const struct al_entry *al_rule_index_nearest_parent(const struct al_rule_index *ix,
                                                    const char *path);

/* Format a list of strings as "a, b, c" into b. */
void al_rule_join(struct al_buf *b, const char *const *items, size_t n);

#endif
