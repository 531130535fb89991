/* al_id_problem: every ci_access / user_access id, as written in a config. */
#include "fuzz/fuzz.h"
#include "model/paths.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *id = fuzz_cstr(data, size);
    for (int scope = AL_SCOPE_PROJECT; scope <= AL_SCOPE_GROUP; scope++) {
        char *fix = NULL;
        const char *why = al_id_problem(id, (enum al_scope)scope, &fix);
        if (fix && !why)
            abort(); /* a fix only comes with a problem */
        free(fix);
    }
    char *lower = al_path_lower(id);
    free(lower);
    free(id);
    return 0;
}
