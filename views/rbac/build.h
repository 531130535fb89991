/* Inside al_rbac_build: the state of one build and the steps that share it.
 * Not part of the module's interface (rbacgen/rbac.h is). */
#ifndef AL_RBAC_BUILD_H
#define AL_RBAC_BUILD_H

#include "views/rbac/jobs.h"
#include "views/rbac/rbac.h"
#include "views/rbac/strset.h"

struct al_rbac_ctx {
    const struct al_access *m;
    const struct al_rbac_opts *o;
    struct al_rbac *r;
    const char *role;                   /* the default ClusterRole */
    bool cluster_wide;                  /* --cluster-wide or the policy's cluster_wide */
    size_t *rule_hits;                  /* per policy rule: units it matched */
    struct al_rbac_strset object_keys;  /* per object, in its order: what it is */
    struct al_rbac_strset warning_keys; /* warnings said, per object */
    struct al_rbac_strset missing_keys; /* r->missing, as "<kind>:<path>" */
};

/* ---- objects (rbacgen/objects.c) ---- */

/* The object with that kind, namespace, role and identity, made when new
 * (bindings of one entry with one role in one place share an object). */
struct al_rbac_object *al_rbac_object_get(struct al_rbac_ctx *c, enum al_rbac_kind kind,
                                          const char *ns, const char *role, const char *identity);
/* Add a subject unless it is already there. */
void al_rbac_subject_add(struct al_rbac_ctx *c, struct al_rbac_object *obj,
                         enum al_rbac_subject_kind kind, const char *name, const char *ns);
/* A warning: on standard error, and in obj's annotations when obj is set. */
void al_rbac_warn(struct al_rbac_ctx *c, struct al_rbac_object *obj, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A note: in obj's annotations, or (obj NULL) on standard error. */
void al_rbac_note(struct al_rbac_ctx *c, struct al_rbac_object *obj, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *al_rbac_printf(struct al_rbac_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The numeric id of a path from --ids; -1 (recorded as missing) when unknown. */
long long al_rbac_id(struct al_rbac_ctx *c, enum al_ids_kind kind, const char *path);
void al_rbac_missing(struct al_rbac_ctx *c, enum al_ids_kind kind, const char *path);
/* Give every object its name; names stay unique within a kind and namespace. */
void al_rbac_name_objects(struct al_rbac_ctx *c);
/* "project entry acme/web (line 4)", "the implicit authorization of acme/infra" */
const char *al_rbac_describe(struct al_rbac_ctx *c, const struct al_auth *a);

/* ---- the steps ---- */

void al_rbac_bind_entries(struct al_rbac_ctx *c);     /* bind.c */
void al_rbac_bind_baselines(struct al_rbac_ctx *c);   /* bind.c */
void al_rbac_check_over_grant(struct al_rbac_ctx *c); /* overgrant.c */
void al_rbac_add_impersonator(struct al_rbac_ctx *c); /* impersonator.c */

/* "acme/web", or "other projects of acme" for a synthetic job. */
const char *al_rbac_job_project(struct al_rbac_ctx *c, const struct al_rbac_job *j);

#endif
