#include "model/gitcli.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/error.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct al_gitcli {
    pid_t pid;
    FILE *out;
    char *rec;
    size_t cap;
    char *what;
    bool spawn_failed;
};

/* What git runs with: the command line's -c wins over every config file. */
static const char *const DISARM[] = {
    "git",
    "--no-pager",
    "--no-optional-locks",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.untrackedCache=false",
    "-c",
    "protocol.allow=never",
    "-c",
    "safe.directory=*",
    "-c",
    "core.pager=cat",
};

enum { N_DISARM = sizeof DISARM / sizeof DISARM[0], MAX_ARGS = 16, MAX_ENV = 16 };

static void env_add(char **envp, size_t *n, const char *name, const char *value)
{
    if (!value || !*value || *n + 1 >= MAX_ENV)
        return;
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "%s=%s", name, value);
    envp[(*n)++] = al_buf_detach(&b);
    envp[*n] = NULL;
}

/* Only what locates the repository and its objects, as agentlint read them. */
static void build_env(char **envp, const char *gitdir, const char *workdir)
{
    size_t n = 0;
    envp[0] = NULL;
    env_add(envp, &n, "PATH", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    env_add(envp, &n, "LC_ALL", "C");
    env_add(envp, &n, "GIT_CONFIG_NOSYSTEM", "1");
    env_add(envp, &n, "GIT_CONFIG_GLOBAL", "/dev/null");
    env_add(envp, &n, "GIT_TERMINAL_PROMPT", "0");
    env_add(envp, &n, "GIT_NO_REPLACE_OBJECTS", "1");
    env_add(envp, &n, "GIT_DIR", gitdir);
    env_add(envp, &n, "GIT_WORK_TREE", workdir);
    env_add(envp, &n, "GIT_INDEX_FILE", getenv("GIT_INDEX_FILE"));
    env_add(envp, &n, "GIT_OBJECT_DIRECTORY", getenv("GIT_OBJECT_DIRECTORY"));
    env_add(envp, &n, "GIT_ALTERNATE_OBJECT_DIRECTORIES",
            getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"));
}

int al_gitcli_start(const char *gitdir, const char *workdir, const char *what,
                    const char *const *args, struct al_gitcli **out)
{
    const char *argv[N_DISARM + MAX_ARGS + 1];
    size_t n = 0;
    for (; n < N_DISARM; n++)
        argv[n] = DISARM[n];
    for (size_t i = 0; args[i] && i < MAX_ARGS; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    char *envp[MAX_ENV];
    build_env(envp, gitdir, workdir);
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0)
        return al_error_set("cannot run git to %s: %s", what, strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    struct al_gitcli *g = al_calloc(1, sizeof(*g));
    g->what = al_strdup(what);
    int rc = posix_spawnp(&g->pid, "git", &fa, NULL, (char *const *)argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    for (char **e = envp; *e; e++)
        free(*e);
    close(pipefd[1]);
    if (rc != 0) {
        close(pipefd[0]);
        g->pid = -1;
        g->spawn_failed = true;
    } else {
        g->out = fdopen(pipefd[0], "r");
    }
    *out = g;
    return 0;
}

int al_gitcli_next(struct al_gitcli *g, const char **rec, size_t *len)
{
    if (!g->out)
        return 0;
    ssize_t n = getdelim(&g->rec, &g->cap, '\0', g->out);
    if (n < 0)
        return ferror(g->out) ? AL_ERR : 0;
    if (n > 0 && g->rec[n - 1] == '\0')
        n--;
    *rec = g->rec;
    *len = (size_t)n;
    return 1;
}

int al_gitcli_finish(struct al_gitcli *g, bool abandon)
{
    int status = 0, rc = 0;
    if (abandon && g->pid > 0)
        kill(g->pid, SIGKILL);
    if (g->out)
        fclose(g->out); /* git gets SIGPIPE if it still writes */
    if (g->pid > 0)
        while (waitpid(g->pid, &status, 0) < 0 && errno == EINTR)
            ;
    if (abandon)
        rc = 0;
    else if (g->spawn_failed || (WIFEXITED(status) && WEXITSTATUS(status) == 127))
        rc = al_error_set("agentlint needs git to %s, in a format its git library (libgit2 1.5) "
                          "cannot read, and git is not on PATH; install git (apt-get install "
                          "git) and run again",
                          g->what);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        rc =
            al_error_set("git could not %s (it exited with status %d); run git status in the "
                         "repository to see why",
                         g->what, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    free(g->rec);
    free(g->what);
    free(g);
    return rc;
}
