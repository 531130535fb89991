/* --rbac PATH...: the RBAC side of check (and diff, report). Each PATH is a
 * file, a directory (its *.yaml, *.yml and *.json files, recursively) or a
 * glob; YAML or JSON, many documents, kubectl's List dumps. Paths inside the
 * repository are read at the revision the configs are read at (diff: BASE
 * and HEAD), others from disk (the same on both sides). Kubernetes' default
 * roles of --kube-version are added, so that bindings to view, edit, admin
 * and cluster-admin resolve. */
#ifndef AL_RBACIN_H
#define AL_RBACIN_H

#include "cli/options.h"
#include "kube/kube.h"
#include "model/source.h"

struct al_rbacin {
    struct al_kube *kube;       /* finished */
    struct al_source *disk;     /* files read from disk (paths as reported) */
    struct al_source *revision; /* files read at the revision, or NULL */
};

/* `rev`: a commit id to read in-repository paths at, or NULL to read every
 * path from disk (worktree, index and plain-file sources). < 0 with one
 * sentence when a path cannot be read, matches nothing, or the text is no
 * YAML at all. */
int al_rbacin_load(const struct al_opts *o, struct al_repo *repo, const char *rev,
                   struct al_rbacin *out);
void al_rbacin_free(struct al_rbacin *in);

#endif
