/* --rbac PATH...: Kubernetes RBAC objects for the commands that join GitLab's
 * side with the cluster's (can-i; who-can, explain --permissions, diff and
 * report reuse it). Paths inside the repository are read from the same
 * source as the configs (the working tree, --staged, --rev REV), others
 * from disk; a path is a file, a directory (its .yaml/.yml/.json files, not
 * recursing, as kubectl -f DIR) or a glob. Kubernetes' default roles for
 * --kube-version come first. */
#ifndef AL_RBAC_INPUT_H
#define AL_RBAC_INPUT_H

#include "cli/context.h"
#include "kube/kube.h"

/* Fill `k` (al_kube_new, not finished) and finish it. < 0 with a sentence
 * when a path matches nothing, cannot be read, or --kube-version is unknown;
 * per-object problems are k's diagnostics (see al_rbac_input_report). */
int al_rbac_input_load(const struct al_session *s, const struct al_opts *o, struct al_kube *k);
/* The same without finishing `k`, for a caller that adds objects of its
 * own (rbac --verify adds the policy's intended bindings). */
int al_rbac_input_add(const struct al_session *s, const struct al_opts *o, struct al_kube *k);

/* k's diagnostics on standard error (escaped): errors and warnings, and
 * notes unless `quiet`. Returns how many errors there were. */
size_t al_rbac_input_report(const struct al_kube *k, bool quiet);

#endif
