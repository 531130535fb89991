/* privileged-identity: access_as.impersonate sends every authorized CI job
 * to the cluster as the given user and groups. Some names carry power in
 * Kubernetes no matter what RBAC says (system:masters), or are the
 * identities of control-plane components and nodes, or of administrators
 * that installers bind to cluster-admin. The list is data: one row per name
 * or prefix, with why it is privileged. Linear in the identities. */
#include "checks/rules.h"
#include "checks/rules/util.h"

#include <string.h>

struct privileged {
    const char *name; /* exact name, or a prefix when it ends in '*' */
    const char *why;  /* NULL: a system: name that is not privileged (see the last row) */
};

static const struct privileged PRIVILEGED[] = {
    {"system:masters", "the API server grants this group every permission, bypassing RBAC"},
    {"cluster-admin", "it is the name of Kubernetes' all-powerful ClusterRole, and an identity "
                      "named so is almost always bound to it"},
    {"system:admin", "it is OpenShift's built-in cluster administrator"},
    {"system:cluster-admins", "OpenShift binds this group to cluster-admin"},
    {"kubernetes-admin", "it is kubeadm's administrator user (in system:masters or "
                         "kubeadm:cluster-admins)"},
    {"kubeadm:cluster-admins", "kubeadm binds this group to cluster-admin"},
    {"system:apiserver", "it is the API server's own loopback identity, a member of "
                         "system:masters"},
    {"system:kube-controller-manager",
     "it is the controller manager's identity, which can read every secret and create service "
     "account tokens"},
    {"system:kube-scheduler", "it is the scheduler's identity, with broad control-plane "
                              "permissions"},
    {"system:nodes", "it is the group of all kubelets, which can read the secrets of their pods "
                     "and modify nodes"},
    {"system:node:*", "it is a kubelet's identity, which can read the secrets of its pods and "
                      "modify its node"},
    {"system:serviceaccount:kube-system:*",
     "the service accounts of kube-system run control-plane components, many of them with "
     "cluster-wide write access"},
    {"system:serviceaccounts:kube-system", "it is the group of every kube-system service "
                                           "account, including highly privileged ones"},
    {"system:bootstrappers*", "bootstrap identities can request node credentials"},
    {"system:kube-proxy", "it is kube-proxy's identity (bootstrap role system:node-proxier), "
                          "which reads every service and endpoint of the cluster"},
    {"system:volume-scheduler", "it is a control-plane identity that can modify persistent "
                                "volumes"},
    {"system:serviceaccounts", "it is the group of every service account of the cluster: the "
                               "job gets whatever is bound to all of them"},
    {"eks:*", "EKS reserves this prefix for its own control-plane identities"},
    /* Kubernetes' own names that carry nothing beyond their bindings. */
    {"system:authenticated", NULL},
    {"system:unauthenticated", NULL},
    {"system:anonymous", NULL},
    {"system:serviceaccount:*", NULL},
    {"system:serviceaccounts:*", NULL},
    /* Every other system: name is reserved for Kubernetes' components and
     * built-in groups (bootstrap policy): nobody's CI job should be one. */
    {"system:*", "the system: prefix is reserved for Kubernetes' own components and built-in "
                 "groups, which the bootstrap policy binds to control-plane roles"},
};

static const struct privileged *find(const char *name)
{
    for (size_t i = 0; i < sizeof PRIVILEGED / sizeof PRIVILEGED[0]; i++) {
        const char *p = PRIVILEGED[i].name;
        size_t n = strlen(p);
        bool match = p[n - 1] == '*' ? strncmp(name, p, n - 1) == 0 : strcmp(name, p) == 0;
        if (match)
            return PRIVILEGED[i].why ? &PRIVILEGED[i] : NULL;
    }
    return NULL;
}

static void check_name(const struct al_agent *a, const struct al_entry *e, const struct al_ynode *v,
                       const char *role, const char *suffix, struct al_findings *out)
{
    if (!v || v->kind != AL_YSTR)
        return;
    const struct privileged *p = find(v->str);
    if (!p)
        return;
    struct al_finding *f = al_rule_report_entry(
        out, a, "privileged-identity", e, v->pos, suffix,
        "every CI job this entry authorizes reaches the cluster as the %s \"%s\", and %s: a "
        "pipeline of %s would then control the cluster. Impersonate a dedicated, unprivileged "
        "identity and bind it to the smallest role it needs",
        role, v->str, p->why,
        e->scope == AL_SCOPE_INSTANCE ? "any project of the instance"
        : e->id                       ? e->id
                                      : "it");
    al_finding_set_value(f, v->str);
}

static void check_entry(const struct al_agent *a, const struct al_entry *e, struct al_findings *out)
{
    const struct al_ynode *imp = al_ymap_get(e->access_as_node, "impersonate");
    if (!imp || imp->kind != AL_YMAP)
        return;
    check_name(a, e, al_ymap_get(imp, "username"), "user", ".access_as.impersonate.username", out);
    const struct al_ynode *groups = al_ymap_get(imp, "groups");
    if (!groups || groups->kind != AL_YSEQ)
        return;
    struct al_buf suffix = AL_BUF_INIT;
    for (size_t i = 0; i < groups->n; i++) {
        al_buf_clear(&suffix);
        al_buf_printf(&suffix, ".access_as.impersonate.groups[%zu]", i);
        check_name(a, e, groups->items[i], "group", al_buf_cstr(&suffix), out);
    }
    al_buf_free(&suffix);
}

void al_rule_privileged_identity(const struct al_check_ctx *ctx, const struct al_agent *a,
                                 struct al_findings *out)
{
    (void)ctx;
    for (size_t i = 0; i < a->config.n_entries; i++) {
        const struct al_entry *e = &a->config.entries[i];
        if (e->section == AL_CI_ACCESS && e->access_as == AL_AS_IMPERSONATE)
            check_entry(a, e, out);
    }
}
