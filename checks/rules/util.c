#include "checks/rules/util.h"
#include "common/alloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* ---- the id index ---- */

/* GitLab compares ids case-insensitively: hash and compare them so, once
 * per lookup, instead of a binary search of case-folding comparisons. */
#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME  1099511628211ULL

static unsigned long long hash_ci(const char *s, size_t n)
{
    unsigned long long h = FNV_OFFSET;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)tolower((unsigned char)s[i])) * FNV_PRIME;
    return h;
}

static bool eq_ci(const char *s, size_t n, const char *t, size_t m)
{
    return n == m && strncasecmp(s, t, n) == 0;
}

void al_rule_index_build(struct al_rule_index *ix, const struct al_rule_list *list, size_t cap)
{
    ix->keys = al_calloc(list->n + 1, sizeof(*ix->keys));
    ix->n = 0;
    ix->n_slots = 16;
    while (ix->n_slots < 2 * list->n)
        ix->n_slots *= 2;
    ix->slots = al_calloc(ix->n_slots, sizeof(*ix->slots));
    size_t mask = ix->n_slots - 1;
    for (size_t i = 0; i < list->n; i++) {
        const struct al_entry *e = &list->entries[i];
        if (!e->id || e->index >= cap)
            continue;
        size_t len = strlen(e->id);
        for (size_t h = (size_t)hash_ci(e->id, len) & mask;; h = (h + 1) & mask) {
            if (!ix->slots[h]) {
                ix->keys[ix->n] = (struct al_rule_key){e->id, len, e};
                ix->slots[h] = (unsigned)++ix->n;
                break;
            }
            struct al_rule_key *k = &ix->keys[ix->slots[h] - 1];
            if (eq_ci(k->id, k->len, e->id, len)) {
                if (e->index >= k->e->index) /* the last of equal ids wins */
                    *k = (struct al_rule_key){e->id, len, e};
                break;
            }
        }
    }
}

void al_rule_index_free(struct al_rule_index *ix)
{
    free(ix->keys);
    free(ix->slots);
    memset(ix, 0, sizeof(*ix));
}

static const struct al_entry *probe(const struct al_rule_index *ix, const char *s, size_t n,
                                    unsigned long long hash)
{
    size_t mask = ix->n_slots - 1;
    for (size_t h = (size_t)hash & mask; ix->slots[h]; h = (h + 1) & mask) {
        const struct al_rule_key *k = &ix->keys[ix->slots[h] - 1];
        if (eq_ci(k->id, k->len, s, n))
            return k->e;
    }
    return NULL;
}

const struct al_entry *al_rule_index_find(const struct al_rule_index *ix, const char *s, size_t n)
{
    if (!ix->n)
        return NULL;
    return probe(ix, s, n, hash_ci(s, n));
}

bool al_rule_index_wins(const struct al_rule_index *ix, const struct al_entry *e)
{
    return e->id && al_rule_index_find(ix, e->id, strlen(e->id)) == e;
}

const struct al_entry *al_rule_index_nearest_parent(const struct al_rule_index *ix,
                                                    const char *path)
{
    if (!ix->n)
        return NULL;
    /* One pass hashes every parent: the hash of a/b is the state of the
     * hash of a/b/c just before its second '/'. */
    enum { MAX_PARENTS = 64 };
    size_t ends[MAX_PARENTS];
    unsigned long long hashes[MAX_PARENTS];
    size_t k = 0;
    unsigned long long h = FNV_OFFSET;
    for (size_t i = 0; path[i]; i++) {
        if (path[i] == '/' && k < MAX_PARENTS) {
            ends[k] = i;
            hashes[k++] = h;
        }
        h = (h ^ (unsigned char)tolower((unsigned char)path[i])) * FNV_PRIME;
    }
    while (k-- > 0) {
        const struct al_entry *g = probe(ix, path, ends[k], hashes[k]);
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
