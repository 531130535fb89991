/* can-i -f text: `yes` or `no` first (as kubectl auth can-i), then per agent
 * context of the job the identity and the binding and rule that decide.
 * Everything from the configs or the RBAC files goes through al_safe_put. */
#include "cli/can_i.h"
#include "common/safe.h"
#include "model/config.h"

static void put_list(struct al_buf *out, const char *const *v, size_t n)
{
    al_buf_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            al_buf_puts(out, ", ");
        al_safe_puts(out, v[i][0] ? v[i] : "\"\"");
    }
    al_buf_putc(out, ']');
}

static void put_src(struct al_buf *out, const struct al_kube_src *s)
{
    al_buf_puts(out, " (");
    al_safe_puts(out, s->file);
    if (s->line)
        al_buf_printf(out, ":%u", s->line);
    al_buf_putc(out, ')');
}

static void put_object(struct al_buf *out, const char *kind, const char *ns, const char *name)
{
    al_buf_puts(out, kind);
    al_buf_putc(out, ' ');
    if (ns) {
        al_safe_puts(out, ns);
        al_buf_putc(out, '/');
    }
    al_safe_puts(out, name);
}

static void put_request(struct al_buf *out, const struct al_kube_request *r)
{
    al_safe_puts(out, r->verb);
    al_buf_putc(out, ' ');
    if (r->path) {
        al_safe_puts(out, r->path);
        return;
    }
    al_safe_puts(out, r->resource);
    if (r->api_group && *r->api_group) {
        al_buf_putc(out, '.');
        al_safe_puts(out, r->api_group);
    }
    if (r->subresource) {
        al_buf_putc(out, '/');
        al_safe_puts(out, r->subresource);
    }
    if (r->name) {
        al_buf_puts(out, " named ");
        al_safe_puts(out, r->name);
    }
    al_buf_puts(out, " in namespace ");
    al_safe_puts(out, r->namespace);
}

static void put_grant(struct al_buf *out, const struct al_kube_grant *g)
{
    const struct al_kube_binding *b = g->binding;
    al_buf_puts(out, "  by ");
    put_object(out, b->cluster ? "ClusterRoleBinding" : "RoleBinding", b->namespace, b->name);
    put_src(out, &b->src);
    al_buf_puts(out, "\n  subject ");
    al_safe_puts(out, al_kube_subject_kind_name(g->subject->kind));
    al_buf_putc(out, ' ');
    al_safe_puts(out, g->subject->name);
    al_buf_puts(out, "\n  role ");
    put_object(out, g->role->cluster ? "ClusterRole" : "Role", g->role->namespace, g->role->name);
    put_src(out, &g->role->src);
    al_buf_puts(out, "\n  rule verbs ");
    put_list(out, g->rule->verbs, g->rule->n_verbs);
    if (g->rule->n_non_resource_urls) {
        al_buf_puts(out, " nonResourceURLs ");
        put_list(out, g->rule->non_resource_urls, g->rule->n_non_resource_urls);
    } else {
        al_buf_puts(out, " apiGroups ");
        put_list(out, g->rule->api_groups, g->rule->n_api_groups);
        al_buf_puts(out, " resources ");
        put_list(out, g->rule->resources, g->rule->n_resources);
    }
    if (g->rule->n_resource_names) {
        al_buf_puts(out, " resourceNames ");
        put_list(out, g->rule->resource_names, g->rule->n_resource_names);
    }
    put_src(out, &g->rule->src);
    al_buf_putc(out, '\n');
}

static void put_user(struct al_buf *out, const struct al_kube_user *u)
{
    al_buf_puts(out, "  as user ");
    al_safe_puts(out, u->name);
    al_buf_puts(out, ", groups ");
    put_list(out, u->groups, u->n_groups);
    al_buf_putc(out, '\n');
}

static void put_agent(struct al_buf *out, const struct al_can_i_agent *a)
{
    const struct al_decision *d = a->d;
    al_buf_puts(out, "\nagent ");
    al_safe_puts(out, d->agent->context ? d->agent->context
                                        : (d->agent->name ? d->agent->name : d->agent->path));
    if (!d->allowed) {
        al_buf_puts(out, ": the job may not use it (");
        al_safe_puts(out, d->why);
        al_buf_puts(out, ")\n");
        return;
    }
    al_buf_puts(out, ": access_as ");
    al_buf_puts(out, al_access_as_name(d->identity.as));
    al_buf_putc(out, '\n');
    if (!a->user.known) {
        al_buf_puts(out, "  unknown: ");
        al_safe_puts(out, a->user.why);
        al_buf_putc(out, '\n');
        return;
    }
    put_user(out, &a->user.user);
    al_buf_puts(out, a->answer.allowed ? "  yes: " : "  no: ");
    put_request(out, &a->request);
    al_buf_putc(out, '\n');
    if (a->answer.privileged_group)
        al_buf_puts(out, "  by group system:masters, which the API server allows everything "
                         "before RBAC\n");
    else if (a->answer.allowed)
        put_grant(out, &a->answer.by);
    else
        al_buf_puts(out, "  no rule of a binding that names this user or its groups allows it\n");
}

void al_render_can_i_text(const struct al_can_i_view *v, struct al_buf *out)
{
    al_buf_puts(out, v->allowed ? "yes\n" : "no\n");
    size_t allowed = 0;
    for (size_t i = 0; i < v->n_agents; i++)
        allowed += v->agents[i].d->allowed;
    if (allowed == 0)
        al_buf_puts(out, "\nthe job may use no agent, so it has no access to any cluster\n");
    for (size_t i = 0; i < v->n_agents; i++)
        put_agent(out, &v->agents[i]);
}
