/* diff, text: for a terminal or a CI log. First what GitLab would reject
 * (those agents' access stays as it was), then the headline, a table of
 * the changes that fits the terminal, each change's reasons as wrapped
 * sentences, and the new and fixed findings. Untrusted text never carries
 * control characters to the terminal. */
#include "cli/ansi.h"
#include "cli/diff.h"
#include "cli/text_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *effect_color(enum al_diff_effect e)
{
    return e & AL_EFFECT_WIDENED     ? AL_ANSI_RED
           : e == AL_EFFECT_NARROWED ? AL_ANSI_GREEN
                                     : AL_ANSI_YELLOW;
}

static void short_sha(struct al_buf *out, const char *sha)
{
    al_buf_printf(out, "%.12s", sha);
}

static void header(const struct al_diff_view *v, struct al_buf *out)
{
    al_ansi(out, v->color, AL_ANSI_BOLD);
    al_buf_puts(out, "agentlint diff ");
    if (v->merge_base)
        al_buf_puts(out, "merge base of ");
    al_safe_puts(out, v->base_rev);
    if (v->merge_base) {
        al_buf_puts(out, " and ");
        al_safe_puts(out, v->head_rev);
    }
    al_buf_puts(out, " (");
    short_sha(out, v->base);
    al_buf_puts(out, ") .. ");
    al_safe_puts(out, v->head_rev);
    al_buf_puts(out, " (");
    short_sha(out, v->head);
    al_buf_puts(out, ")");
    al_ansi(out, v->color, AL_ANSI_RESET);
    al_buf_puts(out, "\nConfiguration project: ");
    if (v->config_project) {
        al_safe_puts(out, v->config_project);
        al_buf_printf(out, " (from %s)\n\n", v->config_project_origin);
    } else {
        al_buf_puts(out, "unknown (give --project-path): implicit authorizations are left out\n\n");
    }
}

static void finding_line(struct al_buf *out, const char *prefix, const struct al_finding *f)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "%s:%u:%u: %s: %s [%s]", f->path, f->line ? f->line : 1, f->col ? f->col : 1,
                  al_severity_name(f->severity), f->message, f->rule);
    al_buf_puts(out, prefix);
    al_safe_puts(out, al_buf_cstr(&b));
    al_buf_putc(out, '\n');
    al_buf_free(&b);
}

/* Agents whose state comes before any change: rejected files first. */
static void agent_notes(const struct al_diff_view *v, struct al_buf *out, bool rejected)
{
    const struct al_diff *d = v->diff;
    bool any = false;
    for (size_t i = 0; i < d->n_agents; i++) {
        const struct al_diff_agent *a = &d->agents[i];
        if (a->head_rejected != rejected)
            continue;
        const char *notes[AL_RENDER_DIFF_MAX_NOTES];
        size_t n = al_render_diff_agent_notes(a, notes);
        for (size_t k = 0; k < n; k++) {
            struct al_buf b = AL_BUF_INIT;
            al_buf_printf(&b, "agent %s: %s", a->name, notes[k]);
            al_ansi(out, v->color && rejected, AL_ANSI_RED);
            al_text_wrap(out, al_buf_cstr(&b), 0, v->width);
            al_ansi(out, v->color && rejected, AL_ANSI_RESET);
            al_buf_free(&b);
            any = true;
        }
        for (size_t k = 0; k < a->n_errors; k++)
            finding_line(out, "  ", a->errors[k]);
    }
    if (any)
        al_buf_putc(out, '\n');
}

static void headline(const struct al_diff_view *v, struct al_buf *out)
{
    struct al_buf h = AL_BUF_INIT, c = AL_BUF_INIT;
    al_render_diff_headline(&h, v->diff, "This change");
    al_render_diff_counts(&c, v->diff);
    al_ansi(out, v->color, v->diff->n_items ? effect_color(v->diff->effect) : AL_ANSI_GREEN);
    al_buf_puts(out, al_buf_cstr(&h));
    al_ansi(out, v->color, AL_ANSI_RESET);
    if (c.len)
        al_buf_printf(out, ": %s", al_buf_cstr(&c));
    al_buf_puts(out, "\n\n");
    al_buf_free(&h);
    al_buf_free(&c);
}

static void table(const struct al_diff_view *v, struct al_buf *out)
{
    static const char *const head[] = {"EFFECT", "CHANGE", "AGENT", "SECTION", "SCOPE", "ID"};
    static const enum al_text_cut cut[] = {AL_CUT_NONE, AL_CUT_NONE, AL_CUT_END,
                                           AL_CUT_NONE, AL_CUT_NONE, AL_CUT_START};
    struct al_text_table t;
    al_text_table_init(&t, head, cut, 6, 0);
    for (size_t i = 0; i < v->diff->n_items; i++) {
        const struct al_diff_item *it = &v->diff->items[i];
        const char *cells[] = {
            al_diff_effect_name(it->effect), al_diff_change_name(it->change), it->agent,
            al_section_name(it->section),    al_scope_name(it->scope),        it->id};
        al_text_table_row(&t, cells, effect_color(it->effect));
    }
    al_text_table_render(&t, out, 2, v->width, v->color);
    al_text_table_free(&t);
    al_buf_putc(out, '\n');
}

static void terms(const struct al_diff_view *v, struct al_buf *out, const char *label,
                  const struct al_auth *a)
{
    struct al_buf b = AL_BUF_INIT;
    al_render_diff_terms(&b, a);
    if (a->line)
        al_buf_printf(&b, " (line %u)", a->line);
    al_text_wrap_prefixed(out, label, al_buf_cstr(&b), 2, v->width);
    al_buf_free(&b);
}

static void details(const struct al_diff_view *v, struct al_buf *out)
{
    for (size_t i = 0; i < v->diff->n_items; i++) {
        const struct al_diff_item *it = &v->diff->items[i];
        struct al_buf t = AL_BUF_INIT;
        al_buf_printf(&t, "%s: ", it->agent);
        al_render_diff_title(&t, it);
        al_buf_printf(&t, " %s: %s", al_diff_change_name(it->change),
                      al_diff_effect_name(it->effect));
        al_ansi(out, v->color, AL_ANSI_BOLD);
        al_text_wrap(out, al_buf_cstr(&t), 0, v->width);
        al_ansi(out, v->color, AL_ANSI_RESET);
        al_buf_free(&t);
        if (it->before)
            terms(v, out, "before: ", it->before);
        if (it->after)
            terms(v, out, "after:  ", it->after);
        for (size_t k = 0; k < it->n_reasons; k++) {
            struct al_buf r = AL_BUF_INIT;
            al_buf_puts(&r, it->reasons[k].text);
            if (strcmp(it->reasons[k].field, "entry") != 0) /* the change's own effect */
                al_buf_printf(&r, " (%s)", al_diff_effect_name(it->reasons[k].effect));
            al_text_wrap_prefixed(out, "- ", al_buf_cstr(&r), 2, v->width);
            al_buf_free(&r);
        }
        if (it->base_rejected)
            al_text_wrap_prefixed(out, "- ",
                                  "BASE's file was rejected: what was in force at BASE is older", 2,
                                  v->width);
        al_buf_putc(out, '\n');
    }
}

static void findings(const struct al_diff_view *v, struct al_buf *out)
{
    al_buf_printf(out, "Findings: %zu new, %zu fixed\n", v->n_new, v->n_fixed);
    for (size_t i = 0; i < v->n_new; i++)
        finding_line(out, "  new    ", v->new_findings[i].finding);
    for (size_t i = 0; i < v->n_fixed; i++)
        finding_line(out, "  fixed  ", v->fixed_findings[i].finding);
}

static void perm_lines(struct al_buf *out, const char *sign, const struct al_perm *ps, size_t n)
{
    for (size_t i = 0, k; i < n; i += k) {
        k = al_perm_run(ps + i, n - i);
        char *d = al_perm_describe(ps + i, k);
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b, "%s (%s %s)", d, ps[i].binding, ps[i].role);
        al_buf_printf(out, "    %s ", sign);
        al_safe_puts(out, al_buf_cstr(&b));
        al_buf_putc(out, '\n');
        al_buf_free(&b);
        free(d);
    }
}

/* diff --rbac: what each identity may do that it could not, and the reverse. */
static void permissions(const struct al_diff_view *v, struct al_buf *out)
{
    const struct al_permdiff *p = v->perms;
    if (!p)
        return;
    al_buf_printf(out, "Cluster permissions: %zu gained, %zu lost%s\n", p->n_added, p->n_removed,
                  p->n_added ? " (widened)" : "");
    for (size_t i = 0; i < p->n; i++) {
        al_buf_printf(out, "  %s ", p->items[i].kind);
        al_safe_puts(out, p->items[i].name);
        al_buf_putc(out, '\n');
        perm_lines(out, "+", p->items[i].added, p->items[i].n_added);
        perm_lines(out, "-", p->items[i].removed, p->items[i].n_removed);
    }
    al_buf_putc(out, '\n');
}

void al_render_diff_text(const struct al_diff_view *v, struct al_buf *out)
{
    header(v, out);
    agent_notes(v, out, true);
    headline(v, out);
    agent_notes(v, out, false);
    if (v->diff->n_items) {
        table(v, out);
        details(v, out);
    }
    permissions(v, out);
    findings(v, out);
}
