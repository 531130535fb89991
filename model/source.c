#include "model/source.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/str.h"
#include "common/utf8.h"
#include "model/gitcli.h"
#include "model/odb.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct al_repo {
    git_repository *git;
};

static const char AGENTS[] = ".gitlab/agents/";
static const char SETTINGS[] = ".agentlint.yaml";

/* ---- libgit2 lifetime ---- */

static void git_init_once(void)
{
    static bool done;
    if (!done) {
        git_libgit2_init();
        /* libgit2 re-hashes every object it reads by default; git itself
         * does not (only fsck and fetch verify). We only read, and a blob's
         * SHA-1 cost a third of reading it: 9 MB of configs spent 300 M
         * instructions hashing. */
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
        /* Repository extensions libgit2 1.5 refuses although reading is
         * sound without them: a partial clone's missing objects are "not
         * found", config.worktree holds no setting agentlint reads, precious
         * objects only restrict gc. objectformat is let through to be
         * refused with a sentence of our own (al_repo_open). */
        static const char *extensions[] = {"partialclone", "worktreeconfig", "preciousobjects",
                                           "objectformat"};
        git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, extensions,
                         sizeof extensions / sizeof extensions[0]);
        done = true;
    }
}

static const char *git_msg(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

/* What to do about an object that cannot be read, unless the message says it. */
static const char *fsck_hint(void)
{
    return strstr(git_msg(), "git fsck")
               ? ""
               : "; the repository is incomplete or damaged: run git fsck";
}

/* ---- which paths we keep ---- */

/* One '/'-separated component of `path` equals `want`, ignoring ASCII case. */
static bool component_ieq(const char *c, size_t n, const char *want)
{
    return strlen(want) == n && strncasecmp(c, want, n) == 0;
}

bool al_source_lookalike(const char *path)
{
    const char *slash = strchr(path, '/');
    if (!slash || strncmp(path, AGENTS, sizeof AGENTS - 1) == 0 ||
        strcmp(path, ".gitlab/agents") == 0)
        return false;
    size_t n1 = (size_t)(slash - path);
    if (!component_ieq(path, n1, ".gitlab") && !component_ieq(path, n1, "gitlab"))
        return false;
    const char *c2 = slash + 1, *end = strchr(c2, '/');
    size_t n2 = end ? (size_t)(end - c2) : strlen(c2);
    return component_ieq(c2, n2, "agents") || component_ieq(c2, n2, "agent");
}

/* Whether `path` (repository-relative) is one we collect, or a directory
 * that may lead to one (for directory walks). */
static bool wanted(const char *path)
{
    if (al_source_lookalike(path))
        return true;
    if (strcmp(path, SETTINGS) == 0)
        return true;
    if (strncmp(path, AGENTS, sizeof AGENTS - 1) == 0)
        return true;
    if (strcmp(path, ".gitlab/agents") == 0)
        return true;
    const char *p = strstr(path, "/.gitlab/agents");
    return p && (p[15] == '\0' || p[15] == '/');
}

static struct al_file *add_file(struct al_source *src, const char *path, enum al_file_kind kind)
{
    src->files = al_grow(src->files, &src->cap_files, src->n_files + 1, sizeof(*src->files));
    struct al_file *f = &src->files[src->n_files++];
    src->sorted = false;
    memset(f, 0, sizeof(*f));
    f->path = al_utf8_sanitize(path, strlen(path));
    f->kind = kind;
    return f;
}

static void set_data(struct al_file *f, const void *data, size_t size)
{
    f->size = size;
    f->truncated = size > AL_SOURCE_MAX_READ;
    f->len = f->truncated ? AL_SOURCE_MAX_READ : size;
    f->data = al_malloc(f->len + 1);
    if (f->len)
        memcpy(f->data, data, f->len);
    f->data[f->len] = '\0';
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct al_file *)a)->path, ((const struct al_file *)b)->path);
}

/* Every line start, once: findings and snippets look lines up by number. */
void al_file_index_lines(struct al_file *f)
{
    if (f->kind != AL_FILE_REGULAR || !f->data || f->line_starts)
        return;
    size_t cap = 0;
    f->line_starts = al_grow(NULL, &cap, 64, sizeof(size_t));
    f->line_starts[f->n_lines++] = 0;
    for (const char *p = f->data, *end = f->data + f->len;
         (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) {
        f->line_starts = al_grow(f->line_starts, &cap, f->n_lines + 1, sizeof(size_t));
        f->line_starts[f->n_lines++] = (size_t)(p - f->data) + 1;
    }
}

static void finish(struct al_source *src, bool sort)
{
    if (sort && src->n_files > 1)
        al_qsort(src->files, src->n_files, sizeof(*src->files), by_path);
    src->sorted = sort;
    for (size_t i = 0; i < src->n_files; i++)
        al_file_index_lines(&src->files[i]);
}

bool al_file_line(const struct al_file *f, unsigned line, const char **start, size_t *len)
{
    if (!f || !f->line_starts || line == 0 || line > f->n_lines)
        return false;
    size_t s = f->line_starts[line - 1];
    size_t e = line < f->n_lines ? f->line_starts[line] - 1 : f->len;
    if (s > e) /* a final line that is empty */
        return false;
    if (line == 1 && e - s >= 3 && memcmp(f->data, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    if (e > s && f->data[e - 1] == '\r')
        e--;
    *start = f->data + s;
    *len = e - s;
    return true;
}

const struct al_file *al_source_find(const struct al_source *src, const char *path)
{
    /* Renderers and suppressions look up the file of every finding: bisect a
     * repository's sorted files (the first of equal paths, as the scan). */
    if (src->sorted) {
        size_t lo = 0, hi = src->n_files;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(src->files[mid].path, path) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < src->n_files && strcmp(src->files[lo].path, path) == 0 ? &src->files[lo] : NULL;
    }
    for (size_t i = 0; i < src->n_files; i++)
        if (strcmp(src->files[i].path, path) == 0)
            return &src->files[i];
    return NULL;
}

/* ---- repository ---- */

/* `name` from the environment, made absolute from `base` as git does after -C. */
static char *env_path(const char *name, const char *base)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return NULL;
    struct al_buf b = AL_BUF_INIT;
    if (v[0] == '/' || !base)
        al_buf_puts(&b, v);
    else
        al_buf_printf(&b, "%s/%s", base, v);
    return al_buf_detach(&b);
}

static int not_a_repository(const char *dir)
{
    const char *why = git_msg();
    if (strstr(why, "unsupported extension"))
        return al_error_set("this repository uses a git extension that agentlint's git library "
                            "(libgit2 1.5) cannot read (%s); check a clone made without it",
                            why);
    if (getenv("GIT_DIR") && *getenv("GIT_DIR"))
        return al_error_set("GIT_DIR names %s, which is not a git repository; unset GIT_DIR or "
                            "point it at one",
                            getenv("GIT_DIR"));
    if (dir)
        return al_error_set("%s is not a git repository (or inside one); pass a repository "
                            "with -C, or config files as arguments",
                            dir);
    return al_error_set("the current directory is not inside a git repository; run "
                        "agentlint in one, pass -C DIR, or give config files as arguments");
}

/* Whether `dir` is already the working tree: libgit2 1.5.1's set_workdir
 * leaks when asked to set the one it has. */
static bool same_workdir(git_repository *git, const char *dir)
{
    const char *wd = git_repository_workdir(git);
    char *real = realpath(dir, NULL);
    bool same =
        wd && real && strncmp(wd, real, strlen(real)) == 0 && strcmp(wd + strlen(real), "/") == 0;
    free(real);
    return same;
}

/* GIT_DIR, GIT_WORK_TREE and GIT_CEILING_DIRECTORIES as git reads them:
 * GIT_DIR skips discovery; its working tree is GIT_WORK_TREE, else
 * core.worktree, else (unless the repository is bare) the current
 * directory. */
static int open_from_env(const char *start, git_repository **git)
{
    char *gitdir = env_path("GIT_DIR", start);
    const char *ceiling = getenv("GIT_CEILING_DIRECTORIES");
    int rc = gitdir ? git_repository_open_ext(git, gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)
                    : git_repository_open_ext(git, start, 0, ceiling);
    free(gitdir);
    if (rc < 0)
        return rc;
    char *worktree = env_path("GIT_WORK_TREE", start);
    if (!worktree && getenv("GIT_DIR") && *getenv("GIT_DIR") && !git_repository_is_bare(*git)) {
        git_config *cfg = NULL;
        git_config_entry *e = NULL;
        bool configured = git_repository_config_snapshot(&cfg, *git) == 0 &&
                          git_config_get_entry(&e, cfg, "core.worktree") == 0;
        git_config_entry_free(e);
        git_config_free(cfg);
        git_error_clear();
        if (!configured)
            worktree = realpath(start, NULL);
    }
    if (worktree) {
        struct stat st;
        if (stat(worktree, &st) != 0 || !S_ISDIR(st.st_mode))
            rc = al_error_set("GIT_WORK_TREE names %s, which is not a directory", worktree);
        else if (!same_workdir(*git, worktree) && git_repository_set_workdir(*git, worktree, 0) < 0)
            rc = al_error_set("cannot use %s as the working tree: %s", worktree, git_msg());
        free(worktree);
    }
    return rc;
}

/* extensions.objectformat other than sha1: object ids libgit2 1.5 cannot parse. */
static bool sha256(git_repository *git)
{
    git_config *cfg = NULL;
    const char *fmt = NULL;
    bool other = git_repository_config_snapshot(&cfg, git) == 0 &&
                 git_config_get_string(&fmt, cfg, "extensions.objectformat") == 0 &&
                 strcasecmp(fmt, "sha1") != 0;
    git_config_free(cfg);
    git_error_clear();
    return other;
}

int al_repo_open(const char *dir, struct al_repo **out)
{
    git_init_once();
    *out = NULL;
    git_repository *git = NULL;
    const char *start = dir ? dir : ".";
    struct stat st;
    if (dir && stat(dir, &st) != 0)
        return al_error_set("cannot open %s: %s", dir, strerror(errno));
    if (open_from_env(start, &git) < 0) {
        bool opened = git != NULL; /* then the sentence is set */
        git_repository_free(git);
        return opened ? AL_ERR : not_a_repository(dir);
    }
    if (sha256(git)) {
        git_repository_free(git);
        return al_error_set("this repository stores SHA-256 object ids, which agentlint's git "
                            "library (libgit2 1.5) cannot read; check a SHA-1 clone, or pipe a "
                            "file in: git show REV:.gitlab/agents/NAME/config.yaml | agentlint "
                            "check --agent NAME -");
    }
    if (al_odb_install(git) < 0) {
        git_repository_free(git);
        return AL_ERR;
    }
    struct al_repo *r = al_calloc(1, sizeof(*r));
    r->git = git;
    *out = r;
    return 0;
}

void al_repo_free(struct al_repo *repo)
{
    if (!repo)
        return;
    git_repository_free(repo->git);
    free(repo);
}

bool al_repo_is_bare(const struct al_repo *repo)
{
    return git_repository_is_bare(repo->git);
}

bool al_repo_is_shallow(const struct al_repo *repo)
{
    return git_repository_is_shallow(repo->git) == 1;
}

const char *al_repo_workdir(const struct al_repo *repo)
{
    return git_repository_workdir(repo->git);
}

char *al_repo_config_string(struct al_repo *repo, const char *key)
{
    git_config *cfg = NULL, *snap = NULL;
    char *out = NULL;
    const char *val;
    if (git_repository_config(&cfg, repo->git) == 0 && git_config_snapshot(&snap, cfg) == 0 &&
        git_config_get_string(&val, snap, key) == 0)
        out = al_strdup(val);
    git_config_free(snap);
    git_config_free(cfg);
    git_error_clear();
    return out;
}

/* A reference's object read before git_revparse_single is asked: libgit2
 * 1.5.1's revparse_lookup_object leaks the reference when the object it
 * names cannot be read (damaged, or missing). */
static int read_named_object(struct al_repo *repo, const char *rev)
{
    git_reference *ref = NULL, *resolved = NULL;
    git_object *obj = NULL;
    int rc = 0;
    if (git_reference_dwim(&ref, repo->git, rev) == 0 &&
        git_reference_resolve(&resolved, ref) == 0 &&
        git_object_lookup(&obj, repo->git, git_reference_target(resolved), GIT_OBJECT_ANY) < 0)
        rc = al_error_set("cannot read revision '%s': %s%s", rev, git_msg(), fsck_hint());
    git_object_free(obj);
    git_reference_free(resolved);
    git_reference_free(ref);
    git_error_clear();
    return rc;
}

static int lookup_commit(struct al_repo *repo, const char *rev, git_commit **commit)
{
    git_object *obj = NULL;
    if (read_named_object(repo, rev) < 0)
        return AL_ERR;
    int found = git_revparse_single(&obj, repo->git, rev);
    const git_error *ge = git_error_last();
    if (found < 0 && found != GIT_ENOTFOUND && found != GIT_EAMBIGUOUS && ge &&
        ge->klass == GIT_ERROR_ODB)
        return al_error_set("cannot read revision '%s': %s", rev, git_msg());
    if (found < 0) {
        bool unborn = git_repository_head_unborn(repo->git) == 1;
        git_error_clear();
        if (unborn && (strcmp(rev, "HEAD") == 0 || strcmp(rev, "@") == 0))
            return al_error_set("revision '%s' does not exist yet: the repository has no commits",
                                rev);
        if (al_repo_is_shallow(repo))
            return al_error_set("unknown revision '%s': this is a shallow clone that may not "
                                "contain it; fetch more history (git fetch --unshallow, or "
                                "GIT_DEPTH: 0 in GitLab CI)",
                                rev);
        return al_error_set("unknown revision '%s': it is not a branch, tag or commit of this "
                            "repository",
                            rev);
    }
    int rc = git_object_peel((git_object **)commit, obj, GIT_OBJECT_COMMIT);
    git_object_free(obj);
    if (rc < 0) {
        git_error_clear();
        return al_error_set("revision '%s' does not name a commit", rev);
    }
    return 0;
}

int al_repo_resolve(struct al_repo *repo, const char *rev, char out[41])
{
    git_commit *commit;
    if (lookup_commit(repo, rev, &commit) < 0)
        return AL_ERR;
    git_oid_tostr(out, 41, git_commit_id(commit));
    git_commit_free(commit);
    return 0;
}

int al_repo_merge_base(struct al_repo *repo, const char *a, const char *b, char out[41])
{
    git_oid oa, ob, base;
    if (git_oid_fromstr(&oa, a) < 0 || git_oid_fromstr(&ob, b) < 0) {
        git_error_clear();
        return al_error_set("internal error: not a commit id");
    }
    int rc = git_merge_base(&base, repo->git, &oa, &ob);
    if (rc == 0) {
        git_oid_tostr(out, 41, &base);
        return 0;
    }
    const git_error *e = git_error_last();
    char *detail = al_strdup(rc == GIT_ENOTFOUND || !e ? "" : e->message);
    git_error_clear();
    /* A shallow clone's walk stops at, or fails on, a missing parent. */
    if (al_repo_is_shallow(repo))
        rc = al_error_set("%.12s and %.12s have no merge base in this shallow clone: fetch more "
                          "history with git fetch --deepen=100 origin (or git fetch --unshallow "
                          "origin), or set GIT_DEPTH: 0 in the job's variables in GitLab CI",
                          a, b);
    else if (rc == GIT_ENOTFOUND)
        rc = al_error_set("%.12s and %.12s have no common history: compare the two revisions "
                          "with BASE..HEAD instead",
                          a, b);
    else
        rc = al_error_set("cannot compute the merge base of %.12s and %.12s: %s", a, b, detail);
    free(detail);
    return rc;
}

/* The blob of `path` in commit `id` into *blob (NULL when absent). */
static int blob_at(struct al_repo *repo, const git_oid *id, const char *path, git_blob **blob)
{
    git_commit *c = NULL;
    git_tree *tree = NULL;
    git_tree_entry *te = NULL;
    *blob = NULL;
    int rc = git_commit_lookup(&c, repo->git, id);
    if (rc == 0)
        rc = git_commit_tree(&tree, c);
    if (rc == 0 && git_tree_entry_bypath(&te, tree, path) == 0 &&
        git_tree_entry_type(te) == GIT_OBJECT_BLOB)
        rc = git_blob_lookup(blob, repo->git, git_tree_entry_id(te));
    git_tree_entry_free(te);
    git_tree_free(tree);
    git_commit_free(c);
    git_error_clear();
    return rc;
}

int al_repo_file_versions(struct al_repo *repo, const char *start, const char *path,
                          size_t max_commits, al_repo_version_fn fn, void *ud)
{
    git_oid from, last = {{0}};
    git_revwalk *walk = NULL;
    if (git_oid_fromstr(&from, start) < 0 || git_revwalk_new(&walk, repo->git) < 0 ||
        git_revwalk_push(walk, &from) < 0) {
        git_revwalk_free(walk);
        git_error_clear();
        return al_error_set("cannot walk the history from %.12s", start);
    }
    git_revwalk_simplify_first_parent(walk);
    int walked = 0;
    bool have_last = false, stop = false;
    git_oid id;
    while (!stop && (size_t)walked < max_commits && git_revwalk_next(&id, walk) == 0) {
        git_blob *blob;
        if (blob_at(repo, &id, path, &blob) < 0 || !blob)
            break; /* the file did not exist yet (or the clone is shallow here) */
        walked++;
        if (!have_last || !git_oid_equal(&last, git_blob_id(blob))) {
            char sha[41];
            git_oid_tostr(sha, sizeof sha, &id);
            git_oid_cpy(&last, git_blob_id(blob));
            have_last = true;
            stop = fn(ud, sha, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
        }
        git_blob_free(blob);
    }
    git_revwalk_free(walk);
    git_error_clear();
    return walked;
}

/* ---- revision: walk the commit's tree ---- */

struct tree_walk {
    struct al_repo *repo;
    struct al_source *src;
    int error;
};

/* Every file is capped (AL_SOURCE_MAX_READ), and so is their sum: one small
 * blob named from a thousand paths would otherwise be read a thousand times. */
static int charge(struct al_source *src, size_t n, const char *path)
{
    if (n > AL_SOURCE_MAX_TOTAL - src->bytes_read)
        return al_error_set("stopped at %s: the files under .gitlab/agents/ hold more than %d MiB "
                            "together, more than agentlint reads; GitLab reads only each agent's "
                            "config.yaml (at most 128 KiB): remove the other large files",
                            path, AL_SOURCE_MAX_TOTAL >> 20);
    src->bytes_read += n;
    return 0;
}

/* The size first, from the object's header (which inflates only the header):
 * a blob past AL_SOURCE_MAX_READ is recorded by its size and never read, so
 * a small object that inflates to gigabytes costs nothing. */
static int read_blob(struct al_repo *repo, struct al_source *src, const git_oid *id,
                     struct al_file *f)
{
    git_odb *odb;
    size_t size;
    git_object_t type;
    if (git_repository_odb(&odb, repo->git) < 0)
        return al_error_set("cannot open the object store: %s", git_msg());
    int rc = git_odb_read_header(&size, &type, odb, id);
    git_odb_free(odb);
    if (rc < 0)
        return al_error_set("cannot read %s from the object store: %s%s", f->path, git_msg(),
                            fsck_hint());
    if (type != GIT_OBJECT_BLOB)
        return al_error_set("cannot read %s: the repository records it as a file, but its object "
                            "is a %s; run git fsck",
                            f->path, git_object_type2string(type));
    if (size > AL_SOURCE_MAX_READ) {
        set_data(f, "", 0);
        f->size = size;
        f->truncated = true;
        return 0;
    }
    if (charge(src, size, f->path) < 0)
        return AL_ERR;
    git_blob *blob;
    if (git_blob_lookup(&blob, repo->git, id) < 0)
        return al_error_set("cannot read %s from the object store: %s%s", f->path, git_msg(),
                            fsck_hint());
    set_data(f, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
    git_blob_free(blob);
    return 0;
}

static enum al_file_kind kind_of_mode(unsigned mode)
{
    switch (mode) {
    case GIT_FILEMODE_BLOB:
    case GIT_FILEMODE_BLOB_EXECUTABLE:
        return AL_FILE_REGULAR;
    case GIT_FILEMODE_TREE:
        return AL_FILE_DIR;
    case GIT_FILEMODE_LINK:
        return AL_FILE_SYMLINK;
    case GIT_FILEMODE_COMMIT:
        return AL_FILE_SUBMODULE;
    default:
        return AL_FILE_OTHER;
    }
}

/* .gitlab itself committed as a link or a submodule: GitLab sees no agents. */
static bool gitlab_not_a_dir(const char *path, enum al_file_kind kind)
{
    return strcmp(path, ".gitlab") == 0 && (kind == AL_FILE_SYMLINK || kind == AL_FILE_SUBMODULE);
}

static int tree_cb(const char *root, const git_tree_entry *entry, void *payload)
{
    struct tree_walk *tw = payload;
    struct al_buf path = AL_BUF_INIT;
    al_buf_printf(&path, "%s%s", root, git_tree_entry_name(entry));
    const char *p = al_buf_cstr(&path);
    enum al_file_kind kind = kind_of_mode(git_tree_entry_filemode(entry));
    if (wanted(p) || gitlab_not_a_dir(p, kind)) {
        struct al_file *f = add_file(tw->src, p, kind);
        if (kind == AL_FILE_REGULAR || kind == AL_FILE_SYMLINK) {
            if (read_blob(tw->repo, tw->src, git_tree_entry_id(entry), f) < 0) {
                tw->error = AL_ERR;
                al_buf_free(&path);
                return -1;
            }
        }
    }
    al_buf_free(&path);
    return 0;
}

static int load_revision(struct al_repo *repo, const char *rev, struct al_source *src)
{
    git_commit *commit;
    git_tree *tree;
    if (lookup_commit(repo, rev, &commit) < 0)
        return AL_ERR;
    char hex[41];
    git_oid_tostr(hex, sizeof hex, git_commit_id(commit));
    src->revision = al_strdup(hex);
    int rc = git_commit_tree(&tree, commit);
    git_commit_free(commit);
    if (rc < 0)
        return al_error_set("cannot read the tree of %s: %s%s", rev, git_msg(), fsck_hint());
    struct tree_walk tw = {repo, src, 0};
    rc = git_tree_walk(tree, GIT_TREEWALK_PRE, tree_cb, &tw);
    git_tree_free(tree);
    if (tw.error)
        return tw.error;
    if (rc < 0)
        return al_error_set("cannot walk the tree of %s: %s%s", rev, git_msg(), fsck_hint());
    return 0;
}

/* ---- revision: chosen paths (RBAC files named on the command line) ---- */

struct paths_walk {
    struct al_repo *repo;
    struct al_source *src;
    const char *prefix; /* the directory asked for, with its '/' */
    int error;
};

static int paths_cb(const char *root, const git_tree_entry *entry, void *payload)
{
    struct paths_walk *pw = payload;
    if (git_tree_entry_filemode(entry) != GIT_FILEMODE_BLOB &&
        git_tree_entry_filemode(entry) != GIT_FILEMODE_BLOB_EXECUTABLE)
        return 0; /* links and submodules are never followed */
    struct al_buf path = AL_BUF_INIT;
    al_buf_printf(&path, "%s%s%s", pw->prefix, root, git_tree_entry_name(entry));
    struct al_file *f = add_file(pw->src, al_buf_cstr(&path), AL_FILE_REGULAR);
    al_buf_free(&path);
    if (read_blob(pw->repo, pw->src, git_tree_entry_id(entry), f) < 0) {
        pw->error = AL_ERR;
        return -1;
    }
    return 0;
}

static int add_tree_path(struct al_repo *repo, git_tree *tree, const char *path,
                         struct al_source *src)
{
    git_tree_entry *te = NULL;
    if (!*path || git_tree_entry_bypath(&te, tree, path) < 0) {
        git_error_clear();
        return 0; /* not at this revision: nothing from it */
    }
    int rc = 0;
    git_filemode_t mode = git_tree_entry_filemode(te);
    if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
        rc = read_blob(repo, src, git_tree_entry_id(te), add_file(src, path, AL_FILE_REGULAR));
    } else if (mode == GIT_FILEMODE_TREE) {
        git_tree *sub;
        struct al_buf prefix = AL_BUF_INIT;
        al_buf_printf(&prefix, "%s/", path);
        struct paths_walk pw = {repo, src, al_buf_cstr(&prefix), 0};
        if (git_tree_lookup(&sub, repo->git, git_tree_entry_id(te)) < 0) {
            rc = al_error_set("cannot read the directory %s: %s%s", path, git_msg(), fsck_hint());
        } else {
            int wrc = git_tree_walk(sub, GIT_TREEWALK_PRE, paths_cb, &pw);
            rc = pw.error  ? pw.error
                 : wrc < 0 ? al_error_set("cannot walk the directory %s: %s%s", path, git_msg(),
                                          fsck_hint())
                           : 0;
            git_tree_free(sub);
        }
        al_buf_free(&prefix);
    }
    git_tree_entry_free(te);
    return rc;
}

int al_source_load_paths(struct al_repo *repo, const char *rev, const char *const *paths, size_t n,
                         struct al_source **out)
{
    struct al_source *src = al_source_new(AL_SRC_REVISION);
    *out = src;
    git_commit *commit;
    git_tree *tree;
    if (lookup_commit(repo, rev, &commit) < 0)
        return AL_ERR;
    char hex[41];
    git_oid_tostr(hex, sizeof hex, git_commit_id(commit));
    src->revision = al_strdup(hex);
    int rc = git_commit_tree(&tree, commit);
    git_commit_free(commit);
    if (rc < 0)
        return al_error_set("cannot read the tree of %s: %s%s", rev, git_msg(), fsck_hint());
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = add_tree_path(repo, tree, paths[i], src);
    git_tree_free(tree);
    for (size_t i = 0; rc == 0 && i < src->n_files; i++)
        al_file_index_lines(&src->files[i]);
    return rc;
}

/* ---- index ---- */

/* One index entry, from libgit2 or from `git ls-files`. */
struct ientry {
    const char *path;
    unsigned mode;
    git_oid id;
    int stage;
    bool skip_worktree; /* outside a sparse checkout: not in the working tree */
};

typedef int (*ientry_fn)(struct al_repo *repo, const struct ientry *e, void *payload);

static bool index_file_named(void)
{
    const char *alt = getenv("GIT_INDEX_FILE");
    return alt && *alt;
}

/* `git commit -a` and `git commit PATH` stage into a temporary index and name
 * it in GIT_INDEX_FILE for the hooks they run; honour it as git does. One
 * that does not exist is an error: libgit2 would read it as empty, and an
 * empty index passes silently. */
static int open_index(struct al_repo *repo, git_index **index)
{
    *index = NULL;
    if (index_file_named()) {
        const char *alt = getenv("GIT_INDEX_FILE");
        struct stat st;
        bool exists = stat(alt, &st) == 0;
        if (!exists || !S_ISREG(st.st_mode))
            return al_error_set("GIT_INDEX_FILE names %s, which is not an index file (%s); unset "
                                "it, or name the index to check",
                                alt, exists ? "not a regular file" : strerror(errno));
        return git_index_open(index, alt) < 0 ? 1 : 0;
    }
    return git_repository_index(index, repo->git) < 0 ? 1 : 0;
}

static int index_foreach_libgit2(struct al_repo *repo, git_index *index, ientry_fn fn,
                                 void *payload)
{
    size_t n = git_index_entrycount(index);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const git_index_entry *ge = git_index_get_byindex(index, i);
        struct ientry e = {ge->path, ge->mode, ge->id, git_index_entry_stage(ge),
                           (ge->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0};
        rc = fn(repo, &e, payload);
    }
    return rc;
}

/* "TAG MODE OID STAGE\tPATH" from `git ls-files --stage -t -z`. */
static bool parse_ls_files(const char *rec, size_t len, struct ientry *e)
{
    const char *tab = memchr(rec, '\t', len);
    char hex[GIT_OID_HEXSZ + 1];
    unsigned mode;
    int stage, used = 0;
    char tag;
    if (!tab || sscanf(rec, "%c %o %40s %d%n", &tag, &mode, hex, &stage, &used) != 4 ||
        rec + used != tab || git_oid_fromstr(&e->id, hex) < 0)
        return false;
    e->path = tab + 1;
    e->mode = mode;
    e->stage = stage;
    e->skip_worktree = tag == 'S';
    return true;
}

/* Split and sparse indexes: libgit2 1.5 refuses their mandatory extensions
 * ("link", "sdir"); git reads them, expanding a sparse index's directories. */
static int index_foreach_git(struct al_repo *repo, ientry_fn fn, void *payload)
{
    static const char *const args[] = {"ls-files", "--stage", "-t", "-z", NULL};
    struct al_gitcli *g;
    if (al_gitcli_start(git_repository_path(repo->git), git_repository_workdir(repo->git),
                        "read the index", args, &g) < 0)
        return AL_ERR;
    const char *rec;
    size_t len;
    int rc = 0, more;
    while (rc == 0 && (more = al_gitcli_next(g, &rec, &len)) > 0) {
        struct ientry e;
        rc = parse_ls_files(rec, len, &e)
                 ? fn(repo, &e, payload)
                 : al_error_set("cannot read the index: git ls-files wrote an unexpected line");
    }
    if (rc == 0 && more < 0)
        rc = al_error_set("cannot read the index: reading git ls-files failed");
    int frc = al_gitcli_finish(g, rc < 0);
    return rc < 0 ? rc : frc;
}

static int index_foreach(struct al_repo *repo, ientry_fn fn, void *payload)
{
    git_index *index;
    int rc = open_index(repo, &index);
    if (rc < 0)
        return rc;
    if (rc > 0) {
        git_error_clear();
        return index_foreach_git(repo, fn, payload);
    }
    rc = index_foreach_libgit2(repo, index, fn, payload);
    git_index_free(index);
    return rc;
}

/* Directories are implicit in the index: record those we care about. Entries
 * come sorted, so a directory already recorded is a prefix of `prev`. */
static void add_parent_dirs(struct al_source *src, const char *path, const char *prev)
{
    for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
        size_t n = (size_t)(p - path) + 1;
        if (prev && strncmp(prev, path, n) == 0)
            continue;
        char *d = al_strndup(path, n - 1);
        if (wanted(d) && (prev || !al_source_find(src, d)))
            add_file(src, d, AL_FILE_DIR);
        free(d);
    }
}

struct index_walk {
    struct al_source *src;
    char *prev;  /* the last path recorded */
    bool sorted; /* src holds only this walk's entries, in index order */
};

static void walk_recorded(struct index_walk *w, const char *path)
{
    free(w->prev);
    w->prev = al_strdup(path);
}

static int record_entry(struct al_repo *repo, struct index_walk *w, const struct ientry *e)
{
    enum al_file_kind kind = e->stage > 0 ? AL_FILE_CONFLICT : kind_of_mode(e->mode);
    if (!wanted(e->path) && !gitlab_not_a_dir(e->path, kind))
        return 0;
    if (e->stage > 0 && w->prev && strcmp(w->prev, e->path) == 0)
        return 0; /* the other stages of the same conflict */
    add_parent_dirs(w->src, e->path, w->sorted ? w->prev : NULL);
    struct al_file *f = add_file(w->src, e->path, kind);
    walk_recorded(w, e->path);
    if (kind == AL_FILE_REGULAR || kind == AL_FILE_SYMLINK)
        return read_blob(repo, w->src, &e->id, f);
    return 0;
}

static int index_entry(struct al_repo *repo, const struct ientry *e, void *payload)
{
    return record_entry(repo, payload, e);
}

static int load_index(struct al_repo *repo, struct al_source *src)
{
    if (al_repo_is_bare(repo) && !index_file_named())
        return al_error_set("a bare repository has no index to check; use --rev REV");
    struct index_walk w = {src, NULL, true};
    int rc = index_foreach(repo, index_entry, &w);
    free(w.prev);
    return rc;
}

/* ---- working tree ---- */

static int read_disk_file(struct al_source *src, const char *abs, struct al_file *f)
{
    int fd = open(abs, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return al_error_set("cannot read %s: %s", f->path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return al_error_set("cannot read %s: not a regular file", f->path);
    }
    size_t size = (size_t)st.st_size;
    size_t want = size > AL_SOURCE_MAX_READ ? AL_SOURCE_MAX_READ : size;
    if (charge(src, want, f->path) < 0) {
        close(fd);
        return AL_ERR;
    }
    char *buf = al_malloc(want + 1);
    size_t got = 0;
    while (got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    f->data = buf;
    f->len = got;
    f->size = size;
    f->truncated = size > AL_SOURCE_MAX_READ;
    return 0;
}

static bool ignored(struct al_repo *repo, const char *path)
{
    int ign = 0;
    if (git_ignore_path_is_ignored(&ign, repo->git, path) < 0) {
        git_error_clear();
        return false;
    }
    return ign == 1;
}

/* A directory holding .git is another repository: `git add` records a
 * submodule (gitlink) there, never its files. */
static bool is_submodule_dir(const char *abs)
{
    struct al_buf gitlink = AL_BUF_INIT;
    al_buf_printf(&gitlink, "%s/.git", abs);
    struct stat st;
    bool found = lstat(al_buf_cstr(&gitlink), &st) == 0;
    al_buf_free(&gitlink);
    return found;
}

/* Record one path from disk (lstat: links are never followed). */
static int add_disk_path(struct al_repo *repo, struct al_source *src, const char *rel, int depth)
{
    struct al_buf abs = AL_BUF_INIT;
    al_buf_printf(&abs, "%s%s", al_repo_workdir(repo), rel);
    struct stat st;
    int rc = 0;
    if (lstat(al_buf_cstr(&abs), &st) != 0) {
        al_buf_free(&abs);
        return 0; /* deleted in the working tree */
    }
    if (ignored(repo, rel)) {
        al_buf_free(&abs);
        return 0;
    }
    if (S_ISLNK(st.st_mode)) {
        struct al_file *f = add_file(src, rel, AL_FILE_SYMLINK);
        char target[4096];
        ssize_t n = readlink(al_buf_cstr(&abs), target, sizeof target - 1);
        set_data(f, target, n > 0 ? (size_t)n : 0);
    } else if (S_ISREG(st.st_mode)) {
        struct al_file *f = add_file(src, rel, AL_FILE_REGULAR);
        rc = read_disk_file(src, al_buf_cstr(&abs), f);
    } else if (S_ISDIR(st.st_mode)) {
        bool submodule = is_submodule_dir(al_buf_cstr(&abs));
        add_file(src, rel, submodule ? AL_FILE_SUBMODULE : AL_FILE_DIR);
        DIR *d = submodule || depth > 16 ? NULL : opendir(al_buf_cstr(&abs));
        struct dirent *de;
        while (d && rc == 0 && (de = readdir(d))) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            struct al_buf child = AL_BUF_INIT;
            al_buf_printf(&child, "%s/%s", rel, de->d_name);
            rc = add_disk_path(repo, src, al_buf_cstr(&child), depth + 1);
            al_buf_free(&child);
        }
        if (d)
            closedir(d);
    } else {
        add_file(src, rel, AL_FILE_OTHER);
    }
    al_buf_free(&abs);
    return rc;
}

/* The index's part of the working tree: nested .gitlab/agents directories
 * (tracked files, read from disk), and what a sparse checkout leaves out of
 * the working tree (skip-worktree entries: read from the index, which is
 * what a commit records for them). */
static int worktree_entry(struct al_repo *repo, const struct ientry *e, void *payload)
{
    struct index_walk *w = payload;
    if (e->skip_worktree || e->stage > 0) {
        if ((wanted(e->path) || strcmp(e->path, ".gitlab") == 0) &&
            !al_source_find(w->src, e->path))
            return record_entry(repo, w, e);
        return 0;
    }
    if (strncmp(e->path, AGENTS, sizeof AGENTS - 1) == 0 || !wanted(e->path) ||
        strcmp(e->path, SETTINGS) == 0 || al_source_find(w->src, e->path))
        return 0;
    add_parent_dirs(w->src, e->path, NULL);
    walk_recorded(w, e->path);
    return add_disk_path(repo, w->src, e->path, 1);
}

/* Entries of directory `abs` whose name is one of `names` (ASCII case
 * ignored), each passed to `fn` with its repository-relative path. */
static int each_named(const char *abs, const char *rel, const char *const *names,
                      int (*fn)(struct al_repo *, struct al_source *, const char *, const char *),
                      struct al_repo *repo, struct al_source *src)
{
    DIR *d = opendir(abs);
    struct dirent *de;
    int rc = 0;
    while (d && rc == 0 && (de = readdir(d))) {
        bool match = false;
        for (size_t i = 0; names[i] && !match; i++)
            match = strcasecmp(de->d_name, names[i]) == 0;
        if (!match)
            continue;
        struct al_buf a = AL_BUF_INIT, r = AL_BUF_INIT;
        al_buf_printf(&a, "%s/%s", abs, de->d_name);
        al_buf_printf(&r, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        rc = fn(repo, src, al_buf_cstr(&a), al_buf_cstr(&r));
        al_buf_free(&a);
        al_buf_free(&r);
    }
    if (d)
        closedir(d);
    return rc;
}

static int add_lookalike(struct al_repo *repo, struct al_source *src, const char *abs,
                         const char *rel)
{
    (void)abs;
    return al_source_lookalike(rel) ? add_disk_path(repo, src, rel, 1) : 0;
}

static int lookalike_top(struct al_repo *repo, struct al_source *src, const char *abs,
                         const char *rel)
{
    static const char *const agents[] = {"agents", "agent", NULL};
    struct stat st;
    if (lstat(abs, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0;
    return each_named(abs, rel, agents, add_lookalike, repo, src);
}

/* .gitlab/agent/, gitlab/agents/, .GitLab/Agents/: never read by GitLab,
 * recorded so that check can name the right path. */
static int add_lookalikes(struct al_repo *repo, struct al_source *src, const char *wd)
{
    static const char *const tops[] = {".gitlab", "gitlab", NULL};
    struct al_buf abs = AL_BUF_INIT;
    al_buf_put(&abs, wd, strlen(wd) - 1); /* without its trailing '/' */
    int rc = each_named(al_buf_cstr(&abs), "", tops, lookalike_top, repo, src);
    al_buf_free(&abs);
    return rc;
}

static int load_worktree(struct al_repo *repo, struct al_source *src)
{
    const char *wd = al_repo_workdir(repo);
    if (!wd)
        return al_error_set("this is a bare repository: it has no working tree; use --rev REV "
                            "(for example --rev HEAD)");
    struct al_buf abs = AL_BUF_INIT;
    struct stat st;
    int rc = 0;
    /* .gitlab itself may be a link or a submodule: record it, never follow it. */
    al_buf_printf(&abs, "%s.gitlab", wd);
    if (lstat(al_buf_cstr(&abs), &st) == 0 && !S_ISDIR(st.st_mode)) {
        if (S_ISLNK(st.st_mode))
            rc = add_disk_path(repo, src, ".gitlab", 0);
    } else if (is_submodule_dir(al_buf_cstr(&abs))) {
        add_file(src, ".gitlab", AL_FILE_SUBMODULE);
    } else {
        rc = add_disk_path(repo, src, ".gitlab/agents", 0);
    }
    al_buf_free(&abs);
    if (rc == 0)
        rc = add_lookalikes(repo, src, wd);
    if (rc == 0)
        rc = add_disk_path(repo, src, SETTINGS, 1);
    if (rc < 0)
        return rc;
    struct index_walk w = {src, NULL, false};
    rc = index_foreach(repo, worktree_entry, &w);
    free(w.prev);
    return rc;
}

int al_source_load(struct al_repo *repo, enum al_source_kind kind, const char *rev,
                   struct al_source **out)
{
    struct al_source *src = al_calloc(1, sizeof(*src));
    src->kind = kind;
    int rc;
    switch (kind) {
    case AL_SRC_REVISION:
        rc = load_revision(repo, rev, src);
        break;
    case AL_SRC_INDEX:
        rc = load_index(repo, src);
        break;
    default:
        rc = load_worktree(repo, src);
        break;
    }
    if (rc < 0) {
        al_source_free(src);
        *out = NULL;
        return rc;
    }
    finish(src, true);
    *out = src;
    return 0;
}

/* ---- plain files ---- */

static int read_stream(FILE *fp, struct al_file *f)
{
    struct al_buf b = AL_BUF_INIT;
    char chunk[65536];
    size_t n, total = 0;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        total += n;
        if (b.len < AL_SOURCE_MAX_READ)
            al_buf_put(&b, chunk, n);
    }
    if (ferror(fp)) {
        al_buf_free(&b);
        return al_error_set("cannot read %s: %s", f->path, strerror(errno));
    }
    f->size = total;
    f->truncated = total > AL_SOURCE_MAX_READ;
    f->len = b.len > AL_SOURCE_MAX_READ ? AL_SOURCE_MAX_READ : b.len;
    f->data = al_buf_detach(&b);
    f->data[f->len] = '\0';
    return 0;
}

int al_source_load_files(const char *const *paths, size_t n, struct al_source **out)
{
    struct al_source *src = al_calloc(1, sizeof(*src));
    src->kind = AL_SRC_FILES;
    *out = NULL;
    for (size_t i = 0; i < n; i++) {
        int rc;
        if (strcmp(paths[i], "-") == 0) {
            struct al_file *f = add_file(src, "-", AL_FILE_REGULAR);
            rc = read_stream(stdin, f);
        } else {
            struct stat st;
            if (stat(paths[i], &st) != 0) {
                rc = al_error_set("cannot read %s: %s", paths[i], strerror(errno));
            } else if (S_ISDIR(st.st_mode)) {
                rc = al_error_set("%s is a directory; to check a repository use -C %s, or name "
                                  "the config.yaml files",
                                  paths[i], paths[i]);
            } else {
                FILE *fp = fopen(paths[i], "rb");
                struct al_file *f = add_file(src, paths[i], AL_FILE_REGULAR);
                rc = fp ? read_stream(fp, f)
                        : al_error_set("cannot read %s: %s", paths[i], strerror(errno));
                if (fp)
                    fclose(fp);
            }
        }
        if (rc < 0) {
            al_source_free(src);
            return rc;
        }
    }
    finish(src, false);
    *out = src;
    return 0;
}

void al_source_files_relative(struct al_source *src, const char *workdir)
{
    char *root = realpath(workdir, NULL);
    size_t n = root ? strlen(root) : 0;
    for (size_t i = 0; root && i < src->n_files; i++) {
        struct al_file *f = &src->files[i];
        char *real = strcmp(f->path, "-") == 0 ? NULL : realpath(f->path, NULL);
        if (real && strncmp(real, root, n) == 0 && real[n] == '/') {
            free(f->path);
            f->path = al_utf8_sanitize(real + n + 1, strlen(real + n + 1));
        }
        free(real);
    }
    src->sorted = false;
    free(root);
}

struct al_source *al_source_new(enum al_source_kind kind)
{
    struct al_source *src = al_calloc(1, sizeof(*src));
    src->kind = kind;
    return src;
}

struct al_file *al_source_add(struct al_source *src, const char *path, enum al_file_kind kind,
                              const char *data, size_t len)
{
    struct al_file *f = add_file(src, path, kind);
    if (kind == AL_FILE_REGULAR || kind == AL_FILE_SYMLINK)
        set_data(f, data, data ? len : 0);
    return f;
}

void al_source_forget_text(struct al_source *src)
{
    for (size_t i = 0; i < src->n_files; i++) {
        struct al_file *f = &src->files[i];
        free(f->data);
        free(f->line_starts);
        f->data = NULL;
        f->line_starts = NULL;
        f->len = f->n_lines = 0;
    }
}

void al_source_free(struct al_source *src)
{
    if (!src)
        return;
    for (size_t i = 0; i < src->n_files; i++) {
        free(src->files[i].path);
        free(src->files[i].data);
        free(src->files[i].line_starts);
    }
    free(src->files);
    free(src->revision);
    free(src);
}

const char *al_source_kind_name(enum al_source_kind kind)
{
    switch (kind) {
    case AL_SRC_WORKTREE:
        return "worktree";
    case AL_SRC_INDEX:
        return "index";
    case AL_SRC_REVISION:
        return "revision";
    case AL_SRC_FILES:
        return "files";
    }
    return "?";
}

/* ---- files named by a path or glob (--rbac), from the index or a revision ---- */

static bool manifest_name(const char *name)
{
    return al_str_endswith(name, ".yaml") || al_str_endswith(name, ".yml") ||
           al_str_endswith(name, ".json");
}

/* Whether `path` is one `pattern` names: the file itself, a manifest
 * directly inside the directory it names, or a file of its directory whose
 * name matches the glob in its last component. */
static bool pattern_names(const char *pattern, const char *path)
{
    if (strcmp(pattern, path) == 0)
        return true;
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) : 0;
    const char *base = slash ? slash + 1 : path;
    size_t plen = strlen(pattern);
    while (plen && pattern[plen - 1] == '/')
        plen--;
    if (plen == dir_len && strncmp(pattern, path, dir_len) == 0 && manifest_name(base))
        return true;
    const char *pslash = strrchr(pattern, '/');
    size_t pdir = pslash ? (size_t)(pslash - pattern) : 0;
    const char *last = pslash ? pslash + 1 : pattern;
    if (!strpbrk(last, "*?[") || pdir != dir_len || strncmp(pattern, path, dir_len) != 0)
        return false;
    return fnmatch(last, base, FNM_PERIOD) == 0;
}

struct match_walk {
    struct al_repo *repo;
    struct al_source *src;
    const char *pattern;
    int found, error;
};

static int match_tree_cb(const char *root, const git_tree_entry *entry, void *payload)
{
    struct match_walk *mw = payload;
    if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
        return 0;
    struct al_buf path = AL_BUF_INIT;
    al_buf_printf(&path, "%s%s", root, git_tree_entry_name(entry));
    if (pattern_names(mw->pattern, path.ptr) &&
        kind_of_mode(git_tree_entry_filemode(entry)) == AL_FILE_REGULAR) {
        struct al_file *f = add_file(mw->src, path.ptr, AL_FILE_REGULAR);
        mw->found++;
        if (read_blob(mw->repo, mw->src, git_tree_entry_id(entry), f) < 0) {
            mw->error = AL_ERR;
            al_buf_free(&path);
            return -1;
        }
    }
    al_buf_free(&path);
    return 0;
}

static int match_index_cb(struct al_repo *repo, const struct ientry *e, void *payload)
{
    struct match_walk *mw = payload;
    if (e->stage > 0 || kind_of_mode(e->mode) != AL_FILE_REGULAR ||
        !pattern_names(mw->pattern, e->path))
        return 0;
    struct al_file *f = add_file(mw->src, e->path, AL_FILE_REGULAR);
    mw->found++;
    return read_blob(repo, mw->src, &e->id, f);
}

int al_source_add_matching(struct al_repo *repo, enum al_source_kind kind, const char *rev,
                           const char *pattern, struct al_source *src)
{
    struct match_walk mw = {repo, src, pattern, 0, 0};
    int rc;
    if (kind == AL_SRC_INDEX) {
        rc = index_foreach(repo, match_index_cb, &mw);
    } else {
        git_commit *commit;
        git_tree *tree;
        if (lookup_commit(repo, rev ? rev : "HEAD", &commit) < 0)
            return AL_ERR;
        rc = git_commit_tree(&tree, commit);
        git_commit_free(commit);
        if (rc < 0)
            return al_error_set("cannot read the tree of %s: %s%s", rev, git_msg(), fsck_hint());
        rc = git_tree_walk(tree, GIT_TREEWALK_PRE, match_tree_cb, &mw);
        git_tree_free(tree);
        if (mw.error)
            return mw.error;
        if (rc < 0)
            return al_error_set("cannot walk the tree of %s: %s%s", rev, git_msg(), fsck_hint());
    }
    return rc < 0 ? rc : mw.found;
}
