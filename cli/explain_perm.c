/* The job's permissions per agent: the join, then the engine's grants
 * and a table over them. */
#include "cli/explain_perm.h"

#include <stdlib.h>
#include <string.h>

static int keep(void *data, const struct al_kube_grant *g)
{
    struct al_explain_perm *p = data;
    p->grants = al_grow(p->grants, &p->cap_grants, p->n_grants + 1, sizeof(*p->grants));
    p->grants[p->n_grants++] = *g;
    return 0;
}

static void one(struct al_kube *k, const struct al_decision *x, const struct al_perm_opts *po,
                struct al_explain_perm *p)
{
    struct al_perm_user pu;
    memset(p, 0, sizeof(*p));
    p->decision = x;
    p->default_namespace = x->namespace;
    al_perm_axes_init(&p->axes);
    if (al_perm_user(k, x, po, &pu) < 0 || !pu.known) {
        p->why = pu.why ? pu.why : "the identity cannot be told";
        al_perm_axes_sort(&p->axes);
        return;
    }
    p->known = true;
    p->user = pu.user;
    al_perm_axes_add(&p->axes, k, &p->user, x->namespace);
    al_perm_axes_sort(&p->axes);
    al_perm_table_build(&p->table, &p->axes, k, &p->user);
    al_kube_grants(k, &p->user, NULL, keep, p);
}

void al_explain_perms_build(struct al_kube *k, const struct al_decisions *d,
                            const struct al_perm_opts *po, struct al_explain_perms *out)
{
    memset(out, 0, sizeof(*out));
    out->items = al_calloc(d->n + 1, sizeof(*out->items));
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].allowed)
            one(k, &d->items[i], po, &out->items[out->n++]);
    out->kube_version = k->defaults_version;
}

void al_explain_perms_free(struct al_explain_perms *p)
{
    for (size_t i = 0; i < p->n; i++) {
        al_perm_table_free(&p->items[i].table);
        al_perm_axes_free(&p->items[i].axes);
        free(p->items[i].grants);
    }
    free(p->items);
    memset(p, 0, sizeof(*p));
}

const char *al_explain_perm_mark(const struct al_perm_cell *c)
{
    return c->state == AL_PERM_YES ? "yes" : c->state == AL_PERM_NAMES ? "names" : "";
}

void al_explain_perm_place(struct al_buf *out, const struct al_explain_perm *p, size_t place)
{
    const char *ns = p->axes.places[place];
    if (!ns)
        al_buf_puts(out, "every namespace and cluster-scoped resources (ClusterRoleBindings)");
    else
        al_buf_printf(out, "namespace %s", ns);
    if (ns && p->default_namespace && strcmp(ns, p->default_namespace) == 0)
        al_buf_puts(out, " (the job's default namespace)");
}
