/* --rbac PATH...: the Kubernetes RBAC a command evaluates, with the
 * default ClusterRoles of --kube-version, loaded into one finished set.
 * Diagnostics about the input (objects left out, bindings to missing
 * roles) go to standard error. */
#ifndef AL_KUBE_INPUT_H
#define AL_KUBE_INPUT_H

#include "cli/options.h"
#include "kube/kube.h"

/* < 0 with a sentence when a file cannot be read or used, or the version
 * is unknown. */
int al_kube_input_load(const struct al_opts *o, struct al_kube **out);
/* The same into a set of the caller's, not finished (rbac --verify adds
 * objects of its own), diagnostics left to al_kube_input_diagnostics. */
int al_kube_input_add(const struct al_opts *o, struct al_kube *k);
/* The set's warnings and errors about its input, on standard error. */
void al_kube_input_diagnostics(const struct al_kube *k);

#endif
