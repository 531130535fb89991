#include "checks/rules/util.h"
#include "common/alloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

size_t al_rule_lists(const struct al_agent *a, struct al_rule_list out[4])
{
    const struct al_config *cfg = &a->config;
    const struct al_ynode *root = a->doc ? a->doc->root : NULL;
    size_t n = 0;
    for (size_t i = 0; i < cfg->n_entries;) {
        const struct al_entry *e = &cfg->entries[i];
        size_t k = i;
        while (k < cfg->n_entries && cfg->entries[k].section == e->section &&
               cfg->entries[k].scope == e->scope)
            k++;
        if (e->scope == AL_SCOPE_PROJECT || e->scope == AL_SCOPE_GROUP) {
            const struct al_ynode *sec = al_ymap_get(root, al_section_name(e->section));
            out[n].section = e->section;
            out[n].scope = e->scope;
            out[n].entries = e;
            out[n].n = k - i;
            out[n].node = al_ymap_get(sec, al_scope_list_name(e->scope));
            n++;
        }
        i = k;
    }
    return n;
}

void al_rule_entry_path(struct al_buf *b, const struct al_entry *e, const char *suffix)
{
    if (e->scope == AL_SCOPE_INSTANCE)
        al_buf_printf(b, "%s.instance", al_section_name(e->section));
    else
        al_buf_printf(b, "%s.%s[%zu]", al_section_name(e->section), al_scope_list_name(e->scope),
                      e->index);
    if (suffix)
        al_buf_puts(b, suffix);
}

struct al_ypos al_rule_id_pos(const struct al_entry *e)
{
    if (e->id_node)
        return e->id_node->pos;
    return e->node ? e->node->pos : (struct al_ypos){0, 0};
}

static struct al_finding *vreport(struct al_findings *out, const struct al_agent *a,
                                  const char *rule, struct al_ypos pos, const char *key_path,
                                  const char *value, const char *fmt, va_list ap)
{
    /* The list's scratch buffer: no allocation per message. */
    al_buf_clear(&out->scratch);
    al_buf_vprintf(&out->scratch, fmt, ap);
    struct al_finding *f =
        al_findings_add(out, rule, a->path, pos, "%s", al_buf_cstr(&out->scratch));
    if (a->name)
        al_finding_set_agent(f, a->name);
    if (key_path)
        al_finding_set_key_path(f, key_path);
    if (value)
        al_finding_set_value(f, value);
    return f;
}

struct al_finding *al_rule_report(struct al_findings *out, const struct al_agent *a,
                                  const char *rule, struct al_ypos pos, const char *key_path,
                                  const char *value, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct al_finding *f = vreport(out, a, rule, pos, key_path, value, fmt, ap);
    va_end(ap);
    return f;
}

struct al_finding *al_rule_report_entry(struct al_findings *out, const struct al_agent *a,
                                        const char *rule, const struct al_entry *e,
                                        struct al_ypos pos, const char *suffix, const char *fmt,
                                        ...)
{
    struct al_buf kp = AL_BUF_INIT;
    al_rule_entry_path(&kp, e, suffix);
    va_list ap;
    va_start(ap, fmt);
    struct al_finding *f = vreport(out, a, rule, pos, al_buf_cstr(&kp), e->id, fmt, ap);
    va_end(ap);
    al_buf_free(&kp);
    return f;
}

void al_rule_join(struct al_buf *b, const char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        al_buf_printf(b, "%s%s", i ? ", " : "", items[i]);
}
