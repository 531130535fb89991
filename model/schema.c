/* Loading schemas/agentcfg.yaml into types and fields. The walker that checks
 * documents against it is in schema_check.c. */
#include "model/schema.h"
#include "common/alloc.h"
#include "common/error.h"
#include "common/version.h"

#include <stdlib.h>
#include <string.h>

static const struct al_stype builtin[] = {
    {"string", AL_ST_STRING, NULL, 0, AL_ONEOF_NONE, NULL},
    {"bool", AL_ST_BOOL, NULL, 0, AL_ONEOF_NONE, NULL},
    {"int", AL_ST_INT, NULL, 0, AL_ONEOF_NONE, NULL},
    {"duration", AL_ST_DURATION, NULL, 0, AL_ONEOF_NONE, NULL},
    {"empty", AL_ST_EMPTY, NULL, 0, AL_ONEOF_NONE, NULL},
    {"any", AL_ST_ANY, NULL, 0, AL_ONEOF_NONE, NULL},
};

const struct al_stype *al_schema_type(const struct al_schema *s, const char *name)
{
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (strcmp(builtin[i].name, name) == 0)
            return &builtin[i];
    for (size_t i = 0; i < s->n_types; i++)
        if (strcmp(s->types[i].name, name) == 0)
            return &s->types[i];
    return NULL;
}

const struct al_sfield *al_schema_field(const struct al_stype *t, const char *name)
{
    if (!t)
        return NULL;
    for (size_t i = 0; i < t->n_fields; i++) /* first letters differ: skip strcmp */
        if (t->fields[i].name[0] == name[0] && strcmp(t->fields[i].name, name) == 0)
            return &t->fields[i];
    return NULL;
}

static const char *str_of(const struct al_ynode *n)
{
    return n && n->kind == AL_YSTR ? n->str : NULL;
}

static int version_of(const struct al_ynode *map, const char *key, const char *where)
{
    const struct al_ynode *v = al_ymap_get(map, key);
    if (!v)
        return 0;
    int ver = str_of(v) ? al_version_parse(v->str) : -1;
    if (ver < 0)
        return al_error_set("schema: %s.%s must be a quoted version like \"17.3\"", where, key);
    return ver;
}

static int number_of(const struct al_ynode *map, const char *key, long long *out, bool *has)
{
    const struct al_ynode *v = al_ymap_get(map, key);
    *has = false;
    if (!v)
        return 0;
    if (v->kind != AL_YINT)
        return al_error_set("schema: %s must be an integer", key);
    *out = v->v.i;
    *has = true;
    return 0;
}

static int load_field(struct al_schema *s, struct al_sfield *f, const char *name,
                      const struct al_ynode *spec, const char *tname)
{
    f->name = name;
    if (!spec || spec->kind != AL_YMAP)
        return al_error_set("schema: field %s.%s must be a mapping", tname, name);
    const char *type = str_of(al_ymap_get(spec, "type"));
    const char *list = str_of(al_ymap_get(spec, "list"));
    const char *map = str_of(al_ymap_get(spec, "map"));
    f->shape = list ? AL_SF_LIST : map ? AL_SF_MAP : AL_SF_ONE;
    const char *tref = list ? list : map ? map : type;
    if (!tref || (!!type + !!list + !!map) != 1)
        return al_error_set("schema: field %s.%s needs exactly one of type, list, map", tname,
                            name);
    f->type = al_schema_type(s, tref);
    if (!f->type)
        return al_error_set("schema: field %s.%s refers to unknown type %s", tname, name, tref);
    const struct al_ynode *v;
    if ((v = al_ymap_get(spec, "required")) && v->kind == AL_YBOOL)
        f->required = v->v.b;
    long long num;
    bool has;
    if (number_of(spec, "min_len", &num, &has) < 0)
        return AL_ERR;
    f->min_len = has ? (size_t)num : 0;
    if (number_of(spec, "item_min_len", &num, &has) < 0)
        return AL_ERR;
    f->item_min_len = has ? (size_t)num : 0;
    if (number_of(spec, "min_items", &num, &has) < 0)
        return AL_ERR;
    f->min_items = has ? (size_t)num : 0;
    if (number_of(spec, "min", &f->min, &f->has_min) < 0 ||
        number_of(spec, "max", &f->max, &f->has_max) < 0)
        return AL_ERR;
    if ((v = al_ymap_get(spec, "positive")) && v->kind == AL_YBOOL)
        f->positive = v->v.b;
    if ((v = al_ymap_get(spec, "proto_enum")) && v->kind == AL_YBOOL)
        f->proto_enum = v->v.b;
    if ((v = al_ymap_get(spec, "enum"))) {
        if (v->kind != AL_YSEQ)
            return al_error_set("schema: %s.%s enum must be a list", tname, name);
        f->enum_values = al_arena_alloc(&s->src->arena, (v->n + 1) * sizeof(char *));
        for (size_t i = 0; i < v->n; i++)
            f->enum_values[i] = v->items[i]->str ? v->items[i]->str : "";
        f->n_enum = v->n;
    }
    if ((f->since = version_of(spec, "since", name)) < 0 ||
        (f->deprecated = version_of(spec, "deprecated", name)) < 0 ||
        (f->removal_announced = version_of(spec, "removal_announced", name)) < 0 ||
        (f->removed = version_of(spec, "removed", name)) < 0 ||
        (f->needed_before = version_of(spec, "needed_before", name)) < 0)
        return AL_ERR;
    f->unconfirmed = str_of(al_ymap_get(spec, "unconfirmed"));
    f->doc = str_of(al_ymap_get(spec, "doc"));
    f->rule = str_of(al_ymap_get(spec, "rule"));
    return 0;
}

static int load_type(struct al_schema *s, struct al_stype *t, const struct al_ynode *spec)
{
    t->kind = AL_ST_OBJECT;
    if (!spec || spec->kind != AL_YMAP)
        return al_error_set("schema: type %s must be a mapping", t->name);
    const char *oneof = str_of(al_ymap_get(spec, "oneof"));
    if (oneof)
        t->oneof = strcmp(oneof, "required") == 0 ? AL_ONEOF_REQUIRED : AL_ONEOF_OPTIONAL;
    t->oneof_rule = str_of(al_ymap_get(spec, "rule"));
    const struct al_ynode *fields = al_ymap_get(spec, "fields");
    if (!fields || fields->kind != AL_YMAP)
        return al_error_set("schema: type %s needs fields", t->name);
    t->n_fields = fields->n;
    t->fields = al_arena_alloc(&s->src->arena, (fields->n + 1) * sizeof(*t->fields));
    for (size_t i = 0; i < fields->n; i++)
        if (load_field(s, &t->fields[i], fields->pairs[i].name, fields->pairs[i].val, t->name) < 0)
            return AL_ERR;
    return 0;
}

int al_schema_load(const char *text, size_t len, struct al_schema **out)
{
    struct al_schema *s = al_calloc(1, sizeof(*s));
    *out = NULL;
    s->src = al_yaml_load(text, len);
    const struct al_ynode *root = s->src->root;
    const struct al_ynode *types = al_ymap_get(root, "types");
    if (!root || s->src->n_issues || !types || types->kind != AL_YMAP) {
        al_schema_free(s);
        return al_error_set("schema: not a valid schema document");
    }
    s->n_types = types->n;
    s->types = al_arena_alloc(&s->src->arena, (types->n + 1) * sizeof(*s->types));
    for (size_t i = 0; i < types->n; i++)
        s->types[i].name = types->pairs[i].name;
    for (size_t i = 0; i < types->n; i++) {
        if (load_type(s, &s->types[i], types->pairs[i].val) < 0) {
            al_schema_free(s);
            return AL_ERR;
        }
    }
    const char *rootname = str_of(al_ymap_get(root, "root"));
    s->root = rootname ? al_schema_type(s, rootname) : NULL;
    s->template_root = al_schema_type(s, "EnvironmentTemplate");
    s->latest = version_of(root, "latest", "schema");
    s->oldest = version_of(root, "oldest", "schema");
    if (!s->root || s->latest <= 0 || s->oldest <= 0) {
        al_schema_free(s);
        return al_error_set("schema: root type or latest version missing");
    }
    const struct al_ynode *hints = al_ymap_get(root, "hints");
    if (hints && hints->kind == AL_YMAP) {
        s->n_hints = hints->n;
        s->hints = al_arena_alloc(&s->src->arena, (hints->n + 1) * sizeof(*s->hints));
        for (size_t i = 0; i < hints->n; i++) {
            s->hints[i].key = hints->pairs[i].name;
            s->hints[i].text = str_of(hints->pairs[i].val) ? hints->pairs[i].val->str : "";
        }
    }
    *out = s;
    return 0;
}

/* Generated from schemas/agentcfg.yaml by tools/embed (build/gen/schema_data.c). */
extern const char al_schema_agentcfg[];
extern const size_t al_schema_agentcfg_len;

int al_schema_load_builtin(struct al_schema **out)
{
    return al_schema_load(al_schema_agentcfg, al_schema_agentcfg_len, out);
}

void al_schema_free(struct al_schema *s)
{
    if (!s)
        return;
    al_ydoc_free(s->src);
    free(s);
}
