/* al_access_decide: CiAccess::Finder, then CiAccess::FilterService, per
 * agent, and the sentences that explain the answer. */
#include "access/decide.h"
#include "model/paths.h"
#include "common/buf.h"

#include <stdlib.h>
#include <string.h>

const char *al_license_name(enum al_license l)
{
    return l == AL_LICENSE_FREE ? "free" : l == AL_LICENSE_ULTIMATE ? "ultimate" : "premium";
}

int al_license_parse(const char *name)
{
    static const char *const names[] = {"free", "premium", "ultimate"};
    for (int i = 0; name && i < 3; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *al_reason_name(enum al_reason r)
{
    static const char *const names[] = {"allowed",        "no-entry",  "environment",
                                        "no-environment", "protected", "regex-error",
                                        "request-failed"};
    return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}

/* ---- Finder ---- */

/* with_available_ci_access_fields: Free keeps only rows acting as the agent;
 * ci_job, impersonate and ci_user need Premium on the job's project. */
static bool licensed(const struct al_auth *a, enum al_license l)
{
    if (a->access_as == AL_AS_AGENT)
        return true;
    return l != AL_LICENSE_FREE && a->access_as != AL_AS_USER;
}

const struct al_auth *al_access_find(const struct al_access *m, const struct al_access_agent *a,
                                     const char *project, enum al_license license)
{
    const struct al_auth *proj = NULL, *impl = NULL, *group = NULL, *inst = NULL;
    bool personal = al_ids_personal(m->opts.ids, project);
    for (size_t i = 0; i < a->n_auths; i++) {
        const struct al_auth *x = &a->auths[i];
        if (!x->effective || x->section != AL_CI_ACCESS || !licensed(x, license))
            continue;
        if (x->scope == AL_SCOPE_PROJECT && !proj && al_path_eq(x->key, project))
            proj = x;
        else if (x->scope == AL_SCOPE_IMPLICIT && al_path_eq(x->key, project))
            impl = x;
        else if (x->scope == AL_SCOPE_GROUP && !personal && al_path_within(project, x->key) &&
                 (!group || al_path_depth(x->key) > al_path_depth(group->key)))
            group = x; /* the closest group wins */
        else if (x->scope == AL_SCOPE_INSTANCE)
            inst = x;
    }
    return proj ? proj : impl ? impl : group ? group : inst;
}

/* ---- FilterService ---- */

enum al_verdict al_access_filter(const struct al_auth *a, const struct al_filter_params *p,
                                 size_t *pattern)
{
    if (pattern)
        *pattern = a->n_env;
    if (p->has_environment && a->restricts_env) {
        if (!p->environment)
            return AL_DENY_NO_ENVIRONMENT;
        enum al_env_result r =
            al_env_match_any(p->matching, a->environments, a->n_env, p->environment, pattern);
        if (r == AL_ENV_ERROR)
            return AL_DENY_REGEX_ERROR;
        if (r == AL_ENV_NO)
            return AL_DENY_ENVIRONMENT;
    }
    if (p->protected_flag_off)
        return AL_KEEP;
    if (!p->has_protected_ref)
        return AL_DENY_NO_PARAMS;
    if (!p->protected_ref && a->protected_branches_only)
        return AL_DENY_PROTECTED;
    return AL_KEEP;
}

bool al_access_protected_flag_era(int version)
{
    return version >= 1703 && version < 1710;
}

static struct al_filter_params job_params(const struct al_access *m, const struct al_job *job,
                                          enum al_env_matching mode)
{
    struct al_filter_params p = {true, job->environment,
                                 true, job->protected_ref,
                                 mode, al_access_protected_flag_era(m->opts.gitlab_version)};
    return p;
}

/* ---- sentences ---- */

static const char *arena_buf(struct al_arena *a, struct al_buf *b)
{
    const char *s = al_arena_strdup(a, al_buf_cstr(b));
    al_buf_free(b);
    return s;
}

/* "project entry acme/web (ci_access.projects[0], line 4)" */
static void describe(struct al_buf *b, const struct al_auth *a)
{
    switch (a->scope) {
    case AL_SCOPE_IMPLICIT:
        al_buf_printf(b,
                      "the implicit authorization of the agent's own project %s (as the "
                      "agent, unrestricted)",
                      a->id);
        return;
    case AL_SCOPE_INSTANCE:
        al_buf_printf(b, "the instance entry (%s, line %u)", a->label, a->line);
        return;
    default:
        al_buf_printf(b, "%s entry %s (%s, line %u)", al_scope_name(a->scope), a->id, a->label,
                      a->line);
    }
}

static void list_envs(struct al_buf *b, const struct al_auth *a)
{
    for (size_t i = 0; i < a->n_env; i++)
        al_buf_printf(b, "%s\"%s\"", i ? ", " : "", a->environments[i]);
}

static const char *no_fallback =
    "; GitLab does not fall back to a broader entry once the most specific one is filtered out";

static void why_allowed(struct al_buf *b, const struct al_job *job, const struct al_auth *a,
                        size_t pattern, bool flag_off)
{
    describe(b, a);
    al_buf_puts(b, " decides");
    if (a->restricts_env)
        al_buf_printf(b, "; environment \"%s\" matches \"%s\"", job->environment,
                      a->environments[pattern]);
    if (a->protected_branches_only && flag_off)
        al_buf_puts(b, "; protected_branches_only is not enforced: on GitLab 17.3 to 17.9 it "
                       "needs the feature flag kubernetes_agent_protected_branches, which is off "
                       "by default");
    else if (a->protected_branches_only)
        al_buf_puts(b, "; the ref is protected, as protected_branches_only requires");
}

static void why_denied(struct al_buf *b, const struct al_job *job, const struct al_auth *a,
                       enum al_verdict v, size_t pattern)
{
    describe(b, a);
    al_buf_puts(b, " decides");
    if (v == AL_DENY_NO_ENVIRONMENT) {
        al_buf_puts(b, " and lists environments (");
        list_envs(b, a);
        al_buf_puts(b, "), so a job without an environment is denied");
    } else if (v == AL_DENY_ENVIRONMENT) {
        al_buf_printf(b, ", and environment \"%s\" matches none of its environments (",
                      job->environment);
        list_envs(b, a);
        al_buf_puts(b, ")");
    } else if (v == AL_DENY_REGEX_ERROR) {
        char *err = al_env_legacy_error(a->environments[pattern]);
        al_buf_printf(b,
                      ", and its pattern \"%s\" is not a valid regular expression for older "
                      "GitLab: %s; the job's whole request for agents fails",
                      a->environments[pattern], err ? err : "it raises");
        free(err);
    } else {
        al_buf_puts(b, " and has protected_branches_only: true, and the job's ref is not "
                       "protected");
    }
    al_buf_puts(b, no_fallback);
}

static enum al_reason reason_of(enum al_verdict v)
{
    switch (v) {
    case AL_KEEP:
        return AL_REASON_ALLOWED;
    case AL_DENY_ENVIRONMENT:
        return AL_REASON_ENVIRONMENT;
    case AL_DENY_NO_ENVIRONMENT:
        return AL_REASON_NO_ENVIRONMENT;
    case AL_DENY_REGEX_ERROR:
        return AL_REASON_REGEX_ERROR;
    default:
        return AL_REASON_PROTECTED;
    }
}

/* ---- one agent ---- */

static void explain_license(struct al_decisions *d, struct al_decision *x,
                            const struct al_auth *premium, bool premium_allowed)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_puts(&b, "on Free, ");
    describe(&b, premium);
    al_buf_printf(&b, " is dropped (access_as %s needs Premium on the job's project), so ",
                  al_access_as_name(premium->access_as));
    if (x->auth) {
        describe(&b, x->auth);
        al_buf_puts(&b, " decides instead");
    } else {
        al_buf_puts(&b, "no entry of this agent applies");
    }
    al_buf_printf(&b, "; on Premium the job would be %s", premium_allowed ? "allowed" : "denied");
    x->license_note = arena_buf(&d->arena, &b);
}

static void check_license(const struct al_access *m, struct al_decisions *d, struct al_decision *x)
{
    if (d->job.license != AL_LICENSE_FREE)
        return;
    const struct al_auth *p = al_access_find(m, x->agent, d->job.project, AL_LICENSE_PREMIUM);
    if (p == x->auth)
        return;
    struct al_filter_params params = job_params(m, &d->job, d->job.matching);
    bool premium_allowed = al_access_filter(p, &params, NULL) == AL_KEEP;
    x->premium_auth = p;
    x->license_changed = true;
    explain_license(d, x, p, premium_allowed);
}

static void check_other_matching(const struct al_access *m, struct al_decisions *d,
                                 struct al_decision *x)
{
    enum al_env_matching other =
        d->job.matching == AL_ENV_ANCHORED ? AL_ENV_LEGACY : AL_ENV_ANCHORED;
    struct al_filter_params p = job_params(m, &d->job, other);
    size_t pattern;
    enum al_verdict v = al_access_filter(x->auth, &p, &pattern);
    if ((v == AL_KEEP) == x->allowed && reason_of(v) == x->reason)
        return;
    x->other_matching_differs = true;
    x->other_matching_allowed = v == AL_KEEP;
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "with %s environment matching (%s) the job would be ",
                  other == AL_ENV_LEGACY ? "legacy" : "anchored",
                  other == AL_ENV_LEGACY ? "older GitLab: an unanchored regular expression"
                                         : "current GitLab: the whole name, all but '*' literal");
    if (v == AL_KEEP && x->auth->restricts_env && pattern < x->auth->n_env)
        al_buf_printf(&b, "allowed: \"%s\" matches \"%s\"", x->auth->environments[pattern],
                      d->job.environment);
    else if (v == AL_KEEP)
        al_buf_puts(&b, "allowed");
    else if (v == AL_DENY_REGEX_ERROR)
        al_buf_printf(&b, "refused: the pattern \"%s\" raises an error",
                      x->auth->environments[pattern]);
    else
        al_buf_puts(&b, "denied: no pattern matches");
    x->other_matching_note = arena_buf(&d->arena, &b);
}

static void decide_one(const struct al_access *m, struct al_decisions *d, struct al_decision *x)
{
    struct al_buf b = AL_BUF_INIT;
    x->auth = al_access_find(m, x->agent, d->job.project, d->job.license);
    if (!x->auth) {
        x->reason = AL_REASON_NO_ENTRY;
        al_buf_printf(&b, "no authorization of this agent covers %s", d->job.project);
        x->why = arena_buf(&d->arena, &b);
        check_license(m, d, x);
        return;
    }
    struct al_filter_params p = job_params(m, &d->job, d->job.matching);
    size_t pattern;
    enum al_verdict v = al_access_filter(x->auth, &p, &pattern);
    x->allowed = v == AL_KEEP;
    x->reason = reason_of(v);
    if (x->allowed)
        why_allowed(&b, &d->job, x->auth, pattern, p.protected_flag_off);
    else
        why_denied(&b, &d->job, x->auth, v, pattern);
    x->why = arena_buf(&d->arena, &b);
    check_license(m, d, x);
    check_other_matching(m, d, x);
    if (x->allowed) {
        x->context = x->agent->context;
        x->namespace = x->auth->default_namespace;
        al_access_identity(m, x->auth, d, &x->identity);
    }
}

/* ---- the job ---- */

static void resolve_job(const struct al_access *m, struct al_decisions *d, const struct al_job *job)
{
    d->job = *job;
    d->job.project = al_arena_strdup(&d->arena, job->project);
    if (job->environment) {
        d->job.environment = al_arena_strdup(&d->arena, job->environment);
        d->tier_guessed = !job->tier;
        d->job.tier = job->tier ? al_arena_strdup(&d->arena, job->tier)
                                : al_env_tier_name(al_env_tier_guess(job->environment));
        d->slug_computed = !job->slug;
        char *slug = job->slug ? NULL : al_env_slug(job->environment);
        d->job.slug = al_arena_strdup(&d->arena, job->slug ? job->slug : slug);
        free(slug);
    } else {
        d->job.tier = d->job.slug = NULL;
    }
    d->personal = al_ids_personal(m->opts.ids, job->project);
    size_t depth = al_path_depth(job->project);
    const char **anc = al_arena_alloc(&d->arena, (depth + 1) * sizeof(char *));
    char *p = al_path_parent(job->project);
    while (p && !d->personal) {
        anc[d->n_ancestors++] = al_arena_strdup(&d->arena, p);
        char *up = al_path_parent(p);
        free(p);
        p = up;
    }
    free(p);
    d->ancestors = anc;
}

/* GitLab runs one FilterService over the winning entries of every agent
 * for the job's allowed_agents request: a legacy pattern that raises fails
 * the whole request, so the job gets no agent at all, not only that one. */
static void fail_request(struct al_decisions *d)
{
    const struct al_decision *raised = NULL;
    for (size_t i = 0; i < d->n && !raised; i++)
        if (d->items[i].reason == AL_REASON_REGEX_ERROR)
            raised = &d->items[i];
    if (!raised)
        return;
    for (size_t i = 0; i < d->n; i++) {
        struct al_decision *x = &d->items[i];
        if (x == raised || x->reason == AL_REASON_REGEX_ERROR)
            continue;
        struct al_buf b = AL_BUF_INIT;
        al_buf_printf(&b,
                      "%s; but agent %s's entry raises a regular-expression error in the same "
                      "request (older GitLab's environment matching), so GitLab's allowed_agents "
                      "request for this job fails and the job gets no agent at all",
                      x->why, raised->agent->name);
        x->why = arena_buf(&d->arena, &b);
        x->allowed = false;
        x->reason = AL_REASON_REQUEST_FAILED;
        x->context = x->namespace = NULL;
        memset(&x->identity, 0, sizeof(x->identity));
    }
}

int al_access_decide(const struct al_access *m, const struct al_job *job, struct al_decisions *out)
{
    return al_access_decide_some(m, job, NULL, m->n_agents, out);
}

int al_access_decide_some(const struct al_access *m, const struct al_job *job, const size_t *agents,
                          size_t n, struct al_decisions *out)
{
    memset(out, 0, sizeof(*out));
    resolve_job(m, out, job);
    out->n = n;
    out->items = al_arena_alloc(&out->arena, (n + 1) * sizeof(*out->items));
    for (size_t i = 0; i < n; i++) {
        out->items[i].agent = m->agents[agents ? agents[i] : i];
        decide_one(m, out, &out->items[i]);
    }
    fail_request(out);
    return 0;
}

void al_decisions_free(struct al_decisions *d)
{
    free(d->missing);
    al_arena_free(&d->arena);
    memset(d, 0, sizeof(*d));
}
