#include "model/agent.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

static const char AGENTS[] = ".gitlab/agents/";

bool al_agent_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 63)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && !(c == '-' && i > 0 && i < n - 1))
            return false;
    }
    return true;
}

char *al_agent_from_path(const char *path)
{
    /* ^\.gitlab/agents/([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)/config\.yaml$ (no length cap) */
    if (strncmp(path, AGENTS, sizeof AGENTS - 1) != 0)
        return NULL;
    const char *name = path + sizeof AGENTS - 1;
    const char *slash = strchr(name, '/');
    if (!slash || strcmp(slash, "/config.yaml") != 0)
        return NULL;
    char *n = al_strndup(name, (size_t)(slash - name));
    size_t len = strlen(n);
    bool ok = len > 0;
    for (size_t i = 0; i < len && ok; i++) {
        char c = n[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        ok = alnum || (c == '-' && i > 0 && i < len - 1);
    }
    if (!ok) {
        free(n);
        return NULL;
    }
    return n;
}
