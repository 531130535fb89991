/* report: the security review as one document (cli/doc.h), built once and
 * written by the HTML and Markdown backends. All of the report's wording
 * is here (and in review.c, explain_util.c); escaping is the backends'. */
#include "cli/render_doc.h"
#include "cli/explain.h"
#include "cli/render.h"
#include "cli/review.h"

#include "views/permdiff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *agent_name(const struct al_access_agent *ag)
{
    return ag->name ? ag->name : ag->path;
}

static void agent_anchor(char *buf, size_t n, size_t index)
{
    snprintf(buf, n, "#agent-%zu", index + 1);
}

/* A paragraph of `b`'s text, then `b` is freed. */
static struct al_doc_node *para_buf(struct al_doc_node *parent, struct al_buf *b, const char *cls)
{
    struct al_doc_node *p = al_doc_para(parent, al_buf_cstr(b), cls);
    al_buf_free(b);
    return p;
}

static struct al_doc_node *cell_num(struct al_doc_node *row, size_t n, const char *cls)
{
    char num[32];
    snprintf(num, sizeof num, "%zu", n);
    return al_doc_cell(row, num, n ? cls : NULL);
}

/* ---- header and summary ---- */

static void header(const struct al_review_view *v, struct al_doc_node *root)
{
    struct al_doc_node *h = al_doc_section(root, "header", NULL, NULL);
    al_doc_heading(h, 1, "Security review: GitLab agent for Kubernetes configurations");
    struct al_buf b = AL_BUF_INIT;
    al_review_meta(&b, v);
    para_buf(h, &b, "meta");
}

static void counts(const struct al_review_view *v, struct al_doc_node *parent)
{
    struct al_doc_node *f = al_doc_figures(parent);
    f->cls = "cards";
    al_doc_figure(f, v->n_agents, "agent", "agents", "card");
    al_doc_figure(f, v->errors, "error", "errors", v->errors ? "card bad" : "card");
    al_doc_figure(f, v->warnings, "warning", "warnings", v->warnings ? "card warn" : "card");
    al_doc_figure(f, v->notes, "note", "notes", "card");
    al_doc_figure(f, v->rejected, "config GitLab rejects", "configs GitLab rejects",
                  v->rejected ? "card bad" : "card");
    al_doc_figure(f, v->n_missing, "numeric id missing", "numeric ids missing",
                  v->n_missing ? "card warn" : "card");
}

static void rejected_alert(const struct al_review_view *v, struct al_doc_node *parent)
{
    if (!v->rejected)
        return;
    struct al_buf b = AL_BUF_INIT;
    al_review_rejected(&b, v);
    al_doc_callout(parent, "Rejected configuration.", al_buf_cstr(&b), "alert");
    al_buf_free(&b);
}

static void agents_table(const struct al_review_view *v, struct al_doc_node *parent)
{
    static const char *const head[] = {"Agent",    "Config", "GitLab",           "Errors",
                                       "Warnings", "Notes",  "Entries in force", "Widest reach"};
    struct al_doc_node *t = al_doc_table(parent, NULL);
    al_doc_row_cells(t, head, sizeof head / sizeof head[0], NULL);
    for (size_t i = 0; i < v->n_agents; i++) {
        const struct al_review_agent *ra = &v->agents[i];
        struct al_doc_node *r = al_doc_row(t, NULL);
        char href[32];
        agent_anchor(href, sizeof href, i);
        al_doc_link(al_doc_cell(r, NULL, NULL), agent_name(ra->agent), href);
        al_doc_cell(r, ra->agent->path, NULL);
        struct al_doc_node *gl = al_doc_cell(r, NULL, ra->agent->rejected ? "error" : "ok");
        if (ra->agent->rejected) {
            /* Markdown has no colour: its capitals stand out instead. */
            al_doc_text(gl, "rejects the file")->only = AL_DOC_FOR_HTML;
            al_doc_text(gl, "REJECTS the file")->only = AL_DOC_NOT_HTML;
        } else {
            al_doc_text(gl, "accepts");
        }
        cell_num(r, ra->errors, "error");
        cell_num(r, ra->warnings, "warning");
        cell_num(r, ra->notes, NULL);
        cell_num(r, ra->in_force, NULL);
        al_doc_cell(r, ra->widest ? al_review_reach(ra->widest) : "nothing", NULL);
    }
}

static void widest_table(const struct al_review_view *v, struct al_doc_node *parent)
{
    static const char *const head[] = {"Agent",     "Entry",        "Reach",
                                       "Access as", "Environments", "Protected branches only"};
    al_doc_heading(parent, 3, "Widest grants");
    if (!v->n_widest) {
        al_doc_para(parent, AL_REVIEW_WIDEST_NONE, NULL);
        return;
    }
    al_doc_para(parent, AL_REVIEW_WIDEST_INTRO, "muted");
    struct al_doc_node *t = al_doc_table(parent, NULL);
    al_doc_row_cells(t, head, sizeof head / sizeof head[0], NULL);
    for (size_t i = 0; i < v->n_widest; i++) {
        const struct al_auth *a = v->widest[i];
        struct al_buf entry = AL_BUF_INIT, envs = AL_BUF_INIT;
        if (a->section == AL_USER_ACCESS)
            al_buf_puts(&entry, "user_access ");
        al_explain_entry(&entry, a);
        al_explain_envs(&envs, a);
        const char *cells[] = {agent_name(a->agent), al_buf_cstr(&entry),
                               al_review_reach(a),   al_access_as_name(a->access_as),
                               al_buf_cstr(&envs),   a->protected_branches_only ? "yes" : "no"};
        al_doc_row_cells(t, cells, 6, NULL);
        al_buf_free(&entry);
        al_buf_free(&envs);
    }
}

/* The page's table of contents (HTML: a reader of Markdown scrolls). */
static void nav(const struct al_review_view *v, struct al_doc_node *parent)
{
    struct al_doc_node *n = al_doc_section(parent, "nav", NULL, NULL);
    n->only = AL_DOC_FOR_HTML;
    al_doc_text(n, "Contents: ");
    for (size_t i = 0; i < v->n_agents; i++) {
        char href[32];
        agent_anchor(href, sizeof href, i);
        al_doc_link(n, agent_name(v->agents[i].agent), href);
    }
    if (v->n_other)
        al_doc_link(n, "Other findings", "#other");
    al_doc_link(n, "Bindings", "#rbac");
    al_doc_link(n, "Numeric ids", "#ids");
    al_doc_link(n, "Graph", "#graph");
}

static void summary(const struct al_review_view *v, struct al_doc_node *root)
{
    struct al_doc_node *s = al_doc_section(root, "section", "summary", NULL);
    s->flags |= AL_DOC_BREAK;
    al_doc_heading(s, 2, "Summary");
    counts(v, s);
    rejected_alert(v, s);
    if (!v->n_agents) {
        al_doc_para(s,
                    "No agent configurations under .gitlab/agents/: no agent of this repository "
                    "grants any access.",
                    NULL);
        return;
    }
    agents_table(v, s);
    widest_table(v, s);
    nav(v, s);
}

/* report --base: diff's changes, one row each. */
static void changes(const struct al_review_view *v, struct al_doc_node *root)
{
    if (!v->changes)
        return;
    struct al_doc_node *s = al_doc_section(root, "section", "changes", NULL);
    struct al_buf h = AL_BUF_INIT, intro = AL_BUF_INIT;
    al_buf_printf(&h, "Changes since %s", v->base_rev);
    al_doc_heading(s, 2, al_buf_cstr(&h));
    al_buf_free(&h);
    al_review_changes_intro(&intro, v);
    para_buf(s, &intro, NULL);
    if (!v->changes->n_items)
        return;
    struct al_doc_node *t = al_doc_table(s, NULL);
    al_doc_row_cells(t, al_review_change_head, AL_REVIEW_CHANGE_COLUMNS, NULL);
    for (size_t i = 0; i < v->changes->n_items; i++) {
        struct al_review_change c;
        al_review_change_init(&c, &v->changes->items[i]);
        al_doc_row_cells(t, c.cells, AL_REVIEW_CHANGE_COLUMNS, NULL);
        al_review_change_free(&c);
    }
}

/* ---- one agent ---- */

/* `path` is the agent's config: its findings say only line and column. */
static void finding_row(const struct al_review_view *v, struct al_doc_node *t,
                        const struct al_finding *f, const char *path)
{
    const char *sev = al_severity_name(f->severity);
    struct al_buf where = AL_BUF_INIT;
    if (!path || strcmp(f->path, path) != 0)
        al_buf_printf(&where, "%s:", f->path);
    al_buf_printf(&where, "%u:%u", f->line ? f->line : 1, f->col ? f->col : 1);
    struct al_doc_node *r = al_doc_row(t, NULL);
    al_doc_cell(r, sev, sev);
    al_doc_cell(r, al_buf_cstr(&where), NULL);
    al_doc_code(al_doc_cell(r, NULL, NULL), f->rule);
    al_doc_cell(r, f->message, NULL);
    struct al_doc_node *src = al_doc_cell(r, NULL, NULL);
    src->flags |= AL_DOC_FOLD; /* HTML: under the message */
    const char *line;
    size_t len;
    /* Never the line of a secret. */
    if (al_render_shows_source(f) &&
        al_render_source_line(v->report->source, f->path, f->line, &line, &len))
        al_doc_code_n(src, line, len)->flags |= AL_DOC_VERBATIM;
    al_buf_free(&where);
}

static void findings_table(const struct al_review_view *v, struct al_doc_node *parent,
                           const struct al_finding *const *fs, size_t n, const char *path)
{
    static const char *const head[] = {"Severity", "Line:col", "Rule", "Message", "Source line"};
    if (!n) {
        al_doc_para(parent, "No findings.", "ok");
        return;
    }
    struct al_doc_node *t = al_doc_table(parent, "findings");
    struct al_doc_node *h = al_doc_row_cells(t, head, 5, NULL);
    h->last->flags |= AL_DOC_FOLD;
    for (size_t i = 0; i < n; i++)
        finding_row(v, t, fs[i], path);
}

static void identity_row(struct al_doc_node *t, const struct al_review_identity *x)
{
    struct al_buf entry = AL_BUF_INIT;
    al_explain_entry(&entry, x->auth);
    struct al_doc_node *r = al_doc_row(t, NULL);
    al_doc_cell(r, al_buf_cstr(&entry), NULL);
    al_doc_cell(r, x->jobs, NULL);
    al_doc_cell(r, x->environment ? x->environment : "none", NULL);
    struct al_doc_node *user = al_doc_cell(r, NULL, NULL);
    if (x->auth->access_as == AL_AS_AGENT)
        al_doc_text(user, "the agent's own service account (no impersonation)");
    else if (!x->username)
        al_doc_text(user, "not documented by GitLab");
    else
        al_doc_code(user, x->username);
    if (x->uid) {
        al_doc_text(user, " uid ");
        al_doc_code(user, x->uid);
    }
    struct al_doc_node *groups = al_doc_cell(r, NULL, NULL);
    if (x->n_groups) {
        struct al_doc_node *list = al_doc_list(groups, NULL);
        for (size_t i = 0; i < x->n_groups; i++)
            al_doc_code(al_doc_item(list, NULL, NULL), x->groups[i]);
    }
    al_buf_free(&entry);
}

static void identities(const struct al_review_view *v, struct al_doc_node *parent,
                       const struct al_review_agent *ra)
{
    static const char *const head[] = {"Entry", "Who", "Environment", "Kubernetes user",
                                       "Kubernetes groups"};
    if (!ra->n_identities && ra->agent->rejected) {
        al_doc_para(parent, AL_REVIEW_REJECTED_IDENTITIES, NULL);
        return;
    }
    if (!ra->n_identities) {
        al_doc_para(parent, "No entry in force: nobody reaches the cluster through this agent.",
                    NULL);
        return;
    }
    if (v->license == AL_LICENSE_FREE)
        al_doc_para(parent,
                    "On GitLab Free only entries that act as the agent are used: the others "
                    "give jobs no access (shown as they would apply on Premium).",
                    "hint");
    al_doc_para(parent, AL_REVIEW_PLACEHOLDERS, "muted");
    struct al_doc_node *t = al_doc_table(parent, NULL);
    al_doc_row_cells(t, head, 5, NULL);
    for (size_t i = 0; i < ra->n_identities; i++)
        identity_row(t, &ra->identities[i]);
}

/* A binding's notes: its environments, then its warnings and each concern
 * about over-granting (one a line in `over_grant`). */
static void binding_notes(struct al_doc_node *r, const struct al_rbac_object *o)
{
    struct al_doc_node *c = al_doc_cell(r, NULL, NULL);
    if (o->environments) {
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b, "environments: %s", o->environments);
        al_doc_text(c, al_buf_cstr(&b));
        al_buf_free(&b);
    }
    if (o->n_warnings || o->over_grant) {
        struct al_doc_node *list = al_doc_list(c, "warning");
        list->title = "; ";
        for (size_t i = 0; i < o->n_warnings; i++)
            al_doc_item(list, o->warnings[i], NULL);
        for (const char *p = o->over_grant; p && *p;) {
            size_t n = strcspn(p, "\n");
            al_doc_text_n(al_doc_item(list, NULL, NULL), p, n);
            p += n + (p[n] == '\n');
        }
    }
    if (!c->first) { /* HTML leaves the cell empty, Markdown says "-" */
        al_doc_text(c, "")->only = AL_DOC_FOR_HTML;
        al_doc_text(c, "-")->only = AL_DOC_NOT_HTML;
    }
}

static void binding_row(struct al_doc_node *t, const struct al_rbac_object *o)
{
    struct al_buf name = AL_BUF_INIT, subjects = AL_BUF_INIT;
    al_review_binding_name(&name, o);
    al_review_subjects(&subjects, o);
    struct al_doc_node *r = al_doc_row(t, NULL);
    al_doc_cell(r, al_buf_cstr(&name), NULL);
    al_doc_cell(r, o->role_object ? o->role_object->name : o->role, NULL);
    al_doc_cell(r, al_buf_cstr(&subjects), NULL);
    al_doc_cell(r, o->what, NULL);
    binding_notes(r, o);
    al_buf_free(&name);
    al_buf_free(&subjects);
}

static void waiting(const struct al_review_view *v, struct al_doc_node *parent,
                    const struct al_review_agent *ra)
{
    al_doc_para(parent,
                "Not computed: bindings need the numeric ids of projects and groups, and --ids "
                "does not give them all (agentlint never guesses one). Fetch them with the "
                "commands under Numeric ids and run again.",
                "hint");
    struct al_doc_node *list = NULL;
    for (size_t i = 0; i < ra->agent->n_auths; i++) {
        const struct al_auth *a = &ra->agent->auths[i];
        const struct al_missing_id *m = a->effective ? al_review_waiting(v, a) : NULL;
        if (!m)
            continue;
        if (!list)
            list = al_doc_list(parent, NULL);
        struct al_buf b = AL_BUF_INIT;
        al_explain_entry(&b, a);
        al_buf_printf(&b, " needs the id of %s %s", al_explain_id_kind(m->kind), m->path);
        al_doc_item(list, al_buf_cstr(&b), NULL);
        al_buf_free(&b);
    }
}

static void bindings(const struct al_review_view *v, struct al_doc_node *parent,
                     const struct al_review_agent *ra)
{
    static const char *const head[] = {"Binding", "ClusterRole", "Subjects", "For", "Notes"};
    if (v->rbac->n_missing) {
        waiting(v, parent, ra);
        return;
    }
    if (!ra->n_bindings) {
        al_doc_para(parent,
                    "Nothing to bind: no entry in force impersonates (access as ci_job, "
                    "impersonate, or user_access as user).",
                    NULL);
        return;
    }
    struct al_doc_node *t = al_doc_table(parent, NULL);
    al_doc_row_cells(t, head, 5, NULL);
    for (size_t i = 0; i < ra->n_bindings; i++)
        binding_row(t, ra->bindings[i]);
}

static void agent_section(const struct al_review_view *v, struct al_doc_node *root, size_t index)
{
    const struct al_review_agent *ra = &v->agents[index];
    const struct al_access_agent *ag = ra->agent;
    char id[32];
    agent_anchor(id, sizeof id, index);
    struct al_doc_node *s = al_doc_section(root, "section", id + 1, "agent");
    s->flags |= AL_DOC_BREAK | AL_DOC_CLASS_FIRST;
    al_explain_doc_heading(s, 2, ag);
    al_explain_doc_config(s, ag);
    al_explain_doc_rejected(s, ag);
    al_doc_heading(s, 3, "Findings");
    findings_table(v, s, ra->findings, ra->n_findings, ag->path);
    al_doc_heading(s, 3, "Access matrix");
    al_explain_doc_matrix(s, ag);
    al_explain_doc_templates(s, v->report ? v->report->source : NULL, ag);
    al_doc_heading(s, 3, "Identities the cluster sees");
    identities(v, s, ra);
    al_doc_heading(s, 3, "RBAC bindings that match them");
    bindings(v, s, ra);
}

/* ---- the rest ---- */

static void other_findings(const struct al_review_view *v, struct al_doc_node *root)
{
    if (!v->n_other)
        return;
    struct al_doc_node *s = al_doc_section(root, "section", "other", NULL);
    al_doc_heading(s, 2, "Other findings");
    al_doc_para(s,
                "Files under .gitlab/agents/ that are not an agent's config.yaml, and the "
                "repository's settings.",
                "muted");
    findings_table(v, s, v->other, v->n_other, NULL);
}

static void rbac_section(const struct al_review_view *v, struct al_doc_node *root)
{
    const struct al_rbac *r = v->rbac;
    struct al_doc_node *s = al_doc_section(root, "section", "rbac", NULL);
    s->flags |= AL_DOC_BREAK;
    al_doc_heading(s, 2, "About the bindings");
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b,
                  "Each binding grants the ClusterRole %s, as agentlint rbac would write it "
                  "(its --role and --policy choose others), for all agents of this report "
                  "as if they shared one cluster. Kubernetes adds bindings up while GitLab "
                  "picks one entry per agent: a binding that grants more than GitLab's "
                  "decision is flagged in its row.",
                  v->role);
    para_buf(s, &b, NULL);
    if (!r->n_missing && !r->n_objects)
        al_doc_para(s, "No entry of these agents impersonates: nothing to bind.", NULL);
    struct al_doc_node *list = al_doc_list(s, NULL);
    list->flags |= AL_DOC_PARAS;
    /* Warnings about one binding are in its row; these are about all. */
    for (size_t i = 0; i < r->n_warnings; i++) {
        if (r->warnings[i].object)
            continue;
        struct al_doc_node *it = al_doc_item(list, NULL, "warning");
        al_doc_text(it, "warning: ")->only = AL_DOC_NOT_HTML; /* HTML: its class */
        al_doc_text(it, r->warnings[i].text);
    }
    for (size_t i = 0; i < r->n_notes; i++)
        al_doc_item(list, r->notes[i], "note");
}

static void ids_section(const struct al_review_view *v, struct al_doc_node *root)
{
    struct al_doc_node *s = al_doc_section(root, "section", "ids", NULL);
    al_doc_heading(s, 2, "Numeric ids");
    if (!v->n_missing) {
        al_doc_para(s, "Every numeric id the identities and bindings name is known.", "ok");
        return;
    }
    al_doc_para(s,
                "The identities show these as <PATH>. Fetch them with glab, or with curl and a "
                "token with read_api, then run again with --ids ids.json:",
                NULL);
    struct al_doc_node *list = al_doc_list(s, NULL);
    for (size_t i = 0; i < v->n_missing; i++) {
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b, "%s %s", al_explain_id_kind(v->missing[i].kind), v->missing[i].path);
        al_doc_item(list, al_buf_cstr(&b), NULL);
        al_buf_free(&b);
    }
    struct al_buf cmds = AL_BUF_INIT; /* percent-encoded: inert */
    for (size_t i = 0; i < v->n_missing; i++) {
        al_explain_fetch_command(&cmds, &v->missing[i]);
        al_buf_putc(&cmds, '\n');
    }
    for (size_t i = 0; i < v->n_missing; i++) {
        al_explain_fetch_curl(&cmds, &v->missing[i]);
        al_buf_putc(&cmds, '\n');
    }
    al_doc_code_block(s, al_buf_cstr(&cmds), "sh", NULL);
    al_buf_free(&cmds);
}

static void graph_section(const struct al_review_view *v, struct al_doc_node *root)
{
    static const char title[] = "Graph of agents, groups and projects";
    struct al_doc_node *s = al_doc_section(root, "section", "graph", "graph");
    al_doc_heading(s, 2, title);
    al_doc_para(s,
                "An arrow runs from the group or project an entry names to the agent: solid "
                "when in force, dashed grey when not, blue for user_access; grey lines show "
                "which group holds which.",
                "muted");
    if (v->graph.svg) {
        al_doc_image(s, "image/svg+xml", v->graph.svg, v->graph.svg_len, title)->flags |=
            AL_DOC_TIGHT;
        return;
    }
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "%s: below is the graph's DOT source (render it with dot -Tsvg).",
                  v->graph.problem ? v->graph.problem : "No SVG");
    para_buf(s, &b, "hint");
    al_doc_code_block(s, v->graph.dot, "dot", "dot")->flags |= AL_DOC_TIGHT;
}

static void footer(const struct al_review_view *v, struct al_doc_node *root)
{
    struct al_doc_node *f = al_doc_section(root, "footer", NULL, NULL);
    f->only = AL_DOC_FOR_HTML;
    if (!v->n_agents)
        f->flags |= AL_DOC_BREAK;
    al_doc_para(f,
                "Written by agentlint report. Reproduce each part with agentlint check, "
                "agentlint explain and agentlint rbac on the same source.",
                "muted");
}

/* report --rbac: what each identity may do beyond Kubernetes' defaults; the
 * data is built by al_permdiff_granted (views/permdiff.h). */
static void perms_section(const struct al_review_view *v, struct al_doc_node *root)
{
    const struct al_permdiff *p = v->perms;
    if (!p)
        return;
    struct al_doc_node *s = al_doc_section(root, "section", "permissions", NULL);
    al_doc_heading(s, 2, "Cluster permissions");
    al_doc_para(s,
                "What each identity GitLab can send may do in the cluster through the RBAC given "
                "with --rbac, beyond Kubernetes' default roles and bindings: every CI job as the "
                "group gitlab:ci_job, each User and Group the bindings name, and the agent's "
                "service account with --agent-sa. A job holds the union of its identities' rows.",
                NULL);
    if (!p->n) {
        al_doc_para(s, "The RBAC input grants no identity anything beyond the defaults.", NULL);
        return;
    }
    struct al_doc_node *t = al_doc_table(s, NULL);
    static const char *const head[] = {"identity", "may", "binding and role"};
    al_doc_row_cells(t, head, 3, NULL);
    for (size_t i = 0; i < p->n; i++) {
        const struct al_permdiff_identity *it = &p->items[i];
        for (size_t j = 0, k; j < it->n_added; j += k) {
            k = al_perm_run(it->added + j, it->n_added - j);
            char *d = al_perm_describe(it->added + j, k);
            struct al_buf who = AL_BUF_INIT, from = AL_BUF_INIT;
            al_buf_printf(&who, "%s %s", it->kind, it->name);
            al_buf_printf(&from, "%s %s", it->added[j].binding, it->added[j].role);
            const char *cells[] = {al_buf_cstr(&who), d, al_buf_cstr(&from)};
            al_doc_row_cells(t, cells, 3, NULL);
            al_buf_free(&who);
            al_buf_free(&from);
            free(d);
        }
    }
}

void al_review_doc(const struct al_review_view *v, struct al_doc *doc)
{
    struct al_buf title = AL_BUF_INIT;
    al_buf_puts(&title, "agentlint security review");
    if (v->ctx->project_path)
        al_buf_printf(&title, ": %s", v->ctx->project_path);
    al_doc_set_title(doc, al_buf_cstr(&title));
    al_buf_free(&title);
    header(v, doc->root);
    summary(v, doc->root);
    changes(v, doc->root);
    for (size_t i = 0; i < v->n_agents; i++)
        agent_section(v, doc->root, i);
    other_findings(v, doc->root);
    if (v->n_agents) {
        rbac_section(v, doc->root);
        ids_section(v, doc->root);
        graph_section(v, doc->root);
    }
    perms_section(v, doc->root);
    footer(v, doc->root);
}

void al_render_report_html(const struct al_review_view *v, struct al_buf *out)
{
    struct al_doc doc;
    al_doc_init(&doc);
    al_review_doc(v, &doc);
    al_doc_render_html_page(&doc, out);
    al_doc_free(&doc);
}

void al_render_report_markdown(const struct al_review_view *v, struct al_buf *out)
{
    struct al_doc doc;
    al_doc_init(&doc);
    al_review_doc(v, &doc);
    al_doc_render_markdown(doc.root, out);
    al_doc_free(&doc);
}
