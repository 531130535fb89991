/* Every command's output formats, one table (cli/formats.c): `--format`
 * parsing and its error, the formats in `--help`, `--list-formats` (which
 * the shell completions read), the man page's list (checked by a test) and
 * the tests' list all come from it. A new format is one renderer file and
 * one row; a new command with formats is a member of `union al_renderer`
 * (its view type) and its rows. */
#ifndef AL_FORMATS_H
#define AL_FORMATS_H

#include <stdbool.h>

#include "cli/options.h"
#include "common/buf.h"

struct al_check_view;
struct al_explain_view;
struct al_diff_view;
struct al_review_view;
struct al_rbac;
struct al_can_i_view;
struct al_whocan_view;
struct al_schema;

/* rules' view: one rule's reference, or all (id NULL). */
struct al_rules_view {
    const char *id;
};

/* schema's view: the built-in schema at one GitLab version. */
struct al_schema_view {
    const struct al_schema *schema;
    int version;
};

/* A renderer writes its command's view into `out`; those that can fail
 * return < 0 with a sentence in al_error_last(). The row's command says
 * which member is set. */
union al_renderer {
    void (*check)(const struct al_check_view *v, struct al_buf *out);
    void (*explain)(const struct al_explain_view *v, struct al_buf *out);
    void (*diff)(const struct al_diff_view *v, struct al_buf *out);
    void (*report)(const struct al_review_view *v, struct al_buf *out);
    int (*rbac)(const struct al_rbac *v, struct al_buf *out);
    int (*rules)(const struct al_rules_view *v, struct al_buf *out);
    void (*schema)(const struct al_schema_view *v, struct al_buf *out);
    void (*can_i)(const struct al_can_i_view *v, struct al_buf *out);
    void (*who_can)(const struct al_whocan_view *v, struct al_buf *out);
};

enum al_format_flags {
    AL_FORMAT_DEFAULT = 1, /* the command's format when --format is not given */
    /* Rendered whole before a byte is written, even to standard output:
     * the renderer can fail halfway (nothing must come out then). The
     * others stream to standard output as they are produced. */
    AL_FORMAT_WHOLE = 2,
};

struct al_format {
    enum al_command cmd;
    const char *name;
    const char *summary; /* what it is for, in --help */
    unsigned flags;      /* enum al_format_flags */
    union al_renderer render;
};

/* Every command's formats, grouped by command; ends with a row whose name
 * is NULL. */
extern const struct al_format al_formats[];

/* The format `name` of `cmd` (NULL: its default), or NULL with the
 * sentence "--format for CMD must be A, B or C, not 'X'" in
 * al_error_last(). */
const struct al_format *al_format_find(enum al_command cmd, const char *command_name,
                                       const char *name);
/* Whether `name` is the name of any command's format. */
bool al_format_known(const char *name);
/* Whether `cmd` has formats (takes --format and --list-formats). */
bool al_format_takes(enum al_command cmd);

/* Render `view` (the type the row's command renders) into `out`. */
int al_format_render(const struct al_format *f, const void *view, struct al_buf *out);
/* Render `view` to `path` (NULL or "-": standard output, streamed unless
 * the format says otherwise; a file is written whole or not at all).
 * Returns < 0 with a sentence in al_error_last() on failure. */
int al_format_write(const struct al_format *f, const void *view, const char *path);

/* The renderers of commands without a header of their own. */
int al_render_rules_text(const struct al_rules_view *v, struct al_buf *out);
int al_render_rules_json(const struct al_rules_view *v, struct al_buf *out);
void al_render_schema_json(const struct al_schema_view *v, struct al_buf *out);

/* --list-formats: the names of `cmd`'s formats, one per line. */
void al_formats_list(enum al_command cmd);
/* --help: "Formats (-f):" and a line per format. */
void al_formats_help(enum al_command cmd);

#endif
