/* Shared by the libFuzzer targets: one target per parser entry point, each a
 * small fuzz_<name>.c with LLVMFuzzerTestOneInput. To add one, write the file
 * and add a line to fuzz/targets (its seeds); fuzz/build.sh builds every
 * fuzz/fuzz_*.c and `make fuzz-smoke` runs every target listed there. */
#ifndef AL_FUZZ_H
#define AL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The input as a NUL-terminated string (for parsers of C strings); stops at
 * the first NUL as a C caller would. Caller frees. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
