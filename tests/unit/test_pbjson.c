/* protojson's readings that decide whether the agent server accepts a value:
 * durations (well_known_types.go parseDuration) and int32 numbers for enums
 * and int32 fields, and go-yaml v2's 1e400 (a string: ParseFloat overflows). */
#include "testutil.h"

#include "model/pbjson.h"

#include <string.h>

static void durations(void **state)
{
    (void)state;
    long long s;
    int ns;
    const char *ok[] = {"1s",
                        "0s",
                        ".5s",
                        "+1s",
                        "-1s",
                        "1.s",
                        ".s",
                        "-.5s",
                        "3600s",
                        "315576000000s",
                        "-315576000000s",
                        "1.123456789s",
                        NULL};
    for (size_t i = 0; ok[i]; i++)
        assert_true(al_pbjson_duration(ok[i], &s, &ns));
    const char *bad[] = {"s",
                         "1",
                         "01s",
                         "00s",
                         "1.1234567891s",
                         "315576000001s",
                         "-315576000001s",
                         "9223372036854775808s",
                         "1 s",
                         "1m",
                         "+s",
                         "1.5e1s",
                         "1S",
                         "",
                         NULL};
    for (size_t i = 0; bad[i]; i++)
        assert_false(al_pbjson_duration(bad[i], &s, &ns));
    assert_true(al_pbjson_duration("-1.5s", &s, &ns));
    assert_int_equal(s, -1);
    assert_int_equal(ns, -500000000);
}

static struct al_ynode scalar(const char *text)
{
    struct al_ynode n = {0};
    n.str = text;
    n.len = strlen(text);
    n.kind = al_yscalar_resolve(text, n.len, &n.v.i, &n.v.f, &n.v.b);
    return n;
}

static void int32_numbers(void **state)
{
    (void)state;
    long long v;
    const char *ok[] = {"4",     "-1", "99",  "1.0",        "1e0",         "017",    "0x1F",
                        "1_000", "-0", "1E2", "2147483647", "-2147483648", "1e-400", NULL};
    for (size_t i = 0; ok[i]; i++) {
        struct al_ynode n = scalar(ok[i]);
        assert_true(al_pbjson_int32(&n, false, &v));
    }
    struct al_ynode n = scalar("017");
    assert_true(al_pbjson_int32(&n, false, &v));
    assert_int_equal(v, 15);
    const char *bad[] = {"1.5",  "2147483648", "-2147483649", "18446744073709551615",
                         "1e10", ".inf",       ".nan",        "yes",
                         "~",    "x",          NULL};
    for (size_t i = 0; bad[i]; i++) {
        n = scalar(bad[i]);
        assert_false(al_pbjson_int32(&n, false, &v));
    }
    /* A string holding a JSON number, for int32 fields (not for enums). */
    struct al_ynode s = {.kind = AL_YSTR, .str = "1e2", .len = 3};
    assert_false(al_pbjson_int32(&s, false, &v));
    assert_true(al_pbjson_int32(&s, true, &v));
    assert_int_equal(v, 100);
    const char *bad_strings[] = {"017", "+1", " 5", "0x1F", "1.5", "", NULL};
    for (size_t i = 0; bad_strings[i]; i++) {
        s.str = bad_strings[i];
        s.len = strlen(s.str);
        assert_false(al_pbjson_int32(&s, true, &v));
    }
}

static void float_overflow_is_a_string(void **state)
{
    (void)state;
    assert_int_equal(scalar("1e400").kind, AL_YSTR);
    assert_int_equal(scalar("-1e400").kind, AL_YSTR);
    assert_int_equal(scalar("1e308").kind, AL_YFLOAT);
    assert_int_equal(scalar("1e-400").kind, AL_YFLOAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(durations),
        cmocka_unit_test(int32_numbers),
        cmocka_unit_test(float_overflow_is_a_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
