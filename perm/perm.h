/* GitLab's side joined with Kubernetes': the user the cluster sees for one
 * job's use of one agent (access/decide.h), as the RBAC authorizer sees it
 * (kube/kube.h), so that "what can this job do" is one query.
 *
 * - ci_job: the user gitlab:ci_job:<job id> (offline there is no job id:
 *   the placeholder `<job id>` is kept, so only Group subjects and
 *   User subjects that name no job match, never a real job's User binding
 *   by accident) with the groups KAS sends (access/identity.c).
 * - impersonate: the static identity (username, groups).
 * - agent: agentk's own service account, from --agent-sa NS/NAME; unknown
 *   without it (the Helm chart's default is a release-dependent name, see
 *   perm/perm.c), so the answer says so rather than guess.
 * The API server then adds system:authenticated to every impersonated
 * user (unless the groups hold system:authenticated or
 * system:unauthenticated; system:unauthenticated for system:anonymous), and
 * the service account groups to a service account impersonated without
 * groups (staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go);
 * a service account's token gets system:serviceaccounts,
 * system:serviceaccounts:NS and system:authenticated. */
#ifndef AL_PERM_H
#define AL_PERM_H

#include <stdbool.h>

#include "access/decide.h"
#include "kube/kube.h"

/* --agent-sa NS/NAME: agentk's service account. */
struct al_perm_opts {
    const char *agent_sa_namespace; /* NULL: not given */
    const char *agent_sa_name;
};

/* Parse "NS/NAME" or "NS:NAME" (both non-empty DNS-ish names). < 0 with a sentence
 * otherwise. The parts point into a copy in k's arena. */
int al_perm_agent_sa_parse(struct al_kube *k, const char *arg, struct al_perm_opts *out);

struct al_perm_user {
    bool known;               /* false: the identity cannot be told (agent without --agent-sa) */
    const char *why;          /* when !known: a sentence saying what to pass */
    struct al_kube_user user; /* when known; strings live in k's arena */
};

/* The user the cluster sees when the job of `d` (an allowed decision) uses
 * its agent. < 0 when the decision is not allowed. */
int al_perm_user(struct al_kube *k, const struct al_decision *d, const struct al_perm_opts *o,
                 struct al_perm_user *out);

/* The API server's impersonation filter on (username, groups): adds
 * system:authenticated / system:unauthenticated and a service account's
 * groups as Kubernetes does. Exposed for tests and for rbac --verify. */
void al_perm_impersonated(struct al_kube *k, const char *username, const char *const *groups,
                          size_t n_groups, struct al_kube_user *out);

#endif
