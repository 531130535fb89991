/* rbac's renderer: the rbacgen model as a YAML stream for kubectl apply. */
#ifndef AL_RENDER_RBAC_H
#define AL_RENDER_RBAC_H

#include "common/buf.h"
#include "views/rbac/rbac.h"

/* One document per object, in the model's order. Returns < 0 if the
 * emitter failed. */
int al_render_rbac_yaml(const struct al_rbac *r, struct al_buf *out);
/* The same objects as one Kubernetes List in JSON (`kubectl get -o json`'s
 * shape), for jq and kubectl apply -f. */
int al_render_rbac_json(const struct al_rbac *r, struct al_buf *out);

struct al_emit;
/* One object as a mapping (render_rbac_yaml.c), for both formats. */
void al_render_rbac_object(struct al_emit *e, const struct al_rbac_object *o);

#endif
