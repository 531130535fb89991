/* report, markdown: the same document as the HTML one, for a merge request,
 * a wiki or a review tool. Every string from a config, a repository, the
 * command line or a child process goes through al_md_escape (cli/markdown.h,
 * the one Markdown escaper); fetch commands are percent-encoded (inert) in
 * code blocks, and the DOT source sits in a fence longer than any run of
 * backticks it holds. The agents' matrices are explain's. */
#include "cli/explain.h"
#include "cli/markdown.h"
#include "cli/render.h"
#include "cli/review.h"
#include "common/base64.h"

#include <stdio.h>
#include <string.h>

static const char *agent_name(const struct al_access_agent *ag)
{
    return ag->name ? ag->name : ag->path;
}

static void line(struct al_buf *out, const char *text)
{
    al_md_escape(out, text);
    al_buf_puts(out, "\n\n");
}

static void meta(const struct al_review_view *v, struct al_buf *out)
{
    struct al_buf b = AL_BUF_INIT;
    al_review_meta(&b, v);
    al_md_escape_buf(out, &b);
    al_buf_puts(out, "\n\n");
}

/* ---- summary ---- */

static void counts(const struct al_review_view *v, struct al_buf *out)
{
    al_buf_printf(out,
                  "**%zu** agent%s · **%zu** error%s · **%zu** warning%s · **%zu** note%s · "
                  "**%zu** config%s GitLab rejects · **%zu** numeric id%s missing\n\n",
                  v->n_agents, v->n_agents == 1 ? "" : "s", v->errors, v->errors == 1 ? "" : "s",
                  v->warnings, v->warnings == 1 ? "" : "s", v->notes, v->notes == 1 ? "" : "s",
                  v->rejected, v->rejected == 1 ? "" : "s", v->n_missing,
                  v->n_missing == 1 ? "" : "s");
}

static void rejected_alert(const struct al_review_view *v, struct al_buf *out)
{
    if (!v->rejected)
        return;
    struct al_buf b = AL_BUF_INIT;
    al_review_rejected(&b, v);
    al_buf_puts(out, "> **Rejected configuration.** ");
    al_md_escape_buf(out, &b);
    al_buf_puts(out, "\n\n");
}

static void agents_table(const struct al_review_view *v, struct al_buf *out)
{
    static const char *const head[] = {"Agent",    "Config", "GitLab",           "Errors",
                                       "Warnings", "Notes",  "Entries in force", "Widest reach"};
    al_md_header(out, head, sizeof head / sizeof head[0]);
    for (size_t i = 0; i < v->n_agents; i++) {
        const struct al_review_agent *ra = &v->agents[i];
        char n[4][24];
        snprintf(n[0], sizeof n[0], "%zu", ra->errors);
        snprintf(n[1], sizeof n[1], "%zu", ra->warnings);
        snprintf(n[2], sizeof n[2], "%zu", ra->notes);
        snprintf(n[3], sizeof n[3], "%zu", ra->in_force);
        const char *cells[] = {agent_name(ra->agent),
                               ra->agent->path,
                               ra->agent->rejected ? "REJECTS the file" : "accepts",
                               n[0],
                               n[1],
                               n[2],
                               n[3],
                               ra->widest ? al_review_reach(ra->widest) : "nothing"};
        al_md_cells(out, cells, sizeof cells / sizeof cells[0]);
    }
    al_buf_putc(out, '\n');
}

static void widest_table(const struct al_review_view *v, struct al_buf *out)
{
    static const char *const head[] = {"Agent",     "Entry",        "Reach",
                                       "Access as", "Environments", "Protected branches only"};
    al_buf_puts(out, "### Widest grants\n\n");
    if (!v->n_widest) {
        line(out, AL_REVIEW_WIDEST_NONE);
        return;
    }
    line(out, AL_REVIEW_WIDEST_INTRO);
    al_md_header(out, head, sizeof head / sizeof head[0]);
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
        al_md_cells(out, cells, 6);
        al_buf_free(&entry);
        al_buf_free(&envs);
    }
    al_buf_putc(out, '\n');
}

static void summary(const struct al_review_view *v, struct al_buf *out)
{
    al_buf_puts(out, "## Summary\n\n");
    counts(v, out);
    rejected_alert(v, out);
    if (!v->n_agents) {
        line(out, "No agent configurations under .gitlab/agents/: no agent of this repository "
                  "grants any access.");
        return;
    }
    agents_table(v, out);
    widest_table(v, out);
}

/* report --base: diff's changes, one row each. */
static void changes(const struct al_review_view *v, struct al_buf *out)
{
    if (!v->changes)
        return;
    struct al_buf h = AL_BUF_INIT, intro = AL_BUF_INIT;
    al_buf_printf(&h, "Changes since %s", v->base_rev);
    al_buf_puts(out, "## ");
    al_md_escape_buf(out, &h);
    al_buf_puts(out, "\n\n");
    al_review_changes_intro(&intro, v);
    al_md_escape_buf(out, &intro);
    al_buf_puts(out, "\n\n");
    if (!v->changes->n_items)
        return;
    al_md_header(out, al_review_change_head, AL_REVIEW_CHANGE_COLUMNS);
    for (size_t i = 0; i < v->changes->n_items; i++) {
        struct al_review_change c;
        al_review_change_init(&c, &v->changes->items[i]);
        al_md_cells(out, c.cells, AL_REVIEW_CHANGE_COLUMNS);
        al_review_change_free(&c);
    }
    al_buf_putc(out, '\n');
}

/* ---- one agent ---- */

/* `path` is the agent's config: its findings say only line and column. */
static void findings_table(const struct al_review_view *v, struct al_buf *out,
                           const struct al_finding *const *fs, size_t n, const char *path)
{
    static const char *const head[] = {"Severity", "Line:col", "Rule", "Message", "Source line"};
    if (!n) {
        line(out, "No findings.");
        return;
    }
    al_md_header(out, head, 5);
    for (size_t i = 0; i < n; i++) {
        const struct al_finding *f = fs[i];
        struct al_buf where = AL_BUF_INIT, src = AL_BUF_INIT;
        if (!path || strcmp(f->path, path) != 0)
            al_buf_printf(&where, "%s:", f->path);
        al_buf_printf(&where, "%u:%u", f->line ? f->line : 1, f->col ? f->col : 1);
        const char *text;
        size_t len;
        /* Never the line of a secret. */
        bool shown = al_render_shows_source(f) &&
                     al_render_source_line(v->report->source, f->path, f->line, &text, &len);
        if (shown)
            al_buf_put(&src, text, len);
        const char *cells[] = {al_severity_name(f->severity), al_buf_cstr(&where), f->rule,
                               f->message, shown ? al_buf_cstr(&src) : NULL};
        al_md_cells(out, cells, 5);
        al_buf_free(&where);
        al_buf_free(&src);
    }
    al_buf_putc(out, '\n');
}

static void join(struct al_buf *out, const char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        al_buf_printf(out, "%s%s", i ? ", " : "", items[i]);
}

static void identities(const struct al_review_view *v, struct al_buf *out,
                       const struct al_review_agent *ra)
{
    static const char *const head[] = {"Entry", "Who", "Environment", "Kubernetes user",
                                       "Kubernetes groups"};
    if (!ra->n_identities && ra->agent->rejected) {
        line(out, AL_REVIEW_REJECTED_IDENTITIES);
        return;
    }
    if (!ra->n_identities) {
        line(out, "No entry in force: nobody reaches the cluster through this agent.");
        return;
    }
    if (v->license == AL_LICENSE_FREE)
        line(out, "On GitLab Free only entries that act as the agent are used: the others give "
                  "jobs no access (shown as they would apply on Premium).");
    line(out, AL_REVIEW_PLACEHOLDERS);
    al_md_header(out, head, 5);
    for (size_t i = 0; i < ra->n_identities; i++) {
        const struct al_review_identity *x = &ra->identities[i];
        struct al_buf entry = AL_BUF_INIT, user = AL_BUF_INIT, groups = AL_BUF_INIT;
        al_explain_entry(&entry, x->auth);
        if (x->auth->access_as == AL_AS_AGENT)
            al_buf_puts(&user, "the agent's own service account (no impersonation)");
        else
            al_buf_puts(&user, x->username ? x->username : "not documented by GitLab");
        if (x->uid)
            al_buf_printf(&user, " uid %s", x->uid);
        join(&groups, x->groups, x->n_groups);
        const char *cells[] = {al_buf_cstr(&entry), x->jobs,
                               x->environment ? x->environment : "none", al_buf_cstr(&user),
                               x->n_groups ? al_buf_cstr(&groups) : NULL};
        al_md_cells(out, cells, 5);
        al_buf_free(&entry);
        al_buf_free(&user);
        al_buf_free(&groups);
    }
    al_buf_putc(out, '\n');
}

static void waiting(const struct al_review_view *v, struct al_buf *out,
                    const struct al_review_agent *ra)
{
    line(out, "Not computed: bindings need the numeric ids of projects and groups, and --ids "
              "does not give them all (agentlint never guesses one). Fetch them with the "
              "commands under Numeric ids and run again.");
    bool any = false;
    for (size_t i = 0; i < ra->agent->n_auths; i++) {
        const struct al_auth *a = &ra->agent->auths[i];
        const struct al_missing_id *m = a->effective ? al_review_waiting(v, a) : NULL;
        if (!m)
            continue;
        struct al_buf b = AL_BUF_INIT;
        al_explain_entry(&b, a);
        al_buf_printf(&b, " needs the id of %s %s", al_explain_id_kind(m->kind), m->path);
        al_buf_puts(out, "- ");
        al_md_escape_buf(out, &b);
        al_buf_putc(out, '\n');
        any = true;
    }
    if (any)
        al_buf_putc(out, '\n');
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
        line(out, "Nothing to bind: no entry in force impersonates (access as ci_job, "
                  "impersonate, or user_access as user).");
        return;
    }
    al_md_header(out, head, 5);
    for (size_t i = 0; i < ra->n_bindings; i++) {
        const struct al_rbac_object *o = ra->bindings[i];
        struct al_buf name = AL_BUF_INIT, subjects = AL_BUF_INIT, notes = AL_BUF_INIT;
        al_review_binding_name(&name, o);
        al_review_subjects(&subjects, o);
        if (o->environments)
            al_buf_printf(&notes, "environments: %s", o->environments);
        for (size_t k = 0; k < o->n_warnings; k++)
            al_buf_printf(&notes, "%s%s", notes.len ? "; " : "", o->warnings[k]);
        if (o->over_grant) /* one concern per line */
            al_buf_puts(&notes, notes.len ? "; " : "");
        for (const char *p = o->over_grant; p && *p; p++)
            *p == '\n' ? al_buf_puts(&notes, "; ") : al_buf_putc(&notes, *p);
        const char *cells[] = {al_buf_cstr(&name), o->role_object ? o->role_object->name : o->role,
                               al_buf_cstr(&subjects), o->what,
                               notes.len ? al_buf_cstr(&notes) : NULL};
        al_md_cells(out, cells, 5);
        al_buf_free(&name);
        al_buf_free(&subjects);
        al_buf_free(&notes);
    }
    al_buf_putc(out, '\n');
}

static void agent_section(const struct al_review_view *v, struct al_buf *out,
                          const struct al_review_agent *ra)
{
    const struct al_access_agent *ag = ra->agent;
    al_buf_puts(out, "## Agent ");
    al_md_escape(out, agent_name(ag));
    al_buf_puts(out, "\n\n");
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "Config: %s", ag->path);
    if (ag->context)
        al_buf_printf(&b, " · kubeconfig context: %s", ag->context);
    al_md_escape_buf(out, &b);
    al_buf_puts(out, "\n\n");
    al_explain_markdown_rejected(out, ag);
    al_buf_puts(out, "### Findings\n\n");
    findings_table(v, out, ra->findings, ra->n_findings, ag->path);
    al_buf_puts(out, "### Access matrix\n\n");
    al_explain_markdown_matrix(out, ag);
    al_explain_markdown_templates(out, v->report ? v->report->source : NULL, ag);
    al_buf_puts(out, "### Identities the cluster sees\n\n");
    identities(v, out, ra);
    al_buf_puts(out, "### RBAC bindings that match them\n\n");
    bindings(v, out, ra);
}

/* ---- the rest ---- */

static void rbac_section(const struct al_review_view *v, struct al_buf *out)
{
    const struct al_rbac *r = v->rbac;
    al_buf_puts(out, "## About the bindings\n\n");
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b,
                  "Each binding grants the ClusterRole %s, as agentlint rbac would write it "
                  "(its --role and --policy choose others), for all agents of this report "
                  "as if they shared one cluster. Kubernetes adds bindings up while GitLab "
                  "picks one entry per agent: a binding that grants more than GitLab's "
                  "decision is flagged in its row.",
                  v->role);
    al_md_escape_buf(out, &b);
    al_buf_puts(out, "\n\n");
    if (!r->n_missing && !r->n_objects)
        line(out, "No entry of these agents impersonates: nothing to bind.");
    /* Warnings about one binding are in its row; these are about all. */
    for (size_t i = 0; i < r->n_warnings; i++)
        if (!r->warnings[i].object) {
            al_buf_puts(out, "- warning: ");
            al_md_escape(out, r->warnings[i].text);
            al_buf_putc(out, '\n');
        }
    for (size_t i = 0; i < r->n_notes; i++) {
        al_buf_puts(out, "- ");
        al_md_escape(out, r->notes[i]);
        al_buf_putc(out, '\n');
    }
    al_buf_putc(out, '\n');
}

static void ids_section(const struct al_review_view *v, struct al_buf *out)
{
    al_buf_puts(out, "## Numeric ids\n\n");
    if (!v->n_missing) {
        line(out, "Every numeric id the identities and bindings name is known.");
        return;
    }
    line(out, "The identities show these as <PATH>. Fetch them with glab, or with curl and a "
              "token with read_api, then run again with --ids ids.json:");
    for (size_t i = 0; i < v->n_missing; i++) {
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b, "%s %s", al_explain_id_kind(v->missing[i].kind), v->missing[i].path);
        al_buf_puts(out, "- ");
        al_md_escape_buf(out, &b);
        al_buf_putc(out, '\n');
    }
    al_buf_puts(out, "\n```sh\n");
    for (size_t i = 0; i < v->n_missing; i++) {
        al_explain_fetch_command(out, &v->missing[i]); /* percent-encoded: inert */
        al_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < v->n_missing; i++) {
        al_explain_fetch_curl(out, &v->missing[i]);
        al_buf_putc(out, '\n');
    }
    al_buf_puts(out, "```\n\n");
}

/* A code fence no line of `text` can close: longer than its longest run of
 * backticks. */
static void fence(struct al_buf *out, const char *text)
{
    size_t longest = 0, run = 0;
    for (const char *p = text; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    al_buf_fill(out, '`', longest < 3 ? 3 : longest + 1);
}

static void graph_section(const struct al_review_view *v, struct al_buf *out)
{
    al_buf_puts(out, "## Graph of agents, groups and projects\n\n");
    line(out, "An arrow runs from the group or project an entry names to the agent: solid when "
              "in force, dashed grey when not, blue for user_access; grey lines show which group "
              "holds which.");
    if (v->graph.svg) {
        /* A data URI of base64 characters: nothing in it is Markdown. */
        al_buf_puts(out, "![Graph of agents, groups and projects](data:image/svg+xml;base64,");
        al_base64(out, v->graph.svg, v->graph.svg_len);
        al_buf_puts(out, ")\n");
        return;
    }
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "%s: below is the graph's DOT source (render it with dot -Tsvg).",
                  v->graph.problem ? v->graph.problem : "No SVG");
    line(out, al_buf_cstr(&b));
    al_buf_free(&b);
    fence(out, v->graph.dot);
    al_buf_puts(out, "dot\n");
    al_buf_puts(out, v->graph.dot);
    fence(out, v->graph.dot);
    al_buf_putc(out, '\n');
}

void al_render_report_markdown(const struct al_review_view *v, struct al_buf *out)
{
    al_buf_puts(out, "# Security review: GitLab agent for Kubernetes configurations\n\n");
    meta(v, out);
    summary(v, out);
    changes(v, out);
    for (size_t i = 0; i < v->n_agents; i++)
        agent_section(v, out, &v->agents[i]);
    if (v->n_other) {
        al_buf_puts(out, "## Other findings\n\n");
        line(out, "Files under .gitlab/agents/ that are not an agent's config.yaml, and the "
                  "repository's settings.");
        findings_table(v, out, v->other, v->n_other, NULL);
    }
    if (v->n_agents) {
        rbac_section(v, out);
        ids_section(v, out);
        graph_section(v, out);
    }
}
