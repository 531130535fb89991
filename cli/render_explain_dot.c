/* explain, dot: agents, groups and projects as a Graphviz graph. Groups
 * contain their subgroups and projects (grey lines); an authorization is an
 * arrow from the group or project it names to the agent (solid when in
 * force, dashed grey when dropped); with --project, the job points at every
 * agent, green when allowed and red when denied.
 *
 * Every id and label is a DOT quoted string written by quoted(): quotes and
 * backslashes are escaped and control characters shown as text, so no value
 * can end the string or add a statement. */
#include "cli/explain.h"
#include "cli/explain_perm.h"
#include "model/paths.h"
#include "common/alloc.h"
#include "common/safe.h"
#include "common/utf8.h"
#include "views/rbac/strset.h"

#include <stdlib.h>
#include <string.h>

struct node {
    const char *id; /* "g:acme", "p:acme/web" (lower-cased paths: GitLab ignores case) */
    char *label;
    bool group;
};

struct graph {
    struct node *nodes; /* per id of `ids`, in its order */
    size_t n, cap;
    struct al_rbac_strset ids; /* hashed: 200,000 entries name as many nodes */
    struct al_arena arena;     /* the ids' strings */
    struct al_buf edges;
};

/* A DOT string. What common/safe.h hides, and invalid bytes, are shown as
 * the text format shows them, their backslash doubled so that DOT prints
 * it: the rendered graph shows \u202e, never applies it. */
static void quoted(struct al_buf *out, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    al_buf_putc(out, '"');
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        int32_t cp;
        size_t n = al_safe_decode(s + i, len - i, &cp);
        if (c == '"' || c == '\\') {
            al_buf_printf(out, "\\%c", c);
        } else if (c == '&') {
            /* Graphviz decodes entities in labels: "&#x202e;" written as
             * text must not become U+202E in the picture. */
            al_buf_puts(out, "&amp;");
        } else if (c == '\n') {
            al_buf_puts(out, "\\\\n"); /* shown as \n, not a line break */
        } else if (cp < 0 || al_safe_class((uint32_t)cp) != AL_SAFE_OK) {
            char v[AL_SAFE_SPELL_MAX];
            size_t vn = al_safe_spell(v, cp, c);
            al_buf_putc(out, '\\');
            al_buf_put(out, v, vn);
        } else {
            al_buf_put(out, s + i, n);
        }
        i += n;
    }
    al_buf_putc(out, '"');
}

/* Labels are lines joined by DOT's own line break; each line is escaped. */
static void label_attr(struct al_buf *out, const char *const *lines, size_t n)
{
    struct al_buf joined = AL_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (!lines[i])
            continue;
        struct al_buf q = AL_BUF_INIT;
        quoted(&q, lines[i]);
        if (joined.len)
            al_buf_puts(&joined, "\\n");
        al_buf_put(&joined, q.ptr + 1, q.len - 2); /* without its quotes */
        al_buf_free(&q);
    }
    al_buf_printf(out, "label=\"%s\"", al_buf_cstr(&joined));
    al_buf_free(&joined);
}

static const char *node_for(struct graph *g, const char *path, bool group, bool parents)
{
    char *low = al_path_lower(path);
    struct al_buf id = AL_BUF_INIT;
    al_buf_printf(&id, "%c:%s", group ? 'g' : 'p', low);
    free(low);
    size_t at = al_rbac_strset_add(&g->ids, &g->arena, al_buf_cstr(&id));
    al_buf_free(&id);
    if (at < g->n)
        return g->nodes[at].id;
    g->nodes = al_grow(g->nodes, &g->cap, g->n + 1, sizeof(*g->nodes));
    struct node *nd = &g->nodes[g->n++];
    nd->id = g->ids.items[at];
    nd->label = al_strdup(path);
    nd->group = group;
    const char *self = nd->id; /* stays valid when the array grows below */
    /* Its parent groups, so the hierarchy shows (not for ids that name no
     * path: a URL's slashes are not groups). */
    char *parent = parents && strchr(path, '/') ? al_path_parent(path) : NULL;
    if (parent) {
        const char *pid = node_for(g, parent, true, true);
        al_buf_puts(&g->edges, "  ");
        quoted(&g->edges, pid);
        al_buf_puts(&g->edges, " -> ");
        quoted(&g->edges, self);
        al_buf_puts(&g->edges, " [color=\"#bbbbbb\", arrowhead=none];\n");
        free(parent);
    }
    return self;
}

static void agent_id(struct al_buf *out, const struct al_access_agent *ag)
{
    struct al_buf id = AL_BUF_INIT;
    al_buf_printf(&id, "a:%s", ag->name ? ag->name : ag->path);
    quoted(out, al_buf_cstr(&id));
    al_buf_free(&id);
}

static void auth_edge(struct graph *g, const struct al_auth *a)
{
    struct al_buf from = AL_BUF_INIT, envs = AL_BUF_INIT, drop = AL_BUF_INIT;
    if (a->scope == AL_SCOPE_INSTANCE)
        al_buf_puts(&from, "instance");
    else
        al_buf_puts(&from, node_for(g, a->id ? a->id : "(no id)", a->scope == AL_SCOPE_GROUP,
                                    a->drop != AL_DROP_ID && a->drop != AL_DROP_NO_ID));
    al_buf_puts(&envs, "environments: ");
    al_explain_envs(&envs, a);
    bool in_force = al_explain_in_force(a);
    if (!a->effective)
        al_buf_printf(&drop, "%s: %s", al_explain_status(a), al_drop_name(a->drop));
    else if (!in_force)
        al_buf_puts(&drop, "not in force (file rejected)");
    const char *lines[] = {a->section == AL_USER_ACCESS ? "user_access" : NULL,
                           a->scope == AL_SCOPE_IMPLICIT ? "implicit (registered here)" : NULL,
                           al_access_as_name(a->access_as),
                           a->restricts_env ? al_buf_cstr(&envs) : NULL,
                           a->protected_branches_only ? "protected branches only" : NULL,
                           in_force ? NULL : al_buf_cstr(&drop)};
    al_buf_puts(&g->edges, "  ");
    quoted(&g->edges, al_buf_cstr(&from));
    al_buf_puts(&g->edges, " -> ");
    agent_id(&g->edges, a->agent);
    al_buf_puts(&g->edges, " [");
    label_attr(&g->edges, lines, sizeof lines / sizeof lines[0]);
    al_buf_puts(&g->edges, !in_force                       ? ", style=dashed, color=\"#999999\""
                           : a->section == AL_USER_ACCESS  ? ", color=\"#2563eb\""
                           : a->scope == AL_SCOPE_IMPLICIT ? ", style=bold"
                                                           : "");
    al_buf_puts(&g->edges, "];\n");
    al_buf_free(&from);
    al_buf_free(&envs);
    al_buf_free(&drop);
}

static void job_edges(struct graph *g, const struct al_decisions *d)
{
    const char *lines[] = {"CI job", d->job.project, d->job.environment};
    al_buf_puts(&g->edges, "  \"job\" [shape=ellipse, style=filled, fillcolor=\"#fef3c7\", ");
    label_attr(&g->edges, lines, 3);
    al_buf_puts(&g->edges, "];\n  \"job\" -> ");
    quoted(&g->edges, node_for(g, d->job.project, false, true));
    al_buf_puts(&g->edges, " [style=dotted, label=\"runs in\"];\n");
    for (size_t i = 0; i < d->n; i++) {
        const struct al_decision *x = &d->items[i];
        const char *l[] = {x->allowed ? "allowed" : "denied", al_reason_name(x->reason)};
        al_buf_puts(&g->edges, "  \"job\" -> ");
        agent_id(&g->edges, x->agent);
        al_buf_puts(&g->edges, " [");
        label_attr(&g->edges, l, x->allowed ? 1 : 2);
        al_buf_puts(&g->edges, x->allowed ? ", color=\"#16a34a\", penwidth=2];\n"
                                          : ", color=\"#dc2626\", style=dashed];\n");
    }
}

/* --permissions: the user each agent acts as, the bindings that reach it
 * and their roles (where each applies on the edge); the verb tables are
 * in the other formats. Node ids are prefixed by the agent ("k:AGENT|...")
 * so that two agents' users stay apart. */
static void perm_node(struct al_buf *out, const char *id, const char *shape, const char *fill,
                      const char *const *lines, size_t n)
{
    al_buf_puts(out, "  ");
    quoted(out, id);
    al_buf_printf(out, " [shape=%s, style=filled, fillcolor=\"%s\", ", shape, fill);
    label_attr(out, lines, n);
    al_buf_puts(out, "];\n");
}

static void perm_edge(struct al_buf *out, const char *from, const char *to, const char *label)
{
    al_buf_puts(out, "  ");
    quoted(out, from);
    al_buf_puts(out, " -> ");
    quoted(out, to);
    if (label) {
        al_buf_puts(out, " [");
        label_attr(out, &label, 1);
        al_buf_puts(out, "]");
    }
    al_buf_puts(out, ";\n");
}

static void perm_grant(struct al_buf *out, struct al_rbac_strset *seen, struct al_arena *arena,
                       const char *user, const struct al_kube_grant *gr)
{
    const struct al_kube_binding *b = gr->binding;
    const struct al_kube_role *r = gr->role;
    struct al_buf bid = AL_BUF_INIT, rid = AL_BUF_INIT;
    al_buf_printf(&bid, "b:%s/%s/%s", b->cluster ? "crb" : "rb", b->namespace ? b->namespace : "",
                  b->name);
    al_buf_printf(&rid, "r:%s/%s/%s", r->cluster ? "cr" : "r", r->namespace ? r->namespace : "",
                  r->name);
    size_t n = seen->n;
    al_rbac_strset_add(seen, arena, al_buf_cstr(&bid));
    if (seen->n > n) {
        const char *bl[] = {b->cluster ? "ClusterRoleBinding" : "RoleBinding", b->name,
                            b->namespace};
        perm_node(out, al_buf_cstr(&bid), "box", "#e5e7eb", bl, 3);
        struct al_buf edge = AL_BUF_INIT;
        al_buf_puts(&edge, "user");
        al_buf_printf(&edge, "|%s", user);
        perm_edge(out, al_buf_cstr(&edge), al_buf_cstr(&bid), NULL);
        al_buf_free(&edge);
        n = seen->n;
        al_rbac_strset_add(seen, arena, al_buf_cstr(&rid));
        if (seen->n > n) {
            const char *rl[] = {r->cluster ? "ClusterRole" : "Role", r->name, r->namespace};
            perm_node(out, al_buf_cstr(&rid), "component", "#fde68a", rl, 3);
        }
        perm_edge(out, al_buf_cstr(&bid), al_buf_cstr(&rid),
                  b->cluster ? "every namespace" : b->namespace);
    }
    al_buf_free(&bid);
    al_buf_free(&rid);
}

static void perm_graph(const struct al_explain_view *v, struct al_buf *out)
{
    struct al_rbac_strset seen;
    struct al_arena arena;
    memset(&seen, 0, sizeof seen);
    memset(&arena, 0, sizeof arena);
    for (size_t i = 0; i < v->perms->n; i++) {
        const struct al_explain_perm *p = &v->perms->items[i];
        const struct al_access_agent *ag = p->decision->agent;
        struct al_buf uid = AL_BUF_INIT;
        al_buf_printf(&uid, "user|%s", p->known ? p->user.name : "(unknown)");
        size_t n = seen.n;
        al_rbac_strset_add(&seen, &arena, al_buf_cstr(&uid));
        if (seen.n > n) {
            const char *ul[] = {p->known ? "Kubernetes user" : "identity unknown",
                                p->known ? p->user.name : p->why};
            perm_node(out, al_buf_cstr(&uid), "ellipse", "#dcfce7", ul, 2);
        }
        al_buf_puts(out, "  ");
        agent_id(out, ag);
        al_buf_puts(out, " -> ");
        quoted(out, al_buf_cstr(&uid));
        al_buf_puts(out, " [style=dotted, label=\"acts as\"];\n");
        for (size_t k = 0; p->known && k < p->n_grants; k++)
            perm_grant(out, &seen, &arena, p->user.name, &p->grants[k]);
        al_buf_free(&uid);
    }
    al_rbac_strset_free(&seen);
    al_arena_free(&arena);
}

static void write_nodes(const struct al_explain_view *v, const struct graph *g, struct al_buf *out)
{
    for (size_t i = 0; i < v->model->n_agents; i++) {
        const struct al_access_agent *ag = v->model->agents[i];
        const char *lines[] = {"agent", ag->name ? ag->name : ag->path,
                               ag->rejected ? "(config rejected by GitLab)" : NULL};
        al_buf_puts(out, "  ");
        agent_id(out, ag);
        al_buf_printf(out, " [shape=box, style=\"rounded,filled\", fillcolor=\"%s\", ",
                      ag->rejected ? "#fecaca" : "#dbeafe");
        label_attr(out, lines, 3);
        al_buf_puts(out, "];\n");
    }
    for (size_t i = 0; i < g->n; i++) {
        const char *lines[] = {g->nodes[i].label};
        al_buf_puts(out, "  ");
        quoted(out, g->nodes[i].id);
        al_buf_puts(out, g->nodes[i].group ? " [shape=folder, " : " [shape=note, ");
        label_attr(out, lines, 1);
        al_buf_puts(out, "];\n");
    }
}

static bool has_instance(const struct al_access *m)
{
    for (size_t i = 0; i < m->n_agents; i++)
        for (size_t k = 0; k < m->agents[i]->n_auths; k++)
            if (m->agents[i]->auths[k].scope == AL_SCOPE_INSTANCE)
                return true;
    return false;
}

void al_render_explain_dot(const struct al_explain_view *v, struct al_buf *out)
{
    struct graph g;
    memset(&g, 0, sizeof g);
    for (size_t i = 0; i < v->model->n_agents; i++)
        for (size_t k = 0; k < v->model->agents[i]->n_auths; k++)
            auth_edge(&g, &v->model->agents[i]->auths[k]);
    if (v->decisions)
        job_edges(&g, v->decisions);
    al_buf_puts(out, "digraph agentlint {\n  graph [rankdir=LR, fontname=\"Helvetica\", "
                     "labelloc=t, ");
    const char *title[] = {"CI/CD access of the GitLab agents", v->config_project};
    label_attr(out, title, 2);
    al_buf_puts(out, "];\n  node [fontname=\"Helvetica\", fontsize=11];\n"
                     "  edge [fontname=\"Helvetica\", fontsize=9];\n");
    if (has_instance(v->model))
        al_buf_puts(out, "  \"instance\" [shape=doubleoctagon, label=\"every project of the "
                         "instance\"];\n");
    write_nodes(v, &g, out);
    al_buf_puts(out, al_buf_cstr(&g.edges));
    if (v->perms)
        perm_graph(v, out);
    al_buf_puts(out, "}\n");
    for (size_t i = 0; i < g.n; i++)
        free(g.nodes[i].label);
    free(g.nodes);
    al_rbac_strset_free(&g.ids);
    al_arena_free(&g.arena);
    al_buf_free(&g.edges);
}
