/* al_rbac_build: the steps in order. Baselines first and the impersonator
 * last, so that the stream reads from the broadest binding to the agent's
 * own permissions; names once the objects exist (they hash what each object
 * stands for, so they are stable from run to run). */
#include "views/rbac/build.h"

#include <stdlib.h>
#include <string.h>

int al_rbac_build(const struct al_access *m, const struct al_rbac_opts *o, struct al_rbac *out)
{
    memset(out, 0, sizeof(*out));
    const struct al_rbac_policy *p = o->policy;
    struct al_rbac_ctx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.o = o;
    c.r = out;
    c.role = o->role ? o->role : p && p->role ? p->role : "view";
    c.cluster_wide = o->cluster_wide || (p && p->cluster_wide);
    c.rule_hits = al_calloc(p ? p->n_rules + 1 : 1, sizeof(*c.rule_hits));
    al_rbac_bind_baselines(&c);
    al_rbac_bind_entries(&c);
    al_rbac_name_objects(&c);
    if (!out->n_missing)
        al_rbac_check_over_grant(&c); /* its sentences name objects by id */
    if (o->impersonator) {
        al_rbac_add_impersonator(&c);
        al_rbac_name_objects(&c);
    }
    free(c.rule_hits);
    al_rbac_strset_free(&c.object_keys);
    al_rbac_strset_free(&c.missing_keys);
    al_rbac_strset_free(&c.warning_keys);
    return 0;
}

void al_rbac_free(struct al_rbac *r)
{
    free(r->objects);
    free(r->warnings);
    free(r->notes);
    free(r->missing);
    al_arena_free(&r->arena);
    memset(r, 0, sizeof(*r));
}
