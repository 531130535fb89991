#include "cli/emit.h"
#include "common/alloc.h"
#include "common/utf8.h"
#include "validator/yaml.h"

#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct al_emit {
    enum al_emit_mode mode;
    struct fy_emitter *fy;
    struct al_buf *out;
    bool failed;
};

static int write_out(struct fy_emitter *fy, enum fy_emitter_write_type type, const char *str,
                     int len, void *userdata)
{
    (void)fy;
    (void)type;
    struct al_emit *e = userdata;
    if (len > 0)
        al_buf_put(e->out, str, (size_t)len);
    return len;
}

static void ev(struct al_emit *e, struct fy_event *fye)
{
    if (!fye || fy_emit_event(e->fy, fye) != 0)
        e->failed = true;
}

struct al_emit *al_emit_new(enum al_emit_mode mode, struct al_buf *out)
{
    struct al_emit *e = al_calloc(1, sizeof(*e));
    e->mode = mode;
    e->out = out;
    struct fy_emitter_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.flags = mode == AL_EMIT_JSON
                    ? (enum fy_emitter_cfg_flags)(FYECF_MODE_JSON | FYECF_INDENT_2 | FYECF_WIDTH_INF)
                    : (enum fy_emitter_cfg_flags)(FYECF_MODE_BLOCK | FYECF_INDENT_2 |
                                                  FYECF_WIDTH_INF | FYECF_DOC_START_MARK_ON);
    cfg.output = write_out;
    cfg.userdata = e;
    e->fy = fy_emitter_create(&cfg);
    if (!e->fy) {
        fputs("agentlint: cannot create the output emitter\n", stderr);
        exit(2);
    }
    ev(e, fy_emit_event_create(e->fy, FYET_STREAM_START));
    if (mode == AL_EMIT_JSON)
        al_emit_doc_start(e);
    return e;
}

int al_emit_finish(struct al_emit *e)
{
    if (e->mode == AL_EMIT_JSON)
        al_emit_doc_end(e);
    ev(e, fy_emit_event_create(e->fy, FYET_STREAM_END));
    int rc = e->failed ? -1 : 0;
    fy_emitter_destroy(e->fy);
    if (e->mode == AL_EMIT_JSON && (!e->out->len || e->out->ptr[e->out->len - 1] != '\n'))
        al_buf_putc(e->out, '\n');
    free(e);
    return rc;
}

void al_emit_doc_start(struct al_emit *e)
{
    ev(e, fy_emit_event_create(e->fy, FYET_DOCUMENT_START, e->mode == AL_EMIT_JSON ? 1 : 0, NULL,
                               NULL));
}

void al_emit_doc_end(struct al_emit *e)
{
    ev(e, fy_emit_event_create(e->fy, FYET_DOCUMENT_END, 1));
}

void al_emit_map_start(struct al_emit *e)
{
    ev(e, fy_emit_event_create(e->fy, FYET_MAPPING_START, FYNS_ANY, NULL, NULL));
}

void al_emit_map_end(struct al_emit *e)
{
    ev(e, fy_emit_event_create(e->fy, FYET_MAPPING_END));
}

void al_emit_seq_start(struct al_emit *e)
{
    ev(e, fy_emit_event_create(e->fy, FYET_SEQUENCE_START, FYNS_ANY, NULL, NULL));
}

void al_emit_seq_start_flow(struct al_emit *e)
{
    ev(e, fy_emit_event_create(e->fy, FYET_SEQUENCE_START, FYNS_FLOW, NULL, NULL));
}

void al_emit_seq_end(struct al_emit *e)
{
    ev(e, fy_emit_event_create(e->fy, FYET_SEQUENCE_END));
}

static void scalar(struct al_emit *e, enum fy_scalar_style style, const char *s, size_t n)
{
    ev(e, fy_emit_event_create(e->fy, FYET_SCALAR, style, s, n, NULL, NULL));
}

/* In YAML, a plain scalar that a YAML 1.1 or 1.2 reader would take for a
 * bool, number or null must be quoted to stay a string. */
static bool needs_quotes(const char *s, size_t n)
{
    long long iv;
    double fv;
    bool bv;
    if (n == 0 || al_yscalar_resolve(s, n, &iv, &fv, &bv) != AL_YSTR)
        return true;
    /* Be conservative with anything YAML could read as special. */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return true;
    }
    return al_yscalar_is_merge(s, n) || s[0] == ' ' || s[n - 1] == ' ';
}

void al_emit_strn(struct al_emit *e, const char *s, size_t n)
{
    if (!s) {
        al_emit_null(e);
        return;
    }
    char *clean = NULL;
    if (!al_utf8_valid(s, n)) {
        clean = al_utf8_sanitize(s, n);
        s = clean;
        n = strlen(clean);
    }
    if (e->mode == AL_EMIT_JSON || needs_quotes(s, n))
        scalar(e, FYSS_DOUBLE_QUOTED, s, n);
    else
        scalar(e, FYSS_ANY, s, n);
    free(clean);
}

void al_emit_str(struct al_emit *e, const char *s)
{
    al_emit_strn(e, s, s ? strlen(s) : 0);
}

void al_emit_int(struct al_emit *e, long long v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", v);
    scalar(e, FYSS_PLAIN, buf, (size_t)n);
}

void al_emit_bool(struct al_emit *e, bool v)
{
    scalar(e, FYSS_PLAIN, v ? "true" : "false", v ? 4 : 5);
}

void al_emit_null(struct al_emit *e)
{
    scalar(e, FYSS_PLAIN, "null", 4);
}

void al_emit_key(struct al_emit *e, const char *key)
{
    al_emit_str(e, key);
}

void al_emit_kstr(struct al_emit *e, const char *key, const char *val)
{
    al_emit_key(e, key);
    al_emit_str(e, val);
}

void al_emit_kint(struct al_emit *e, const char *key, long long val)
{
    al_emit_key(e, key);
    al_emit_int(e, val);
}

void al_emit_kbool(struct al_emit *e, const char *key, bool val)
{
    al_emit_key(e, key);
    al_emit_bool(e, val);
}
