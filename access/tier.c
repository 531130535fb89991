/* Environment#guess_tier: the deployment tier GitLab gives an environment
 * created without `deployment_tier`. Each rule is a case-insensitive,
 * unanchored alternation of literals in a Ruby regexp, so a substring search
 * per literal over the name case-folded as Onigmo folds it is the same test
 * as GitLab's regular expression.
 *
 * Onigmo's /i uses Unicode's full case folding: besides ASCII, U+017F (long
 * s) is s and U+212A (Kelvin) is k, and a character that folds to several
 * (U+00DF to ss, U+FB06 to st, U+0130 to i + U+0307, ...) matches only its
 * whole folding at once: "teﬆ" has "test", "ßtag" has no "stag".
 * tests/unit/test_env_ruby.c compares this with Debian's ruby. */
#include "access/env.h"
#include "common/buf.h"
#include "common/safe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct tier_rule {
    enum al_env_tier tier;
    const char *const *words; /* the alternation, expanded: ac(ce|)pt -> accept, acpt */
};

static const char *const development[] = {"dev", "review", "trunk", NULL};
static const char *const testing[] = {"test", "tst", "int",     "accept",  "acpt",
                                      "qa",   "qc",  "control", "quality", NULL};
static const char *const staging[] = {"stag", "stg", "model", "modl", "pre", "demo", "non", NULL};
static const char *const production[] = {"prod", "prd", "live", NULL};

/* In GitLab's order: the first rule that matches wins. */
static const struct tier_rule rules[] = {
    {AL_TIER_DEVELOPMENT, development},
    {AL_TIER_TESTING, testing},
    {AL_TIER_STAGING, staging},
    {AL_TIER_PRODUCTION, production},
};

/* Non-ASCII code points whose full case folding (CaseFolding.txt, C + F)
 * contains an ASCII letter; '~' stands for the non-ASCII rest, which no
 * rule's literal contains. Ruby: c.downcase(:fold) =~ /[a-z]/ over all of
 * Unicode. */
static const struct {
    uint32_t cp;
    const char *fold;
} folds[] = {
    {0x00DF, "ss"},  {0x0130, "i~"},  {0x0149, "~n"}, {0x017F, "s"},  {0x01F0, "j~"},
    {0x1E96, "h~"},  {0x1E97, "t~"},  {0x1E98, "w~"}, {0x1E99, "y~"}, {0x1E9A, "a~"},
    {0x1E9E, "ss"},  {0x212A, "k"},   {0xFB00, "ff"}, {0xFB01, "fi"}, {0xFB02, "fl"},
    {0xFB03, "ffi"}, {0xFB04, "ffl"}, {0xFB05, "st"}, {0xFB06, "st"},
};

static const char *fold_of(uint32_t cp)
{
    for (size_t i = 0; i < sizeof folds / sizeof folds[0]; i++)
        if (folds[i].cp == cp)
            return folds[i].fold;
    return NULL;
}

/* The name folded, and which of its bytes start a character's folding: a
 * match must start and end on such a boundary. */
struct folded {
    struct al_buf text;
    char *starts; /* text.len + 1 flags */
};

static void fold_name(const char *name, struct folded *f)
{
    size_t n = strlen(name);
    struct al_buf b = AL_BUF_INIT, at = AL_BUF_INIT;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        i += al_safe_decode(name + i, n - i, &cp);
        const char *fold = cp >= 0x80 ? fold_of((uint32_t)cp) : NULL;
        char one[2] = {cp >= 'A' && cp <= 'Z' ? (char)(cp + 32)
                       : cp < 0x80 && cp >= 0 ? (char)cp
                                              : '~',
                       '\0'};
        if (!fold)
            fold = one;
        for (size_t k = 0; fold[k]; k++)
            al_buf_putc(&at, (char)(k == 0));
        al_buf_puts(&b, fold);
    }
    al_buf_putc(&at, 1);
    f->text = b;
    f->starts = al_buf_detach(&at);
}

static bool contains(const struct folded *f, const char *word)
{
    size_t w = strlen(word);
    const char *t = al_buf_cstr(&f->text);
    for (const char *p = t; (p = strstr(p, word)); p++) {
        size_t i = (size_t)(p - t);
        if (f->starts[i] && f->starts[i + w])
            return true;
    }
    return false;
}

enum al_env_tier al_env_tier_guess(const char *name)
{
    if (!name)
        return AL_TIER_OTHER;
    struct folded f;
    fold_name(name, &f);
    enum al_env_tier tier = AL_TIER_OTHER;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0] && tier == AL_TIER_OTHER; i++)
        for (const char *const *w = rules[i].words; *w; w++)
            if (contains(&f, *w)) {
                tier = rules[i].tier;
                break;
            }
    al_buf_free(&f.text);
    free(f.starts);
    return tier;
}

static const char *const names[] = {"production", "staging", "testing", "development", "other"};

const char *al_env_tier_name(enum al_env_tier t)
{
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "other";
}

int al_env_tier_parse(const char *name)
{
    for (int i = 0; name && i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}
