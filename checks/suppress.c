#include "checks/suppress.h"
#include "checks/rules.h"
#include "common/alloc.h"
#include "common/str.h"

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

/* The line of the marker that silences `rule` on `line`, or 0. */
static unsigned marker_line(const struct al_file *f, unsigned line, const char *rule)
{
    const char *s, *e;
    if (!f || line == 0)
        return 0;
    if (line_of(f, line, &s, &e) && marker_names(s, e, rule))
        return line;
    if (line > 1 && line_of(f, line - 1, &s, &e) && comment_only(s, e) && marker_names(s, e, rule))
        return line - 1;
    return 0;
}

bool al_suppress_inline(const struct al_file *f, unsigned line, const char *rule)
{
    return marker_line(f, line, rule) != 0;
}

/* A marker that silenced a finding: (path, line, rule) for unused-ignore. */
struct used_marker {
    const char *path; /* the source's file path */
    unsigned line;
    const char *rule; /* the rule table's id */
};

struct keep_ctx {
    const struct al_check_ctx *ctx;
    const struct al_source *src;
    /* Findings come grouped by file: remember the last one looked up, and
     * whether it has any inline marker at all (most files have none). */
    char *path; /* a copy: the finding it came from may be filtered out */
    const struct al_file *file;
    bool has_marker;
    struct used_marker *used;
    size_t n_used, cap_used;
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
    unsigned at = file ? marker_line(file, f->line, f->rule) : 0;
    if (!at)
        return true;
    k->used = al_grow(k->used, &k->cap_used, k->n_used + 1, sizeof(*k->used));
    k->used[k->n_used++] = (struct used_marker){file->path, at, f->rule};
    return false;
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

/* ---- the markers themselves: unknown rules, bare ignores, unused ones ---- */

static bool marker_used(const struct keep_ctx *k, const char *path, unsigned line, const char *rule,
                        size_t n)
{
    for (size_t i = 0; i < k->n_used; i++)
        if (k->used[i].line == line && strcmp(k->used[i].path, path) == 0 &&
            strlen(k->used[i].rule) == n && memcmp(k->used[i].rule, rule, n) == 0)
            return true;
    return false;
}

static bool rule_off(const struct al_settings *st, const char *rule)
{
    for (size_t i = 0; st && i < st->n_severities; i++)
        if (strcmp(st->severities[i].rule, rule) == 0 && st->severities[i].severity == AL_SEV_OFF)
            return true;
    return false;
}

/* The rule id closest to a misspelt one (at most 3 edits), or NULL. */
static const char *closest_rule(const char *w, size_t n)
{
    char *want = al_strndup(w, n);
    const char *best = NULL;
    size_t best_d = 4;
    for (size_t i = 0; i < al_rules_count; i++) {
        size_t d = al_str_distance(want, al_rules[i].id, 3);
        if (d < best_d)
            best = al_rules[i].id, best_d = d;
    }
    free(want);
    return best;
}

/* `value` (the id as written) tells apart the fingerprints of two markers
 * of one file. */
static void marker_finding(struct al_findings *out, const struct al_file *f, unsigned line,
                           unsigned col, const char *rule, const char *msg, const char *fix,
                           const char *value)
{
    struct al_finding *fd =
        al_findings_add(out, rule, f->path, (struct al_ypos){line, col}, "%s", msg);
    if (fix)
        al_finding_set_suggestion(fd, fix);
    al_finding_set_value(fd, value);
    char *agent = al_agent_from_path(f->path);
    if (agent)
        al_finding_set_agent(fd, agent);
    free(agent);
}

/* One id of an ignore[...] list, from w to w + n. */
static void check_marker_id(const struct keep_ctx *k, const struct al_file *f, unsigned line,
                            unsigned col, const char *w, size_t n, struct al_findings *out)
{
    struct al_buf m = AL_BUF_INIT;
    char *id = al_strndup(w, n);
    const struct al_rule *r = al_rule_find(id);
    if (!r) {
        const char *near = closest_rule(w, n);
        al_buf_printf(&m, "inline ignore names no rule \"%s\", so it silences nothing", id);
        if (near)
            al_buf_printf(&m, "; did you mean %s?", near);
        else
            al_buf_puts(&m, " (agentlint rules lists the ids)");
        marker_finding(out, f, line, col, "unknown-ignore", al_buf_cstr(&m), near, id);
    } else if (!marker_used(k, f->path, line, r->id, strlen(r->id)) &&
               !rule_off(k->ctx->settings, r->id)) {
        al_buf_printf(&m,
                      "inline ignore[%s] silences nothing: no %s finding on this line (or on "
                      "the next, for a comment alone on its line); remove it",
                      r->id, r->id);
        marker_finding(out, f, line, col, "unused-ignore", al_buf_cstr(&m), NULL, r->id);
    }
    free(id);
    al_buf_free(&m);
}

/* The markers of one line: "agentlint: ignore" after a '#'. */
static void check_line_markers(const struct keep_ctx *k, const struct al_file *f, unsigned line,
                               const char *s, const char *e, struct al_findings *out)
{
    static const char tag[] = "agentlint: ignore";
    const char *hash = memchr(s, '#', (size_t)(e - s));
    for (const char *p = hash; p && p + sizeof tag - 1 <= e; p++) {
        if (memcmp(p, tag, sizeof tag - 1) != 0)
            continue;
        unsigned col = (unsigned)(p - s) + 1;
        const char *q = p + sizeof tag - 1;
        if (q == e || *q != '[') {
            marker_finding(out, f, line, col, "unknown-ignore",
                           "a bare \"agentlint: ignore\" silences nothing: name the rules, as in "
                           "# agentlint: ignore[RULE-ID]. There is no ignore-all on purpose: one "
                           "comment must not hide every finding of a security gate, including "
                           "ones added later",
                           NULL, NULL);
            continue;
        }
        for (q++; q < e && *q != ']';) {
            while (q < e && (*q == ' ' || *q == ','))
                q++;
            const char *w = q;
            while (q < e && *q != ',' && *q != ']' && *q != ' ')
                q++;
            if (q > w)
                check_marker_id(k, f, line, (unsigned)(w - s) + 1, w, (size_t)(q - w), out);
        }
    }
}

static void check_markers(const struct keep_ctx *k, const struct al_source *src,
                          struct al_findings *out)
{
    const struct al_settings *st = k->ctx->settings;
    for (size_t i = 0; i < src->n_files; i++) {
        const struct al_file *f = &src->files[i];
        if (f->kind != AL_FILE_REGULAR || !f->data || strcmp(f->path, ".agentlint.yaml") == 0 ||
            !memmem(f->data, f->len, "agentlint: ignore", 17) ||
            (st && al_settings_ignores(st, f->path)))
            continue;
        for (unsigned line = 1; line <= f->n_lines; line++) {
            const char *s, *e;
            if (line_of(f, line, &s, &e) && memchr(s, '#', (size_t)(e - s)))
                check_line_markers(k, f, line, s, e, out);
        }
    }
}

static bool keep_marker_finding(const struct al_finding *f, void *data)
{
    const struct al_settings *st = data;
    bool marker = strcmp(f->rule, "unknown-ignore") == 0 || strcmp(f->rule, "unused-ignore") == 0;
    return !marker || !rule_off(st, f->rule);
}

void al_suppress_apply(const struct al_check_ctx *ctx, const struct al_source *src,
                       struct al_findings *findings)
{
    struct keep_ctx k = {ctx, src, NULL, NULL, false, NULL, 0, 0};
    al_findings_filter(findings, keep, &k);
    free(k.path);
    check_markers(&k, src, findings);
    free(k.used);
    if (ctx->settings)
        al_findings_filter(findings, keep_marker_finding, (void *)ctx->settings);
    const struct al_settings *st = ctx->settings;
    for (size_t i = 0; st && i < findings->n; i++)
        for (size_t j = 0; j < st->n_severities; j++)
            if (strcmp(st->severities[j].rule, findings->items[i].rule) == 0)
                findings->items[i].severity =
                    configured(&findings->items[i], st->severities[j].severity);
}
