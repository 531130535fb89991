/* Structured output. JSON is written here, straight into the output buffer
 * as the renderer calls (streaming: memory does not grow with the report,
 * and no second pass over it); YAML (RBAC) builds a libfyaml document per
 * YAML document, emitted whole.
 *
 * Why not libfyaml for JSON too: 0.7.12's event emitter keeps every token
 * until it is destroyed (1 GB for a 100,000-finding SARIF log) and spends
 * 10-45x the text renderer's time in its atom iterators; it also drops the
 * spaces at both ends of a scalar, and its escaping differs between code
 * paths (U+00A0 escaped or not, astral characters as surrogate pairs or
 * not). JSON's grammar is small enough to write exactly: the layout is
 * libfyaml's (two-space indent; see json_close),
 * so outputs stayed byte-identical, and json_string's escaping is proven by
 * fuzz/fuzz_emit.c (strict parse, exact round trip).
 *
 * YAML: a string is a plain node when that reads back as the same string,
 * else a node parsed from a double-quoted literal of it (libfyaml's event
 * emitter would trim it; its parser and document emitter do not). */
#include "cli/emit.h"
#include "common/alloc.h"
#include "common/safe.h"
#include "common/utf8.h"
#include "model/yaml.h"

#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An open collection of the YAML document being built. */
struct frame {
    struct fy_node *node;
    struct fy_node *key; /* mappings: the key waiting for its value */
};

/* JSON: an open collection. */
struct jframe {
    bool map;
    bool tight;   /* sequences: ']' right after the last item (see json_close) */
    size_t items; /* items so far (mappings: keys) */
};

struct al_emit {
    enum al_emit_mode mode;
    struct fy_emitter *fy; /* YAML */
    struct al_buf *out;
    bool failed;
    struct fy_document *doc; /* YAML: the document being built */
    char pending[4];         /* YAML: a UTF-8 sequence cut between two writes */
    size_t n_pending;
    struct frame *stack;
    size_t depth, cap;
    struct jframe *jstack; /* JSON: the open collections */
    size_t jdepth, jcap;
    bool jkey; /* JSON: a key was written, its value comes next */
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

struct al_emit *al_emit_new(enum al_emit_mode mode, struct al_buf *out)
{
    struct al_emit *e = al_calloc(1, sizeof(*e));
    e->mode = mode;
    e->out = out;
    if (mode == AL_EMIT_JSON)
        return e;
    struct fy_emitter_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.flags = (enum fy_emitter_cfg_flags)(FYECF_MODE_BLOCK | FYECF_INDENT_2 | FYECF_WIDTH_INF |
                                            FYECF_DOC_START_MARK_ON);
    cfg.output = write_out;
    cfg.userdata = e;
    e->fy = fy_emitter_create(&cfg);
    if (!e->fy) {
        fputs("agentlint: cannot create the output emitter\n", stderr);
        exit(2);
    }
    return e;
}

int al_emit_finish(struct al_emit *e)
{
    if (e->mode == AL_EMIT_JSON) {
        if (e->jdepth || e->jkey)
            e->failed = true; /* a collection left open */
        al_buf_putc(e->out, '\n');
    } else if (e->doc) {
        al_emit_doc_end(e); /* a document left open */
    }
    int rc = e->failed ? -1 : 0;
    if (e->fy)
        fy_emitter_destroy(e->fy);
    al_buf_put(e->out, e->pending, e->n_pending); /* a cut sequence never completed */
    free(e->stack);
    free(e->jstack);
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

/* ---- JSON: written here ---- */

/* Whether code point `cp` (U+0080 and up) is written as \uXXXX: C1
 * controls, the bidirectional marks, embeddings, overrides and isolates,
 * the zero-width characters and byte-order mark, and the two line
 * separators JavaScript reads as line breaks. The data stays exact; a
 * terminal, browser or editor showing the JSON cannot be steered by it. */
static bool json_hidden(unsigned cp)
{
    return cp <= 0x9f || cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
           (cp >= 0x2028 && cp <= 0x202e) || cp == 0x2060 || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xfeff;
}

static unsigned utf8_decode(const unsigned char *p, size_t len)
{
    static const unsigned char lead_mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
    unsigned cp = p[0] & lead_mask[len];
    for (size_t i = 1; i < len; i++)
        cp = (cp << 6) | (p[i] & 0x3f);
    return cp;
}

/* One ASCII byte that JSON or this project escapes. */
static void json_escape_ascii(struct al_buf *b, unsigned char c)
{
    static const char short_form[] = "\bb\tt\nn\ff\rr\"\"\\\\";
    for (size_t k = 0; short_form[k]; k += 2)
        if ((unsigned char)short_form[k] == c) {
            al_buf_putc(b, '\\');
            al_buf_putc(b, short_form[k + 1]);
            return;
        }
    al_buf_printf(b, "\\u%04X", c);
}

/* `s` as a JSON string. Runs of bytes that need nothing are copied whole
 * (the common case: paths, ids, messages). Invalid UTF-8 cannot be kept
 * (JSON text is UTF-8): each byte that starts no valid sequence becomes
 * U+FFFD, as al_utf8_sanitize does everywhere else. */
static void json_string(struct al_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    al_buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            i++;
            continue;
        }
        al_buf_put(b, s + run, i - run);
        size_t len = c < 0x80 ? 1 : al_utf8_seqlen(s + i, n - i);
        if (c < 0x80)
            json_escape_ascii(b, c);
        else if (len == 1)
            al_buf_put(b, "\xEF\xBF\xBD", 3);
        else if (json_hidden(utf8_decode(p + i, len)))
            al_buf_printf(b, "\\u%04X", utf8_decode(p + i, len));
        else
            al_buf_put(b, s + i, len);
        i += len;
        run = i;
    }
    al_buf_put(b, s + run, n - run);
    al_buf_putc(b, '"');
}

static void json_newline(struct al_emit *e, size_t depth)
{
    al_buf_putc(e->out, '\n');
    al_buf_fill(e->out, ' ', 2 * depth);
}

/* Before a value: after its key, or its separator, line and indent. */
static void json_before(struct al_emit *e, bool key)
{
    if (e->jkey && !key) {
        e->jkey = false;
        return;
    }
    if (!e->jdepth)
        return; /* the root */
    struct jframe *f = &e->jstack[e->jdepth - 1];
    if (f->map != key || e->jkey)
        e->failed = true; /* a renderer's bug: a key outside a mapping, a value without key */
    if (f->items++)
        al_buf_putc(e->out, ',');
    json_newline(e, e->jdepth);
}

static void json_open(struct al_emit *e, bool map)
{
    json_before(e, false);
    al_buf_putc(e->out, map ? '{' : '[');
    e->jstack = al_grow(e->jstack, &e->jcap, e->jdepth + 1, sizeof(*e->jstack));
    e->jstack[e->jdepth++] = (struct jframe){map, false, 0};
}

/* The layout of libfyaml 0.7.12, kept so that outputs did not change: the
 * closing bracket on a line of its own, except a sequence's whose first item
 * is a non-empty collection, which follows the last item ("}]"). (Its
 * streaming emitter decides whether a sequence is empty by peeking at the
 * first item, which it judges "not ready" when that is an unfinished
 * collection.) */
static void json_close(struct al_emit *e, bool map)
{
    if (!e->jdepth || e->jstack[e->jdepth - 1].map != map || e->jkey) {
        e->failed = true;
        return;
    }
    struct jframe f = e->jstack[--e->jdepth];
    if (f.items && !f.tight)
        json_newline(e, e->jdepth);
    al_buf_putc(e->out, map ? '}' : ']');
    struct jframe *up = e->jdepth ? &e->jstack[e->jdepth - 1] : NULL;
    if (up && !up->map && up->items == 1 && f.items)
        up->tight = true;
}

static void json_literal(struct al_emit *e, const char *s, size_t n)
{
    json_before(e, false);
    al_buf_put(e->out, s, n);
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

/* JSON writes one document: these two are YAML's. */
void al_emit_doc_start(struct al_emit *e)
{
    if (e->mode == AL_EMIT_JSON)
        return;
    if (e->doc)
        al_emit_doc_end(e);
    e->doc = fy_document_create(NULL);
    e->depth = 0;
    if (!e->doc)
        e->failed = true;
}

void al_emit_doc_end(struct al_emit *e)
{
    if (e->mode == AL_EMIT_JSON || !e->doc)
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
        json_open(e, true);
}

void al_emit_map_end(struct al_emit *e)
{
    if (e->mode == AL_EMIT_YAML)
        close_node(e);
    else
        json_close(e, true);
}

void al_emit_seq_start(struct al_emit *e)
{
    if (e->mode == AL_EMIT_YAML)
        open_node(e, e->doc ? fy_node_create_sequence(e->doc) : NULL);
    else
        json_open(e, false);
}

void al_emit_seq_start_flow(struct al_emit *e)
{
    if (e->mode == AL_EMIT_YAML)
        al_emit_seq_start(e); /* libfyaml writes an empty sequence as [] */
    else
        json_open(e, false);
}

void al_emit_seq_end(struct al_emit *e)
{
    if (e->mode == AL_EMIT_YAML)
        close_node(e);
    else
        json_close(e, false);
}

/* Numbers, bools and null, as they are. */
static void literal(struct al_emit *e, const char *s, size_t n)
{
    if (e->mode == AL_EMIT_YAML)
        yaml_scalar(e, s, n, true);
    else
        json_literal(e, s, n);
}

void al_emit_strn(struct al_emit *e, const char *s, size_t n)
{
    if (!s) {
        al_emit_null(e);
        return;
    }
    if (e->mode == AL_EMIT_JSON) {
        json_before(e, false);
        json_string(e->out, s, n);
        return;
    }
    char *clean = NULL;
    if (!al_utf8_valid(s, n)) {
        clean = al_utf8_sanitize(s, n);
        s = clean;
        n = strlen(clean);
    }
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
    if (e->mode == AL_EMIT_YAML) {
        al_emit_str(e, key);
        return;
    }
    json_before(e, true);
    json_string(e->out, key, strlen(key));
    al_buf_put(e->out, ": ", 2);
    e->jkey = true;
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
