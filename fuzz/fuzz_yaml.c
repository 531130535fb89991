/* al_yaml_load: any bytes become a tree or issues, never a crash, a leak or
 * an unbounded expansion. */
#include "fuzz/fuzz.h"
#include "model/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct al_ydoc *doc = al_yaml_load((const char *)data, size);
    /* Touch what the checker reads: every issue and the root's pairs. */
    for (size_t i = 0; i < doc->n_issues; i++)
        if (!doc->issues[i].message)
            abort();
    if (doc->root && doc->root->kind == AL_YMAP)
        for (size_t i = 0; i < doc->root->n; i++)
            (void)al_ymap_get(doc->root, doc->root->pairs[i].name);
    al_ydoc_free(doc);
    return 0;
}
