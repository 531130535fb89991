/* diff's renderers: each output format is a view of one al_diff (access
 * changes, access/diff.h) and of the findings that are new or fixed
 * between the two revisions. */
#ifndef AL_CLI_DIFF_H
#define AL_CLI_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "views/diff.h"
#include "views/permdiff.h"
#include "cli/render.h"
#include "common/buf.h"

/* A finding with the fingerprint that matched it (or did not). */
struct al_diff_finding {
    const struct al_finding *finding;
    struct al_fingerprint fp;
};

struct al_diff_view {
    const char *base, *head;         /* full commit ids */
    const char *base_rev, *head_rev; /* as given on the command line */
    bool merge_base;                 /* `base` is the merge base of base_rev and head_rev */
    const struct al_diff *diff;
    const struct al_diff_finding *new_findings; /* at HEAD, not at BASE */
    size_t n_new;
    const struct al_diff_finding *fixed_findings; /* at BASE, not at HEAD */
    size_t n_fixed;
    /* diff --rbac: permissions gained and lost per identity, or NULL. */
    const struct al_permdiff *perms;
    const char *config_project; /* or NULL when unknown */
    const char *config_project_origin;
    const char *version; /* agentlint's */
    bool color;
    unsigned width; /* text: the terminal's columns */
};

void al_render_diff_text(const struct al_diff_view *v, struct al_buf *out);
void al_render_diff_markdown(const struct al_diff_view *v, struct al_buf *out);
void al_render_diff_json(const struct al_diff_view *v, struct al_buf *out);

/* Shared wording (cli/diff_util.c), so every format says the same. */

/* "⚠ This merge request widens CI/CD access", "No access change", ...
 * `subject` names the change ("This merge request"). No counts. */
void al_render_diff_headline(struct al_buf *out, const struct al_diff *d, const char *subject);
/* "2 widened, 1 narrowed" (effects that occur), or "" when no change. */
void al_render_diff_counts(struct al_buf *out, const struct al_diff *d);
/* One authorization's terms: "ci_job; environments production, review/...;
 * protected branches only; default namespace web". */
void al_render_diff_terms(struct al_buf *out, const struct al_auth *a);
/* "ci_access group acme/platform", "ci_access instance", "ci_access implicit acme/infra". */
void al_render_diff_title(struct al_buf *out, const struct al_diff_item *it);
/* What an agent's state says before its changes: a rejected file at HEAD
 * or BASE, a new or removed agent, a deleted or emptied config.yaml. Up
 * to AL_RENDER_DIFF_MAX_NOTES sentences (static strings) in `notes`; their count. */
enum { AL_RENDER_DIFF_MAX_NOTES = 3 };
size_t al_render_diff_agent_notes(const struct al_diff_agent *a,
                                  const char *notes[AL_RENDER_DIFF_MAX_NOTES]);

#endif
