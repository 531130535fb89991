/* Gitlab::Slug::Environment#generate: the CI_ENVIRONMENT_SLUG a new
 * environment gets. The 6-character suffix is the tail of the base-36
 * rendering of the SHA-256 digest read as one big integer; only the value
 * modulo 36^6 matters, so no big-number arithmetic is needed. */
#include "access/env.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/safe.h"

#include <mbedtls/sha256.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char B36[] = "0123456789abcdefghijklmnopqrstuvwxyz";

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* hexdigest.to_i(16).to_s(36).last(6) */
static void suffix_of(const char *hex, char out[7])
{
    const uint64_t mod = 36ull * 36 * 36 * 36 * 36 * 36;
    uint64_t r = 0;
    bool big = false; /* the whole value is at least 36^6: render all 6 digits */
    for (const char *p = hex; *p; p++) {
        int d = hexval(*p);
        if (d < 0)
            break; /* Ruby's to_i(16) stops at the first non-hex character */
        uint64_t v = r * 16 + (uint64_t)d;
        big = big || v >= mod;
        r = v % mod;
    }
    char digits[7];
    int n = 0;
    do {
        digits[n++] = B36[r % 36];
        r /= 36;
    } while ((big && n < 6) || (!big && r));
    for (int i = 0; i < n; i++)
        out[i] = digits[n - 1 - i];
    out[n] = '\0';
}

/* name.to_s.downcase.gsub(/[^a-z0-9]/, '-'): one '-' per character.
 * Ruby's downcase is Unicode's full lower-casing, in which only two
 * non-ASCII characters become ASCII letters: U+0130 (İ) turns into i and
 * U+0307 (so "i-"), U+212A (the Kelvin sign) into k. Every other non-ASCII
 * character stays non-ASCII, one character or more, which the squeeze
 * below makes one '-' either way. (Ruby: c.downcase =~ /[a-z0-9]/ over all
 * of Unicode; tests/unit/test_env_ruby.c compares with Debian's ruby.) */
static void slugify(const char *name, struct al_buf *b)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < len;) {
        int32_t cp;
        i += al_safe_decode(name + i, len - i, &cp);
        if (cp == 0x130)
            al_buf_puts(b, "i-");
        else if (cp == 0x212A)
            al_buf_putc(b, 'k');
        else if (cp >= 'A' && cp <= 'Z')
            al_buf_putc(b, (char)(cp - 'A' + 'a'));
        else
            al_buf_putc(b, (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ? (char)cp : '-');
    }
}

/* String#squeeze('-') */
static void squeeze_dashes(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++)
        if (!(*r == '-' && w > s && w[-1] == '-'))
            *w++ = *r;
    *w = '\0';
}

char *al_env_slug_with_digest(const char *name, const char *hex_digest)
{
    if (!name)
        name = "";
    struct al_buf b = AL_BUF_INIT;
    slugify(name, &b);
    char *s = al_buf_detach(&b);
    if (!(s[0] >= 'a' && s[0] <= 'z')) {
        al_buf_printf(&b, "env-%s", s);
        free(s);
        s = al_buf_detach(&b);
    }
    squeeze_dashes(s);
    size_t n = strlen(s);
    if (n > AL_ENV_SLUG_MAX || strcmp(s, name) != 0) {
        char suffix[7];
        suffix_of(hex_digest, suffix);
        n = n > 17 ? 17 : n; /* slug[0..16] */
        al_buf_put(&b, s, n);
        if (!n || s[n - 1] != '-')
            al_buf_putc(&b, '-');
        al_buf_puts(&b, suffix);
        free(s);
        return al_buf_detach(&b);
    }
    if (n && s[n - 1] == '-')
        s[n - 1] = '\0'; /* chomp('-') */
    return s;
}

char *al_env_slug(const char *name)
{
    unsigned char digest[32];
    const char *s = name ? name : "";
    mbedtls_sha256_ret((const unsigned char *)s, strlen(s), digest, 0);
    char hex[65];
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = "0123456789abcdef"[digest[i] >> 4];
        hex[2 * i + 1] = "0123456789abcdef"[digest[i] & 15];
    }
    hex[64] = '\0';
    return al_env_slug_with_digest(name, hex);
}

bool al_env_slug_valid(const char *slug)
{
    size_t n = slug ? strlen(slug) : 0;
    if (n == 0 || n > AL_ENV_SLUG_MAX || !(slug[0] >= 'a' && slug[0] <= 'z') || slug[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = slug[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}
