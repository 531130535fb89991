/* Wording shared by explain's formats, so text, Markdown, JSON and DOT say
 * the same thing about an entry. Escaping stays with each renderer. */
#include "cli/explain.h"
#include "access/templates.h"
#include "cli/accepted.h"
#include "common/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void al_explain_envs(struct al_buf *out, const struct al_auth *a)
{
    if (!a->restricts_env) {
        al_buf_puts(out, "any");
        return;
    }
    if (!a->n_env)
        al_buf_puts(out, "(no valid pattern)");
    for (size_t i = 0; i < a->n_env; i++)
        al_buf_printf(out, "%s%s", i ? ", " : "", a->environments[i]);
}

bool al_explain_in_force(const struct al_auth *a)
{
    return a->effective && !(a->agent && a->agent->rejected);
}

const char *al_explain_status(const struct al_auth *a)
{
    if (a->agent && a->agent->rejected)
        return AL_EXPLAIN_NOT_IN_FORCE;
    if (a->effective)
        return "in force";
    if (a->drop == AL_DROP_DUPLICATE)
        return "shadowed";
    if (a->drop == AL_DROP_SETTING || a->drop == AL_DROP_UNSET)
        return "ignored";
    return "dropped";
}

void al_explain_rejected_note(struct al_buf *out, const struct al_access_agent *ag)
{
    al_buf_puts(out, "GitLab rejects this config.yaml and keeps the previous configuration in "
                     "force, which is unknown here: what the file says is not in force "
                     "(agentlint check says why).");
    if (ag->last_accepted[0])
        al_buf_printf(out,
                      " The newest version GitLab would accept is at commit %.12s: "
                      "--rev %.12s shows it (it is the one in force if it reached the default "
                      "branch and nothing newer did).",
                      ag->last_accepted, ag->last_accepted);
    else if (ag->history_walked)
        al_buf_printf(out,
                      " No version GitLab would accept in the %u commit%s of its history walked "
                      "(first parents, at most %u, until the file did not exist).",
                      ag->history_walked, ag->history_walked == 1 ? "" : "s",
                      AL_ACCEPTED_MAX_COMMITS);
}

void al_explain_entry(struct al_buf *out, const struct al_auth *a)
{
    switch (a->scope) {
    case AL_SCOPE_IMPLICIT:
        al_buf_printf(out, "implicit %s", a->id);
        break;
    case AL_SCOPE_INSTANCE:
        al_buf_printf(out, "instance (line %u)", a->line);
        break;
    default:
        al_buf_printf(out, "%s %s (line %u)", al_scope_name(a->scope), a->id ? a->id : "(no id)",
                      a->line);
    }
}

const char *const al_explain_matrix_head[AL_EXPLAIN_MATRIX_COLUMNS] = {
    "Section",           "Scope", "Id",    "Access as", "Environments", "Protected branches only",
    "Default namespace", "Line",  "Status"};

void al_explain_row_init(struct al_explain_row *r, const struct al_auth *a)
{
    if (a->line)
        snprintf(r->line, sizeof r->line, "%u", a->line);
    else
        strcpy(r->line, "-");
    r->envs = (struct al_buf)AL_BUF_INIT;
    al_explain_envs(&r->envs, a);
    const char *cells[AL_EXPLAIN_MATRIX_COLUMNS] = {al_section_name(a->section),
                                                    al_scope_name(a->scope),
                                                    a->id,
                                                    al_access_as_name(a->access_as),
                                                    al_buf_cstr(&r->envs),
                                                    a->protected_branches_only ? "yes" : "no",
                                                    a->default_namespace,
                                                    r->line,
                                                    al_explain_status(a)};
    memcpy(r->cells, cells, sizeof cells);
}

void al_explain_row_free(struct al_explain_row *r)
{
    al_buf_free(&r->envs);
}

bool al_explain_auth_note(struct al_buf *out, const struct al_auth *a)
{
    /* In a rejected file, which entry GitLab would prefer is moot. */
    if (a->effective && (!a->n_overridden_by || (a->agent && a->agent->rejected)))
        return false;
    al_explain_note_prefix(out, a);
    if (!a->effective) {
        al_buf_printf(out, "%s: %s", al_explain_status(a), a->why);
        return true;
    }
    al_buf_puts(out, "GitLab prefers ");
    for (size_t i = 0; i < a->n_overridden_by; i++) {
        al_buf_puts(out, i ? (i + 1 == a->n_overridden_by ? " and " : ", ") : "");
        al_explain_entry(out, a->overridden_by[i]);
    }
    al_buf_puts(out, " where they apply, whole and without merging");
    return true;
}

void al_explain_note_prefix(struct al_buf *out, const struct al_auth *a)
{
    if (a->line)
        al_buf_printf(out, "line %u, ", a->line);
    al_buf_puts(out, a->label);
    if (a->id)
        al_buf_printf(out, " %s", a->id);
    al_buf_puts(out, ": ");
}

const char *al_explain_id_kind(enum al_ids_kind k)
{
    switch (k) {
    case AL_IDS_PROJECT:
        return "project";
    case AL_IDS_GROUP:
        return "group";
    case AL_IDS_AGENT:
        return "agent";
    default:
        return "namespace";
    }
}

/* Percent-encoding leaves only [A-Za-z0-9._~-]: the result is safe in a URL
 * and in a shell command, whatever the path holds. */
static void url_encode(struct al_buf *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("._~-", *p))
            al_buf_putc(out, (char)*p);
        else
            al_buf_printf(out, "%%%02X", *p);
    }
}

/* The API path that answers with a missing id: the project or group
 * itself, or the agents of a configuration project. */
static void api_path(struct al_buf *out, const struct al_missing_id *m)
{
    if (m->kind == AL_IDS_AGENT) {
        const char *colon = strrchr(m->path, ':');
        char *project = al_strndup(m->path, colon ? (size_t)(colon - m->path) : strlen(m->path));
        al_buf_puts(out, "projects/");
        url_encode(out, project);
        al_buf_puts(out, "/cluster_agents");
        free(project);
    } else {
        al_buf_puts(out, m->kind == AL_IDS_GROUP ? "groups/" : "projects/");
        url_encode(out, m->path);
    }
}

void al_explain_fetch_command(struct al_buf *out, const struct al_missing_id *m)
{
    al_buf_puts(out, "glab api ");
    api_path(out, m);
    al_buf_puts(out, " >> ids.json");
}

void al_explain_fetch_curl(struct al_buf *out, const struct al_missing_id *m)
{
    al_buf_puts(out, "curl --fail --header \"PRIVATE-TOKEN: $GITLAB_TOKEN\" \"$CI_API_V4_URL/");
    api_path(out, m);
    al_buf_puts(out, "\" >> ids.json");
}

void al_explain_job(struct al_buf *out, const struct al_decisions *d)
{
    const struct al_job *j = &d->job;
    al_buf_printf(out, "project %s", j->project);
    if (j->environment)
        al_buf_printf(out, ", environment \"%s\" (tier %s%s, slug %s%s)", j->environment, j->tier,
                      d->tier_guessed ? " guessed from the name" : "", j->slug,
                      d->slug_computed ? " computed" : "");
    else
        al_buf_puts(out, ", no environment");
    al_buf_printf(out, ", %s ref, %s licence, %s environment matching",
                  j->protected_ref ? "protected" : "unprotected", al_license_name(j->license),
                  j->matching == AL_ENV_LEGACY ? "legacy" : "anchored");
}

/* ---- environment templates ---- */

static const char *or_unset(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

void al_explain_template_head(struct al_buf *out, const struct al_tmpl *t)
{
    al_buf_printf(out, "environment template %s (%s): ", t->name, t->path);
    if (!t->readable) {
        al_buf_puts(out, "GitLab cannot read it (see the environment-template finding), so "
                         "environments get no managed resources from it");
        return;
    }
    size_t bindings = 0;
    for (size_t i = 0; i < t->n_objects; i++)
        bindings += t->objects[i].binding;
    al_buf_printf(out,
                  "when a job of an entry with resource_management starts an environment, GitLab "
                  "applies it (%s) and deletes it (%s); it creates %zu object%s, %zu of them "
                  "binding roles",
                  or_unset(t->apply_resources, "apply_resources unset"),
                  or_unset(t->delete_resources, "delete_resources unset"), t->n_objects,
                  t->n_objects == 1 ? "" : "s", bindings);
}

void al_explain_template_object(struct al_buf *out, const struct al_tmpl_object *o)
{
    al_buf_printf(out, "%s %s", or_unset(o->kind, "(no kind)"), or_unset(o->name, "(no name)"));
    if (o->namespace)
        al_buf_printf(out, " in namespace %s", o->namespace);
    if (o->line)
        al_buf_printf(out, " (line %u)", o->line);
    if (!o->binding)
        return;
    al_buf_printf(out, ": binds %s %s to ", or_unset(o->role_kind, "(no roleRef kind)"),
                  or_unset(o->role_name, "(no roleRef name)"));
    if (!o->n_subjects)
        al_buf_puts(out, "no subject");
    for (size_t i = 0; i < o->n_subjects; i++) {
        const struct al_tmpl_subject *s = &o->subjects[i];
        al_buf_printf(out, "%s%s %s", i ? ", " : "", or_unset(s->kind, "(no kind)"),
                      or_unset(s->name, "(no name)"));
        if (s->namespace)
            al_buf_printf(out, " (namespace %s)", s->namespace);
    }
}
