/* protobuf-go encoding/protojson, read in well_known_types.go (parseDuration)
 * and internal/encoding/json (number grammar, Token.Int). */
#include "model/pbjson.h"

#include <math.h>
#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool al_pbjson_duration(const char *s, long long *secs, int *nanos)
{
    size_t len = strlen(s);
    if (len < 2 || s[len - 1] != 's')
        return false;
    const char *p = s, *end = s + len - 1;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (p == end)
        return false;
    long long sec = 0;
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        for (; p < end && is_digit(*p); p++) {
            if (sec > (AL_PBJSON_MAX_DURATION_SECONDS * 10))
                return false; /* far beyond the range; avoids overflow */
            sec = sec * 10 + (*p - '0');
        }
    } else if (*p != '.') {
        return false;
    }
    long long ns = 0;
    if (p < end) {
        if (*p++ != '.')
            return false;
        int k = 0;
        for (; p < end && k < 9 && is_digit(*p); p++, k++)
            ns = ns * 10 + (*p - '0');
        if (p != end)
            return false; /* more than 9 digits, or not a digit */
        for (; k < 9; k++)
            ns *= 10;
    }
    if (sec > AL_PBJSON_MAX_DURATION_SECONDS)
        return false;
    *secs = neg ? -sec : sec;
    *nanos = (int)(neg ? -ns : ns);
    return true;
}

/* A JSON number (-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?) with an
 * integral value within int32, as protobuf-go's Token.Int(32) reads it. */
static bool json_number_int32(const char *s, long long *out)
{
    bool neg = *s == '-';
    if (neg)
        s++;
    char digits[64];
    size_t nd = 0;
    long long point; /* digits before the decimal point */
    if (*s == '0') {
        s++;
    } else if (*s >= '1' && *s <= '9') {
        while (is_digit(*s)) {
            if (nd < sizeof digits)
                digits[nd] = *s;
            nd++, s++;
        }
    } else {
        return false;
    }
    point = (long long)nd;
    if (*s == '.') {
        s++;
        if (!is_digit(*s))
            return false;
        while (is_digit(*s)) {
            if (nd < sizeof digits)
                digits[nd] = *s;
            nd++, s++;
        }
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        bool eneg = *s == '-';
        if (*s == '-' || *s == '+')
            s++;
        if (!is_digit(*s))
            return false;
        long long e = 0;
        for (; is_digit(*s); s++)
            if (e < 100000)
                e = e * 10 + (*s - '0');
        point += eneg ? -e : e;
    }
    if (*s || nd > sizeof digits)
        return false;
    /* Integral: no nonzero digit at or after the point. */
    for (size_t i = 0; i < nd; i++)
        if ((long long)i >= point && digits[i] != '0')
            return false;
    long long v = 0;
    for (long long i = 0; i < point; i++) {
        v = v * 10 + ((size_t)i < nd ? digits[i] - '0' : 0);
        if (v > 2147483648LL)
            return false;
    }
    v = neg ? -v : v;
    if (v < -2147483648LL || v > 2147483647LL)
        return false;
    *out = v;
    return true;
}

bool al_pbjson_int32(const struct al_ynode *v, bool strings_too, long long *out)
{
    switch (v->kind) {
    case AL_YINT:
        /* go-yaml keeps integers above int64 as uint64; the loader keeps
         * their bits, so a negative value from unsigned text is huge. */
        if (v->v.i < 0 && !memchr(v->str, '-', v->len))
            return false;
        if (v->v.i < -2147483648LL || v->v.i > 2147483647LL)
            return false;
        *out = v->v.i;
        return true;
    case AL_YFLOAT:
        if (!isfinite(v->v.f) || v->v.f != floor(v->v.f) || v->v.f < -2147483648.0 ||
            v->v.f > 2147483647.0)
            return false;
        *out = (long long)v->v.f;
        return true;
    case AL_YSTR:
        return strings_too && v->len == strlen(v->str) && json_number_int32(v->str, out);
    default:
        return false;
    }
}
