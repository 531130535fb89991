/* --write-baseline: the findings a repository accepts, as JSON that check
 * --baseline reads back (validator/baseline.h) and a reviewer can read in a
 * merge request: each fingerprint with the rule, file, agent and key it
 * stands for, never a line number or message, so that moving lines or a
 * new agentlint wording does not churn the file. Sorted by those fields for
 * the same reason. */
#include "cli/emit.h"
#include "common/alloc.h"
#include "cli/render.h"

#include <stdlib.h>
#include <string.h>

struct entry {
    const struct al_finding *f;
    const struct al_fingerprint *fp;
};

static int str_cmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int entry_cmp(const void *x, const void *y)
{
    const struct entry *a = x, *b = y;
    int c = str_cmp(a->f->path, b->f->path);
    if (!c)
        c = str_cmp(a->f->rule, b->f->rule);
    if (!c)
        c = str_cmp(a->f->key_path, b->f->key_path);
    return c ? c : strcmp(a->fp->hex, b->fp->hex);
}

void al_render_baseline(const struct al_findings *fs, const struct al_fingerprint *fps,
                        const char *version, struct al_buf *out)
{
    struct entry *es = al_calloc(fs->n ? fs->n : 1, sizeof(*es));
    for (size_t i = 0; i < fs->n; i++)
        es[i] = (struct entry){&fs->items[i], &fps[i]};
    al_qsort(es, fs->n, sizeof(*es), entry_cmp);
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, out);
    al_emit_map_start(e);
    al_emit_kint(e, "version", 1);
    al_emit_key(e, "tool");
    al_emit_map_start(e);
    al_emit_kstr(e, "name", "agentlint");
    al_emit_kstr(e, "version", version);
    al_emit_map_end(e);
    al_emit_key(e, "findings");
    al_emit_seq_start(e);
    for (size_t i = 0; i < fs->n; i++) {
        al_emit_map_start(e);
        al_emit_kstr(e, "fingerprint", es[i].fp->hex);
        al_emit_kstr(e, "rule", es[i].f->rule);
        al_emit_kstr(e, "path", es[i].f->path);
        al_emit_kstr(e, "agent", es[i].f->agent);
        al_emit_kstr(e, "key_path", es[i].f->key_path);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);
    al_emit_map_end(e);
    al_emit_finish(e);
    free(es);
}
