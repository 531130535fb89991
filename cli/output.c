#include "cli/output.h"
#include "common/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* drain_data holds the first errno of the stream (0: none so far). */
static void drain_stdout(struct al_buf *b)
{
    int *err = b->drain_data;
    if (write_all(STDOUT_FILENO, b->ptr, b->len) < 0 && !*err)
        *err = errno ? errno : EIO;
    b->len = 0;
}

void al_output_stream_stdout(struct al_buf *b, int *error)
{
    *error = 0;
    al_buf_drain_into(b, drain_stdout, error);
}

void al_output_begin(const char *path, struct al_buf *b, int *error)
{
    *error = 0;
    if (!path || strcmp(path, "-") == 0)
        al_output_stream_stdout(b, error);
}

/* A character device or FIFO (/dev/null, /dev/stderr on a terminal, a
 * pipe a CI script reads) is written straight through, as a shell's
 * redirection would: replacing it with a file would break it. */
static int write_device(const char *path, const struct al_buf *b)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return al_error_set("cannot write %s: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
        close(fd);
        return al_error_set("cannot write %s: it changed while agentlint opened it", path);
    }
    int rc = write_all(fd, al_buf_cstr(b), b->len);
    int e = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        e = errno;
    }
    return rc < 0 ? al_error_set("cannot write %s: %s", path, strerror(e)) : 0;
}

/* Copy the replaced file's mode, and its owner when root may set it (a CI
 * job running as root must not hand a user's file to root). */
static int keep_attributes(int fd, const struct stat *old, bool exists)
{
    if (!exists) {
        mode_t um = umask(0); /* mkstemp creates 0600; a new file is an ordinary one */
        umask(um);
        return fchmod(fd, 0666 & ~um);
    }
    if (geteuid() == 0 && fchown(fd, old->st_uid, old->st_gid) != 0)
        return -1;
    return fchmod(fd, old->st_mode & 07777);
}

/* Write `b` to a temporary file in the directory of `target`, flush it to
 * disk and rename it over `target`: readers see the old file or the new
 * one, never a part, and a failed write (a full disk) leaves the old one. */
static int replace_file(const char *target, const char *shown, const struct stat *old, bool exists,
                        const struct al_buf *b)
{
    const char *slash = strrchr(target, '/');
    size_t dir_len = slash ? (size_t)(slash - target + 1) : 0;
    size_t n = strlen(target) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return al_error_set("out of memory");
    snprintf(tmp, n, "%.*s.%s.tmp.XXXXXX", (int)dir_len, target, target + dir_len);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return al_error_set("cannot write %s: cannot create a file next to it to replace it "
                            "whole (%s)",
                            shown, strerror(e));
    }
    int rc = keep_attributes(fd, old, exists);
    if (rc == 0)
        rc = write_all(fd, al_buf_cstr(b), b->len);
    if (rc == 0)
        rc = fsync(fd);
    int e = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        e = errno;
    }
    if (rc == 0 && rename(tmp, target) != 0) {
        rc = -1;
        e = errno;
    }
    if (rc < 0)
        unlink(tmp);
    free(tmp);
    return rc < 0 ? al_error_set("cannot write %s: %s; it is left as it was", shown, strerror(e))
                  : 0;
}

static int write_stdout(const struct al_buf *b)
{
    int err = b->drain_data ? *(int *)b->drain_data : 0;
    if (!err && write_all(STDOUT_FILENO, al_buf_cstr(b), b->len) < 0)
        err = errno;
    if (err && err != EPIPE)
        return al_error_set("cannot write to standard output: %s", strerror(err));
    return 0;
}

int al_output_write(const char *path, const struct al_buf *b)
{
    if (!path || strcmp(path, "-") == 0)
        return write_stdout(b);
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        if (e == ENOENT && lstat(path, &st) == 0)
            return al_error_set("cannot write %s: it is a symbolic link to nothing; remove it "
                                "or give another file",
                                path);
        if (e != ENOENT)
            return al_error_set("cannot write %s: %s", path, strerror(e));
        return replace_file(path, path, &st, false, b);
    }
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
        return write_device(path, b);
    if (!S_ISREG(st.st_mode))
        return al_error_set("cannot write %s: it is %s, not a file; give a file name", path,
                            S_ISDIR(st.st_mode)    ? "a directory"
                            : S_ISBLK(st.st_mode)  ? "a block device"
                            : S_ISSOCK(st.st_mode) ? "a socket"
                                                   : "not a regular file");
    if (access(path, W_OK) != 0) /* as `>` would: a read-only file stays */
        return al_error_set("cannot write %s: %s", path, strerror(errno));
    /* A symbolic link to a file: replace the file it names and keep the
     * link, as editors do. */
    char *real = realpath(path, NULL);
    if (!real)
        return al_error_set("cannot write %s: %s", path, strerror(errno));
    int rc = replace_file(real, path, &st, true, b);
    free(real);
    return rc;
}
