/* A growable byte buffer, always NUL-terminated. Renderers write into one and
 * the caller decides where it goes (stdout, or a file written whole). */
#ifndef AL_BUF_H
#define AL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct al_buf {
    char *ptr;
    size_t len, cap;
    /* When set, called with the buffer full instead of growing it: it takes
     * ptr[0..len) away (writes it out) and sets len to 0. See al_buf_drain_into. */
    void (*drain)(struct al_buf *b);
    void *drain_data;
};

#define AL_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0, NULL, NULL                                                                     \
    }

/* Stream: from now on, whenever 64 KiB have gathered, hand them to
 * `drain` instead of keeping them (a large report on standard output need
 * not sit in memory). The caller writes what is left at the end. */
void al_buf_drain_into(struct al_buf *b, void (*drain)(struct al_buf *b), void *data);

void al_buf_put(struct al_buf *b, const char *s, size_t n);
void al_buf_puts(struct al_buf *b, const char *s);
/* Make room for `extra` more bytes and the terminating NUL. */
void al_buf_reserve(struct al_buf *b, size_t extra);
/* Inline: escapers call it once per character of their output. */
static inline void al_buf_putc(struct al_buf *b, char c)
{
    if (b->len + 1 >= b->cap)
        al_buf_reserve(b, 1);
    b->ptr[b->len++] = c;
    b->ptr[b->len] = '\0';
}
void al_buf_printf(struct al_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void al_buf_vprintf(struct al_buf *b, const char *fmt, va_list ap);
/* Append n copies of c. */
void al_buf_fill(struct al_buf *b, char c, size_t n);
void al_buf_clear(struct al_buf *b);
/* Hand the string to the caller (never NULL) and reset the buffer. */
char *al_buf_detach(struct al_buf *b);
void al_buf_free(struct al_buf *b);
/* The contents as a C string ("" when empty). */
const char *al_buf_cstr(const struct al_buf *b);

#endif
