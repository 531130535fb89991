/* Environment patterns and names come from config.yaml and from explain's
 * --environment: both matchers (anchored globs, and the legacy regular
 * expressions through PCRE2), the legacy error message, slugs and tiers.
 * The input is "PATTERN\nNAME". */
#include "fuzz/fuzz.h"
#include "access/env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    char *nl = strchr(s, '\n');
    const char *pattern = s, *name = nl ? nl + 1 : s;
    if (nl)
        *nl = '\0';
    enum al_env_result a = al_env_match(AL_ENV_ANCHORED, pattern, name);
    (void)al_env_match(AL_ENV_LEGACY, pattern, name); /* may fail: Ruby raises too */
    if (a == AL_ENV_ERROR)                            /* only a regular expression can fail */
        abort();
    free(al_env_legacy_error(pattern));
    char *slug = al_env_slug(name);
    if (slug && !al_env_slug_valid(slug))
        abort();
    free(slug);
    (void)al_env_tier_guess(name);
    free(s);
    return 0;
}
