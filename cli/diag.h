/* Diagnostics on standard error. Everything written there goes through
 * al_diag: the whole line is sanitized (common/safe.h), so a path, revision,
 * agent name, key or option value quoted in it can neither print control
 * sequences nor start a line of its own in a CI log. */
#ifndef AL_DIAG_H
#define AL_DIAG_H

#include <stdarg.h>

/* Format one line (no trailing newline in `fmt`: a newline inside is shown
 * as \x0a) and write it, sanitized, with a newline, to standard error. */
void al_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void al_diag_v(const char *fmt, va_list ap);

#endif
