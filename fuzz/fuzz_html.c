/* The report's HTML escaper (cli/html.h): whatever a config holds, text
 * and attribute values come out as valid UTF-8 without a character that
 * could open a tag or end an attribute, and without control characters
 * (text keeps tabs; <pre> text keeps tabs and newlines). */
#include "fuzz/fuzz.h"
#include "cli/html.h"
#include "common/utf8.h"

static void check(const struct al_buf *b, const char *allowed)
{
    const char *s = al_buf_cstr(b);
    if (!al_utf8_valid(s, b->len))
        abort();
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '<' || c == '>' || c == '"' || c == '\'')
            abort();
        if ((c < 0x20 || c == 0x7f) && !strchr(allowed, c))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    struct al_buf b = AL_BUF_INIT;
    al_html_text(&b, s);
    check(&b, "\t");
    al_buf_clear(&b);
    al_html_attr_value(&b, s);
    check(&b, "");
    al_buf_clear(&b);
    al_html_pre(&b, s, strlen(s));
    check(&b, "\t\n");
    al_buf_free(&b);
    free(s);
    return 0;
}
