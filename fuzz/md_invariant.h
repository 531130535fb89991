/* What the Markdown writer (cli/markdown.h) promises, as a check shared by
 * its fuzz target and unit test: the output is one line of valid UTF-8;
 * outside code spans (a backtick run closed by a run of the same length)
 * there is no character that starts a GitLab mention or reference, markup,
 * an entity, a link or a table cell (@ # ! ~ $ % & < > | [ ] * _ \ and no
 * "://"), and no backtick run without its closing run; in a table cell every
 * | is escaped by an odd run of backslashes. Returns NULL or what is
 * broken. */
#ifndef AL_MD_INVARIANT_H
#define AL_MD_INVARIANT_H

#include <stdbool.h>
#include <string.h>

#include "common/utf8.h"

static inline size_t md_run(const char *s, size_t i, size_t n)
{
    size_t k = 0;
    while (i + k < n && s[i + k] == '`')
        k++;
    return k;
}

/* The end of the code span opened by the k backticks at s[i], or 0. */
static inline size_t md_close(const char *s, size_t i, size_t n, size_t k)
{
    for (size_t j = i + k; j < n;) {
        size_t r = md_run(s, j, n);
        if (r == k)
            return j + k;
        j += r ? r : 1;
    }
    return 0;
}

static inline const char *md_invariant(const char *s, size_t n, bool cell)
{
    if (!al_utf8_valid(s, n))
        return "invalid UTF-8";
    if (memchr(s, '\n', n) || memchr(s, '\r', n))
        return "a line break";
    for (size_t i = 0; i < n; i++) {
        if (cell && s[i] == '|') {
            size_t b = 0;
            while (b < i && s[i - 1 - b] == '\\')
                b++;
            if (b % 2 == 0)
                return "an unescaped | in a table cell";
        }
    }
    for (size_t i = 0; i < n;) {
        size_t k = md_run(s, i, n);
        if (k) {
            size_t end = md_close(s, i, n, k);
            if (!end)
                return "a backtick run that opens no code span";
            i = end;
            continue;
        }
        if (strchr("@#!~$%&<>|[]*_\\", s[i]) && s[i])
            return "a markup or reference character outside a code span";
        if (s[i] == ':' && i + 1 < n && s[i + 1] != ' ')
            return "a URL scheme or emoji colon outside a code span";
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return "a control character";
        i++;
    }
    return NULL;
}

#endif
