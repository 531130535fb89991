/* What the semantic rules share: the lists of an agent's configuration as
 * written, and one way to report a finding on an entry. What GitLab keeps
 * of them is the access model's (access/model.h, al_agent.verdicts).
 *
 * Every helper is linear in the number of entries: rules run on 500-entry
 * lists of hundreds of agents on every commit. */
#ifndef AL_RULES_UTIL_H
#define AL_RULES_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "checks/check.h"
#include "model/config.h"
#include "checks/finding.h"

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

/* Format a list of strings as "a, b, c" into b. */
void al_rule_join(struct al_buf *b, const char *const *items, size_t n);

#endif
