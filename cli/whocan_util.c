/* who-can's wording, shared by its formats. */
#include "cli/whocan.h"
#include "access/env.h"

#include <string.h>

void al_whocan_request(struct al_buf *out, const struct al_kube_request *r)
{
    al_buf_printf(out, "%s ", r->verb);
    if (r->path) {
        al_buf_puts(out, r->path);
        return;
    }
    al_buf_puts(out, r->resource);
    if (r->api_group && *r->api_group)
        al_buf_printf(out, ".%s", r->api_group);
    if (r->subresource && *r->subresource)
        al_buf_printf(out, "/%s", r->subresource);
    if (r->name && *r->name)
        al_buf_printf(out, " named %s", r->name);
    if (r->namespace && *r->namespace)
        al_buf_printf(out, " in namespace %s", r->namespace);
    else
        al_buf_puts(out, " in any namespace");
}

static void tiers(struct al_buf *out, unsigned mask)
{
    if (mask == AL_WHO_ALL_TIERS)
        return;
    al_buf_puts(out, " [tier ");
    bool first = true;
    for (int t = 0; t < 5; t++) {
        if (!(mask & (1u << t)))
            continue;
        al_buf_printf(out, "%s%s", first ? "" : ", ", al_env_tier_name((enum al_env_tier)t));
        first = false;
    }
    al_buf_putc(out, ']');
}

void al_whocan_envs(struct al_buf *out, const struct al_who_row *row)
{
    for (size_t i = 0; i < row->n_envs; i++) {
        const struct al_who_env *e = &row->envs[i];
        if (i)
            al_buf_puts(out, ", ");
        switch (e->kind) {
        case AL_RBAC_ENV_NONE:
            al_buf_puts(out, "(none)");
            break;
        case AL_RBAC_ENV_UNLISTED:
            al_buf_puts(out, "(any other)");
            break;
        case AL_RBAC_ENV_WILDCARD:
            al_buf_printf(out, "%s (wildcard)", e->name);
            break;
        default:
            al_buf_puts(out, e->name);
        }
        tiers(out, e->tiers);
    }
}

const char *al_whocan_refs(const struct al_who_row *row)
{
    if (row->unprotected && row->protected_ref)
        return "any";
    return row->protected_ref ? "protected" : "unprotected";
}

static void src(struct al_buf *out, const struct al_kube_src *s)
{
    if (!s->file)
        return;
    al_buf_printf(out, " (%s", s->file);
    if (s->line)
        al_buf_printf(out, ":%u", s->line);
    al_buf_putc(out, ')');
}

void al_whocan_by(struct al_buf *out, const struct al_who_row *row)
{
    if (!row->known) {
        al_buf_printf(out, "unknown: %s", row->why ? row->why : "the identity cannot be told");
        return;
    }
    const struct al_kube_grant *g = &row->by;
    al_buf_printf(out, "%s %s", g->binding->cluster ? "ClusterRoleBinding" : "RoleBinding",
                  g->binding->name);
    src(out, &g->binding->src);
    al_buf_printf(out, " -> %s %s", g->role->cluster ? "ClusterRole" : "Role", g->role->name);
    al_buf_puts(out, ", rule");
    src(out, &g->rule->src);
}

void al_whocan_where(struct al_buf *out, const struct al_who_row *row)
{
    if (row->namespace)
        al_buf_printf(out, "namespace %s", row->namespace);
    else
        al_buf_puts(out, "every namespace");
}

const char *al_whocan_user(const struct al_who_row *row)
{
    return row->known ? row->user.name : "unknown";
}
