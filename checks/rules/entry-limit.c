/* entry-limit: GitLab's RefreshService keeps the first 500 entries of each
 * projects and groups list (100 before 17.0), in file order and before any
 * other check; the rest are dropped without a word. The access model
 * decides it (al_access_agent.lists); this rule words one finding per list,
 * at the first dropped item. O(lists). */
#include "checks/rules.h"
#include "checks/rules/util.h"
#include "access/model.h"

static const char *item_id(const struct al_ynode *item)
{
    const struct al_ynode *id = al_ymap_get(item, "id");
    return id && id->kind == AL_YSTR ? id->str : NULL;
}

static void report_list(const struct al_access_agent *v, const struct al_agent *a,
                        const struct al_access_list *l, struct al_findings *out)
{
    size_t cap = v->entry_limit;
    if (l->written <= cap)
        return;
    const struct al_ynode *first = l->node->items[cap];
    size_t dropped = l->written - cap;
    struct al_buf kp = AL_BUF_INIT;
    al_buf_printf(&kp, "%s.%s[%zu]", al_section_name(l->section), al_scope_list_name(l->scope),
                  cap);
    const char *id = item_id(first);
    al_rule_report(out, a, "entry-limit", first->pos, al_buf_cstr(&kp), id,
                   "%s.%s has %zu entries; GitLab keeps only the first %zu%s and silently "
                   "ignores the remaining %zu, starting with this one%s%s%s: split them over "
                   "another agent, or authorize a common group instead of single %s",
                   al_section_name(l->section), al_scope_list_name(l->scope), l->written, cap,
                   v->ids_fold_case ? "" : " (before GitLab 17.0)", dropped, id ? " (" : "",
                   id ? id : "", id ? ")" : "",
                   l->scope == AL_SCOPE_PROJECT ? "projects" : "subgroups");
    al_buf_free(&kp);
}

void al_rule_entry_limit(const struct al_check_ctx *ctx, const struct al_agent *a,
                         struct al_findings *out)
{
    (void)ctx;
    const struct al_access_agent *v = a->verdicts;
    for (size_t i = 0; v && i < v->n_lists; i++)
        report_list(v, a, &v->lists[i], out);
}
