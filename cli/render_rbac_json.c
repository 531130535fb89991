/* rbac -f json: the objects of the rbacgen model as one Kubernetes List,
 * as `kubectl get ... -o json` writes several objects; kubectl apply takes
 * it as it is. Each item is the mapping the YAML stream has. */
#include "cli/emit.h"
#include "cli/render_rbac.h"

int al_render_rbac_json(const struct al_rbac *r, struct al_buf *out)
{
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, out);
    al_emit_map_start(e);
    al_emit_kstr(e, "apiVersion", "v1");
    al_emit_key(e, "items");
    al_emit_seq_start(e);
    for (size_t i = 0; i < r->n_objects; i++)
        al_render_rbac_object(e, r->objects[i]);
    al_emit_seq_end(e);
    al_emit_kstr(e, "kind", "List");
    al_emit_key(e, "metadata");
    al_emit_map_start(e);
    al_emit_kstr(e, "resourceVersion", "");
    al_emit_map_end(e);
    al_emit_map_end(e);
    return al_emit_finish(e);
}
