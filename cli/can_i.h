/* can-i: one CI job's answer per agent it may use, and the renderers of it
 * (cli/render_can_i_<format>.c). */
#ifndef AL_CAN_I_H
#define AL_CAN_I_H

#include <stdbool.h>

#include "access/decide.h"
#include "common/buf.h"
#include "kube/kube.h"
#include "perm/perm.h"

/* One agent's context in the job's kubeconfig. */
struct al_can_i_agent {
    const struct al_decision *d;
    struct al_perm_user user;       /* when d->allowed */
    struct al_kube_request request; /* the namespace filled in per context */
    struct al_kube_answer answer;   /* when user.known */
};

struct al_can_i_view {
    const char *verb, *resource; /* as given */
    const struct al_job *job;
    const struct al_kube *kube;
    struct al_can_i_agent *agents;
    size_t n_agents;
    bool allowed; /* some agent's identity may do it */
    bool unknown; /* some agent's identity could not be told (--agent-sa) */
    const char *version;
};

void al_render_can_i_text(const struct al_can_i_view *v, struct al_buf *out);
void al_render_can_i_json(const struct al_can_i_view *v, struct al_buf *out);

#endif
