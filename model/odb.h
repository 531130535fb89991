/* The object database agentlint gives libgit2: loose objects read by a
 * bounded inflate of our own, packs read by libgit2 behind a size check.
 *
 * Why: libgit2 1.5.1 loops for ever on a truncated loose object
 * (git_zstream_get_output retries while zlib, out of input, answers
 * Z_BUF_ERROR), and it allocates and inflates any object whole, whatever size
 * its header claims. A contributor controls the objects of the merge request
 * agentlint checks, so every object read is bounded here: a corrupt or
 * truncated object is an error in bounded time, an object larger than
 * AL_ODB_MAX_OBJECT is refused before it is inflated, and callers read a
 * blob's size from its header (git_odb_read_header, which inflates only the
 * header) before they read the blob. */
#ifndef AL_ODB_H
#define AL_ODB_H

#include <git2.h>

/* No tree, commit or configuration file agentlint needs comes near this. */
enum { AL_ODB_MAX_OBJECT = 32 * 1024 * 1024 };

/* Replace the object database of `git` with the bounded one: its objects
 * directory (or GIT_OBJECT_DIRECTORY, as git), its alternates and
 * GIT_ALTERNATE_OBJECT_DIRECTORIES. */
int al_odb_install(git_repository *git);

#endif
