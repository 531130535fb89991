/* Renderers: one small file per output format, each a view of the same
 * report. Adding a format is one new file and one row in the table of its
 * command. */
#ifndef AL_RENDER_H
#define AL_RENDER_H

#include <stdbool.h>

#include "common/buf.h"
#include "validator/check.h"

struct al_check_view {
    const struct al_report *report;
    const struct al_source *source;
    const struct al_check_ctx *ctx;
    const char *version; /* agentlint's version */
    bool color;
};

typedef void (*al_check_render_fn)(const struct al_check_view *v, struct al_buf *out);

struct al_check_format {
    const char *name;
    al_check_render_fn render;
};

/* NULL-terminated table of the check command's formats. */
extern const struct al_check_format al_check_formats[];

void al_render_check_text(const struct al_check_view *v, struct al_buf *out);
void al_render_check_json(const struct al_check_view *v, struct al_buf *out);
void al_render_check_sarif(const struct al_check_view *v, struct al_buf *out);
void al_render_check_codequality(const struct al_check_view *v, struct al_buf *out);
void al_render_check_junit(const struct al_check_view *v, struct al_buf *out);

/* Shared helpers (render_util.c). */
/* The 1-based line `line` of a file (without its newline or \r); false when absent. */
bool al_render_source_line(const struct al_source *src, const char *path, unsigned line,
                           const char **start, size_t *len);
/* Length in characters of the token at 1-based column `col` of a line. */
size_t al_render_token_width(const char *line, size_t len, unsigned col);

#endif
