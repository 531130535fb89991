#include "common/utf8.h"
#include "common/buf.h"
#include "common/safe.h"

/* Length of the valid sequence at s, or 0 for an invalid byte. */
static size_t seqlen(const unsigned char *s, size_t n)
{
    int32_t cp;
    size_t len = al_safe_decode((const char *)s, n, &cp);
    return cp < 0 ? 0 : len;
}

size_t al_utf8_seqlen(const char *s, size_t n)
{
    size_t l = n ? seqlen((const unsigned char *)s, n) : 0;
    return l ? l : 1;
}

bool al_utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t l = seqlen((const unsigned char *)s + i, n - i);
        if (!l)
            return false;
        i += l;
    }
    return true;
}

char *al_utf8_sanitize(const char *s, size_t n)
{
    struct al_buf b = AL_BUF_INIT;
    for (size_t i = 0; i < n;) {
        size_t l = seqlen((const unsigned char *)s + i, n - i);
        if (!l) {
            al_buf_puts(&b, "\xEF\xBF\xBD");
            i++;
        } else {
            al_buf_put(&b, s + i, l);
            i += l;
        }
    }
    return al_buf_detach(&b);
}

size_t al_utf8_count(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; count++)
        i += al_utf8_seqlen(s + i, n - i);
    return count;
}

size_t al_utf8_offset(const char *s, size_t n, size_t col)
{
    size_t i = 0;
    while (col-- > 0 && i < n)
        i += al_utf8_seqlen(s + i, n - i);
    return i < n ? i : n;
}
