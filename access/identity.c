/* The identity the Kubernetes API server sees for a job that uses an agent
 * (gitlab-semantics.md §6): the agent's own service account, the static
 * identity of `impersonate`, or the job identity of `ci_job`, with its
 * groups in the order KAS builds them. Numbers come from --ids; a number
 * that is not there becomes a visible placeholder and is listed as missing,
 * never guessed. */
#include "access/decide.h"
#include "common/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void note_missing(struct al_decisions *d, enum al_ids_kind kind, const char *path)
{
    for (size_t i = 0; i < d->n_missing; i++)
        if (d->missing[i].kind == kind && strcmp(d->missing[i].path, path) == 0)
            return;
    d->missing = al_grow(d->missing, &d->cap_missing, d->n_missing + 1, sizeof(*d->missing));
    d->missing[d->n_missing].kind = kind;
    d->missing[d->n_missing++].path = al_arena_strdup(&d->arena, path);
}

/* "42", or "<acme/web>" (recorded as missing). */
static const char *number(const struct al_access *m, struct al_decisions *d, enum al_ids_kind kind,
                          const char *path)
{
    char buf[32];
    long long id = al_ids_get(m->opts.ids, kind, path);
    if (id > 0) {
        snprintf(buf, sizeof buf, "%lld", id);
        return al_arena_strdup(&d->arena, buf);
    }
    note_missing(d, kind, path);
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "<%s>", path);
    const char *s = al_arena_strdup(&d->arena, al_buf_cstr(&b));
    al_buf_free(&b);
    return s;
}

static const char *fmt(struct al_decisions *d, const char *f, const char *a, const char *b)
{
    struct al_buf buf = AL_BUF_INIT;
    al_buf_printf(&buf, f, a, b);
    const char *s = al_arena_strdup(&d->arena, al_buf_cstr(&buf));
    al_buf_free(&buf);
    return s;
}

static void add_extra(struct al_decisions *d, struct al_identity *id, const char *key,
                      const char *val)
{
    const char **vals = al_arena_alloc(&d->arena, sizeof(char *));
    vals[0] = val;
    struct al_extra_kv *kv = &id->extra[id->n_extra++];
    kv->key = key;
    kv->vals = vals;
    kv->n_vals = 1;
}

static const char *agent_number(const struct al_access *m, struct al_decisions *d,
                                const struct al_access_agent *ag)
{
    if (!ag->context)
        return "<agent id>";
    return number(m, d, AL_IDS_AGENT, ag->context);
}

/* impCiJobExtra, in KAS's order. */
static void ci_job_extra(const struct al_access *m, struct al_decisions *d,
                         const struct al_access_agent *ag, const char *pid, struct al_identity *out)
{
    out->extra = al_arena_alloc(&d->arena, 8 * sizeof(*out->extra));
    add_extra(d, out, "agent.gitlab.com/id", agent_number(m, d, ag));
    add_extra(d, out, "agent.gitlab.com/config_project_id",
              ag->config_project ? number(m, d, AL_IDS_PROJECT, ag->config_project)
                                 : "<config project id>");
    add_extra(d, out, "agent.gitlab.com/project_id", pid);
    add_extra(d, out, "agent.gitlab.com/ci_pipeline_id", "<pipeline id>");
    add_extra(d, out, "agent.gitlab.com/ci_job_id", "<job id>");
    add_extra(d, out, "agent.gitlab.com/username", "<username of the job's user>");
    if (d->job.environment) {
        add_extra(d, out, "agent.gitlab.com/environment_slug", d->job.slug);
        add_extra(d, out, "agent.gitlab.com/environment_tier", d->job.tier);
    }
}

/* impCiJobGroups: gitlab:ci_job, per ancestor group (nearest first) its
 * group and group-tier groups, then the project's own. */
static void ci_job(const struct al_access *m, const struct al_auth *a, struct al_decisions *d,
                   struct al_identity *out)
{
    const bool env = d->job.environment != NULL;
    out->username = "gitlab:ci_job:<job id>";
    out->groups = al_arena_alloc(&d->arena, (2 * d->n_ancestors + 4) * sizeof(char *));
    out->groups[out->n_groups++] = "gitlab:ci_job";
    for (size_t i = 0; i < d->n_ancestors; i++) {
        const char *gid = number(m, d, AL_IDS_GROUP, d->ancestors[i]);
        out->groups[out->n_groups++] = fmt(d, "gitlab:group:%s%s", gid, "");
        if (env)
            out->groups[out->n_groups++] = fmt(d, "gitlab:group_env_tier:%s:%s", gid, d->job.tier);
    }
    const char *pid = number(m, d, AL_IDS_PROJECT, d->job.project);
    out->groups[out->n_groups++] = fmt(d, "gitlab:project:%s%s", pid, "");
    if (env) {
        out->groups[out->n_groups++] = fmt(d, "gitlab:project_env:%s:%s", pid, d->job.slug);
        out->groups[out->n_groups++] = fmt(d, "gitlab:project_env_tier:%s:%s", pid, d->job.tier);
    }
    ci_job_extra(m, d, a->agent, pid, out);
}

/* GetExtraAsMap: one value list per key, the last entry for a key wins. */
static void impersonate(const struct al_auth *a, struct al_decisions *d, struct al_identity *out)
{
    const struct al_impersonate *imp = a->imp;
    out->username = imp->username;
    out->groups = imp->groups;
    out->n_groups = imp->n_groups;
    out->uid = imp->uid;
    out->extra = al_arena_alloc(&d->arena, (imp->n_extra + 1) * sizeof(*out->extra));
    for (size_t i = 0; i < imp->n_extra; i++) {
        const struct al_extra *e = &imp->extra[i];
        struct al_extra_kv *kv = NULL;
        for (size_t k = 0; k < out->n_extra && !kv; k++)
            if (strcmp(out->extra[k].key, e->key) == 0)
                kv = &out->extra[k];
        if (!kv)
            kv = &out->extra[out->n_extra++];
        kv->key = e->key;
        kv->vals = e->vals;
        kv->n_vals = e->n_vals;
    }
}

void al_access_identity(const struct al_access *m, const struct al_auth *a, struct al_decisions *d,
                        struct al_identity *out)
{
    memset(out, 0, sizeof(*out));
    out->as = a->access_as;
    if (a->access_as == AL_AS_CI_JOB)
        ci_job(m, a, d, out);
    else if (a->access_as == AL_AS_IMPERSONATE && a->imp)
        impersonate(a, d, out);
}
