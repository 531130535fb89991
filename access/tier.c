/* Environment#guess_tier: the deployment tier GitLab gives an environment
 * created without `deployment_tier`. Each rule is a case-insensitive,
 * unanchored alternation of literals, so a substring search per literal
 * is the same test as GitLab's regular expression. */
#include "access/env.h"

#include <string.h>
#include <strings.h>

struct tier_rule {
    enum al_env_tier tier;
    const char *const *words; /* the alternation, expanded: ac(ce|)pt -> accept, acpt */
};

static const char *const development[] = {"dev", "review", "trunk", NULL};
static const char *const testing[] = {"test", "tst", "int",     "accept",  "acpt",
                                      "qa",   "qc",  "control", "quality", NULL};
static const char *const staging[] = {"stag", "stg", "model", "modl", "pre", "demo", "non", NULL};
static const char *const production[] = {"prod", "prd", "live", NULL};

/* In GitLab's order: the first rule that matches wins. */
static const struct tier_rule rules[] = {
    {AL_TIER_DEVELOPMENT, development},
    {AL_TIER_TESTING, testing},
    {AL_TIER_STAGING, staging},
    {AL_TIER_PRODUCTION, production},
};

enum al_env_tier al_env_tier_guess(const char *name)
{
    if (!name)
        return AL_TIER_OTHER;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        for (const char *const *w = rules[i].words; *w; w++)
            if (strcasestr(name, *w))
                return rules[i].tier;
    return AL_TIER_OTHER;
}

static const char *const names[] = {"production", "staging", "testing", "development", "other"};

const char *al_env_tier_name(enum al_env_tier t)
{
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "other";
}

int al_env_tier_parse(const char *name)
{
    for (int i = 0; name && i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}
