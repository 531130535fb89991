/* diff, markdown: a merge-request comment. A rejected file comes first
 * (its agent's access stays as it was), then one summary line, a table of
 * the changes with their reasons, and the new and fixed findings. Every
 * value from a config, a repository or the command line goes through
 * al_md_escape (cli/markdown.h): escaped by construction. */
#include "cli/diff.h"

#include <stdlib.h>
#include "cli/markdown.h"

#include <stdio.h>
#include <string.h>

static void short_sha(struct al_buf *out, const char *sha)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "%.12s", sha);
    al_md_escape_buf(out, &b);
}

static void finding_item(struct al_buf *out, const struct al_finding *f)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "%s:%u:%u", f->path, f->line ? f->line : 1, f->col ? f->col : 1);
    al_buf_puts(out, "- **");
    al_md_escape(out, al_severity_name(f->severity));
    al_buf_puts(out, "** ");
    al_md_escape_buf(out, &b);
    al_buf_puts(out, ": ");
    al_md_escape(out, f->message);
    al_buf_puts(out, " (");
    al_md_escape(out, f->rule);
    al_buf_puts(out, ")\n");
}

static void rejected(const struct al_diff_view *v, struct al_buf *out)
{
    for (size_t i = 0; i < v->diff->n_agents; i++) {
        const struct al_diff_agent *a = &v->diff->agents[i];
        if (!a->head_rejected)
            continue;
        const char *notes[AL_RENDER_DIFF_MAX_NOTES];
        size_t n = al_render_diff_agent_notes(a, notes);
        al_buf_puts(out, "\xE2\x9B\x94 **Agent ");
        al_md_escape(out, a->name);
        al_buf_puts(out, "**: ");
        for (size_t k = 0; k < n; k++) {
            al_buf_puts(out, k ? ". " : "");
            al_md_escape(out, notes[k]);
        }
        al_buf_puts(out, ". Errors in ");
        al_md_escape(out, a->path);
        al_buf_puts(out, ":\n\n");
        for (size_t k = 0; k < a->n_errors; k++)
            finding_item(out, a->errors[k]);
        if (!a->n_errors)
            al_buf_puts(out, "- (silenced by ignores here; GitLab rejects the file all the same: "
                             "run agentlint check)\n");
        al_buf_putc(out, '\n');
    }
}

static void summary(const struct al_diff_view *v, struct al_buf *out)
{
    struct al_buf h = AL_BUF_INIT, c = AL_BUF_INIT;
    al_render_diff_headline(&h, v->diff, "This merge request");
    al_render_diff_counts(&c, v->diff);
    al_buf_puts(out, "**");
    al_md_escape_buf(out, &h);
    al_buf_puts(out, "**");
    if (c.len) {
        al_buf_puts(out, ": ");
        al_md_escape(out, al_buf_cstr(&c));
    }
    al_buf_puts(out, ".\n\n");
    al_buf_free(&c);
}

static void agent_notes(const struct al_diff_view *v, struct al_buf *out)
{
    bool any = false;
    for (size_t i = 0; i < v->diff->n_agents; i++) {
        const struct al_diff_agent *a = &v->diff->agents[i];
        const char *notes[AL_RENDER_DIFF_MAX_NOTES];
        size_t n = a->head_rejected ? 0 : al_render_diff_agent_notes(a, notes);
        for (size_t k = 0; k < n; k++) {
            al_buf_puts(out, "- Agent **");
            al_md_escape(out, a->name);
            al_buf_puts(out, "**: ");
            al_md_escape(out, notes[k]);
            al_buf_putc(out, '\n');
            any = true;
        }
    }
    if (any)
        al_buf_putc(out, '\n');
}

static const char *effect_cell(enum al_diff_effect e)
{
    switch (e) {
    case AL_EFFECT_WIDENED:
        return "\xE2\x9A\xA0 widened";
    case AL_EFFECT_MIXED:
        return "\xE2\x9A\xA0 mixed";
    case AL_EFFECT_NARROWED:
        return "narrowed";
    default:
        return "neutral";
    }
}

static void cell(struct al_buf *out, const char *s)
{
    al_buf_puts(out, " ");
    al_md_escape_cell(out, s ? s : "-");
    al_buf_puts(out, " |");
}

static void terms_cell(struct al_buf *out, const struct al_auth *a)
{
    struct al_buf b = AL_BUF_INIT;
    if (a)
        al_render_diff_terms(&b, a);
    cell(out, a ? al_buf_cstr(&b) : NULL);
    al_buf_free(&b);
}

/* Reasons in one cell, separated by <br>: the only markup written into
 * a cell, and never built from a value. */
static void reasons_cell(struct al_buf *out, const struct al_diff_item *it)
{
    al_buf_puts(out, " ");
    for (size_t k = 0; k < it->n_reasons; k++) {
        al_buf_puts(out, k ? "<br>" : "");
        al_md_escape_cell(out, it->reasons[k].text);
        if (strcmp(it->reasons[k].field, "entry") != 0) {
            al_buf_puts(out, " (");
            al_md_escape_cell(out, al_diff_effect_name(it->reasons[k].effect));
            al_buf_puts(out, ")");
        }
    }
    if (it->base_rejected)
        al_buf_puts(out, "<br>BASE&#39;s file was rejected: what was in force at BASE is older");
    al_buf_puts(out, " |\n");
}

static void changes(const struct al_diff_view *v, struct al_buf *out)
{
    static const char *const head[] = {"Effect", "Change", "Agent", "Section", "Scope",
                                       "Id",     "Before", "After", "Why"};
    al_md_header(out, head, sizeof head / sizeof head[0]);
    for (size_t i = 0; i < v->diff->n_items; i++) {
        const struct al_diff_item *it = &v->diff->items[i];
        al_buf_puts(out, "|");
        cell(out, effect_cell(it->effect));
        cell(out, al_diff_change_name(it->change));
        cell(out, it->agent);
        cell(out, al_section_name(it->section));
        cell(out, al_scope_name(it->scope));
        cell(out, it->id);
        terms_cell(out, it->before);
        terms_cell(out, it->after);
        reasons_cell(out, it);
    }
    al_buf_putc(out, '\n');
}

static void findings(const struct al_diff_view *v, struct al_buf *out)
{
    al_buf_printf(out, "#### Findings: %zu new, %zu fixed\n\n", v->n_new, v->n_fixed);
    if (v->n_new) {
        al_buf_puts(out, "New:\n\n");
        for (size_t i = 0; i < v->n_new; i++)
            finding_item(out, v->new_findings[i].finding);
        al_buf_putc(out, '\n');
    }
    if (v->n_fixed) {
        al_buf_puts(out, "Fixed:\n\n");
        for (size_t i = 0; i < v->n_fixed; i++)
            finding_item(out, v->fixed_findings[i].finding);
        al_buf_putc(out, '\n');
    }
}

static void footer(const struct al_diff_view *v, struct al_buf *out)
{
    al_buf_puts(out, "<sub>agentlint ");
    al_md_escape(out, v->version);
    al_buf_puts(out, v->merge_base ? " \xC2\xB7 base (merge base) " : " \xC2\xB7 base ");
    short_sha(out, v->base);
    al_buf_puts(out, " \xC2\xB7 head ");
    short_sha(out, v->head);
    al_buf_puts(out, " \xC2\xB7 configuration project ");
    if (v->config_project)
        al_md_escape(out, v->config_project);
    else
        al_buf_puts(out, "unknown (implicit authorizations left out)");
    al_buf_puts(out, "</sub>\n");
}

static void perm_rows(struct al_buf *out, const char *identity, const char *change,
                      const struct al_perm *ps, size_t n)
{
    for (size_t i = 0, k; i < n; i += k) {
        k = al_perm_run(ps + i, n - i);
        char *d = al_perm_describe(ps + i, k);
        struct al_buf from = AL_BUF_INIT;
        al_buf_printf(&from, "%s %s", ps[i].binding, ps[i].role);
        const char *cells[] = {identity, change, d, al_buf_cstr(&from)};
        al_md_cells(out, cells, 4);
        al_buf_free(&from);
        free(d);
    }
}

/* diff --rbac: permissions gained and lost per identity. */
static void permissions(const struct al_diff_view *v, struct al_buf *out)
{
    const struct al_permdiff *p = v->perms;
    if (!p)
        return;
    al_buf_printf(out, "#### Cluster permissions: %zu gained, %zu lost\n\n", p->n_added,
                  p->n_removed);
    if (!p->n)
        return;
    static const char *const head[] = {"identity", "change", "permission", "binding and role"};
    al_md_header(out, head, 4);
    for (size_t i = 0; i < p->n; i++) {
        perm_rows(out, p->items[i].name, "gained", p->items[i].added, p->items[i].n_added);
        perm_rows(out, p->items[i].name, "lost", p->items[i].removed, p->items[i].n_removed);
    }
    al_buf_putc(out, '\n');
}

void al_render_diff_markdown(const struct al_diff_view *v, struct al_buf *out)
{
    al_buf_puts(out, "### agentlint: access changes\n\n");
    rejected(v, out);
    summary(v, out);
    agent_notes(v, out);
    if (v->diff->n_items)
        changes(v, out);
    permissions(v, out);
    findings(v, out);
    footer(v, out);
}
