/* Renderers: one small file per output format, each a view of the same
 * report. Adding a format is one new file and one row in cli/formats.c. */
#ifndef AL_RENDER_H
#define AL_RENDER_H

#include <stdbool.h>

#include "common/buf.h"
#include "checks/check.h"

struct al_check_view {
    const struct al_report *report;
    const struct al_source *source;
    const struct al_check_ctx *ctx;
    const char *version; /* agentlint's version */
    bool color;
    /* --fail-on: findings at or above it fail (junit's <failure>). */
    enum al_severity fail_on;
    /* The findings' fingerprints, element i for findings.items[i], taken
     * before a baseline or --changed left some out (NULL: from the list). */
    const struct al_fingerprint *fingerprints;
};

void al_render_check_text(const struct al_check_view *v, struct al_buf *out);
void al_render_check_json(const struct al_check_view *v, struct al_buf *out);
void al_render_check_sarif(const struct al_check_view *v, struct al_buf *out);
void al_render_check_codequality(const struct al_check_view *v, struct al_buf *out);
void al_render_check_junit(const struct al_check_view *v, struct al_buf *out);

struct al_emit;
/* The members of one finding as check's JSON writes them, inside a mapping
 * the caller opens (render_json.c); diff's JSON lists new and fixed
 * findings the same way, with their fingerprints. */
void al_render_json_finding(struct al_emit *e, const struct al_finding *f);

/* --write-baseline: the fingerprints of `fs` (fps[i] for fs->items[i]) as
 * the baseline file, JSON (render_baseline.c). */
void al_render_baseline(const struct al_findings *fs, const struct al_fingerprint *fps,
                        const char *version, struct al_buf *out);

/* Shared helpers (render_util.c). */
/* The view's fingerprints, or the list's own when it has none; caller frees. */
struct al_fingerprint *al_render_view_fingerprints(const struct al_check_view *v);
/* Whether a finding's source line may be shown (never for a secret). */
bool al_render_shows_source(const struct al_finding *f);
/* The 1-based line `line` of a file (without its newline or \r); false when absent. */
bool al_render_source_line(const struct al_source *src, const char *path, unsigned line,
                           const char **start, size_t *len);
/* Length in characters of the token at 1-based column `col` of a line. */
size_t al_render_token_width(const char *line, size_t len, unsigned col);

/* Append s[0..n) as XML 1.0 text (attribute: an attribute value in double
 * quotes). & < > " ' become entities; newline and CR become character
 * references (a value stays on its line), and so does tab in an attribute,
 * so that attribute normalisation keeps them. DEL, C1 controls and the characters common/safe.h
 * hides (bidi controls, zero-width, U+2028...) become character references:
 * the data stays exact and nothing acts raw on a reader. What XML 1.0
 * forbids is written visibly: C0 controls as \xNN, U+FFFE/U+FFFF as \uFFFE,
 * invalid UTF-8 bytes as \xNN. The result is always well-formed. */
void al_render_xml_escape(struct al_buf *out, const char *s, size_t n, bool attribute);

/* Append a '/'-separated path as a URI reference: every byte but unreserved
 * characters (RFC 3986: A-Z a-z 0-9 - . _ ~) and '/' is percent-encoded. */
void al_render_uri_path(struct al_buf *out, const char *path);

#endif
