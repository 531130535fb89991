/* --ids FILE: what the GitLab API returned, or a hand-written map. It may
 * come from anywhere (a CI artifact, a copy-paste): al_ids_load and the
 * lookups on what it loaded. */
#include "fuzz/fuzz.h"
#include "model/ids.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct al_ids *ids = al_ids_new();
    if (al_ids_load(ids, (const char *)data, size, "fuzz") == 0) {
        static const char *const paths[] = {"acme", "acme/platform", "ACME/Platform/Web", ""};
        for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
            (void)al_ids_get(ids, AL_IDS_PROJECT, paths[i]);
            (void)al_ids_get(ids, AL_IDS_GROUP, paths[i]);
            (void)al_ids_personal(ids, paths[i]);
        }
        const char **list;
        size_t n = al_ids_paths(ids, AL_IDS_PROJECT, &list);
        for (size_t i = 0; i < n; i++)
            (void)al_ids_known(ids, AL_IDS_PROJECT, list[i]);
        free(list);
    }
    al_ids_free(ids);
    return 0;
}
