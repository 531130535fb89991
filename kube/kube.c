/* The set of RBAC objects: its life, its diagnostics, and al_kube_finish,
 * which turns what was read into what the authorizer sees. */
#include "kube/kube_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"

struct al_kube *al_kube_new(void)
{
    return al_calloc(1, sizeof(struct al_kube));
}

void al_kube_free(struct al_kube *k)
{
    if (!k)
        return;
    al_kube_index_free(k->index);
    free(k->roles);
    free(k->bindings);
    free(k->diags);
    al_arena_free(&k->arena);
    free(k);
}

void al_kube_diag_add(struct al_kube *k, enum al_kube_severity sev, struct al_kube_src src,
                      const char *fmt, ...)
{
    struct al_buf b = AL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    al_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    k->diags = al_grow(k->diags, &k->cap_diags, k->n_diags + 1, sizeof(*k->diags));
    struct al_kube_diag *d = &k->diags[k->n_diags++];
    d->severity = sev;
    d->src = src;
    d->message = al_arena_strdup(&k->arena, al_buf_cstr(&b));
    al_buf_free(&b);
}

void al_kube_role_add(struct al_kube *k, struct al_kube_role *role)
{
    k->roles = al_grow(k->roles, &k->cap_roles, k->n_roles + 1, sizeof(*k->roles));
    k->roles[k->n_roles++] = role;
}

void al_kube_binding_add(struct al_kube *k, struct al_kube_binding *b)
{
    k->bindings = al_grow(k->bindings, &k->cap_bindings, k->n_bindings + 1, sizeof(*k->bindings));
    k->bindings[k->n_bindings++] = b;
}

int al_kube_finish(struct al_kube *k)
{
    if (k->finished)
        return al_error_set("internal: al_kube_finish called twice");
    al_kube_aggregate(k);
    al_kube_resolve(k);
    k->index = al_kube_index_build(k);
    k->finished = true;
    return 0;
}

static const char *const subject_kinds[] = {"User", "Group", "ServiceAccount"};

enum al_kube_subject_kind al_kube_subject_kind_parse(const char *kind)
{
    for (int i = 0; i < 3; i++)
        if (kind && strcmp(kind, subject_kinds[i]) == 0)
            return (enum al_kube_subject_kind)i;
    return AL_KUBE_OTHER;
}

const char *al_kube_subject_kind_name(enum al_kube_subject_kind kind)
{
    return kind <= AL_KUBE_SERVICE_ACCOUNT ? subject_kinds[kind] : "Other";
}

const char *al_kube_severity_name(enum al_kube_severity s)
{
    static const char *const names[] = {"note", "warning", "error"};
    return s <= AL_KUBE_ERROR ? names[s] : "error";
}
