/* Wording shared by diff's formats, so text, Markdown and JSON say the
 * same thing. Escaping stays with each renderer. */
#include "cli/diff.h"
#include "cli/explain.h"

#include <stdio.h>

/* Which sections an effect bit occurs in: 1 ci_access, 2 user_access. */
static unsigned sections_with(const struct al_diff *d, enum al_diff_effect bit)
{
    unsigned s = 0;
    for (size_t i = 0; i < d->n_items; i++)
        if (d->items[i].effect & bit)
            s |= d->items[i].section == AL_USER_ACCESS ? 2u : 1u;
    return s;
}

static const char *what(unsigned sections)
{
    return sections == 3 ? "CI/CD and user access" : sections == 2 ? "user access" : "CI/CD access";
}

void al_render_diff_headline(struct al_buf *out, const struct al_diff *d, const char *subject)
{
    unsigned widened = sections_with(d, AL_EFFECT_WIDENED);
    unsigned narrowed = sections_with(d, AL_EFFECT_NARROWED);
    if (!d->n_items)
        al_buf_puts(out, "No access change");
    else if (widened)
        al_buf_printf(out, "\xE2\x9A\xA0 %s widens %s", subject, what(widened));
    else if (narrowed)
        al_buf_printf(out, "%s narrows %s", subject, what(narrowed));
    else
        al_buf_printf(out, "%s changes access settings but neither widens nor narrows access",
                      subject);
}

void al_render_diff_counts(struct al_buf *out, const struct al_diff *d)
{
    static const enum al_diff_effect order[] = {AL_EFFECT_WIDENED, AL_EFFECT_MIXED,
                                                AL_EFFECT_NARROWED, AL_EFFECT_NEUTRAL};
    bool first = true;
    for (size_t k = 0; k < 4; k++) {
        size_t n = 0;
        for (size_t i = 0; i < d->n_items; i++)
            n += d->items[i].effect == order[k];
        if (!n)
            continue;
        al_buf_printf(out, "%s%zu %s", first ? "" : ", ", n, al_diff_effect_name(order[k]));
        first = false;
    }
}

void al_render_diff_terms(struct al_buf *out, const struct al_auth *a)
{
    al_buf_puts(out, al_access_as_name(a->access_as));
    if (a->imp && a->imp->username)
        al_buf_printf(out, " %s", a->imp->username);
    if (a->imp && a->imp->n_groups) {
        al_buf_puts(out, " (groups ");
        for (size_t i = 0; i < a->imp->n_groups; i++)
            al_buf_printf(out, "%s%s", i ? ", " : "", a->imp->groups[i]);
        al_buf_puts(out, ")");
    }
    if (a->section == AL_USER_ACCESS)
        return;
    al_buf_puts(out, "; environments ");
    al_explain_envs(out, a);
    if (a->protected_branches_only)
        al_buf_puts(out, "; protected branches only");
    if (a->entry && a->entry->resource_management)
        al_buf_puts(out, "; resource management");
    if (a->default_namespace)
        al_buf_printf(out, "; default namespace %s", a->default_namespace);
}

void al_render_diff_title(struct al_buf *out, const struct al_diff_item *it)
{
    al_buf_printf(out, "%s %s", al_section_name(it->section), al_scope_name(it->scope));
    if (it->id)
        al_buf_printf(out, " %s", it->id);
}

size_t al_render_diff_agent_notes(const struct al_diff_agent *a,
                                  const char *notes[AL_RENDER_DIFF_MAX_NOTES])
{
    size_t n = 0;
    if (a->unregistrable) {
        notes[n++] = "GitLab cannot register an agent under this directory's name, so its "
                     "config.yaml is never read and grants nothing (agentlint check: agent-name)";
        return n;
    }
    if (a->head_rejected)
        notes[n++] = a->state == AL_DIFF_AGENT_ADDED
                         ? "new agent, but GitLab would reject its config.yaml at HEAD: none of "
                           "the file's entries take effect, only the implicit authorization of "
                           "its own project once it is registered"
                         : "GitLab would reject its config.yaml at HEAD and keep the "
                           "configuration already in force: the agent's access stays as it was "
                           "at BASE, so the file's changes are not reported as changes";
    if (a->base_rejected)
        notes[n++] = "GitLab would have rejected its config.yaml at BASE too, so the access in "
                     "force at BASE is older than BASE and cannot be known from it; what is "
                     "compared is what the files say";
    if (a->head_rejected)
        return n;
    if (a->state == AL_DIFF_AGENT_ADDED)
        notes[n++] = "new agent: once it is registered, CI/CD jobs of its own configuration "
                     "project can use it (implicit authorization), and its entries apply";
    else if (a->state == AL_DIFF_AGENT_REMOVED)
        notes[n++] = "agent directory removed: GitLab reads the missing config.yaml as an empty "
                     "configuration and deletes the agent's authorizations; the implicit one of "
                     "its own project lasts while the agent stays registered (delete the agent in "
                     "GitLab to end it)";
    else if (a->head_missing)
        notes[n++] = "config.yaml deleted: GitLab reads a missing file as an empty configuration "
                     "and deletes all of the agent's authorizations";
    else if (a->head_empty)
        notes[n++] = "config.yaml emptied: GitLab deletes all of the agent's authorizations";
    return n;
}
