#include "common/version.h"

#include <stdio.h>

static int number(const char **p)
{
    int v = 0, digits = 0;
    while (**p >= '0' && **p <= '9') {
        v = v * 10 + (**p - '0');
        (*p)++;
        if (++digits > 3)
            return -1;
    }
    return digits ? v : -1;
}

int al_version_parse(const char *s)
{
    if (!s)
        return -1;
    if (*s == 'v')
        s++;
    int major = number(&s);
    if (major < 0 || *s != '.')
        return -1;
    s++;
    int minor = number(&s);
    if (minor < 0 || minor > 99)
        return -1;
    if (*s == '.') {
        s++;
        if (number(&s) < 0)
            return -1;
    }
    return *s ? -1 : major * 100 + minor;
}

const char *al_version_str(int v, char *buf)
{
    snprintf(buf, 16, "%d.%d", v / 100, v % 100);
    return buf;
}
