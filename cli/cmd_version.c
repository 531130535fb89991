/* agentlint --version: what a bug report needs to name the build exactly. */
#include "cli/commands.h"
#include "common/error.h"
#include "common/version.h"
#include "model/schema.h"

#include <stdio.h>

int al_cmd_version(const char *commit)
{
    struct al_schema *s = NULL;
    if (al_schema_load_builtin(&s) < 0)
        return al_cmd_fail(al_error_last());
    char oldest[16], latest[16];
    int from = s->oldest; /* the oldest version the version rule tells apart */
    printf("agentlint %s\n", AL_VERSION);
    printf("commit: %s\n", commit && *commit ? commit : "unknown");
    printf("GitLab: %s to %s (agent config schema; --gitlab-version defaults to %s)\n",
           from ? al_version_str(from, oldest) : "any", al_version_str(s->latest, latest), latest);
    al_schema_free(s);
    return 0;
}
