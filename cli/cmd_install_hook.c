/* agentlint install-hook: write the repository's git pre-commit hook, the one
 * write agentlint ever makes to a repository. It writes that file alone (and
 * creates the hooks directory if it is missing): never the index, the working
 * tree or the config. The hooks directory is git's: core.hooksPath when set
 * (relative to the top of the working tree, as git runs hooks there), else the
 * common git directory's hooks/ (shared by all worktrees). */
#include "cli/commands.h"
#include "common/alloc.h"
#include "common/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The hook: silent and fast when no agent config is staged, then agentlint
 * from PATH (the one the user runs in a shell, as the pre-commit framework's
 * `language: system` hook does), else the binary that installed the hook (GUI
 * git clients often run hooks with a short PATH). agentlint's exit status is
 * the hook's. %s is the installing binary's path, single-quoted for sh. */
static const char HOOK[] =
    "#!/bin/sh\n"
    "# Git pre-commit hook written by `agentlint install-hook` (agentlint " AL_VERSION ").\n"
    "# It checks the agent configs as staged, that is what this commit records, and\n"
    "# refuses the commit on an error finding in an agent the commit changes (--all:\n"
    "# every agent). It does nothing, silently, unless the commit touches\n"
    "# .gitlab/agents/ (at the top or below it, or a look-alike such as\n"
    "# gitlab/agents/ or .gitlab/agent/) or .agentlint.yaml.\n"
    "# Skip it once with `git commit --no-verify`; rewrite it with\n"
    "# `agentlint install-hook --force`.\n"
    "if git diff --cached --quiet -- ':(top).agentlint.yaml' \\\n"
    "    ':(top,glob)**/.gitlab/agents/**' ':(top,glob,icase).gitlab/agent*/**' \\\n"
    "    ':(top,glob,icase)gitlab/agent*/**' 2>/dev/null; then\n"
    "    exit 0\n"
    "fi\n"
    "if command -v agentlint >/dev/null 2>&1; then\n"
    "    exec agentlint check --staged --changed\n"
    "fi\n"
    "agentlint=%s\n"
    "if [ -n \"$agentlint\" ] && [ -x \"$agentlint\" ]; then\n"
    "    exec \"$agentlint\" check --staged --changed\n"
    "fi\n"
    "echo \"agentlint pre-commit hook: agentlint is not on PATH${agentlint:+ nor at $agentlint};"
    " install it, or skip the hook once with git commit --no-verify\" >&2\n"
    "exit 2\n";

static const char *git_msg(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

static int failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "agentlint: SENTENCE" to standard error; returns 2. */
static int failf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("agentlint: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

/* s, single-quoted for sh ('' for NULL). */
static void sh_quote(struct al_buf *out, const char *s)
{
    al_buf_putc(out, '\'');
    for (; s && *s; s++) {
        if (*s == '\'')
            al_buf_puts(out, "'\\''");
        else
            al_buf_putc(out, *s);
    }
    al_buf_putc(out, '\'');
}

/* The absolute path of the running binary, or NULL. */
static char *self_path(void)
{
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0 || (size_t)n >= sizeof buf - 1)
        return NULL;
    buf[n] = '\0';
    return al_strdup(buf);
}

/* The hooks directory (no trailing '/'), as git finds it. */
static int hooks_dir(git_repository *repo, char **out)
{
    git_config *cfg = NULL;
    git_buf value = {0};
    int rc = -1;
    if (git_repository_config_snapshot(&cfg, repo) < 0)
        return failf("cannot read the repository's git config: %s", git_msg());
    if (git_config_get_path(&value, cfg, "core.hooksPath") == 0 && value.ptr && *value.ptr) {
        struct al_buf b = AL_BUF_INIT;
        if (value.ptr[0] != '/')
            al_buf_puts(&b, git_repository_workdir(repo));
        al_buf_puts(&b, value.ptr);
        *out = al_buf_detach(&b);
        rc = 0;
    } else {
        git_error_clear();
        git_buf_dispose(&value);
        if (git_repository_item_path(&value, repo, GIT_REPOSITORY_ITEM_HOOKS) < 0) {
            rc = failf("cannot find the repository's hooks directory: %s", git_msg());
        } else {
            *out = al_strdup(value.ptr);
            rc = 0;
        }
    }
    if (rc == 0) {
        size_t n = strlen(*out);
        while (n > 1 && (*out)[n - 1] == '/')
            (*out)[--n] = '\0';
    }
    git_buf_dispose(&value);
    git_config_free(cfg);
    return rc;
}

/* mkdir -p. */
static int make_dirs(char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : (errno = ENOTDIR, -1);
    char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        *slash = '\0';
        int rc = make_dirs(path);
        *slash = '/';
        if (rc < 0)
            return rc;
    }
    return mkdir(path, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

static char *read_small_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct al_buf b = AL_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1u << 20))
        al_buf_put(&b, chunk, n);
    fclose(f);
    return al_buf_detach(&b);
}

/* Write the hook next to its final place, make it executable, and rename it
 * in: the hook is replaced whole or not at all. */
static int write_hook(const char *path, const struct al_buf *script)
{
    size_t n = strlen(path) + 32;
    char *tmp = al_malloc(n);
    snprintf(tmp, n, "%s.agentlint-XXXXXX", path);
    int fd = mkstemp(tmp);
    int e = 0;
    if (fd < 0) {
        e = errno;
        free(tmp);
        return failf("cannot write %s: %s", path, strerror(e));
    }
    mode_t um = umask(0);
    umask(um);
    int rc = fchmod(fd, (0777 & ~um) | 0700);
    for (size_t off = 0; rc == 0 && off < script->len;) {
        ssize_t w = write(fd, script->ptr + off, script->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            rc = -1;
        else
            off += (size_t)w;
    }
    if (rc < 0)
        e = errno;
    if (close(fd) != 0 && rc == 0)
        rc = -1, e = errno;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1, e = errno;
    if (rc < 0)
        unlink(tmp);
    free(tmp);
    return rc < 0 ? failf("cannot write %s: %s", path, strerror(e)) : 0;
}

static int install(git_repository *repo, const struct al_opts *o)
{
    if (git_repository_is_bare(repo))
        return failf("a bare repository has no commits to check; install the hook in a clone");
    char *dir = NULL;
    int rc = hooks_dir(repo, &dir);
    if (rc != 0)
        return rc;
    struct al_buf path = AL_BUF_INIT, script = AL_BUF_INIT, exe = AL_BUF_INIT;
    al_buf_printf(&path, "%s/pre-commit", dir);
    char *self = self_path();
    sh_quote(&exe, self);
    al_buf_printf(&script, HOOK, al_buf_cstr(&exe));

    struct stat st;
    const char *p = al_buf_cstr(&path);
    if (lstat(p, &st) == 0) {
        char *old = S_ISREG(st.st_mode) ? read_small_file(p) : NULL;
        if (old && strcmp(old, al_buf_cstr(&script)) == 0 && (st.st_mode & 0100)) {
            printf("agentlint: the pre-commit hook %s is already installed\n", p);
            rc = 0;
        } else if (S_ISDIR(st.st_mode)) {
            rc = failf("%s is a directory, not a hook; remove it first", p);
        } else if (!o->force) {
            rc = failf(old && strstr(old, "File generated by pre-commit")
                           ? "%s already exists (the pre-commit framework's hook: add agentlint "
                             "to .pre-commit-config.yaml instead); pass --force to replace it"
                           : "%s already exists; pass --force to replace it",
                       p);
        } else {
            rc = -1;
        }
        free(old);
        if (rc != -1)
            goto out;
    }
    if (make_dirs(dir) < 0) {
        rc = failf("cannot create the hooks directory %s: %s", dir, strerror(errno));
        goto out;
    }
    rc = write_hook(p, &script);
    if (rc == 0)
        printf("agentlint: installed %s; it runs agentlint check --staged --changed when a commit "
               "touches "
               ".gitlab/agents/ or .agentlint.yaml\n",
               p);
out:
    free(self);
    free(dir);
    al_buf_free(&exe);
    al_buf_free(&path);
    al_buf_free(&script);
    return rc;
}

int al_cmd_install_hook(const struct al_opts *o)
{
    if (o->n_paths)
        return failf("install-hook takes no arguments (got '%s'); use -C DIR for another "
                     "repository",
                     o->paths[0]);
    git_libgit2_init();
    const char *dir = o->repo_dir ? o->repo_dir : ".";
    git_repository *repo;
    int rc;
    if (git_repository_open_ext(&repo, dir, 0, NULL) < 0) {
        rc = o->repo_dir ? failf("%s is not a git repository (or inside one)", dir)
                         : failf("the current directory is not inside a git repository; run "
                                 "install-hook in one, or pass -C DIR");
    } else {
        rc = install(repo, o);
        git_repository_free(repo);
    }
    git_libgit2_shutdown();
    return rc;
}
