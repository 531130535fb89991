/* libyaml events -> al_ynode tree. See yaml.h for the contract. */
#include "model/yaml.h"
#include "model/ysyntax.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct frame {
    struct al_ynode *node;
    /* The anchor this collection defined, as 1 + its index in the anchor
     * table (0: none). An index, not a pointer: the table grows while the
     * collection is open (every anchor inside it is added), and a pointer
     * into it would dangle. */
    size_t anchor;
    size_t base; /* where this collection's kids start in loader.kids */
};

struct anchor {
    const char *name;
    struct al_ynode *node; /* NULL while the anchored collection is open */
};

/* Every anchor definition in document order, and a hash index from a name to
 * its newest definition (YAML lets a name be redefined; the latest wins), so
 * that n anchors and m aliases cost n + m, not n x m. */
struct anchors {
    struct anchor *defs;
    size_t n, cap;
    uint32_t *slots; /* 1 + index into defs of a name's newest definition; 0: empty */
    size_t n_slots;  /* a power of two, or 0 */
    size_t names;    /* distinct names in slots */
};

/* The effective pairs of the mapping being closed. Reused from one mapping
 * to the next, so closing one allocates nothing but its final pairs. */
struct mapbuild {
    struct al_ypair *pairs;
    bool *explicit_key;
    size_t n, cap, cap_e;
    /* Index of pairs by key once a mapping is large (see map_find): slots
     * hold pair index + 1, 0 is empty; n_slots is a power of two or 0. */
    uint32_t *slots;
    size_t n_slots, cap_slots;
    uint64_t seed; /* the loader's */
};

struct loader {
    struct al_ydoc *doc;
    const char *data;
    size_t len;
    yaml_parser_t parser;
    bool boms_swapped; /* see swap_inner_boms */
    struct frame *stack;
    size_t depth, cap;
    /* The kids of every open collection, innermost last: seq items, or
     * key, value, key, value ... One array for the whole document instead
     * of one allocation per collection. */
    struct al_ynode **kids;
    size_t n_kids, cap_kids;
    struct mapbuild mb;
    struct anchors anchors;
    /* Seeds the hash indexes, so that colliding keys or anchor names cannot
     * be precomputed (see seeded_hash). */
    uint64_t seed;
    /* Pairs copied by merge keys so far: aliases share collections, but a
     * merge copies the merged mapping's pairs, so 3,000 merges of a
     * 5,000-key anchor in 128 KiB would copy 15 million pairs (8 s, 400 MB). */
    uint64_t merged;
    bool failed;
    /* al_yaml_load_stream: every document is kept (doc->docs), and the
     * nodes of all of them together are bounded like one document's. */
    bool stream;
    uint64_t stream_weight;
};

/* Node weight (nodes after alias expansion) lives next to the node. */
struct wnode {
    struct al_ynode node;
    uint32_t weight;
};

static uint32_t weight_of(const struct al_ynode *n)
{
    return ((const struct wnode *)n)->weight;
}

static void set_weight(struct al_ynode *n, uint64_t w)
{
    ((struct wnode *)n)->weight = w > AL_YAML_MAX_NODES + 1 ? AL_YAML_MAX_NODES + 1 : (uint32_t)w;
}

static struct al_ypos pos_of(yaml_mark_t m)
{
    struct al_ypos p = {(uint32_t)m.line + 1, (uint32_t)m.column + 1};
    return p;
}

static struct al_yissue *add_issue(struct al_ydoc *doc, enum al_yissue_kind kind,
                                   struct al_ypos pos, const char *message)
{
    doc->issues = al_grow(doc->issues, &doc->cap_issues, doc->n_issues + 1, sizeof(*doc->issues));
    struct al_yissue *is = &doc->issues[doc->n_issues++];
    memset(is, 0, sizeof(*is));
    is->kind = kind;
    is->pos = pos;
    is->message = al_arena_strdup(&doc->arena, message);
    return is;
}

static void fail(struct loader *l, struct al_ypos pos, const char *message)
{
    if (l->failed)
        return;
    l->failed = true;
    add_issue(l->doc, AL_YI_SYNTAX, pos, message);
}

static struct al_ynode *new_node(struct loader *l, enum al_ykind kind, yaml_mark_t mark)
{
    struct wnode *w = al_arena_alloc(&l->doc->arena, sizeof(*w));
    w->node.kind = kind;
    w->node.pos = pos_of(mark);
    w->weight = 1;
    return &w->node;
}

/* ---- hashing ---- */

/* al_str_hash (FNV-1a) keyed by the loader's seed, then mixed: the indexes
 * use the low bits, which in plain FNV-1a depend only on the input's. */
static uint64_t seeded_hash(uint64_t seed, const char *s, size_t n, uint64_t salt)
{
    return al_hash_mix(al_str_hash(s, n, salt ^ seed));
}

/* ---- anchors ---- */

/* The slot holding `name`, or the empty slot where it would go. */
static size_t anchor_slot(const struct loader *l, const char *name)
{
    const struct anchors *t = &l->anchors;
    size_t mask = t->n_slots - 1;
    size_t h = (size_t)seeded_hash(l->seed, name, strlen(name), 0) & mask;
    while (t->slots[h] && strcmp(t->defs[t->slots[h] - 1].name, name) != 0)
        h = (h + 1) & mask;
    return h;
}

/* Keep the load factor at most 1/2; rehashing replays the definitions in
 * order, so each slot ends up with its name's newest one. */
static void anchor_reserve(struct loader *l)
{
    struct anchors *t = &l->anchors;
    if (2 * (t->names + 1) <= t->n_slots)
        return;
    size_t want = t->n_slots ? 2 * t->n_slots : 64;
    free(t->slots);
    t->slots = al_calloc(want, sizeof(*t->slots));
    t->n_slots = want;
    t->names = 0;
    for (size_t i = 0; i < t->n; i++) {
        size_t h = anchor_slot(l, t->defs[i].name);
        t->names += t->slots[h] == 0;
        t->slots[h] = (uint32_t)(i + 1);
    }
}

/* The newest definition of `name`, or NULL. */
static const struct anchor *anchor_find(const struct loader *l, const char *name)
{
    const struct anchors *t = &l->anchors;
    if (!t->n_slots)
        return NULL;
    uint32_t i = t->slots[anchor_slot(l, name)];
    return i ? &t->defs[i - 1] : NULL;
}

/* Define `name` (node: NULL while its collection is open); returns 1 + its
 * index, which stays valid however the table grows. */
static size_t anchor_add(struct loader *l, const char *name, struct al_ynode *node)
{
    struct anchors *t = &l->anchors;
    anchor_reserve(l);
    t->defs = al_grow(t->defs, &t->cap, t->n + 1, sizeof(*t->defs));
    t->defs[t->n].name = al_arena_strdup(&l->doc->arena, name);
    t->defs[t->n].node = node;
    size_t h = anchor_slot(l, name);
    t->names += t->slots[h] == 0;
    t->slots[h] = (uint32_t)(++t->n);
    return t->n;
}

static void anchors_free(struct anchors *t)
{
    free(t->defs);
    free(t->slots);
}

/* ---- scalars ---- */

static bool tag_is(const char *tag, const char *suffix)
{
    static const char prefix[] = "tag:yaml.org,2002:";
    return tag && strncmp(tag, prefix, sizeof prefix - 1) == 0 &&
           strcmp(tag + sizeof prefix - 1, suffix) == 0;
}

static void resolve_scalar(struct loader *l, struct al_ynode *n, const yaml_event_t *ev)
{
    const char *tag = (const char *)ev->data.scalar.tag;
    bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    n->kind = AL_YSTR;
    if (tag && !tag_is(tag, "str") && strcmp(tag, "!") != 0) {
        /* An explicit standard tag asks for that type, whatever the style. */
        long long iv;
        double fv;
        bool bv;
        enum al_ykind k = al_yscalar_resolve(n->str, n->len, &iv, &fv, &bv);
        enum al_ykind want = AL_YSTR;
        if (tag_is(tag, "int"))
            want = AL_YINT;
        else if (tag_is(tag, "float"))
            want = AL_YFLOAT;
        else if (tag_is(tag, "bool"))
            want = AL_YBOOL;
        else if (tag_is(tag, "null"))
            want = AL_YNULL;
        if (want == AL_YSTR)
            return; /* binary, timestamp, local tags: text */
        if (want == AL_YFLOAT && k == AL_YINT) {
            k = AL_YFLOAT;
            fv = (double)iv;
        }
        if (k != want) {
            struct al_buf b = AL_BUF_INIT;
            al_buf_printf(&b, "the value cannot be read as the type its tag %s asks for", tag);
            fail(l, n->pos, al_buf_cstr(&b));
            al_buf_free(&b);
            return;
        }
        n->kind = k;
        n->v.i = iv;
        if (k == AL_YFLOAT)
            n->v.f = fv;
        if (k == AL_YBOOL)
            n->v.b = bv;
        return;
    }
    if (!plain || tag)
        return;
    long long iv = 0;
    double fv = 0;
    bool bv = false;
    n->kind = al_yscalar_resolve(n->str, n->len, &iv, &fv, &bv);
    if (n->kind == AL_YINT)
        n->v.i = iv;
    else if (n->kind == AL_YFLOAT)
        n->v.f = fv;
    else if (n->kind == AL_YBOOL)
        n->v.b = bv;
}

static uint8_t scalar_style(yaml_scalar_style_t s)
{
    switch (s) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
        return AL_YS_SINGLE;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        return AL_YS_DOUBLE;
    case YAML_LITERAL_SCALAR_STYLE:
        return AL_YS_LITERAL;
    case YAML_FOLDED_SCALAR_STYLE:
        return AL_YS_FOLDED;
    default:
        return AL_YS_PLAIN;
    }
}

/* ---- mappings: merge keys and duplicates, the go-yaml v2 way ---- */

static bool same_key(const struct al_ynode *a, const struct al_ynode *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case AL_YNULL:
        return true;
    case AL_YBOOL:
        return a->v.b == b->v.b;
    case AL_YINT:
        return a->v.i == b->v.i;
    case AL_YFLOAT:
        return a->v.f == b->v.f;
    case AL_YSTR:
        return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    default:
        return false;
    }
}

static const char *key_name(struct loader *l, const struct al_ynode *k)
{
    char tmp[64];
    switch (k->kind) {
    case AL_YSTR:
        return k->str;
    case AL_YNULL:
        return "null";
    case AL_YBOOL:
        return k->v.b ? "true" : "false";
    case AL_YINT:
        snprintf(tmp, sizeof tmp, "%lld", k->v.i);
        return al_arena_strdup(&l->doc->arena, tmp);
    case AL_YFLOAT:
        snprintf(tmp, sizeof tmp, "%g", k->v.f);
        return al_arena_strdup(&l->doc->arena, tmp);
    default:
        return "";
    }
}

/* Consistent with same_key: equal keys hash alike. */
static uint64_t key_hash(uint64_t seed, const struct al_ynode *k)
{
    uint64_t bits = 0;
    switch (k->kind) {
    case AL_YSTR:
        return seeded_hash(seed, k->str, k->len, AL_YSTR);
    case AL_YBOOL:
        bits = k->v.b;
        break;
    case AL_YINT:
        bits = (uint64_t)k->v.i;
        break;
    case AL_YFLOAT:
        if (k->v.f != 0) /* 0.0 == -0.0 */
            memcpy(&bits, &k->v.f, sizeof bits);
        break;
    default:
        break;
    }
    return seeded_hash(seed, (const char *)&bits, sizeof bits, k->kind);
}

/* Mappings up to this size are searched linearly (config mappings have a
 * handful of keys); larger ones get a hash index, so that a hostile
 * 128 KiB mapping of distinct keys costs linear time, not quadratic. */
enum { MAP_INDEX_MIN = 16 };

static void index_insert(struct mapbuild *mb, size_t i)
{
    size_t mask = mb->n_slots - 1;
    size_t h = (size_t)key_hash(mb->seed, mb->pairs[i].key) & mask;
    while (mb->slots[h])
        h = (h + 1) & mask;
    mb->slots[h] = (uint32_t)(i + 1);
}

/* (Re)build the index for pairs [0, n) at a load factor of at most 1/2. */
static void index_build(struct mapbuild *mb, size_t n)
{
    size_t want = 64;
    while (want < 2 * (n + 1))
        want *= 2;
    mb->slots = al_grow(mb->slots, &mb->cap_slots, want, sizeof(*mb->slots));
    mb->n_slots = want;
    memset(mb->slots, 0, want * sizeof(*mb->slots));
    for (size_t i = 0; i < n; i++)
        index_insert(mb, i);
}

/* The pair whose key equals k, or mb->n when there is none. */
static size_t map_find(struct mapbuild *mb, const struct al_ynode *k)
{
    if (mb->n < MAP_INDEX_MIN) {
        for (size_t i = 0; i < mb->n; i++)
            if (same_key(mb->pairs[i].key, k))
                return i;
        return mb->n;
    }
    if (mb->n_slots < 2 * (mb->n + 1))
        index_build(mb, mb->n);
    size_t mask = mb->n_slots - 1;
    for (size_t h = (size_t)key_hash(mb->seed, k) & mask; mb->slots[h]; h = (h + 1) & mask)
        if (same_key(mb->pairs[mb->slots[h] - 1].key, k))
            return mb->slots[h] - 1;
    return mb->n;
}

static void map_set(struct loader *l, struct mapbuild *mb, struct al_ynode *k, struct al_ynode *v,
                    bool explicit_key)
{
    size_t i = map_find(mb, k);
    if (i < mb->n) {
        if (explicit_key && mb->explicit_key[i]) {
            struct al_buf b = AL_BUF_INIT;
            al_buf_printf(&b, "key \"%s\" is repeated in this mapping (first at line %u)",
                          key_name(l, k), mb->pairs[i].key->pos.line);
            struct al_yissue *is = add_issue(l->doc, AL_YI_DUPLICATE_KEY, k->pos, al_buf_cstr(&b));
            is->other = mb->pairs[i].key->pos;
            is->key = key_name(l, k);
            al_buf_free(&b);
        }
        /* Last write wins, as in go-yaml v2's non-strict decoding. */
        mb->pairs[i].key = k;
        mb->pairs[i].val = v;
        mb->explicit_key[i] = mb->explicit_key[i] || explicit_key;
        return;
    }
    mb->pairs = al_grow(mb->pairs, &mb->cap, mb->n + 1, sizeof(*mb->pairs));
    mb->explicit_key = al_grow(mb->explicit_key, &mb->cap_e, mb->n + 1, sizeof(bool));
    mb->pairs[mb->n].key = k;
    mb->pairs[mb->n].val = v;
    mb->pairs[mb->n].name = key_name(l, k);
    mb->explicit_key[mb->n] = explicit_key;
    mb->n++;
    if (mb->n_slots)
        index_insert(mb, mb->n - 1);
}

static void merge_from(struct loader *l, struct mapbuild *mb, const struct al_ynode *src)
{
    l->merged += src->n;
    if (l->merged > AL_YAML_MAX_NODES) {
        fail(l, src->pos,
             "merge keys (<<) copy too many keys (a merge bomb); GitLab rejects documents "
             "with excessive aliasing");
        return;
    }
    for (size_t i = 0; i < src->n; i++)
        map_set(l, mb, src->pairs[i].key, src->pairs[i].val, false);
}

static void close_mapping(struct loader *l, struct frame *f)
{
    struct al_ynode *n = f->node;
    struct mapbuild *mb = &l->mb;
    size_t n_kids = l->n_kids - f->base;
    struct al_ynode **kids = n_kids ? l->kids + f->base : NULL; /* kids may be NULL */
    uint64_t w = 1;
    mb->n = 0;
    mb->n_slots = 0; /* no index until the mapping grows large */
    for (size_t i = 0; i + 1 < n_kids; i += 2) {
        struct al_ynode *k = kids[i], *v = kids[i + 1];
        w += weight_of(k) + weight_of(v);
        if (k->kind == AL_YSEQ || k->kind == AL_YMAP) {
            fail(l, k->pos, "a list or mapping cannot be used as a key");
            continue;
        }
        if (k->style == AL_YS_PLAIN && !k->tag && al_yscalar_is_merge(k->str, k->len)) {
            n->merged = true;
            if (v->kind == AL_YMAP) {
                merge_from(l, mb, v);
            } else if (v->kind == AL_YSEQ) {
                /* Earlier mappings take precedence: apply them last. */
                for (size_t j = v->n; j-- > 0;) {
                    if (v->items[j]->kind != AL_YMAP) {
                        fail(l, v->items[j]->pos,
                             "a merge key (<<) needs a mapping or a list of mappings");
                        break;
                    }
                    merge_from(l, mb, v->items[j]);
                }
            } else {
                fail(l, v->pos, "a merge key (<<) needs a mapping or a list of mappings");
            }
            continue;
        }
        map_set(l, mb, k, v, true);
    }
    n->n = mb->n;
    n->pairs = al_arena_alloc(&l->doc->arena, (mb->n ? mb->n : 1) * sizeof(*n->pairs));
    if (mb->n)
        memcpy(n->pairs, mb->pairs, mb->n * sizeof(*n->pairs));
    set_weight(n, w);
}

static void close_sequence(struct loader *l, struct frame *f)
{
    struct al_ynode *n = f->node;
    uint64_t w = 1;
    n->n = l->n_kids - f->base;
    struct al_ynode **kids = n->n ? l->kids + f->base : NULL; /* kids may be NULL */
    n->items = al_arena_alloc(&l->doc->arena, (n->n ? n->n : 1) * sizeof(*n->items));
    for (size_t i = 0; i < n->n; i++) {
        n->items[i] = kids[i];
        w += weight_of(kids[i]);
    }
    set_weight(n, w);
}

/* ---- tree building ---- */

static void fail(struct loader *l, struct al_ypos pos, const char *message);

/* Stream mode: one more document root. Aliases share nodes, so the sum of
 * the roots' weights is what a reader walking every document visits. */
static void keep_document(struct loader *l, struct al_ynode *root)
{
    l->stream_weight += weight_of(root);
    if (l->stream_weight > AL_YAML_MAX_NODES) {
        fail(l, root->pos,
             "the documents together expand to too many nodes (aliases, or a very large "
             "stream); split the file");
        return;
    }
    struct al_ydoc *d = l->doc;
    d->docs = al_grow(d->docs, &d->cap_docs, d->n_docs + 1, sizeof(*d->docs));
    d->docs[d->n_docs++] = root;
}

static void attach(struct loader *l, struct al_ynode *n)
{
    if (weight_of(n) > AL_YAML_MAX_NODES) {
        fail(l, n->pos,
             "the document expands to too many nodes through aliases (an alias bomb); "
             "GitLab rejects documents with excessive aliasing");
        return;
    }
    if (l->depth == 0) {
        l->doc->root = n;
        if (l->stream)
            keep_document(l, n);
        return;
    }
    l->kids = al_grow(l->kids, &l->cap_kids, l->n_kids + 1, sizeof(*l->kids));
    l->kids[l->n_kids++] = n;
}

static void push(struct loader *l, struct al_ynode *n, const char *anchor)
{
    if (l->depth >= AL_YAML_MAX_DEPTH) {
        fail(l, n->pos, "the document is nested too deeply");
        return;
    }
    l->stack = al_grow(l->stack, &l->cap, l->depth + 1, sizeof(*l->stack));
    struct frame *f = &l->stack[l->depth++];
    memset(f, 0, sizeof(*f));
    f->node = n;
    f->base = l->n_kids;
    if (anchor)
        f->anchor = anchor_add(l, anchor, NULL);
}

static void pop(struct loader *l)
{
    struct frame f = l->stack[--l->depth];
    if (f.node->kind == AL_YMAP)
        close_mapping(l, &f);
    else
        close_sequence(l, &f);
    l->n_kids = f.base;
    if (f.anchor)
        l->anchors.defs[f.anchor - 1].node = f.node;
    if (!l->failed)
        attach(l, f.node);
}

static void on_alias(struct loader *l, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    const struct anchor *a = anchor_find(l, name);
    struct al_buf b = AL_BUF_INIT;
    if (!a) {
        al_buf_printf(&b, "unknown anchor '%s' referenced", name);
        fail(l, pos_of(ev->start_mark), al_buf_cstr(&b));
    } else if (!a->node) {
        al_buf_printf(&b, "anchor '%s' value contains itself", name);
        fail(l, pos_of(ev->start_mark), al_buf_cstr(&b));
    } else if (a->node->kind == AL_YSEQ || a->node->kind == AL_YMAP) {
        attach(l, a->node); /* shared, not copied: bounded by weight */
    } else {
        /* A scalar is copied so that it carries the alias's position. */
        struct al_ynode *n = new_node(l, a->node->kind, ev->start_mark);
        struct al_ypos pos = n->pos;
        *n = *a->node;
        n->pos = pos;
        attach(l, n);
    }
    al_buf_free(&b);
}

/* go-yaml v2 accepts only "%YAML 1.1"; libyaml also takes 1.2. */
static void check_version_directive(struct loader *l, const yaml_event_t *ev)
{
    const yaml_version_directive_t *v = ev->data.document_start.version_directive;
    if (v && (v->major != 1 || v->minor != 1))
        fail(l, pos_of(ev->start_mark),
             "the %YAML directive names a version other than 1.1; GitLab's YAML parser "
             "(go-yaml v2) refuses it (\"found incompatible YAML document\"): delete the "
             "directive line");
}

/* A byte-order mark after the start of the text is an ordinary character to
 * go-yaml v2 (it becomes part of the key or value it precedes: "\xEF\xBB\xBFci_access"
 * is an unknown key), while libyaml skips it at the start of a line. The
 * loader hands libyaml U+E000 instead (as long in UTF-8, so positions hold)
 * and puts the mark back into the scalars. */
static const char bom[] = "\xEF\xBB\xBF", bom_stand_in[] = "\xEE\x80\x80";

static char *swap_inner_boms(const char *data, size_t len)
{
    char *copy = NULL;
    for (size_t i = 1; i + 3 <= len; i++) {
        if (memcmp(data + i, bom, 3) != 0)
            continue;
        if (!copy) {
            copy = al_malloc(len ? len : 1);
            memcpy(copy, data, len);
        }
        memcpy(copy + i, bom_stand_in, 3);
    }
    return copy;
}

static void restore_boms(char *s, size_t len)
{
    for (size_t i = 0; i + 3 <= len; i++)
        if (memcmp(s + i, bom_stand_in, 3) == 0)
            memcpy(s + i, bom, 3);
}

static void on_scalar(struct loader *l, const yaml_event_t *ev)
{
    struct al_ynode *n = new_node(l, AL_YSTR, ev->start_mark);
    char *text = al_arena_strndup(&l->doc->arena, (const char *)ev->data.scalar.value,
                                  ev->data.scalar.length);
    if (l->boms_swapped)
        restore_boms(text, ev->data.scalar.length);
    n->str = text;
    n->len = ev->data.scalar.length;
    n->style = scalar_style(ev->data.scalar.style);
    if (ev->data.scalar.tag)
        n->tag = al_arena_strdup(&l->doc->arena, (const char *)ev->data.scalar.tag);
    resolve_scalar(l, n, ev);
    if (ev->data.scalar.anchor)
        anchor_add(l, (const char *)ev->data.scalar.anchor, n);
    attach(l, n);
}

static void on_collection(struct loader *l, const yaml_event_t *ev, bool is_map)
{
    struct al_ynode *n = new_node(l, is_map ? AL_YMAP : AL_YSEQ, ev->start_mark);
    const unsigned char *tag = is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
    const unsigned char *anchor =
        is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    int style = is_map ? ev->data.mapping_start.style : ev->data.sequence_start.style;
    n->style = (style == YAML_FLOW_MAPPING_STYLE || style == YAML_FLOW_SEQUENCE_STYLE)
                   ? AL_YS_FLOW
                   : AL_YS_BLOCK;
    if (tag)
        n->tag = al_arena_strdup(&l->doc->arena, (const char *)tag);
    push(l, n, (const char *)anchor);
}

static bool next(struct loader *l, yaml_event_t *ev)
{
    if (yaml_parser_parse(&l->parser, ev))
        return true;
    struct al_ypos pos;
    const char *msg = al_ysyntax_explain(&l->parser, l->data, l->len, &l->doc->arena, &pos);
    fail(l, pos, msg);
    return false;
}

/* After the first document: GitLab reads no further, but say so if there is more. */
static void look_past_first_document(struct loader *l)
{
    yaml_event_t ev;
    if (!yaml_parser_parse(&l->parser, &ev)) {
        struct al_ypos pos;
        const char *why = al_ysyntax_explain(&l->parser, l->data, l->len, &l->doc->arena, &pos);
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b,
                      "text after the first YAML document is ignored by GitLab (and does not "
                      "parse: %s)",
                      why);
        add_issue(l->doc, AL_YI_EXTRA_DOCUMENT, pos, al_buf_cstr(&b));
        al_buf_free(&b);
        return;
    }
    if (ev.type == YAML_DOCUMENT_START_EVENT)
        add_issue(l->doc, AL_YI_EXTRA_DOCUMENT, pos_of(ev.start_mark),
                  "a second YAML document starts here; GitLab reads only the first document of "
                  "config.yaml and ignores everything from here on");
    yaml_event_delete(&ev);
}

static void run(struct loader *l)
{
    yaml_event_t ev;
    bool in_document = false, seen_document = false;
    while (!l->failed && next(l, &ev)) {
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            in_document = seen_document = true;
            check_version_directive(l, &ev);
            break;
        case YAML_DOCUMENT_END_EVENT:
            yaml_event_delete(&ev);
            if (l->stream) {
                /* Anchors belong to one document (YAML 1.1 §3.2.2.2). */
                anchors_free(&l->anchors);
                memset(&l->anchors, 0, sizeof(l->anchors));
                continue;
            }
            look_past_first_document(l);
            return;
        case YAML_SCALAR_EVENT:
            on_scalar(l, &ev);
            break;
        case YAML_ALIAS_EVENT:
            on_alias(l, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
            on_collection(l, &ev, false);
            break;
        case YAML_MAPPING_START_EVENT:
            on_collection(l, &ev, true);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (l->depth)
                pop(l);
            break;
        case YAML_STREAM_END_EVENT:
            yaml_event_delete(&ev);
            l->doc->empty = !seen_document;
            return;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    (void)in_document;
}

static struct al_ydoc *load(const char *data, size_t len, bool stream)
{
    struct al_ydoc *doc = al_calloc(1, sizeof(*doc));
    struct loader l = {0};
    l.stream = stream;
    l.doc = doc;
    l.data = data;
    l.len = len;
    /* Where the heap and the stack are (address space layout randomisation)
     * varies from run to run and is unknown to whoever wrote the file; no
     * output depends on the seed, only how long a lookup takes. */
    l.seed = (uint64_t)(uintptr_t)doc ^ ((uint64_t)(uintptr_t)&l << 17);
    l.mb.seed = l.seed;
    if (!yaml_parser_initialize(&l.parser)) {
        fputs("agentlint: out of memory\n", stderr);
        exit(2);
    }
    char *swapped = swap_inner_boms(data, len);
    l.boms_swapped = swapped != NULL;
    yaml_parser_set_input_string(&l.parser, (const unsigned char *)(swapped ? swapped : data), len);
    run(&l);
    free(swapped);
    free(l.stack);
    free(l.kids);
    free(l.mb.pairs);
    free(l.mb.explicit_key);
    free(l.mb.slots);
    anchors_free(&l.anchors);
    yaml_parser_delete(&l.parser);
    if (l.failed)
        doc->root = NULL;
    if (stream && doc->n_docs)
        doc->root = doc->docs[0];
    return doc;
}

struct al_ydoc *al_yaml_load(const char *data, size_t len)
{
    return load(data, len, false);
}

struct al_ydoc *al_yaml_load_stream(const char *data, size_t len)
{
    return load(data, len, true);
}

void al_ydoc_free(struct al_ydoc *doc)
{
    if (!doc)
        return;
    al_arena_free(&doc->arena);
    free(doc->issues);
    free(doc->docs);
    free(doc);
}

bool al_ydoc_has_syntax_error(const struct al_ydoc *doc)
{
    for (size_t i = 0; i < doc->n_issues; i++)
        if (doc->issues[i].kind == AL_YI_SYNTAX)
            return true;
    return false;
}

const struct al_ypair *al_ymap_pair(const struct al_ynode *map, const char *name)
{
    if (!map || map->kind != AL_YMAP)
        return NULL;
    /* Config mappings have a handful of keys that mostly differ in their
     * first letter: compare that before calling strcmp. */
    for (size_t i = 0; i < map->n; i++)
        if (map->pairs[i].name[0] == name[0] && strcmp(map->pairs[i].name, name) == 0)
            return &map->pairs[i];
    return NULL;
}

const struct al_ynode *al_ymap_get(const struct al_ynode *map, const char *name)
{
    const struct al_ypair *p = al_ymap_pair(map, name);
    return p ? p->val : NULL;
}

const char *al_ykind_name(enum al_ykind kind)
{
    switch (kind) {
    case AL_YNULL:
        return "null";
    case AL_YBOOL:
        return "boolean";
    case AL_YINT:
    case AL_YFLOAT:
        return "number";
    case AL_YSTR:
        return "string";
    case AL_YSEQ:
        return "list";
    case AL_YMAP:
        return "mapping";
    }
    return "value";
}

bool al_ynode_is_str(const struct al_ynode *n)
{
    return n && n->kind == AL_YSTR;
}
