/* Terminal colours for the text renderers: one palette, one helper. */
#ifndef AL_ANSI_H
#define AL_ANSI_H

#include <stdbool.h>

#include "common/buf.h"

#define AL_ANSI_RESET       "\033[0m"
#define AL_ANSI_BOLD        "\033[1m"
#define AL_ANSI_DIM         "\033[2m"
#define AL_ANSI_RED         "\033[31m"
#define AL_ANSI_GREEN       "\033[32m"
#define AL_ANSI_YELLOW      "\033[33m"
#define AL_ANSI_BOLD_RED    "\033[1;31m"
#define AL_ANSI_BOLD_YELLOW "\033[1;33m"
#define AL_ANSI_BOLD_CYAN   "\033[1;36m"

/* Append `code` when colour is on. */
static inline void al_ansi(struct al_buf *out, bool on, const char *code)
{
    if (on)
        al_buf_puts(out, code);
}

#endif
