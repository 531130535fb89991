#include "validator/suppress.h"
#include "validator/rules.h"
#include "common/alloc.h"

#include <stdlib.h>
#include <string.h>

/* Find "agentlint: ignore[...]" after a '#' in [s, e) and test the list. */
static bool marker_names(const char *s, const char *e, const char *rule)
{
    static const char tag[] = "agentlint: ignore[";
    const char *hash = memchr(s, '#', (size_t)(e - s));
    size_t rl = strlen(rule);
    for (const char *p = hash; p && p < e; p++) {
        if ((size_t)(e - p) < sizeof tag - 1 || memcmp(p, tag, sizeof tag - 1) != 0)
            continue;
        const char *q = p + sizeof tag - 1;
        while (q < e && *q != ']') {
            while (q < e && (*q == ' ' || *q == ','))
                q++;
            const char *w = q;
            while (q < e && *q != ',' && *q != ']' && *q != ' ')
                q++;
            if ((size_t)(q - w) == rl && memcmp(w, rule, rl) == 0)
                return true;
        }
    }
    return false;
}

static bool comment_only(const char *s, const char *e)
{
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    return s < e && *s == '#';
}

static bool line_of(const struct al_file *f, unsigned line, const char **s, const char **e)
{
    size_t n;
    if (!al_file_line(f, line, s, &n))
        return false;
    *e = *s + n;
    return true;
}

bool al_suppress_inline(const struct al_file *f, unsigned line, const char *rule)
{
    const char *s, *e;
    if (!f || line == 0)
        return false;
    if (line_of(f, line, &s, &e) && marker_names(s, e, rule))
        return true;
    return line > 1 && line_of(f, line - 1, &s, &e) && comment_only(s, e) &&
           marker_names(s, e, rule);
}

struct keep_ctx {
    const struct al_check_ctx *ctx;
    const struct al_source *src;
    /* Findings come grouped by file: remember the last one looked up, and
     * whether it has any inline marker at all (most files have none). */
    char *path; /* a copy: the finding it came from may be filtered out */
    const struct al_file *file;
    bool has_marker;
};

static const struct al_file *file_of(struct keep_ctx *k, const char *path)
{
    if (!k->path || strcmp(k->path, path) != 0) {
        free(k->path);
        k->path = al_strdup(path);
        k->file = al_source_find(k->src, path);
        k->has_marker = k->file && k->file->kind == AL_FILE_REGULAR && k->file->data &&
                        memmem(k->file->data, k->file->len, "agentlint:", 10) != NULL;
    }
    return k->has_marker ? k->file : NULL;
}

static bool keep(const struct al_finding *f, void *data)
{
    struct keep_ctx *k = data;
    const struct al_settings *st = k->ctx->settings;
    if (st && al_settings_ignores(st, f->path))
        return false;
    if (st) {
        for (size_t i = 0; i < st->n_severities; i++)
            if (strcmp(st->severities[i].rule, f->rule) == 0 &&
                st->severities[i].severity == AL_SEV_OFF)
                return false;
    }
    const struct al_file *file = f->line ? file_of(k, f->path) : NULL;
    return !(file && al_suppress_inline(file, f->line, f->rule));
}

/* The configured severity replaces the rule's default. A finding the rule
 * reports below its default on purpose (a note of a warning rule) keeps its
 * lower severity unless the configured one is lower still. */
static enum al_severity configured(const struct al_finding *f, enum al_severity sev)
{
    const struct al_rule *r = al_rule_find(f->rule);
    if (!r || f->severity == r->severity || sev < f->severity)
        return sev;
    return f->severity;
}

void al_suppress_apply(const struct al_check_ctx *ctx, const struct al_source *src,
                       struct al_findings *findings)
{
    struct keep_ctx k = {ctx, src, NULL, NULL, false};
    al_findings_filter(findings, keep, &k);
    free(k.path);
    const struct al_settings *st = ctx->settings;
    for (size_t i = 0; st && i < findings->n; i++)
        for (size_t j = 0; j < st->n_severities; j++)
            if (strcmp(st->severities[j].rule, findings->items[i].rule) == 0)
                findings->items[i].severity =
                    configured(&findings->items[i], st->severities[j].severity);
}
