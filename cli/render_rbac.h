/* rbac's renderer: the rbacgen model as a YAML stream for kubectl apply. */
#ifndef AL_RENDER_RBAC_H
#define AL_RENDER_RBAC_H

#include "common/buf.h"
#include "rbacgen/rbac.h"

/* One document per object, in the model's order. Returns < 0 if the
 * emitter failed. */
int al_render_rbac_yaml(const struct al_rbac *r, struct al_buf *out);

#endif
