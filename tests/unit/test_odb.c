/* odb: agentlint's object database for libgit2. A loose object cut at every
 * length, or with any one byte flipped, is an error or the exact object, in
 * bounded time (libgit2 1.5.1's own reader loops for ever on a cut one); a
 * header's size is read without inflating the body; objects past
 * AL_ODB_MAX_OBJECT are refused before they are inflated. */
#include "testutil.h"

#include "common/buf.h"
#include "model/odb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static const char CONTENT[] = "ci_access:\n  projects:\n    - id: grp/app\n";

struct fixture {
    char dir[64];
    git_repository *repo;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    git_libgit2_init();
    snprintf(fx->dir, sizeof fx->dir, "/tmp/agentlint-odb-XXXXXX");
    if (!mkdtemp(fx->dir) || git_repository_init(&fx->repo, fx->dir, 1) < 0)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    git_repository_free(fx->repo);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    git_libgit2_shutdown();
    free(fx);
    return 0;
}

/* The zlib stream of a loose object: "<header>" then `len` bytes of `body`. */
static unsigned char *deflate_object(const char *header, const void *body, size_t len,
                                     size_t *out_len)
{
    size_t hlen = strlen(header) + 1, n = hlen + len;
    unsigned char *raw = malloc(n);
    memcpy(raw, header, hlen);
    memcpy(raw + hlen, body, len);
    uLongf cap = compressBound((uLong)n);
    unsigned char *z = malloc(cap);
    assert_int_equal(compress2(z, &cap, raw, (uLong)n, 9), Z_OK);
    free(raw);
    *out_len = cap;
    return z;
}

static void object_path(const struct fixture *fx, const git_oid *id, struct al_buf *p)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, id);
    al_buf_printf(p, "%s/objects/%.2s", fx->dir, hex);
    mkdir(al_buf_cstr(p), 0755);
    al_buf_printf(p, "/%s", hex + 2);
}

static void write_file(const struct fixture *fx, const git_oid *id, const void *data, size_t len)
{
    struct al_buf p = AL_BUF_INIT;
    object_path(fx, id, &p);
    FILE *fp = fopen(al_buf_cstr(&p), "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
    al_buf_free(&p);
}

/* Read `id` through a fresh bounded database (no cache from earlier reads):
 * 0 and the object, or < 0. */
static int read_object(struct fixture *fx, const git_oid *id, git_odb_object **obj)
{
    assert_int_equal(al_odb_install(fx->repo), 0);
    git_odb *odb;
    assert_int_equal(git_repository_odb(&odb, fx->repo), 0);
    int rc = git_odb_read(obj, odb, id);
    git_odb_free(odb);
    return rc;
}

static void sound_object_reads(void **state)
{
    struct fixture *fx = *state;
    git_oid id;
    size_t zlen;
    git_odb_hash(&id, CONTENT, strlen(CONTENT), GIT_OBJECT_BLOB);
    unsigned char *z = deflate_object("blob 41", CONTENT, strlen(CONTENT), &zlen);
    write_file(fx, &id, z, zlen);
    git_odb_object *obj;
    assert_int_equal(read_object(fx, &id, &obj), 0);
    assert_int_equal(git_odb_object_size(obj), strlen(CONTENT));
    assert_memory_equal(git_odb_object_data(obj), CONTENT, strlen(CONTENT));
    git_odb_object_free(obj);
    free(z);
}

static void every_cut_is_an_error(void **state)
{
    struct fixture *fx = *state;
    git_oid id;
    size_t zlen;
    git_odb_hash(&id, CONTENT, strlen(CONTENT), GIT_OBJECT_BLOB);
    unsigned char *z = deflate_object("blob 41", CONTENT, strlen(CONTENT), &zlen);
    for (size_t cut = 0; cut < zlen; cut++) {
        write_file(fx, &id, z, cut);
        git_odb_object *obj = NULL;
        if (read_object(fx, &id, &obj) == 0)
            fail_msg("a loose object cut to %zu of %zu bytes was read", cut, zlen);
        assert_non_null(strstr(git_error_last()->message, "git fsck"));
    }
    free(z);
}

static void every_flip_is_an_error_or_the_object(void **state)
{
    struct fixture *fx = *state;
    git_oid id;
    size_t zlen;
    git_odb_hash(&id, CONTENT, strlen(CONTENT), GIT_OBJECT_BLOB);
    unsigned char *z = deflate_object("blob 41", CONTENT, strlen(CONTENT), &zlen);
    for (size_t i = 0; i < zlen; i++)
        for (unsigned bit = 0; bit < 8; bit++) {
            z[i] ^= (unsigned char)(1u << bit);
            write_file(fx, &id, z, zlen);
            git_odb_object *obj = NULL;
            if (read_object(fx, &id, &obj) == 0) {
                assert_int_equal(git_odb_object_size(obj), strlen(CONTENT));
                assert_memory_equal(git_odb_object_data(obj), CONTENT, strlen(CONTENT));
                git_odb_object_free(obj);
            }
            z[i] ^= (unsigned char)(1u << bit);
        }
    free(z);
}

static void lying_headers_are_errors(void **state)
{
    struct fixture *fx = *state;
    static const char *const headers[] = {"blob 40",  "blob 42",   "blob 4000000", "blob",
                                          "blob -41", "blob 041x", "bl0b 41",      "blob  41"};
    git_oid id;
    git_odb_hash(&id, CONTENT, strlen(CONTENT), GIT_OBJECT_BLOB);
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        size_t zlen;
        unsigned char *z = deflate_object(headers[i], CONTENT, strlen(CONTENT), &zlen);
        write_file(fx, &id, z, zlen);
        git_odb_object *obj = NULL;
        if (read_object(fx, &id, &obj) == 0)
            fail_msg("a loose object with header '%s' was read", headers[i]);
        free(z);
    }
}

static void header_without_the_body(void **state)
{
    /* A blob whose header claims 1 GiB over a few bytes of data: its size
     * reads from the header; reading it whole is refused before inflating. */
    struct fixture *fx = *state;
    git_oid id;
    size_t zlen;
    git_odb_hash(&id, "x", 1, GIT_OBJECT_BLOB);
    unsigned char *z = deflate_object("blob 1073741824", CONTENT, strlen(CONTENT), &zlen);
    write_file(fx, &id, z, zlen);
    assert_int_equal(al_odb_install(fx->repo), 0);
    git_odb *odb;
    assert_int_equal(git_repository_odb(&odb, fx->repo), 0);
    size_t len;
    git_object_t type;
    assert_int_equal(git_odb_read_header(&len, &type, odb, &id), 0);
    assert_int_equal(len, 1073741824);
    assert_int_equal(type, GIT_OBJECT_BLOB);
    git_odb_object *obj = NULL;
    assert_true(git_odb_read(&obj, odb, &id) < 0);
    assert_non_null(strstr(git_error_last()->message, "more than agentlint reads"));
    git_odb_free(odb);
    free(z);
}

static void missing_object_is_not_found(void **state)
{
    struct fixture *fx = *state;
    git_oid id;
    git_odb_hash(&id, "absent", 6, GIT_OBJECT_BLOB);
    git_odb_object *obj = NULL;
    assert_int_equal(read_object(fx, &id, &obj), GIT_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sound_object_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(every_cut_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(every_flip_is_an_error_or_the_object, setup, teardown),
        cmocka_unit_test_setup_teardown(lying_headers_are_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(header_without_the_body, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_object_is_not_found, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
