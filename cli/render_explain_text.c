/* explain, text: per agent a table of its authorizations that fits the
 * terminal (long cells are cut with an ellipsis), then the full reasons as
 * wrapped sentences; with --project, a table of answers and each agent's
 * reason, context and identity. Untrusted text never carries control
 * characters to the terminal. */
#include "cli/ansi.h"
#include "cli/explain.h"
#include "cli/text_table.h"
#include "access/templates.h"
#include "common/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *status_color(const struct al_auth *a)
{
    return a->effective                   ? AL_ANSI_GREEN
           : a->drop == AL_DROP_DUPLICATE ? AL_ANSI_YELLOW
                                          : AL_ANSI_RED;
}

/* ---- the matrix ---- */

static char *entry_cell(void (*fn)(struct al_buf *, const struct al_auth *),
                        const struct al_auth *a)
{
    struct al_buf b = AL_BUF_INIT;
    fn(&b, a);
    return al_buf_detach(&b);
}

static void add_auth_row(struct al_text_table *t, const struct al_auth *a)
{
    char line[16] = "-";
    if (a->line)
        snprintf(line, sizeof line, "%u", a->line);
    const char *cells[] = {al_scope_name(a->scope),
                           a->id ? a->id : "-",
                           al_access_as_name(a->access_as),
                           NULL,
                           a->protected_branches_only ? "yes" : "-",
                           a->default_namespace ? a->default_namespace : "-",
                           line,
                           al_explain_status(a)};
    char *envs = entry_cell(al_explain_envs, a);
    cells[3] = envs;
    al_text_table_row(t, cells, status_color(a));
    free(envs);
}

static void auth_table(const struct al_explain_view *v, const struct al_access_agent *ag,
                       enum al_section section, struct al_buf *out)
{
    /* Narrow headers so the table fits 80 columns: environments and namespaces
     * are cut first, ids last and from the left (PROT: protected_branches_only). */
    static const char *const head[] = {"SCOPE", "ID",        "ACCESS AS", "ENVS",
                                       "PROT",  "NAMESPACE", "LINE",      "STATUS"};
    static const enum al_text_cut cut[] = {AL_CUT_NONE, AL_CUT_START, AL_CUT_NONE, AL_CUT_END,
                                           AL_CUT_NONE, AL_CUT_END,   AL_CUT_NONE, AL_CUT_NONE};
    struct al_text_table t;
    al_text_table_init(&t, head, cut, 8, 7);
    for (size_t i = 0; i < ag->n_auths; i++)
        if (ag->auths[i].section == section)
            add_auth_row(&t, &ag->auths[i]);
    if (t.n_rows)
        al_text_table_render(&t, out, 2, v->width, v->color);
    al_text_table_free(&t);
}

static bool has_section(const struct al_access_agent *ag, enum al_section s)
{
    for (size_t i = 0; i < ag->n_auths; i++)
        if (ag->auths[i].section == s)
            return true;
    return false;
}

static void notes(const struct al_explain_view *v, const struct al_access_agent *ag,
                  struct al_buf *out)
{
    for (size_t i = 0; i < ag->n_auths; i++) {
        struct al_buf b = AL_BUF_INIT;
        if (!al_explain_auth_note(&b, &ag->auths[i]))
            continue;
        al_text_wrap(out, al_buf_cstr(&b), 4, v->width);
        al_buf_free(&b);
    }
}

static void agent_header(const struct al_explain_view *v, const struct al_access_agent *ag,
                         struct al_buf *out)
{
    al_ansi(out, v->color, AL_ANSI_BOLD);
    al_buf_puts(out, "Agent ");
    al_safe_puts(out, ag->name ? ag->name : ag->path);
    al_ansi(out, v->color, AL_ANSI_RESET);
    al_buf_puts(out, " (");
    al_safe_puts(out, ag->path);
    al_buf_puts(out, ")");
    if (ag->context) {
        al_buf_puts(out, ", kubeconfig context ");
        al_safe_puts(out, ag->context);
    }
    al_buf_putc(out, '\n');
    if (ag->rejected) {
        struct al_buf note = AL_BUF_INIT;
        al_explain_rejected_note(&note, ag);
        al_ansi(out, v->color, AL_ANSI_RED);
        al_text_wrap(out, al_buf_cstr(&note), 2, v->width);
        al_ansi(out, v->color, AL_ANSI_RESET);
        al_buf_free(&note);
    }
}

/* What the agent's environment templates create (access/templates.h). */
static void templates(const struct al_explain_view *v, const struct al_access_agent *ag,
                      struct al_buf *out)
{
    struct al_tmpls t;
    al_tmpls_load(&t, v->report ? v->report->source : NULL, ag->name);
    for (size_t i = 0; i < t.n; i++) {
        struct al_buf b = AL_BUF_INIT;
        al_explain_template_head(&b, &t.items[i]);
        al_text_wrap(out, al_buf_cstr(&b), 2, v->width);
        for (size_t k = 0; k < t.items[i].n_objects; k++) {
            al_buf_clear(&b);
            al_explain_template_object(&b, &t.items[i].objects[k]);
            al_text_wrap(out, al_buf_cstr(&b), 4, v->width);
        }
        al_buf_free(&b);
    }
    al_tmpls_free(&t);
}

static void matrix(const struct al_explain_view *v, struct al_buf *out)
{
    for (size_t i = 0; i < v->model->n_agents; i++) {
        const struct al_access_agent *ag = v->model->agents[i];
        agent_header(v, ag, out);
        if (!ag->n_auths)
            al_buf_puts(out, "  no authorizations: no CI/CD job can use this agent\n");
        auth_table(v, ag, AL_CI_ACCESS, out);
        if (has_section(ag, AL_USER_ACCESS)) {
            al_buf_puts(out, "  user_access:\n");
            auth_table(v, ag, AL_USER_ACCESS, out);
        }
        notes(v, ag, out);
        templates(v, ag, out);
        al_buf_putc(out, '\n');
    }
}

/* ---- one job ---- */

static void answer_table(const struct al_explain_view *v, struct al_buf *out)
{
    static const char *const head[] = {"AGENT", "ANSWER", "DECIDED BY", "ACCESS AS", "CONTEXT"};
    static const enum al_text_cut cut[] = {AL_CUT_END, AL_CUT_NONE, AL_CUT_END, AL_CUT_NONE,
                                           AL_CUT_START};
    struct al_text_table t;
    al_text_table_init(&t, head, cut, 5, 1);
    for (size_t i = 0; i < v->decisions->n; i++) {
        const struct al_decision *x = &v->decisions->items[i];
        char *by = x->auth ? entry_cell(al_explain_entry, x->auth) : NULL;
        struct al_buf name = AL_BUF_INIT;
        al_buf_printf(&name, "%s%s", x->agent->name ? x->agent->name : x->agent->path,
                      x->agent->rejected ? " (rejected)" : "");
        const char *cells[] = {
            al_buf_cstr(&name), x->allowed ? "allowed" : "denied", by ? by : "no entry",
            x->auth ? al_access_as_name(x->auth->access_as) : "-", x->context ? x->context : "-"};
        al_text_table_row(&t, cells, x->allowed ? AL_ANSI_GREEN : AL_ANSI_RED);
        al_buf_free(&name);
        free(by);
    }
    al_text_table_render(&t, out, 2, v->width, v->color);
    al_text_table_free(&t);
}

static void identity(const struct al_explain_view *v, const struct al_decision *x,
                     struct al_buf *out)
{
    const struct al_identity *id = &x->identity;
    if (id->as == AL_AS_AGENT) {
        al_text_wrap(out, "identity: the agent's own service account (no impersonation)", 2,
                     v->width);
        return;
    }
    if (!id->username) {
        al_text_wrap(out, "identity: not documented by GitLab for this access_as", 2, v->width);
        return;
    }
    al_buf_puts(out, "  impersonates user ");
    al_safe_puts(out, id->username);
    if (id->uid) {
        al_buf_puts(out, ", uid ");
        al_safe_puts(out, id->uid);
    }
    al_buf_putc(out, '\n');
    for (size_t i = 0; i < id->n_groups; i++) {
        al_buf_puts(out, i ? "           " : "    groups ");
        al_safe_puts(out, id->groups[i]);
        al_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < id->n_extra; i++) {
        al_buf_puts(out, i ? "           " : "    extra  ");
        al_safe_puts(out, id->extra[i].key);
        al_buf_puts(out, ":");
        for (size_t k = 0; k < id->extra[i].n_vals; k++) {
            al_buf_puts(out, " ");
            al_safe_puts(out, id->extra[i].vals[k]);
        }
        al_buf_putc(out, '\n');
    }
}

static void decision_details(const struct al_explain_view *v, const struct al_decision *x,
                             struct al_buf *out)
{
    al_ansi(out, v->color, x->allowed ? AL_ANSI_GREEN : AL_ANSI_RED);
    al_safe_puts(out, x->agent->name ? x->agent->name : x->agent->path);
    al_buf_printf(out, ": %s", x->allowed ? "allowed" : "denied");
    al_ansi(out, v->color, AL_ANSI_RESET);
    al_buf_putc(out, '\n');
    if (x->agent->rejected)
        al_text_wrap(out,
                     "note: GitLab rejects this agent's config.yaml and keeps the previous "
                     "configuration; this answer reads the file as written",
                     2, v->width);
    al_text_wrap(out, x->why, 2, v->width);
    if (x->license_note)
        al_text_wrap_prefixed(out, "licence: ", x->license_note, 2, v->width);
    if (x->other_matching_note)
        al_text_wrap_prefixed(out, "note: ", x->other_matching_note, 2, v->width);
    if (x->allowed && x->context) {
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b, "kubeconfig context %s, namespace %s", x->context,
                      x->namespace ? x->namespace : "(none: the default)");
        al_text_wrap(out, al_buf_cstr(&b), 2, v->width);
        al_buf_free(&b);
    }
    if (x->allowed)
        identity(v, x, out);
    al_buf_putc(out, '\n');
}

static void missing(const struct al_explain_view *v, struct al_buf *out)
{
    const struct al_decisions *d = v->decisions;
    if (!d->n_missing)
        return;
    al_text_wrap(out,
                 "Numeric ids not known (shown as <path>); fetch them and add --ids ids.json:", 0,
                 v->width);
    for (size_t i = 0; i < d->n_missing; i++) {
        al_buf_puts(out, "  ");
        al_buf_printf(out, "%s ", al_explain_id_kind(d->missing[i].kind));
        al_safe_puts(out, d->missing[i].path);
        al_buf_puts(out, ":  ");
        struct al_buf cmd = AL_BUF_INIT;
        al_explain_fetch_command(&cmd, &d->missing[i]);
        al_buf_puts(out, al_buf_cstr(&cmd)); /* percent-encoded: nothing to escape */
        al_buf_free(&cmd);
        al_buf_putc(out, '\n');
    }
}

static void decisions(const struct al_explain_view *v, struct al_buf *out)
{
    const struct al_decisions *d = v->decisions;
    struct al_buf b = AL_BUF_INIT;
    al_buf_puts(&b, "Job: ");
    al_explain_job(&b, d);
    al_text_wrap(out, al_buf_cstr(&b), 0, v->width);
    al_buf_clear(&b);
    al_buf_puts(&b, d->personal ? "In a personal namespace: no group ids are sent"
                                : "Groups of the project, nearest first:");
    for (size_t i = 0; i < d->n_ancestors; i++)
        al_buf_printf(&b, "%s %s", i ? "," : "", d->ancestors[i]);
    al_text_wrap(out, al_buf_cstr(&b), 0, v->width);
    al_buf_free(&b);
    al_buf_putc(out, '\n');
    if (!d->n) {
        al_buf_puts(out, "No agents in this repository: no agent of it can serve the job.\n");
        return;
    }
    answer_table(v, out);
    al_buf_putc(out, '\n');
    for (size_t i = 0; i < d->n; i++)
        decision_details(v, &d->items[i], out);
    missing(v, out);
}

void al_render_explain_text(const struct al_explain_view *v, struct al_buf *out)
{
    al_buf_puts(out, "Configuration project: ");
    if (v->config_project) {
        al_safe_puts(out, v->config_project);
        al_buf_printf(out, " (from %s)\n\n", v->config_project_origin);
    } else {
        al_buf_puts(out, "unknown (give --project-path)\n\n");
    }
    if (v->decisions) {
        decisions(v, out);
        if (v->perms)
            al_render_perm_text(v, out);
    } else if (!v->model->n_agents)
        al_buf_puts(out, "No agent configurations under .gitlab/agents/.\n");
    else
        matrix(v, out);
}
