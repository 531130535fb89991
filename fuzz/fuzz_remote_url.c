/* al_project_path_from_url: remote.origin.url of the repository (ssh, https,
 * scp-like), the last fallback for the configuration project's path. */
#include "fuzz/fuzz.h"
#include "cli/context.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *url = fuzz_cstr(data, size);
    char *path = al_project_path_from_url(url);
    if (path && (!*path || !strchr(path, '/')))
        abort(); /* a project path has a namespace */
    free(path);
    free(url);
    return 0;
}
