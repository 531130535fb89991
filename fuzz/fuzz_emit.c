/* cli/emit.c's JSON writer: every string of every JSON output (check, explain,
 * diff, rules) goes through it, and many come from merge requests. Whatever
 * the bytes, the output must be strict JSON (RFC 8259: UTF-8, no raw control
 * characters, valid escapes, no lone surrogates) that decodes back to the
 * input exactly, invalid UTF-8 replaced by U+FFFD per byte (al_utf8_sanitize),
 * and must carry no C0, DEL, C1, bidirectional, zero-width or line-separator
 * character raw (they are written as \uXXXX). A strict decoder here checks
 * all of that; tests/unit/test_emit.c checks the same with Python's json. */
#include "fuzz/fuzz.h"
#include "cli/emit.h"
#include "common/utf8.h"

#include <stdbool.h>
#include <stdio.h>

struct parser {
    const unsigned char *p, *end;
    char *strings[4];
    size_t lens[4], n;
};

static void fail(const char *why)
{
    fprintf(stderr, "fuzz_emit: %s\n", why);
    abort();
}

static unsigned decode_utf8(const unsigned char *p, size_t len)
{
    static const unsigned char mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
    unsigned cp = p[0] & mask[len];
    for (size_t i = 1; i < len; i++)
        cp = (cp << 6) | (p[i] & 0x3f);
    return cp;
}

static bool hidden(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
           (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) || cp == 0x2060 ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

static void put_utf8(char *out, size_t *n, unsigned cp)
{
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*n)++] = (char)(0xc0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3f));
    } else {
        out[(*n)++] = (char)(0xe0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[(*n)++] = (char)(0x80 | (cp & 0x3f));
    }
}

static unsigned hex4(struct parser *P)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++, P->p++) {
        if (P->p >= P->end)
            fail("truncated \\u escape");
        unsigned char c = *P->p;
        v = v * 16 + (c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                      : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                      : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                             : (fail("bad hex digit"), 0u));
    }
    return v;
}

static void string(struct parser *P)
{
    if (P->p >= P->end || *P->p++ != '"')
        fail("expected a string");
    char *out = malloc((size_t)(P->end - P->p) * 3 + 1);
    size_t n = 0;
    for (;;) {
        if (P->p >= P->end)
            fail("unterminated string");
        unsigned char c = *P->p;
        if (c == '"') {
            P->p++;
            break;
        }
        if (c == '\\') {
            P->p++;
            if (P->p >= P->end)
                fail("truncated escape");
            unsigned char e = *P->p++;
            const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
            const char *k = e ? strchr(from, e) : NULL;
            if (k) {
                out[n++] = to[k - from];
            } else if (e == 'u') {
                unsigned cp = hex4(P);
                if (cp >= 0xd800 && cp <= 0xdfff)
                    fail("a surrogate escape (the writer never needs one)");
                if (!hidden(cp) && cp != '"' && cp != '\\')
                    fail("\\u escape of a character that needs none");
                put_utf8(out, &n, cp);
            } else {
                fail("invalid escape");
            }
            continue;
        }
        size_t len = al_utf8_seqlen((const char *)P->p, (size_t)(P->end - P->p));
        if (c >= 0x80 && len == 1)
            fail("invalid UTF-8 in the output");
        if (hidden(c < 0x80 ? c : decode_utf8(P->p, len)))
            fail("a control, bidi or zero-width character written raw");
        memcpy(out + n, P->p, len);
        n += len;
        P->p += len;
    }
    if (P->n < 4) {
        P->strings[P->n] = out;
        P->lens[P->n++] = n;
    } else {
        free(out);
    }
}

static void ws(struct parser *P)
{
    while (P->p < P->end && (*P->p == ' ' || *P->p == '\n'))
        P->p++;
}

static void expect(struct parser *P, char c)
{
    ws(P);
    if (P->p >= P->end || *P->p++ != (unsigned char)c)
        fail("unexpected character");
    ws(P);
}

/* The length of al_utf8_sanitize(s, n): U+FFFD (3 bytes) per invalid byte. */
static size_t sanitized_len(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t l = al_utf8_seqlen(s + i, n - i);
        k += l == 1 && (unsigned char)s[i] >= 0x80 ? 3 : l;
        i += l;
    }
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char *key = fuzz_cstr(data, size); /* keys are C strings */
    struct al_buf out = AL_BUF_INIT;
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, &out);
    al_emit_map_start(e);
    al_emit_key(e, key);
    al_emit_strn(e, s, size);
    al_emit_key(e, "list");
    al_emit_seq_start(e);
    al_emit_strn(e, s, size);
    al_emit_map_start(e);
    al_emit_map_end(e);
    al_emit_seq_end(e);
    al_emit_map_end(e);
    if (al_emit_finish(e) != 0)
        fail("the writer reported a failure");

    struct parser P = {
        (const unsigned char *)out.ptr, (const unsigned char *)out.ptr + out.len, {NULL}, {0}, 0};
    expect(&P, '{');
    string(&P);
    expect(&P, ':');
    string(&P);
    expect(&P, ',');
    string(&P);
    expect(&P, ':');
    expect(&P, '[');
    string(&P);
    expect(&P, ',');
    expect(&P, '{');
    expect(&P, '}');
    expect(&P, ']');
    expect(&P, '}');
    if (P.p != P.end)
        fail("bytes after the document");

    char *want_key = al_utf8_sanitize(key, strlen(key));
    char *want = al_utf8_sanitize(s, size);
    size_t want_len = sanitized_len(s, size); /* it may hold NUL bytes */
    if (P.lens[0] != strlen(want_key) || memcmp(P.strings[0], want_key, P.lens[0]) != 0)
        fail("the key did not come back");
    for (size_t i = 1; i <= 3; i += 2)
        if (P.lens[i] != want_len || memcmp(P.strings[i], want, want_len) != 0)
            fail("the value did not come back");
    if (P.lens[2] != 4 || memcmp(P.strings[2], "list", 4) != 0)
        fail("the key list did not come back");
    for (size_t i = 0; i < P.n; i++)
        free(P.strings[i]);
    free(want);
    free(want_key);
    free(key);
    al_buf_free(&out);
    return 0;
}
