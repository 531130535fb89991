#include "checks/finding.h"
#include "checks/rules.h"
#include "common/alloc.h"
#include "common/buf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct al_finding *al_findings_add(struct al_findings *fs, const char *rule, const char *path,
                                   struct al_ypos pos, const char *fmt, ...)
{
    const struct al_rule *r = al_rule_find(rule);
    fs->items = al_grow(fs->items, &fs->cap, fs->n + 1, sizeof(*fs->items));
    struct al_finding *f = &fs->items[fs->n++];
    memset(f, 0, sizeof(*f));
    f->rule = r ? r->id : rule;
    f->severity = r ? r->severity : AL_SEV_ERROR;
    /* Findings come file by file: share the path with the previous one. */
    path = path ? path : "";
    if (fs->n > 1 && strcmp(f[-1].path, path) == 0)
        f->path = f[-1].path;
    else
        f->path = al_arena_strdup(&fs->strings, path);
    f->line = pos.line;
    f->col = pos.col;
    va_list ap;
    va_start(ap, fmt);
    if (strcmp(fmt, "%s") == 0) {
        /* Most callers hand over a finished message: copy it, no printf
         * (glibc prints a NULL %s as "(null)"; so do we). */
        const char *m = va_arg(ap, const char *);
        f->message = al_arena_strdup(&fs->strings, m ? m : "(null)");
    } else {
        struct al_buf b = AL_BUF_INIT;
        al_buf_vprintf(&b, fmt, ap);
        f->message = al_arena_strndup(&fs->strings, al_buf_cstr(&b), b.len);
        al_buf_free(&b);
    }
    va_end(ap);
    f->strings = &fs->strings;
    return f;
}

void al_finding_set_severity(struct al_finding *f, enum al_severity sev)
{
    f->severity = sev;
}

void al_finding_set_suggestion(struct al_finding *f, const char *s)
{
    f->suggestion = al_arena_strdup(f->strings, s);
}

void al_finding_set_agent(struct al_finding *f, const char *s)
{
    f->agent = al_arena_strdup(f->strings, s);
}

void al_finding_set_key_path(struct al_finding *f, const char *s)
{
    f->key_path = al_arena_strdup(f->strings, s);
}

void al_finding_set_value(struct al_finding *f, const char *s)
{
    f->value = al_arena_strdup(f->strings, s);
}

/* Sorting looks at a key computed once per finding: the file's rank among
 * the paths (paths are long and mostly shared), line, column, the rule's row
 * in the rule table, then the message for a total order. */
struct sort_key {
    size_t file, line, col, rule, index;
    const struct al_finding *f;
};

static int by_path(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int by_key(const void *a, const void *b)
{
    const struct sort_key *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    int c = strcmp(x->f->message, y->f->message);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

static size_t rule_row(const char *id)
{
    const struct al_rule *r = al_rule_find(id);
    return r ? (size_t)(r - al_rules) : al_rules_count;
}

void al_findings_sort(struct al_findings *fs)
{
    if (fs->n < 2)
        return;
    /* The distinct paths, sorted: a finding's file rank is found by bisection. */
    const char **paths = al_malloc(fs->n * sizeof(*paths));
    size_t np = 0;
    for (size_t i = 0; i < fs->n; i++)
        if (i == 0 || fs->items[i].path != fs->items[i - 1].path)
            paths[np++] = fs->items[i].path;
    al_qsort(paths, np, sizeof(*paths), by_path);
    struct sort_key *keys = al_malloc(fs->n * sizeof(*keys));
    for (size_t i = 0; i < fs->n; i++) {
        const struct al_finding *f = &fs->items[i];
        size_t lo = 0, hi = np;
        while (lo < hi) { /* first path >= f->path */
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(paths[mid], f->path) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        keys[i] = (struct sort_key){lo, f->line, f->col, rule_row(f->rule), i, f};
    }
    al_qsort(keys, fs->n, sizeof(*keys), by_key);
    struct al_finding *sorted = al_malloc(fs->n * sizeof(*sorted));
    for (size_t i = 0; i < fs->n; i++)
        sorted[i] = *keys[i].f;
    memcpy(fs->items, sorted, fs->n * sizeof(*sorted));
    free(sorted);
    free(keys);
    free(paths);
}

/* One rule's findings left out of one file. */
struct capped {
    size_t first; /* index of the first finding left out */
    size_t more;
    enum al_severity worst;
};

/* Count the current file's findings [from, to) rule by rule; mark the ones
 * past `max` in drop[] and describe them in out[] (one per rule). */
static size_t cap_file(const struct al_findings *fs, size_t from, size_t to, size_t max, bool *drop,
                       struct capped *per_rule, size_t *count, struct capped *out)
{
    size_t n_out = 0;
    memset(count, 0, al_rules_count * sizeof(*count));
    for (size_t i = from; i < to; i++) {
        const struct al_rule *r = al_rule_find(fs->items[i].rule);
        if (!r)
            continue; /* not a rule of the table: never capped */
        size_t row = (size_t)(r - al_rules);
        if (++count[row] <= max)
            continue;
        struct capped *c = &per_rule[row];
        if (count[row] == max + 1)
            *c = (struct capped){i, 0, AL_SEV_NOTE};
        c->more++;
        if (fs->items[i].severity > c->worst)
            c->worst = fs->items[i].severity;
        drop[i] = true;
    }
    for (size_t row = 0; row < al_rules_count; row++)
        if (count[row] > max)
            out[n_out++] = per_rule[row];
    return n_out;
}

static void add_more(struct al_findings *fs, const struct al_finding *first, const struct capped *c,
                     size_t max)
{
    struct al_ypos pos = {first->line, first->col};
    struct al_finding *f = al_findings_add(
        fs, first->rule, first->path, pos,
        "%zu more %s finding%s in this file %s not shown: agentlint reports the "
        "first %zu of a rule per file (--max-per-rule 0 shows all)",
        c->more, first->rule, c->more == 1 ? "" : "s", c->more == 1 ? "is" : "are", max);
    al_finding_set_severity(f, c->worst);
    if (first->agent)
        al_finding_set_agent(f, first->agent);
    al_finding_set_value(f, AL_FINDING_MORE);
}

void al_findings_cap(struct al_findings *fs, size_t max)
{
    if (!max || fs->n <= max)
        return;
    al_findings_sort(fs); /* each file's findings together, in order */
    bool *drop = al_calloc(fs->n, sizeof(*drop));
    size_t *count = al_calloc(al_rules_count + 1, sizeof(*count));
    struct capped *per_rule = al_calloc(al_rules_count + 1, sizeof(*per_rule));
    struct capped *more = NULL;
    size_t n_more = 0, cap_more = 0;
    for (size_t from = 0, to; from < fs->n; from = to) {
        for (to = from + 1; to < fs->n && strcmp(fs->items[to].path, fs->items[from].path) == 0;)
            to++;
        more = al_grow(more, &cap_more, n_more + al_rules_count + 1, sizeof(*more));
        n_more += cap_file(fs, from, to, max, drop, per_rule, count, more + n_more);
    }
    /* The summaries copy from the first finding left out before the list is
     * compacted (their strings live in the list's arena, which stays). */
    struct al_finding *firsts = al_calloc(n_more ? n_more : 1, sizeof(*firsts));
    for (size_t i = 0; i < n_more; i++)
        firsts[i] = fs->items[more[i].first];
    size_t kept = 0;
    for (size_t i = 0; i < fs->n; i++)
        if (!drop[i])
            fs->items[kept++] = fs->items[i];
    fs->n = kept;
    for (size_t i = 0; i < n_more; i++)
        add_more(fs, &firsts[i], &more[i], max);
    al_findings_sort(fs);
    free(firsts);
    free(more);
    free(per_rule);
    free(count);
    free(drop);
}

void al_findings_count(const struct al_findings *fs, size_t *errors, size_t *warnings,
                       size_t *notes)
{
    size_t e = 0, w = 0, n = 0;
    for (size_t i = 0; i < fs->n; i++) {
        switch (fs->items[i].severity) {
        case AL_SEV_ERROR:
            e++;
            break;
        case AL_SEV_WARNING:
            w++;
            break;
        case AL_SEV_NOTE:
            n++;
            break;
        default:
            break;
        }
    }
    if (errors)
        *errors = e;
    if (warnings)
        *warnings = w;
    if (notes)
        *notes = n;
}

void al_findings_filter(struct al_findings *fs, bool (*keep)(const struct al_finding *, void *),
                        void *data)
{
    size_t j = 0;
    for (size_t i = 0; i < fs->n; i++) {
        if (keep(&fs->items[i], data))
            fs->items[j++] = fs->items[i]; /* a dropped one's strings stay in the arena */
    }
    fs->n = j;
}

void al_findings_free(struct al_findings *fs)
{
    free(fs->items);
    al_arena_free(&fs->strings);
    al_buf_free(&fs->scratch);
    fs->items = NULL;
    fs->n = fs->cap = 0;
}

const char *al_severity_name(enum al_severity sev)
{
    switch (sev) {
    case AL_SEV_ERROR:
        return "error";
    case AL_SEV_WARNING:
        return "warning";
    case AL_SEV_NOTE:
        return "note";
    default:
        return "off";
    }
}

int al_severity_parse(const char *name)
{
    if (!name)
        return -2;
    if (strcmp(name, "error") == 0)
        return AL_SEV_ERROR;
    if (strcmp(name, "warning") == 0)
        return AL_SEV_WARNING;
    if (strcmp(name, "note") == 0)
        return AL_SEV_NOTE;
    if (strcmp(name, "off") == 0)
        return AL_SEV_OFF;
    return -2;
}
