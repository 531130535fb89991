/* The YAML document model every other module reads.
 *
 * libyaml's parser (the family GitLab itself uses: Psych in Rails, go-yaml in
 * the agent server) produces events; al_yaml_load turns them into a tree in
 * which every node keeps its 1-based line and column, scalars carry the type
 * go-yaml v2 gives them (YAML 1.1: plain yes/no/on/off are booleans, ...),
 * aliases are resolved (bounded, so an alias bomb is an issue, not an OOM),
 * and `<<` merge keys are applied as go-yaml v2 applies them.
 *
 * Loading never fails: what is wrong with the text is recorded as issues
 * (syntax error, duplicate key, extra document) for the checker to report. */
#ifndef AL_YAML_H
#define AL_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/alloc.h"

enum al_ykind {
    AL_YNULL,
    AL_YBOOL,
    AL_YINT,
    AL_YFLOAT,
    AL_YSTR,
    AL_YSEQ,
    AL_YMAP,
};

enum al_ystyle {
    AL_YS_PLAIN,
    AL_YS_SINGLE,
    AL_YS_DOUBLE,
    AL_YS_LITERAL,
    AL_YS_FOLDED,
    AL_YS_BLOCK, /* block collection */
    AL_YS_FLOW,  /* flow collection */
};

struct al_ypos {
    uint32_t line, col; /* 1-based; 0 when unknown */
};

struct al_ypair;

struct al_ynode {
    enum al_ykind kind;
    uint8_t style;      /* enum al_ystyle */
    bool merged;        /* map: some pairs came from a `<<` merge */
    struct al_ypos pos; /* where the node starts in the text */
    const char *tag;    /* explicit tag as written, or NULL */
    /* Scalars: the text as loaded (NUL-terminated, may contain NUL bytes). */
    const char *str;
    size_t len;
    union {
        long long i;
        double f;
        bool b;
    } v;
    /* Collections: sequence items, or the effective pairs of a mapping (after
     * merge keys and duplicates, in order of first appearance). */
    size_t n;
    struct al_ynode **items;
    struct al_ypair *pairs;
};

struct al_ypair {
    struct al_ynode *key, *val;
    /* The key as the agent server sees it after YAML -> JSON conversion
     * (a plain `yes` key becomes "true"). */
    const char *name;
};

enum al_yissue_kind {
    AL_YI_SYNTAX,         /* the document does not parse: root is NULL */
    AL_YI_DUPLICATE_KEY,  /* pos = second key, other = first */
    AL_YI_EXTRA_DOCUMENT, /* pos = start of the second document */
};

struct al_yissue {
    enum al_yissue_kind kind;
    struct al_ypos pos;
    struct al_ypos other;
    const char *message; /* a sentence for a person */
    const char *key;     /* duplicate key text */
};

struct al_ydoc {
    struct al_arena arena;
    struct al_ynode *root; /* NULL: empty document, or a syntax error */
    bool empty;            /* no content at all (empty, blank or comments only) */
    struct al_yissue *issues;
    size_t n_issues, cap_issues;
    /* al_yaml_load_stream only: the root of every non-empty document, in
     * order (those before a syntax error when there is one). */
    struct al_ynode **docs;
    size_t n_docs, cap_docs;
};

/* Limits that keep hostile input bounded. */
enum {
    AL_YAML_MAX_DEPTH = 512,
    AL_YAML_MAX_NODES = 1000000, /* after alias expansion */
};

/* Load the first document of `data`. Never returns NULL. */
struct al_ydoc *al_yaml_load(const char *data, size_t len);
/* Load every document of a stream (Kubernetes manifests, `---` separated):
 * doc->docs; root is the first. Same bounds, over all documents together. */
struct al_ydoc *al_yaml_load_stream(const char *data, size_t len);
void al_ydoc_free(struct al_ydoc *doc);
bool al_ydoc_has_syntax_error(const struct al_ydoc *doc);

/* Lookups on a mapping node (NULL-safe; NULL when absent or not a map). */
const struct al_ypair *al_ymap_pair(const struct al_ynode *map, const char *name);
const struct al_ynode *al_ymap_get(const struct al_ynode *map, const char *name);

/* "string", "boolean", "number", "null", "list", "mapping" */
const char *al_ykind_name(enum al_ykind kind);
bool al_ynode_is_str(const struct al_ynode *n);

/* go-yaml v2's resolution of a plain scalar (exposed for tests). */
enum al_ykind al_yscalar_resolve(const char *s, size_t len, long long *ival, double *fval,
                                 bool *bval);
/* Whether a plain scalar is the merge key `<<`. */
bool al_yscalar_is_merge(const char *s, size_t len);

#endif
