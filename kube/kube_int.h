/* What the kube/ files share and nobody else needs. */
#ifndef AL_KUBE_INT_H
#define AL_KUBE_INT_H

#include "kube/kube.h"

/* Add a diagnostic; the message is formatted into k's arena. */
void al_kube_diag_add(struct al_kube *k, enum al_kube_severity sev, struct al_kube_src src,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

void al_kube_role_add(struct al_kube *k, struct al_kube_role *role);
void al_kube_binding_add(struct al_kube *k, struct al_kube_binding *b);

/* load.c: al_kube_add_text, also for the built-in defaults. */
int al_kube_add_source(struct al_kube *k, const char *file, const char *data, size_t len,
                       bool builtin);

/* "User", "Group", "ServiceAccount" (exactly, as Kubernetes compares). */
enum al_kube_subject_kind al_kube_subject_kind_parse(const char *kind);

/* aggregate.c */
void al_kube_aggregate(struct al_kube *k);
bool al_kube_selector_matches(const struct al_kube_selector *s, const struct al_kube_role *role);

/* index.c */
struct al_kube_index;
struct al_kube_index *al_kube_index_build(struct al_kube *k);
void al_kube_index_free(struct al_kube_index *ix);
/* Resolve roleRefs (a hash of roles by namespace and name). */
void al_kube_resolve(struct al_kube *k);

/* One (binding, subject) pair the index holds for a subject key. */
struct al_kube_hit {
    uint32_t binding, subject;
};
/* The hits for a user, each binding once, in binding load order, into
 * *hits (grown with al_grow). Returns how many. */
size_t al_kube_index_lookup(const struct al_kube *k, const struct al_kube_user *u,
                            struct al_kube_hit **hits, size_t *cap);

#endif
