#include "validator/rules/util.h"
#include "common/alloc.h"

#include <ctype.h>
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

size_t al_rule_entry_cap(const struct al_check_ctx *ctx)
{
    return ctx->gitlab_version >= AL_GITLAB_17_0 ? 500 : 100;
}

bool al_rule_ids_fold_case(const struct al_check_ctx *ctx)
{
    return ctx->gitlab_version >= AL_GITLAB_17_0;
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
    struct al_buf m = AL_BUF_INIT;
    al_buf_vprintf(&m, fmt, ap);
    struct al_finding *f = al_findings_add(out, rule, a->path, pos, "%s", al_buf_cstr(&m));
    al_buf_free(&m);
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

/* ---- the id index ---- */

/* Case-insensitive order of s[0..n) and t[0..m); a prefix sorts first. */
static int cmp_ci(const char *s, size_t n, const char *t, size_t m)
{
    size_t k = n < m ? n : m;
    for (size_t i = 0; i < k; i++) {
        int a = tolower((unsigned char)s[i]), b = tolower((unsigned char)t[i]);
        if (a != b)
            return a - b;
    }
    return n < m ? -1 : n > m;
}

static int key_order(const void *x, const void *y)
{
    const struct al_rule_key *a = x, *b = y;
    int c = cmp_ci(a->id, a->len, b->id, b->len);
    if (c)
        return c;
    return a->e->index < b->e->index ? -1 : a->e->index > b->e->index;
}

void al_rule_index_build(struct al_rule_index *ix, const struct al_rule_list *list, size_t cap)
{
    ix->keys = al_calloc(list->n + 1, sizeof(*ix->keys));
    ix->n = 0;
    for (size_t i = 0; i < list->n; i++) {
        const struct al_entry *e = &list->entries[i];
        if (!e->id || e->index >= cap)
            continue;
        ix->keys[ix->n++] = (struct al_rule_key){e->id, strlen(e->id), e};
    }
    if (ix->n > 1)
        qsort(ix->keys, ix->n, sizeof(*ix->keys), key_order);
}

void al_rule_index_free(struct al_rule_index *ix)
{
    free(ix->keys);
    ix->keys = NULL;
    ix->n = 0;
}

/* Index of the last key equal to s[0..n), or -1. */
static long find_last(const struct al_rule_index *ix, const char *s, size_t n)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) { /* first key > s */
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_ci(ix->keys[mid].id, ix->keys[mid].len, s, n) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || cmp_ci(ix->keys[lo - 1].id, ix->keys[lo - 1].len, s, n) != 0)
        return -1;
    return (long)lo - 1;
}

const struct al_entry *al_rule_index_find(const struct al_rule_index *ix, const char *s, size_t n)
{
    long i = find_last(ix, s, n);
    return i < 0 ? NULL : ix->keys[i].e;
}

bool al_rule_index_wins(const struct al_rule_index *ix, const struct al_entry *e)
{
    return e->id && al_rule_index_find(ix, e->id, strlen(e->id)) == e;
}

const struct al_entry *al_rule_index_nearest_parent(const struct al_rule_index *ix,
                                                    const char *path)
{
    for (size_t n = strlen(path); n > 0; n--) {
        if (path[n - 1] != '/')
            continue;
        const struct al_entry *g = al_rule_index_find(ix, path, n - 1);
        if (g)
            return g;
    }
    return NULL;
}

void al_rule_join(struct al_buf *b, const char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        al_buf_printf(b, "%s%s", i ? ", " : "", items[i]);
}
