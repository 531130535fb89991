#include "cli/diag.h"
#include "common/buf.h"
#include "common/safe.h"

#include <stdio.h>

void al_diag_v(const char *fmt, va_list ap)
{
    struct al_buf raw = AL_BUF_INIT, safe = AL_BUF_INIT;
    al_buf_vprintf(&raw, fmt, ap);
    al_safe_put(&safe, raw.ptr ? raw.ptr : "", raw.len);
    al_buf_putc(&safe, '\n');
    fwrite(safe.ptr, 1, safe.len, stderr);
    al_buf_free(&raw);
    al_buf_free(&safe);
}

void al_diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    al_diag_v(fmt, ap);
    va_end(ap);
}
