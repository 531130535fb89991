/* Graphviz as a child process: the report's graph is the DOT of explain
 * (cli/render_explain_dot.c) laid out by `dot -Tsvg` when it is installed.
 * dot gets the DOT on standard input and writes the SVG on standard output;
 * nothing touches a file or a shell. */
#ifndef AL_GRAPHVIZ_H
#define AL_GRAPHVIZ_H

#include <stddef.h>

#include "common/buf.h"

/* Run `dot -Tsvg` (found on PATH) on `dot`, and append its standard output
 * to `svg`. Gives up after `timeout_ms` milliseconds (the child is killed)
 * or when the output passes `max_out` bytes. Returns < 0 with a sentence in
 * al_error_last() when dot is missing, fails, times out or writes no SVG;
 * `svg` is then left as it was. The caller must ignore SIGPIPE (main
 * does): dot may exit before it has read everything. */
int al_graphviz_svg(const char *dot, size_t len, int timeout_ms, size_t max_out,
                    struct al_buf *svg);

#endif
