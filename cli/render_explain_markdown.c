/* explain, markdown: for a merge-request comment or a review document.
 * Every string from a config or the command line goes through
 * al_md_escape (cli/markdown.h): escaped by construction. */
#include "cli/render_doc.h"
#include "cli/explain.h"
#include "cli/markdown.h"

/* ---- the matrix ---- */

static void agent_matrix(struct al_buf *out, const struct al_source *src,
                         const struct al_access_agent *ag)
{
    struct al_doc doc;
    al_doc_init(&doc);
    al_explain_doc_heading(doc.root, 3, ag);
    al_explain_doc_config(doc.root, ag);
    al_explain_doc_rejected(doc.root, ag);
    al_explain_doc_matrix(doc.root, ag);
    al_explain_doc_templates(doc.root, src, ag);
    al_doc_render_markdown(doc.root, out);
    al_doc_free(&doc);
}

/* ---- one job ---- */

static void decision_row(struct al_buf *out, const struct al_decision *x)
{
    struct al_buf by = AL_BUF_INIT;
    if (x->auth)
        al_explain_entry(&by, x->auth);
    const char *v[] = {x->agent->name ? x->agent->name : x->agent->path,
                       x->allowed ? "allowed" : "denied",
                       x->auth ? al_buf_cstr(&by) : "no entry",
                       x->auth ? al_access_as_name(x->auth->access_as) : NULL,
                       x->context,
                       x->why};
    al_md_cells(out, v, sizeof v / sizeof v[0]);
    al_buf_free(&by);
}

static void identity(struct al_buf *out, const struct al_decision *x)
{
    const struct al_identity *id = &x->identity;
    al_buf_puts(out, "- **");
    al_md_escape(out, x->agent->name);
    al_buf_puts(out, "**: ");
    if (id->as == AL_AS_AGENT || !id->username) {
        al_buf_puts(out, id->as == AL_AS_AGENT ? "the agent's own service account\n"
                                               : "identity not documented by GitLab\n");
        return;
    }
    al_buf_puts(out, "user ");
    al_md_escape(out, id->username);
    al_buf_puts(out, "; groups ");
    for (size_t i = 0; i < id->n_groups; i++) {
        al_buf_puts(out, i ? ", " : "");
        al_md_escape(out, id->groups[i]);
    }
    for (size_t i = 0; i < id->n_extra; i++) {
        al_buf_puts(out, i ? ", " : "; extra ");
        al_md_escape(out, id->extra[i].key);
        al_buf_puts(out, " = ");
        for (size_t k = 0; k < id->extra[i].n_vals; k++)
            al_md_escape(out, id->extra[i].vals[k]);
    }
    al_buf_putc(out, '\n');
}

static void decision_notes(struct al_buf *out, const struct al_decision *x)
{
    const char *notes[] = {x->agent->rejected ? "GitLab rejects this agent's config.yaml; the "
                                                "answer reads the file as written"
                                              : NULL,
                           x->license_note, x->other_matching_note};
    for (size_t i = 0; i < 3; i++) {
        if (!notes[i])
            continue;
        al_buf_puts(out, "- ");
        al_md_escape(out, x->agent->name);
        al_buf_puts(out, ": ");
        al_md_escape(out, notes[i]);
        al_buf_putc(out, '\n');
    }
}

static void missing(struct al_buf *out, const struct al_decisions *d)
{
    if (!d->n_missing)
        return;
    al_buf_puts(out, "\nNumeric ids not known (shown as &lt;path&gt;); fetch them and add "
                     "--ids ids.json:\n\n```sh\n");
    for (size_t i = 0; i < d->n_missing; i++) {
        al_explain_fetch_command(out, &d->missing[i]); /* percent-encoded: inert */
        al_buf_putc(out, '\n');
    }
    al_buf_puts(out, "```\n");
}

static void decisions(struct al_buf *out, const struct al_decisions *d)
{
    static const char *const head[] = {"Agent",     "Answer",  "Decided by",
                                       "Access as", "Context", "Why"};
    struct al_buf job = AL_BUF_INIT;
    al_explain_job(&job, d);
    al_buf_puts(out, "## Which agents can this job use?\n\nJob: ");
    al_md_escape_buf(out, &job);
    al_buf_puts(out, "\n\n");
    if (!d->n) {
        al_buf_puts(out, "No agent configurations under .gitlab/agents/: no agent of this "
                         "repository can serve the job.\n");
        return;
    }
    al_md_header(out, head, sizeof head / sizeof head[0]);
    for (size_t i = 0; i < d->n; i++)
        decision_row(out, &d->items[i]);
    al_buf_puts(out, "\n");
    for (size_t i = 0; i < d->n; i++)
        decision_notes(out, &d->items[i]);
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].allowed)
            identity(out, &d->items[i]);
    missing(out, d);
}

void al_render_explain_markdown(const struct al_explain_view *v, struct al_buf *out)
{
    if (v->decisions) {
        decisions(out, v->decisions);
        if (v->perms)
            al_render_perm_markdown(v, out);
        return;
    }
    al_buf_puts(out, "## CI/CD access of the GitLab agents\n\nConfiguration project: ");
    if (v->config_project) {
        al_md_escape(out, v->config_project);
        al_buf_puts(out, " (from ");
        al_md_escape(out, v->config_project_origin);
        al_buf_puts(out, ")");
    } else {
        al_buf_puts(out, "unknown (give --project-path)");
    }
    al_buf_puts(out, "\n\n");
    for (size_t i = 0; i < v->model->n_agents; i++)
        agent_matrix(out, v->report ? v->report->source : NULL, v->model->agents[i]);
    if (!v->model->n_agents)
        al_buf_puts(out, "No agent configurations under .gitlab/agents/.\n");
}
