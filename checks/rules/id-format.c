/* id-format: ids that can never match. GitLab compares an id with the
 * current full path of a project or group (LOWER(path) = LOWER(id)), so a
 * URL, a padded or numeric id, a placeholder, a project path under groups
 * (or a group path under projects) matches nothing and the entry is dropped
 * silently. What can be told from the text alone is in al_id_problem();
 * this file adds what needs the other entries or the configuration project,
 * and the same checks on gitops manifest project ids.
 *
 * Linear in the entries (a hashed index of the project paths). */
#include "checks/rules.h"
#include "checks/rules/util.h"
#include "model/paths.h"
#include "access/pathindex.h"
#include "common/alloc.h"
#include "common/str.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- ci_access / user_access ---- */

static void report_problem(const struct al_agent *a, const struct al_entry *e, const char *why,
                           const char *fix, struct al_findings *out)
{
    struct al_finding *f = al_rule_report_entry(
        out, a, "id-format", e, al_rule_id_pos(e), ".id",
        "\"%s\" %s. As written, the entry matches no %s and GitLab drops it without a word%s%s%s",
        e->id, why, e->scope == AL_SCOPE_GROUP ? "group" : "project", fix ? ": write \"" : "",
        fix ? fix : "", fix ? "\"" : "");
    if (fix)
        al_finding_set_suggestion(f, fix);
}

/* Entries whose id has a problem of its own: the structural checks below
 * skip them (one finding per id is enough). */
static bool check_text(const struct al_agent *a, const struct al_entry *e, struct al_findings *out)
{
    if (!e->id)
        return false;
    if (!e->id_problem)
        return false;
    char *fix = NULL;
    const char *why = al_id_problem(e->id, e->scope, &fix); /* again, for the fix */
    report_problem(a, e, why, fix, out);
    free(fix);
    return true;
}

/* A groups entry that is a project: the configuration project itself, or a
 * path also listed under projects. */
static void check_group(const struct al_check_ctx *ctx, const struct al_agent *a,
                        const struct al_entry *g, const struct al_pathix *projects,
                        struct al_findings *out)
{
    if (ctx->project_path && al_path_eq(g->id, ctx->project_path)) {
        al_rule_report_entry(out, a, "id-format", g, al_rule_id_pos(g), ".id",
                             "\"%s\" is the configuration project itself, a project, not a "
                             "group; GitLab matches no group with it: list it under projects",
                             g->id);
        return;
    }
    const struct al_entry *p = al_pathix_find(projects, g->id, strlen(g->id));
    if (p)
        al_rule_report_entry(out, a, "id-format", g, al_rule_id_pos(g), ".id",
                             "\"%s\" is also listed under projects (line %u); a path names either "
                             "a project or a group, so one of the two entries matches nothing: "
                             "keep the one in the right list",
                             g->id, al_rule_id_pos(p).line);
}

/* A projects entry that contains another listed project, or the
 * configuration project, is a group (projects contain no projects). */
static void check_project_is_group(const struct al_check_ctx *ctx, const struct al_agent *a,
                                   const struct al_rule_list *l, const bool *bad,
                                   const struct al_pathix *projects, bool *reported,
                                   struct al_findings *out)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct al_entry *p = &l->entries[i];
        if (!p->id || bad[i])
            continue;
        const struct al_entry *q = al_pathix_nearest_parent(projects, p->id);
        if (!q || reported[q - l->entries] || bad[q - l->entries])
            continue;
        reported[q - l->entries] = true;
        al_rule_report_entry(out, a, "id-format", q, al_rule_id_pos(q), ".id",
                             "\"%s\" contains the project \"%s\" (line %u), so it is a group, "
                             "and GitLab matches no project with it: move it under groups",
                             q->id, p->id, al_rule_id_pos(p).line);
    }
    if (!ctx->project_path)
        return;
    const struct al_entry *q = al_pathix_nearest_parent(projects, ctx->project_path);
    if (q && !reported[q - l->entries] && !bad[q - l->entries]) {
        reported[q - l->entries] = true;
        al_rule_report_entry(out, a, "id-format", q, al_rule_id_pos(q), ".id",
                             "\"%s\" contains the configuration project %s, so it is a group, "
                             "and GitLab matches no project with it: move it under groups",
                             q->id, ctx->project_path);
    }
}

static void check_section(const struct al_check_ctx *ctx, const struct al_agent *a,
                          const struct al_rule_list *projects, const struct al_rule_list *groups,
                          struct al_findings *out)
{
    struct al_rule_list empty = {0};
    if (!projects)
        projects = &empty;
    bool *pbad = al_calloc(projects->n + 1, sizeof(bool));
    bool *reported = al_calloc(projects->n + 1, sizeof(bool));
    for (size_t i = 0; i < projects->n; i++)
        pbad[i] = check_text(a, &projects->entries[i], out);
    struct al_pathix pix;
    al_pathix_init(&pix, projects->n);
    for (size_t i = 0; i < projects->n; i++)
        if (projects->entries[i].id)
            al_pathix_add(&pix, projects->entries[i].id, &projects->entries[i]);
    check_project_is_group(ctx, a, projects, pbad, &pix, reported, out);
    for (size_t i = 0; groups && i < groups->n; i++) {
        const struct al_entry *g = &groups->entries[i];
        if (g->id && !check_text(a, g, out))
            check_group(ctx, a, g, &pix, out);
    }
    al_pathix_free(&pix);
    free(pbad);
    free(reported);
}

/* ---- gitops manifest projects ---- */

/* The manifest project of GitLab's own documentation example. */
static const char *const DOCS_MANIFEST_PROJECTS[] = {"gitlab-org/cluster-integration/gitlab-agent",
                                                     NULL};

static bool all_digits(const char *s)
{
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

static void check_manifest_id(const struct al_agent *a, const char *list, size_t i,
                              const struct al_ynode *item, struct al_findings *out)
{
    struct al_buf kp = AL_BUF_INIT;
    al_buf_printf(&kp, "gitops.%s[%zu].id", list, i);
    const struct al_ynode *id = al_ymap_get(item, "id");
    struct al_finding *f = NULL;
    char *fix = NULL;
    if (!id || id->kind == AL_YNULL) {
        if (strcmp(list, "manifest_projects") == 0 && !id) {
            f = al_rule_report(out, a, "id-format", item->pos, al_buf_cstr(&kp), NULL,
                               "this manifest project has no id, so the agent syncs the "
                               "configuration project itself; write its id if that is meant");
            al_finding_set_severity(f, AL_SEV_NOTE);
        }
    } else if (id->kind != AL_YSTR || !*id->str) {
        /* type-mismatch or required reports it */
    } else if (all_digits(id->str)) {
        f = al_rule_report(out, a, "id-format", id->pos, al_buf_cstr(&kp), id->str,
                           "\"%s\" is a numeric project id; the agent server looks manifest "
                           "projects up through GitLab's API, which probably accepts numbers "
                           "(unconfirmed), but a full path such as group/project is what the "
                           "documentation specifies",
                           id->str);
        al_finding_set_severity(f, AL_SEV_NOTE);
    } else if (al_str_in(id->str, DOCS_MANIFEST_PROJECTS)) {
        al_rule_report(out, a, "id-format", id->pos, al_buf_cstr(&kp), id->str,
                       "\"%s\" is the example project of GitLab's documentation (the agent's own "
                       "source code), not a manifest project of yours: write the path of the "
                       "project that holds your manifests",
                       id->str);
    } else {
        const char *why = al_id_problem(id->str, AL_SCOPE_PROJECT, &fix);
        if (why) {
            f = al_rule_report(out, a, "id-format", id->pos, al_buf_cstr(&kp), id->str,
                               "\"%s\" %s. As written, the agent server finds no manifest project "
                               "with it and syncs nothing from it%s%s%s",
                               id->str, why, fix ? ": write \"" : "", fix ? fix : "",
                               fix ? "\"" : "");
            if (fix)
                al_finding_set_suggestion(f, fix);
        }
    }
    free(fix);
    al_buf_free(&kp);
}

/* Every list of mappings under gitops (manifest_projects, and misspellings
 * of it, which unknown-key reports but whose ids are still worth fixing). */
static void check_gitops(const struct al_agent *a, struct al_findings *out)
{
    const struct al_ynode *gitops = al_ymap_get(a->doc ? a->doc->root : NULL, "gitops");
    if (!gitops || gitops->kind != AL_YMAP)
        return;
    for (size_t k = 0; k < gitops->n; k++) {
        const struct al_ypair *p = &gitops->pairs[k];
        if (p->val->kind != AL_YSEQ)
            continue;
        for (size_t i = 0; i < p->val->n; i++)
            if (p->val->items[i]->kind == AL_YMAP)
                check_manifest_id(a, p->name, i, p->val->items[i], out);
    }
}

void al_rule_id_format(const struct al_check_ctx *ctx, const struct al_agent *a,
                       struct al_findings *out)
{
    struct al_rule_list lists[4];
    size_t n = al_rule_lists(a, lists);
    for (enum al_section s = AL_CI_ACCESS; s <= AL_USER_ACCESS; s++) {
        const struct al_rule_list *projects = NULL, *groups = NULL;
        for (size_t i = 0; i < n; i++) {
            if (lists[i].section != s)
                continue;
            if (lists[i].scope == AL_SCOPE_PROJECT)
                projects = &lists[i];
            else
                groups = &lists[i];
        }
        if (projects || groups)
            check_section(ctx, a, projects, groups, out);
    }
    check_gitops(a, out);
}
