/* Environments as GitLab's data knows them: how a config's environment
 * patterns are read (GitLab's two matchers), and the deployment tiers.
 * Matching, slugs and tier guesses are access/env.h. */
#ifndef AL_MODEL_ENV_H
#define AL_MODEL_ENV_H

enum al_env_matching { AL_ENV_ANCHORED, AL_ENV_LEGACY };

enum al_env_tier {
    AL_TIER_PRODUCTION = 0, /* GitLab's enum values */
    AL_TIER_STAGING = 1,
    AL_TIER_TESTING = 2,
    AL_TIER_DEVELOPMENT = 3,
    AL_TIER_OTHER = 4,
};

#endif
