/* rbac --verify's renderers: the jobs whose granted permissions differ
 * from what the policy asks (perm/verify.h). */
#ifndef AL_RENDER_VERIFY_H
#define AL_RENDER_VERIFY_H

#include <stdbool.h>

#include "common/buf.h"
#include "views/rbac/verify.h"

struct al_verify_view {
    const struct al_rbac_verify *verify;
    const char *policy; /* --policy, or NULL */
    const char *kube_version;
    const char *version; /* agentlint's */
    unsigned width;
};

void al_render_verify_text(const struct al_verify_view *v, struct al_buf *out);
void al_render_verify_json(const struct al_verify_view *v, struct al_buf *out);

/* "acme/web, environment production (tier staging), protected ref, agent
 * deploy, project entry acme/web (line 3)". */
void al_verify_job_words(struct al_buf *out, const struct al_rbac_verify_job *j);
/* "view cluster-wide, edit in namespace web" or "nothing". */
void al_verify_intent_words(struct al_buf *out, const struct al_rbac_verify_job *j);
/* "wider", "narrower", "mixed". */
const char *al_verify_change_name(enum al_perm_change c);

#endif
