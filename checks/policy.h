/* The policy section of .agentlint.yaml: what a team requires of its
 * agents' configs, per agent (name globs), checked by the `policy` rule.
 *
 *   policy:
 *     preset: production        # every agent no glob below names
 *     agents:                   # first matching glob wins
 *       "prod*": production     # a preset by name
 *       "staging":
 *         access_as: [ci_job, impersonate]  # allowed kinds (agent, ci_job, impersonate, user)
 *         protected_branches_only: true     # every ci_access entry sets it
 *         environments_required: true       # every ci_access entry lists environments
 *         environments: [staging, "review-*"] # globs the listed patterns must match
 *         groups: [acme/platform]           # allowed group ids (globs; [] for none)
 *         projects: ["acme/web-?"]          # allowed project ids
 *         default_namespaces: ["web-*"]     # allowed default_namespace values
 *         impersonate: ["deployer-*"]       # allowed impersonated users and groups
 *
 * The production preset: access_as ci_job (or user_access as user) only,
 * protected_branches_only and environments on every ci_access entry, so no
 * entry gives the agent's own identity to a group, the instance or any
 * branch. A bad policy is exit 2 with one sentence, like other settings. */
#ifndef AL_POLICY_H
#define AL_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "model/yaml.h"

/* One list of globs; `set` tells an empty list (nothing allowed) from none. */
struct al_policy_globs {
    const char **items;
    size_t n;
    bool set;
};

struct al_policy_req {
    const char *agents; /* the agent-name glob ("*" for policy.preset) */
    const char *preset; /* the preset's name when it comes from one, else NULL */
    unsigned line;      /* where .agentlint.yaml sets it */
    unsigned access_as; /* bits (1 << enum al_access_as); 0: any */
    bool protected_branches_only;
    bool environments_required;
    struct al_policy_globs environments, groups, projects, namespaces, identities;
};

struct al_policy {
    struct al_policy_req *reqs; /* agent globs in file order, then policy.preset */
    size_t n;
};

/* Parse the `policy` value; `origin` names the file in errors. */
int al_policy_parse(const struct al_ynode *n, const char *origin, struct al_policy *out);
void al_policy_free(struct al_policy *p);
/* The requirements for an agent: the first glob that matches it, else the
 * preset for every agent, else NULL. */
const struct al_policy_req *al_policy_for(const struct al_policy *p, const char *agent);
/* The names of the presets, comma-separated, for messages. */
extern const char al_policy_presets[];

#endif
