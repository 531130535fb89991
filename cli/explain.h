/* explain's renderers: each output format is a view of the access model
 * (the matrix) and, with --project, of one job's decisions. */
#ifndef AL_EXPLAIN_H
#define AL_EXPLAIN_H

#include <stdbool.h>

#include "access/decide.h"
#include "access/model.h"
#include "common/buf.h"
#include "checks/check.h"

struct al_explain_perms;

struct al_explain_view {
    const struct al_report *report;
    const struct al_access *model;
    const struct al_decisions *decisions; /* NULL: the matrix alone */
    const char *config_project;           /* or NULL when unknown */
    const char *config_project_origin;    /* where it came from, or NULL */
    enum al_env_matching matching;
    const char *version; /* agentlint's */
    bool color;
    unsigned width; /* text: the terminal's columns */
    /* --permissions: per agent serving the job, its permissions in the
     * cluster (cli/explain_perm.h); NULL without. */
    const struct al_explain_perms *perms;
};

void al_render_explain_text(const struct al_explain_view *v, struct al_buf *out);
void al_render_explain_markdown(const struct al_explain_view *v, struct al_buf *out);
void al_render_explain_json(const struct al_explain_view *v, struct al_buf *out);
void al_render_explain_dot(const struct al_explain_view *v, struct al_buf *out);

/* The --permissions section of each format (cli/render_perm_*.c; dot draws
 * it in render_explain_dot.c). */
struct al_emit;
void al_render_perm_text(const struct al_explain_view *v, struct al_buf *out);
void al_render_perm_markdown(const struct al_explain_view *v, struct al_buf *out);
void al_render_perm_json(const struct al_explain_view *v, struct al_emit *e);

/* explain's matrix as a document (cli/explain_doc.c; the report shows it
 * under headings of its own). */
struct al_doc_node;
/* "Agent NAME", a heading of `level`. */
void al_explain_doc_heading(struct al_doc_node *parent, unsigned level,
                            const struct al_access_agent *ag);
/* "Config: PATH · kubeconfig context: CONTEXT". */
void al_explain_doc_config(struct al_doc_node *parent, const struct al_access_agent *ag);
/* A rejected agent's note as a call-out (nothing otherwise). */
void al_explain_doc_rejected(struct al_doc_node *parent, const struct al_access_agent *ag);
/* The table of an agent's authorizations and the notes under it. */
void al_explain_doc_matrix(struct al_doc_node *parent, const struct al_access_agent *ag);
/* What the agent's environment templates create, as a list (nothing when
 * it has none). */
struct al_source;
void al_explain_doc_templates(struct al_doc_node *parent, const struct al_source *src,
                              const struct al_access_agent *ag);

struct al_emit;
/* One authorization as explain's JSON writes it (the contract's fields and
 * more); diff writes its before and after the same way. */
void al_explain_json_auth(struct al_emit *e, const struct al_auth *a);

/* Shared wording (cli/explain_util.c), so every format says the same. */

/* The environments, comma-separated, or "any" (no restriction). */
void al_explain_envs(struct al_buf *out, const struct al_auth *a);
/* The status of every entry of an agent whose file GitLab rejects. */
#define AL_EXPLAIN_NOT_IN_FORCE                                                                    \
    "not in force (file rejected; GitLab keeps the previous config, unknown here)"
/* "in force", "dropped", "shadowed", "ignored", or AL_EXPLAIN_NOT_IN_FORCE. */
const char *al_explain_status(const struct al_auth *a);
/* What every format says under a rejected agent's name: GitLab keeps the
 * previous configuration, and where the last accepted version is (--rev),
 * or how far back none was found. */
void al_explain_rejected_note(struct al_buf *out, const struct al_access_agent *ag);
/* Whether GitLab applies this entry: effective, in a file it accepts. */
bool al_explain_in_force(const struct al_auth *a);
/* "project acme/web (line 4)", "implicit acme/infra", "instance (line 9)". */
void al_explain_entry(struct al_buf *out, const struct al_auth *a);
/* "line 11, ci_access.groups[0] acme/platform: " (the start of a note). */
void al_explain_note_prefix(struct al_buf *out, const struct al_auth *a);
/* The note every format prints under the matrix for an authorization that is
 * not in force, or that more specific entries replace where they apply
 * ("line 3, groups[0] acme: GitLab prefers ..."); false when it needs none. */
bool al_explain_auth_note(struct al_buf *out, const struct al_auth *a);

/* Environment templates (access/templates.h), as every format words them:
 * "environment template default (PATH): GitLab applies it on_start and
 * deletes it on_stop; it creates 2 objects, 1 binding roles", and per
 * object "RoleBinding NAME in namespace NS: binds ClusterRole admin to
 * Group gitlab:project_env:...". Values as written. */
struct al_tmpl;
struct al_tmpl_object;
void al_explain_template_head(struct al_buf *out, const struct al_tmpl *t);
void al_explain_template_object(struct al_buf *out, const struct al_tmpl_object *o);

/* The matrix's columns, as the Markdown and HTML tables show them. */
enum { AL_EXPLAIN_MATRIX_COLUMNS = 9 };
extern const char *const al_explain_matrix_head[AL_EXPLAIN_MATRIX_COLUMNS];
/* One authorization's cells in those columns; the strings live until
 * al_explain_row_free. */
struct al_explain_row {
    const char *cells[AL_EXPLAIN_MATRIX_COLUMNS];
    char line[16];
    struct al_buf envs;
};
void al_explain_row_init(struct al_explain_row *r, const struct al_auth *a);
void al_explain_row_free(struct al_explain_row *r);
/* The command that fetches a missing id from the GitLab API: with glab, or
 * with curl ($CI_API_V4_URL and a token with read_api in $GITLAB_TOKEN).
 * Paths are percent-encoded: the commands are safe to paste. */
void al_explain_fetch_command(struct al_buf *out, const struct al_missing_id *m);
void al_explain_fetch_curl(struct al_buf *out, const struct al_missing_id *m);
/* "project", "group", "agent", ... */
const char *al_explain_id_kind(enum al_ids_kind k);
/* "project acme/web, environment "prod" (tier production, guessed; slug prod), ..." */
void al_explain_job(struct al_buf *out, const struct al_decisions *d);

#endif
