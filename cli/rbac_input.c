/* Reading --rbac (see rbac_input.h). */
#include "common/alloc.h"
#include "cli/rbac_input.h"

#include "cli/diag.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/str.h"
#include "model/source.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_disk(struct al_kube *k, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return al_error_set("--rbac %s: cannot read it: %s", path, strerror(errno));
    struct al_buf b = AL_BUF_INIT;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > AL_KUBE_MAX_FILE) {
            rc = al_error_set("--rbac %s is larger than %d MiB; split it", path,
                              AL_KUBE_MAX_FILE / (1024 * 1024));
            break;
        }
        al_buf_put(&b, chunk, n);
    }
    if (rc == 0 && ferror(f))
        rc = al_error_set("--rbac %s: cannot read it: %s", path, strerror(errno));
    fclose(f);
    if (rc == 0)
        rc = al_kube_add_text(k, path, b.ptr ? b.ptr : "", b.len);
    al_buf_free(&b);
    return rc;
}

static bool manifest(const char *name)
{
    return al_str_endswith(name, ".yaml") || al_str_endswith(name, ".yml") ||
           al_str_endswith(name, ".json");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* kubectl -f DIR: the directory's manifests, in name order, not recursing. */
static int read_dir(struct al_kube *k, const char *dir, int *found)
{
    DIR *d = opendir(dir);
    if (!d)
        return al_error_set("--rbac %s: cannot read the directory: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || !manifest(e->d_name))
            continue;
        names = al_grow(names, &cap, n + 1, sizeof(*names));
        names[n++] = al_strdup(e->d_name);
    }
    closedir(d);
    al_qsort(names, n, sizeof(*names), cmp_str);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct al_buf p = AL_BUF_INIT;
        al_buf_printf(&p, "%s%s%s", dir, al_str_endswith(dir, "/") ? "" : "/", names[i]);
        struct stat st;
        if (rc == 0 && stat(p.ptr, &st) == 0 && S_ISREG(st.st_mode)) {
            rc = read_disk(k, p.ptr);
            ++*found;
        }
        al_buf_free(&p);
        free(names[i]);
    }
    free(names);
    return rc;
}

static int read_path(struct al_kube *k, const char *path, int *found)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (S_ISDIR(st.st_mode))
        return read_dir(k, path, found);
    ++*found;
    return read_disk(k, path);
}

static int from_disk(struct al_kube *k, const char *pattern)
{
    int found = 0, rc = 0;
    if (strpbrk(pattern, "*?[")) {
        glob_t g;
        if (glob(pattern, 0, NULL, &g) == 0)
            for (size_t i = 0; i < g.gl_pathc && rc == 0; i++)
                rc = read_path(k, g.gl_pathv[i], &found);
        globfree(&g);
    } else {
        rc = read_path(k, pattern, &found);
    }
    if (rc == 0 && found == 0)
        return al_error_set("--rbac %s names no file (give a file, a directory of .yaml/.json "
                            "manifests, or a glob)",
                            pattern);
    return rc;
}

/* The path relative to the working tree when it lies inside it, else NULL. */
static char *repo_relative(const struct al_session *s, const char *path)
{
    const char *wd = s->repo ? al_repo_workdir(s->repo) : NULL;
    if (!wd)
        return NULL;
    char *abs = NULL;
    if (path[0] == '/') {
        abs = al_strdup(path);
    } else {
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd))
            return NULL;
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b, "%s/%s", cwd, path);
        abs = al_buf_detach(&b);
    }
    /* Resolve the directory part (symlinked checkouts) but not a glob. */
    char *rel = NULL;
    char *wd_real = realpath(wd, NULL);
    size_t n = wd_real ? strlen(wd_real) : 0;
    if (wd_real && strncmp(abs, wd_real, n) == 0 && abs[n] == '/')
        rel = al_strdup(abs + n + 1);
    else if (strncmp(abs, wd, strlen(wd)) == 0)
        rel = al_strdup(abs + strlen(wd));
    free(wd_real);
    free(abs);
    return rel;
}

static int from_repo(const struct al_session *s, struct al_kube *k, const char *pattern,
                     const char *rel)
{
    struct al_source *src = al_source_new(s->source->kind);
    int n = al_source_add_matching(s->repo, s->source->kind, s->source->revision, rel, src);
    int rc = n < 0 ? -1 : 0;
    if (n == 0)
        rc = al_error_set("--rbac %s names no file in the %s%s%s (give a file, a directory of "
                          ".yaml/.json manifests, or a glob)",
                          pattern, al_source_kind_name(s->source->kind),
                          s->source->revision ? " at " : "",
                          s->source->revision ? s->source->revision : "");
    for (size_t i = 0; rc == 0 && i < src->n_files; i++) {
        const struct al_file *f = &src->files[i];
        if (f->truncated)
            rc = al_error_set("--rbac %s is larger than %d MiB; split it", f->path,
                              AL_SOURCE_MAX_READ / (1024 * 1024));
        else
            rc = al_kube_add_text(k, f->path, f->data ? f->data : "", f->len);
    }
    al_source_free(src);
    return rc;
}

int al_rbac_input_add(const struct al_session *s, const struct al_opts *o, struct al_kube *k)
{
    if (al_kube_add_defaults(k, o->kube_version) < 0)
        return -1;
    for (size_t i = 0; i < o->n_rbac; i++) {
        const char *p = o->rbac[i];
        if (!*p)
            return al_error_set("--rbac needs a path");
        bool from_index_or_rev =
            s->source && s->repo &&
            (s->source->kind == AL_SRC_INDEX || s->source->kind == AL_SRC_REVISION);
        char *rel = from_index_or_rev ? repo_relative(s, p) : NULL;
        int rc = rel ? from_repo(s, k, p, rel) : from_disk(k, p);
        free(rel);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int al_rbac_input_load(const struct al_session *s, const struct al_opts *o, struct al_kube *k)
{
    return al_rbac_input_add(s, o, k) < 0 ? -1 : al_kube_finish(k);
}

size_t al_rbac_input_report(const struct al_kube *k, bool quiet)
{
    size_t errors = 0;
    for (size_t i = 0; i < k->n_diags; i++) {
        const struct al_kube_diag *d = &k->diags[i];
        errors += d->severity == AL_KUBE_ERROR;
        if (quiet && d->severity == AL_KUBE_NOTE)
            continue;
        if (d->src.file && d->src.line)
            al_diag("%s:%u: %s: %s", d->src.file, d->src.line, al_kube_severity_name(d->severity),
                    d->message);
        else
            al_diag("agentlint: %s: %s", al_kube_severity_name(d->severity), d->message);
    }
    return errors;
}
