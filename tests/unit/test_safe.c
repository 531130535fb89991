/* The one sanitizer for terminals and logs (common/safe.c): what it shows,
 * what it lets through, and its invariant over every short byte string. */
#include "testutil.h"

#include "cli/emit.h"
#include "common/buf.h"
#include "common/safe.h"
#include "common/utf8.h"

#include <stdlib.h>
#include <string.h>

static char *safe(const char *s, size_t n)
{
    struct al_buf b = AL_BUF_INIT;
    al_safe_put(&b, s, n);
    return al_buf_detach(&b);
}

static void assert_safe(const char *in, const char *want)
{
    char *got = safe(in, strlen(in));
    assert_string_equal(got, want);
    assert_int_equal(al_safe_width(in, strlen(in)), al_utf8_count(got, strlen(got)));
    free(got);
}

static void c0_del_and_c1_are_shown(void **state)
{
    (void)state;
    assert_safe("a\x1b]0;title\x07"
                "b",
                "a\\x1b]0;title\\x07b");
    assert_safe("ok\r\nJob succeeded", "ok\\x0d\\x0aJob succeeded");
    assert_safe("del\x7f", "del\\x7f");
    assert_safe("tab\there", "tab here"); /* a tab is a space, as before */
    assert_safe("c1 \xc2\x85 \xc2\x9b"
                "31m \xc2\x80 \xc2\x9f",
                "c1 \\u0085 \\u009b31m \\u0080 \\u009f");
    char *nul = safe("a\0b", 3);
    assert_string_equal(nul, "a\\x00b");
    free(nul);
}

static void bidi_zero_width_and_separators_are_shown(void **state)
{
    (void)state;
    assert_safe("x\xe2\x80\xaey", "x\\u202ey"); /* RLO */
    assert_safe("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "\\u202a\\u202b\\u202c\\u202d");
    assert_safe("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "\\u2066\\u2067\\u2068\\u2069");
    assert_safe("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c");
    assert_safe("w\xe2\x80\x8b"
                "e\xe2\x80\x8c\xe2\x80\x8d\xe2\x81\xa0"
                "b",
                "w\\u200be\\u200c\\u200d\\u2060b");
    assert_safe("\xef\xbb\xbf"
                "bom",
                "\\ufeffbom");
    assert_safe("a\xe2\x80\xa8"
                "b\xe2\x80\xa9",
                "a\\u2028b\\u2029");
    assert_safe("soft\xc2\xad"
                "hyphen",
                "soft\\u00adhyphen");
    assert_safe("tag\xf3\xa0\x81\x81", "tag\\U000e0041"); /* U+E0041 TAG LATIN CAPITAL A */
}

static void invalid_utf8_is_shown_byte_by_byte(void **state)
{
    (void)state;
    assert_safe("a\xff"
                "b",
                "a\\xffb");
    assert_safe("\xc0\xaf", "\\xc0\\xaf");                   /* overlong '/' */
    assert_safe("\xed\xa0\x80", "\\xed\\xa0\\x80");          /* a surrogate */
    assert_safe("cut \xe2\x80", "cut \\xe2\\x80");           /* truncated sequence */
    assert_safe("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* above U+10FFFF */
}

static void ordinary_text_passes(void **state)
{
    (void)state;
    const char *keep[] = {
        "acme/platform/web",
        "m\xc3\xbcnchen",                   /* ü */
        "rocket \xf0\x9f\x9a\x80",          /* emoji */
        "heart \xe2\x9d\xa4\xef\xb8\x8f",   /* ❤️: U+2764 U+FE0F (a variation selector) */
        "\xe6\x97\xa5\xe6\x9c\xac",         /* Japanese */
        "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", /* Hebrew letters: right-to-left, not controls */
        "a\\x1b is text",
        "nbsp\xc2\xa0"
        "stays",
    };
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        assert_safe(keep[i], keep[i]);
}

static void classes_and_names(void **state)
{
    (void)state;
    assert_int_equal(al_safe_class(0x1b), AL_SAFE_CONTROL);
    assert_int_equal(al_safe_class(0x85), AL_SAFE_CONTROL);
    assert_int_equal(al_safe_class(0x202e), AL_SAFE_BIDI);
    assert_int_equal(al_safe_class(0x061c), AL_SAFE_BIDI);
    assert_int_equal(al_safe_class(0x200b), AL_SAFE_INVISIBLE);
    assert_int_equal(al_safe_class(0xfeff), AL_SAFE_INVISIBLE);
    assert_int_equal(al_safe_class(0x2028), AL_SAFE_SEPARATOR);
    assert_int_equal(al_safe_class(0xffff), AL_SAFE_NONCHAR);
    assert_int_equal(al_safe_class('a'), AL_SAFE_OK);
    assert_int_equal(al_safe_class(0xa0), AL_SAFE_OK);
    assert_int_equal(al_safe_class(0xfe0f), AL_SAFE_OK);
    assert_int_equal(al_safe_class(0x1f680), AL_SAFE_OK);
    assert_string_equal(al_safe_class_name(AL_SAFE_BIDI), "bidirectional control");
}

/* The invariant the fuzz target checks, over every string of up to three
 * bytes drawn from bytes that matter (ASCII, controls, lead and
 * continuation bytes): valid UTF-8 out, nothing the sanitizer must hide. */
static void invariant_on_short_strings(void **state)
{
    (void)state;
    static const unsigned char bytes[] = {0x00, 0x09, 0x0a, 0x1b, 0x41, 0x5c, 0x7f, 0x80,
                                          0x85, 0x9b, 0xbf, 0xc2, 0xd8, 0xe2, 0xef, 0xf0,
                                          0xf3, 0xf4, 0xff, 0x81, 0xa0, 0xae, 0xbb, 0x8b};
    size_t nb = sizeof bytes;
    char in[3];
    for (size_t len = 1; len <= 3; len++) {
        size_t total = 1;
        for (size_t k = 0; k < len; k++)
            total *= nb;
        for (size_t code = 0; code < total; code++) {
            size_t c = code;
            for (size_t k = 0; k < len; k++, c /= nb)
                in[k] = (char)bytes[c % nb];
            char *out = safe(in, len);
            size_t n = strlen(out);
            assert_true(al_utf8_valid(out, n));
            for (size_t i = 0; i < n;) {
                int32_t cp;
                i += al_safe_decode(out + i, n - i, &cp);
                assert_true(cp >= 0 && al_safe_class((uint32_t)cp) == AL_SAFE_OK);
            }
            free(out);
        }
    }
}

/* The word-at-a-time fast path and the slow path agree at every offset. */
static void fast_path_agrees_at_every_offset(void **state)
{
    (void)state;
    const char *bad[] = {"\x1b", "\x7f", "\xe2\x80\xae", "\xc2\x85", "\xff"};
    for (size_t b = 0; b < sizeof bad / sizeof *bad; b++)
        for (size_t at = 0; at < 20; at++) {
            struct al_buf in = AL_BUF_INIT;
            al_buf_fill(&in, 'a', at);
            al_buf_puts(&in, bad[b]);
            al_buf_fill(&in, 'z', 19 - at);
            char *out = safe(in.ptr, in.len);
            assert_null(strstr(out, bad[b]));
            assert_int_equal(strspn(out, "a"), at);
            assert_true(out[at] == '\\');
            free(out);
            al_buf_free(&in);
        }
}

/* YAML (rbac): libfyaml writes bidi and zero-width characters raw even in
 * double quotes; the emitter escapes them there, exactly. */
static void yaml_escapes_what_libfyaml_leaves_raw(void **state)
{
    (void)state;
    struct al_buf out = AL_BUF_INIT;
    struct al_emit *e = al_emit_new(AL_EMIT_YAML, &out);
    al_emit_doc_start(e);
    al_emit_map_start(e);
    al_emit_kstr(e, "name",
                 "dep\xe2\x80\xaeloy\xe2\x80\x8b"
                 "x\xf3\xa0\x81\x81");
    al_emit_kstr(e, "k\xe2\x81\xa6", "m\xc3\xbcnchen \xf0\x9f\x9a\x80");
    al_emit_map_end(e);
    al_emit_doc_end(e);
    assert_int_equal(al_emit_finish(e), 0);
    const char *y = al_buf_cstr(&out);
    assert_non_null(strstr(y, "name: \"dep\\u202Eloy\\u200Bx\\U000E0041\""));
    assert_non_null(strstr(y, "\"k\\u2066\": "));
    assert_non_null(strstr(y, "m\xc3\xbcnchen \xf0\x9f\x9a\x80")); /* ordinary text as is */
    al_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(c0_del_and_c1_are_shown),
        cmocka_unit_test(bidi_zero_width_and_separators_are_shown),
        cmocka_unit_test(invalid_utf8_is_shown_byte_by_byte),
        cmocka_unit_test(ordinary_text_passes),
        cmocka_unit_test(classes_and_names),
        cmocka_unit_test(invariant_on_short_strings),
        cmocka_unit_test(fast_path_agrees_at_every_offset),
        cmocka_unit_test(yaml_escapes_what_libfyaml_leaves_raw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
