/* agentlint schema: the configuration file's JSON Schema for one GitLab
 * version, from the built-in schema data, for editors (yaml-language-server,
 * VS Code, JetBrains). Draft-07: the draft yaml-language-server and
 * JetBrains support completely.
 *
 * What it says is what the agent server accepts at that version: keys that
 * version knows (since/removed), no other keys (protojson rejects unknown
 * fields), null wherever protojson skips it, the types as protojson reads
 * them. Rules that are not structural (ids, environments, RBAC) stay with
 * `agentlint check`. */
#include "cli/commands.h"
#include "cli/emit.h"
#include "cli/formats.h"
#include "cli/output.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/version.h"
#include "model/schema.h"

#include <stdio.h>
#include <string.h>

static bool present(const struct al_sfield *f, int version)
{
    return (!f->since || version >= f->since) && (!f->removed || version < f->removed);
}

static void describe(struct al_emit *e, const struct al_sfield *f)
{
    struct al_buf d = AL_BUF_INIT;
    char v[16];
    if (f->doc)
        al_buf_puts(&d, f->doc);
    if (f->since)
        al_buf_printf(&d, "%sGitLab %s and later.", d.len ? ". " : "", al_version_str(f->since, v));
    if (f->deprecated)
        al_buf_printf(&d, "%sDeprecated in GitLab %s.", d.len ? " " : "",
                      al_version_str(f->deprecated, v));
    if (f->unconfirmed)
        al_buf_printf(&d, "%s%s.", d.len ? " " : "", f->unconfirmed);
    if (d.len)
        al_emit_kstr(e, "description", al_buf_cstr(&d));
    al_buf_free(&d);
}

/* A reference to definition `name`, in the map open on `e`; `nullable`: or null
 * (protojson skips a null, and an empty file is the empty configuration). */
static void ref_to(struct al_emit *e, const char *name, bool nullable)
{
    struct al_buf ref = AL_BUF_INIT;
    al_buf_printf(&ref, "#/definitions/%s", name);
    if (!nullable) {
        al_emit_kstr(e, "$ref", al_buf_cstr(&ref));
        al_buf_free(&ref);
        return;
    }
    al_emit_key(e, "anyOf");
    al_emit_seq_start(e);
    al_emit_map_start(e);
    al_emit_kstr(e, "$ref", al_buf_cstr(&ref));
    al_emit_map_end(e);
    al_emit_map_start(e);
    al_emit_kstr(e, "type", "null");
    al_emit_map_end(e);
    al_emit_seq_end(e);
    al_buf_free(&ref);
}

/* One value of type t (a field's value, a list item or a map value). */
static void value_schema(struct al_emit *e, const struct al_sfield *f, const struct al_stype *t,
                         bool item, bool nullable)
{
    al_emit_map_start(e);
    switch (t->kind) {
    case AL_ST_OBJECT:
    case AL_ST_EMPTY:
        ref_to(e, t->kind == AL_ST_EMPTY ? "Empty" : t->name, nullable);
        break;
    case AL_ST_STRING:
        if (f && f->proto_enum) {
            /* a protobuf enum: its names, or any int32 (proto3 enums are open) */
            al_emit_key(e, "anyOf");
            al_emit_seq_start(e);
            al_emit_map_start(e);
            al_emit_key(e, "enum");
            al_emit_seq_start(e);
            for (size_t i = 0; i < f->n_enum; i++)
                al_emit_str(e, f->enum_values[i]);
            if (nullable)
                al_emit_null(e);
            al_emit_seq_end(e);
            al_emit_map_end(e);
            al_emit_map_start(e);
            al_emit_kstr(e, "type", "integer");
            al_emit_kint(e, "minimum", -2147483648LL);
            al_emit_kint(e, "maximum", 2147483647LL);
            al_emit_map_end(e);
            al_emit_seq_end(e);
        } else if (f && f->n_enum && !item) {
            al_emit_key(e, "enum");
            al_emit_seq_start(e);
            for (size_t i = 0; i < f->n_enum; i++)
                al_emit_str(e, f->enum_values[i]);
            if (nullable)
                al_emit_null(e);
            al_emit_seq_end(e);
        } else {
            al_emit_key(e, "type");
            if (nullable) {
                al_emit_seq_start_flow(e);
                al_emit_str(e, "string");
                al_emit_str(e, "null");
                al_emit_seq_end(e);
            } else {
                al_emit_str(e, "string");
            }
            size_t min = f ? (item ? f->item_min_len : f->min_len) : 0;
            if (min)
                al_emit_kint(e, "minLength", (long long)min);
        }
        break;
    case AL_ST_BOOL:
    case AL_ST_INT:
    case AL_ST_DURATION:
        al_emit_key(e, "type");
        al_emit_seq_start_flow(e);
        al_emit_str(e, t->kind == AL_ST_BOOL  ? "boolean"
                       : t->kind == AL_ST_INT ? "integer"
                                              : "string");
        if (t->kind == AL_ST_INT)
            al_emit_str(e, "string"); /* protojson reads "5" for an int32 */
        if (nullable)
            al_emit_str(e, "null");
        al_emit_seq_end(e);
        if (t->kind == AL_ST_DURATION)
            al_emit_kstr(e, "pattern", "^[-+]?(0|[1-9][0-9]*)?(\\.[0-9]{0,9})?s$");
        if (t->kind == AL_ST_INT) /* a JSON number in a string, integral */
            al_emit_kstr(e, "pattern", "^-?(0|[1-9][0-9]*)(\\.0*)?([eE]\\+?[0-9]+)?$");
        if (t->kind == AL_ST_INT && f && f->has_min)
            al_emit_kint(e, "minimum", f->min);
        if (t->kind == AL_ST_INT && f && f->has_max)
            al_emit_kint(e, "maximum", f->max);
        break;
    case AL_ST_ANY:
        break;
    }
    al_emit_map_end(e);
}

static void field_schema(struct al_emit *e, const struct al_sfield *f)
{
    if (f->shape == AL_SF_ONE) {
        value_schema(e, f, f->type, false, true);
        return;
    }
    al_emit_map_start(e);
    describe(e, f);
    al_emit_key(e, "type");
    al_emit_seq_start_flow(e);
    al_emit_str(e, f->shape == AL_SF_LIST ? "array" : "object");
    al_emit_str(e, "null");
    al_emit_seq_end(e);
    al_emit_key(e, f->shape == AL_SF_LIST ? "items" : "additionalProperties");
    value_schema(e, f, f->type, true, false);
    if (f->min_items)
        al_emit_kint(e, "minItems", (long long)f->min_items);
    al_emit_map_end(e);
}

/* A protobuf oneof as protojson reads it: a null member is skipped, so
 * exactly one member (at most one when optional) has a value. */
static void oneof_alternative(struct al_emit *e, const struct al_stype *t, int version, size_t set)
{
    al_emit_map_start(e);
    if (set < t->n_fields) {
        al_emit_key(e, "required");
        al_emit_seq_start_flow(e);
        al_emit_str(e, t->fields[set].name);
        al_emit_seq_end(e);
    }
    al_emit_key(e, "properties");
    al_emit_map_start(e);
    for (size_t i = 0; i < t->n_fields; i++) {
        if (!present(&t->fields[i], version))
            continue;
        al_emit_key(e, t->fields[i].name);
        al_emit_map_start(e);
        if (i == set) {
            al_emit_key(e, "not");
            al_emit_map_start(e);
        }
        al_emit_kstr(e, "type", "null");
        if (i == set)
            al_emit_map_end(e);
        al_emit_map_end(e);
    }
    al_emit_map_end(e);
    al_emit_map_end(e);
}

static void oneof_schema(struct al_emit *e, const struct al_stype *t, int version)
{
    al_emit_key(e, "oneOf");
    al_emit_seq_start(e);
    for (size_t i = 0; i < t->n_fields; i++)
        if (present(&t->fields[i], version))
            oneof_alternative(e, t, version, i);
    if (t->oneof == AL_ONEOF_OPTIONAL)
        oneof_alternative(e, t, version, t->n_fields); /* nothing set */
    al_emit_seq_end(e);
}

static void object_schema(struct al_emit *e, const struct al_stype *t, int version)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "type", "object");
    al_emit_kbool(e, "additionalProperties", false);
    al_emit_key(e, "properties");
    al_emit_map_start(e);
    for (size_t i = 0; i < t->n_fields; i++) {
        const struct al_sfield *f = &t->fields[i];
        if (!present(f, version))
            continue;
        al_emit_key(e, f->name);
        if (f->shape == AL_SF_ONE && (f->doc || f->since || f->deprecated || f->unconfirmed)) {
            /* a description beside the value's schema */
            al_emit_map_start(e);
            describe(e, f);
            al_emit_key(e, "allOf");
            al_emit_seq_start(e);
            field_schema(e, f);
            al_emit_seq_end(e);
            al_emit_map_end(e);
        } else {
            field_schema(e, f);
        }
    }
    al_emit_map_end(e);
    size_t n_required = 0;
    for (size_t i = 0; i < t->n_fields; i++)
        n_required += t->fields[i].required && present(&t->fields[i], version);
    if (n_required) {
        al_emit_key(e, "required");
        al_emit_seq_start_flow(e);
        for (size_t i = 0; i < t->n_fields; i++)
            if (t->fields[i].required && present(&t->fields[i], version))
                al_emit_str(e, t->fields[i].name);
        al_emit_seq_end(e);
    }
    if (t->oneof != AL_ONEOF_NONE)
        oneof_schema(e, t, version);
    al_emit_map_end(e);
}

void al_render_schema_json(const struct al_schema_view *sv, struct al_buf *out)
{
    const struct al_schema *s = sv->schema;
    int version = sv->version;
    char v[16];
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, out);
    struct al_buf title = AL_BUF_INIT;
    al_buf_printf(&title, "GitLab agent for Kubernetes configuration (GitLab %s)",
                  al_version_str(version, v));
    al_emit_map_start(e);
    al_emit_kstr(e, "$schema", "http://json-schema.org/draft-07/schema#");
    al_emit_kstr(e, "title", al_buf_cstr(&title));
    al_emit_kstr(e, "description",
                 ".gitlab/agents/<agent-name>/config.yaml as the agent server of this GitLab "
                 "version accepts it (written by agentlint schema; agentlint check checks the "
                 "rest)");
    al_buf_free(&title);
    al_emit_key(e, "definitions");
    al_emit_map_start(e);
    al_emit_key(e, "Empty");
    al_emit_map_start(e);
    al_emit_kstr(e, "type", "object");
    al_emit_kbool(e, "additionalProperties", false);
    al_emit_map_end(e);
    for (size_t i = 0; i < s->n_types; i++) {
        al_emit_key(e, s->types[i].name);
        object_schema(e, &s->types[i], version);
    }
    al_emit_map_end(e);
    /* the root: the top-level type, or an empty file (null) */
    ref_to(e, s->root->name, true);
    al_emit_map_end(e);
    al_emit_finish(e);
}

int al_cmd_schema(const struct al_opts *o)
{
    struct al_schema *s;
    if (o->n_paths)
        return al_cmd_fail("schema takes no arguments; pick the version with --gitlab-version");
    const struct al_format *fmt = al_format_find(AL_CMD_SCHEMA, "schema", o->format);
    if (!fmt)
        return al_cmd_fail(al_error_last());
    if (al_schema_load_builtin(&s) < 0)
        return al_cmd_fail(al_error_last());
    int version = s->latest;
    if (o->gitlab_version) {
        version = al_version_parse(o->gitlab_version);
        if (version < s->oldest) {
            char lo[16], hi[16];
            struct al_buf m = AL_BUF_INIT;
            al_buf_printf(&m, "--gitlab-version must look like 17.5 and be %s or later (up to %s)",
                          al_version_str(s->oldest, lo), al_version_str(s->latest, hi));
            al_schema_free(s);
            int rc = al_cmd_fail(al_buf_cstr(&m));
            al_buf_free(&m);
            return rc;
        }
    }
    struct al_schema_view v = {s, version};
    int rc = al_format_write(fmt, &v, o->output) < 0 ? al_cmd_fail(al_error_last()) : 0;
    al_schema_free(s);
    return rc;
}
