/* The sanitizer for terminals and logs, and the one list of characters no
 * output shows raw (see safe.h). */
#include "common/safe.h"

#include <string.h>

struct range {
    uint32_t lo, hi;
    enum al_safe_class cls;
};

/* Sorted. Besides the controls, Unicode's default-ignorable format
 * characters: they render as nothing, so "acme/web" and "acme/w\u200beb"
 * look alike. Variation selectors U+FE00..U+FE0F stay: emoji need them. */
static const struct range ranges[] = {
    {0x0000, 0x001f, AL_SAFE_CONTROL},     {0x007f, 0x009f, AL_SAFE_CONTROL},
    {0x00ad, 0x00ad, AL_SAFE_INVISIBLE},   {0x034f, 0x034f, AL_SAFE_INVISIBLE},
    {0x061c, 0x061c, AL_SAFE_BIDI},        {0x115f, 0x1160, AL_SAFE_INVISIBLE},
    {0x17b4, 0x17b5, AL_SAFE_INVISIBLE},   {0x180b, 0x180f, AL_SAFE_INVISIBLE},
    {0x200b, 0x200d, AL_SAFE_INVISIBLE},   {0x200e, 0x200f, AL_SAFE_BIDI},
    {0x2028, 0x2029, AL_SAFE_SEPARATOR},   {0x202a, 0x202e, AL_SAFE_BIDI},
    {0x2060, 0x2065, AL_SAFE_INVISIBLE},   {0x2066, 0x2069, AL_SAFE_BIDI},
    {0x206a, 0x206f, AL_SAFE_INVISIBLE},   {0x3164, 0x3164, AL_SAFE_INVISIBLE},
    {0xfeff, 0xfeff, AL_SAFE_INVISIBLE},   {0xffa0, 0xffa0, AL_SAFE_INVISIBLE},
    {0xfff9, 0xfffb, AL_SAFE_INVISIBLE},   {0xfffe, 0xffff, AL_SAFE_NONCHAR},
    {0x1d173, 0x1d17a, AL_SAFE_INVISIBLE}, {0xe0000, 0xe0fff, AL_SAFE_INVISIBLE},
};

enum al_safe_class al_safe_class(uint32_t cp)
{
    if (cp >= 0x20 && cp < 0x7f)
        return AL_SAFE_OK;
    size_t lo = 0, hi = sizeof ranges / sizeof *ranges;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < ranges[mid].lo)
            hi = mid;
        else if (cp > ranges[mid].hi)
            lo = mid + 1;
        else
            return ranges[mid].cls;
    }
    return AL_SAFE_OK;
}

const char *al_safe_class_name(enum al_safe_class c)
{
    switch (c) {
    case AL_SAFE_CONTROL:
        return "control character";
    case AL_SAFE_BIDI:
        return "bidirectional control";
    case AL_SAFE_INVISIBLE:
        return "invisible character";
    case AL_SAFE_SEPARATOR:
        return "line or paragraph separator";
    case AL_SAFE_NONCHAR:
        return "noncharacter";
    default:
        return "character";
    }
}

size_t al_safe_decode(const char *str, size_t n, int32_t *out)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char c = s[0];
    size_t len;
    uint32_t cp, min;
    *out = c < 0x80 ? (int32_t)c : -1;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        len = 2, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        len = 3, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
        len = 4, cp = c & 0x07, min = 0x10000;
    else
        return 1;
    if (len > n)
        return 1;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 1;
    *out = (int32_t)cp;
    return len;
}

static const char hex[] = "0123456789abcdef";

size_t al_safe_spell(char buf[AL_SAFE_SPELL_MAX], int32_t cp, unsigned char byte)
{
    uint32_t v = cp < 0 ? byte : (uint32_t)cp;
    int digits = v < 0x80 || cp < 0 ? 2 : v > 0xffff ? 8 : 4;
    buf[0] = '\\';
    buf[1] = digits == 2 ? 'x' : digits == 4 ? 'u' : 'U';
    for (int i = 0; i < digits; i++)
        buf[2 + i] = hex[(v >> (4 * (digits - 1 - i))) & 15];
    return 2 + (size_t)digits;
}

void al_safe_show_byte(struct al_buf *out, unsigned char byte)
{
    char buf[AL_SAFE_SPELL_MAX];
    al_buf_put(out, buf, al_safe_spell(buf, -1, byte));
}

void al_safe_show(struct al_buf *out, uint32_t cp)
{
    char buf[AL_SAFE_SPELL_MAX];
    al_buf_put(out, buf, al_safe_spell(buf, (int32_t)cp, 0));
}

/* Whether any of the 8 bytes of `w` is not printable ASCII: below 0x20,
 * 0x7f, or 0x80 and above (the "has a byte less than n" and "has a zero
 * byte" tricks). Most text is printable ASCII and skips 8 bytes a step. */
static bool word_needs_look(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t below_space = (w - ones * 0x20) & ~w & highs;
    uint64_t del = w ^ (ones * 0x7f);
    return below_space | ((del - ones) & ~del & highs) | (w & highs);
}

void al_safe_put(struct al_buf *out, const char *s, size_t n)
{
    size_t run = 0, i = 0; /* run: start of the pending run of safe bytes */
    while (i < n) {
        uint64_t w;
        if (n - i >= 8 && (memcpy(&w, s + i, 8), !word_needs_look(w))) {
            i += 8;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f) {
            i++;
            continue;
        }
        int32_t cp;
        size_t len = al_safe_decode(s + i, n - i, &cp);
        if (cp >= 0 && al_safe_class((uint32_t)cp) == AL_SAFE_OK) {
            i += len;
            continue;
        }
        al_buf_put(out, s + run, i - run);
        if (cp == '\t')
            al_buf_putc(out, ' ');
        else if (cp < 0)
            al_safe_show_byte(out, c);
        else
            al_safe_show(out, (uint32_t)cp);
        i += len;
        run = i;
    }
    al_buf_put(out, s + run, n - run);
}

void al_safe_puts(struct al_buf *out, const char *s)
{
    if (s)
        al_safe_put(out, s, strlen(s));
}

size_t al_safe_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        i += al_safe_decode(s + i, n - i, &cp);
        if (cp < 0 || (cp != '\t' && al_safe_class((uint32_t)cp) != AL_SAFE_OK))
            w += cp < 0x80 ? 4 : cp > 0xffff ? 10 : 6;
        else
            w++;
    }
    return w;
}
