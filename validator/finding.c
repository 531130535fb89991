#include "validator/finding.h"
#include "validator/rules.h"
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
    f->path = al_strdup(path ? path : "");
    f->line = pos.line;
    f->col = pos.col;
    va_list ap;
    va_start(ap, fmt);
    if (strcmp(fmt, "%s") == 0) {
        /* Most callers hand over a finished message: copy it, no printf
         * (glibc prints a NULL %s as "(null)"; so do we). */
        const char *m = va_arg(ap, const char *);
        f->message = al_strdup(m ? m : "(null)");
    } else {
        struct al_buf b = AL_BUF_INIT;
        al_buf_vprintf(&b, fmt, ap);
        f->message = al_buf_detach(&b);
    }
    va_end(ap);
    return f;
}

void al_finding_set_severity(struct al_finding *f, enum al_severity sev)
{
    f->severity = sev;
}

static void set(char **field, const char *s)
{
    free(*field);
    *field = al_strdup(s);
}

void al_finding_set_suggestion(struct al_finding *f, const char *s)
{
    set(&f->suggestion, s);
}

void al_finding_set_agent(struct al_finding *f, const char *s)
{
    set(&f->agent, s);
}

void al_finding_set_key_path(struct al_finding *f, const char *s)
{
    set(&f->key_path, s);
}

void al_finding_set_value(struct al_finding *f, const char *s)
{
    set(&f->value, s);
}

static int cmp(const void *a, const void *b)
{
    const struct al_finding *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    c = strcmp(x->rule, y->rule);
    if (c)
        return c;
    return strcmp(x->message, y->message);
}

void al_findings_sort(struct al_findings *fs)
{
    if (fs->n > 1)
        qsort(fs->items, fs->n, sizeof(*fs->items), cmp);
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

static void finding_free(struct al_finding *f)
{
    free(f->path);
    free(f->message);
    free(f->suggestion);
    free(f->agent);
    free(f->key_path);
    free(f->value);
}

void al_findings_filter(struct al_findings *fs, bool (*keep)(const struct al_finding *, void *),
                        void *data)
{
    size_t j = 0;
    for (size_t i = 0; i < fs->n; i++) {
        if (keep(&fs->items[i], data))
            fs->items[j++] = fs->items[i];
        else
            finding_free(&fs->items[i]);
    }
    fs->n = j;
}

void al_findings_free(struct al_findings *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        finding_free(&fs->items[i]);
    free(fs->items);
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
