/* --ids: read what the GitLab API returned (or a small hand-written map)
 * into one case-insensitive table of full path -> numeric id. */
#include "model/ids.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/str.h"
#include "model/yaml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_IDS_FILE = 256 * 1024 * 1024 };

struct slot {
    char *key; /* lower-cased path; NULL: empty slot */
    enum al_ids_kind kind;
    long long id;
};

struct al_ids {
    struct slot *slots;
    size_t cap, used;
    size_t count[4];
};

struct load {
    struct al_ids *ids;
    const char *origin;
};

struct al_ids *al_ids_new(void)
{
    struct al_ids *ids = al_calloc(1, sizeof(*ids));
    ids->cap = 64;
    ids->slots = al_calloc(ids->cap, sizeof(struct slot));
    return ids;
}

void al_ids_free(struct al_ids *ids)
{
    if (!ids)
        return;
    for (size_t i = 0; i < ids->cap; i++)
        free(ids->slots[i].key);
    free(ids->slots);
    free(ids);
}

static size_t probe(const struct al_ids *ids, enum al_ids_kind kind, const char *key)
{
    size_t i = (size_t)al_str_hash(key, strlen(key), (unsigned long long)kind + 1) & (ids->cap - 1);
    while (ids->slots[i].key && (ids->slots[i].kind != kind || strcmp(ids->slots[i].key, key) != 0))
        i = (i + 1) & (ids->cap - 1);
    return i;
}

static void grow(struct al_ids *ids)
{
    struct slot *old = ids->slots;
    size_t n = ids->cap;
    ids->cap *= 2;
    ids->slots = al_calloc(ids->cap, sizeof(struct slot));
    for (size_t i = 0; i < n; i++)
        if (old[i].key)
            ids->slots[probe(ids, old[i].kind, old[i].key)] = old[i];
    free(old);
}

static const char *kind_word(enum al_ids_kind k)
{
    static const char *const w[] = {"project", "group", "agent", "personal namespace"};
    return w[k];
}

/* Record one id; 0 stands for "known to exist, id not given". */
static int put(struct load *L, enum al_ids_kind kind, const char *path, long long id)
{
    struct al_ids *ids = L->ids;
    if ((ids->used + 1) * 2 > ids->cap)
        grow(ids);
    char *key = al_str_lower(path);
    struct slot *s = &ids->slots[probe(ids, kind, key)];
    if (s->key) {
        free(key);
        if (id && s->id && s->id != id)
            return al_error_set("%s: %s %s has id %lld, but id %lld was given for it before; "
                                "fetch the ids again from one GitLab instance",
                                L->origin, kind_word(kind), path, id, s->id);
        if (id)
            s->id = id;
        return 0;
    }
    s->key = key;
    s->kind = kind;
    s->id = id;
    ids->used++;
    ids->count[kind]++;
    return 0;
}

static const char *str_at(const struct al_ynode *map, const char *key)
{
    const struct al_ynode *n = al_ymap_get(map, key);
    return n && n->kind == AL_YSTR && n->len ? n->str : NULL;
}

/* An id: a positive integer, or a string of digits (hand-written maps). */
static long long id_of(const struct al_ynode *n)
{
    if (n && n->kind == AL_YINT && n->v.i > 0)
        return n->v.i;
    if (n && n->kind == AL_YSTR && n->len && n->len < 19 && strspn(n->str, "0123456789") == n->len)
        return atoll(n->str);
    return -1;
}

static int bad_item(struct load *L, const struct al_ynode *n, const char *what)
{
    return al_error_set("%s: line %u: %s; give the output of the GitLab API (GET /projects/:id, "
                        "/groups/:id/projects, /groups/:id/descendant_groups) or a map "
                        "{projects: {PATH: ID}, groups: {PATH: ID}}",
                        L->origin, n->pos.line, what);
}

static int api_object(struct load *L, const struct al_ynode *o);

static int api_list(struct load *L, const struct al_ynode *seq)
{
    for (size_t i = 0; seq && seq->kind == AL_YSEQ && i < seq->n; i++) {
        if (seq->items[i]->kind != AL_YMAP)
            return bad_item(L, seq->items[i], "a list item is not an object");
        if (api_object(L, seq->items[i]) < 0)
            return AL_ERR;
    }
    return 0;
}

/* A project's `namespace`: a group (whose id it gives) or a user. */
static int project_namespace(struct load *L, const struct al_ynode *ns)
{
    const char *path = str_at(ns, "full_path");
    const char *kind = str_at(ns, "kind");
    if (!path || !kind)
        return 0;
    long long id = id_of(al_ymap_get(ns, "id"));
    if (strcmp(kind, "user") == 0)
        return put(L, AL_IDS_USER_NAMESPACE, path, id > 0 ? id : 0);
    if (strcmp(kind, "group") == 0 && id > 0)
        return put(L, AL_IDS_GROUP, path, id);
    return 0;
}

static int project_object(struct load *L, const struct al_ynode *o, long long id)
{
    if (put(L, AL_IDS_PROJECT, str_at(o, "path_with_namespace"), id) < 0)
        return AL_ERR;
    return project_namespace(L, al_ymap_get(o, "namespace"));
}

/* GET /projects/:id/cluster_agents items: {id, name, config_project: {...}}. */
static int agent_object(struct load *L, const struct al_ynode *o, long long id)
{
    const struct al_ynode *cp = al_ymap_get(o, "config_project");
    const char *project = str_at(cp, "path_with_namespace");
    if (!project)
        return bad_item(L, o, "an agent without config_project.path_with_namespace");
    long long pid = id_of(al_ymap_get(cp, "id"));
    if (pid > 0 && project_object(L, cp, pid) < 0)
        return AL_ERR;
    struct al_buf key = AL_BUF_INIT;
    al_buf_printf(&key, "%s:%s", project, str_at(o, "name"));
    int rc = put(L, AL_IDS_AGENT, al_buf_cstr(&key), id);
    al_buf_free(&key);
    return rc;
}

static int api_object(struct load *L, const struct al_ynode *o)
{
    const char *msg = str_at(o, "message");
    if (msg && !al_ymap_get(o, "id"))
        return al_error_set("%s holds a GitLab API error (\"%s\"), not ids; check the request "
                            "and its token",
                            L->origin, msg);
    long long id = id_of(al_ymap_get(o, "id"));
    if (id < 0)
        return bad_item(L, o, "an object without a numeric \"id\"");
    if (str_at(o, "name") && al_ymap_get(o, "config_project"))
        return agent_object(L, o, id);
    if (str_at(o, "path_with_namespace"))
        return project_object(L, o, id);
    const char *full = str_at(o, "full_path");
    if (!full)
        return bad_item(L, o,
                        "an object with neither \"path_with_namespace\" (a project) nor "
                        "\"full_path\" (a group)");
    const char *kind = str_at(o, "kind"); /* GET /namespaces/:id */
    if (kind && strcmp(kind, "user") == 0)
        return put(L, AL_IDS_USER_NAMESPACE, full, id);
    if (put(L, AL_IDS_GROUP, full, id) < 0)
        return AL_ERR;
    /* GET /groups/:id lists the group's projects too. */
    if (api_list(L, al_ymap_get(o, "projects")) < 0)
        return AL_ERR;
    return api_list(L, al_ymap_get(o, "shared_projects"));
}

static int map_section(struct load *L, const struct al_ypair *p, enum al_ids_kind kind)
{
    const struct al_ynode *m = p->val;
    if (m->kind == AL_YNULL)
        return 0;
    if (m->kind != AL_YMAP)
        return bad_item(L, m, "this section is not a map of PATH: ID");
    for (size_t i = 0; i < m->n; i++) {
        const struct al_ypair *e = &m->pairs[i];
        long long id = id_of(e->val);
        if (id < 0 || !e->name || !*e->name)
            return bad_item(L, e->key, "a path whose id is not a positive number");
        if (put(L, kind, e->name, id) < 0)
            return AL_ERR;
    }
    return 0;
}

static bool is_map_form(const struct al_ynode *root)
{
    return !al_ymap_get(root, "id") && (al_ymap_get(root, "projects") ||
                                        al_ymap_get(root, "groups") || al_ymap_get(root, "agents"));
}

static int map_form(struct load *L, const struct al_ynode *root)
{
    for (size_t i = 0; i < root->n; i++) {
        const struct al_ypair *p = &root->pairs[i];
        int rc;
        if (strcmp(p->name, "projects") == 0)
            rc = map_section(L, p, AL_IDS_PROJECT);
        else if (strcmp(p->name, "groups") == 0)
            rc = map_section(L, p, AL_IDS_GROUP);
        else if (strcmp(p->name, "agents") == 0)
            rc = map_section(L, p, AL_IDS_AGENT);
        else
            rc = bad_item(L, p->key, "unknown key; the map form has projects, groups and agents");
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int load_root(struct load *L, const struct al_ydoc *doc)
{
    const struct al_ynode *root = doc->root;
    if (al_ydoc_has_syntax_error(doc))
        return al_error_set("%s is not valid JSON or YAML (line %u: %s)", L->origin,
                            doc->issues[0].pos.line, doc->issues[0].message);
    if (!root)
        return al_error_set("%s is empty; save the GitLab API's answer there, e.g. glab api "
                            "groups/GROUP/projects --paginate > %s",
                            L->origin, L->origin);
    if (root->kind == AL_YSEQ)
        return api_list(L, root);
    if (root->kind != AL_YMAP)
        return bad_item(L, root, "the file holds a single value");
    return is_map_form(root) ? map_form(L, root) : api_object(L, root);
}

/* Length of the JSON value starting at data[0] ('[' or '{'), or 0 when it
 * does not end. */
static size_t json_value_len(const char *data, size_t len)
{
    size_t depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if ((c == ']' || c == '}') && --depth == 0) {
            return i + 1;
        }
    }
    return 0;
}

static size_t skip_space(const char *data, size_t len, size_t i)
{
    while (i < len && data[i] && strchr(" \t\r\n", data[i]))
        i++;
    return i;
}

static int load_one(struct load *L, const char *data, size_t len)
{
    struct al_ydoc *doc = al_yaml_load(data, len);
    int rc = load_root(L, doc);
    al_ydoc_free(doc);
    return rc;
}

/* `glab api --paginate` writes one JSON array per page, back to back
 * ([...][...]): read every value. Anything else is one document. */
int al_ids_load(struct al_ids *ids, const char *data, size_t len, const char *origin)
{
    struct load L = {ids, origin};
    size_t i = skip_space(data, len, 0);
    if (i == len || (data[i] != '[' && data[i] != '{'))
        return load_one(&L, data, len);
    while (i < len) {
        size_t n = json_value_len(data + i, len - i);
        if (!n || skip_space(data, len, i + n) == len)
            return load_one(&L, data + i, len - i); /* the last (or a broken) value */
        if (load_one(&L, data + i, n) < 0)
            return AL_ERR;
        i = skip_space(data, len, i + n);
    }
    return 0;
}

static int read_all(FILE *f, const char *path, struct al_buf *out)
{
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        al_buf_put(out, chunk, n);
        if (out->len > MAX_IDS_FILE)
            return al_error_set("--ids %s is larger than 256 MiB; give only the groups and "
                                "projects the configs name",
                                path);
    }
    if (ferror(f))
        return al_error_set("cannot read --ids %s: %s", path, strerror(errno));
    return 0;
}

int al_ids_load_file(struct al_ids *ids, const char *path)
{
    bool std_in = strcmp(path, "-") == 0;
    FILE *f = std_in ? stdin : fopen(path, "rb");
    if (!f)
        return al_error_set("cannot read --ids %s: %s", path, strerror(errno));
    struct al_buf b = AL_BUF_INIT;
    int rc = read_all(f, path, &b);
    if (!std_in)
        fclose(f);
    if (rc == 0) {
        struct al_buf origin = AL_BUF_INIT;
        al_buf_printf(&origin, "--ids %s", std_in ? "(standard input)" : path);
        rc = al_ids_load(ids, al_buf_cstr(&b), b.len, al_buf_cstr(&origin));
        al_buf_free(&origin);
    }
    al_buf_free(&b);
    return rc;
}

static const struct slot *find(const struct al_ids *ids, enum al_ids_kind kind, const char *path)
{
    if (!ids || !path)
        return NULL;
    char *key = al_str_lower(path);
    const struct slot *s = &ids->slots[probe(ids, kind, key)];
    free(key);
    return s->key ? s : NULL;
}

long long al_ids_get(const struct al_ids *ids, enum al_ids_kind kind, const char *path)
{
    const struct slot *s = find(ids, kind, path);
    return s && s->id > 0 ? s->id : -1;
}

bool al_ids_known(const struct al_ids *ids, enum al_ids_kind kind, const char *path)
{
    return find(ids, kind, path) != NULL;
}

bool al_ids_personal(const struct al_ids *ids, const char *path)
{
    if (!ids || !path)
        return false;
    const char *slash = strchr(path, '/');
    char *root = al_strndup(path, slash ? (size_t)(slash - path) : strlen(path));
    bool yes = find(ids, AL_IDS_USER_NAMESPACE, root) != NULL;
    free(root);
    return yes;
}

size_t al_ids_count(const struct al_ids *ids, enum al_ids_kind kind)
{
    return ids ? ids->count[kind] : 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t al_ids_paths(const struct al_ids *ids, enum al_ids_kind kind, const char ***out)
{
    size_t n = 0;
    *out = NULL;
    if (!ids)
        return 0;
    *out = al_malloc((ids->count[kind] + 1) * sizeof(char *));
    for (size_t i = 0; i < ids->cap; i++)
        if (ids->slots[i].key && ids->slots[i].kind == kind && ids->slots[i].id > 0 &&
            n < ids->count[kind])
            (*out)[n++] = ids->slots[i].key;
    al_qsort(*out, n, sizeof(char *), cmp_str);
    return n;
}
