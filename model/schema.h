/* The configuration schema as data (schemas/agentcfg.yaml, compiled into the
 * binary). checks/schema_check.h walks a document against it. */
#ifndef AL_SCHEMA_H
#define AL_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "model/yaml.h"

enum al_stype_kind {
    AL_ST_OBJECT,
    AL_ST_STRING,
    AL_ST_BOOL,
    AL_ST_INT,
    AL_ST_DURATION,
    AL_ST_EMPTY, /* {} */
    AL_ST_ANY,
};

enum al_sfield_shape { AL_SF_ONE, AL_SF_LIST, AL_SF_MAP };

struct al_stype;

struct al_sfield {
    const char *name;
    const struct al_stype *type;
    enum al_sfield_shape shape;
    bool required;
    size_t min_len, item_min_len, min_items;
    bool has_min, has_max, positive;
    bool proto_enum; /* a protobuf enum: its names, or any int32 number */
    long long min, max;
    const char **enum_values;
    size_t n_enum;
    int since, deprecated, removal_announced, removed; /* versions (1703), 0 = none */
    int needed_before; /* GitLab (Rails) needs the key before this version; the agent server never
                        */
    const char *unconfirmed, *doc, *rule;
};

enum al_oneof { AL_ONEOF_NONE, AL_ONEOF_REQUIRED, AL_ONEOF_OPTIONAL };

struct al_stype {
    const char *name;
    enum al_stype_kind kind;
    struct al_sfield *fields;
    size_t n_fields;
    enum al_oneof oneof;
    const char *oneof_rule;
};

struct al_shint {
    const char *key; /* dotted path without indexes, or a bare name */
    const char *text;
};

struct al_schema {
    struct al_ydoc *src; /* owns every string */
    const struct al_stype *root;
    const struct al_stype *template_root; /* environment_templates/NAME.yaml, or NULL */
    int oldest, latest;                   /* the GitLab versions the schema describes */
    struct al_stype *types;
    size_t n_types;
    struct al_shint *hints;
    size_t n_hints;
};

/* Parse a schema from YAML text. Returns < 0 with al_error_last() set. */
int al_schema_load(const char *text, size_t len, struct al_schema **out);
/* The schema built into the binary (schemas/agentcfg.yaml). */
int al_schema_load_builtin(struct al_schema **out);
void al_schema_free(struct al_schema *s);

/* The field `name` of an object type, or NULL. */
const struct al_sfield *al_schema_field(const struct al_stype *t, const char *name);
const struct al_stype *al_schema_type(const struct al_schema *s, const char *name);

#endif
