/* --rbac FILE: Kubernetes RBAC objects (YAML or JSON, many documents, Lists),
 * al_kube_add_text; then everything a query does with them: aggregation,
 * roleRefs, the subject index, a decision and the grants of a user. */
#include "fuzz/fuzz.h"
#include "kube/kube.h"

static int count(void *data, const struct al_kube_grant *g)
{
    (void)g;
    ++*(size_t *)data;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct al_kube *k = al_kube_new();
    if (al_kube_add_text(k, "fuzz", (const char *)data, size) == 0 && al_kube_finish(k) == 0) {
        const char *groups[] = {"system:authenticated", "gitlab:ci_job", "g"};
        struct al_kube_user u = {"u", groups, 3};
        struct al_kube_request r = {
            .verb = "get", .api_group = "", .resource = "pods", .namespace = "ns"};
        struct al_kube_answer a;
        al_kube_authorize(k, &u, &r, &a);
        size_t n = 0;
        al_kube_grants(k, &u, NULL, count, &n);
        size_t n_ns;
        al_kube_namespaces(k, &n_ns);
    }
    al_kube_free(k);
    return 0;
}
