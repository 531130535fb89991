/* Differential test of the environment slug and the guessed tier against
 * Ruby itself, on generated names with non-ASCII letters: GitLab computes
 * the slug from name.downcase (Unicode lower-casing) and guesses the tier
 * with case-insensitive regexps (Onigmo's Unicode case folding), so Debian's
 * ruby (installed by tests/setup-clients.sh) runs both, restated from
 * lib/gitlab/slug/environment.rb and Environment#guess_tier (the algorithm
 * as testdata/vectors/env_slug.yaml and env_tier.yaml state it), and
 * al_env_slug and al_env_tier_guess must give the same answers.
 * The fragments are the characters whose lower-casing or folding reaches
 * ASCII (İ, K, ſ, ß, ẞ, ﬅ, ﬆ, ﬀ..., ǰ, ŉ), near misses beside them
 * (ı, Σ, ς, é, fullwidth and circled letters, a combining dot), and the
 * rules' words. Deterministic; skipped with a message without ruby. */
#include "testutil.h"

#include "access/env.h"
#include "common/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { N_NAMES = 6000 };

static const char *const fragments[] = {
    "dev",
    "review",
    "trunk",
    "test",
    "tst",
    "int",
    "accept",
    "acpt",
    "qa",
    "qc",
    "control",
    "quality",
    "stag",
    "stg",
    "model",
    "pre",
    "demo",
    "non",
    "prod",
    "prd",
    "live",
    "st",
    "ag",
    "t",
    "s",
    "k",
    "i",
    "nt",
    "d",
    "e",
    "v",
    "g",
    "PROD",
    "Stag",
    "-",
    "/",
    "_",
    " ",
    ".",
    "1",
    "9",
    "\xC4\xB0",         /* U+0130 İ */
    "\xC4\xB1",         /* U+0131 ı */
    "\xC5\xBF",         /* U+017F ſ */
    "\xE2\x84\xAA",     /* U+212A Kelvin */
    "\xC3\x9F",         /* U+00DF ß */
    "\xE1\xBA\x9E",     /* U+1E9E ẞ */
    "\xEF\xAC\x85",     /* U+FB05 ﬅ */
    "\xEF\xAC\x86",     /* U+FB06 ﬆ */
    "\xEF\xAC\x80",     /* U+FB00 ﬀ */
    "\xEF\xAC\x81",     /* U+FB01 ﬁ */
    "\xC7\xB0",         /* U+01F0 ǰ */
    "\xC5\x89",         /* U+0149 ŉ */
    "\xE1\xBA\x97",     /* U+1E97 ẗ */
    "\xCE\xA3",         /* U+03A3 Σ */
    "\xCF\x82",         /* U+03C2 ς */
    "\xC3\xA9",         /* U+00E9 é */
    "\xC3\x89",         /* U+00C9 É */
    "\xEF\xBD\x84",     /* U+FF44 fullwidth d */
    "\xE2\x93\x93",     /* U+24D3 circled d */
    "\xCC\x87",         /* U+0307 combining dot above */
    "\xF0\x9F\x98\x80", /* U+1F600 */
    "\xC7\x85",         /* U+01C5 ǅ */
};

static unsigned long long rng = 0x20261204ULL;

static unsigned next(void)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rng >> 33);
}

static char *make_name(void)
{
    struct al_buf b = AL_BUF_INIT;
    size_t n = 1 + next() % 5;
    for (size_t i = 0; i < n; i++)
        al_buf_puts(&b, fragments[next() % (sizeof fragments / sizeof *fragments)]);
    return al_buf_detach(&b);
}

static void hex(struct al_buf *b, const char *s)
{
    for (; *s; s++)
        al_buf_printf(b, "%02x", (unsigned char)*s);
}

static const char ruby_script[] =
    "require 'digest'\n"
    "$VERBOSE = nil\n"
    "def tier(n)\n"
    "  return 'development' if n =~ /(dev|review|trunk)/i\n"
    "  return 'testing' if n =~ /(test|tst|int|ac(ce|)pt|qa|qc|control|quality)/i\n"
    "  return 'staging' if n =~ /(st(a|)g|mod(e|)l|pre|demo|non)/i\n"
    "  return 'production' if n =~ /(pr(o|)d|live)/i\n"
    "  'other'\n"
    "end\n"
    "def slug(n)\n"
    "  s = n.downcase.gsub(/[^a-z0-9]/, '-')\n"
    "  s = 'env-' + s unless s.match?(/^[a-z]/)\n"
    "  s = s.squeeze('-')\n"
    "  return s.chomp('-') unless s.size > 24 || s != n\n"
    "  s = s[0..16]\n"
    "  s += '-' unless s.end_with?('-')\n"
    "  d = Digest::SHA2.hexdigest(n).to_i(16).to_s(36)\n"
    "  s + (d[-6..] || d)\n"
    "end\n"
    "STDIN.each_line do |l|\n"
    "  n = [l.chomp].pack('H*').force_encoding('UTF-8')\n"
    "  puts \"#{slug(n)} #{tier(n)}\"\n"
    "end\n";

static bool have_ruby(void)
{
    return system("ruby -e 'exit 0' >/dev/null 2>&1") == 0;
}

static void slug_and_tier_agree_with_ruby(void **state)
{
    (void)state;
    if (!have_ruby()) {
        fprintf(stderr, "SKIP: ruby is not installed (tests/setup-clients.sh installs it); the "
                        "slug and tier were not compared with Ruby\n");
        skip();
    }
    char in_path[] = "/tmp/agentlint-envslug-in-XXXXXX";
    char rb_path[] = "/tmp/agentlint-envslug-rb-XXXXXX";
    int fd_in = mkstemp(in_path), fd_rb = mkstemp(rb_path);
    assert_true(fd_in >= 0 && fd_rb >= 0);
    assert_int_equal(write(fd_rb, ruby_script, sizeof ruby_script - 1),
                     (ssize_t)(sizeof ruby_script - 1));
    close(fd_rb);
    char **names = calloc(N_NAMES, sizeof *names);
    struct al_buf input = AL_BUF_INIT;
    for (size_t i = 0; i < N_NAMES; i++) {
        names[i] = make_name();
        hex(&input, names[i]);
        al_buf_putc(&input, '\n');
    }
    assert_int_equal(write(fd_in, input.ptr, input.len), (ssize_t)input.len);
    close(fd_in);
    al_buf_free(&input);

    char cmd[256];
    snprintf(cmd, sizeof cmd, "ruby %s < %s", rb_path, in_path);
    FILE *ruby = popen(cmd, "r");
    assert_non_null(ruby);
    char line[256];
    size_t i = 0, wrong = 0, non_other = 0, suffixed = 0;
    while (i < N_NAMES && fgets(line, sizeof line, ruby)) {
        line[strcspn(line, "\n")] = '\0';
        char *sp = strchr(line, ' ');
        assert_non_null(sp);
        *sp = '\0';
        char *slug = al_env_slug(names[i]);
        const char *tier = al_env_tier_name(al_env_tier_guess(names[i]));
        non_other += strcmp(sp + 1, "other") != 0;
        suffixed += strcmp(line, names[i]) != 0;
        if ((strcmp(slug, line) || strcmp(tier, sp + 1)) && wrong++ < 20)
            fprintf(stderr, "name \"%s\": ruby %s %s, agentlint %s %s\n", names[i], line, sp + 1,
                    slug, tier);
        free(slug);
        i++;
    }
    assert_int_equal(pclose(ruby), 0);
    unlink(in_path);
    unlink(rb_path);
    for (size_t k = 0; k < N_NAMES; k++)
        free(names[k]);
    free(names);
    fprintf(stderr, "%zu names compared with ruby: %zu with a tier, %zu suffixed, %zu disagree\n",
            i, non_other, suffixed, wrong);
    assert_int_equal(i, N_NAMES);
    assert_true(non_other > 1000 && suffixed > 1000); /* the generator reaches both */
    assert_int_equal(wrong, 0);
}

/* The cases the differential test is about, fixed: GitLab's answers as
 * Ruby 3.1 gives them. */
static void unicode_cases(void **state)
{
    (void)state;
    static const struct {
        const char *name, *tier;
    } tiers[] = {
        {"\xC5\xBFtag", "staging"},    /* ſtag: long s folds to s */
        {"te\xEF\xAC\x86", "testing"}, /* teﬆ: the ligature is st */
        {"\xC3\x9Ftag", "other"},      /* ßtag: ss matches only whole */
        {"\xEF\xAC\x86"
         "est",
         "other"},                           /* ﬆest: no t at a boundary */
        {"\xC4\xB0nt", "other"},             /* İnt: İ folds to i + U+0307 */
        {"trun\xE2\x84\xAA", "development"}, /* Kelvin sign is k */
        {"\xC4\xB1nt", "other"},             /* dotless ı is not i */
        {"\xEF\xBD\x84"
         "ev",
         "other"}, /* fullwidth d is not d */
    };
    for (size_t i = 0; i < sizeof tiers / sizeof *tiers; i++)
        assert_string_equal(al_env_tier_name(al_env_tier_guess(tiers[i].name)), tiers[i].tier);
    char *s = al_env_slug("\xC4\xB0nt"); /* downcase: i + U+0307 + nt */
    assert_int_equal(strncmp(s, "i-nt-", 5), 0);
    free(s);
    s = al_env_slug("\xE2\x84\xAA"
                    "ube"); /* Kelvin sign: k */
    assert_int_equal(strncmp(s, "kube-", 5), 0);
    free(s);
    s = al_env_slug("\xC5\xBFtag"); /* ſ stays non-ASCII in downcase */
    assert_int_equal(strncmp(s, "env-tag-", 8), 0);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unicode_cases),
        cmocka_unit_test(slug_and_tier_agree_with_ruby),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
