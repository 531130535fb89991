/* Running configs through the real check pipeline from a unit test: a
 * source built in memory (plain files, or a repository-like tree with its
 * directories), the built-in schema, al_check_run, and lookups on the
 * findings. */
#ifndef AL_CHECKUTIL_H
#define AL_CHECKUTIL_H

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "checks/check.h"

struct run {
    struct al_schema *schema;
    struct al_source *src;
    struct al_check_ctx ctx;
    struct al_report report;
};

/* Context defaults: the newest GitLab the schema knows, anchored matching,
 * no configuration project. Tests change run->ctx before run_check(). */
static inline void run_init(struct run *r, enum al_source_kind kind)
{
    memset(r, 0, sizeof(*r));
    assert_int_equal(al_schema_load_builtin(&r->schema), 0);
    r->src = al_calloc(1, sizeof(*r->src));
    r->src->kind = kind;
    r->ctx.schema = r->schema;
    r->ctx.gitlab_version = r->schema->latest;
    r->ctx.env_matching = AL_ENV_ANCHORED;
}

static inline void run_add(struct run *r, const char *path, enum al_file_kind kind,
                           const char *data)
{
    struct al_source *s = r->src;
    s->files = al_grow(s->files, &s->cap_files, s->n_files + 1, sizeof(*s->files));
    struct al_file *f = &s->files[s->n_files++];
    memset(f, 0, sizeof(*f));
    f->path = al_strdup(path);
    f->kind = kind;
    if (data) {
        f->len = f->size = strlen(data);
        f->data = al_strdup(data);
        al_file_index_lines(f);
    }
}

static inline int by_path(const void *a, const void *b)
{
    return strcmp(((const struct al_file *)a)->path, ((const struct al_file *)b)->path);
}

/* A regular file; in a repository-like source, also the directories
 * .gitlab, .gitlab/agents and .gitlab/agents/NAME discovery looks for. */
static inline void run_file(struct run *r, const char *path, const char *data)
{
    if (r->src->kind != AL_SRC_FILES) {
        static const char agents[] = ".gitlab/agents/";
        const char *name =
            strncmp(path, agents, sizeof agents - 1) == 0 ? path + sizeof agents - 1 : NULL;
        const char *slash = name ? strchr(name, '/') : NULL;
        if (slash) {
            char dir[256];
            snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
            bool seen = false;
            for (size_t i = 0; i < r->src->n_files; i++)
                seen = seen || strcmp(r->src->files[i].path, dir) == 0;
            if (!seen)
                run_add(r, dir, AL_FILE_DIR, NULL);
        }
    }
    run_add(r, path, AL_FILE_REGULAR, data);
}

static inline void run_check(struct run *r)
{
    if (r->src->n_files > 1)
        qsort(r->src->files, r->src->n_files, sizeof(*r->src->files), by_path);
    al_check_run(&r->ctx, r->src, &r->report);
}

static inline void run_free(struct run *r)
{
    al_report_free(&r->report);
    al_source_free(r->src);
    al_schema_free(r->schema);
}

/* The common case: one config.yaml of agent "prod", given as a plain file. */
static inline void run_yaml(struct run *r, const char *yaml)
{
    run_init(r, AL_SRC_FILES);
    run_file(r, ".gitlab/agents/prod/config.yaml", yaml);
}

static inline size_t count_rule(const struct run *r, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < r->report.findings.n; i++)
        n += strcmp(r->report.findings.items[i].rule, rule) == 0;
    return n;
}

static inline size_t count_rule_sev(const struct run *r, const char *rule, enum al_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < r->report.findings.n; i++)
        n += strcmp(r->report.findings.items[i].rule, rule) == 0 &&
             r->report.findings.items[i].severity == sev;
    return n;
}

/* The finding of `rule` on `line` (0: any line); fails the test when absent. */
static inline const struct al_finding *find_rule(const struct run *r, const char *rule,
                                                 unsigned line)
{
    for (size_t i = 0; i < r->report.findings.n; i++) {
        const struct al_finding *f = &r->report.findings.items[i];
        if (strcmp(f->rule, rule) == 0 && (!line || f->line == line))
            return f;
    }
    fprintf(stderr, "no %s finding on line %u; findings:\n", rule, line);
    for (size_t i = 0; i < r->report.findings.n; i++) {
        const struct al_finding *f = &r->report.findings.items[i];
        fprintf(stderr, "  %u:%u %s %s\n", f->line, f->col, f->rule, f->message);
    }
    fail();
    return NULL;
}

static inline bool contains(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

#endif
