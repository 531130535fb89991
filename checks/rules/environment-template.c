/* environment-template: .gitlab/agents/<agent>/environment_templates/NAME.yaml,
 * the templates of GitLab-managed Kubernetes resources (17.9+). GitLab
 * (Rails) reads the template when a job of an entry with
 * resource_management starts an environment; a template it cannot read
 * leaves that environment without its namespace and bindings. The keys are
 * schema data (EnvironmentTemplate in schemas/agentcfg.yaml); each object
 * needs apiVersion, kind and metadata.name. The schema walker's findings are
 * reported under this rule, since the agent server never reads the file. */
#include "checks/rules.h"
#include "access/templates.h"
#include "checks/rules/util.h"
#include "common/buf.h"
#include "checks/schema_check.h"
#include "model/schema.h"
#include "model/source.h"

#include <stdlib.h>
#include <string.h>

static struct al_finding *report(struct al_findings *out, const char *path, const char *agent,
                                 struct al_ypos pos, const char *msg)
{
    struct al_finding *f = al_findings_add(out, "environment-template", path, pos, "%s", msg);
    al_finding_set_agent(f, agent);
    return f;
}

/* The walker's sentences speak of config.yaml and the agent server. */
static char *reword(const char *msg)
{
    static const char *const from[] = {"the agent server rejects the whole file",
                                       "the agent server of GitLab", "the agent server"};
    static const char *const to[] = {"GitLab cannot use the template", "GitLab", "GitLab"};
    struct al_buf b = AL_BUF_INIT;
    for (const char *p = msg; *p;) {
        size_t i;
        for (i = 0; i < 3; i++)
            if (strncmp(p, from[i], strlen(from[i])) == 0)
                break;
        if (i < 3) {
            al_buf_puts(&b, to[i]);
            p += strlen(from[i]);
        } else {
            al_buf_putc(&b, *p++);
        }
    }
    return al_buf_detach(&b);
}

static void check_objects(const char *path, const char *agent, const struct al_ynode *objects,
                          struct al_findings *out)
{
    if (!objects || objects->kind != AL_YSEQ)
        return;
    for (size_t i = 0; i < objects->n; i++) {
        const struct al_ynode *o = objects->items[i];
        const char *missing = NULL;
        if (o->kind != AL_YMAP)
            missing = "a mapping (a Kubernetes object)";
        else if (!al_ynode_is_str(al_ymap_get(o, "apiVersion")))
            missing = "apiVersion";
        else if (!al_ynode_is_str(al_ymap_get(o, "kind")))
            missing = "kind";
        else if (!al_ynode_is_str(al_ymap_get(al_ymap_get(o, "metadata"), "name")))
            missing = "metadata.name";
        if (!missing)
            continue;
        struct al_buf m = AL_BUF_INIT;
        al_buf_printf(&m,
                      "object %zu of \"objects\" needs %s: GitLab cannot create it when a job "
                      "starts an environment",
                      i + 1, missing);
        report(out, path, agent, o->pos, al_buf_cstr(&m));
        al_buf_free(&m);
    }
}

static void check_template(const struct al_check_ctx *ctx, const struct al_file *file,
                           const char *agent, struct al_findings *out)
{
    struct al_ydoc *doc = al_yaml_load(file->data, file->len);
    struct al_ypos top = {1, 1};
    if (al_ydoc_has_syntax_error(doc) || (doc->root && doc->root->kind != AL_YMAP)) {
        report(out, file->path, agent, doc->n_issues ? doc->issues[0].pos : top,
               "the environment template does not parse as a YAML mapping of objects, "
               "apply_resources and delete_resources: GitLab cannot use it, and environments "
               "get no managed resources");
        al_ydoc_free(doc);
        return;
    }
    struct al_findings walked = {0};
    struct al_schema_check sc = {ctx->schema, ctx->gitlab_version, file->path, agent,
                                 ctx->schema->template_root};
    al_schema_check(&sc, doc->root, &walked);
    for (size_t i = 0; i < walked.n; i++) {
        const struct al_finding *w = &walked.items[i];
        char *msg = reword(w->message);
        struct al_finding *f =
            report(out, file->path, agent, (struct al_ypos){w->line, w->col}, msg);
        al_finding_set_severity(f, w->severity);
        if (w->key_path)
            al_finding_set_key_path(f, w->key_path);
        free(msg);
    }
    al_findings_free(&walked);
    check_objects(file->path, agent, al_ymap_get(doc->root, "objects"), out);
    al_ydoc_free(doc);
}

void al_rule_environment_template(const struct al_check_ctx *ctx, const struct al_source *src,
                                  const struct al_agent *agents, size_t n_agents,
                                  struct al_findings *out)
{
    (void)agents;
    (void)n_agents;
    if (!ctx->schema->template_root)
        return;
    for (size_t i = 0; i < src->n_files; i++) {
        const struct al_file *f = &src->files[i];
        char *agent = f->kind == AL_FILE_REGULAR ? al_tmpl_agent_of(f->path) : NULL;
        if (agent)
            check_template(ctx, f, agent, out);
        free(agent);
    }
}
