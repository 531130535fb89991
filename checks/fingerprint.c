/* Fingerprints of findings: what Code Quality, SARIF, check's JSON, diff and
 * baselines use to recognise a finding across runs. */
#include "checks/finding.h"
#include "common/alloc.h"
#include "common/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A key path without list indices: ci_access.projects[3].id -> ci_access.projects[].id. */
static void put_key_path(struct al_buf *b, const char *kp)
{
    for (const char *p = kp; *p; p++) {
        al_buf_putc(b, *p);
        if (*p != '[')
            continue;
        const char *q = p + 1;
        while (*q >= '0' && *q <= '9')
            q++;
        if (q > p + 1 && *q == ']')
            p = q - 1;
    }
}

/* A field of the hashed record: absent and empty differ, and NUL separators
 * keep ("ab", "c") apart from ("a", "bc"). */
static void put_field(struct al_buf *b, const char *s, bool key_path)
{
    if (!s) {
        al_buf_putc(b, '0');
    } else {
        al_buf_putc(b, '1');
        if (key_path)
            put_key_path(b, s);
        else
            al_buf_puts(b, s);
    }
    al_buf_put(b, "", 1);
}

void al_finding_fingerprint(const struct al_finding *f, unsigned occurrence,
                            struct al_fingerprint *out)
{
    struct al_buf rec = AL_BUF_INIT;
    al_buf_put(&rec, "agentlint/v1", sizeof "agentlint/v1"); /* with its NUL */
    put_field(&rec, f->rule, false);
    put_field(&rec, f->path, false);
    put_field(&rec, f->key_path, true);
    put_field(&rec, f->value, false);
    /* The first occurrence hashes as if there were no counter, so a second
     * identical finding appearing later leaves the first one's fingerprint. */
    if (occurrence)
        al_buf_printf(&rec, "#%u", occurrence);
    unsigned long long h1 = al_hash_mix(al_str_hash(rec.ptr, rec.len, 0));
    unsigned long long h2 = al_hash_mix(al_str_hash(rec.ptr, rec.len, 0x9e3779b97f4a7c15ULL));
    snprintf(out->hex, sizeof out->hex, "%016llx%016llx", h1, h2);
    al_buf_free(&rec);
}

struct fp_entry {
    struct al_fingerprint fp;
    size_t index;
};

static int fp_entry_cmp(const void *a, const void *b)
{
    const struct fp_entry *x = a, *y = b;
    int c = memcmp(x->fp.hex, y->fp.hex, AL_FINGERPRINT_LEN);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

struct al_fingerprint *al_findings_fingerprints(const struct al_findings *fs)
{
    struct al_fingerprint *out = al_calloc(fs->n ? fs->n : 1, sizeof(*out));
    struct fp_entry *e = al_calloc(fs->n ? fs->n : 1, sizeof(*e));
    for (size_t i = 0; i < fs->n; i++) {
        al_finding_fingerprint(&fs->items[i], 0, &e[i].fp);
        e[i].index = i;
    }
    /* Sorting by (fingerprint, position in the list) numbers equal ones in
     * list order in O(n log n): a report may hold 100,000 findings. */
    al_qsort(e, fs->n, sizeof(*e), fp_entry_cmp);
    unsigned occurrence = 0;
    for (size_t i = 0; i < fs->n; i++) {
        bool same = i > 0 && memcmp(e[i].fp.hex, e[i - 1].fp.hex, AL_FINGERPRINT_LEN) == 0;
        occurrence = same ? occurrence + 1 : 0;
        if (occurrence)
            al_finding_fingerprint(&fs->items[e[i].index], occurrence, &out[e[i].index]);
        else
            out[e[i].index] = e[i].fp;
    }
    free(e);
    return out;
}
