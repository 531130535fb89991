/* `dot -Tsvg` as a child process (see graphviz.h): posix_spawnp with its
 * standard input and output on pipes, one poll loop that writes the DOT
 * and reads the SVG at the same time (either pipe can fill while the other
 * waits), and a deadline after which the child is killed. */
#include "cli/graphviz.h"
#include "common/error.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct child {
    pid_t pid;
    int in, out; /* our ends: dot's standard input and output, -1 when closed */
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Start dot with its standard error on /dev/null (its warnings are not
 * ours to print). */
static int spawn(struct child *c)
{
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) < 0)
        return al_error_set("cannot run dot: %s", strerror(errno));
    if (pipe2(out, O_CLOEXEC) < 0) {
        int e = errno;
        close(in[0]);
        close(in[1]);
        return al_error_set("cannot run dot: %s", strerror(e));
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    char *argv[] = {"dot", "-Tsvg", NULL};
    int rc = posix_spawnp(&c->pid, "dot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    c->in = in[1];
    c->out = out[0];
    if (rc != 0) {
        close_fd(&c->in);
        close_fd(&c->out);
        return rc == ENOENT ? al_error_set("Graphviz is not installed (no dot on PATH)")
                            : al_error_set("cannot run dot: %s", strerror(rc));
    }
    fcntl(c->in, F_SETFL, fcntl(c->in, F_GETFL) | O_NONBLOCK);
    return 0;
}

/* Write what the pipe takes; false when dot stopped reading. */
static bool feed(struct child *c, const char *dot, size_t len, size_t *sent)
{
    ssize_t w = write(c->in, dot + *sent, len - *sent);
    if (w < 0 && (errno == EAGAIN || errno == EINTR))
        return true;
    if (w < 0)
        return false; /* EPIPE: dot exited; its status tells why */
    *sent += (size_t)w;
    if (*sent == len)
        close_fd(&c->in); /* end of input: dot lays out and writes */
    return true;
}

/* Read what is there; false at the end of dot's output. */
static bool drain(struct child *c, struct al_buf *got)
{
    char chunk[65536];
    ssize_t r = read(c->out, chunk, sizeof chunk);
    if (r < 0 && errno == EINTR)
        return true;
    if (r <= 0)
        return false;
    al_buf_put(got, chunk, (size_t)r);
    return true;
}

/* The poll loop: 0 when dot's output ended, < 0 on timeout or overflow. */
static int exchange(struct child *c, const char *dot, size_t len, int timeout_ms, size_t max_out,
                    struct al_buf *got)
{
    long long deadline = now_ms() + timeout_ms;
    size_t sent = 0;
    if (len == 0)
        close_fd(&c->in);
    while (c->out >= 0) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return al_error_set("dot did not finish within %.1f seconds", timeout_ms / 1000.0);
        struct pollfd p[2] = {{c->out, POLLIN, 0}, {c->in, POLLOUT, 0}};
        int n = poll(p, c->in >= 0 ? 2 : 1, (int)left);
        if (n < 0 && errno != EINTR)
            return al_error_set("cannot run dot: %s", strerror(errno));
        if (n <= 0)
            continue;
        if (c->in >= 0 && (p[1].revents & (POLLOUT | POLLERR | POLLHUP)) &&
            !feed(c, dot, len, &sent))
            close_fd(&c->in);
        if ((p[0].revents & (POLLIN | POLLHUP | POLLERR)) && !drain(c, got))
            close_fd(&c->out);
        if (got->len > max_out)
            return al_error_set("dot's SVG is larger than %zu bytes", max_out);
    }
    return 0;
}

/* Reap the child (killed first when it is still wanted dead); its exit
 * status as a sentence, or 0. */
static int reap(struct child *c, bool kill_it)
{
    int status = 0;
    if (kill_it)
        kill(c->pid, SIGKILL);
    while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (kill_it)
        return AL_ERR;
    if (WIFSIGNALED(status))
        return al_error_set("dot was killed by signal %d", WTERMSIG(status));
    if (WEXITSTATUS(status) == 127)
        return al_error_set("Graphviz is not installed (no dot on PATH)");
    if (WEXITSTATUS(status) != 0)
        return al_error_set("dot failed (exit status %d)", WEXITSTATUS(status));
    return 0;
}

int al_graphviz_svg(const char *dot, size_t len, int timeout_ms, size_t max_out, struct al_buf *svg)
{
    struct child c = {-1, -1, -1};
    if (spawn(&c) < 0)
        return AL_ERR;
    struct al_buf got = AL_BUF_INIT;
    int rc = exchange(&c, dot, len, timeout_ms, max_out, &got);
    close_fd(&c.in);
    close_fd(&c.out);
    if (reap(&c, rc < 0) < 0)
        rc = AL_ERR;
    if (rc == 0 && !strstr(al_buf_cstr(&got), "<svg"))
        rc = al_error_set("dot wrote no SVG");
    if (rc == 0)
        al_buf_put(svg, got.ptr, got.len);
    al_buf_free(&got);
    return rc;
}
