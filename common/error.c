#include "common/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[1024];

int al_error_set(const char *fmt, ...)
{
    /* Format into a copy first: callers wrap the previous error, as in
     * al_error_set("%s; fix it", al_error_last()). */
    char msg[sizeof last_error];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    memcpy(last_error, msg, sizeof msg);
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
