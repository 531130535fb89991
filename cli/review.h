/* report: one self-contained document for a security review, a view of the
 * views agentlint already has: check's report (findings), the access model
 * (the matrix), the identities GitLab sends for each authorization
 * (access/decide.h), the RBAC bindings that would match them (rbacgen) and
 * explain's graph. cli/review.c assembles it (the "review" view); each format is one
 * renderer (render_report_<format>.c) that only writes it out. */
#ifndef AL_REVIEW_H
#define AL_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "access/decide.h"
#include "views/diff.h"
#include "views/permdiff.h"
#include "access/model.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "views/rbac/rbac.h"
#include "views/rbac/strset.h"
#include "checks/check.h"

/* The identity one authorization gives the jobs (or users) it admits. */
struct al_review_identity {
    const struct al_auth *auth;
    const char *jobs;        /* "jobs of acme/web", "jobs of any project under acme", ... */
    const char *environment; /* the environment (or pattern) of those jobs; NULL: none */
    bool pattern;            /* a wildcard: slug and tier are the job's own */
    const char *username;    /* NULL: the agent's own service account, no impersonation */
    const char *const *groups;
    size_t n_groups;
    const char *uid;
};

struct al_review_agent {
    const struct al_access_agent *agent;
    const struct al_finding **findings; /* of its directory, in report order */
    size_t n_findings;
    size_t errors, warnings, notes;
    size_t in_force;              /* authorizations in force */
    const struct al_auth *widest; /* the one that reaches farthest, or NULL */
    struct al_review_identity *identities;
    size_t n_identities;
    const struct al_rbac_object **bindings; /* made from its entries (none when ids are missing) */
    size_t n_bindings;
};

struct al_review_graph {
    const char *dot; /* explain's DOT, always */
    const char *svg; /* `dot -Tsvg` of it, or NULL */
    size_t svg_len;
    const char *problem; /* why there is no SVG ("Graphviz is not installed ..."), or NULL */
};

struct al_review_view {
    const struct al_report *report; /* check's */
    const struct al_check_ctx *ctx;
    const struct al_access *model;
    const struct al_rbac *rbac;
    const char *role;               /* the ClusterRole the bindings grant */
    enum al_license license;        /* --license: of the jobs' projects */
    const char *version;            /* agentlint's */
    bool only_some_agents;          /* --agents: findings of the others are left out */
    struct al_review_agent *agents; /* in model order */
    size_t n_agents;
    const struct al_finding **other; /* findings of no agent (files GitLab never reads, ...) */
    size_t n_other;
    const struct al_auth **widest; /* al_review_wide grants in force, widest first */
    size_t n_widest;
    struct al_missing_id *missing; /* ids the identities or bindings need, sorted */
    size_t n_missing;
    size_t errors, warnings, notes, rejected;
    struct al_review_graph graph;
    /* report --base: access changes since BASE (diff's model), or NULL */
    const struct al_diff *changes;
    const char *base_rev; /* as given */
    const char *base_sha; /* the commit compared with (the merge base with --merge-base) */
    /* report --rbac: each identity's permissions beyond Kubernetes' defaults
     * (views/permdiff.h, `added`), or NULL */
    const struct al_permdiff *perms;
    struct al_arena arena;
    struct al_rbac_strset waiting; /* rbac's missing ids as "<kind>:<path>", in its order */
};

/* At most this many grants in the summary's "widest" list. */
enum { AL_REVIEW_WIDEST = 10 };

/* Assemble the view: the caller sets report, ctx, model and rbac (and
 * role, license, version, only_some_agents); this fills the rest but the graph, which the
 * caller adds. The view borrows from all of them: free it first. */
void al_review_build(struct al_review_view *v);
void al_review_free(struct al_review_view *v);

/* Whether an entry in force belongs in "Widest grants": a group or the
 * instance, or a project entry giving the agent's own identity to any
 * branch and environment. */
bool al_review_wide(const struct al_auth *a);
/* What "Widest grants" lists, and what it says when it lists nothing. */
#define AL_REVIEW_WIDEST_INTRO                                                                     \
    "Group and instance entries in force, and project entries that give the agent's own "          \
    "service account to any branch and environment; the farthest-reaching first (unrestricted "    \
    "environments and refs before restricted ones)."
#define AL_REVIEW_WIDEST_NONE                                                                      \
    "No group or instance entry is in force, and no project entry gives the agent's own "          \
    "service account to any branch and environment."

/* Shared wording, so that both formats say the same. */
/* "Changes since BASE": the table's columns and one change's cells (the
 * strings live until al_review_change_free). */
enum { AL_REVIEW_CHANGE_COLUMNS = 5 };
extern const char *const al_review_change_head[AL_REVIEW_CHANGE_COLUMNS];
struct al_review_change {
    const char *cells[AL_REVIEW_CHANGE_COLUMNS];
    struct al_buf title, why;
};
void al_review_change_init(struct al_review_change *c, const struct al_diff_item *it);
void al_review_change_free(struct al_review_change *c);
/* "Changes since main (1a2b3c4d5e6f): this widens CI/CD access: 1 widened" */
void al_review_changes_intro(struct al_buf *out, const struct al_review_view *v);
/* "instance", "top-level group", "group", "project", "implicit". */
const char *al_review_reach(const struct al_auth *a);
/* The entry GitLab would not bind because its id is missing, or NULL. */
const struct al_missing_id *al_review_waiting(const struct al_review_view *v,
                                              const struct al_auth *a);
/* "Configuration project: ... · Source: ... · GitLab 18.6 · ...": what the
 * report rests on. */
void al_review_meta(struct al_buf *out, const struct al_review_view *v);
/* "GitLab rejects the config of 1 agent: prod. ..." (only when one does). */
void al_review_rejected(struct al_buf *out, const struct al_review_view *v);
/* "ClusterRoleBinding NAME" or "RoleBinding NAME in NAMESPACE". */
void al_review_binding_name(struct al_buf *out, const struct al_rbac_object *o);
/* "Group gitlab:project:42, User deployer" */
void al_review_subjects(struct al_buf *out, const struct al_rbac_object *o);

/* Instead of the identities of an agent whose file GitLab rejects. */
#define AL_REVIEW_REJECTED_IDENTITIES                                                              \
    "Not in force (file rejected; GitLab keeps the previous config, unknown here): the "           \
    "identities of the configuration in force cannot be shown."

/* The legend of the identities' placeholders. */
#define AL_REVIEW_PLACEHOLDERS                                                                     \
    "In angle brackets: <job id>, <slug> and <tier> are the job's own; <PATH> is the numeric "     \
    "id of PATH where --ids does not give it; <GROUP/*> is the id of whichever project under "     \
    "GROUP runs the job."

/* The report as a document (cli/review_doc.c), written by either backend. */
struct al_doc;
void al_review_doc(const struct al_review_view *v, struct al_doc *doc);
void al_render_report_html(const struct al_review_view *v, struct al_buf *out);
void al_render_report_markdown(const struct al_review_view *v, struct al_buf *out);

#endif
