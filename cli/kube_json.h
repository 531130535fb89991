/* Kubernetes objects in agentlint's JSON outputs (who-can, explain
 * --permissions, rbac --verify): where a grant comes from. */
#ifndef AL_KUBE_JSON_H
#define AL_KUBE_JSON_H

#include "cli/emit.h"
#include "kube/kube.h"

/* {"binding": {...}, "role": {...}, "rule": {...}} members of the open
 * mapping, each with kind, name, namespace, file and line. */
void al_kube_json_grant(struct al_emit *e, const struct al_kube_grant *g);
/* {"username": ..., "groups": [...]} */
void al_kube_json_user(struct al_emit *e, const struct al_kube_user *u);
/* The request's attributes as a mapping. */
void al_kube_json_request(struct al_emit *e, const struct al_kube_request *r);

#endif
