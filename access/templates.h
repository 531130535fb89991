/* Environment templates: .gitlab/agents/<agent>/environment_templates/
 * NAME.yaml (GitLab 17.9+), the Kubernetes objects GitLab creates when a job
 * of an entry with resource_management starts an environment. The default
 * template binds gitlab:project_env:<id>:<slug> to admin in a namespace per
 * environment: these RoleBindings grant access beside what config.yaml
 * says, so explain, report and rbac show what each template creates.
 * Values are shown as written ({{ .environment.slug }} stays a
 * placeholder: GitLab fills it per environment). */
#ifndef AL_TEMPLATES_H
#define AL_TEMPLATES_H

#include <stdbool.h>
#include <stddef.h>

#include "common/alloc.h"
#include "model/source.h"

struct al_tmpl_subject {
    const char *kind, *name, *namespace; /* as written, or NULL */
};

struct al_tmpl_object {
    const char *api_version, *kind, *name, *namespace; /* as written, or NULL */
    unsigned line;
    /* RoleBinding and ClusterRoleBinding: roleRef and subjects. */
    bool binding;
    const char *role_kind, *role_name;
    struct al_tmpl_subject *subjects;
    size_t n_subjects;
};

struct al_tmpl {
    const char *path; /* the template file */
    const char *name; /* its name: the file name without .yaml */
    bool readable;    /* a YAML mapping (else the environment-template rule says why) */
    const char *apply_resources, *delete_resources; /* as written, or NULL */
    struct al_tmpl_object *objects;
    size_t n_objects;
};

struct al_tmpls {
    struct al_tmpl *items;
    size_t n;
    struct al_arena arena;
};

/* The agent a path is a template of (caller frees), or NULL when the path is
 * not .gitlab/agents/AGENT/environment_templates/NAME.yaml. */
char *al_tmpl_agent_of(const char *path);

/* The templates of `agent` in the source, in path order; an empty list
 * when it has none. Returns < 0 only when out of memory (al_error_last). */
int al_tmpls_load(struct al_tmpls *out, const struct al_source *src, const char *agent);
void al_tmpls_free(struct al_tmpls *t);

/* The objects of all templates that bind roles: how many. */
size_t al_tmpls_bindings(const struct al_tmpls *t);

#endif
