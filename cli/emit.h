/* Structured output through libfyaml: JSON for the json, sarif and
 * codequality formats, block YAML for RBAC. Every string goes through
 * libfyaml, which quotes and escapes it, so a value taken from an untrusted
 * merge request cannot break out of its place ("escaped by construction"),
 * and comes back exactly as it was (spaces at both ends included). */
#ifndef AL_EMIT_H
#define AL_EMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

enum al_emit_mode { AL_EMIT_JSON, AL_EMIT_YAML };

struct al_emit;

/* Start a stream written to `out`. YAML streams may hold several documents. */
struct al_emit *al_emit_new(enum al_emit_mode mode, struct al_buf *out);
/* Finish the stream and free the emitter. Returns < 0 if the emitter failed. */
int al_emit_finish(struct al_emit *e);

void al_emit_doc_start(struct al_emit *e);
void al_emit_doc_end(struct al_emit *e);
void al_emit_map_start(struct al_emit *e);
void al_emit_map_end(struct al_emit *e);
void al_emit_seq_start(struct al_emit *e);
void al_emit_seq_end(struct al_emit *e);
/* A flow-style [] / {} for empty collections in YAML. */
void al_emit_seq_start_flow(struct al_emit *e);

/* Scalars. al_emit_str(NULL) writes null. Strings are always strings: in
 * JSON quoted, in YAML plain only when made of letters, digits and "._/:@-",
 * starting with a letter, '_' or '/', not ending in ':', and not a bool or
 * null to any YAML reader; quoted otherwise. */
void al_emit_str(struct al_emit *e, const char *s);
void al_emit_strn(struct al_emit *e, const char *s, size_t n);
void al_emit_int(struct al_emit *e, long long v);
void al_emit_bool(struct al_emit *e, bool v);
void al_emit_null(struct al_emit *e);

/* Key + value shorthands inside a mapping. */
void al_emit_kstr(struct al_emit *e, const char *key, const char *val);
void al_emit_kint(struct al_emit *e, const char *key, long long val);
void al_emit_kbool(struct al_emit *e, const char *key, bool val);
void al_emit_key(struct al_emit *e, const char *key);

#endif
