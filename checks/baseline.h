/* Baselines: the fingerprints of findings a repository has accepted
 * (`check --write-baseline FILE`), so that `check --baseline FILE` fails only
 * on new ones. A baseline file is JSON with a "findings" array whose members
 * carry a "fingerprint": the --write-baseline file, and check's own
 * `-f json` output, are both one. */
#ifndef AL_BASELINE_H
#define AL_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/finding.h"

struct al_baseline {
    char (*fps)[AL_FINGERPRINT_LEN + 1]; /* sorted */
    size_t n;
};

/* Read a baseline from text (origin names it in errors). Returns < 0 with a
 * sentence in al_error_last() when it is not a baseline. */
int al_baseline_parse(const char *data, size_t len, const char *origin, struct al_baseline **out);
/* Read a baseline file. */
int al_baseline_load(const char *path, struct al_baseline **out);
void al_baseline_free(struct al_baseline *b);
bool al_baseline_has(const struct al_baseline *b, const char *hex);

#endif
