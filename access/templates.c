/* al_tmpls_load: an agent's environment templates as data (templates.h).
 * Each file is parsed once with the project's YAML loader; strings are
 * copied into the list's arena, so nothing borrows from the source. */
#include "access/templates.h"
#include "common/alloc.h"
#include "model/yaml.h"

#include <stdlib.h>
#include <string.h>

static const char DIR_PREFIX[] = ".gitlab/agents/";
static const char TEMPLATES[] = "/environment_templates/";

char *al_tmpl_agent_of(const char *path)
{
    if (!path || strncmp(path, DIR_PREFIX, sizeof DIR_PREFIX - 1) != 0)
        return NULL;
    const char *name = path + sizeof DIR_PREFIX - 1, *slash = strchr(name, '/');
    if (!slash || slash == name || strncmp(slash, TEMPLATES, sizeof TEMPLATES - 1) != 0)
        return NULL;
    const char *file = slash + sizeof TEMPLATES - 1;
    size_t n = strlen(file);
    if (n <= 5 || strchr(file, '/') || strcmp(file + n - 5, ".yaml") != 0)
        return NULL;
    return al_strndup(name, (size_t)(slash - name));
}

/* A string value as written, copied; NULL when absent or not a string. */
static const char *str_of(struct al_arena *a, const struct al_ynode *n)
{
    return al_ynode_is_str(n) ? al_arena_strndup(a, n->str, n->len) : NULL;
}

static void read_subjects(struct al_arena *a, struct al_tmpl_object *o,
                          const struct al_ynode *subjects)
{
    if (!subjects || subjects->kind != AL_YSEQ || !subjects->n)
        return;
    o->subjects = al_arena_alloc(a, subjects->n * sizeof(*o->subjects));
    for (size_t i = 0; i < subjects->n; i++) {
        const struct al_ynode *s = subjects->items[i];
        if (s->kind != AL_YMAP)
            continue;
        struct al_tmpl_subject *t = &o->subjects[o->n_subjects++];
        t->kind = str_of(a, al_ymap_get(s, "kind"));
        t->name = str_of(a, al_ymap_get(s, "name"));
        t->namespace = str_of(a, al_ymap_get(s, "namespace"));
    }
}

static void read_object(struct al_arena *a, struct al_tmpl_object *o, const struct al_ynode *n)
{
    const struct al_ynode *meta = al_ymap_get(n, "metadata");
    o->api_version = str_of(a, al_ymap_get(n, "apiVersion"));
    o->kind = str_of(a, al_ymap_get(n, "kind"));
    o->name = str_of(a, al_ymap_get(meta, "name"));
    o->namespace = str_of(a, al_ymap_get(meta, "namespace"));
    o->line = n->pos.line;
    if (!o->kind || (strcmp(o->kind, "RoleBinding") && strcmp(o->kind, "ClusterRoleBinding")))
        return;
    const struct al_ynode *ref = al_ymap_get(n, "roleRef");
    o->binding = true;
    o->role_kind = str_of(a, al_ymap_get(ref, "kind"));
    o->role_name = str_of(a, al_ymap_get(ref, "name"));
    read_subjects(a, o, al_ymap_get(n, "subjects"));
}

static void read_template(struct al_arena *a, struct al_tmpl *t, const struct al_file *f)
{
    struct al_ydoc *doc = al_yaml_load(f->data, f->len);
    const struct al_ynode *root = doc->root;
    t->readable = !al_ydoc_has_syntax_error(doc) && (!root || root->kind == AL_YMAP);
    if (t->readable && root) {
        t->apply_resources = str_of(a, al_ymap_get(root, "apply_resources"));
        t->delete_resources = str_of(a, al_ymap_get(root, "delete_resources"));
        const struct al_ynode *objs = al_ymap_get(root, "objects");
        if (objs && objs->kind == AL_YSEQ && objs->n) {
            t->objects = al_arena_alloc(a, objs->n * sizeof(*t->objects));
            for (size_t i = 0; i < objs->n; i++)
                if (objs->items[i]->kind == AL_YMAP)
                    read_object(a, &t->objects[t->n_objects++], objs->items[i]);
        }
    }
    al_ydoc_free(doc);
}

/* The files that can be `agent`'s templates: in a repository's sorted file
 * list, those under its directory (bisected, so that asking for every agent
 * costs n log n, not n^2); all of them otherwise (a few plain files). */
static void candidates(const struct al_source *src, const char *agent, size_t *lo, size_t *hi)
{
    *lo = 0;
    *hi = src->n_files;
    if (!src->sorted)
        return;
    char *prefix = al_strdup(DIR_PREFIX);
    size_t plen = strlen(prefix) + strlen(agent) + sizeof TEMPLATES;
    prefix = al_realloc(prefix, plen);
    strcat(strcat(prefix, agent), TEMPLATES);
    plen = strlen(prefix);
    size_t a = 0, b = src->n_files;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (strcmp(src->files[mid].path, prefix) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    while (a < src->n_files && strncmp(src->files[a].path, prefix, plen) == 0)
        a++;
    *hi = a;
    free(prefix);
}

int al_tmpls_load(struct al_tmpls *out, const struct al_source *src, const char *agent)
{
    memset(out, 0, sizeof(*out));
    if (!src || !agent)
        return 0;
    size_t lo, hi, n = 0;
    candidates(src, agent, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        char *owner =
            src->files[i].kind == AL_FILE_REGULAR ? al_tmpl_agent_of(src->files[i].path) : NULL;
        n += owner && strcmp(owner, agent) == 0;
        free(owner);
    }
    if (!n)
        return 0;
    out->items = al_arena_alloc(&out->arena, n * sizeof(*out->items));
    for (size_t i = lo; i < hi; i++) {
        const struct al_file *f = &src->files[i];
        char *owner = f->kind == AL_FILE_REGULAR ? al_tmpl_agent_of(f->path) : NULL;
        if (owner && strcmp(owner, agent) == 0) {
            struct al_tmpl *t = &out->items[out->n++];
            t->path = al_arena_strdup(&out->arena, f->path);
            const char *base = strrchr(f->path, '/') + 1;
            t->name = al_arena_strndup(&out->arena, base, strlen(base) - 5);
            read_template(&out->arena, t, f);
        }
        free(owner);
    }
    return 0;
}

void al_tmpls_free(struct al_tmpls *t)
{
    al_arena_free(&t->arena);
    memset(t, 0, sizeof(*t));
}

size_t al_tmpls_bindings(const struct al_tmpls *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        for (size_t k = 0; k < t->items[i].n_objects; k++)
            n += t->items[i].objects[k].binding;
    return n;
}
