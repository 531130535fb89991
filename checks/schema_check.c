/* Checking a document against the schema, the way the agent server's
 * protojson + protoc-gen-validate would judge it, with messages that say
 * what to write instead. */
#include "checks/schema_check.h"
#include "model/schema.h"
#include "model/pbjson.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/str.h"
#include "common/version.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The key path of the node being checked is a stack of steps, spelled out
 * (ci_access.projects[3].id) only when a finding or a message needs it:
 * formatting it for every node cost more than the checks themselves. */
struct step {
    const char *name; /* a key, or NULL for a list index */
    size_t index;
};

struct walk {
    const struct al_schema_check *c;
    struct al_findings *out;
    struct step *steps;
    size_t depth, cap;
    struct al_buf spelled; /* path_str's result */
};

static const char *path_str(struct walk *w)
{
    al_buf_clear(&w->spelled);
    for (size_t i = 0; i < w->depth; i++) {
        const struct step *st = &w->steps[i];
        if (st->name) {
            if (w->spelled.len)
                al_buf_putc(&w->spelled, '.');
            al_buf_puts(&w->spelled, st->name);
        } else {
            al_buf_printf(&w->spelled, "[%zu]", st->index);
        }
    }
    return al_buf_cstr(&w->spelled);
}

static struct al_finding *emit(struct walk *w, const char *rule, struct al_ypos pos,
                               const char *msg)
{
    struct al_finding *f = al_findings_add(w->out, rule, w->c->path, pos, "%s", msg);
    if (w->c->agent)
        al_finding_set_agent(f, w->c->agent);
    if (w->depth)
        al_finding_set_key_path(f, path_str(w));
    return f;
}

static size_t push_step(struct walk *w, const char *name, size_t index)
{
    size_t mark = w->depth;
    w->steps = al_grow(w->steps, &w->cap, w->depth + 1, sizeof(*w->steps));
    w->steps[w->depth++] = (struct step){name, index};
    return mark;
}

static size_t path_push(struct walk *w, const char *name)
{
    return push_step(w, name, 0);
}

static size_t path_push_index(struct walk *w, size_t i)
{
    return push_step(w, NULL, i);
}

static void path_pop(struct walk *w, size_t mark)
{
    w->depth = mark;
}

/* "ci_access.projects[2]" -> "ci_access.projects", for messages and hints. */
static char *path_without_indexes(const char *p)
{
    struct al_buf b = AL_BUF_INIT;
    for (; *p; p++) {
        if (*p == '[') {
            while (*p && *p != ']')
                p++;
            if (!*p)
                break;
            continue;
        }
        al_buf_putc(&b, *p);
    }
    return al_buf_detach(&b);
}

static const char *where(struct walk *w, struct al_buf *tmp)
{
    al_buf_clear(tmp);
    if (!w->depth) {
        al_buf_puts(tmp, "at the top level");
    } else {
        char *p = path_without_indexes(path_str(w));
        al_buf_printf(tmp, "under %s", p);
        free(p);
    }
    return al_buf_cstr(tmp);
}

/* Show a scalar in a message: short, one line. */
static void show_scalar(struct al_buf *b, const struct al_ynode *n)
{
    if (!n || n->kind == AL_YNULL) {
        al_buf_puts(b, "null");
        return;
    }
    al_buf_putc(b, '"');
    for (size_t i = 0; i < n->len && i < 60; i++) {
        char c = n->str[i];
        if (c == '"' || c == '\\')
            al_buf_putc(b, '\\');
        if ((unsigned char)c < 0x20)
            al_buf_printf(b, "\\x%02x", (unsigned char)c);
        else
            al_buf_putc(b, c);
    }
    if (n->len > 60)
        al_buf_puts(b, "...");
    al_buf_putc(b, '"');
}

static char *quoted(const char *s)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_putc(&b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            al_buf_putc(&b, '\\');
        al_buf_putc(&b, *s);
    }
    al_buf_putc(&b, '"');
    return al_buf_detach(&b);
}

/* ---- unknown keys: suggestions, hints, misplaced keys ---- */

static char *normalize_key(const char *k)
{
    struct al_buf b = AL_BUF_INIT;
    for (const char *p = k; *p; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z') {
            if (b.len && p > k && p[-1] >= 'a' && p[-1] <= 'z')
                al_buf_putc(&b, '_');
            c = (char)(c + 32);
        } else if (c == '-' || c == ' ') {
            c = '_';
        }
        al_buf_putc(&b, c);
    }
    return al_buf_detach(&b);
}

static const char *suggest(struct walk *w, const struct al_stype *t, const char *key)
{
    char *norm = normalize_key(key);
    const char *best = NULL;
    size_t len = strlen(key);
    size_t limit = len <= 4 ? 1 : len <= 10 ? 2 : 3, bestd = limit + 1;
    for (size_t i = 0; i < t->n_fields; i++) {
        const struct al_sfield *f = &t->fields[i];
        if (f->removed && w->c->gitlab_version >= f->removed)
            continue;
        if (strcmp(norm, f->name) == 0) {
            best = f->name;
            break;
        }
        size_t d = al_str_distance(key, f->name, limit);
        size_t dn = al_str_distance(norm, f->name, limit);
        if (dn < d)
            d = dn;
        if (d < bestd) {
            bestd = d;
            best = f->name;
        }
    }
    free(norm);
    return best;
}

static const char *hint_for(struct walk *w, const char *key)
{
    const struct al_schema *s = w->c->schema;
    char *p = path_without_indexes(path_str(w));
    struct al_buf full = AL_BUF_INIT;
    if (*p)
        al_buf_printf(&full, "%s.", p);
    al_buf_puts(&full, key);
    const char *found = NULL;
    for (size_t i = 0; i < s->n_hints && !found; i++)
        if (strcmp(s->hints[i].key, al_buf_cstr(&full)) == 0)
            found = s->hints[i].text;
    for (size_t i = 0; i < s->n_hints && !found; i++)
        if (strcmp(s->hints[i].key, key) == 0)
            found = s->hints[i].text;
    free(p);
    al_buf_free(&full);
    return found;
}

/* Where else in the schema `key` is a field: collect dotted paths. */
static void find_elsewhere(const struct al_stype *t, const char *key, struct al_buf *prefix,
                           int depth, const char **found, size_t *n, size_t max, char **owned)
{
    if (!t || t->kind != AL_ST_OBJECT || depth > 6)
        return;
    for (size_t i = 0; i < t->n_fields; i++) {
        const struct al_sfield *f = &t->fields[i];
        size_t mark = prefix->len;
        if (prefix->len)
            al_buf_putc(prefix, '.');
        al_buf_puts(prefix, f->name);
        if (strcmp(f->name, key) == 0 && *n < max) {
            owned[*n] = al_strdup(al_buf_cstr(prefix));
            found[*n] = owned[*n];
            (*n)++;
        }
        find_elsewhere(f->type, key, prefix, depth + 1, found, n, max, owned);
        prefix->len = mark;
        prefix->ptr[mark] = '\0';
    }
}

/* Report an unknown key; returns the field suggested for it, if any. */
static const struct al_sfield *report_unknown(struct walk *w, const struct al_stype *t,
                                              const struct al_ypair *p)
{
    struct al_buf msg = AL_BUF_INIT, tmp = AL_BUF_INIT;
    const struct al_sfield *f = al_schema_field(t, p->name);
    char ver[16];
    size_t mark = path_push(w, p->name);
    if (f && f->removed) {
        al_buf_printf(&msg, "\"%s\" was removed in GitLab %s", p->name,
                      al_version_str(f->removed, ver));
        if (f->doc)
            al_buf_printf(&msg, " (%s)", f->doc);
        al_buf_puts(&msg, ": the agent server rejects the whole file; delete it");
        emit(w, "unknown-key", p->key->pos, al_buf_cstr(&msg));
        path_pop(w, mark);
        al_buf_free(&msg);
        return NULL;
    }
    path_pop(w, mark);
    const char *sug = suggest(w, t, p->name);
    const char *hint = hint_for(w, p->name);
    al_buf_printf(&msg, "unknown key \"%s\" %s: the agent server rejects the whole file", p->name,
                  where(w, &tmp));
    if (sug) {
        al_buf_printf(&msg, "; did you mean \"%s\"?", sug);
    } else if (p->name[0] == '-' && p->name[1] && p->name[1] != '-' && p->name[1] != ' ') {
        /* "-glob: x" is a key named "-glob", not a list item. */
        al_buf_printf(&msg, "; a list item needs a space after the dash: write \"- %s:\"",
                      p->name + 1);
    } else if (hint) {
        al_buf_printf(&msg, "; %s", hint);
    } else {
        const char *found[4];
        char *owned[4];
        size_t n = 0;
        struct al_buf prefix = AL_BUF_INIT;
        al_buf_puts(&prefix, "");
        find_elsewhere(w->c->schema->root, p->name, &prefix, 0, found, &n, 4, owned);
        al_buf_free(&prefix);
        if (n == 1 || (n > 1 && !strchr(found[0], '.'))) {
            if (!strchr(found[0], '.'))
                al_buf_printf(&msg, "; \"%s\" is a top-level key (is it indented too far?)",
                              p->name);
            else
                al_buf_printf(&msg, "; \"%s\" is only valid under %.*s", p->name,
                              (int)(strrchr(found[0], '.') - found[0]), found[0]);
        } else if (t->n_fields) {
            al_buf_puts(&msg, "; expected one of ");
            for (size_t i = 0, k = 0; i < t->n_fields; i++) {
                if (t->fields[i].removed && w->c->gitlab_version >= t->fields[i].removed)
                    continue;
                al_buf_printf(&msg, "%s%s", k++ ? ", " : "", t->fields[i].name);
            }
        }
        for (size_t i = 0; i < n; i++)
            free(owned[i]);
    }
    mark = path_push(w, p->name);
    struct al_finding *fd = emit(w, "unknown-key", p->key->pos, al_buf_cstr(&msg));
    if (sug)
        al_finding_set_suggestion(fd, sug);
    path_pop(w, mark);
    al_buf_free(&msg);
    al_buf_free(&tmp);
    return sug ? al_schema_field(t, sug) : NULL;
}

/* ---- versions ---- */

static void check_versions(struct walk *w, const struct al_sfield *f, const struct al_ypair *p)
{
    int target = w->c->gitlab_version;
    char v1[16], v2[16], v3[16];
    struct al_buf msg = AL_BUF_INIT;
    if (f->since && target < f->since) {
        al_buf_printf(&msg,
                      "\"%s\" needs GitLab %s or later: the agent server of GitLab %s does not "
                      "know it and rejects the whole file",
                      f->name, al_version_str(f->since, v1), al_version_str(target, v2));
        emit(w, "version", p->key->pos, al_buf_cstr(&msg));
        al_buf_clear(&msg);
    }
    if (f->deprecated && target >= f->deprecated) {
        al_buf_printf(&msg, "\"%s\" is deprecated since GitLab %s", f->name,
                      al_version_str(f->deprecated, v1));
        if (f->removal_announced && target >= f->removal_announced)
            al_buf_printf(&msg,
                          " and its removal was announced for %s: on GitLab %s it has no "
                          "effect. The agent server's schema does not confirm that the key is "
                          "rejected, so the file is still accepted",
                          al_version_str(f->removal_announced, v2), al_version_str(target, v3));
        else if (f->removal_announced)
            al_buf_printf(&msg, "; its removal is announced for GitLab %s",
                          al_version_str(f->removal_announced, v2));
        if (f->doc)
            al_buf_printf(&msg, " (%s)", f->doc);
        emit(w, "deprecated", p->key->pos, al_buf_cstr(&msg));
    } else if (f->removal_announced && target >= f->removal_announced) {
        al_buf_printf(&msg, "\"%s\" was announced as removed in GitLab %s", f->name,
                      al_version_str(f->removal_announced, v1));
        if (f->doc)
            al_buf_printf(&msg, " (%s)", f->doc);
        al_buf_puts(&msg, "; delete it");
        emit(w, "deprecated", p->key->pos, al_buf_cstr(&msg));
    }
    if (f->unconfirmed) {
        al_buf_clear(&msg);
        al_buf_printf(&msg,
                      "%s; if the agent server does not accept \"%s\", it rejects the whole "
                      "file",
                      f->unconfirmed, f->name);
        struct al_finding *fd = emit(w, "unknown-key", p->key->pos, al_buf_cstr(&msg));
        al_finding_set_severity(fd, AL_SEV_WARNING);
    }
    al_buf_free(&msg);
}

/* ---- values ---- */

static void check_object(struct walk *w, const struct al_stype *t, const struct al_ynode *n,
                         const struct al_ynode *key);

/* How a message names the value being checked: "\"id\"", or for a list item
 * (no field of its own) "item 2 of \"environments\"", from the key path. */
static void name_value(struct al_buf *b, struct walk *w, const struct al_sfield *f)
{
    if (f) {
        al_buf_printf(b, "\"%s\"", f->name);
        return;
    }
    const char *p = path_str(w);
    const char *open = strrchr(p, '[');
    if (!open) {
        al_buf_puts(b, "this item");
        return;
    }
    const char *start = open;
    while (start > p && start[-1] != '.' && start[-1] != ']')
        start--;
    al_buf_printf(b, "item %lu of \"%.*s\"", strtoul(open + 1, NULL, 10) + 1, (int)(open - start),
                  start);
}

static void mismatch(struct walk *w, const struct al_sfield *f, const struct al_ynode *v,
                     const struct al_ynode *key, const char *expected, const char *advice,
                     const char *suggestion)
{
    struct al_buf msg = AL_BUF_INIT;
    name_value(&msg, w, f);
    al_buf_printf(&msg, " must be %s, not %s", expected,
                  v->kind == AL_YSEQ    ? "a list"
                  : v->kind == AL_YMAP  ? "a mapping"
                  : v->kind == AL_YNULL ? "empty"
                                        : "");
    if (v->kind != AL_YSEQ && v->kind != AL_YMAP && v->kind != AL_YNULL) {
        al_buf_printf(&msg, "the %s ", al_ykind_name(v->kind));
        show_scalar(&msg, v);
    }
    if (advice)
        al_buf_printf(&msg, ": %s", advice);
    struct al_finding *fd =
        emit(w, "type-mismatch", v->kind == AL_YNULL && key ? key->pos : v->pos, al_buf_cstr(&msg));
    if (suggestion)
        al_finding_set_suggestion(fd, suggestion);
    if (v->str && v->kind != AL_YSEQ && v->kind != AL_YMAP)
        al_finding_set_value(fd, v->str);
    al_buf_free(&msg);
}

static void check_string(struct walk *w, const struct al_sfield *f, const struct al_ynode *v,
                         const struct al_ynode *key, size_t min_len)
{
    if (v->kind == AL_YSTR) {
        if (v->len < min_len) {
            struct al_buf msg = AL_BUF_INIT;
            name_value(&msg, w, f);
            al_buf_puts(&msg, " is an empty string; the agent server requires a value and "
                              "rejects the whole file");
            emit(w, "required", v->pos, al_buf_cstr(&msg));
            al_buf_free(&msg);
            return;
        }
        if (f && f->n_enum) {
            for (size_t i = 0; i < f->n_enum; i++)
                if (strcmp(v->str, f->enum_values[i]) == 0)
                    return;
            struct al_buf exp = AL_BUF_INIT;
            al_buf_puts(&exp, "one of ");
            for (size_t i = 0, k = 0; i < f->n_enum; i++)
                if (*f->enum_values[i])
                    al_buf_printf(&exp, "%s%s", k++ ? ", " : "", f->enum_values[i]);
            mismatch(w, f, v, key, al_buf_cstr(&exp), NULL, NULL);
            al_buf_free(&exp);
        }
        return;
    }
    long long number;
    if (f && f->proto_enum && al_pbjson_int32(v, false, &number))
        return; /* proto3 enums are open: protojson takes any int32 number */
    if (v->kind == AL_YNULL)
        return; /* unset; required-ness is checked by the caller */
    if (v->kind == AL_YSEQ || v->kind == AL_YMAP) {
        mismatch(w, f, v, key, "a string", NULL, NULL);
        return;
    }
    char *q = quoted(v->str);
    const char *why = v->kind == AL_YBOOL
                          ? "YAML 1.1 reads yes/no/on/off/true/false as booleans; quote the value"
                          : "quote the value";
    mismatch(w, f, v, key, "a string", why, q);
    free(q);
}

static void check_scalar(struct walk *w, const struct al_sfield *f, const struct al_stype *t,
                         const struct al_ynode *v, const struct al_ynode *key, size_t min_len)
{
    switch (t->kind) {
    case AL_ST_STRING:
        check_string(w, f, v, key, min_len);
        break;
    case AL_ST_BOOL:
        if (v->kind == AL_YBOOL || v->kind == AL_YNULL)
            break;
        if (v->kind == AL_YSTR && (al_str_ieq(v->str, "true") || al_str_ieq(v->str, "false")))
            mismatch(w, f, v, key, "a boolean", "remove the quotes",
                     al_str_ieq(v->str, "true") ? "true" : "false");
        else
            mismatch(w, f, v, key, "a boolean (true or false)", NULL, NULL);
        break;
    case AL_ST_INT: {
        long long iv = 0;
        if (v->kind == AL_YNULL)
            break;
        /* int32 fields: protojson also reads a string holding a JSON number. */
        if (!al_pbjson_int32(v, true, &iv)) {
            mismatch(w, f, v, key, "an integer between -2147483648 and 2147483647", NULL, NULL);
            break;
        }
        if (f && ((f->has_min && iv < f->min) || (f->has_max && iv > f->max))) {
            struct al_buf msg = AL_BUF_INIT;
            al_buf_printf(&msg, "\"%s\" is %lld, outside the allowed range", f->name, iv);
            if (f->has_min)
                al_buf_printf(&msg, " (at least %lld", f->min);
            if (f->has_max)
                al_buf_printf(&msg, "%s%lld)", f->has_min ? ", at most " : " (at most ", f->max);
            else
                al_buf_putc(&msg, ')');
            emit(w, "type-mismatch", v->pos, al_buf_cstr(&msg));
            al_buf_free(&msg);
        }
        break;
    }
    case AL_ST_DURATION:
        if (v->kind == AL_YNULL)
            break;
        long long secs;
        int nanos;
        if (v->kind != AL_YSTR || v->len != strlen(v->str) ||
            !al_pbjson_duration(v->str, &secs, &nanos)) {
            mismatch(w, f, v, key,
                     "a duration in seconds with an s suffix, such as \"3600s\", of at most "
                     "315576000000s (10,000 years)",
                     NULL, NULL);
        } else if (f && f->positive && (secs < 0 || (secs == 0 && nanos <= 0))) {
            struct al_buf msg = AL_BUF_INIT;
            al_buf_printf(&msg, "\"%s\" must be greater than 0s", f->name);
            emit(w, "type-mismatch", v->pos, al_buf_cstr(&msg));
            al_buf_free(&msg);
        }
        break;
    case AL_ST_EMPTY:
        if (v->kind == AL_YNULL)
            break; /* the caller's one-of check reports a null member */
        if (v->kind != AL_YMAP) {
            mismatch(w, f, v, key, "an empty mapping {}", NULL, "{}");
        } else {
            for (size_t i = 0; i < v->n; i++) {
                struct al_buf msg = AL_BUF_INIT, tmp = AL_BUF_INIT;
                al_buf_printf(&msg,
                              "unknown key \"%s\" %s: \"%s\" takes no settings (write {}); "
                              "the agent server rejects the whole file",
                              v->pairs[i].name, where(w, &tmp), f ? f->name : "");
                size_t mark = path_push(w, v->pairs[i].name);
                emit(w, "unknown-key", v->pairs[i].key->pos, al_buf_cstr(&msg));
                path_pop(w, mark);
                al_buf_free(&msg);
                al_buf_free(&tmp);
            }
        }
        break;
    case AL_ST_ANY:
        break;
    case AL_ST_OBJECT:
        check_object(w, t, v, key);
        break;
    }
}

static void check_list(struct walk *w, const struct al_sfield *f, const struct al_ynode *v,
                       const struct al_ynode *key)
{
    if (v->kind == AL_YNULL)
        return;
    if (v->kind != AL_YSEQ) {
        char *sug = NULL;
        if (v->kind == AL_YSTR) {
            char *q = quoted(v->str);
            struct al_buf b = AL_BUF_INIT;
            al_buf_printf(&b, "[%s]", q);
            sug = al_buf_detach(&b);
            free(q);
        }
        mismatch(w, f, v, key, "a list", v->kind == AL_YSTR ? "write it as a one-item list" : NULL,
                 sug);
        free(sug);
        return;
    }
    if (f->min_items && v->n < f->min_items) {
        struct al_buf msg = AL_BUF_INIT;
        al_buf_printf(&msg,
                      "\"%s\" needs at least %zu item%s; the agent server rejects the whole "
                      "file",
                      f->name, f->min_items, f->min_items == 1 ? "" : "s");
        emit(w, "required", v->pos, al_buf_cstr(&msg));
        al_buf_free(&msg);
    }
    for (size_t i = 0; i < v->n; i++) {
        const struct al_ynode *it = v->items[i];
        size_t mark = path_push(w, f->name);
        path_push_index(w, i);
        if (it->kind == AL_YNULL) {
            struct al_buf msg = AL_BUF_INIT;
            al_buf_printf(&msg,
                          "item %zu of \"%s\" is empty; delete the '-' line or give it a "
                          "value (the agent server rejects the whole file)",
                          i + 1, f->name);
            emit(w, f->type->kind == AL_ST_STRING ? "required" : "type-mismatch", it->pos,
                 al_buf_cstr(&msg));
            al_buf_free(&msg);
        } else if (f->type->kind == AL_ST_OBJECT && it->kind != AL_YMAP) {
            mismatch(w, NULL, it, NULL, "a mapping (a list item with keys)", NULL, NULL);
        } else {
            check_scalar(w, NULL, f->type, it, NULL, f->item_min_len);
        }
        path_pop(w, mark);
    }
}

static void check_map(struct walk *w, const struct al_sfield *f, const struct al_ynode *v,
                      const struct al_ynode *key)
{
    if (v->kind == AL_YNULL)
        return;
    if (v->kind != AL_YMAP) {
        mismatch(w, f, v, key, "a mapping", NULL, NULL);
        return;
    }
    for (size_t i = 0; i < v->n; i++) {
        size_t mark = path_push(w, f->name);
        path_push(w, v->pairs[i].name);
        if (v->pairs[i].val->kind == AL_YNULL) {
            /* protojson skips a null field, but not a null map value */
            struct al_buf msg = AL_BUF_INIT;
            al_buf_printf(&msg,
                          "\"%s\" in \"%s\" has no value; the agent server rejects the whole "
                          "file: give it a value (\"\" for an empty one) or delete it",
                          v->pairs[i].name, f->name);
            emit(w, "type-mismatch", v->pairs[i].key->pos, al_buf_cstr(&msg));
            al_buf_free(&msg);
        } else {
            check_scalar(w, NULL, f->type, v->pairs[i].val, v->pairs[i].key, 0);
        }
        path_pop(w, mark);
    }
}

static void check_value(struct walk *w, const struct al_sfield *f, const struct al_ynode *key,
                        const struct al_ynode *v)
{
    switch (f->shape) {
    case AL_SF_LIST:
        check_list(w, f, v, key);
        break;
    case AL_SF_MAP:
        check_map(w, f, v, key);
        break;
    case AL_SF_ONE: {
        size_t mark = path_push(w, f->name);
        if (f->type->kind == AL_ST_OBJECT && v->kind != AL_YMAP && v->kind != AL_YNULL)
            mismatch(w, f, v, key, "a mapping", NULL, NULL);
        else
            check_scalar(w, f, f->type, v, key, f->min_len);
        path_pop(w, mark);
        break;
    }
    }
}

/* A key the agent server does not require (the file is accepted) but GitLab
 * needs before some version to use the block (user_access.access_as < 18.3). */
static void needed_before(struct walk *w, const struct al_sfield *f, struct al_ypos at)
{
    struct al_buf msg = AL_BUF_INIT, tmp = AL_BUF_INIT;
    char v1[16], v2[16];
    al_buf_printf(&msg,
                  "\"%s\" is missing %s: the agent server accepts the file, but GitLab %s "
                  "refuses to use this block without it (GitLab %s and later default it",
                  f->name, where(w, &tmp), al_version_str(w->c->gitlab_version, v1),
                  al_version_str(f->needed_before, v2));
    if (f->doc)
        al_buf_printf(&msg, ": %s", f->doc);
    al_buf_putc(&msg, ')');
    size_t mark = path_push(w, f->name);
    struct al_finding *fd = emit(w, f->rule ? f->rule : "required", at, al_buf_cstr(&msg));
    al_finding_set_severity(fd, AL_SEV_WARNING);
    path_pop(w, mark);
    al_buf_free(&msg);
    al_buf_free(&tmp);
}

/* A missing field is reported at the key that owns the mapping (the line a
 * reader looks at: "container_scanning:"), or at the mapping itself for list
 * items and the top level. */
static void check_required(struct walk *w, const struct al_stype *t, const struct al_ynode *n,
                           const struct al_ynode *key)
{
    struct al_ypos at = key ? key->pos : n->pos;
    for (size_t i = 0; i < t->n_fields; i++) {
        const struct al_sfield *f = &t->fields[i];
        const struct al_ynode *given = al_ymap_get(n, f->name);
        if (f->needed_before && w->c->gitlab_version < f->needed_before &&
            (!given || given->kind == AL_YNULL))
            needed_before(w, f, at);
        if (!f->required)
            continue;
        const struct al_ypair *p = al_ymap_pair(n, f->name);
        const char *rule = f->rule ? f->rule : "required";
        struct al_buf msg = AL_BUF_INIT, tmp = AL_BUF_INIT;
        size_t mark = path_push(w, f->name);
        if (!p) {
            if (f->type->kind == AL_ST_OBJECT && f->type->oneof == AL_ONEOF_REQUIRED) {
                al_buf_printf(&msg, "\"%s\" is missing %s: set exactly one of ", f->name,
                              where(w, &tmp));
                for (size_t k = 0; k < f->type->n_fields; k++)
                    al_buf_printf(&msg, "%s%s: {}", k ? ", " : "", f->type->fields[k].name);
            } else {
                path_pop(w, mark);
                al_buf_printf(&msg,
                              "\"%s\" is required %s and missing; the agent server "
                              "rejects the whole file",
                              f->name, where(w, &tmp));
                mark = path_push(w, f->name);
            }
            emit(w, rule, at, al_buf_cstr(&msg));
        } else if (p->val->kind == AL_YNULL) {
            al_buf_printf(&msg,
                          "\"%s\" has no value; the agent server requires one and rejects "
                          "the whole file",
                          f->name);
            emit(w, rule, p->key->pos, al_buf_cstr(&msg));
        }
        path_pop(w, mark);
        al_buf_free(&msg);
        al_buf_free(&tmp);
    }
}

/* protojson skips a null member before it looks at the oneof: "agent: ~"
 * beside "ci_job: {}" is only a no-op, and alone it leaves the oneof unset. */
static void null_member(struct walk *w, const struct al_sfield *f, const struct al_ypair *p,
                        const char *owner, const char *rule, bool other_set)
{
    struct al_buf msg = AL_BUF_INIT;
    if (other_set)
        al_buf_printf(&msg,
                      "\"%s:\" has no value; the agent server skips it and uses the member that "
                      "is set. Delete the line",
                      p->name);
    else if (f->type->kind == AL_ST_EMPTY)
        al_buf_printf(&msg,
                      "\"%s:\" has no value, so %s sets no identity and the agent "
                      "server rejects the whole file; write \"%s: {}\"",
                      p->name, owner, p->name);
    else
        al_buf_printf(&msg,
                      "\"%s:\" has no value, so %s sets nothing and the agent "
                      "server rejects the whole file",
                      p->name, owner);
    size_t mark = path_push(w, p->name);
    struct al_finding *fd = emit(w, rule, p->key->pos, al_buf_cstr(&msg));
    if (other_set) {
        al_finding_set_severity(fd, AL_SEV_WARNING);
    } else if (f->type->kind == AL_ST_EMPTY) {
        struct al_buf s = AL_BUF_INIT;
        al_buf_printf(&s, "%s: {}", p->name);
        al_finding_set_suggestion(fd, al_buf_cstr(&s));
        al_buf_free(&s);
    }
    path_pop(w, mark);
    al_buf_free(&msg);
}

static void check_oneof(struct walk *w, const struct al_stype *t, const struct al_ynode *n,
                        const struct al_ynode *key)
{
    const char *rule = t->oneof_rule ? t->oneof_rule : "required";
    const struct al_ypair *first = NULL;
    size_t set = 0, nulls = 0;
    struct al_buf msg = AL_BUF_INIT;
    const char *owner = key && key->kind == AL_YSTR ? key->str : "this mapping";
    for (size_t i = 0; i < n->n; i++) {
        const struct al_ypair *p = &n->pairs[i];
        const struct al_sfield *f = al_schema_field(t, p->name);
        if (f && p->val->kind != AL_YNULL)
            set++;
    }
    for (size_t i = 0, k = 0; i < n->n; i++) {
        const struct al_ypair *p = &n->pairs[i];
        const struct al_sfield *f = al_schema_field(t, p->name);
        if (!f)
            continue;
        if (p->val->kind == AL_YNULL) {
            nulls++;
            if (t->oneof == AL_ONEOF_REQUIRED || set)
                null_member(w, f, p, owner, rule, set > 0);
            continue;
        }
        if (k++ == 0) {
            first = p;
            continue;
        }
        al_buf_clear(&msg);
        al_buf_printf(&msg,
                      "%s sets both \"%s\" and \"%s\"; exactly one is allowed and the agent "
                      "server rejects the whole file — keep one",
                      owner, first->name, p->name);
        size_t mark = path_push(w, p->name);
        emit(w, rule, p->key->pos, al_buf_cstr(&msg));
        path_pop(w, mark);
    }
    if (set == 0 && nulls == 0 && t->oneof == AL_ONEOF_REQUIRED) {
        al_buf_clear(&msg);
        al_buf_printf(&msg,
                      "%s sets nothing; the agent server rejects the whole file. Write one "
                      "of ",
                      owner);
        for (size_t k = 0; k < t->n_fields; k++)
            if (!t->fields[k].unconfirmed)
                al_buf_printf(&msg, "%s%s: {}", k ? ", " : "", t->fields[k].name);
        al_buf_puts(&msg, ", or delete it");
        emit(w, rule, n->pos, al_buf_cstr(&msg));
    }
    al_buf_free(&msg);
}

/* A misspelled key's value is checked as the key it was meant to be: the
 * agent server stops at the first error, so fixing only the spelling would
 * reveal the next one (mainfest_projects: - paths: -glob: ...). Messages use
 * the key as written. */
static void check_misspelled(struct walk *w, const struct al_sfield *meant,
                             const struct al_ypair *p)
{
    struct al_sfield as_written = *meant;
    as_written.name = p->name;
    check_value(w, &as_written, p->key, p->val);
}

static void check_object(struct walk *w, const struct al_stype *t, const struct al_ynode *n,
                         const struct al_ynode *key)
{
    if (n->kind == AL_YNULL)
        return;
    for (size_t i = 0; i < n->n; i++) {
        const struct al_ypair *p = &n->pairs[i];
        const struct al_sfield *f = al_schema_field(t, p->name);
        if (!f || (f->removed && w->c->gitlab_version >= f->removed)) {
            const struct al_sfield *meant = report_unknown(w, t, p);
            if (meant)
                check_misspelled(w, meant, p);
            continue;
        }
        size_t mark = path_push(w, p->name);
        check_versions(w, f, p);
        path_pop(w, mark);
        check_value(w, f, p->key, p->val);
    }
    check_required(w, t, n, key);
    if (t->oneof != AL_ONEOF_NONE)
        check_oneof(w, t, n, key);
}

void al_schema_check(const struct al_schema_check *c, const struct al_ynode *root,
                     struct al_findings *out)
{
    struct walk w = {c, out, NULL, 0, 0, AL_BUF_INIT};
    if (!root || root->kind == AL_YNULL)
        return;
    if (root->kind != AL_YMAP) {
        struct al_buf msg = AL_BUF_INIT;
        al_buf_printf(&msg,
                      "config.yaml must be a mapping of keys (ci_access:, user_access:, ...), not "
                      "a %s; the agent server rejects the whole file",
                      root->kind == AL_YSEQ ? "list" : al_ykind_name(root->kind));
        emit(&w, "type-mismatch", root->pos, al_buf_cstr(&msg));
        al_buf_free(&msg);
        return;
    }
    check_object(&w, c->root ? c->root : c->schema->root, root, NULL);
    free(w.steps);
    al_buf_free(&w.spelled);
}
