/* Object names and the Kubernetes name rules they must follow. Names are
 * readable ("agentlint-deploy-project-acme-web-…") and end in a hash of what
 * the object stands for, so that they are stable across runs (kubectl apply
 * updates the same object) and distinct for distinct objects. They are DNS
 * labels (at most 63 characters, no dots), so DNS subdomains under RFC 1123
 * and under Kubernetes' own check alike. */
#include "views/rbac/rbac.h"
#include "common/buf.h"

#include <mbedtls/sha256.h>
#include <string.h>

enum {
    MAX_SUBDOMAIN = 253,
    MAX_LABEL = 63,
    MAX_HASH = 20, /* hex digits: 80 bits */
};

static bool lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool label_ok(const char *s, size_t n)
{
    if (n == 0 || n > MAX_LABEL || !lower_alnum(s[0]) || !lower_alnum(s[n - 1]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!lower_alnum(s[i]) && s[i] != '-')
            return false;
    return true;
}

bool al_rbac_dns_label(const char *s)
{
    return s && label_ok(s, strlen(s));
}

bool al_rbac_dns_subdomain(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > MAX_SUBDOMAIN)
        return false;
    for (const char *p = s;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (!label_ok(p, len))
            return false;
        if (!dot)
            return true;
        p = dot + 1;
    }
}

bool al_rbac_role_name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > MAX_SUBDOMAIN || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '/' || c == '%')
            return false;
    }
    return true;
}

/* Append "-" and `s` lower-cased, every run of other characters as one
 * dash, at most `max` characters, neither starting nor ending in a dash
 * (nothing when no letter or digit is left). */
static void put_part(struct al_buf *b, const char *s, size_t max)
{
    struct al_buf part = AL_BUF_INIT;
    bool dash = false;
    for (const char *p = s; *p && part.len < max; p++) {
        char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
        if (!lower_alnum(c)) {
            dash = part.len > 0;
            continue;
        }
        if (dash && part.len + 2 > max)
            break; /* no room for a dash and a character */
        if (dash)
            al_buf_putc(&part, '-');
        dash = false;
        al_buf_putc(&part, c);
    }
    if (part.len) {
        al_buf_putc(b, '-');
        al_buf_put(b, part.ptr, part.len);
    }
    al_buf_free(&part);
}

static void hex_digest(const char *s, char hex[65])
{
    unsigned char digest[32];
    mbedtls_sha256_ret((const unsigned char *)s, strlen(s), digest, 0);
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = "0123456789abcdef"[digest[i] >> 4];
        hex[2 * i + 1] = "0123456789abcdef"[digest[i] & 15];
    }
    hex[64] = '\0';
}

char *al_rbac_name(const char *const *parts, size_t n_parts, const char *identity, size_t hash_len)
{
    if (hash_len > MAX_HASH)
        hash_len = MAX_HASH;
    const size_t readable = MAX_LABEL - 1 - hash_len; /* "-" and the hash follow */
    struct al_buf b = AL_BUF_INIT;
    al_buf_puts(&b, "agentlint");
    /* Each part gets what is left, less a dash and at least one character. */
    for (size_t i = 0; i < n_parts && b.len + 2 <= readable; i++)
        if (parts[i])
            put_part(&b, parts[i], readable - b.len - 1);
    char hex[65];
    hex_digest(identity ? identity : "", hex);
    al_buf_printf(&b, "-%.*s", (int)hash_len, hex);
    return al_buf_detach(&b);
}
