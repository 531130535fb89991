/* Turning libyaml's terse parse errors into a sentence a person understands,
 * at the position that explains the error (a tab, a committed merge-conflict
 * marker, a badly indented line). */
#ifndef AL_YSYNTAX_H
#define AL_YSYNTAX_H

#include <stddef.h>
#include <yaml.h>

#include "common/alloc.h"
#include "model/yaml.h"

/* Returns the message (allocated in `arena`) and sets *pos. */
const char *al_ysyntax_explain(const yaml_parser_t *parser, const char *data, size_t len,
                               struct al_arena *arena, struct al_ypos *pos);

/* The first line that is a merge-conflict marker (<<<<<<<, =======, >>>>>>>),
 * 1-based, or 0. */
size_t al_ysyntax_conflict_marker(const char *data, size_t len);

#endif
