#include "common/buf.h"
#include "common/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DRAIN_AT = 64 * 1024 };

void al_buf_drain_into(struct al_buf *b, void (*drain)(struct al_buf *b), void *data)
{
    b->drain = drain;
    b->drain_data = data;
    b->ptr = al_grow(b->ptr, &b->cap, DRAIN_AT, 1);
    b->ptr[b->len] = '\0';
}

void al_buf_reserve(struct al_buf *b, size_t extra)
{
    /* Most appends fit: skip the call into al_grow for them. */
    if (b->len + extra < b->cap)
        return;
    if (b->drain && b->len) {
        b->drain(b);
        b->ptr[b->len] = '\0';
        if (b->len + extra < b->cap)
            return;
    }
    b->ptr = al_grow(b->ptr, &b->cap, b->len + extra + 1, 1);
}

void al_buf_put(struct al_buf *b, const char *s, size_t n)
{
    al_buf_reserve(b, n);
    if (n)
        memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

void al_buf_puts(struct al_buf *b, const char *s)
{
    al_buf_put(b, s, strlen(s));
}

void al_buf_fill(struct al_buf *b, char c, size_t n)
{
    al_buf_reserve(b, n);
    memset(b->ptr + b->len, c, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

void al_buf_vprintf(struct al_buf *b, const char *fmt, va_list ap)
{
    /* Format straight into the spare room; only when the text does not fit
     * grow and format again. 320 bytes hold nearly every finding message
     * (about 250 bytes), so most calls cost one vsnprintf, not two. */
    al_buf_reserve(b, 320);
    va_list ap2;
    va_copy(ap2, ap);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->ptr + b->len, room, fmt, ap2);
    va_end(ap2);
    if (n <= 0) {
        b->ptr[b->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        al_buf_reserve(b, (size_t)n);
        vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
}

void al_buf_printf(struct al_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    al_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void al_buf_clear(struct al_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

char *al_buf_detach(struct al_buf *b)
{
    char *p = b->ptr ? b->ptr : al_strdup("");
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void al_buf_free(struct al_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

const char *al_buf_cstr(const struct al_buf *b)
{
    return b->ptr ? b->ptr : "";
}
