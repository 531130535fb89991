/* Requests and users as kubectl and the API server build them.
 *
 * `kubectl auth can-i VERB ARG` (staging/src/k8s.io/kubectl/pkg/cmd/auth/
 * cani.go): ARG starting with "/" is a non-resource URL; otherwise it is
 * split once at "/" into TYPE and NAME ("pods/log" asks for the pod named
 * "log"; a subresource comes only from --subresource), TYPE is lowercased
 * and read by schema.ParseResourceArg: "deployments.apps" is resource
 * deployments in group apps, "deployments.v1.apps" adds a version. kubectl
 * then asks discovery for the plural; offline, a short table of the
 * built-in types' singular and short names stands in for it. */
#include "kube/kube_int.h"

#include <ctype.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/str.h"

/* Names discovery would map for the built-in types (kubectl api-resources):
 * the name a user may type, the plural and the group. */
static const struct {
    const char *alias, *plural, *group;
} builtin_names[] = {
    {"pod", "pods", ""},
    {"po", "pods", ""},
    {"service", "services", ""},
    {"svc", "services", ""},
    {"secret", "secrets", ""},
    {"configmap", "configmaps", ""},
    {"cm", "configmaps", ""},
    {"namespace", "namespaces", ""},
    {"ns", "namespaces", ""},
    {"node", "nodes", ""},
    {"no", "nodes", ""},
    {"serviceaccount", "serviceaccounts", ""},
    {"sa", "serviceaccounts", ""},
    {"persistentvolumeclaim", "persistentvolumeclaims", ""},
    {"pvc", "persistentvolumeclaims", ""},
    {"persistentvolume", "persistentvolumes", ""},
    {"pv", "persistentvolumes", ""},
    {"event", "events", ""},
    {"ev", "events", ""},
    {"endpoints", "endpoints", ""},
    {"ep", "endpoints", ""},
    {"replicationcontroller", "replicationcontrollers", ""},
    {"rc", "replicationcontrollers", ""},
    {"resourcequota", "resourcequotas", ""},
    {"quota", "resourcequotas", ""},
    {"limitrange", "limitranges", ""},
    {"limits", "limitranges", ""},
    {"deployment", "deployments", "apps"},
    {"deploy", "deployments", "apps"},
    {"deployments", "deployments", "apps"},
    {"replicaset", "replicasets", "apps"},
    {"rs", "replicasets", "apps"},
    {"replicasets", "replicasets", "apps"},
    {"statefulset", "statefulsets", "apps"},
    {"sts", "statefulsets", "apps"},
    {"statefulsets", "statefulsets", "apps"},
    {"daemonset", "daemonsets", "apps"},
    {"ds", "daemonsets", "apps"},
    {"daemonsets", "daemonsets", "apps"},
    {"job", "jobs", "batch"},
    {"jobs", "jobs", "batch"},
    {"cronjob", "cronjobs", "batch"},
    {"cj", "cronjobs", "batch"},
    {"cronjobs", "cronjobs", "batch"},
    {"ingress", "ingresses", "networking.k8s.io"},
    {"ing", "ingresses", "networking.k8s.io"},
    {"ingresses", "ingresses", "networking.k8s.io"},
    {"networkpolicy", "networkpolicies", "networking.k8s.io"},
    {"netpol", "networkpolicies", "networking.k8s.io"},
    {"networkpolicies", "networkpolicies", "networking.k8s.io"},
    {"role", "roles", "rbac.authorization.k8s.io"},
    {"roles", "roles", "rbac.authorization.k8s.io"},
    {"rolebinding", "rolebindings", "rbac.authorization.k8s.io"},
    {"rolebindings", "rolebindings", "rbac.authorization.k8s.io"},
    {"clusterrole", "clusterroles", "rbac.authorization.k8s.io"},
    {"clusterroles", "clusterroles", "rbac.authorization.k8s.io"},
    {"clusterrolebinding", "clusterrolebindings", "rbac.authorization.k8s.io"},
    {"clusterrolebindings", "clusterrolebindings", "rbac.authorization.k8s.io"},
    {"horizontalpodautoscaler", "horizontalpodautoscalers", "autoscaling"},
    {"hpa", "horizontalpodautoscalers", "autoscaling"},
    {"horizontalpodautoscalers", "horizontalpodautoscalers", "autoscaling"},
    {"poddisruptionbudget", "poddisruptionbudgets", "policy"},
    {"pdb", "poddisruptionbudgets", "policy"},
    {"poddisruptionbudgets", "poddisruptionbudgets", "policy"},
    {"customresourcedefinition", "customresourcedefinitions", "apiextensions.k8s.io"},
    {"crd", "customresourcedefinitions", "apiextensions.k8s.io"},
    {"crds", "customresourcedefinitions", "apiextensions.k8s.io"},
    {"customresourcedefinitions", "customresourcedefinitions", "apiextensions.k8s.io"},
};

/* "v1", "v2beta1", "v1alpha3": a version segment of TYPE.VERSION.GROUP. */
static bool is_version(const char *s, size_t n)
{
    if (n < 2 || s[0] != 'v' || !isdigit((unsigned char)s[1]))
        return false;
    size_t i = 1;
    while (i < n && isdigit((unsigned char)s[i]))
        i++;
    if (i == n)
        return true;
    const char *tail = s + i;
    size_t rest = n - i;
    size_t word = strncmp(tail, "alpha", 5) == 0 ? 5 : strncmp(tail, "beta", 4) == 0 ? 4 : 0;
    if (!word || rest == word)
        return false;
    for (i = word; i < rest; i++)
        if (!isdigit((unsigned char)tail[i]))
            return false;
    return true;
}

static void resource_of(struct al_kube *k, const char *type, struct al_kube_request *out)
{
    char *t = al_arena_strdup(&k->arena, type);
    for (char *p = t; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    out->api_group = NULL;
    char *dot = strchr(t, '.');
    if (dot && strcmp(t, "*") != 0) {
        *dot = '\0';
        const char *rest = dot + 1;
        const char *dot2 = strchr(rest, '.');
        if (dot2 && is_version(rest, (size_t)(dot2 - rest)))
            rest = dot2 + 1;
        out->api_group = rest;
    }
    out->resource = t;
    for (size_t i = 0; i < sizeof builtin_names / sizeof builtin_names[0]; i++)
        if (strcmp(t, builtin_names[i].alias) == 0 &&
            (!out->api_group || strcmp(out->api_group, builtin_names[i].group) == 0)) {
            out->resource = builtin_names[i].plural;
            if (!out->api_group)
                out->api_group = builtin_names[i].group;
            break;
        }
    if (!out->api_group)
        out->api_group = "";
}

int al_kube_request_parse(struct al_kube *k, const char *verb, const char *resource,
                          const char *subresource, const char *namespace,
                          struct al_kube_request *out)
{
    memset(out, 0, sizeof(*out));
    if (!verb || !*verb)
        return al_error_set("give a verb (get, list, create, ...) before the resource");
    if (!resource || !*resource)
        return al_error_set("give a resource type (pods, deployments.apps, secrets/NAME) or a "
                            "non-resource URL starting with /");
    out->verb = al_arena_strdup(&k->arena, verb);
    if (resource[0] == '/') {
        if (subresource && *subresource)
            return al_error_set("--subresource cannot be used with a non-resource URL");
        out->path = al_arena_strdup(&k->arena, resource);
        return 0;
    }
    const char *slash = strchr(resource, '/');
    char *type = al_arena_strndup(&k->arena, resource,
                                  slash ? (size_t)(slash - resource) : strlen(resource));
    if (!*type)
        return al_error_set("the resource type before / is empty; write TYPE/NAME, e.g. "
                            "secrets/db-password");
    if (slash)
        out->name = al_arena_strdup(&k->arena, slash + 1);
    resource_of(k, type, out);
    out->subresource = subresource && *subresource ? al_arena_strdup(&k->arena, subresource) : NULL;
    out->namespace = namespace ? al_arena_strdup(&k->arena, namespace) : NULL;
    return 0;
}

/* ---- users ---- */

static const char sa_prefix[] = "system:serviceaccount:";

void al_kube_user_sa(struct al_kube *k, const char *ns, const char *name, struct al_kube_user *out)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "%s%s:%s", sa_prefix, ns, name);
    out->name = al_arena_strdup(&k->arena, al_buf_cstr(&b));
    al_buf_clear(&b);
    al_buf_printf(&b, "system:serviceaccounts:%s", ns);
    const char **groups = al_arena_alloc(&k->arena, 3 * sizeof(*groups));
    groups[0] = "system:serviceaccounts";
    groups[1] = al_arena_strdup(&k->arena, al_buf_cstr(&b));
    groups[2] = "system:authenticated";
    out->groups = groups;
    out->n_groups = 3;
    al_buf_free(&b);
}

/* serviceaccount.SplitUsername: exactly NS:NAME after the prefix, both
 * non-empty (a name with a colon is not a service account). */
bool al_kube_sa_parse(struct al_kube *k, const char *username, const char **ns, const char **name)
{
    if (!username || !al_str_startswith(username, sa_prefix))
        return false;
    const char *rest = username + sizeof sa_prefix - 1;
    const char *colon = strchr(rest, ':');
    if (!colon || colon == rest || !colon[1] || strchr(colon + 1, ':'))
        return false;
    *ns = al_arena_strndup(&k->arena, rest, (size_t)(colon - rest));
    *name = al_arena_strdup(&k->arena, colon + 1);
    return true;
}
