/* Where configs come from: a git repository's working tree, its index (what
 * `git commit` would record), any revision straight from the object store,
 * or plain files. Reading never writes: no index refresh, no checkout, no
 * config change. Symbolic links and submodules are recorded, never followed.
 *
 * A source holds the files agentlint cares about:
 *   .agentlint.yaml                  (the root one only)
 *   .gitlab/agents/...               (agents, and anything next to them)
 *   <dir>/.gitlab/agents/...         (directories GitLab never reads) */
#ifndef AL_SOURCE_H
#define AL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

enum al_source_kind {
    AL_SRC_WORKTREE,
    AL_SRC_INDEX,
    AL_SRC_REVISION,
    AL_SRC_FILES,
};

enum al_file_kind {
    AL_FILE_REGULAR,
    AL_FILE_DIR,
    AL_FILE_SYMLINK,
    AL_FILE_SUBMODULE,
    AL_FILE_OTHER,    /* fifo, socket, device: never read */
    AL_FILE_CONFLICT, /* index: unmerged entry (stages 1-3 only) */
};

struct al_file {
    char *path; /* repository-relative, '/'-separated, valid UTF-8 */
    enum al_file_kind kind;
    char *data;          /* regular: contents (at most AL_SOURCE_MAX_READ bytes); symlink: target */
    size_t len;          /* bytes in data */
    size_t size;         /* real size of a regular file */
    bool truncated;      /* size > AL_SOURCE_MAX_READ */
    size_t *line_starts; /* byte offset of each line in data (regular files) */
    size_t n_lines;
};

enum { AL_SOURCE_MAX_READ = 8 * 1024 * 1024 };
/* What a repository source reads in all (files are read whole up to
 * AL_SOURCE_MAX_READ; a blob past it is sized from its header only). */
enum { AL_SOURCE_MAX_TOTAL = 64 * 1024 * 1024 };

struct al_repo; /* an opened repository */

struct al_source {
    enum al_source_kind kind;
    char *revision; /* hex commit id for AL_SRC_REVISION, else NULL */
    struct al_file *files;
    size_t n_files, cap_files;
    bool sorted;       /* files are in strcmp order of path: al_source_find bisects */
    size_t bytes_read; /* regular files' data read from a repository */
};

/* Open the repository containing `dir` (NULL: the current directory), as
 * git does. Fails with a sentence when it is not a repository. */
int al_repo_open(const char *dir, struct al_repo **out);
void al_repo_free(struct al_repo *repo);
bool al_repo_is_bare(const struct al_repo *repo);
bool al_repo_is_shallow(const struct al_repo *repo);
/* Working directory (with a trailing '/'), or NULL for a bare repository. */
const char *al_repo_workdir(const struct al_repo *repo);
/* A string from the repository's git config (e.g. remote.origin.url), or NULL. */
char *al_repo_config_string(struct al_repo *repo, const char *key);
/* Resolve a revision to a full hex commit id. */
int al_repo_resolve(struct al_repo *repo, const char *rev, char out[41]);
/* The best common ancestor of two commits (hex ids), as git merge-base:
 * its id in out. Fails with a sentence when there is none, naming the fetch
 * that brings it when the clone is shallow. */
int al_repo_merge_base(struct al_repo *repo, const char *a, const char *b, char out[41]);

/* The versions of one file along the first-parent history from `start` (a
 * revision), newest first: fn gets the commit and the file's bytes each time
 * the file differs from the version last given, and returns true to stop.
 * The walk ends where the file did not exist, after `max_commits` commits,
 * or at the end of a shallow history. Returns the commits walked, or < 0. */
typedef bool (*al_repo_version_fn)(void *ud, const char *sha, const char *data, size_t len);
int al_repo_file_versions(struct al_repo *repo, const char *start, const char *path,
                          size_t max_commits, al_repo_version_fn fn, void *ud);

/* Load a source from a repository: kind is WORKTREE, INDEX or REVISION. */
int al_source_load(struct al_repo *repo, enum al_source_kind kind, const char *rev,
                   struct al_source **out);
/* The regular files at or under each repository-relative `paths[i]` (a file
 * or a directory) in revision `rev`, bounded as al_source_load is; a path
 * that does not exist there adds nothing. For files named on the command
 * line (check --rbac), read at the revision the configs are read at. */
int al_source_load_paths(struct al_repo *repo, const char *rev, const char *const *paths, size_t n,
                         struct al_source **out);
/* Load plain files ("-" is standard input). */
int al_source_load_files(const char *const *paths, size_t n, struct al_source **out);
void al_source_free(struct al_source *src);
/* Free the files' contents and line indexes, keeping paths, kinds and
 * sizes: for a source whose run is done and whose view reads no text (diff
 * holds two revisions at once). al_file_line then finds no line. */
void al_source_forget_text(struct al_source *src);
/* Plain files inside the working tree `workdir` take their path relative to
 * it, as the repository's own files have (agent name, settings' ignore
 * globs, findings' paths); others keep the path given. */
void al_source_files_relative(struct al_source *src, const char *workdir);

/* A source built in memory, file by file (GitLab's vectors, fuzzing): what
 * a repository or plain files would have given. `data` is copied for regular
 * files and link targets and ignored for other kinds. */
struct al_source *al_source_new(enum al_source_kind kind);
struct al_file *al_source_add(struct al_source *src, const char *path, enum al_file_kind kind,
                              const char *data, size_t len);

/* Whether `path` lies under a look-alike of .gitlab/agents/ (.gitlab/agent/,
 * gitlab/agents/, .GitLab/Agents/, ...) that GitLab never reads. */
bool al_source_lookalike(const char *path);

const struct al_file *al_source_find(const struct al_source *src, const char *path);
/* Build a regular file's line index (al_source_load does it for every file;
 * callers that assemble a source in memory call it themselves). */
void al_file_index_lines(struct al_file *f);
/* Line `line` (1-based) of a regular file, without its newline and a final
 * \r, and without a leading byte-order mark; false when there is no such line. */
bool al_file_line(const struct al_file *f, unsigned line, const char **start, size_t *len);
const char *al_source_kind_name(enum al_source_kind kind); /* worktree|index|revision|files */

/* Add to `src` (al_source_new) the regular files of the index (kind INDEX)
 * or of revision `rev` that `pattern`, a repository-relative path, names:
 * that file, the .yaml/.yml/.json files directly inside that directory, or
 * the files of one directory matching a glob in the last component
 * ("deploy/rbac-*.yaml"). Read with the same bounds as a source. Returns
 * how many files matched, or < 0. Used for --rbac. */
int al_source_add_matching(struct al_repo *repo, enum al_source_kind kind, const char *rev,
                           const char *pattern, struct al_source *src);

#endif
