/* Where results go: standard output, or a file written whole or not at all
 * (a temporary file next to it, renamed into place). */
#ifndef AL_OUTPUT_H
#define AL_OUTPUT_H

#include "common/buf.h"

/* Write `b` to `path` ("-" or NULL: standard output). Returns < 0 with a
 * sentence in al_error_last() on failure; the target is then untouched. */
int al_output_write(const char *path, const struct al_buf *b);

/* For standard output only: make `b` stream to it as it fills, so that a
 * long report is not held in memory; `error` (the caller's, set to 0) keeps
 * the first write error. Finish with al_output_write(NULL, b), which writes
 * the rest and reports any error of the whole stream. */
void al_output_stream_stdout(struct al_buf *b, int *error);

/* Before rendering into `b` for al_output_write(path, b): stream when the
 * target is standard output (path NULL or "-"), so that memory does not grow
 * with the output; a file is still written whole or not at all. For renderers
 * that cannot fail halfway. */
void al_output_begin(const char *path, struct al_buf *b, int *error);

#endif
