/* What a change of the agent configurations does to access: two access
 * models (BASE and HEAD, built with the same options) compared
 * authorization by authorization, paired by (agent, section, scope, id as
 * GitLab compares it). Only what GitLab keeps in force counts: an entry
 * that stops being effective (past the 500 limit, now a duplicate) is
 * removed, one that becomes effective is added. Each change is classified
 * by what it does to the jobs (or users) it governs:
 *
 *   widened   more jobs, environments, refs or a broader identity
 *   narrowed  fewer
 *   mixed     some of both (a different identity, environments swapped)
 *   neutral   neither (default_namespace, the spelling of an id)
 *
 * A config GitLab would reject at HEAD changes nothing: the agent server
 * keeps the previous configuration in force (gitlab-semantics.md §1), so
 * that agent's in-force authorizations at HEAD are those of BASE. A
 * missing or empty config.yaml is an empty configuration: GitLab deletes
 * all of the agent's authorizations, while the implicit one of its own
 * project lasts as long as the agent stays registered. */
#ifndef AL_DIFF_H
#define AL_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "access/model.h"
#include "common/alloc.h"
#include "checks/check.h"

enum al_diff_change { AL_DIFF_ADDED, AL_DIFF_REMOVED, AL_DIFF_CHANGED };

/* A bit set: combining two effects is their union (widened | narrowed is
 * mixed). */
enum al_diff_effect {
    AL_EFFECT_NEUTRAL = 0,
    AL_EFFECT_NARROWED = 1,
    AL_EFFECT_WIDENED = 2,
    AL_EFFECT_MIXED = 3,
};

/* One reason per changed field (or for the entry as a whole). */
struct al_diff_reason {
    const char *field; /* "entry", "access_as", "impersonate", "environments", ... */
    enum al_diff_effect effect;
    const char *text; /* a sentence without a final period */
};

enum { AL_DIFF_MAX_REASONS = 8 };

struct al_diff_item {
    enum al_diff_change change;
    const char *agent;
    enum al_section section;
    enum al_scope scope;
    const char *id;               /* as written on the side that has it (NULL: instance) */
    const struct al_auth *before; /* in force at BASE, or NULL (added) */
    const struct al_auth *after;  /* in force at HEAD, or NULL (removed) */
    /* Added: the broader entry that governed these jobs at BASE and that
     * this one now replaces for them (used whole, never merged); removed:
     * the one they fall back to at HEAD. NULL when there is none. */
    const struct al_auth *replaces;
    bool base_rejected; /* BASE's file was rejected: `before` is what it says */
    enum al_diff_effect effect;
    struct al_diff_reason reasons[AL_DIFF_MAX_REASONS];
    size_t n_reasons;
};

enum al_diff_agent_state {
    AL_DIFF_AGENT_KEPT,    /* at both revisions */
    AL_DIFF_AGENT_ADDED,   /* its directory appears at HEAD */
    AL_DIFF_AGENT_REMOVED, /* its directory is gone at HEAD */
};

struct al_diff_agent {
    const char *name;
    const char *path;
    enum al_diff_agent_state state;
    bool base_rejected, head_rejected;
    bool head_missing; /* config.yaml absent at HEAD (directory kept or removed) */
    bool head_empty;   /* config.yaml empty or comment-only at HEAD */
    /* The directory's name is no valid agent name: GitLab cannot register
     * such an agent, so its file grants nothing on either side. */
    bool unregistrable;
    /* HEAD's errors that make GitLab reject the file (from HEAD's report). */
    const struct al_finding **errors;
    size_t n_errors;
    size_t n_changes; /* items of this agent */
    enum al_diff_effect effect;
};

struct al_diff_side {
    const struct al_report *report;
    const struct al_access *model;
};

struct al_diff {
    struct al_diff_agent *agents; /* every agent of either side, by name */
    size_t n_agents;
    struct al_diff_item *items; /* by agent, section, scope, id */
    size_t n_items, cap_items;
    enum al_diff_effect effect;    /* the union of every item's */
    enum al_env_matching matching; /* how environments were compared */
    bool protected_flag_era;       /* protected_branches_only not enforced by default */
    struct al_arena arena;
};

/* Compare two revisions. The models must have been built with the same
 * options; the reports and models must outlive the diff. */
int al_diff_build(const struct al_diff_side *base, const struct al_diff_side *head,
                  enum al_env_matching matching, struct al_diff *out);
void al_diff_free(struct al_diff *d);

/* Classify one pair of in-force authorizations of the same (agent,
 * section, scope, id): fills `item`'s reasons and effect (neutral with no
 * reason: nothing GitLab stores changed). Exposed for the unit tests. */
void al_diff_compare(const struct al_auth *before, const struct al_auth *after,
                     enum al_env_matching matching, bool protected_flag_era, struct al_arena *arena,
                     struct al_diff_item *item);

/* Whether `pattern` covers every name `other` can match (anchored
 * matching: `pattern` matches the text of `other`, its '*' taken as
 * characters). A sufficient test: it may answer no for some covering
 * pairs, never yes for one that does not cover. */
bool al_diff_env_covers(const char *pattern, const char *other);

const char *al_diff_change_name(enum al_diff_change c); /* "added", "removed", "changed" */
const char *al_diff_effect_name(enum al_diff_effect e); /* "widened", "narrowed", ... */

#endif
