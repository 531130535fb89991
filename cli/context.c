#include "cli/context.h"
#include "cli/accepted.h"
#include "common/alloc.h"
#include "common/error.h"
#include "common/str.h"
#include "common/version.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool valid_project_path(const char *p)
{
    if (!p || !*p || p[0] == '/' || strchr(p, ' ') || strstr(p, "//") || strstr(p, "://"))
        return false;
    return p[strlen(p) - 1] != '/';
}

char *al_project_path_from_url(const char *url)
{
    if (!url || !*url)
        return NULL;
    const char *path = NULL;
    const char *scheme = strstr(url, "://");
    if (scheme) {
        if (strncmp(url, "file", 4) == 0)
            return NULL;
        const char *host = scheme + 3;
        const char *slash = strchr(host, '/');
        if (!slash)
            return NULL;
        path = slash + 1;
    } else {
        /* scp-like: [user@]host:path */
        const char *colon = strchr(url, ':');
        const char *slash = strchr(url, '/');
        if (!colon || (slash && slash < colon))
            return NULL; /* a local path */
        path = colon + 1;
    }
    while (*path == '/')
        path++;
    char *p = al_strdup(path);
    size_t n = strlen(p);
    while (n && p[n - 1] == '/')
        p[--n] = '\0';
    if (n > 4 && strcmp(p + n - 4, ".git") == 0)
        p[n -= 4] = '\0';
    if (!valid_project_path(p) || !strchr(p, '/')) {
        free(p);
        return NULL;
    }
    return p;
}

/* Files given as arguments inside a git working tree take that repository's
 * .agentlint.yaml and origin, as the default mode does; outside one (or from
 * standard input) they stand alone. */
static void open_files_repo(struct al_session *s, const struct al_opts *o)
{
    const char *first = NULL;
    for (size_t i = 0; i < o->n_paths && !first; i++)
        if (strcmp(o->paths[i], "-") != 0)
            first = o->paths[i];
    char *real = first ? realpath(first, NULL) : NULL;
    char *slash = real ? strrchr(real, '/') : NULL;
    if (slash)
        *(slash == real ? slash + 1 : slash) = '\0';
    if (slash && (al_repo_open(real, &s->repo) < 0 || !al_repo_workdir(s->repo))) {
        al_repo_free(s->repo);
        s->repo = NULL;
    }
    free(real);
}

int al_session_open(struct al_session *s, const struct al_opts *o)
{
    memset(s, 0, sizeof(*s));
    s->opts = o;
    if (al_schema_load_builtin(&s->schema) < 0)
        return al_error_set("internal error: the built-in schema does not load (%s)",
                            al_error_last());
    if (o->n_paths && o->command != AL_CMD_DIFF) {
        if (o->rev || o->staged || o->repo_dir)
            return al_error_set("config files given as arguments cannot be combined with "
                                "--rev, --staged or -C");
        open_files_repo(s, o);
        return 0;
    }
    return al_repo_open(o->repo_dir, &s->repo);
}

static int resolve_color(struct al_session *s)
{
    const char *c = s->opts->color ? s->opts->color : "auto";
    bool to_stdout = !s->opts->output || strcmp(s->opts->output, "-") == 0;
    if (strcmp(c, "always") == 0)
        s->color = true;
    else if (strcmp(c, "never") == 0)
        s->color = false;
    else if (strcmp(c, "auto") == 0) {
        const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
        s->color = to_stdout && isatty(STDOUT_FILENO) && !(nc && *nc) &&
                   !(term && strcmp(term, "dumb") == 0);
    } else
        return al_error_set("--color must be auto, always or never, not '%s'", c);
    return 0;
}

static int parse_settings(struct al_session *s, const struct al_file *f)
{
    if (!f || f->kind != AL_FILE_REGULAR)
        return 0;
    if (al_settings_parse(f->data, f->len, ".agentlint.yaml", &s->settings) < 0) {
        al_settings_free(&s->settings);
        return al_error_set("%s; fix .agentlint.yaml", al_error_last());
    }
    s->have_settings = true;
    return 0;
}

/* Plain files in a repository: its working tree's .agentlint.yaml. */
static int load_worktree_settings(struct al_session *s)
{
    struct al_buf path = AL_BUF_INIT;
    al_buf_printf(&path, "%s.agentlint.yaml", al_repo_workdir(s->repo));
    const char *p = al_buf_cstr(&path);
    struct al_source *one = NULL;
    int rc = 0;
    if (access(p, F_OK) == 0) {
        rc = al_source_load_files(&p, 1, &one);
        if (rc == 0)
            rc = parse_settings(s, &one->files[0]);
    }
    al_source_free(one);
    al_buf_free(&path);
    return rc;
}

static int load_settings(struct al_session *s, const struct al_source *src)
{
    if (src && src->kind == AL_SRC_FILES)
        return s->repo ? load_worktree_settings(s) : 0;
    return parse_settings(s, src ? al_source_find(src, ".agentlint.yaml") : NULL);
}

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* --project-path, then the merge request's project (a fork's pipeline runs in
 * the fork), the CI project, .agentlint.yaml, and remote.origin.url. */
static int resolve_project_path(struct al_session *s)
{
    const struct al_opts *o = s->opts;
    const char *p = NULL, *origin = NULL;
    if (o->project_path)
        p = o->project_path, origin = "--project-path";
    else if (env("CI_MERGE_REQUEST_PROJECT_PATH"))
        p = env("CI_MERGE_REQUEST_PROJECT_PATH"), origin = "CI_MERGE_REQUEST_PROJECT_PATH";
    else if (env("CI_PROJECT_PATH"))
        p = env("CI_PROJECT_PATH"), origin = "CI_PROJECT_PATH";
    else if (s->have_settings && s->settings.project_path)
        p = s->settings.project_path, origin = ".agentlint.yaml";
    if (p) {
        if (!valid_project_path(p))
            return al_error_set("%s: '%s' is not a project path like group/project", origin, p);
        s->project_path = al_strdup(p);
    } else if (s->repo) {
        char *url = al_repo_config_string(s->repo, "remote.origin.url");
        s->project_path = al_project_path_from_url(url);
        free(url);
        if (s->project_path)
            origin = "remote.origin.url";
    }
    s->ctx.project_path = s->project_path;
    s->ctx.project_path_origin = origin;
    return 0;
}

/* --max-per-rule N: a whole number, 0 for no cap. */
static int parse_max_per_rule(const char *arg, size_t *out)
{
    *out = AL_MAX_PER_RULE;
    if (!arg)
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (!*arg || *end || arg[0] == '-' || errno || v > 1000000000ULL)
        return al_error_set("--max-per-rule must be a whole number of findings (0: show all), "
                            "not '%s'",
                            arg);
    *out = (size_t)v;
    return 0;
}

int al_session_configure(struct al_session *s, const struct al_source *src)
{
    const struct al_opts *o = s->opts;
    if (resolve_color(s) < 0 || load_settings(s, src) < 0)
        return AL_ERR;
    s->ctx.schema = s->schema;
    s->ctx.settings = s->have_settings ? &s->settings : NULL;
    s->ctx.agent_name = o->agent;

    s->ctx.gitlab_version = s->schema->latest;
    if (o->gitlab_version) {
        int v = al_version_parse(o->gitlab_version);
        if (v < 0)
            return al_error_set("--gitlab-version must look like 17.5, not '%s'",
                                o->gitlab_version);
        if (v < s->schema->oldest) {
            char lo[16], hi[16];
            return al_error_set("--gitlab-version %s is older than agentlint knows: give %s to %s "
                                "(a newer version is checked as %s)",
                                o->gitlab_version, al_version_str(s->schema->oldest, lo),
                                al_version_str(s->schema->latest, hi), hi);
        }
        s->ctx.gitlab_version = v;
    } else if (s->have_settings && s->settings.gitlab_version > 0) {
        s->ctx.gitlab_version = s->settings.gitlab_version;
    }

    s->ctx.env_matching = AL_ENV_ANCHORED;
    if (o->env_matching) {
        if (strcmp(o->env_matching, "anchored") == 0)
            s->ctx.env_matching = AL_ENV_ANCHORED;
        else if (strcmp(o->env_matching, "legacy") == 0)
            s->ctx.env_matching = AL_ENV_LEGACY;
        else
            return al_error_set("--env-matching must be anchored or legacy, not '%s'",
                                o->env_matching);
    } else if (s->have_settings && s->settings.env_matching >= 0) {
        s->ctx.env_matching = (enum al_env_matching)s->settings.env_matching;
    }

    s->ctx.instance_authorization =
        o->instance_authorization || (s->have_settings && s->settings.instance_authorization == 1);
    if (parse_max_per_rule(o->max_per_rule, &s->ctx.max_per_rule) < 0)
        return AL_ERR;
    return resolve_project_path(s);
}

int al_session_load(struct al_session *s)
{
    const struct al_opts *o = s->opts;
    int rc;
    if (o->n_paths && o->command != AL_CMD_DIFF) {
        rc = al_source_load_files(o->paths, o->n_paths, &s->source);
        if (rc == 0 && s->repo)
            al_source_files_relative(s->source, al_repo_workdir(s->repo));
    } else if (o->staged && o->rev) {
        return al_error_set("--staged and --rev cannot be combined: choose the index or a "
                            "revision");
    } else if (o->staged) {
        rc = al_source_load(s->repo, AL_SRC_INDEX, NULL, &s->source);
    } else if (o->rev) {
        rc = al_source_load(s->repo, AL_SRC_REVISION, o->rev, &s->source);
    } else {
        rc = al_source_load(s->repo, AL_SRC_WORKTREE, NULL, &s->source);
    }
    if (rc < 0)
        return rc;
    return al_session_configure(s, s->source);
}

void al_session_close(struct al_session *s)
{
    al_source_free(s->source);
    al_repo_free(s->repo);
    if (s->have_settings)
        al_settings_free(&s->settings);
    al_schema_free(s->schema);
    free(s->project_path);
    memset(s, 0, sizeof(*s));
}

int al_session_ids(const struct al_opts *o, struct al_ids **out)
{
    *out = NULL;
    if (!o->n_ids)
        return 0;
    *out = al_ids_new();
    for (size_t i = 0; i < o->n_ids; i++)
        if (al_ids_load_file(*out, o->ids[i]) < 0)
            return AL_ERR;
    return 0;
}

int al_session_run(struct al_session *s, const struct al_opts *o, const struct al_ids *ids,
                   struct al_run *out)
{
    struct al_run_opts ro;
    al_run_opts_init(&ro, &s->ctx);
    ro.ids = ids;
    al_run_build(&ro, s->source, out);
    al_accepted_find(s, &out->access);
    return al_session_keep_agents(o, &out->access);
}

int al_session_keep_agents(const struct al_opts *o, struct al_access *m)
{
    for (size_t i = 0; i < o->n_agents; i++)
        if (!al_access_agent_find(m, o->agents[i]))
            return al_error_set("--agents: no agent named '%s' in this repository", o->agents[i]);
    if (!o->n_agents)
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < m->n_agents; i++) {
        bool keep = false;
        for (size_t j = 0; j < o->n_agents && !keep; j++)
            keep = m->agents[i]->name && strcmp(m->agents[i]->name, o->agents[j]) == 0;
        if (keep)
            m->agents[k++] = m->agents[i];
    }
    m->n_agents = k;
    return 0;
}
