/* The Markdown writer (cli/markdown.h): whatever a config holds, the text
 * and table-cell forms keep the invariant of fuzz/md_invariant.h (no
 * mention, reference or markup character outside a code span, one line,
 * no cell border from a value). */
#include "fuzz/fuzz.h"
#include "cli/markdown.h"
#include "fuzz/md_invariant.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    struct al_buf b = AL_BUF_INIT;
    al_md_escape(&b, s);
    if (md_invariant(al_buf_cstr(&b), b.len, false))
        abort();
    al_buf_clear(&b);
    al_md_escape_cell(&b, s);
    if (md_invariant(al_buf_cstr(&b), b.len, true))
        abort();
    al_buf_free(&b);
    free(s);
    return 0;
}
