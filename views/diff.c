/* al_diff_build: BASE and HEAD's access models, agent by agent. Each side
 * is first reduced to the authorizations GitLab has in force at that
 * revision (a rejected HEAD keeps BASE's, a missing config.yaml keeps only
 * the implicit one), then entries are paired and classified
 * (diff_classify.c). An entry added or removed is judged against the entry
 * that governs the same jobs on the other side, because GitLab uses the
 * most specific entry whole: a project entry added under a broader group
 * entry changes those jobs from the group's terms to its own. */
#include "common/alloc.h"
#include "views/diff.h"
#include "access/decide.h"
#include "model/paths.h"
#include "common/buf.h"
#include "checks/rules.h"

#include <stdlib.h>
#include <string.h>

/* The authorizations in force for one agent at one revision. */
struct side {
    const struct al_auth **auths;
    size_t n;
};

struct pair {
    const struct al_access_agent *base, *head;
};

static const char *arena_buf(struct al_arena *a, struct al_buf *b)
{
    const char *s = al_arena_strdup(a, al_buf_cstr(b));
    al_buf_free(b);
    return s;
}

/* ---- sides ---- */

static void side_add(struct side *s, const struct al_access_agent *ag, bool implicit, bool rest)
{
    for (size_t i = 0; ag && i < ag->n_auths; i++) {
        const struct al_auth *a = &ag->auths[i];
        bool is_implicit = a->scope == AL_SCOPE_IMPLICIT;
        if (a->effective && (is_implicit ? implicit : rest))
            s->auths[s->n++] = a;
    }
}

static void side_alloc(struct side *s, struct al_arena *arena, const struct pair *p)
{
    size_t n = (p->base ? p->base->n_auths : 0) + (p->head ? p->head->n_auths : 0);
    s->auths = al_arena_alloc(arena, (n ? n : 1) * sizeof(*s->auths));
    s->n = 0;
}

static struct side base_side(struct al_arena *arena, const struct pair *p)
{
    struct side s;
    side_alloc(&s, arena, p);
    side_add(&s, p->base, true, true);
    return s;
}

/* What GitLab has in force after HEAD. The implicit authorization belongs
 * to the agent's registration, not to its file: it stays when the
 * directory goes (the agent is still registered) and comes with a new
 * agent even when its file is rejected. */
static struct side head_side(struct al_arena *arena, const struct pair *p)
{
    struct side s;
    side_alloc(&s, arena, p);
    if (!p->head) {
        side_add(&s, p->base, true, false);
    } else if (p->head->rejected) {
        side_add(&s, p->head, true, false);
        side_add(&s, p->base, false, true);
    } else {
        side_add(&s, p->head, true, true);
    }
    return s;
}

static bool same_key(const struct al_auth *a, const struct al_auth *b)
{
    if (a->section != b->section || a->scope != b->scope)
        return false;
    if (a->scope == AL_SCOPE_INSTANCE)
        return true;
    return a->key && b->key && al_path_eq(a->key, b->key);
}

static const struct al_auth *side_find(const struct side *s, const struct al_auth *x)
{
    for (size_t i = 0; i < s->n; i++)
        if (same_key(s->auths[i], x))
            return s->auths[i];
    return NULL;
}

/* GitLab's Finder (access/decide.c al_access_find) over one side: the
 * entry that governs the jobs `x` covers when `x` itself is not there.
 * For a project: the implicit authorization if it is the agent's own
 * project, else the nearest group containing it, else instance; for a
 * group: the nearest group containing it, else instance. */
static const struct al_auth *side_fallback(const struct side *s, const struct al_auth *x)
{
    if (x->section != AL_CI_ACCESS || !x->key ||
        (x->scope != AL_SCOPE_PROJECT && x->scope != AL_SCOPE_GROUP))
        return NULL;
    const struct al_auth *impl = NULL, *group = NULL, *inst = NULL;
    for (size_t i = 0; i < s->n; i++) {
        const struct al_auth *o = s->auths[i];
        if (o->section != AL_CI_ACCESS)
            continue;
        if (o->scope == AL_SCOPE_IMPLICIT && x->scope == AL_SCOPE_PROJECT &&
            al_path_eq(o->key, x->key))
            impl = o;
        else if (o->scope == AL_SCOPE_GROUP && al_path_within(x->key, o->key) &&
                 (!group || al_path_depth(o->key) > al_path_depth(group->key)))
            group = o;
        else if (o->scope == AL_SCOPE_INSTANCE)
            inst = o;
    }
    return impl ? impl : group ? group : inst;
}

/* The same entry written in an agent's file but not in force, for saying
 * why it appears or disappears. */
static const struct al_auth *dropped_twin(const struct al_access_agent *ag, const struct al_auth *x)
{
    for (size_t i = 0; ag && i < ag->n_auths; i++)
        if (!ag->auths[i].effective && same_key(&ag->auths[i], x))
            return &ag->auths[i];
    return NULL;
}

/* ---- wording ---- */

static void describe(struct al_buf *b, const struct al_auth *a)
{
    if (a->scope == AL_SCOPE_IMPLICIT)
        al_buf_printf(b, "the implicit authorization of %s", a->id);
    else if (a->scope == AL_SCOPE_INSTANCE)
        al_buf_printf(b, "the instance entry (line %u)", a->line);
    else
        al_buf_printf(b, "%s %s entry %s (line %u)", al_section_name(a->section),
                      al_scope_name(a->scope), a->id, a->line);
}

/* Who an authorization lets in. */
static void who(struct al_buf *b, const struct al_auth *a)
{
    const char *users = a->section == AL_USER_ACCESS ? "members of" : "CI/CD jobs of";
    switch (a->scope) {
    case AL_SCOPE_IMPLICIT:
        al_buf_printf(b, "CI/CD jobs of the agent's own project %s", a->id);
        break;
    case AL_SCOPE_INSTANCE:
        al_buf_puts(b, "CI/CD jobs of every project of the instance");
        break;
    case AL_SCOPE_GROUP:
        if (a->section == AL_USER_ACCESS)
            al_buf_printf(b, "members of %s and of its subgroups and projects", a->id);
        else
            al_buf_printf(b, "CI/CD jobs of every project under %s", a->id);
        break;
    default:
        al_buf_printf(b, "%s %s", users, a->id);
    }
}

static void add_reason(struct al_diff_item *it, const char *field, enum al_diff_effect e,
                       const char *text)
{
    if (it->n_reasons == AL_DIFF_MAX_REASONS)
        return;
    /* The entry's own reason comes first: the field reasons explain it. */
    memmove(&it->reasons[1], &it->reasons[0], it->n_reasons * sizeof(it->reasons[0]));
    it->reasons[0] = (struct al_diff_reason){field, e, text};
    it->n_reasons++;
    it->effect = (enum al_diff_effect)(it->effect | e);
}

/* ---- items ---- */

struct build {
    struct al_diff *d;
    const struct pair *p;
    struct al_diff_agent *agent;
    const char *cause; /* why HEAD has no entries from the file, or NULL */
};

static struct al_diff_item *new_item(struct build *B, enum al_diff_change c,
                                     const struct al_auth *x)
{
    struct al_diff *d = B->d;
    d->items = al_grow(d->items, &d->cap_items, d->n_items + 1, sizeof(*d->items));
    struct al_diff_item *it = &d->items[d->n_items++];
    memset(it, 0, sizeof(*it));
    it->change = c;
    it->agent = B->agent->name;
    it->section = x->section;
    it->scope = x->scope;
    it->id = x->id;
    it->base_rejected = B->agent->base_rejected;
    B->agent->n_changes++;
    return it;
}

static void finish_item(struct build *B, struct al_diff_item *it)
{
    B->agent->effect = (enum al_diff_effect)(B->agent->effect | it->effect);
    B->d->effect = (enum al_diff_effect)(B->d->effect | it->effect);
}

static void added(struct build *B, const struct side *base, const struct al_auth *x)
{
    struct al_diff_item *it = new_item(B, AL_DIFF_ADDED, x);
    it->after = x;
    it->replaces = side_fallback(base, x);
    struct al_buf t = AL_BUF_INIT;
    who(&t, x);
    if (it->replaces) {
        al_diff_compare(it->replaces, x, B->d->matching, B->d->protected_flag_era, &B->d->arena,
                        it);
        al_buf_puts(&t, " were governed by ");
        describe(&t, it->replaces);
        al_buf_puts(&t, it->n_reasons ? "; this entry replaces it for them, used whole"
                                      : "; this entry grants them the same");
    } else {
        al_buf_puts(&t, " can use the agent");
    }
    const struct al_auth *twin = dropped_twin(B->p->base, x);
    if (twin)
        al_buf_printf(&t, " (written at BASE too, but not in force there: %s)", twin->why);
    add_reason(it, "entry", it->replaces ? AL_EFFECT_NEUTRAL : AL_EFFECT_WIDENED,
               arena_buf(&B->d->arena, &t));
    finish_item(B, it);
}

static void removed(struct build *B, const struct side *head, const struct al_auth *x)
{
    struct al_diff_item *it = new_item(B, AL_DIFF_REMOVED, x);
    it->before = x;
    it->replaces = side_fallback(head, x);
    struct al_buf t = AL_BUF_INIT;
    const struct al_auth *twin = B->cause ? NULL : dropped_twin(B->p->head, x);
    if (it->replaces) {
        al_diff_compare(x, it->replaces, B->d->matching, B->d->protected_flag_era, &B->d->arena,
                        it);
        who(&t, x);
        al_buf_puts(&t, " fall back to ");
        describe(&t, it->replaces);
        al_buf_puts(&t, it->n_reasons ? ", used whole" : ", which grants them the same");
    } else {
        who(&t, x);
        al_buf_puts(&t, " can no longer use the agent");
    }
    if (B->cause)
        al_buf_printf(&t, " (%s)", B->cause);
    else if (twin)
        al_buf_printf(&t, " (still written, %s, but not in force: %s)", twin->label, twin->why);
    add_reason(it, "entry", it->replaces ? AL_EFFECT_NEUTRAL : AL_EFFECT_NARROWED,
               arena_buf(&B->d->arena, &t));
    finish_item(B, it);
}

static void changed(struct build *B, const struct al_auth *b, const struct al_auth *a)
{
    struct al_diff_item probe;
    memset(&probe, 0, sizeof(probe));
    al_diff_compare(b, a, B->d->matching, B->d->protected_flag_era, &B->d->arena, &probe);
    if (!probe.n_reasons)
        return;
    struct al_diff_item *it = new_item(B, AL_DIFF_CHANGED, a);
    it->before = b;
    it->after = a;
    it->effect = probe.effect;
    memcpy(it->reasons, probe.reasons, sizeof(probe.reasons));
    it->n_reasons = probe.n_reasons;
    finish_item(B, it);
}

/* ---- agents ---- */

static const char *cause_of(const struct al_diff_agent *da)
{
    if (da->head_rejected)
        return NULL;
    if (da->state == AL_DIFF_AGENT_REMOVED)
        return "the agent's directory is removed: GitLab reads the missing config.yaml as an "
               "empty configuration and deletes the agent's authorizations";
    if (da->head_missing)
        return "config.yaml is deleted: GitLab reads a missing file as an empty configuration "
               "and deletes the agent's authorizations";
    if (da->head_empty)
        return "config.yaml is empty: GitLab deletes all of the agent's authorizations";
    return NULL;
}

/* HEAD's errors that make GitLab refuse the file. */
static void collect_errors(struct al_diff *d, const struct al_report *r, struct al_diff_agent *da)
{
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < r->findings.n; i++) {
            const struct al_finding *f = &r->findings.items[i];
            const struct al_rule *rule = al_rule_find(f->rule);
            if (f->severity != AL_SEV_ERROR || !rule || !rule->rejects ||
                strcmp(f->path, da->path) != 0)
                continue;
            if (pass)
                da->errors[da->n_errors++] = f;
            else
                n++;
        }
        if (!pass)
            da->errors = al_arena_alloc(&d->arena, (n ? n : 1) * sizeof(*da->errors));
    }
}

static void agent_state(struct al_diff *d, const struct pair *p, const struct al_report *head,
                        struct al_diff_agent *da)
{
    const struct al_access_agent *any = p->head ? p->head : p->base;
    da->name = any->name ? any->name : any->path;
    da->path = any->path;
    da->state = !p->base   ? AL_DIFF_AGENT_ADDED
                : !p->head ? AL_DIFF_AGENT_REMOVED
                           : AL_DIFF_AGENT_KEPT;
    da->base_rejected = p->base && p->base->rejected;
    da->head_rejected = p->head && p->head->rejected;
    const struct al_agent *src = p->head ? p->head->source : NULL;
    da->head_missing = !src || !src->file;
    da->head_empty = src && src->file && !da->head_rejected && src->empty;
    if (da->head_rejected)
        collect_errors(d, head, da);
}

static int scope_rank(enum al_scope s)
{
    static const int rank[] = {[AL_SCOPE_IMPLICIT] = 0,
                               [AL_SCOPE_PROJECT] = 1,
                               [AL_SCOPE_GROUP] = 2,
                               [AL_SCOPE_INSTANCE] = 3};
    return rank[s];
}

static int item_cmp(const void *x, const void *y)
{
    const struct al_diff_item *a = x, *b = y;
    if (a->section != b->section)
        return a->section < b->section ? -1 : 1;
    if (a->scope != b->scope)
        return scope_rank(a->scope) < scope_rank(b->scope) ? -1 : 1;
    int c = strcmp(a->id ? a->id : "", b->id ? b->id : "");
    if (c)
        return c;
    return a->change < b->change ? -1 : a->change > b->change;
}

static bool registrable(const struct al_access_agent *a)
{
    return a->name && al_agent_name_valid(a->name);
}

static void diff_agent(struct al_diff *d, const struct pair *p, const struct al_report *head,
                       struct al_diff_agent *da)
{
    agent_state(d, p, head, da);
    if (!registrable(p->head ? p->head : p->base)) {
        /* Never read, so never rejected either: nothing to say but that. */
        da->unregistrable = true;
        da->head_rejected = da->base_rejected = false;
        da->n_errors = 0;
        return;
    }
    struct build B = {d, p, da, cause_of(da)};
    struct side bs = base_side(&d->arena, p), hs = head_side(&d->arena, p);
    size_t first = d->n_items;
    for (size_t i = 0; i < bs.n; i++) {
        const struct al_auth *h = side_find(&hs, bs.auths[i]);
        if (!h)
            removed(&B, &hs, bs.auths[i]);
        else if (h != bs.auths[i])
            changed(&B, bs.auths[i], h);
    }
    for (size_t i = 0; i < hs.n; i++)
        if (!side_find(&bs, hs.auths[i]))
            added(&B, &bs, hs.auths[i]);
    if (d->n_items > first) /* items is NULL until the first change */
        al_qsort(d->items + first, d->n_items - first, sizeof(*d->items), item_cmp);
}

/* ---- both models ---- */

static const char *agent_key(const struct al_access_agent *a)
{
    return a->name ? a->name : a->path;
}

static const struct al_access_agent *find_agent(const struct al_access *m, const char *key)
{
    for (size_t i = 0; i < m->n_agents; i++)
        if (strcmp(agent_key(m->agents[i]), key) == 0)
            return m->agents[i];
    return NULL;
}

static int pair_cmp(const void *x, const void *y)
{
    const struct pair *a = x, *b = y;
    return strcmp(agent_key(a->head ? a->head : a->base), agent_key(b->head ? b->head : b->base));
}

/* Every agent of either model, by name. */
static struct pair *pairs_of(const struct al_access *bm, const struct al_access *hm, size_t *n)
{
    struct pair *p = al_calloc(bm->n_agents + hm->n_agents + 1, sizeof(*p));
    *n = 0;
    for (size_t i = 0; i < hm->n_agents; i++)
        p[(*n)++] = (struct pair){find_agent(bm, agent_key(hm->agents[i])), hm->agents[i]};
    for (size_t i = 0; i < bm->n_agents; i++)
        if (!find_agent(hm, agent_key(bm->agents[i])))
            p[(*n)++] = (struct pair){bm->agents[i], NULL};
    al_qsort(p, *n, sizeof(*p), pair_cmp);
    return p;
}

int al_diff_build(const struct al_diff_side *base, const struct al_diff_side *head,
                  enum al_env_matching matching, struct al_diff *out)
{
    memset(out, 0, sizeof(*out));
    out->matching = matching;
    out->protected_flag_era = al_access_protected_flag_era(head->model->opts.gitlab_version);
    size_t n;
    struct pair *pairs = pairs_of(base->model, head->model, &n);
    out->agents = al_calloc(n ? n : 1, sizeof(*out->agents));
    out->n_agents = n;
    for (size_t i = 0; i < n; i++)
        diff_agent(out, &pairs[i], head->report, &out->agents[i]);
    free(pairs);
    return 0;
}

void al_diff_free(struct al_diff *d)
{
    free(d->agents);
    free(d->items);
    al_arena_free(&d->arena);
    memset(d, 0, sizeof(*d));
}
