/* What the repository asks agentlint to be quiet about: severities and
 * ignored paths from .agentlint.yaml, and inline comments
 *
 *   key: value  # agentlint: ignore[RULE-ID]
 *   # agentlint: ignore[RULE-ID, OTHER-ID]
 *   key: value
 *
 * on the finding's line, or alone on the line above it. */
#ifndef AL_SUPPRESS_H
#define AL_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/check.h"

void al_suppress_apply(const struct al_check_ctx *ctx, const struct al_source *src,
                       struct al_findings *findings);

/* Whether line `line` (1-based) of a file, or a comment-only line above it,
 * carries an inline ignore for `rule`. */
bool al_suppress_inline(const struct al_file *f, unsigned line, const char *rule);

#endif
