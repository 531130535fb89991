/* --rbac files read into the engine (kube/kube.h). */
#include "cli/kube_input.h"
#include "cli/diag.h"
#include "common/buf.h"
#include "common/error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int read_file(const char *path, struct al_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return al_error_set("cannot read --rbac %s: %s", path, strerror(errno));
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b->len + n > AL_KUBE_MAX_FILE) {
            fclose(f);
            return al_error_set("--rbac %s is over %d MiB: give the RBAC objects only", path,
                                AL_KUBE_MAX_FILE >> 20);
        }
        al_buf_put(b, chunk, n);
    }
    int err = ferror(f);
    fclose(f);
    return err ? al_error_set("cannot read --rbac %s", path) : 0;
}

void al_kube_input_diagnostics(const struct al_kube *k)
{
    for (size_t i = 0; i < k->n_diags; i++) {
        const struct al_kube_diag *d = &k->diags[i];
        if (d->severity == AL_KUBE_NOTE)
            continue;
        al_diag("agentlint: %s: %s:%u: %s", al_kube_severity_name(d->severity), d->src.file,
                d->src.line, d->message);
    }
}

int al_kube_input_add(const struct al_opts *o, struct al_kube *k)
{
    if (al_kube_add_defaults(k, o->kube_version) < 0)
        return AL_ERR;
    for (size_t i = 0; i < o->n_rbac; i++) {
        struct al_buf b = AL_BUF_INIT;
        int rc = read_file(o->rbac[i], &b);
        if (rc == 0)
            rc = al_kube_add_text(k, o->rbac[i], al_buf_cstr(&b), b.len);
        al_buf_free(&b);
        if (rc < 0)
            return AL_ERR;
    }
    return 0;
}

int al_kube_input_load(const struct al_opts *o, struct al_kube **out)
{
    struct al_kube *k = al_kube_new();
    *out = NULL;
    if (al_kube_input_add(o, k) < 0 || al_kube_finish(k) < 0) {
        al_kube_free(k);
        return AL_ERR;
    }
    al_kube_input_diagnostics(k);
    *out = k;
    return 0;
}
