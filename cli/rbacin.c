#include "cli/rbacin.h"

#include "common/alloc.h"
#include "common/buf.h"
#include "common/error.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A directory tree deeper than this is not an RBAC folder anyone wrote. */
enum { MAX_DEPTH = 16, MAX_FILES = 10000 };

struct names {
    char **items;
    size_t n, cap;
};

static void names_add(struct names *ns, const char *s)
{
    ns->items = al_grow(ns->items, &ns->cap, ns->n + 1, sizeof(*ns->items));
    ns->items[ns->n++] = al_strdup(s);
}

static void names_free(struct names *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->items[i]);
    free(ns->items);
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool rbac_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
           (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

static int walk_dir(const char *dir, int depth, struct names *out)
{
    if (depth > MAX_DEPTH)
        return al_error_set("--rbac %s: directories nested deeper than %d levels", dir, MAX_DEPTH);
    DIR *d = opendir(dir);
    if (!d)
        return al_error_set("--rbac: cannot read the directory %s: %s", dir, strerror(errno));
    struct names here = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            names_add(&here, e->d_name);
    closedir(d);
    al_qsort(here.items, here.n, sizeof(*here.items), by_str);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < here.n; i++) {
        struct al_buf p = AL_BUF_INIT;
        al_buf_printf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", here.items[i]);
        struct stat st;
        if (lstat(al_buf_cstr(&p), &st) == 0 && S_ISDIR(st.st_mode))
            rc = walk_dir(al_buf_cstr(&p), depth + 1, out);
        else if (S_ISREG(st.st_mode) && rbac_name(here.items[i]))
            names_add(out, al_buf_cstr(&p));
        al_buf_free(&p);
        if (out->n > MAX_FILES)
            rc = al_error_set("--rbac %s: more than %d files", dir, MAX_FILES);
    }
    names_free(&here);
    return rc;
}

/* One PATH on disk: a file, a directory, or a glob. */
static int expand_disk(const char *path, struct names *out)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return S_ISDIR(st.st_mode) ? walk_dir(path, 0, out) : (names_add(out, path), 0);
    if (!strpbrk(path, "*?["))
        return al_error_set("--rbac %s: %s", path, strerror(errno));
    glob_t g;
    int rc = glob(path, 0, NULL, &g);
    if (rc != 0) {
        if (rc != GLOB_NOMATCH)
            globfree(&g);
        return al_error_set("--rbac %s matches no file", path);
    }
    rc = 0;
    for (size_t i = 0; rc == 0 && i < g.gl_pathc; i++)
        rc = stat(g.gl_pathv[i], &st) == 0 && S_ISDIR(st.st_mode)
                 ? walk_dir(g.gl_pathv[i], 0, out)
                 : (names_add(out, g.gl_pathv[i]), 0);
    globfree(&g);
    return rc;
}

/* The repository-relative form of `path` when it lies in the working tree
 * `workdir` (lexically: it may not exist on disk at this revision), else
 * NULL. Caller frees. */
static char *inside(const char *workdir, const char *path)
{
    char cwd[PATH_MAX], real_wd[PATH_MAX];
    if (!workdir || !getcwd(cwd, sizeof cwd) || !realpath(workdir, real_wd))
        return NULL;
    struct al_buf abs = AL_BUF_INIT;
    if (path[0] == '/')
        al_buf_puts(&abs, path);
    else
        al_buf_printf(&abs, "%s/%s", cwd, path);
    /* Normalise . and .. lexically, component by component. */
    char *copy = al_strdup(al_buf_cstr(&abs));
    al_buf_free(&abs);
    struct al_buf norm = AL_BUF_INIT;
    for (char *save, *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (strcmp(c, ".") == 0)
            continue;
        if (strcmp(c, "..") == 0) {
            char *slash = norm.len ? strrchr(al_buf_cstr(&norm), '/') : NULL;
            norm.len = slash ? (size_t)(slash - al_buf_cstr(&norm)) : 0;
            continue;
        }
        al_buf_printf(&norm, "/%s", c);
    }
    free(copy);
    size_t wl = strlen(real_wd);
    const char *n = al_buf_cstr(&norm);
    char *rel = NULL;
    if (strncmp(n, real_wd, wl) == 0 && (n[wl] == '/' || !n[wl]))
        rel = al_strdup(n[wl] == '/' ? n + wl + 1 : "");
    al_buf_free(&norm);
    return rel;
}

static int add_source(struct al_kube *k, const struct al_source *src)
{
    for (size_t i = 0; src && i < src->n_files; i++) {
        const struct al_file *f = &src->files[i];
        if (f->truncated)
            return al_error_set("--rbac %s: %zu bytes, more than agentlint reads", f->path,
                                f->size);
        if (al_kube_add_text(k, f->path, f->data, f->len) < 0)
            return AL_ERR;
    }
    return 0;
}

static int read_paths(const struct al_opts *o, struct al_repo *repo, const char *rev,
                      struct al_rbacin *out)
{
    const char *wd = repo ? al_repo_workdir(repo) : NULL;
    struct names disk = {0}, in_repo = {0};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < o->n_rbac; i++) {
        char *rel = rev ? inside(wd, o->rbac[i]) : NULL;
        if (rel && *rel)
            names_add(&in_repo, rel);
        else
            rc = expand_disk(o->rbac[i], &disk);
        free(rel);
    }
    if (rc == 0)
        rc = al_source_load_files((const char *const *)disk.items, disk.n, &out->disk);
    if (rc == 0 && wd)
        al_source_files_relative(out->disk, wd);
    if (rc == 0 && in_repo.n)
        rc = al_source_load_paths(repo, rev, (const char *const *)in_repo.items, in_repo.n,
                                  &out->revision);
    names_free(&disk);
    names_free(&in_repo);
    return rc;
}

int al_rbacin_load(const struct al_opts *o, struct al_repo *repo, const char *rev,
                   struct al_rbacin *out)
{
    memset(out, 0, sizeof *out);
    out->kube = al_kube_new();
    if (al_kube_add_defaults(out->kube, o->kube_version) < 0)
        return AL_ERR;
    if (read_paths(o, repo, rev, out) < 0 || add_source(out->kube, out->disk) < 0 ||
        add_source(out->kube, out->revision) < 0)
        return AL_ERR;
    return al_kube_finish(out->kube);
}

void al_rbacin_free(struct al_rbacin *in)
{
    al_kube_free(in->kube);
    al_source_free(in->disk);
    al_source_free(in->revision);
    memset(in, 0, sizeof *in);
}
