#include "validator/suppress.h"

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
};

static bool keep(const struct al_finding *f, void *data)
{
    const struct keep_ctx *k = data;
    const struct al_settings *st = k->ctx->settings;
    if (st && al_settings_ignores(st, f->path))
        return false;
    if (st) {
        for (size_t i = 0; i < st->n_severities; i++)
            if (strcmp(st->severities[i].rule, f->rule) == 0 &&
                st->severities[i].severity == AL_SEV_OFF)
                return false;
    }
    const struct al_file *file = al_source_find(k->src, f->path);
    if (file && file->kind == AL_FILE_REGULAR && f->line &&
        al_suppress_inline(file, f->line, f->rule))
        return false;
    return true;
}

void al_suppress_apply(const struct al_check_ctx *ctx, const struct al_source *src,
                       struct al_findings *findings)
{
    struct keep_ctx k = {ctx, src};
    al_findings_filter(findings, keep, &k);
    const struct al_settings *st = ctx->settings;
    for (size_t i = 0; st && i < findings->n; i++)
        for (size_t j = 0; j < st->n_severities; j++)
            if (strcmp(st->severities[j].rule, findings->items[i].rule) == 0)
                findings->items[i].severity = st->severities[j].severity;
}
