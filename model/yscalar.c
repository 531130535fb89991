/* Scalar resolution exactly as go-yaml v2 (the agent server's YAML layer,
 * under sigs.k8s.io/yaml) does it for untyped values:
 *
 *   null:  "", ~, null, Null, NULL
 *   bool:  y Y yes Yes YES on On ON true True TRUE, and their negations
 *   float: .inf/.nan spellings, and decimal floats within float64's range
 *          (1e400 overflows Go's ParseFloat and stays a string)
 *   int:   Go's ParseInt with base 0 after removing '_' (0x.., 0o.., 0b..,
 *          leading 0 = octal), then ParseUint, then the float regexp
 *   everything else, timestamps included, is a string.
 */
#include "model/yaml.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const nulls[] = {"~", "null", "Null", "NULL", NULL};
static const char *const trues[] = {"y",  "Y",  "yes",  "Yes",  "YES",  "on",
                                    "On", "ON", "true", "True", "TRUE", NULL};
static const char *const falses[] = {"n",   "N",   "no",    "No",    "NO",    "off",
                                     "Off", "OFF", "false", "False", "FALSE", NULL};
static const char *const pinf[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL};
static const char *const ninf[] = {"-.inf", "-.Inf", "-.INF", NULL};
static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};

static bool in(const char *s, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == len && memcmp(*list, s, len) == 0)
            return true;
    return false;
}

/* The null, boolean, infinity and NaN words above: false when `s` is none of
 * them. Most scalars of a config (ids, paths, namespaces) are longer than
 * any of the words, or start with a character none of them starts with, and
 * are answered without walking the lists. */
static bool resolve_word(const char *s, size_t len, enum al_ykind *kind, double *fval, bool *bval)
{
    static const char firsts[] = "~nNyYoOtTfF.+-";
    enum { LONGEST_WORD = 5 }; /* "false", "+.inf", "-.Inf" */
    if (len > LONGEST_WORD || !memchr(firsts, s[0], sizeof firsts - 1))
        return false;
    if (in(s, len, nulls)) {
        *kind = AL_YNULL;
    } else if (in(s, len, trues) || in(s, len, falses)) {
        *kind = AL_YBOOL;
        *bval = in(s, len, trues);
    } else if (in(s, len, pinf) || in(s, len, ninf)) {
        *kind = AL_YFLOAT;
        *fval = in(s, len, pinf) ? INFINITY : -INFINITY;
    } else if (in(s, len, nans)) {
        *kind = AL_YFLOAT;
        *fval = NAN;
    } else {
        return false;
    }
    return true;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* Go's strconv.ParseUint(s, base, 64) on an unsigned digit string. */
static bool parse_digits(const char *s, int base, unsigned long long *out)
{
    unsigned long long v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        int d = digit_value(*s);
        if (d >= base)
            return false;
        if (v > (~0ULL - (unsigned)d) / (unsigned)base)
            return false; /* overflow */
        v = v * (unsigned)base + (unsigned)d;
    }
    *out = v;
    return true;
}

/* Go's ParseInt/ParseUint with base 0 (prefix decides), on a string whose
 * underscores are already removed. */
static bool parse_go_int(const char *s, long long *out)
{
    bool neg = false;
    if (*s == '+' || *s == '-') {
        neg = *s == '-';
        s++;
    }
    int base = 10;
    if (s[0] == '0' && s[1]) {
        if (s[1] == 'x' || s[1] == 'X')
            base = 16, s += 2;
        else if (s[1] == 'o' || s[1] == 'O')
            base = 8, s += 2;
        else if (s[1] == 'b' || s[1] == 'B')
            base = 2, s += 2;
        else
            base = 8, s += 1;
    }
    unsigned long long u;
    if (!parse_digits(s, base, &u))
        return false;
    if (neg) {
        if (u > (unsigned long long)LLONG_MAX + 1ULL)
            return false;
        *out = (long long)(0 - u);
    } else {
        /* ParseUint accepts up to 2^64-1; keep the bits, the value is only
         * used for comparisons and messages. */
        *out = (long long)u;
    }
    return true;
}

/* yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool yaml_style_float(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    } else {
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
        if (*s == '.') {
            s++;
            while (*s >= '0' && *s <= '9')
                s++;
        }
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

/* Go's ParseFloat fails on a value beyond float64 (1e400): go-yaml then
 * keeps the text as a string. An underflow (1e-400) is 0, not an error. */
static enum al_ykind float_or_string(const char *plain, double *fval)
{
    if (!yaml_style_float(plain))
        return AL_YSTR;
    double f = strtod(plain, NULL);
    if (isinf(f))
        return AL_YSTR;
    *fval = f;
    return AL_YFLOAT;
}

bool al_yscalar_is_merge(const char *s, size_t len)
{
    return len == 2 && s[0] == '<' && s[1] == '<';
}

enum al_ykind al_yscalar_resolve(const char *s, size_t len, long long *ival, double *fval,
                                 bool *bval)
{
    enum al_ykind word;
    if (len == 0)
        return AL_YNULL;
    if (resolve_word(s, len, &word, fval, bval))
        return word;
    char c = s[0];
    if (!(c == '.' || c == '+' || c == '-' || (c >= '0' && c <= '9')))
        return AL_YSTR;
    if (len > 128 || memchr(s, '\0', len))
        return AL_YSTR;

    char plain[130];
    size_t n = 0;
    if (c == '.') {
        /* Only ParseFloat is tried (no underscore removal). */
        memcpy(plain, s, len);
        plain[len] = '\0';
        return float_or_string(plain, fval);
    }
    for (size_t i = 0; i < len; i++)
        if (s[i] != '_')
            plain[n++] = s[i];
    plain[n] = '\0';
    if (parse_go_int(plain, ival))
        return AL_YINT;
    return float_or_string(plain, fval);
}
