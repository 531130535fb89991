/* who-can's renderers: each format is a view of perm/whocan.h's answer. */
#ifndef AL_CLI_WHOCAN_H
#define AL_CLI_WHOCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "views/whocan.h"

struct al_whocan_view {
    const struct al_who *who;
    const char *verb, *resource; /* as given */
    const char *const *rbac;     /* --rbac paths */
    size_t n_rbac;
    const char *kube_version;   /* of the default roles */
    const char *config_project; /* or NULL */
    const char *version;        /* agentlint's */
    bool color;
    unsigned width;
};

void al_render_whocan_text(const struct al_whocan_view *v, struct al_buf *out);
void al_render_whocan_markdown(const struct al_whocan_view *v, struct al_buf *out);
void al_render_whocan_json(const struct al_whocan_view *v, struct al_buf *out);

/* Shared wording (cli/whocan_util.c), so every format says the same. */

/* "get secrets in namespace prod", "get /healthz". */
void al_whocan_request(struct al_buf *out, const struct al_kube_request *r);
/* "(none)", "production", "review/x (wildcard)", "(any other)", each with
 * " [tier a, b]" when the answer depends on the tier; comma-separated. */
void al_whocan_envs(struct al_buf *out, const struct al_who_row *row);
/* "any", "protected", "unprotected". */
const char *al_whocan_refs(const struct al_who_row *row);
/* "ClusterRoleBinding ci-job-view (rbac.yaml:9) -> ClusterRole view, rule
 * at <kube 1.31 defaults>:40", or the reason the identity is unknown. */
void al_whocan_by(struct al_buf *out, const struct al_who_row *row);
/* "every namespace" or "namespace NS". */
void al_whocan_where(struct al_buf *out, const struct al_who_row *row);
/* The user the cluster sees: "gitlab:ci_job:<job id>" or "unknown". */
const char *al_whocan_user(const struct al_who_row *row);

#endif
