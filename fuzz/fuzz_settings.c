/* .agentlint.yaml comes from the repository under review, so from any
 * merge request: al_settings_parse and the ignore globs it carries. */
#include "fuzz/fuzz.h"
#include "checks/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {
        ".gitlab/agents/prod/config.yaml",
        ".gitlab/agents/a-very-long-agent-name-with-many-dashes/config.yaml",
        "sub/dir/.gitlab/agents/x/y/z/config.yml",
        /* a long run of one letter: where a backtracking glob blows up */
        ".gitlab/agents/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"
        "config.yaml",
    };
    struct al_settings s;
    if (al_settings_parse((const char *)data, size, "fuzz", &s) == 0)
        for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
            (void)al_settings_ignores(&s, paths[i]);
    al_settings_free(&s);
    return 0;
}
