/* report, html: one self-contained page (inline CSS, no script, no external
 * resource; a Content-Security-Policy that forbids both anyway), readable
 * on screen and on paper. Static markup is written as it is; every string
 * from a config, a repository, the command line or a child process goes
 * through the builder of cli/html.h. The graph is dot's SVG as an <img>
 * data URI: whatever the SVG holds, an image runs no script. */
#include "cli/explain.h"
#include "access/templates.h"
#include "cli/html.h"
#include "cli/render.h"
#include "cli/review.h"
#include "common/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char STYLE[] =
    ":root{--fg:#1f2933;--muted:#5b6673;--line:#d5dbe3;--head:#f1f4f8;--err:#b42318;"
    "--warn:#a15c07;--note:#1e55b3;--ok:#16794c}"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    "color:var(--fg);margin:0 auto;max-width:1180px;padding:24px 28px}"
    "h1{font-size:24px;margin:0 0 4px}"
    "h2{font-size:19px;border-bottom:2px solid var(--line);padding-bottom:4px;margin:34px 0 10px}"
    "h3{font-size:15px;margin:22px 0 6px}"
    ".meta,.muted{color:var(--muted)}"
    ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}"
    ".card{border:1px solid var(--line);border-radius:6px;padding:6px 14px;min-width:96px}"
    ".card b{display:block;font-size:22px}"
    ".card.bad b{color:var(--err)}.card.warn b{color:var(--warn)}"
    "table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:13px}"
    "th,td{border:1px solid var(--line);padding:4px 7px;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere}"
    "th{background:var(--head);font-weight:600;overflow-wrap:normal}"
    "tr.off td{color:var(--muted);background:#fafbfc}"
    ".findings td:nth-child(-n+3){white-space:nowrap}h2 code{font-size:inherit}"
    ".error{color:var(--err);font-weight:600}.warning{color:var(--warn);font-weight:600}"
    ".note{color:var(--note)}.ok{color:var(--ok)}"
    ".alert{border-left:4px solid var(--err);background:#fdf0ef;padding:8px 12px;margin:10px 0}"
    ".hint{border-left:4px solid var(--warn);background:#fff8eb;padding:8px 12px;margin:10px 0}"
    "code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}"
    "pre{background:#f6f8fa;border:1px solid var(--line);padding:8px 10px;white-space:pre-wrap;"
    "overflow-wrap:anywhere}"
    "ul{margin:4px 0;padding-left:20px}td ul{padding-left:16px}"
    ".graph img{max-width:100%;height:auto;border:1px solid var(--line);background:#fff}"
    "nav a{margin-right:12px}"
    "@media print{body{max-width:none;padding:0;font-size:11px}nav{display:none}"
    "section.agent{break-before:page}h2,h3{break-after:avoid}tr{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}}";

/* ---- small pieces ---- */

static void elem_num(struct al_buf *out, const char *tag, size_t n, const char *cls)
{
    char num[32];
    snprintf(num, sizeof num, "%zu", n);
    al_html_elem(out, tag, num, "class", cls, NULL);
}

static void head_row(struct al_buf *out, const char *const *head, size_t n)
{
    al_html_open(out, "tr", NULL);
    for (size_t i = 0; i < n; i++)
        al_html_elem(out, "th", head[i], NULL);
    al_html_close(out, "tr");
}

/* A row of escaped cells (NULL: "-"). */
static void row(struct al_buf *out, const char *const *cells, size_t n, const char *cls)
{
    al_html_open(out, "tr", "class", cls, NULL);
    for (size_t i = 0; i < n; i++)
        al_html_elem(out, "td", cells[i] ? cells[i] : "-", NULL);
    al_html_close(out, "tr");
}

static void para(struct al_buf *out, const char *text, const char *cls)
{
    al_html_elem(out, "p", text, "class", cls, NULL);
}

static const char *agent_name(const struct al_access_agent *ag)
{
    return ag->name ? ag->name : ag->path;
}

static void agent_anchor(char *buf, size_t n, size_t index)
{
    snprintf(buf, n, "#agent-%zu", index + 1);
}

/* ---- header and summary ---- */

static void meta(const struct al_review_view *v, struct al_buf *out)
{
    struct al_buf b = AL_BUF_INIT;
    al_review_meta(&b, v);
    para(out, al_buf_cstr(&b), "meta");
    al_buf_free(&b);
}

static void card(struct al_buf *out, const char *label, size_t n, const char *cls)
{
    al_html_open(out, "div", "class", cls, NULL);
    elem_num(out, "b", n, NULL);
    al_html_text(out, label);
    al_html_close(out, "div");
}

static void rejected_alert(const struct al_review_view *v, struct al_buf *out)
{
    if (!v->rejected)
        return;
    struct al_buf b = AL_BUF_INIT;
    al_review_rejected(&b, v);
    al_html_open(out, "div", "class", "alert", NULL);
    al_html_elem(out, "strong", "Rejected configuration. ", NULL);
    al_html_text(out, al_buf_cstr(&b));
    al_html_close(out, "div");
    al_buf_free(&b);
}

static void agents_table(const struct al_review_view *v, struct al_buf *out)
{
    static const char *const head[] = {"Agent",    "Config", "GitLab",           "Errors",
                                       "Warnings", "Notes",  "Entries in force", "Widest reach"};
    al_html_open(out, "table", NULL);
    head_row(out, head, sizeof head / sizeof head[0]);
    for (size_t i = 0; i < v->n_agents; i++) {
        const struct al_review_agent *ra = &v->agents[i];
        char href[32];
        agent_anchor(href, sizeof href, i);
        al_html_open(out, "tr", NULL);
        al_html_open(out, "td", NULL);
        al_html_elem(out, "a", agent_name(ra->agent), "href", href, NULL);
        al_html_close(out, "td");
        al_html_elem(out, "td", ra->agent->path, NULL);
        al_html_elem(out, "td", ra->agent->rejected ? "rejects the file" : "accepts", "class",
                     ra->agent->rejected ? "error" : "ok", NULL);
        elem_num(out, "td", ra->errors, ra->errors ? "error" : NULL);
        elem_num(out, "td", ra->warnings, ra->warnings ? "warning" : NULL);
        elem_num(out, "td", ra->notes, NULL);
        elem_num(out, "td", ra->in_force, NULL);
        al_html_elem(out, "td", ra->widest ? al_review_reach(ra->widest) : "nothing", NULL);
        al_html_close(out, "tr");
    }
    al_html_close(out, "table");
}

static void widest_table(const struct al_review_view *v, struct al_buf *out)
{
    static const char *const head[] = {"Agent",     "Entry",        "Reach",
                                       "Access as", "Environments", "Protected branches only"};
    al_html_elem(out, "h3", "Widest grants", NULL);
    if (!v->n_widest) {
        para(out, AL_REVIEW_WIDEST_NONE, NULL);
        return;
    }
    para(out, AL_REVIEW_WIDEST_INTRO, "muted");
    al_html_open(out, "table", NULL);
    head_row(out, head, sizeof head / sizeof head[0]);
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
        row(out, cells, 6, NULL);
        al_buf_free(&entry);
        al_buf_free(&envs);
    }
    al_html_close(out, "table");
}

static void nav(const struct al_review_view *v, struct al_buf *out)
{
    al_html_open(out, "nav", NULL);
    al_html_text(out, "Contents: ");
    for (size_t i = 0; i < v->n_agents; i++) {
        char href[32];
        agent_anchor(href, sizeof href, i);
        al_html_elem(out, "a", agent_name(v->agents[i].agent), "href", href, NULL);
    }
    if (v->n_other)
        al_html_elem(out, "a", "Other findings", "href", "#other", NULL);
    al_html_elem(out, "a", "Bindings", "href", "#rbac", NULL);
    al_html_elem(out, "a", "Numeric ids", "href", "#ids", NULL);
    al_html_elem(out, "a", "Graph", "href", "#graph", NULL);
    al_html_close(out, "nav");
}

static void summary(const struct al_review_view *v, struct al_buf *out)
{
    al_html_open(out, "section", "id", "summary", NULL);
    al_html_elem(out, "h2", "Summary", NULL);
    al_html_open(out, "div", "class", "cards", NULL);
    card(out, "agents", v->n_agents, "card");
    card(out, "errors", v->errors, v->errors ? "card bad" : "card");
    card(out, "warnings", v->warnings, v->warnings ? "card warn" : "card");
    card(out, "notes", v->notes, "card");
    card(out, "configs GitLab rejects", v->rejected, v->rejected ? "card bad" : "card");
    card(out, "numeric ids missing", v->n_missing, v->n_missing ? "card warn" : "card");
    al_html_close(out, "div");
    rejected_alert(v, out);
    if (v->n_agents) {
        agents_table(v, out);
        widest_table(v, out);
        nav(v, out);
    } else {
        para(out,
             "No agent configurations under .gitlab/agents/: no agent of this repository "
             "grants any access.",
             NULL);
    }
    al_html_close(out, "section");
}

/* report --base: diff's changes, one row each. */
static void changes(const struct al_review_view *v, struct al_buf *out)
{
    if (!v->changes)
        return;
    al_html_open(out, "section", "id", "changes", NULL);
    struct al_buf h = AL_BUF_INIT, intro = AL_BUF_INIT;
    al_buf_printf(&h, "Changes since %s", v->base_rev);
    al_html_elem(out, "h2", al_buf_cstr(&h), NULL);
    al_review_changes_intro(&intro, v);
    para(out, al_buf_cstr(&intro), NULL);
    if (v->changes->n_items) {
        al_html_open(out, "table", NULL);
        head_row(out, al_review_change_head, AL_REVIEW_CHANGE_COLUMNS);
        for (size_t i = 0; i < v->changes->n_items; i++) {
            struct al_review_change c;
            al_review_change_init(&c, &v->changes->items[i]);
            row(out, c.cells, AL_REVIEW_CHANGE_COLUMNS, NULL);
            al_review_change_free(&c);
        }
        al_html_close(out, "table");
    }
    al_buf_free(&h);
    al_buf_free(&intro);
    al_html_close(out, "section");
}

/* ---- one agent ---- */

/* `path` is the agent's config: its findings say only line and column. */
static void finding_row(const struct al_review_view *v, struct al_buf *out,
                        const struct al_finding *f, const char *path)
{
    const char *sev = al_severity_name(f->severity);
    struct al_buf where = AL_BUF_INIT;
    if (!path || strcmp(f->path, path) != 0)
        al_buf_printf(&where, "%s:", f->path);
    al_buf_printf(&where, "%u:%u", f->line ? f->line : 1, f->col ? f->col : 1);
    al_html_open(out, "tr", NULL);
    al_html_elem(out, "td", sev, "class", sev, NULL);
    al_html_elem(out, "td", al_buf_cstr(&where), NULL);
    al_html_open(out, "td", NULL);
    al_html_elem(out, "code", f->rule, NULL);
    al_html_close(out, "td");
    al_html_open(out, "td", NULL);
    al_html_text(out, f->message);
    const char *line;
    size_t len;
    /* Never the line of a secret. */
    if (al_render_shows_source(f) &&
        al_render_source_line(v->report->source, f->path, f->line, &line, &len)) {
        al_buf_puts(out, "<br>");
        al_html_open(out, "code", NULL);
        al_html_pre(out, line, len);
        al_html_close(out, "code");
    }
    al_html_close(out, "td");
    al_html_close(out, "tr");
    al_buf_free(&where);
}

static void findings_table(const struct al_review_view *v, struct al_buf *out,
                           const struct al_finding *const *fs, size_t n, const char *path)
{
    static const char *const head[] = {"Severity", "Line:col", "Rule", "Message"};
    if (!n) {
        para(out, "No findings.", "ok");
        return;
    }
    al_html_open(out, "table", "class", "findings", NULL);
    head_row(out, head, 4);
    for (size_t i = 0; i < n; i++)
        finding_row(v, out, fs[i], path);
    al_html_close(out, "table");
}

static void matrix_notes(struct al_buf *out, const struct al_access_agent *ag)
{
    bool open = false;
    for (size_t i = 0; i < ag->n_auths; i++) {
        struct al_buf b = AL_BUF_INIT;
        if (!al_explain_auth_note(&b, &ag->auths[i]))
            continue;
        if (!open)
            al_html_open(out, "ul", NULL);
        open = true;
        al_html_elem(out, "li", al_buf_cstr(&b), NULL);
        al_buf_free(&b);
    }
    if (open)
        al_html_close(out, "ul");
}

static void matrix(struct al_buf *out, const struct al_access_agent *ag)
{
    if (!ag->n_auths) {
        para(out, "No authorizations: no CI/CD job can use this agent.", NULL);
        return;
    }
    al_html_open(out, "table", "class", "matrix", NULL);
    head_row(out, al_explain_matrix_head, AL_EXPLAIN_MATRIX_COLUMNS);
    for (size_t i = 0; i < ag->n_auths; i++) {
        struct al_explain_row r;
        al_explain_row_init(&r, &ag->auths[i]);
        row(out, r.cells, AL_EXPLAIN_MATRIX_COLUMNS,
            al_explain_in_force(&ag->auths[i]) ? NULL : "off");
        al_explain_row_free(&r);
    }
    al_html_close(out, "table");
    matrix_notes(out, ag);
}

static void string_list(struct al_buf *out, const char *const *items, size_t n)
{
    if (!n) {
        al_html_text(out, "-");
        return;
    }
    al_html_open(out, "ul", NULL);
    for (size_t i = 0; i < n; i++) {
        al_html_open(out, "li", NULL);
        al_html_elem(out, "code", items[i], NULL);
        al_html_close(out, "li");
    }
    al_html_close(out, "ul");
}

static void identity_row(struct al_buf *out, const struct al_review_identity *x)
{
    struct al_buf entry = AL_BUF_INIT;
    al_explain_entry(&entry, x->auth);
    al_html_open(out, "tr", NULL);
    al_html_elem(out, "td", al_buf_cstr(&entry), NULL);
    al_html_elem(out, "td", x->jobs, NULL);
    al_html_elem(out, "td", x->environment ? x->environment : "none", NULL);
    al_html_open(out, "td", NULL);
    if (x->auth->access_as == AL_AS_AGENT)
        al_html_text(out, "the agent's own service account (no impersonation)");
    else if (!x->username)
        al_html_text(out, "not documented by GitLab");
    else
        al_html_elem(out, "code", x->username, NULL);
    if (x->uid) {
        al_html_text(out, " uid ");
        al_html_elem(out, "code", x->uid, NULL);
    }
    al_html_close(out, "td");
    al_html_open(out, "td", NULL);
    string_list(out, x->groups, x->n_groups);
    al_html_close(out, "td");
    al_html_close(out, "tr");
    al_buf_free(&entry);
}

static void identities(const struct al_review_view *v, struct al_buf *out,
                       const struct al_review_agent *ra)
{
    static const char *const head[] = {"Entry", "Who", "Environment", "Kubernetes user",
                                       "Kubernetes groups"};
    if (!ra->n_identities && ra->agent->rejected) {
        para(out, AL_REVIEW_REJECTED_IDENTITIES, NULL);
        return;
    }
    if (!ra->n_identities) {
        para(out, "No entry in force: nobody reaches the cluster through this agent.", NULL);
        return;
    }
    if (v->license == AL_LICENSE_FREE)
        para(out,
             "On GitLab Free only entries that act as the agent are used: the others give "
             "jobs no access (shown as they would apply on Premium).",
             "hint");
    para(out, AL_REVIEW_PLACEHOLDERS, "muted");
    al_html_open(out, "table", NULL);
    head_row(out, head, 5);
    for (size_t i = 0; i < ra->n_identities; i++)
        identity_row(out, &ra->identities[i]);
    al_html_close(out, "table");
}

static void binding_row(struct al_buf *out, const struct al_rbac_object *o)
{
    struct al_buf name = AL_BUF_INIT, subjects = AL_BUF_INIT;
    al_review_binding_name(&name, o);
    al_review_subjects(&subjects, o);
    al_html_open(out, "tr", NULL);
    al_html_elem(out, "td", al_buf_cstr(&name), NULL);
    al_html_elem(out, "td", o->role_object ? o->role_object->name : o->role, NULL);
    al_html_elem(out, "td", al_buf_cstr(&subjects), NULL);
    al_html_elem(out, "td", o->what, NULL);
    al_html_open(out, "td", NULL);
    if (o->environments) {
        al_html_text(out, "environments: ");
        al_html_text(out, o->environments);
    }
    if (o->n_warnings || o->over_grant) {
        al_html_open(out, "ul", "class", "warning", NULL);
        for (size_t i = 0; i < o->n_warnings; i++)
            al_html_elem(out, "li", o->warnings[i], NULL);
        for (const char *p = o->over_grant; p && *p;) { /* one concern per line */
            size_t n = strcspn(p, "\n");
            char *one = al_strndup(p, n);
            al_html_elem(out, "li", one, NULL);
            free(one);
            p += n + (p[n] == '\n');
        }
        al_html_close(out, "ul");
    }
    al_html_close(out, "td");
    al_html_close(out, "tr");
    al_buf_free(&name);
    al_buf_free(&subjects);
}

static void waiting(const struct al_review_view *v, struct al_buf *out,
                    const struct al_review_agent *ra)
{
    para(out,
         "Not computed: bindings need the numeric ids of projects and groups, and --ids "
         "does not give them all (agentlint never guesses one). Fetch them with the "
         "commands under Numeric ids and run again.",
         "hint");
    bool open = false;
    for (size_t i = 0; i < ra->agent->n_auths; i++) {
        const struct al_auth *a = &ra->agent->auths[i];
        const struct al_missing_id *m = a->effective ? al_review_waiting(v, a) : NULL;
        if (!m)
            continue;
        if (!open)
            al_html_open(out, "ul", NULL);
        open = true;
        struct al_buf b = AL_BUF_INIT;
        al_explain_entry(&b, a);
        al_buf_printf(&b, " needs the id of %s %s", al_explain_id_kind(m->kind), m->path);
        al_html_elem(out, "li", al_buf_cstr(&b), NULL);
        al_buf_free(&b);
    }
    if (open)
        al_html_close(out, "ul");
}

static void bindings(const struct al_review_view *v, struct al_buf *out,
                     const struct al_review_agent *ra)
{
    static const char *const head[] = {"Binding", "ClusterRole", "Subjects", "For", "Notes"};
    if (v->rbac->n_missing) {
        waiting(v, out, ra);
        return;
    }
    if (!ra->n_bindings) {
        para(out,
             "Nothing to bind: no entry in force impersonates (access as ci_job, "
             "impersonate, or user_access as user).",
             NULL);
        return;
    }
    al_html_open(out, "table", NULL);
    head_row(out, head, 5);
    for (size_t i = 0; i < ra->n_bindings; i++)
        binding_row(out, ra->bindings[i]);
    al_html_close(out, "table");
}

/* What the agent's environment templates create (access/templates.h). */
static void templates(const struct al_review_view *v, struct al_buf *out,
                      const struct al_access_agent *ag)
{
    struct al_tmpls t;
    al_tmpls_load(&t, v->report ? v->report->source : NULL, ag->name);
    if (t.n)
        al_html_open(out, "ul", "class", "templates", NULL);
    for (size_t i = 0; i < t.n; i++) {
        struct al_buf b = AL_BUF_INIT;
        al_explain_template_head(&b, &t.items[i]);
        al_html_open(out, "li", NULL);
        al_html_text(out, al_buf_cstr(&b));
        if (t.items[i].n_objects)
            al_html_open(out, "ul", NULL);
        for (size_t k = 0; k < t.items[i].n_objects; k++) {
            al_buf_clear(&b);
            al_explain_template_object(&b, &t.items[i].objects[k]);
            al_html_elem(out, "li", al_buf_cstr(&b), NULL);
        }
        if (t.items[i].n_objects)
            al_html_close(out, "ul");
        al_html_close(out, "li");
        al_buf_free(&b);
    }
    if (t.n)
        al_html_close(out, "ul");
    al_tmpls_free(&t);
}

static void agent_section(const struct al_review_view *v, struct al_buf *out, size_t index)
{
    const struct al_review_agent *ra = &v->agents[index];
    const struct al_access_agent *ag = ra->agent;
    char id[32];
    agent_anchor(id, sizeof id, index);
    al_html_open(out, "section", "class", "agent", "id", id + 1, NULL);
    al_html_open(out, "h2", NULL);
    al_html_text(out, "Agent ");
    al_html_elem(out, "code", agent_name(ag), NULL);
    al_html_close(out, "h2");
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "Config: %s", ag->path);
    if (ag->context)
        al_buf_printf(&b, " · kubeconfig context: %s", ag->context);
    para(out, al_buf_cstr(&b), "meta");
    al_buf_free(&b);
    if (ag->rejected) {
        al_html_open(out, "div", "class", "alert", NULL);
        struct al_buf note = AL_BUF_INIT;
        al_explain_rejected_note(&note, ag);
        al_html_elem(out, "strong", "Not in force. ", NULL);
        al_html_text(out, al_buf_cstr(&note));
        al_buf_free(&note);
        al_html_close(out, "div");
    }
    al_html_elem(out, "h3", "Findings", NULL);
    findings_table(v, out, ra->findings, ra->n_findings, ag->path);
    al_html_elem(out, "h3", "Access matrix", NULL);
    matrix(out, ag);
    templates(v, out, ag);
    al_html_elem(out, "h3", "Identities the cluster sees", NULL);
    identities(v, out, ra);
    al_html_elem(out, "h3", "RBAC bindings that match them", NULL);
    bindings(v, out, ra);
    al_html_close(out, "section");
}

/* ---- the rest ---- */

static void rbac_section(const struct al_review_view *v, struct al_buf *out)
{
    const struct al_rbac *r = v->rbac;
    al_html_open(out, "section", "id", "rbac", NULL);
    al_html_elem(out, "h2", "About the bindings", NULL);
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b,
                  "Each binding grants the ClusterRole %s, as agentlint rbac would write it "
                  "(its --role and --policy choose others), for all agents of this report "
                  "as if they shared one cluster. Kubernetes adds bindings up while GitLab "
                  "picks one entry per agent: a binding that grants more than GitLab's "
                  "decision is flagged in its row.",
                  v->role);
    para(out, al_buf_cstr(&b), NULL);
    al_buf_free(&b);
    if (!r->n_missing && !r->n_objects)
        para(out, "No entry of these agents impersonates: nothing to bind.", NULL);
    /* Warnings about one binding are in its row; these are about all. */
    for (size_t i = 0; i < r->n_warnings; i++)
        if (!r->warnings[i].object)
            para(out, r->warnings[i].text, "warning");
    for (size_t i = 0; i < r->n_notes; i++)
        para(out, r->notes[i], "note");
    al_html_close(out, "section");
}

static void ids_section(const struct al_review_view *v, struct al_buf *out)
{
    al_html_open(out, "section", "id", "ids", NULL);
    al_html_elem(out, "h2", "Numeric ids", NULL);
    if (!v->n_missing) {
        para(out, "Every numeric id the identities and bindings name is known.", "ok");
        al_html_close(out, "section");
        return;
    }
    para(out,
         "The identities show these as <PATH>. Fetch them with glab, or with curl and a "
         "token with read_api, then run again with --ids ids.json:",
         NULL);
    al_html_open(out, "ul", NULL);
    for (size_t i = 0; i < v->n_missing; i++) {
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b, "%s %s", al_explain_id_kind(v->missing[i].kind), v->missing[i].path);
        al_html_elem(out, "li", al_buf_cstr(&b), NULL);
        al_buf_free(&b);
    }
    al_html_close(out, "ul");
    struct al_buf cmds = AL_BUF_INIT;
    for (size_t i = 0; i < v->n_missing; i++) {
        al_explain_fetch_command(&cmds, &v->missing[i]);
        al_buf_putc(&cmds, '\n');
    }
    for (size_t i = 0; i < v->n_missing; i++) {
        al_explain_fetch_curl(&cmds, &v->missing[i]);
        al_buf_putc(&cmds, '\n');
    }
    al_html_open(out, "pre", NULL);
    al_html_pre(out, cmds.ptr, cmds.len);
    al_html_close(out, "pre");
    al_buf_free(&cmds);
    al_html_close(out, "section");
}

static void graph_section(const struct al_review_view *v, struct al_buf *out)
{
    al_html_open(out, "section", "id", "graph", "class", "graph", NULL);
    al_html_elem(out, "h2", "Graph of agents, groups and projects", NULL);
    para(out,
         "An arrow runs from the group or project an entry names to the agent: solid when "
         "in force, dashed grey when not, blue for user_access; grey lines show which group "
         "holds which.",
         "muted");
    if (v->graph.svg) {
        al_html_data_img(out, "image/svg+xml", v->graph.svg, v->graph.svg_len,
                         "Graph of agents, groups and projects", NULL);
    } else {
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b, "%s: below is the graph's DOT source (render it with dot -Tsvg).",
                      v->graph.problem ? v->graph.problem : "No SVG");
        para(out, al_buf_cstr(&b), "hint");
        al_buf_free(&b);
        al_html_open(out, "pre", "class", "dot", NULL);
        al_html_pre(out, v->graph.dot, strlen(v->graph.dot));
        al_html_close(out, "pre");
    }
    al_html_close(out, "section");
}

static void document_head(const struct al_review_view *v, struct al_buf *out)
{
    al_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                     "style-src 'unsafe-inline'; img-src data:\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    al_html_text(out, "agentlint security review");
    if (v->ctx->project_path) {
        al_html_text(out, ": ");
        al_html_text(out, v->ctx->project_path);
    }
    al_buf_puts(out, "</title>\n<style>");
    al_buf_puts(out, STYLE);
    al_buf_puts(out, "</style>\n</head>\n");
}

void al_render_report_html(const struct al_review_view *v, struct al_buf *out)
{
    document_head(v, out);
    al_buf_puts(out, "<body>\n");
    al_html_open(out, "header", NULL);
    al_html_elem(out, "h1", "Security review: GitLab agent for Kubernetes configurations", NULL);
    meta(v, out);
    al_html_close(out, "header");
    al_buf_putc(out, '\n');
    summary(v, out);
    changes(v, out);
    for (size_t i = 0; i < v->n_agents; i++) {
        al_buf_putc(out, '\n');
        agent_section(v, out, i);
    }
    if (v->n_other) {
        al_html_open(out, "section", "id", "other", NULL);
        al_html_elem(out, "h2", "Other findings", NULL);
        para(out,
             "Files under .gitlab/agents/ that are not an agent's config.yaml, and the "
             "repository's settings.",
             "muted");
        findings_table(v, out, v->other, v->n_other, NULL);
        al_html_close(out, "section");
    }
    al_buf_putc(out, '\n');
    if (v->n_agents) {
        rbac_section(v, out);
        ids_section(v, out);
        graph_section(v, out);
    }
    al_html_open(out, "footer", NULL);
    para(out,
         "Written by agentlint report. Reproduce each part with agentlint check, agentlint "
         "explain and agentlint rbac on the same source.",
         "muted");
    al_html_close(out, "footer");
    al_buf_puts(out, "\n</body>\n</html>\n");
}
