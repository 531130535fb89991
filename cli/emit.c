/* Structured output through libfyaml, around two faults of 0.7.12's event
 * emitter: it drops the leading and trailing spaces of every scalar it is
 * handed, quoted or not (" lead" came out as "lead" in explain's JSON), and
 * it writes a block sequence of mappings as a broken flow sequence. Its
 * parser has neither fault, and neither has its document emitter.
 *
 * JSON streams events (reports are large: 50,000 entries). A string the
 * event emitter would trim becomes the scalar event libfyaml's parser reads
 * from a double-quoted literal of it (every quote, backslash and control
 * character escaped), which the emitter writes back with its own escaping.
 *
 * YAML (RBAC: small) builds a libfyaml document per YAML document, emitted
 * whole: a string is a plain node when that reads back as the same string,
 * else a node parsed from the same kind of literal. */
#include "cli/emit.h"
#include "common/alloc.h"
#include "common/safe.h"
#include "common/utf8.h"
#include "validator/yaml.h"

#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An open collection of the YAML document being built. */
struct frame {
    struct fy_node *node;
    struct fy_node *key; /* mappings: the key waiting for its value */
};

struct al_emit {
    enum al_emit_mode mode;
    struct fy_emitter *fy;
    struct al_buf *out;
    bool failed;
    struct fy_document *doc; /* YAML: the document being built */
    char pending[4];         /* YAML: a UTF-8 sequence cut between two writes */
    size_t n_pending;
    struct frame *stack;
    size_t depth, cap;
};

/* YAML: libfyaml writes bidi controls, zero-width characters and the like
 * (common/safe.h) raw, even in a double-quoted scalar, where a terminal or
 * an editor would apply them. Every string that may hold one is emitted
 * double-quoted (yaml_plain admits ASCII only), so each is inside double
 * quotes, where \uXXXX is its exact escape. A sequence cut between two
 * writes waits in e->pending. */
static void yaml_put(struct al_emit *e, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (i < n && (unsigned char)s[i] < 0x80)
            i++;
        al_buf_put(e->out, s + run, i - run);
        if (i == n)
            break;
        unsigned char lead = (unsigned char)s[i];
        size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
        if (n - i < need && lead >= 0xc0) {
            memcpy(e->pending, s + i, n - i);
            e->n_pending = n - i;
            return;
        }
        int32_t cp;
        size_t len = al_safe_decode(s + i, n - i, &cp);
        if (cp >= 0x80 && al_safe_class((uint32_t)cp) != AL_SAFE_OK)
            al_buf_printf(e->out, cp > 0xffff ? "\\U%08X" : "\\u%04X", (unsigned)cp);
        else
            al_buf_put(e->out, s + i, len);
        i += len;
    }
}

static int write_out(struct fy_emitter *fy, enum fy_emitter_write_type type, const char *str,
                     int len, void *userdata)
{
    (void)fy;
    (void)type;
    struct al_emit *e = userdata;
    if (len <= 0)
        return len;
    if (e->mode == AL_EMIT_JSON) {
        al_buf_put(e->out, str, (size_t)len);
        return len;
    }
    size_t used = 0;
    if (e->n_pending) {
        unsigned char lead = (unsigned char)e->pending[0];
        size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
        used = need - e->n_pending < (size_t)len ? need - e->n_pending : (size_t)len;
        memcpy(e->pending + e->n_pending, str, used);
        e->n_pending += used;
        if (e->n_pending < need)
            return len;
        char joined[4];
        memcpy(joined, e->pending, need);
        e->n_pending = 0;
        yaml_put(e, joined, need);
    }
    yaml_put(e, str + used, (size_t)len - used);
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
    cfg.flags =
        mode == AL_EMIT_JSON
            ? (enum fy_emitter_cfg_flags)(FYECF_MODE_JSON | FYECF_INDENT_2 | FYECF_WIDTH_INF)
            : (enum fy_emitter_cfg_flags)(FYECF_MODE_BLOCK | FYECF_INDENT_2 | FYECF_WIDTH_INF |
                                          FYECF_DOC_START_MARK_ON);
    cfg.output = write_out;
    cfg.userdata = e;
    e->fy = fy_emitter_create(&cfg);
    if (!e->fy) {
        fputs("agentlint: cannot create the output emitter\n", stderr);
        exit(2);
    }
    if (mode == AL_EMIT_JSON) {
        ev(e, fy_emit_event_create(e->fy, FYET_STREAM_START));
        al_emit_doc_start(e);
    }
    return e;
}

int al_emit_finish(struct al_emit *e)
{
    if (e->mode == AL_EMIT_JSON) {
        al_emit_doc_end(e);
        ev(e, fy_emit_event_create(e->fy, FYET_STREAM_END));
    } else if (e->doc) {
        al_emit_doc_end(e); /* a document left open */
    }
    int rc = e->failed ? -1 : 0;
    fy_emitter_destroy(e->fy);
    al_buf_put(e->out, e->pending, e->n_pending); /* a cut sequence never completed */
    if (e->mode == AL_EMIT_JSON && (!e->out->len || e->out->ptr[e->out->len - 1] != '\n'))
        al_buf_putc(e->out, '\n');
    free(e->stack);
    free(e);
    return rc;
}

/* ---- strings libfyaml must not be handed as they are ---- */

/* A double-quoted YAML literal of `s` that is also a JSON string: quotes,
 * backslashes, C0 and C1 controls, DEL and the characters YAML reads as
 * line breaks or a byte-order mark as \uXXXX; other UTF-8 as is. */
static char *dq_literal(const char *s, size_t n)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_putc(&b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i], c1 = i + 1 < n ? (unsigned char)s[i + 1] : 0,
                      c2 = i + 2 < n ? (unsigned char)s[i + 2] : 0;
        if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
            al_buf_printf(&b, "\\u%04X", c);
        } else if (c == 0xc2 && c1 >= 0x80 && c1 <= 0x9f) { /* U+0080..U+009F */
            al_buf_printf(&b, "\\u%04X", c1);
            i++;
        } else if (c == 0xe2 && c1 == 0x80 && (c2 == 0xa8 || c2 == 0xa9)) { /* U+2028/9 */
            al_buf_printf(&b, "\\u%04X", 0x2000 + (c2 - 0x80));
            i += 2;
        } else if (c == 0xef && c1 == 0xbb && c2 == 0xbf) { /* U+FEFF */
            al_buf_puts(&b, "\\uFEFF");
            i += 2;
        } else {
            al_buf_putc(&b, (char)c);
        }
    }
    al_buf_putc(&b, '"');
    return al_buf_detach(&b);
}

/* Whether libfyaml would lose a byte of `s` given as is: a space or tab at
 * either end (the event emitter), a line break (plain nodes fold them). */
static bool folds(const char *s, size_t n)
{
    if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        return true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' || c == '\r' || (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0x85) ||
            (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
             ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)))
            return true;
    }
    return false;
}

/* YAML: plain when no reader could take it for anything but this string: a
 * conservative alphabet, no indicator first, no number-like start (YAML 1.1
 * also reads 1:20 and 2001-12-14), no ':' last, not a bool or null. */
static bool yaml_plain(const char *s, size_t n)
{
    long long iv;
    double fv;
    bool bv;
    if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_' ||
                    s[0] == '/'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("._/:@-", c)) ||
            c == '\0')
            return false;
    }
    return s[n - 1] != ':' && al_yscalar_resolve(s, n, &iv, &fv, &bv) == AL_YSTR;
}

/* ---- JSON: events ---- */

/* The scalar event libfyaml's parser reads from the literal of `s`, handed
 * to the emitter (which then owns it, and the parser's input with it). */
static void json_parsed_string(struct al_emit *e, const char *s, size_t n)
{
    char *lit = dq_literal(s, n);
    struct fy_parse_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.flags = FYPCF_QUIET;
    struct fy_parser *fyp = fy_parser_create(&cfg);
    bool sent = false;
    if (fyp && fy_parser_set_malloc_string(fyp, lit, strlen(lit)) == 0) {
        lit = NULL; /* the parser's now */
        struct fy_event *fye;
        while ((fye = fy_parser_parse(fyp)) != NULL) {
            if (fye->type == FYET_SCALAR && !sent) {
                sent = fy_emit_event_from_parser(e->fy, fyp, fye) == 0;
                continue;
            }
            fy_parser_event_free(fyp, fye);
        }
    }
    if (!sent)
        e->failed = true;
    fy_parser_destroy(fyp);
    free(lit);
}

static void json_string(struct al_emit *e, const char *s, size_t n)
{
    if (folds(s, n))
        json_parsed_string(e, s, n);
    else
        ev(e, fy_emit_event_create(e->fy, FYET_SCALAR, FYSS_DOUBLE_QUOTED, s, n, NULL, NULL));
}

/* ---- YAML: the document ---- */

/* Place a node: the root, an item, a key, or the value of the waiting key. */
static void attach(struct al_emit *e, struct fy_node *n)
{
    if (!n || !e->doc) {
        e->failed = true;
        return;
    }
    if (!e->depth) {
        if (fy_document_set_root(e->doc, n) != 0)
            e->failed = true;
        return;
    }
    struct frame *f = &e->stack[e->depth - 1];
    int rc = 0;
    if (fy_node_is_sequence(f->node)) {
        rc = fy_node_sequence_append(f->node, n);
    } else if (!f->key) {
        f->key = n;
    } else {
        rc = fy_node_mapping_append(f->node, f->key, n);
        f->key = NULL;
    }
    if (rc != 0)
        e->failed = true;
}

static void open_node(struct al_emit *e, struct fy_node *n)
{
    attach(e, n);
    e->stack = al_grow(e->stack, &e->cap, e->depth + 1, sizeof(*e->stack));
    e->stack[e->depth].node = n;
    e->stack[e->depth++].key = NULL;
}

static void close_node(struct al_emit *e)
{
    if (e->depth)
        e->depth--;
    else
        e->failed = true;
}

/* `plain`: a node from the text as is; else one parsed from its literal. */
static void yaml_scalar(struct al_emit *e, const char *s, size_t n, bool plain)
{
    if (!e->doc) {
        e->failed = true;
        return;
    }
    if (plain) {
        attach(e, fy_node_create_scalar_copy(e->doc, s, n));
        return;
    }
    char *lit = dq_literal(s, n);
    /* libfyaml owns `lit` from here, and frees it with the document. */
    attach(e, fy_node_build_from_malloc_string(e->doc, lit, strlen(lit)));
}

/* ---- the interface ---- */

void al_emit_doc_start(struct al_emit *e)
{
    if (e->mode == AL_EMIT_JSON) {
        ev(e, fy_emit_event_create(e->fy, FYET_DOCUMENT_START, 1, NULL, NULL));
        return;
    }
    if (e->doc)
        al_emit_doc_end(e);
    e->doc = fy_document_create(NULL);
    e->depth = 0;
    if (!e->doc)
        e->failed = true;
}

void al_emit_doc_end(struct al_emit *e)
{
    if (e->mode == AL_EMIT_JSON) {
        ev(e, fy_emit_event_create(e->fy, FYET_DOCUMENT_END, 1));
        return;
    }
    if (!e->doc)
        return;
    if (e->depth || fy_emit_document(e->fy, e->doc) != 0)
        e->failed = true;
    fy_document_destroy(e->doc);
    e->doc = NULL;
}

void al_emit_map_start(struct al_emit *e)
{
    if (e->mode == AL_EMIT_YAML)
        open_node(e, e->doc ? fy_node_create_mapping(e->doc) : NULL);
    else
        ev(e, fy_emit_event_create(e->fy, FYET_MAPPING_START, FYNS_ANY, NULL, NULL));
}

void al_emit_map_end(struct al_emit *e)
{
    if (e->mode == AL_EMIT_YAML)
        close_node(e);
    else
        ev(e, fy_emit_event_create(e->fy, FYET_MAPPING_END));
}

void al_emit_seq_start(struct al_emit *e)
{
    if (e->mode == AL_EMIT_YAML)
        open_node(e, e->doc ? fy_node_create_sequence(e->doc) : NULL);
    else
        ev(e, fy_emit_event_create(e->fy, FYET_SEQUENCE_START, FYNS_ANY, NULL, NULL));
}

void al_emit_seq_start_flow(struct al_emit *e)
{
    if (e->mode == AL_EMIT_YAML)
        al_emit_seq_start(e); /* libfyaml writes an empty sequence as [] */
    else
        ev(e, fy_emit_event_create(e->fy, FYET_SEQUENCE_START, FYNS_FLOW, NULL, NULL));
}

void al_emit_seq_end(struct al_emit *e)
{
    if (e->mode == AL_EMIT_YAML)
        close_node(e);
    else
        ev(e, fy_emit_event_create(e->fy, FYET_SEQUENCE_END));
}

/* Numbers, bools and null, as they are. */
static void literal(struct al_emit *e, const char *s, size_t n)
{
    if (e->mode == AL_EMIT_YAML)
        yaml_scalar(e, s, n, true);
    else
        ev(e, fy_emit_event_create(e->fy, FYET_SCALAR, FYSS_PLAIN, s, n, NULL, NULL));
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
    if (e->mode == AL_EMIT_JSON)
        json_string(e, s, n);
    else
        yaml_scalar(e, s, n, yaml_plain(s, n));
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
    literal(e, buf, (size_t)n);
}

void al_emit_bool(struct al_emit *e, bool v)
{
    literal(e, v ? "true" : "false", v ? 4 : 5);
}

void al_emit_null(struct al_emit *e)
{
    literal(e, "null", 4);
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
