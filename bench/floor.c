/* The floor for `agentlint check --staged`: what any libgit2-based pre-commit
 * check must do before it looks at a single file. It initialises libgit2
 * (Debian's build loads the CA certificates here, about 10 ms), opens the
 * repository found from DIR as git does, and reads the index. bench/run.sh
 * times agentlint against it on a small repository.
 *
 * Usage: floor [DIR]    exit 0 when the index was read */
#include <git2.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    git_repository *repo = NULL;
    git_index *index = NULL;
    int rc = 1;
    git_libgit2_init();
    if (git_repository_open_ext(&repo, argc > 1 ? argv[1] : ".", 0, NULL) == 0 &&
        git_repository_index(&index, repo) == 0) {
        /* Touch every entry, so the index is really read. */
        size_t n = git_index_entrycount(index), paths = 0;
        for (size_t i = 0; i < n; i++)
            paths += git_index_get_byindex(index, i)->path[0] != '\0';
        rc = paths == n ? 0 : 1;
    } else {
        const git_error *e = git_error_last();
        fprintf(stderr, "floor: %s\n", e && e->message ? e->message : "cannot read the index");
    }
    git_index_free(index);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}
