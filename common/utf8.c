#include "common/utf8.h"
#include "common/buf.h"

static size_t seqlen(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned min;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) {
        len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
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
