/* duplicate-id: RefreshService lower-cases every id (GitLab 17.0 and later;
 * before, ids were compared as written) and indexes the entries by it, so of
 * two entries for one id only the last counts; the earlier one still used up
 * one of the 500 places. Entries past the cap never reach that step. The
 * access model decides it (al_auth.shadowed_by); this rule words it.
 *
 * Also, as a note: a glob listed twice in one gitops manifest project.
 * Sorting makes it n log n. */
#include "checks/rules.h"
#include "checks/rules/util.h"
#include "access/model.h"
#include "common/alloc.h"

#include <stdlib.h>
#include <string.h>

static void report_earlier(const struct al_access_agent *v, const struct al_agent *a,
                           const struct al_entry *e, const struct al_entry *last,
                           struct al_findings *out)
{
    struct al_buf kp = AL_BUF_INIT;
    al_rule_entry_path(&kp, last, NULL);
    bool same_case = strcmp(e->id, last->id) == 0;
    al_rule_report_entry(
        out, a, "duplicate-id", e, al_rule_id_pos(e), ".id",
        "\"%s\" is listed again at line %u (%s%s%s%s); GitLab keeps only the last entry for an "
        "id, so this one has no effect, yet it still uses one of the %zu places of the list: "
        "delete it, or merge its settings into the last one",
        e->id, al_rule_id_pos(last).line, al_buf_cstr(&kp), same_case ? "" : " as \"",
        same_case ? "" : last->id, same_case ? "" : "\"; ids are compared case-insensitively",
        v->entry_limit);
    al_buf_free(&kp);
}

/* ---- gitops: a glob twice in one manifest project ---- */

static int order_node_str(const void *x, const void *y)
{
    const struct al_ynode *a = *(const struct al_ynode *const *)x;
    const struct al_ynode *b = *(const struct al_ynode *const *)y;
    int c = strcmp(a->str, b->str);
    if (c)
        return c;
    return a->pos.line != b->pos.line ? (a->pos.line < b->pos.line ? -1 : 1)
                                      : (a->pos.col < b->pos.col ? -1 : a->pos.col > b->pos.col);
}

static void check_globs(const struct al_agent *a, const struct al_ynode *paths, size_t project,
                        struct al_findings *out)
{
    if (!paths || paths->kind != AL_YSEQ || paths->n < 2)
        return;
    const struct al_ynode **v = al_calloc(paths->n, sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < paths->n; i++) {
        const struct al_ynode *g = al_ymap_get(paths->items[i], "glob");
        if (g && g->kind == AL_YSTR)
            v[n++] = g;
    }
    al_qsort(v, n, sizeof(*v), order_node_str);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[i]->str, v[i - 1]->str) != 0)
            continue;
        struct al_buf kp = AL_BUF_INIT;
        al_buf_printf(&kp, "gitops.manifest_projects[%zu].paths", project);
        struct al_finding *f =
            al_rule_report(out, a, "duplicate-id", v[i]->pos, al_buf_cstr(&kp), v[i]->str,
                           "glob '%s' is already listed at line %u of this manifest project; "
                           "the second one adds nothing: delete it",
                           v[i]->str, v[i - 1]->pos.line);
        al_finding_set_severity(f, AL_SEV_NOTE);
        al_buf_free(&kp);
    }
    free(v);
}

static void check_gitops(const struct al_agent *a, struct al_findings *out)
{
    const struct al_ynode *gitops = al_ymap_get(a->doc ? a->doc->root : NULL, "gitops");
    const struct al_ynode *mp = al_ymap_get(gitops, "manifest_projects");
    if (!mp || mp->kind != AL_YSEQ)
        return;
    for (size_t i = 0; i < mp->n; i++)
        check_globs(a, al_ymap_get(mp->items[i], "paths"), i, out);
}

void al_rule_duplicate_id(const struct al_check_ctx *ctx, const struct al_agent *a,
                          struct al_findings *out)
{
    (void)ctx;
    const struct al_access_agent *v = a->verdicts;
    for (size_t i = 0; v && i < v->n_auths; i++)
        if (v->auths[i].shadowed_by)
            report_earlier(v, a, v->auths[i].entry, v->auths[i].shadowed_by->entry, out);
    check_gitops(a, out);
}
