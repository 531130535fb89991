/* rbac --policy FILE: a YAML policy file, al_rbac_policy_load. */
#include "fuzz/fuzz.h"
#include "views/rbac/rbac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct al_rbac_policy *p = NULL;
    if (al_rbac_policy_load((const char *)data, size, "fuzz", &p) == 0)
        al_rbac_policy_free(p);
    return 0;
}
