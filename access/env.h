/* GitLab environments as the CI/CD access filter and the impersonated
 * identity see them: how an `environments` pattern matches a job's
 * environment name (both GitLab readings), the slug GitLab stores for a new
 * environment, and the deployment tier it guesses from the name.
 * (gitlab-semantics.md §5.3 and §7; vectors env_match, env_slug, env_tier.) */
#ifndef AL_ENV_H
#define AL_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include "model/env.h"

/* ---- matching (access/envmatch.c) ---- */

enum al_env_result {
    AL_ENV_ERROR = -1, /* legacy only: the pattern is not a valid regular expression */
    AL_ENV_NO = 0,
    AL_ENV_YES = 1,
};

/* One pattern against one environment name. A blank pattern (NULL, empty or
 * whitespace only, Rails' blank?) never matches; equal strings always do; a
 * pattern without '*' matches only by equality. Otherwise
 *   AL_ENV_ANCHORED: the whole name, '*' = any run of non-newline characters,
 *                    everything else literal (current GitLab);
 *   AL_ENV_LEGACY:   every '*' replaced by ".*", nothing escaped, searched
 *                    unanchored as a Ruby regular expression (older GitLab;
 *                    Oniguruma's Ruby syntax narrowed to Ruby's Onigmo, checked
 *                    against ruby by tests/unit/test_envmatch_ruby.c). */
enum al_env_result al_env_match(enum al_env_matching mode, const char *pattern, const char *name);

/* GitLab's `any?` over a list, in order: the first pattern that matches
 * wins, the first that raises (legacy) ends the search with AL_ENV_ERROR.
 * `*which` (optional) receives the index of that pattern, or n. */
enum al_env_result al_env_match_any(enum al_env_matching mode, const char *const *patterns,
                                    size_t n, const char *name, size_t *which);

/* Why the legacy reading of `pattern` raises (a sentence the caller frees),
 * or NULL when its regular expression compiles. */
char *al_env_legacy_error(const char *pattern);

/* ---- slugs (access/slug.c) ---- */

enum { AL_ENV_SLUG_MAX = 24 };

/* CI_ENVIRONMENT_SLUG as GitLab generates it for a new environment named
 * `name` (NULL is Ruby's nil, read as ""). Caller frees. */
char *al_env_slug(const char *name);
/* The same with the SHA-256 hex digest of the name supplied by the caller
 * (64 hex digits): GitLab's own tests stub it with 'a' * 64. */
char *al_env_slug_with_digest(const char *name, const char *hex_digest);
/* Whether `slug` has the form GitLab stores (\A[a-z]([a-z0-9-]*[a-z0-9])?\z,
 * at most 24 characters); older environments may carry random suffixes, so
 * any such string is accepted as a real slug. */
bool al_env_slug_valid(const char *slug);

/* ---- tiers (access/tier.c) ---- */

/* Environment#guess_tier: case-insensitive, unanchored, first rule wins. */
enum al_env_tier al_env_tier_guess(const char *name);
const char *al_env_tier_name(enum al_env_tier t); /* "production", ... */
/* The tier named `name`, or -1. */
int al_env_tier_parse(const char *name);

#endif
