/* The sanitizer for terminals and logs (common/safe.h), and the escapers
 * that share its list of hidden characters (XML, Markdown): whatever bytes
 * come in, the output is valid UTF-8 with no control, bidirectional,
 * zero-width or other hidden character (XML and Markdown keep the newline
 * and tab they write as references out of the text too), and the text
 * format's width matches what it wrote. */
#include "fuzz/fuzz.h"
#include "cli/markdown.h"
#include "cli/render.h"
#include "common/safe.h"
#include "common/utf8.h"

static void check(const struct al_buf *b, const char *allowed)
{
    const char *s = al_buf_cstr(b);
    if (!al_utf8_valid(s, b->len))
        abort();
    for (size_t i = 0; i < b->len;) {
        int32_t cp;
        i += al_safe_decode(s + i, b->len - i, &cp);
        if (cp < 0)
            abort();
        if (al_safe_class((uint32_t)cp) != AL_SAFE_OK && !(cp < 0x80 && strchr(allowed, cp)))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    struct al_buf b = AL_BUF_INIT;
    al_safe_put(&b, in, size);
    check(&b, "");
    if (al_utf8_count(b.ptr ? b.ptr : "", b.len) != al_safe_width(in, size))
        abort();
    al_buf_clear(&b);
    al_render_xml_escape(&b, in, size, false);
    check(&b, "\t");
    al_buf_clear(&b);
    al_render_xml_escape(&b, in, size, true);
    check(&b, "");
    al_buf_clear(&b);
    char *s = fuzz_cstr(data, size);
    al_md_escape(&b, s);
    check(&b, "");
    free(s);
    al_buf_free(&b);
    return 0;
}
