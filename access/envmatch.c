/* Gitlab::Ci::EnvironmentMatcher#match?, in the two readings GitLab has had.
 * The anchored one is a small glob matcher; the legacy one hands the
 * rewritten pattern to PCRE2, configured to read it the way Ruby does. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "access/env.h"
#include "common/alloc.h"
#include "common/buf.h"

#include <ctype.h>
#include <pcre2.h>
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

/* Ruby regexps: '^' and '$' are always line anchors, '.' stops at a newline
 * (PCRE2's default without DOTALL), UTF-8 text is read by characters. */
static pcre2_code *legacy_compile(const char *pattern, int *err, PCRE2_SIZE *off)
{
    char *re = legacy_regex(pattern);
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
    pcre2_code *code =
        pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
                      PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, err, off, cc);
    pcre2_compile_context_free(cc);
    free(re);
    return code;
}

static enum al_env_result legacy_search(const char *pattern, const char *name)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *code = legacy_compile(pattern, &err, &off);
    if (!code)
        return AL_ENV_ERROR;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    int rc = pcre2_match(code, (PCRE2_SPTR)name, strlen(name), 0, 0, md, NULL);
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    /* A match-time failure (e.g. a resource limit) is an error in Ruby too. */
    return rc >= 0 ? AL_ENV_YES : rc == PCRE2_ERROR_NOMATCH ? AL_ENV_NO : AL_ENV_ERROR;
}

char *al_env_legacy_error(const char *pattern)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *code = legacy_compile(pattern, &err, &off);
    if (code) {
        pcre2_code_free(code);
        return NULL;
    }
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    char *re = legacy_regex(pattern);
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b,
                  "older GitLab turns it into the regular expression /%s/, which raises an "
                  "error (%s)",
                  re, (const char *)msg);
    free(re);
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
