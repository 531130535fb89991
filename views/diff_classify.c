/* al_diff_compare: what changing one authorization does, field by field.
 * The README's classification table is this file in prose; keep them
 * together. */
#include "views/diff.h"
#include "access/env.h"
#include "common/buf.h"

#include <string.h>

static const char *arena_buf(struct al_arena *a, struct al_buf *b)
{
    const char *s = al_arena_strdup(a, al_buf_cstr(b));
    al_buf_free(b);
    return s;
}

static void reason(struct al_diff_item *it, const char *field, enum al_diff_effect e,
                   const char *text)
{
    if (it->n_reasons == AL_DIFF_MAX_REASONS)
        return;
    struct al_diff_reason *r = &it->reasons[it->n_reasons++];
    r->field = field;
    r->effect = e;
    r->text = text;
    it->effect = (enum al_diff_effect)(it->effect | e);
}

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static const char *or_none(const char *s)
{
    return s ? s : "(none)";
}

/* ---- the id as written ---- */

static void compare_id(const struct al_auth *b, const struct al_auth *a, struct al_arena *arena,
                       struct al_diff_item *it)
{
    /* Against the entry it replaces (another scope), the id says nothing. */
    if (str_eq(b->id, a->id) || a->scope == AL_SCOPE_IMPLICIT || a->scope != b->scope)
        return;
    struct al_buf t = AL_BUF_INIT;
    al_buf_printf(&t, "id written %s instead of %s; GitLab compares ids case-insensitively",
                  or_none(a->id), or_none(b->id));
    reason(it, "id", AL_EFFECT_NEUTRAL, arena_buf(arena, &t));
}

/* ---- access_as ---- */

/* The agent's own service account is what a cluster usually grants most
 * (GitLab's Helm chart binds it to cluster-admin); every other identity is
 * one the cluster can bind narrowly. So moving to `agent` widens, moving
 * away from it narrows, and between two other identities neither contains
 * the other. */
static bool is_agent(enum al_access_as as)
{
    return as == AL_AS_AGENT;
}

static const char *identity_words(enum al_access_as as)
{
    switch (as) {
    case AL_AS_AGENT:
        return "the agent's own service account";
    case AL_AS_CI_JOB:
        return "the job's own identity (gitlab:ci_job)";
    case AL_AS_IMPERSONATE:
        return "a static impersonated identity";
    case AL_AS_CI_USER:
        return "the user who runs the job";
    default:
        return "the GitLab user's own identity (gitlab:user:<name> and role groups)";
    }
}

/* Items of `x` that are not in `y`, comma-separated into `out`; their count. */
static size_t missing_from(struct al_buf *out, const char *const *x, size_t nx,
                           const char *const *y, size_t ny)
{
    size_t n = 0;
    for (size_t i = 0; i < nx; i++) {
        bool found = false;
        for (size_t k = 0; k < ny && !found; k++)
            found = strcmp(x[i], y[k]) == 0;
        if (!found)
            al_buf_printf(out, "%s%s", n++ ? ", " : "", x[i]);
    }
    return n;
}

/* A set difference both ways, as one reason: Kubernetes RBAC is additive,
 * so every group added can only add permissions; extra values are read by
 * webhooks and audit, and are taken the same way. */
static void compare_set(const char *field, const char *what, const char *const *b, size_t nb,
                        const char *const *a, size_t na, bool rbac, struct al_arena *arena,
                        struct al_diff_item *it)
{
    struct al_buf added = AL_BUF_INIT, removed = AL_BUF_INIT, t = AL_BUF_INIT;
    size_t n_add = missing_from(&added, a, na, b, nb);
    size_t n_rm = missing_from(&removed, b, nb, a, na);
    if (!n_add && !n_rm) {
        al_buf_free(&added);
        al_buf_free(&removed);
        return;
    }
    enum al_diff_effect e = (n_add ? AL_EFFECT_WIDENED : 0) | (n_rm ? AL_EFFECT_NARROWED : 0);
    if (n_add)
        al_buf_printf(&t, "%s added: %s", what, al_buf_cstr(&added));
    if (n_rm)
        al_buf_printf(&t, "%s%s removed: %s", n_add ? "; " : "", what, al_buf_cstr(&removed));
    if (rbac && e != AL_EFFECT_MIXED)
        al_buf_puts(&t, e == AL_EFFECT_WIDENED ? " (RBAC is additive: more groups, more rights)"
                                               : " (RBAC is additive: fewer groups, fewer rights)");
    reason(it, field, e, arena_buf(arena, &t));
    al_buf_free(&added);
    al_buf_free(&removed);
}

/* extra as "key=value" strings, so that a set difference compares pairs. */
static const char **extra_pairs(const struct al_impersonate *imp, struct al_arena *arena, size_t *n)
{
    size_t total = 0;
    for (size_t i = 0; i < imp->n_extra; i++)
        total += imp->extra[i].n_vals;
    const char **out = al_arena_alloc(arena, (total ? total : 1) * sizeof(*out));
    *n = 0;
    for (size_t i = 0; i < imp->n_extra; i++) {
        for (size_t k = 0; k < imp->extra[i].n_vals; k++) {
            struct al_buf b = AL_BUF_INIT;
            al_buf_printf(&b, "%s=%s", or_none(imp->extra[i].key), imp->extra[i].vals[k]);
            out[(*n)++] = arena_buf(arena, &b);
        }
    }
    return out;
}

static void compare_impersonate(const struct al_impersonate *b, const struct al_impersonate *a,
                                struct al_arena *arena, struct al_diff_item *it)
{
    struct al_buf t = AL_BUF_INIT;
    if (!str_eq(b->username, a->username)) {
        al_buf_printf(&t,
                      "impersonated user %s instead of %s: bindings of one do not apply to the "
                      "other",
                      or_none(a->username), or_none(b->username));
        reason(it, "impersonate.username", AL_EFFECT_MIXED, arena_buf(arena, &t));
    }
    if (!str_eq(b->uid, a->uid)) {
        al_buf_printf(&t, "impersonated uid %s instead of %s", or_none(a->uid), or_none(b->uid));
        reason(it, "impersonate.uid", AL_EFFECT_MIXED, arena_buf(arena, &t));
    }
    al_buf_free(&t);
    compare_set("impersonate.groups", "impersonated groups", b->groups, b->n_groups, a->groups,
                a->n_groups, true, arena, it);
    size_t nb, na;
    const char **xb = extra_pairs(b, arena, &nb), **xa = extra_pairs(a, arena, &na);
    compare_set("impersonate.extra", "impersonated extra values", xb, nb, xa, na, false, arena, it);
}

static void compare_access_as(const struct al_auth *b, const struct al_auth *a,
                              struct al_arena *arena, struct al_diff_item *it)
{
    if (b->access_as == a->access_as) {
        if (b->imp && a->imp)
            compare_impersonate(b->imp, a->imp, arena, it);
        return;
    }
    enum al_diff_effect e = is_agent(a->access_as)   ? AL_EFFECT_WIDENED
                            : is_agent(b->access_as) ? AL_EFFECT_NARROWED
                                                     : AL_EFFECT_MIXED;
    struct al_buf t = AL_BUF_INIT;
    al_buf_printf(&t, "access_as %s instead of %s: %s instead of %s",
                  al_access_as_name(a->access_as), al_access_as_name(b->access_as),
                  identity_words(a->access_as), identity_words(b->access_as));
    al_buf_puts(&t, e == AL_EFFECT_WIDENED    ? ", usually the broader of the two"
                    : e == AL_EFFECT_NARROWED ? ", usually the narrower of the two"
                                              : "; neither contains the other");
    reason(it, "access_as", e, arena_buf(arena, &t));
}

/* ---- environments ---- */

bool al_diff_env_covers(const char *pattern, const char *other)
{
    return al_env_match(AL_ENV_ANCHORED, pattern, other) == AL_ENV_YES;
}

/* Whether one of `list` covers `p`. Only the anchored reading is a plain
 * language inclusion; under the legacy reading (a regular expression)
 * only equal patterns are taken as covered. */
static bool covered(const char *p, const char *const *list, size_t n, enum al_env_matching m)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(p, list[i]) == 0 || (m == AL_ENV_ANCHORED && al_diff_env_covers(list[i], p)))
            return true;
    return false;
}

/* Patterns of `x` that `y` does not cover, comma-separated; their count. */
static size_t uncovered(struct al_buf *out, const char *const *x, size_t nx, const char *const *y,
                        size_t ny, enum al_env_matching m)
{
    size_t n = 0;
    for (size_t i = 0; i < nx; i++)
        if (!covered(x[i], y, ny, m))
            al_buf_printf(out, "%s\"%s\"", n++ ? ", " : "", x[i]);
    return n;
}

static void env_list(struct al_buf *out, const struct al_auth *a)
{
    for (size_t i = 0; i < a->n_env; i++)
        al_buf_printf(out, "%s\"%s\"", i ? ", " : "", a->environments[i]);
}

/* Both lists restrict: a pattern added that the old list does not cover
 * lets more environments in; one removed that the new list does not cover
 * keeps some out. Patterns added or removed under a broader one change
 * nothing. */
static void compare_env_lists(const struct al_auth *b, const struct al_auth *a,
                              enum al_env_matching m, struct al_arena *arena,
                              struct al_diff_item *it)
{
    struct al_buf added = AL_BUF_INIT, removed = AL_BUF_INIT, t = AL_BUF_INIT;
    size_t n_add = uncovered(&added, a->environments, a->n_env, b->environments, b->n_env, m);
    size_t n_rm = uncovered(&removed, b->environments, b->n_env, a->environments, a->n_env, m);
    enum al_diff_effect e = (n_add ? AL_EFFECT_WIDENED : 0) | (n_rm ? AL_EFFECT_NARROWED : 0);
    if (n_add)
        al_buf_printf(&t, "environment%s %s added", n_add > 1 ? "s" : "", al_buf_cstr(&added));
    if (n_rm)
        al_buf_printf(&t, "%senvironment%s %s removed", n_add ? "; " : "", n_rm > 1 ? "s" : "",
                      al_buf_cstr(&removed));
    if (!n_add && !n_rm)
        al_buf_puts(&t, "environments rewritten, matching the same names");
    al_buf_puts(&t, ": now ");
    env_list(&t, a);
    reason(it, "environments", e, arena_buf(arena, &t));
    al_buf_free(&added);
    al_buf_free(&removed);
}

static bool same_envs(const struct al_auth *b, const struct al_auth *a)
{
    if (b->restricts_env != a->restricts_env || b->n_env != a->n_env)
        return false;
    for (size_t i = 0; i < b->n_env; i++)
        if (strcmp(b->environments[i], a->environments[i]) != 0)
            return false;
    return true;
}

/* An absent or empty list is no restriction at all: the first pattern
 * narrows, removing the last one widens to every environment. */
static void compare_envs(const struct al_auth *b, const struct al_auth *a, enum al_env_matching m,
                         struct al_arena *arena, struct al_diff_item *it)
{
    if (same_envs(b, a))
        return;
    struct al_buf t = AL_BUF_INIT;
    if (!b->restricts_env) {
        al_buf_puts(&t, "environments restricted to ");
        env_list(&t, a);
        al_buf_puts(&t, " (was any environment; jobs without one lose access)");
        reason(it, "environments", AL_EFFECT_NARROWED, arena_buf(arena, &t));
    } else if (!a->restricts_env) {
        al_buf_puts(&t, "environments no longer restricted (was ");
        env_list(&t, b);
        al_buf_puts(&t, "): every environment, and jobs without one, get access");
        reason(it, "environments", AL_EFFECT_WIDENED, arena_buf(arena, &t));
    } else {
        al_buf_free(&t);
        compare_env_lists(b, a, m, arena, it);
    }
}

/* ---- the rest ---- */

static void compare_protected(const struct al_auth *b, const struct al_auth *a, bool flag_era,
                              struct al_diff_item *it)
{
    if (b->protected_branches_only == a->protected_branches_only)
        return;
    if (flag_era)
        reason(it, "protected_branches_only", AL_EFFECT_NEUTRAL,
               a->protected_branches_only
                   ? "protected_branches_only set, but this GitLab version enforces it only "
                     "behind the feature flag kubernetes_agent_protected_branches (off by "
                     "default)"
                   : "protected_branches_only dropped; this GitLab version enforced it only "
                     "behind the feature flag kubernetes_agent_protected_branches (off by "
                     "default)");
    else if (a->protected_branches_only)
        reason(it, "protected_branches_only", AL_EFFECT_NARROWED,
               "protected_branches_only set: only pipelines for protected branches and tags "
               "keep access");
    else
        reason(it, "protected_branches_only", AL_EFFECT_WIDENED,
               "protected_branches_only dropped: pipelines for unprotected branches and merge "
               "requests get access too");
}

static void compare_namespace(const struct al_auth *b, const struct al_auth *a,
                              struct al_arena *arena, struct al_diff_item *it)
{
    if (str_eq(b->default_namespace, a->default_namespace))
        return;
    struct al_buf t = AL_BUF_INIT;
    al_buf_printf(&t,
                  "default_namespace %s instead of %s: only the kubeconfig context's default, "
                  "not a boundary",
                  or_none(a->default_namespace), or_none(b->default_namespace));
    reason(it, "default_namespace", AL_EFFECT_NEUTRAL, arena_buf(arena, &t));
}

static bool resource_management(const struct al_auth *a)
{
    return a->entry && a->entry->resource_management;
}

static void compare_resources(const struct al_auth *b, const struct al_auth *a,
                              struct al_diff_item *it)
{
    if (resource_management(b) == resource_management(a))
        return;
    if (resource_management(a))
        reason(it, "resource_management", AL_EFFECT_WIDENED,
               "resource_management enabled: GitLab may have the agent create and manage "
               "Kubernetes resources for the jobs' environments");
    else
        reason(it, "resource_management", AL_EFFECT_NARROWED,
               "resource_management disabled: GitLab no longer has the agent manage resources "
               "for the jobs' environments");
}

void al_diff_compare(const struct al_auth *before, const struct al_auth *after,
                     enum al_env_matching matching, bool protected_flag_era, struct al_arena *arena,
                     struct al_diff_item *item)
{
    compare_access_as(before, after, arena, item);
    compare_envs(before, after, matching, arena, item);
    compare_protected(before, after, protected_flag_era, item);
    compare_resources(before, after, item);
    compare_namespace(before, after, arena, item);
    compare_id(before, after, arena, item);
}

const char *al_diff_change_name(enum al_diff_change c)
{
    return c == AL_DIFF_ADDED ? "added" : c == AL_DIFF_REMOVED ? "removed" : "changed";
}

const char *al_diff_effect_name(enum al_diff_effect e)
{
    static const char *const names[] = {"neutral", "narrowed", "widened", "mixed"};
    return names[e & 3];
}
