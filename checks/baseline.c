#include "checks/baseline.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/error.h"
#include "model/yaml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_BASELINE_FILE = 64 * 1024 * 1024 };

static bool is_fingerprint(const struct al_ynode *n)
{
    return n && n->kind == AL_YSTR && n->len == AL_FINGERPRINT_LEN &&
           strspn(n->str, "0123456789abcdef") == AL_FINGERPRINT_LEN;
}

static int fp_cmp(const void *a, const void *b)
{
    return memcmp(a, b, AL_FINGERPRINT_LEN);
}

static int from_doc(const struct al_ydoc *doc, const char *origin, struct al_baseline *b)
{
    if (al_ydoc_has_syntax_error(doc))
        return al_error_set("--baseline %s is not valid JSON (line %u: %s); write one with "
                            "agentlint check --write-baseline %s",
                            origin, doc->issues[0].pos.line, doc->issues[0].message, origin);
    const struct al_ynode *fs =
        doc->root && doc->root->kind == AL_YMAP ? al_ymap_get(doc->root, "findings") : NULL;
    if (!fs || fs->kind != AL_YSEQ)
        return al_error_set("--baseline %s has no \"findings\" list: give a file written by "
                            "agentlint check --write-baseline, or agentlint check -f json output",
                            origin);
    b->fps = al_calloc(fs->n ? fs->n : 1, sizeof(*b->fps));
    for (size_t i = 0; i < fs->n; i++) {
        const struct al_ynode *it = fs->items[i];
        const struct al_ynode *fp = it->kind == AL_YMAP ? al_ymap_get(it, "fingerprint") : NULL;
        if (!is_fingerprint(fp))
            return al_error_set("--baseline %s: finding %zu (line %u) has no fingerprint of 32 "
                                "hex digits; write the file again with agentlint check "
                                "--write-baseline",
                                origin, i + 1, it->pos.line);
        memcpy(b->fps[b->n++], fp->str, AL_FINGERPRINT_LEN + 1);
    }
    al_qsort(b->fps, b->n, sizeof(*b->fps), fp_cmp);
    return 0;
}

int al_baseline_parse(const char *data, size_t len, const char *origin, struct al_baseline **out)
{
    struct al_baseline *b = al_calloc(1, sizeof(*b));
    struct al_ydoc *doc = al_yaml_load(data, len);
    int rc = from_doc(doc, origin, b);
    al_ydoc_free(doc);
    if (rc < 0) {
        al_baseline_free(b);
        b = NULL;
    }
    *out = b;
    return rc;
}

int al_baseline_load(const char *path, struct al_baseline **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return al_error_set("cannot read --baseline %s: %s (create it with agentlint check "
                            "--write-baseline %s)",
                            path, strerror(errno), path);
    struct al_buf data = AL_BUF_INIT;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        al_buf_put(&data, chunk, n);
        if (data.len > MAX_BASELINE_FILE)
            rc = al_error_set("--baseline %s is larger than 64 MiB: not a baseline", path);
    }
    if (rc == 0 && ferror(f))
        rc = al_error_set("cannot read --baseline %s: %s", path, strerror(errno));
    fclose(f);
    if (rc == 0)
        rc = al_baseline_parse(al_buf_cstr(&data), data.len, path, out);
    al_buf_free(&data);
    return rc;
}

void al_baseline_free(struct al_baseline *b)
{
    if (!b)
        return;
    free(b->fps);
    free(b);
}

bool al_baseline_has(const struct al_baseline *b, const char *hex)
{
    return b && b->n && bsearch(hex, b->fps, b->n, sizeof(*b->fps), fp_cmp) != NULL;
}
