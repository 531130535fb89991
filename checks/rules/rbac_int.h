/* What the RBAC rule files share (checks/rules/rbac*.c). */
#ifndef AL_PERMRULES_INT_H
#define AL_PERMRULES_INT_H

#include "checks/rules/rbac.h"

/* "ClusterRoleBinding" or "RoleBinding NS/" (the name follows). */
const char *al_permrules_binding_kind(const struct al_kube_binding *b);

/* A finding of `rule` at the subject `s` of binding `b` (at the binding when
 * s is NULL): the RBAC file's path and line, a key path that names the
 * binding and subject (stable across line moves) and the subject's name as
 * the fingerprinted value. */
struct al_finding *al_permrules_report(struct al_findings *out, const char *rule,
                                       const struct al_kube_binding *b,
                                       const struct al_kube_subject *s, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Whether `s` is one of the n strings of `list`. */
bool al_permrules_has(const char *const *list, size_t n, const char *s);

/* Whether a role's rules hold a `*` verb or resource, or the role is one
 * of Kubernetes' cluster-admin and admin. */
bool al_permrules_role_admin(const struct al_kube_binding *b);

void al_permrules_grants(const struct al_permrules_in *in, struct al_findings *out);
void al_permrules_agent_sa(const struct al_permrules_in *in, struct al_findings *out);

#endif
