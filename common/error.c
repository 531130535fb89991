#include "common/error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_error[1024];

int al_error_set(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return AL_ERR;
}

const char *al_error_last(void)
{
    return last_error[0] ? last_error : "unknown error";
}

void al_error_clear(void)
{
    last_error[0] = '\0';
}
