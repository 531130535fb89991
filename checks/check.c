#include "checks/check.h"
#include "checks/schema_check.h"
#include "checks/rules.h"
#include "checks/suppress.h"
#include "access/model.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char AGENTS[] = ".gitlab/agents/";
static const struct al_ypos WHOLE_FILE = {0, 0};

const struct al_agent *al_report_agent(const struct al_report *r, const char *name)
{
    for (size_t i = 0; i < r->n_agents; i++)
        if (r->agents[i].name && strcmp(r->agents[i].name, name) == 0)
            return &r->agents[i];
    return NULL;
}

static struct al_agent *add_agent(struct al_report *r, const char *name, const char *path)
{
    r->agents = al_grow(r->agents, &r->cap_agents, r->n_agents + 1, sizeof(*r->agents));
    struct al_agent *a = &r->agents[r->n_agents++];
    memset(a, 0, sizeof(*a));
    a->name = al_strdup(name);
    a->path = al_strdup(path);
    return a;
}

static struct al_finding *agent_finding(struct al_findings *out, const struct al_agent *a,
                                        const char *rule, struct al_ypos pos, const char *msg)
{
    struct al_finding *f = al_findings_add(out, rule, a->path, pos, "%s", msg);
    if (a->name)
        al_finding_set_agent(f, a->name);
    return f;
}

/* ---- parsing and the schema ---- */

static bool is_duo_agent_file(const struct al_ynode *root)
{
    const struct al_ynode *agent = al_ymap_get(root, "agent");
    if (!agent || agent->kind != AL_YMAP || !al_ymap_get(agent, "name"))
        return false;
    static const char *const known[] = {
        "ci_access",          "user_access",        "gitops", "observability",
        "container_scanning", "remote_development", "flux",   NULL};
    for (size_t i = 0; i < root->n; i++)
        if (al_str_in(root->pairs[i].name, known))
            return false;
    return al_ymap_get(agent, "tools") || al_ymap_get(agent, "triggers") ||
           al_ymap_get(agent, "prompt") || al_ymap_get(agent, "variables") ||
           al_ymap_get(agent, "description");
}

static void report_yaml_issues(struct al_findings *out, const struct al_agent *a)
{
    for (size_t i = 0; i < a->doc->n_issues; i++) {
        const struct al_yissue *is = &a->doc->issues[i];
        const char *rule = is->kind == AL_YI_SYNTAX          ? "yaml-syntax"
                           : is->kind == AL_YI_DUPLICATE_KEY ? "duplicate-key"
                                                             : "extra-document";
        struct al_finding *f = agent_finding(out, a, rule, is->pos, is->message);
        if (is->key)
            al_finding_set_value(f, is->key);
    }
}

/* The rules about what GitLab drops or overrides only word the access
 * model's verdicts: build this agent's once, for all of them. */
static void run_agent_rules(const struct al_check_ctx *ctx, struct al_agent *a,
                            struct al_findings *out)
{
    struct al_access_opts o = {0};
    o.config_project = ctx->project_path;
    o.gitlab_version = ctx->gitlab_version;
    o.instance_authorization = ctx->instance_authorization;
    struct al_access verdicts;
    a->verdicts = al_access_one(&verdicts, &o, a);
    for (size_t i = 0; i < al_rules_count; i++)
        if (al_rules[i].check)
            al_rules[i].check(ctx, a, out);
    a->verdicts = NULL;
    al_access_free(&verdicts);
}

static void check_config(const struct al_check_ctx *ctx, struct al_agent *a,
                         struct al_findings *out)
{
    const struct al_file *file = a->file;
    if (file->size > AL_MAX_CONFIG_SIZE) {
        struct al_buf m = AL_BUF_INIT;
        al_buf_printf(&m,
                      "config.yaml is %zu bytes, over GitLab's limit of %d bytes (128 KiB): the "
                      "agent server refuses it and keeps the previous configuration",
                      file->size, AL_MAX_CONFIG_SIZE);
        if (file->size > AL_MAX_PARSE_SIZE)
            al_buf_printf(&m,
                          "; agentlint checks files up to %d bytes, so this one is not "
                          "checked further",
                          AL_MAX_PARSE_SIZE);
        agent_finding(out, a, "file-size", WHOLE_FILE, al_buf_cstr(&m));
        al_buf_free(&m);
        if (file->size > AL_MAX_PARSE_SIZE || file->truncated)
            return;
    }
    a->doc = al_yaml_load(file->data, file->len);
    report_yaml_issues(out, a);
    const struct al_ynode *root = a->doc->root;
    if (root && root->kind == AL_YMAP && is_duo_agent_file(root)) {
        a->foreign = true;
        /* Marked rejected: a Kubernetes agent of this name would get the
         * agent server's verdict (unknown field "agent"), and the verdict
         * must not read "accepted" for a file the server refuses. */
        a->rejected = true;
        agent_finding(out, a, "foreign-file", root->pos,
                      "this file looks like a GitLab Duo Agent Platform registration, not a "
                      "Kubernetes agent configuration, so agentlint does not check it; if a "
                      "Kubernetes agent with this name is registered, its agent server rejects "
                      "the file (unknown field \"agent\") and keeps the previous configuration, "
                      "so agentlint reports the agent as rejected");
        return;
    }
    struct al_schema_check sc = {ctx->schema, ctx->gitlab_version, a->path, a->name, NULL};
    al_schema_check(&sc, root, out);
    al_config_build(&a->config, root);
    run_agent_rules(ctx, a, out);
}

/* The end of the per-agent phase: what the run needs later is in the typed
 * config and the agent's flags, so the document goes (al_check_run). */
static void release_document(struct al_agent *a)
{
    a->empty = !a->doc || !a->doc->root;
    al_config_detach(&a->config);
    al_ydoc_free(a->doc);
    a->doc = NULL;
}

/* ---- discovery: which agents exist, which files GitLab never reads ---- */

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* config.yml, Config.yaml, config.yaml.bak, config.txt, config ... */
static bool looks_like_config(const char *base)
{
    return al_str_ieq(base, "config") || strncasecmp(base, "config.", 7) == 0;
}

static bool looks_like_yaml(const char *base)
{
    return al_str_endswith(base, ".yaml") || al_str_endswith(base, ".yml") ||
           al_str_endswith(base, ".YAML") || al_str_endswith(base, ".YML") ||
           looks_like_config(base);
}

static const char *kind_words(enum al_file_kind k)
{
    switch (k) {
    case AL_FILE_SYMLINK:
        return "a symbolic link";
    case AL_FILE_SUBMODULE:
        return "a submodule";
    case AL_FILE_DIR:
        return "a directory";
    case AL_FILE_CONFLICT:
        return "an unresolved merge conflict in the index";
    default:
        return "not a regular file";
    }
}

static void file_finding(struct al_findings *out, const char *path, const char *agent,
                         enum al_severity sev, const char *msg)
{
    struct al_finding *f = al_findings_add(out, "file-name", path, WHOLE_FILE, "%s", msg);
    al_finding_set_severity(f, sev);
    if (agent)
        al_finding_set_agent(f, agent);
}

static bool dir_has_config(const struct al_source *src, const char *dir)
{
    struct al_buf p = AL_BUF_INIT;
    al_buf_printf(&p, "%s/config.yaml", dir);
    const struct al_file *f = al_source_find(src, al_buf_cstr(&p));
    al_buf_free(&p);
    return f != NULL;
}

/* A path inside an agent directory other than its config.yaml. */
static void check_agent_dir_entry(const struct al_source *src, const struct al_file *f,
                                  const char *agent, const char *rest, struct al_findings *out)
{
    struct al_buf m = AL_BUF_INIT;
    const char *base = basename_of(rest);
    char *dir = al_strndup(f->path, strlen(AGENTS) + strlen(agent));
    bool has_config = dir_has_config(src, dir);
    if (strchr(rest, '/')) {
        if (f->kind == AL_FILE_REGULAR &&
            (al_str_eq(base, "config.yaml") || al_str_eq(base, "config.yml"))) {
            al_buf_printf(&m,
                          "GitLab reads only %s/config.yaml; a config file in a "
                          "subdirectory of the agent directory is never read",
                          dir);
            file_finding(out, f->path, agent, AL_SEV_ERROR, al_buf_cstr(&m));
        }
    } else if (f->kind == AL_FILE_REGULAR && looks_like_config(base)) {
        if (has_config) {
            al_buf_printf(&m, "%s is never read: GitLab reads only config.yaml next to it", base);
            file_finding(out, f->path, agent, AL_SEV_NOTE, al_buf_cstr(&m));
        } else {
            al_buf_printf(&m,
                          "GitLab reads only a file named exactly config.yaml; %s is never read, "
                          "so agent %s runs with an empty configuration and loses all CI/CD "
                          "access: rename it to config.yaml",
                          base, agent);
            file_finding(out, f->path, agent, AL_SEV_ERROR, al_buf_cstr(&m));
        }
    }
    free(dir);
    al_buf_free(&m);
}

static void check_non_regular_config(struct al_agent *a, const struct al_file *f,
                                     struct al_findings *out)
{
    struct al_buf m = AL_BUF_INIT;
    if (f->kind == AL_FILE_SYMLINK)
        al_buf_printf(&m, "config.yaml is a symbolic link; GitLab does not follow links: it reads "
                          "the link's own text as the configuration and rejects it, keeping the "
                          "previous configuration. Commit the file itself");
    else
        al_buf_printf(&m,
                      "config.yaml is %s; the agent server cannot fetch it and keeps the "
                      "previous configuration",
                      kind_words(f->kind));
    agent_finding(out, a, "file-name", WHOLE_FILE, al_buf_cstr(&m));
    a->rejected = true;
    al_buf_free(&m);
}

static void check_agent_name(const struct al_agent *a, struct al_findings *out)
{
    if (al_agent_name_valid(a->name))
        return;
    struct al_buf m = AL_BUF_INIT;
    if (strlen(a->name) > 63)
        al_buf_printf(&m, "agent name \"%.40s...\" has %zu characters; GitLab allows at most 63",
                      a->name, strlen(a->name));
    else
        al_buf_printf(&m,
                      "agent name \"%s\" is not valid: GitLab agent names contain only lowercase "
                      "letters, digits and '-', and do not start or end with '-', so no agent "
                      "can be registered under it and this configuration is never read",
                      a->name);
    struct al_finding *f = agent_finding(out, a, "agent-name", WHOLE_FILE, al_buf_cstr(&m));
    al_finding_set_value(f, a->name);
    al_buf_free(&m);
}

/* A YAML file under .gitlab/agent/, gitlab/agents/, .GitLab/Agents/...:
 * where a user meant an agent config, and GitLab reads nothing. */
static void check_lookalike(const struct al_file *f, struct al_findings *out)
{
    const char *p = f->path;
    if (f->kind != AL_FILE_REGULAR || !looks_like_yaml(basename_of(p)))
        return;
    const char *second = strchr(p, '/') + 1;
    const char *third = strchr(second, '/');
    const char *name = third ? third + 1 : NULL;
    const char *after = name ? strchr(name, '/') : NULL;
    struct al_buf m = AL_BUF_INIT;
    al_buf_printf(&m,
                  "GitLab reads agent configurations only from .gitlab/agents/<agent-name>/"
                  "config.yaml (a dot, lower case, agents in the plural); %s is never read",
                  p);
    if (after && !strchr(after + 1, '/'))
        al_buf_printf(&m, ": move it to .gitlab/agents/%.*s/config.yaml", (int)(after - name),
                      name);
    else
        al_buf_puts(&m, ": move it to .gitlab/agents/<agent-name>/config.yaml");
    file_finding(out, p, NULL, AL_SEV_ERROR, al_buf_cstr(&m));
    al_buf_free(&m);
}

static void discover(const struct al_check_ctx *ctx, const struct al_source *src,
                     struct al_report *r)
{
    struct al_findings *out = &r->findings;
    for (size_t i = 0; i < src->n_files; i++) {
        const struct al_file *f = &src->files[i];
        const char *p = f->path;
        if (strcmp(p, ".gitlab") == 0) {
            /* Repository sources record .gitlab only when it is a link or a
             * submodule; sources built in memory may hold its directory. */
            if (f->kind == AL_FILE_DIR)
                continue;
            struct al_buf m = AL_BUF_INIT;
            al_buf_printf(&m,
                          ".gitlab is %s; GitLab reads agent configurations from the "
                          "repository's own tree and does not follow it, so it finds none here "
                          "and every agent of this project runs with an empty configuration",
                          kind_words(f->kind));
            file_finding(out, p, NULL, AL_SEV_ERROR, al_buf_cstr(&m));
            al_buf_free(&m);
            continue;
        }
        if (strcmp(p, ".gitlab/agents") == 0) {
            if (f->kind != AL_FILE_DIR) {
                struct al_buf m = AL_BUF_INIT;
                al_buf_printf(&m,
                              ".gitlab/agents is %s; GitLab reads agent configurations from "
                              "the repository itself and does not follow it",
                              kind_words(f->kind));
                file_finding(out, p, NULL, AL_SEV_ERROR, al_buf_cstr(&m));
                al_buf_free(&m);
            }
            continue;
        }
        if (al_source_lookalike(p)) {
            check_lookalike(f, out);
            continue;
        }
        if (strncmp(p, AGENTS, sizeof AGENTS - 1) != 0) {
            /* A .gitlab/agents directory below the repository root. */
            const char *base = basename_of(p);
            if (f->kind == AL_FILE_REGULAR &&
                (al_str_eq(base, "config.yaml") || al_str_eq(base, "config.yml")) &&
                strstr(p, "/.gitlab/agents/"))
                file_finding(out, p, NULL, AL_SEV_ERROR,
                             "GitLab reads agent configurations only from .gitlab/agents/ at the "
                             "root of the repository; this file is never read");
            continue;
        }
        const char *rest = p + sizeof AGENTS - 1;
        const char *slash = strchr(rest, '/');
        if (!slash) {
            /* Directly under .gitlab/agents/. */
            if (f->kind == AL_FILE_DIR) {
                struct al_buf cp = AL_BUF_INIT;
                al_buf_printf(&cp, "%s/config.yaml", p);
                add_agent(r, rest, al_buf_cstr(&cp));
                al_buf_free(&cp);
            } else if (f->kind == AL_FILE_SYMLINK || f->kind == AL_FILE_SUBMODULE) {
                struct al_buf m = AL_BUF_INIT;
                al_buf_printf(&m,
                              "agent directory %s is %s; GitLab does not follow it, so agent %s "
                              "runs with an empty configuration",
                              rest, kind_words(f->kind), rest);
                file_finding(out, p, rest, AL_SEV_ERROR, al_buf_cstr(&m));
                al_buf_free(&m);
            } else if (f->kind == AL_FILE_REGULAR && looks_like_yaml(rest)) {
                file_finding(out, p, NULL, AL_SEV_ERROR,
                             "GitLab reads only .gitlab/agents/<agent-name>/config.yaml; a file "
                             "directly under .gitlab/agents/ is never read. Move it to "
                             ".gitlab/agents/<agent-name>/config.yaml");
            }
            continue;
        }
        char *agent = al_strndup(rest, (size_t)(slash - rest));
        if (strcmp(slash, "/config.yaml") != 0)
            check_agent_dir_entry(src, f, agent, slash + 1, out);
        free(agent);
    }
    (void)ctx;
}

static void check_agents(const struct al_check_ctx *ctx, const struct al_source *src,
                         struct al_report *r)
{
    for (size_t i = 0; i < r->n_agents; i++) {
        struct al_agent *a = &r->agents[i];
        check_agent_name(a, &r->findings);
        const struct al_file *f = al_source_find(src, a->path);
        if (!f) {
            bool other = false;
            for (size_t k = 0; k < r->findings.n && !other; k++)
                other = r->findings.items[k].agent &&
                        strcmp(r->findings.items[k].agent, a->name) == 0 &&
                        strcmp(r->findings.items[k].rule, "file-name") == 0;
            if (!other) {
                struct al_buf m = AL_BUF_INIT;
                al_buf_printf(&m,
                              "agent directory %s has no config.yaml: if an agent named %s "
                              "is registered, it runs with an empty configuration (no CI/CD "
                              "or user access)",
                              a->name, a->name);
                struct al_finding *fd =
                    agent_finding(&r->findings, a, "file-name", WHOLE_FILE, al_buf_cstr(&m));
                al_finding_set_severity(fd, AL_SEV_NOTE);
                al_buf_free(&m);
            }
            al_config_build(&a->config, NULL);
            continue;
        }
        if (f->kind != AL_FILE_REGULAR) {
            check_non_regular_config(a, f, &r->findings);
            al_config_build(&a->config, NULL);
            continue;
        }
        a->file = f;
        check_config(ctx, a, &r->findings);
        release_document(a);
    }
}

static void check_files(const struct al_check_ctx *ctx, const struct al_source *src,
                        struct al_report *r)
{
    for (size_t i = 0; i < src->n_files; i++) {
        const struct al_file *f = &src->files[i];
        /* The agent name comes from a .gitlab/agents/<name>/config.yaml path. */
        const char *at = strstr(f->path, AGENTS);
        char *name = NULL;
        if (at && (at == f->path || at[-1] == '/')) {
            const char *rest = at + sizeof AGENTS - 1;
            const char *slash = strchr(rest, '/');
            if (slash && !strchr(slash + 1, '/'))
                name = al_strndup(rest, (size_t)(slash - rest));
        }
        struct al_agent *a = add_agent(r, name ? name : ctx->agent_name, f->path);
        a->file = f;
        if (name) {
            check_agent_name(a, &r->findings);
            if (strcmp(basename_of(f->path), "config.yaml") != 0)
                file_finding(&r->findings, f->path, name, AL_SEV_ERROR,
                             "GitLab reads only a file named exactly config.yaml; this file is "
                             "never read: rename it to config.yaml");
        }
        free(name);
        check_config(ctx, a, &r->findings);
        release_document(a);
    }
}

static void mark_rejected(struct al_report *r)
{
    for (size_t i = 0; i < r->findings.n; i++) {
        const struct al_finding *f = &r->findings.items[i];
        const struct al_rule *rule = al_rule_find(f->rule);
        if (!rule || !rule->rejects || f->severity != AL_SEV_ERROR)
            continue;
        for (size_t k = 0; k < r->n_agents; k++)
            if (strcmp(r->agents[k].path, f->path) == 0)
                r->agents[k].rejected = true;
    }
}

/* Rules that look at the run as a whole: files next to the agent configs
 * (secret), or a note that must appear once, not per agent (namespace). */
static void run_level_rules(const struct al_check_ctx *ctx, const struct al_source *src,
                            struct al_report *r)
{
    for (size_t i = 0; i < al_run_rules_count; i++)
        al_run_rules[i].run(ctx, src, r->agents, r->n_agents, &r->findings);
}

static int by_name(const void *x, const void *y)
{
    const struct al_agent *a = x, *b = y;
    return strcmp(a->name ? a->name : a->path, b->name ? b->name : b->path);
}

void al_check_run(const struct al_check_ctx *ctx, const struct al_source *src,
                  struct al_report *out)
{
    memset(out, 0, sizeof(*out));
    out->source = src;
    if (src->kind == AL_SRC_FILES) {
        check_files(ctx, src, out);
    } else {
        discover(ctx, src, out);
        if (out->n_agents > 1)
            al_qsort(out->agents, out->n_agents, sizeof(*out->agents), by_name);
        check_agents(ctx, src, out);
    }
    run_level_rules(ctx, src, out);
    mark_rejected(out);
    al_suppress_apply(ctx, src, &out->findings);
    al_findings_sort(&out->findings);
    al_findings_cap(&out->findings, ctx->max_per_rule);
}

void al_report_free(struct al_report *r)
{
    for (size_t i = 0; i < r->n_agents; i++) {
        free(r->agents[i].name);
        free(r->agents[i].path);
        al_ydoc_free(r->agents[i].doc);
        al_config_free(&r->agents[i].config);
    }
    free(r->agents);
    al_findings_free(&r->findings);
    memset(r, 0, sizeof(*r));
}
