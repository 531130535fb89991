#include "model/odb.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Git's own limit on chains of alternates (objects/info/alternates). */
enum { MAX_ALTERNATE_DEPTH = 5, HEADER_MAX = 64 };

/* ---- a loose object, inflated with bounds ---- */

struct inflater {
    int fd;
    z_stream z;
    int zrc;      /* last inflate() result */
    bool eof;     /* the file has no more input */
    bool damaged; /* a read error, a zlib error, or input that ends too early */
    unsigned char in[16384];
};

/* Inflate into out[0..cap) until it is full, the stream ends or the input is
 * damaged. Every turn consumes input or produces output, and the input is a
 * regular file: this ends. */
static size_t inflate_into(struct inflater *in, unsigned char *out, size_t cap)
{
    in->z.next_out = out;
    in->z.avail_out = (uInt)cap;
    while (in->z.avail_out > 0 && in->zrc != Z_STREAM_END && !in->damaged) {
        if (in->z.avail_in == 0 && !in->eof) {
            ssize_t r = read(in->fd, in->in, sizeof in->in);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0)
                in->damaged = true;
            in->eof = r <= 0;
            in->z.next_in = in->in;
            in->z.avail_in = r > 0 ? (uInt)r : 0;
        }
        uInt before_in = in->z.avail_in, before_out = in->z.avail_out;
        in->zrc = inflate(&in->z, Z_NO_FLUSH);
        bool progress = in->z.avail_in != before_in || in->z.avail_out != before_out;
        if ((in->zrc != Z_OK && in->zrc != Z_STREAM_END && in->zrc != Z_BUF_ERROR) ||
            (!progress && in->eof && in->zrc != Z_STREAM_END))
            in->damaged = true; /* corrupt data, or input that ends mid-stream */
    }
    return cap - in->z.avail_out;
}

/* After the stream's end: git refuses a loose object with bytes after it. */
static bool trailing_garbage(struct inflater *in)
{
    unsigned char c;
    return in->z.avail_in > 0 || read(in->fd, &c, 1) > 0;
}

static git_object_t parse_type(const char *s, size_t n)
{
    static const struct {
        const char *name;
        git_object_t type;
    } types[] = {{"blob", GIT_OBJECT_BLOB},
                 {"tree", GIT_OBJECT_TREE},
                 {"commit", GIT_OBJECT_COMMIT},
                 {"tag", GIT_OBJECT_TAG}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strlen(types[i].name) == n && memcmp(types[i].name, s, n) == 0)
            return types[i].type;
    return GIT_OBJECT_INVALID;
}

/* "<type> <decimal size>\0": the length of the header, or 0 when invalid. */
static size_t parse_header(const unsigned char *h, size_t n, git_object_t *type, size_t *size)
{
    const unsigned char *sp = memchr(h, ' ', n), *nul = memchr(h, '\0', n);
    if (!sp || !nul || nul < sp + 2)
        return 0;
    *type = parse_type((const char *)h, (size_t)(sp - h));
    size_t v = 0;
    for (const unsigned char *p = sp + 1; p < nul; p++) {
        if (*p < '0' || *p > '9' || v > (SIZE_MAX - 9) / 10)
            return 0;
        v = v * 10 + (size_t)(*p - '0');
    }
    *size = v;
    return *type == GIT_OBJECT_INVALID ? 0 : (size_t)(nul - h) + 1;
}

struct loose {
    git_odb_backend parent;
    char *dir; /* objects directory, with a trailing '/' */
};

static void object_path(const struct loose *lb, const git_oid *id, struct al_buf *out)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, id);
    al_buf_printf(out, "%s%.2s/%s", lb->dir, hex, hex + 2);
}

static int damaged(const git_oid *id, const char *why)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, id);
    struct al_buf m = AL_BUF_INIT;
    al_buf_printf(&m,
                  "object %s is %s; run git fsck and restore the object from another clone "
                  "of the repository",
                  hex, why);
    git_error_set_str(GIT_ERROR_ODB, al_buf_cstr(&m));
    al_buf_free(&m);
    return -1;
}

static int too_large(const git_oid *id, size_t size)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, id);
    struct al_buf m = AL_BUF_INIT;
    al_buf_printf(&m, "object %s is %zu bytes, more than agentlint reads (%d bytes)", hex, size,
                  AL_ODB_MAX_OBJECT);
    git_error_set_str(GIT_ERROR_ODB, al_buf_cstr(&m));
    al_buf_free(&m);
    return -1;
}

/* Open a loose object and inflate its header: GIT_ENOTFOUND when there is no
 * such file. On success `in` is ready for the body and hdr holds `*got`
 * inflated bytes, the header and maybe the start of the body. */
static int loose_open(const struct loose *lb, const git_oid *id, struct inflater *in,
                      unsigned char hdr[HEADER_MAX], size_t *got, size_t *hlen, git_object_t *type,
                      size_t *size)
{
    struct al_buf path = AL_BUF_INIT;
    object_path(lb, id, &path);
    in->fd = open(al_buf_cstr(&path), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    al_buf_free(&path);
    if (in->fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? GIT_ENOTFOUND : damaged(id, "unreadable");
    struct stat st;
    if (fstat(in->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(in->fd);
        return damaged(id, "not a regular file");
    }
    if (inflateInit(&in->z) != Z_OK) {
        close(in->fd);
        git_error_set_oom();
        return -1;
    }
    *got = inflate_into(in, hdr, HEADER_MAX);
    *hlen = parse_header(hdr, *got, type, size);
    if (*hlen == 0) {
        inflateEnd(&in->z);
        close(in->fd);
        return damaged(id, in->damaged ? "truncated or corrupt (its compressed data is damaged)"
                                       : "corrupt (its header is not a git object header)");
    }
    return 0;
}

static void loose_close(struct inflater *in)
{
    inflateEnd(&in->z);
    close(in->fd);
}

static int loose_read_header(size_t *len, git_object_t *type, git_odb_backend *b, const git_oid *id)
{
    struct inflater in = {0};
    unsigned char hdr[HEADER_MAX];
    size_t got, hlen;
    int rc = loose_open((struct loose *)b, id, &in, hdr, &got, &hlen, type, len);
    if (rc == 0)
        loose_close(&in);
    return rc;
}

static int loose_read(void **data, size_t *len, git_object_t *type, git_odb_backend *b,
                      const git_oid *id)
{
    struct inflater in = {0};
    unsigned char hdr[HEADER_MAX];
    size_t got, hlen, size;
    int rc = loose_open((struct loose *)b, id, &in, hdr, &got, &hlen, type, &size);
    if (rc < 0)
        return rc;
    if (size > AL_ODB_MAX_OBJECT) {
        loose_close(&in);
        return too_large(id, size);
    }
    size_t have = got - hlen;
    unsigned char *body = git_odb_backend_data_alloc(b, size + 1);
    if (!body || have > size) {
        loose_close(&in);
        git_odb_backend_data_free(b, body);
        return body ? damaged(id, "corrupt (longer than its header says)") : -1;
    }
    memcpy(body, hdr + hlen, have);
    have += inflate_into(&in, body + have, size - have);
    unsigned char extra;
    bool longer = have == size && inflate_into(&in, &extra, 1) > 0;
    const char *why = in.damaged || have < size ? "truncated or corrupt (its data ends early)"
                      : longer                  ? "corrupt (longer than its header says)"
                      : trailing_garbage(&in)   ? "corrupt (it has bytes after its data)"
                                                : NULL;
    loose_close(&in);
    if (why) {
        git_odb_backend_data_free(b, body);
        return damaged(id, why);
    }
    body[size] = '\0';
    *data = body;
    *len = size;
    return 0;
}

static int loose_exists(git_odb_backend *b, const git_oid *id)
{
    struct al_buf path = AL_BUF_INIT;
    object_path((struct loose *)b, id, &path);
    struct stat st;
    bool found = lstat(al_buf_cstr(&path), &st) == 0;
    al_buf_free(&path);
    return found;
}

/* The one loose object whose id starts with the first `n` hex digits of
 * `prefix`: GIT_ENOTFOUND, GIT_EAMBIGUOUS or 0. */
static int loose_find_prefix(git_oid *out, const struct loose *lb, const git_oid *prefix, size_t n)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, prefix);
    if (n < 2 || n > GIT_OID_HEXSZ)
        return GIT_ENOTFOUND;
    struct al_buf dir = AL_BUF_INIT;
    al_buf_printf(&dir, "%s%.2s", lb->dir, hex);
    DIR *d = opendir(al_buf_cstr(&dir));
    al_buf_free(&dir);
    int found = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (strlen(de->d_name) != GIT_OID_HEXSZ - 2 || strncasecmp(de->d_name, hex + 2, n - 2) != 0)
            continue;
        char full[GIT_OID_HEXSZ + 1];
        memcpy(full, hex, 2);
        memcpy(full + 2, de->d_name, GIT_OID_HEXSZ - 2);
        full[GIT_OID_HEXSZ] = '\0';
        git_oid id;
        if (git_oid_fromstr(&id, full) < 0)
            continue;
        if (found && !git_oid_equal(&id, out)) {
            found = 2;
            break;
        }
        *out = id;
        found = 1;
    }
    if (d)
        closedir(d);
    git_error_clear();
    if (found == 2) {
        git_error_set_str(GIT_ERROR_ODB, "ambiguous object id prefix");
        return GIT_EAMBIGUOUS;
    }
    return found ? 0 : GIT_ENOTFOUND;
}

static int loose_exists_prefix(git_oid *out, git_odb_backend *b, const git_oid *prefix, size_t n)
{
    return loose_find_prefix(out, (struct loose *)b, prefix, n);
}

static int loose_read_prefix(git_oid *out, void **data, size_t *len, git_object_t *type,
                             git_odb_backend *b, const git_oid *prefix, size_t n)
{
    int rc = loose_find_prefix(out, (struct loose *)b, prefix, n);
    return rc < 0 ? rc : loose_read(data, len, type, b, out);
}

static void loose_free(git_odb_backend *b)
{
    struct loose *lb = (struct loose *)b;
    free(lb->dir);
    free(lb);
}

static git_odb_backend *loose_new(const char *dir)
{
    struct loose *lb = al_calloc(1, sizeof(*lb));
    git_odb_init_backend(&lb->parent, GIT_ODB_BACKEND_VERSION);
    size_t n = strlen(dir);
    lb->dir = al_malloc(n + 2);
    memcpy(lb->dir, dir, n);
    lb->dir[n] = '/';
    lb->dir[n + 1] = '\0';
    lb->parent.read = loose_read;
    lb->parent.read_header = loose_read_header;
    lb->parent.read_prefix = loose_read_prefix;
    lb->parent.exists = loose_exists;
    lb->parent.exists_prefix = loose_exists_prefix;
    lb->parent.free = loose_free;
    return &lb->parent;
}

/* ---- packs: libgit2's reader, asked for the size first ---- */

struct packguard {
    git_odb_backend parent;
    git_odb_backend *pack;
};

#define PACK(b) (((struct packguard *)(b))->pack)

static int pack_size_ok(git_odb_backend *b, const git_oid *id)
{
    size_t len;
    git_object_t type;
    int rc = PACK(b)->read_header(&len, &type, PACK(b), id);
    if (rc < 0)
        return rc;
    return len > AL_ODB_MAX_OBJECT ? too_large(id, len) : 0;
}

static int pack_read(void **data, size_t *len, git_object_t *type, git_odb_backend *b,
                     const git_oid *id)
{
    int rc = pack_size_ok(b, id);
    return rc < 0 ? rc : PACK(b)->read(data, len, type, PACK(b), id);
}

static int pack_read_prefix(git_oid *out, void **data, size_t *len, git_object_t *type,
                            git_odb_backend *b, const git_oid *prefix, size_t n)
{
    int rc = PACK(b)->exists_prefix(out, PACK(b), prefix, n);
    if (rc == 0)
        rc = pack_size_ok(b, out);
    return rc < 0 ? rc : PACK(b)->read(data, len, type, PACK(b), out);
}

static int pack_read_header(size_t *len, git_object_t *type, git_odb_backend *b, const git_oid *id)
{
    return PACK(b)->read_header(len, type, PACK(b), id);
}

static int pack_exists(git_odb_backend *b, const git_oid *id)
{
    return PACK(b)->exists(PACK(b), id);
}

static int pack_exists_prefix(git_oid *out, git_odb_backend *b, const git_oid *prefix, size_t n)
{
    return PACK(b)->exists_prefix(out, PACK(b), prefix, n);
}

static int pack_refresh(git_odb_backend *b)
{
    return PACK(b)->refresh ? PACK(b)->refresh(PACK(b)) : 0;
}

static void pack_free(git_odb_backend *b)
{
    PACK(b)->free(PACK(b));
    free(b);
}

static int pack_new(git_odb_backend **out, const char *dir)
{
    git_odb_backend *pack;
    if (git_odb_backend_pack(&pack, dir) < 0)
        return -1;
    struct packguard *pg = al_calloc(1, sizeof(*pg));
    git_odb_init_backend(&pg->parent, GIT_ODB_BACKEND_VERSION);
    pg->pack = pack;
    pg->parent.read = pack_read;
    pg->parent.read_header = pack_read_header;
    pg->parent.read_prefix = pack_read_prefix;
    pg->parent.exists = pack_exists;
    pg->parent.exists_prefix = pack_exists_prefix;
    pg->parent.refresh = pack_refresh;
    pg->parent.free = pack_free;
    *out = &pg->parent;
    return 0;
}

/* ---- the database: a directory, its alternates ---- */

struct seen {
    struct stat dirs[16];
    size_t n;
};

static bool seen_before(struct seen *s, const struct stat *st)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->dirs[i].st_dev == st->st_dev && s->dirs[i].st_ino == st->st_ino)
            return true;
    if (s->n < sizeof s->dirs / sizeof s->dirs[0])
        s->dirs[s->n++] = *st;
    return false;
}

static int add_dir(git_odb *odb, const char *dir, int depth, struct seen *seen);

/* objects/info/alternates: one directory a line, relative ones from `dir`. */
static int add_alternates(git_odb *odb, const char *dir, int depth, struct seen *seen)
{
    struct al_buf path = AL_BUF_INIT;
    al_buf_printf(&path, "%s/info/alternates", dir);
    FILE *fp = fopen(al_buf_cstr(&path), "re");
    al_buf_free(&path);
    char line[4096];
    int rc = 0;
    while (fp && rc == 0 && fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        struct al_buf alt = AL_BUF_INIT;
        if (line[0] == '/')
            al_buf_puts(&alt, line);
        else
            al_buf_printf(&alt, "%s/%s", dir, line);
        rc = add_dir(odb, al_buf_cstr(&alt), depth + 1, seen);
        al_buf_free(&alt);
    }
    if (fp)
        fclose(fp);
    return rc;
}

static int add_dir(git_odb *odb, const char *dir, int depth, struct seen *seen)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (depth > 0)
            return 0; /* git warns about a missing alternate and goes on */
        return al_error_set("the object directory %s does not exist: this is not a complete git "
                            "repository",
                            dir);
    }
    if (depth > MAX_ALTERNATE_DEPTH || seen_before(seen, &st))
        return 0;
    git_odb_backend *pack;
    if (pack_new(&pack, dir) < 0)
        return al_error_set("cannot read the packs in %s: %s", dir, git_error_last()->message);
    /* As libgit2's defaults: packs (priority 2) before loose objects (1). */
    int (*add)(git_odb *, git_odb_backend *, int) =
        depth ? git_odb_add_alternate : git_odb_add_backend;
    if (add(odb, pack, 2) < 0 || add(odb, loose_new(dir), 1) < 0)
        return al_error_set("cannot set up the object database: %s", git_error_last()->message);
    return add_alternates(odb, dir, depth, seen);
}

/* GIT_ALTERNATE_OBJECT_DIRECTORIES: a ':'-separated list, as git reads it. */
static int add_env_alternates(git_odb *odb, struct seen *seen)
{
    const char *env = getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
    int rc = 0;
    for (const char *p = env; p && *p && rc == 0;) {
        size_t n = strcspn(p, ":");
        char *dir = al_strndup(p, n);
        if (*dir)
            rc = add_dir(odb, dir, 1, seen);
        free(dir);
        p += n + (p[n] == ':');
    }
    return rc;
}

int al_odb_install(git_repository *git)
{
    git_odb *odb;
    if (git_odb_new(&odb) < 0)
        return al_error_set("cannot set up the object database: %s", git_error_last()->message);
    struct al_buf dir = AL_BUF_INIT;
    const char *env = getenv("GIT_OBJECT_DIRECTORY");
    if (env && *env)
        al_buf_puts(&dir, env);
    else
        al_buf_printf(&dir, "%sobjects", git_repository_commondir(git));
    struct seen seen = {0};
    int rc = add_dir(odb, al_buf_cstr(&dir), 0, &seen);
    if (rc == 0)
        rc = add_env_alternates(odb, &seen);
    if (rc == 0 && git_repository_set_odb(git, odb) < 0)
        rc = al_error_set("cannot set up the object database: %s", git_error_last()->message);
    al_buf_free(&dir);
    git_odb_free(odb);
    return rc;
}
