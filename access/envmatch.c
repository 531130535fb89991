/* Gitlab::Ci::EnvironmentMatcher#match?, in the two readings GitLab has had.
 * The anchored one is a small glob matcher; the legacy one hands the
 * rewritten pattern to Oniguruma in Ruby's syntax, as Ruby's Regexp does. */
#include "access/env.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/utf8.h"

#include <ctype.h>
#include <oniguruma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rails' String#blank?: empty or whitespace only. */
static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

/* Whole-string match, '*' = any run of non-newline bytes, the rest literal.
 * A row of the classic dynamic programme per pattern byte keeps it linear in
 * memory and free of the backtracking blow-up that many '*' could cause. */
static bool glob_anchored(const char *pat, const char *name)
{
    size_t n = strlen(name);
    bool *row = al_calloc(n + 1, sizeof(bool)); /* row[j]: pattern so far matches name[0..j) */
    row[0] = true;
    for (const char *p = pat; *p; p++) {
        if (*p == '*') {
            /* extend every match by any run that holds no newline */
            for (size_t j = 1; j <= n; j++)
                row[j] = row[j] || (row[j - 1] && name[j - 1] != '\n');
        } else {
            for (size_t j = n; j > 0; j--)
                row[j] = row[j - 1] && name[j - 1] == *p;
            row[0] = false;
        }
    }
    bool ok = row[n];
    free(row);
    return ok;
}

/* pattern.gsub('*', '.*'), nothing escaped. */
static char *legacy_regex(const char *pattern)
{
    struct al_buf b = AL_BUF_INIT;
    for (const char *p = pattern; *p; p++) {
        if (*p == '*')
            al_buf_puts(&b, ".*");
        else
            al_buf_putc(&b, *p);
    }
    return al_buf_detach(&b);
}

/* Ruby's Regexp.new, in Oniguruma's Ruby syntax. Oniguruma is not Ruby's
 * Onigmo: where they differ, the syntax is narrowed to Onigmo's, so that a
 * pattern Ruby refuses raises here too (\x{41}: "invalid hex escape"). The
 * default options are Ruby's: '^' and '$' are line anchors, '.' stops at a
 * newline. The differential test tests/unit/test_envmatch_ruby.c compares
 * this with Debian's ruby on generated patterns. */
static OnigSyntaxType *ruby_syntax(OnigSyntaxType *syn)
{
    onig_copy_syntax(syn, ONIG_SYNTAX_RUBY);
    onig_set_syntax_op(syn, onig_get_syntax_op(syn) & ~ONIG_SYN_OP_ESC_X_BRACE_HEX8);
    return syn;
}

/* ---- Onigmo's dialect on top of Oniguruma's Ruby syntax ----
 * Measured against Ruby 3.1 (tests/unit/test_envmatch_ruby.c): Oniguruma
 * accepts \x{41}, \M-a and variable-length look-behind, which Ruby refuses;
 * reads \y, \Y and \o{101} as escapes, where Ruby has the letters; refuses a
 * quantified anchor (^?, \A+, (?=a)?) that Ruby takes; has no ASCII-only \w
 * beside a Unicode \b; and lacks Ruby's \u{41} (several: \u{41 42}). The rewrite below
 * turns a Ruby regexp into the Oniguruma regexp that means the same, or
 * fails with Ruby's message. */

static bool hex_digit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* \u{H H ...} -> \uHHHH (BMP) or the character itself; *p after the '}'. */
static bool unicode_braces(const char **p, struct al_buf *out)
{
    const char *s = *p;
    int n = 0;
    while (*s && *s != '}') {
        if (*s == ' ') {
            s++;
            continue;
        }
        unsigned long cp = 0;
        int digits = 0;
        for (; hex_digit(*s); s++, digits++)
            cp = cp * 16 + (unsigned long)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
        if (!digits || digits > 6 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        if (cp < 0x10000) {
            al_buf_printf(out, "\\u%04lX", cp);
        } else {
            char u[4] = {(char)(0xF0 | (cp >> 18)), (char)(0x80 | ((cp >> 12) & 0x3F)),
                         (char)(0x80 | ((cp >> 6) & 0x3F)), (char)(0x80 | (cp & 0x3F))};
            al_buf_put(out, u, 4);
        }
        n++;
    }
    if (*s != '}' || !n)
        return false;
    *p = s + 1;
    return true;
}

/* Onigmo's look-behind takes fixed-length text only: no * + ? or {n,m}. */
static bool variable_lookbehind(const char *s)
{
    int depth = 1;
    for (; *s && depth; s++) {
        if (*s == '\\' && s[1]) {
            s++;
        } else if (*s == '(') {
            depth++;
            if (s[1] == '?')
                s++; /* group syntax, not a quantifier */
        } else if (*s == ')') {
            depth--;
        } else if (*s == '*' || *s == '+' || *s == '?') {
            return true;
        } else if (*s == '{') {
            char *end;
            long lo = strtol(s + 1, &end, 10);
            if (*end == ',' && end[1] != '}') {
                long hi = strtol(end + 1, &end, 10);
                if (*end == '}' && hi != lo)
                    return true;
            } else if (*end == ',' && (end[1] == '}' || end == s + 1)) {
                return true;
            }
        }
    }
    return false;
}

/* A quantifier at p (?, *, +, {n}, {n,}, {,m}, {n,m}, with a lazy or
 * possessive suffix): its length, 0 when there is none; *min its minimum. */
static size_t quantifier(const char *p, long *min)
{
    const char *q = p;
    if (*q == '?' || *q == '*') {
        *min = 0, q++;
    } else if (*q == '+') {
        *min = 1, q++;
    } else if (*q == '{') {
        char *end;
        bool lo = q[1] >= '0' && q[1] <= '9';
        *min = lo ? strtol(q + 1, &end, 10) : 0;
        if (!lo)
            end = (char *)q + 1;
        if (*end == ',') {
            end++;
            bool hi = *end >= '0' && *end <= '9';
            if (!lo && !hi)
                return 0;
            while (*end >= '0' && *end <= '9')
                end++;
        } else if (!lo) {
            return 0;
        }
        if (*end != '}')
            return 0;
        q = end + 1;
    } else {
        return 0;
    }
    if (*q == '?' || *q == '+')
        q++;
    return (size_t)(q - p);
}

/* The end of the group that starts at p ('('), or NULL. */
static const char *group_end(const char *p)
{
    int depth = 0, cls = 0;
    for (; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '[')
            cls++;
        else if (*p == ']' && cls)
            cls--;
        else if (!cls && *p == '(')
            depth++;
        else if (!cls && *p == ')' && --depth == 0)
            return p;
    }
    return NULL;
}

static bool is_lookaround(const char *p)
{
    return strncmp(p, "(?=", 3) == 0 || strncmp(p, "(?!", 3) == 0 || strncmp(p, "(?<=", 4) == 0 ||
           strncmp(p, "(?<!", 4) == 0;
}

static const char *onigmo_rewrite(const char *re, const char *stop, struct al_buf *out);

/* (?#...) comments out, so that "$(?#c){,3}" shows its quantified anchor.
 * An unclosed comment is kept for Oniguruma to refuse, as Ruby does. */
static char *strip_comments(const char *re)
{
    struct al_buf b = AL_BUF_INIT;
    int cls = 0;
    for (const char *p = re; *p; p++) {
        const char *close;
        if (*p == '\\' && p[1]) {
            al_buf_putc(&b, *p++);
        } else if (*p == '[') {
            cls++;
        } else if (*p == ']' && cls) {
            cls--;
        } else if (!cls && strncmp(p, "(?#", 3) == 0 && (close = strchr(p, ')'))) {
            p = close;
            continue;
        }
        al_buf_putc(&b, *p);
    }
    return al_buf_detach(&b);
}

/* Onigmo lets a quantifier follow an anchor or a look-around, Oniguruma
 * refuses it: a quantifier that allows zero drops the anchor, any other
 * keeps it once. Returns the text after what was handled, or NULL when p
 * holds no quantified anchor. */
static const char *quantified_anchor(const char *p, struct al_buf *out, const char **refused)
{
    size_t len = 0;
    if (*p == '^' || *p == '$')
        len = 1;
    else if (*p == '\\' && p[1] && strchr("AzZbBGK", p[1]))
        len = 2;
    else if (is_lookaround(p)) {
        const char *e = group_end(p);
        if (!e)
            return NULL;
        len = (size_t)(e + 1 - p);
    }
    long min;
    size_t q = len ? quantifier(p + len, &min) : 0;
    if (!q)
        return NULL;
    if (min > 0 && *p != '(') {
        al_buf_put(out, p, len);
    } else if (min > 0) {
        al_buf_putc(out, '(');
        *refused = onigmo_rewrite(p + 1, p + len - 1, out);
        al_buf_putc(out, ')');
    }
    return p + len + q;
}

static const char *onigmo_rewrite(const char *re, const char *stop, struct al_buf *out)
{
    int cls = 0;
    for (const char *p = re; p < stop && *p;) {
        if ((strncmp(p, "(?<=", 4) == 0 || strncmp(p, "(?<!", 4) == 0) &&
            variable_lookbehind(p + 4))
            return "invalid pattern in look-behind";
        if (!cls) {
            const char *refused = NULL, *next = quantified_anchor(p, out, &refused);
            if (refused)
                return refused;
            if (next) {
                p = next;
                continue;
            }
        }
        if (*p == '[') {
            cls++;
            al_buf_putc(out, *p++);
            if (*p == '^')
                al_buf_putc(out, *p++);
            if (*p == ']')
                al_buf_putc(out, *p++); /* a literal ']' first in a class */
            continue;
        }
        if (*p == ']' && cls) {
            cls--;
            al_buf_putc(out, *p++);
            continue;
        }
        if (*p != '\\' || !p[1]) {
            al_buf_putc(out, *p++);
            continue;
        }
        char c = p[1];
        if (c == 'x' && !hex_digit(p[2]))
            return "invalid hex escape"; /* \x{41}, or \x without digits */
        if (c == 'M' && p[2] == '-')
            return "too short escaped multibyte character";
        if (c == 'w' || c == 'W') {
            /* Ruby's \w is ASCII but its \b is not: no option says that */
            al_buf_puts(out, c == 'w' ? "[a-zA-Z0-9_]" : "[^a-zA-Z0-9_]");
            p += 2;
        } else if (c == 'y' || c == 'Y' || c == 'o') {
            al_buf_putc(out, c); /* not escapes in Ruby: the letter */
            p += 2;
        } else if (c == 'u' && p[2] == '{') {
            p += 3;
            if (!unicode_braces(&p, out))
                return "invalid Unicode list";
        } else {
            al_buf_putc(out, '\\');
            al_buf_putc(out, c);
            p += 2;
        }
    }
    return NULL;
}

/* ---- subexpression calls (\g<name>, \g<N>, \g<-N>, \g'...') ----
 * Measured against Ruby 3.1 (tests/unit/test_envmatch_ruby.c): Onigmo
 * allows \g<0> (the whole pattern) beside named groups, which Oniguruma
 * refuses as a numbered call; refuses a relative call before the first
 * group (a\g<-1>?: "invalid backref number/name"), which Oniguruma reads as
 * a call of the whole pattern; and checks a call quantified to nothing
 * (\g<0>{0}, {,0}) for never-ending recursion as if it were there, where
 * Oniguruma drops it first. */

/* The whole pattern as a named group, for \g<0> beside named groups; a
 * pattern with its own group of this name would be read differently, and
 * none is expected to have one. */
#define WHOLE "agentlintWholePattern0"

struct calls {
    bool named;     /* the pattern has a named group: numbered calls are refused */
    bool zero_call; /* a call quantified to nothing: probe it unquantified */
    bool whole;     /* \g<0> was rewritten to call WHOLE */
};

static bool named_group_at(const char *p)
{
    return (p[0] == '(' && p[1] == '?' &&
            ((p[2] == '<' && p[3] != '=' && p[3] != '!') || p[2] == '\''));
}

static bool has_named_group(const char *re)
{
    int cls = 0;
    for (const char *p = re; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '[')
            cls++;
        else if (*p == ']' && cls)
            cls--;
        else if (!cls && named_group_at(p))
            return true;
    }
    return false;
}

/* A zero-max quantifier at p ({0}, {,0}, {0,0}, lazy or possessive): its
 * length, or 0. */
static size_t zero_max(const char *p)
{
    long min;
    size_t q = quantifier(p, &min);
    if (!q || *p != '{')
        return 0;
    const char *comma = memchr(p, ',', q);
    const char *hi = comma ? comma + 1 : p + 1;
    return strtol(hi, NULL, 10) == 0 && *hi == '0' ? q : 0;
}

/* Rewrites the calls of `re` into `out`; into `probe` the same text with
 * zero-max quantifiers after calls made '?'. Returns Ruby's message for a
 * call Ruby refuses, or NULL. */
static const char *rewrite_calls(const char *re, struct al_buf *out, struct al_buf *probe,
                                 struct calls *c)
{
    int cls = 0;
    long groups = 0; /* capture groups opened so far */
    c->named = has_named_group(re);
    for (const char *p = re; *p;) {
        const char *start = p;
        if (*p == '\\' && p[1] == 'g' && !cls && (p[2] == '<' || p[2] == '\'')) {
            char close = p[2] == '<' ? '>' : '\'';
            const char *end = strchr(p + 3, close);
            if (end) {
                const char *name = p + 3;
                if (c->named && end - name == 1 && *name == '0') {
                    al_buf_puts(out, "\\g<" WHOLE ">");
                    al_buf_puts(probe, "\\g<" WHOLE ">");
                    c->whole = true;
                } else {
                    if (*name == '-' && name[1] >= '0' && name[1] <= '9' &&
                        strtol(name + 1, NULL, 10) > groups && !c->named)
                        return "invalid backref number/name";
                    al_buf_put(out, p, (size_t)(end + 1 - p));
                    al_buf_put(probe, p, (size_t)(end + 1 - p));
                }
                p = end + 1;
                size_t z = zero_max(p);
                if (z) {
                    /* optional in the probe: the call may end the recursion,
                     * so only a call reached before anything is consumed
                     * (left recursion) fails, as Onigmo finds */
                    c->zero_call = true;
                    al_buf_put(out, p, z);
                    al_buf_putc(probe, '?');
                    p += z;
                }
                continue;
            }
        }
        if (*p == '\\' && p[1]) {
            p += 2;
        } else if (*p == '[') {
            cls++, p++;
        } else if (*p == ']' && cls) {
            cls--, p++;
        } else if (!cls && *p == '(' && (p[1] != '?' || named_group_at(p))) {
            groups++, p++;
        } else {
            p++;
        }
        al_buf_put(out, start, (size_t)(p - start));
        al_buf_put(probe, start, (size_t)(p - start));
    }
    return NULL;
}

/* The Oniguruma text of a Ruby regexp: calls, then Onigmo's dialect. */
static const char *onigmo_text(const char *ruby, bool whole, struct al_buf *re)
{
    if (whole)
        al_buf_puts(re, "(?<" WHOLE ">");
    const char *refused = onigmo_rewrite(ruby, ruby + strlen(ruby), re);
    if (whole)
        al_buf_putc(re, ')');
    return refused;
}

/* Onigmo's recursion check of a call quantified to nothing: compile it
 * optional. */
static bool never_ending(const char *probe, bool whole)
{
    struct al_buf re = AL_BUF_INIT;
    OnigSyntaxType syn;
    OnigErrorInfo info;
    regex_t *rx = NULL;
    int rc = ONIG_NORMAL;
    if (!onigmo_text(probe, whole, &re)) {
        const OnigUChar *t = (const OnigUChar *)al_buf_cstr(&re);
        rc = onig_new(&rx, t, t + re.len, ONIG_OPTION_DIGIT_IS_ASCII | ONIG_OPTION_SPACE_IS_ASCII,
                      ONIG_ENCODING_UTF8, ruby_syntax(&syn), &info);
        if (rc == ONIG_NORMAL)
            onig_free(rx);
    }
    al_buf_free(&re);
    return rc == ONIGERR_NEVER_ENDING_RECURSION;
}

static int legacy_compile(const char *pattern, regex_t **out, char *err, size_t err_len)
{
    static OnigEncoding utf8[] = {ONIG_ENCODING_UTF8};
    onig_initialize(utf8, 1);
    *out = NULL;
    if (!al_utf8_valid(pattern, strlen(pattern))) {
        snprintf(err, err_len, "invalid multibyte character");
        return -1;
    }
    char *glob = legacy_regex(pattern), *ruby = strip_comments(glob);
    free(glob);
    struct al_buf re = AL_BUF_INIT, called = AL_BUF_INIT, probe = AL_BUF_INIT;
    struct calls calls = {false, false, false};
    const char *refused = rewrite_calls(ruby, &called, &probe, &calls);
    free(ruby);
    if (!refused && calls.zero_call && never_ending(al_buf_cstr(&probe), calls.whole))
        refused = "never ending recursion";
    if (!refused)
        refused = onigmo_text(al_buf_cstr(&called), calls.whole, &re);
    al_buf_free(&called);
    al_buf_free(&probe);
    if (refused) {
        snprintf(err, err_len, "%s", refused);
        al_buf_free(&re);
        return -1;
    }
    OnigSyntaxType syn;
    OnigErrorInfo info;
    const OnigUChar *text = (const OnigUChar *)al_buf_cstr(&re);
    /* Ruby's \d and \s are ASCII (\w: onigmo_rewrite); POSIX brackets and \b
     * are Unicode. */
    OnigOptionType opts = ONIG_OPTION_DIGIT_IS_ASCII | ONIG_OPTION_SPACE_IS_ASCII;
    int rc = onig_new(out, text, text + re.len, opts, ONIG_ENCODING_UTF8, ruby_syntax(&syn), &info);
    al_buf_free(&re);
    if (rc != ONIG_NORMAL) {
        OnigUChar msg[ONIG_MAX_ERROR_MESSAGE_LEN];
        onig_error_code_to_str(msg, rc, &info);
        snprintf(err, err_len, "%s", (const char *)msg);
        *out = NULL;
        return -1;
    }
    return 0;
}

static enum al_env_result legacy_search(const char *pattern, const char *name)
{
    regex_t *re;
    char err[ONIG_MAX_ERROR_MESSAGE_LEN];
    if (legacy_compile(pattern, &re, err, sizeof err) < 0)
        return AL_ENV_ERROR;
    size_t n = strlen(name);
    const OnigUChar *s = (const OnigUChar *)name, *e = s + n;
    OnigRegion *region = onig_region_new();
    int rc = onig_search(re, s, e, s, e, region, ONIG_OPTION_NONE);
    onig_region_free(region, 1);
    onig_free(re);
    /* A match-time failure (e.g. a retry limit) is an error in Ruby too. */
    return rc >= 0 ? AL_ENV_YES : rc == ONIG_MISMATCH ? AL_ENV_NO : AL_ENV_ERROR;
}

char *al_env_legacy_error(const char *pattern)
{
    regex_t *re;
    char err[ONIG_MAX_ERROR_MESSAGE_LEN];
    if (legacy_compile(pattern, &re, err, sizeof err) == 0) {
        onig_free(re);
        return NULL;
    }
    char *rx = legacy_regex(pattern);
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b,
                  "older GitLab turns it into the Ruby regular expression /%s/, which raises "
                  "an error (%s)",
                  rx, err);
    free(rx);
    return al_buf_detach(&b);
}

enum al_env_result al_env_match(enum al_env_matching mode, const char *pattern, const char *name)
{
    if (blank(pattern) || !name)
        return AL_ENV_NO;
    if (strcmp(pattern, name) == 0)
        return AL_ENV_YES;
    if (!strchr(pattern, '*'))
        return AL_ENV_NO;
    if (mode == AL_ENV_LEGACY)
        return legacy_search(pattern, name);
    return glob_anchored(pattern, name) ? AL_ENV_YES : AL_ENV_NO;
}

enum al_env_result al_env_match_any(enum al_env_matching mode, const char *const *patterns,
                                    size_t n, const char *name, size_t *which)
{
    for (size_t i = 0; i < n; i++) {
        enum al_env_result r = al_env_match(mode, patterns[i], name);
        if (r != AL_ENV_NO) {
            if (which)
                *which = i;
            return r;
        }
    }
    if (which)
        *which = n;
    return AL_ENV_NO;
}
