/* sarif: SARIF 2.1.0 for code-scanning viewers (GitHub, VS Code, DefectDojo),
 * written by libfyaml's emitter. Paths are URI references relative to
 * %SRCROOT%, the repository root; columns count code points, as ours do. */
#include "cli/emit.h"
#include "cli/render.h"
#include "common/str.h"
#include "common/utf8.h"
#include "checks/rules.h"

#include <stdlib.h>
#include <string.h>

#define INFORMATION_URI "https://gitlab.com/agentlint/agentlint"
#define SRCROOT         "%SRCROOT%"
#define FINGERPRINT_KEY "agentlintFingerprint/v1"

/* SARIF levels happen to be spelled as our severities. */
static const char *level(enum al_severity s)
{
    return s == AL_SEV_ERROR ? "error" : s == AL_SEV_WARNING ? "warning" : "note";
}

static void message(struct al_emit *e, const char *key, const char *text)
{
    al_emit_key(e, key);
    al_emit_map_start(e);
    al_emit_kstr(e, "text", text);
    al_emit_map_end(e);
}

/* SARIF asks for plain-text messages made of complete sentences ending in a
 * period (viewers show them as prose); ours are clauses, like a compiler's. */
static void sentence(struct al_emit *e, const char *key, const char *text)
{
    size_t n = strlen(text);
    if (n && strchr(".?!", text[n - 1])) {
        message(e, key, text);
        return;
    }
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "%s.", text);
    message(e, key, al_buf_cstr(&b));
    al_buf_free(&b);
}

/* SARIF's friendly rule name, "unknown-key" -> "UnknownKey". A name that
 * would only differ from the id in case ("required") is left out, as SARIF
 * asks (sarif-multitool's SARIF1001). */
static void rule_name(struct al_emit *e, const char *id)
{
    struct al_buf b = AL_BUF_INIT;
    bool up = true;
    for (const char *p = id; *p; p++) {
        if (*p == '-') {
            up = true;
            continue;
        }
        al_buf_putc(&b, up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
        up = false;
    }
    if (!al_str_ieq(al_buf_cstr(&b), id))
        al_emit_kstr(e, "name", al_buf_cstr(&b));
    al_buf_free(&b);
}

static void rule(struct al_emit *e, const struct al_rule *r)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "id", r->id);
    rule_name(e, r->id);
    sentence(e, "shortDescription", r->summary);
    sentence(e, "fullDescription", r->help);
    sentence(e, "help", r->help);
    al_emit_key(e, "defaultConfiguration");
    al_emit_map_start(e);
    al_emit_kstr(e, "level", level(r->severity));
    al_emit_map_end(e);
    al_emit_key(e, "properties");
    al_emit_map_start(e);
    /* Whether an error of this rule makes GitLab refuse the whole file. */
    al_emit_kbool(e, "gitlabRejectsFile", r->rejects);
    al_emit_map_end(e);
    al_emit_map_end(e);
}

static void driver(struct al_emit *e, const struct al_check_view *v)
{
    al_emit_key(e, "tool");
    al_emit_map_start(e);
    al_emit_key(e, "driver");
    al_emit_map_start(e);
    al_emit_kstr(e, "name", "agentlint");
    al_emit_kstr(e, "version", v->version);
    al_emit_kstr(e, "semanticVersion", v->version);
    al_emit_kstr(e, "informationUri", INFORMATION_URI);
    al_emit_key(e, "rules");
    al_emit_seq_start(e);
    for (size_t i = 0; i < al_rules_count; i++)
        rule(e, &al_rules[i]);
    al_emit_seq_end(e);
    al_emit_map_end(e);
    al_emit_map_end(e);
}

/* No absolute root is written, so that the report does not depend on where
 * the repository was checked out (SARIF allows a base id without a uri). */
static void uri_base_ids(struct al_emit *e, const struct al_check_view *v)
{
    al_emit_key(e, "originalUriBaseIds");
    al_emit_map_start(e);
    al_emit_key(e, SRCROOT);
    al_emit_map_start(e);
    message(e, "description",
            v->source->kind == AL_SRC_FILES
                ? "The current directory of the agentlint run (paths were given as files)."
                : "The root of the git repository whose agent configurations were checked.");
    al_emit_map_end(e);
    al_emit_map_end(e);
}

static void artifact_location(struct al_emit *e, const char *path)
{
    struct al_buf uri = AL_BUF_INIT;
    bool absolute = path[0] == '/'; /* a plain file given by its absolute path */
    if (absolute)
        al_buf_puts(&uri, "file://");
    al_render_uri_path(&uri, path);
    al_emit_key(e, "artifactLocation");
    al_emit_map_start(e);
    al_emit_kstr(e, "uri", al_buf_cstr(&uri));
    if (!absolute)
        al_emit_kstr(e, "uriBaseId", SRCROOT);
    al_emit_map_end(e);
    al_buf_free(&uri);
}

static void snippet(struct al_emit *e, const char *s, size_t n)
{
    al_emit_key(e, "snippet");
    al_emit_map_start(e);
    al_emit_key(e, "text");
    al_emit_strn(e, s, n);
    al_emit_map_end(e);
}

/* Lines in a file's text (a last line without its newline counts). */
static long long line_count(const struct al_file *file)
{
    long long n = 0;
    for (size_t i = 0; i < file->len; i++)
        n += file->data[i] == '\n';
    if (file->len && file->data[file->len - 1] != '\n')
        n++;
    return n ? n : 1;
}

/* A finding about the file as a whole (line 0) covers all its lines, as
 * viewers (and GitHub, which needs a startLine) expect; a file that is not
 * there to read (a missing config.yaml, a link) gets no region. */
static void whole_file_region(struct al_emit *e, const struct al_check_view *v,
                              const struct al_finding *f)
{
    const struct al_file *file = al_source_find(v->source, f->path);
    if (!file || file->kind != AL_FILE_REGULAR || !file->data)
        return;
    al_emit_key(e, "region");
    al_emit_map_start(e);
    al_emit_kint(e, "startLine", 1);
    al_emit_kint(e, "endLine", line_count(file));
    al_emit_map_end(e);
}

/* The region is the offending token when we know its column, else the whole
 * line; the source line itself goes into contextRegion. */
static void regions(struct al_emit *e, const struct al_check_view *v, const struct al_finding *f)
{
    if (!f->line) {
        whole_file_region(e, v, f);
        return;
    }
    const char *line = NULL;
    size_t len = 0;
    bool have = al_render_shows_source(f) &&
                al_render_source_line(v->source, f->path, f->line, &line, &len);
    size_t chars = have ? al_utf8_count(line, len) : 0;
    bool token = have && f->col && f->col <= chars;

    al_emit_key(e, "region");
    al_emit_map_start(e);
    al_emit_kint(e, "startLine", f->line);
    al_emit_kint(e, "endLine", f->line);
    if (f->col)
        al_emit_kint(e, "startColumn", f->col);
    if (token) {
        size_t w = al_render_token_width(line, len, f->col);
        size_t from = al_utf8_offset(line, len, f->col - 1);
        size_t to = al_utf8_offset(line, len, f->col - 1 + w);
        al_emit_kint(e, "endColumn", (long long)(f->col + w));
        snippet(e, line + from, to - from);
    } else if (have && !f->col) {
        snippet(e, line, len);
    }
    al_emit_map_end(e);

    if (token) {
        al_emit_key(e, "contextRegion");
        al_emit_map_start(e);
        al_emit_kint(e, "startLine", f->line);
        al_emit_kint(e, "endLine", f->line);
        snippet(e, line, len);
        al_emit_map_end(e);
    }
}

static long rule_index(const char *id)
{
    for (size_t i = 0; i < al_rules_count; i++)
        if (strcmp(al_rules[i].id, id) == 0)
            return (long)i;
    return -1;
}

static void result_properties(struct al_emit *e, const struct al_finding *f)
{
    if (!f->agent && !f->key_path && !f->suggestion)
        return;
    al_emit_key(e, "properties");
    al_emit_map_start(e);
    if (f->agent)
        al_emit_kstr(e, "agent", f->agent);
    if (f->key_path)
        al_emit_kstr(e, "keyPath", f->key_path);
    /* A replacement for the offending text. Not a SARIF fix: that needs an
     * exact replaced region, which multi-line scalars do not give us. */
    if (f->suggestion)
        al_emit_kstr(e, "suggestion", f->suggestion);
    al_emit_map_end(e);
}

static void result(struct al_emit *e, const struct al_check_view *v, const struct al_finding *f,
                   const struct al_fingerprint *fp)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "ruleId", f->rule);
    long idx = rule_index(f->rule);
    if (idx >= 0)
        al_emit_kint(e, "ruleIndex", idx);
    al_emit_kstr(e, "level", level(f->severity));
    sentence(e, "message", f->message);
    al_emit_key(e, "locations");
    al_emit_seq_start(e);
    al_emit_map_start(e);
    al_emit_key(e, "physicalLocation");
    al_emit_map_start(e);
    artifact_location(e, f->path);
    regions(e, v, f);
    al_emit_map_end(e);
    al_emit_map_end(e);
    al_emit_seq_end(e);
    al_emit_key(e, "partialFingerprints");
    al_emit_map_start(e);
    al_emit_kstr(e, FINGERPRINT_KEY, fp->hex);
    al_emit_map_end(e);
    result_properties(e, f);
    al_emit_map_end(e);
}

static void run_properties(struct al_emit *e, const struct al_check_view *v)
{
    al_emit_key(e, "properties");
    al_emit_map_start(e);
    al_emit_kstr(e, "sourceKind", al_source_kind_name(v->source->kind));
    if (v->source->revision)
        al_emit_kstr(e, "revision", v->source->revision);
    al_emit_map_end(e);
}

void al_render_check_sarif(const struct al_check_view *v, struct al_buf *out)
{
    const struct al_findings *fs = &v->report->findings;
    struct al_fingerprint *fps = al_render_view_fingerprints(v);
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, out);
    al_emit_map_start(e);
    al_emit_kstr(e, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    al_emit_kstr(e, "version", "2.1.0");
    al_emit_key(e, "runs");
    al_emit_seq_start(e);
    al_emit_map_start(e);
    driver(e, v);
    al_emit_key(e, "invocations");
    al_emit_seq_start(e);
    al_emit_map_start(e);
    al_emit_kbool(e, "executionSuccessful", true);
    al_emit_map_end(e);
    al_emit_seq_end(e);
    uri_base_ids(e, v);
    al_emit_kstr(e, "columnKind", "unicodeCodePoints");
    al_emit_key(e, "results");
    al_emit_seq_start(e);
    for (size_t i = 0; i < fs->n; i++)
        result(e, v, &fs->items[i], &fps[i]);
    al_emit_seq_end(e);
    run_properties(e, v);
    al_emit_map_end(e);
    al_emit_seq_end(e);
    al_emit_map_end(e);
    al_emit_finish(e);
    free(fps);
}
