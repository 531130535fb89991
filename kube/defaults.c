/* Kubernetes' default ClusterRoles and ClusterRoleBindings, per version, as
 * data (kube/defaults/X.Y.yaml, compiled in by tools/embed; sources and
 * licence in kube/defaults/README.md). They are read by the same loader as
 * user input, so the defaults and a cluster dump cannot be read
 * differently. */
#include "kube/kube_int.h"

#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"

extern const char al_kube_defaults_1_32[];
extern const size_t al_kube_defaults_1_32_len;

static const struct {
    const char *version;
    const char *data;
    const size_t *len;
} defaults[] = {
    {"1.32", al_kube_defaults_1_32, &al_kube_defaults_1_32_len},
};

enum { N_DEFAULTS = sizeof defaults / sizeof defaults[0] };

static const char *const versions[N_DEFAULTS + 1] = {"1.32", NULL};

const char *const *al_kube_versions(size_t *n)
{
    *n = N_DEFAULTS;
    return versions;
}

const char *al_kube_default_version(void)
{
    return defaults[N_DEFAULTS - 1].version;
}

int al_kube_add_defaults(struct al_kube *k, const char *version)
{
    if (!version)
        version = al_kube_default_version();
    for (size_t i = 0; i < N_DEFAULTS; i++) {
        if (strcmp(defaults[i].version, version) != 0)
            continue;
        char file[64];
        snprintf(file, sizeof file, "<kube %s defaults>", version);
        size_t before = k->n_diags;
        if (al_kube_add_source(k, file, defaults[i].data, *defaults[i].len, true) < 0)
            return -1;
        k->n_diags = before; /* the data's own notes are not the user's */
        k->defaults_version = defaults[i].version;
        return 0;
    }
    struct al_buf b = AL_BUF_INIT;
    for (size_t i = 0; i < N_DEFAULTS; i++)
        al_buf_printf(&b, "%s%s", i ? ", " : "", defaults[i].version);
    al_error_set("--kube-version: no default roles for Kubernetes `%.40s`; known versions: %s",
                 version, al_buf_cstr(&b));
    al_buf_free(&b);
    return -1;
}
