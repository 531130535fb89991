#include "cli/output.h"
#include "common/error.h"

#include <errno.h>
#include <fcntl.h>
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

int al_output_write(const char *path, const struct al_buf *b)
{
    if (!path || strcmp(path, "-") == 0) {
        int err = b->drain_data ? *(int *)b->drain_data : 0;
        if (!err && write_all(STDOUT_FILENO, al_buf_cstr(b), b->len) < 0)
            err = errno;
        if (err && err != EPIPE)
            return al_error_set("cannot write to standard output: %s", strerror(err));
        return 0;
    }
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp)
        return al_error_set("out of memory");
    snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return al_error_set("cannot write %s: %s", path, strerror(e));
    }
    /* mkstemp creates 0600; output files are ordinary files. */
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, 0666 & ~um);
    int rc = write_all(fd, al_buf_cstr(b), b->len);
    int e = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        e = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        e = errno;
    }
    if (rc < 0) {
        unlink(tmp);
        free(tmp);
        return al_error_set("cannot write %s: %s", path, strerror(e));
    }
    free(tmp);
    return 0;
}
