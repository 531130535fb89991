/* Parsing the policy section (validator/policy.h). Presets are data: a
 * requirement as if written in the file. Every error names the line and
 * what would be right. */
#include "checks/policy.h"
#include "model/config.h"
#include "checks/settings.h"
#include "common/alloc.h"
#include "common/error.h"

#include <stdlib.h>
#include <string.h>

#define AS(x) (1u << (x))

static const struct al_policy_req PRESETS[] = {
    {.preset = "production",
     .access_as = AS(AL_AS_CI_JOB) | AS(AL_AS_USER),
     .protected_branches_only = true,
     .environments_required = true},
};

const char al_policy_presets[] = "production";

static const struct {
    const char *name;
    enum al_access_as as;
} KINDS[] = {{"agent", AL_AS_AGENT},
             {"ci_job", AL_AS_CI_JOB},
             {"impersonate", AL_AS_IMPERSONATE},
             {"user", AL_AS_USER}};

static int bad(const char *origin, const struct al_ynode *n, const char *what)
{
    return al_error_set("%s:%u: policy: %s", origin, n ? n->pos.line : 1, what);
}

static int preset(const char *origin, const struct al_ynode *v, struct al_policy_req *r)
{
    for (size_t i = 0; i < sizeof PRESETS / sizeof PRESETS[0]; i++) {
        if (v->kind == AL_YSTR && strcmp(v->str, PRESETS[i].preset) == 0) {
            const char *agents = r->agents;
            unsigned line = r->line;
            *r = PRESETS[i];
            r->agents = agents;
            r->line = line;
            return 0;
        }
    }
    return al_error_set("%s:%u: policy: unknown preset%s%s%s (the presets are: %s)", origin,
                        v->pos.line, v->kind == AL_YSTR ? " '" : "",
                        v->kind == AL_YSTR ? v->str : "", v->kind == AL_YSTR ? "'" : "",
                        al_policy_presets);
}

static int globs(const char *origin, const struct al_ynode *v, const char *key,
                 struct al_policy_globs *g)
{
    if (v->kind != AL_YSEQ) {
        al_error_set("%s:%u: policy: %s must be a list of globs (use [] to allow none)", origin,
                     v->pos.line, key);
        return AL_ERR;
    }
    g->items = al_calloc(v->n + 1, sizeof(char *));
    g->set = true;
    for (size_t i = 0; i < v->n; i++) {
        if (v->items[i]->kind != AL_YSTR || !*v->items[i]->str) {
            al_error_set("%s:%u: policy: each item of %s must be a non-empty string", origin,
                         v->items[i]->pos.line, key);
            return AL_ERR;
        }
        g->items[g->n++] = v->items[i]->str;
    }
    return 0;
}

static int access_as(const char *origin, const struct al_ynode *v, unsigned *bits)
{
    if (v->kind != AL_YSEQ || !v->n)
        return bad(origin, v,
                   "access_as must be a non-empty list of agent, ci_job, impersonate, "
                   "user");
    for (size_t i = 0; i < v->n; i++) {
        const struct al_ynode *k = v->items[i];
        size_t j = 0;
        while (j < sizeof KINDS / sizeof KINDS[0] &&
               !(k->kind == AL_YSTR && strcmp(k->str, KINDS[j].name) == 0))
            j++;
        if (j == sizeof KINDS / sizeof KINDS[0])
            return bad(origin, k, "access_as items must be agent, ci_job, impersonate or user");
        *bits |= AS(KINDS[j].as);
    }
    return 0;
}

static int flag(const char *origin, const struct al_ynode *v, const char *key, bool *out)
{
    if (v->kind != AL_YBOOL) {
        al_error_set("%s:%u: policy: %s must be true or false", origin, v->pos.line, key);
        return AL_ERR;
    }
    *out = v->v.b;
    return 0;
}

static int field(const char *origin, const struct al_ypair *p, struct al_policy_req *r)
{
    const struct al_ynode *v = p->val;
    const char *k = p->name;
    if (strcmp(k, "access_as") == 0)
        return access_as(origin, v, &r->access_as);
    if (strcmp(k, "protected_branches_only") == 0)
        return flag(origin, v, k, &r->protected_branches_only);
    if (strcmp(k, "environments_required") == 0)
        return flag(origin, v, k, &r->environments_required);
    if (strcmp(k, "environments") == 0)
        return globs(origin, v, k, &r->environments);
    if (strcmp(k, "groups") == 0)
        return globs(origin, v, k, &r->groups);
    if (strcmp(k, "projects") == 0)
        return globs(origin, v, k, &r->projects);
    if (strcmp(k, "default_namespaces") == 0)
        return globs(origin, v, k, &r->namespaces);
    if (strcmp(k, "impersonate") == 0)
        return globs(origin, v, k, &r->identities);
    al_error_set("%s:%u: policy: unknown requirement '%s' (expected access_as, "
                 "protected_branches_only, environments_required, environments, groups, "
                 "projects, default_namespaces, impersonate)",
                 origin, p->key->pos.line, k);
    return AL_ERR;
}

/* A preset's name, or a mapping of requirements. */
static int requirement(const char *origin, const struct al_ynode *v, struct al_policy_req *r)
{
    if (v->kind == AL_YSTR)
        return preset(origin, v, r);
    if (v->kind != AL_YMAP)
        return bad(origin, v, "an agent's requirements must be a preset name or a mapping");
    for (size_t i = 0; i < v->n; i++)
        if (field(origin, &v->pairs[i], r) < 0)
            return AL_ERR;
    return 0;
}

static struct al_policy_req *add(struct al_policy *p, size_t *cap, const char *agents,
                                 unsigned line)
{
    p->reqs = al_grow(p->reqs, cap, p->n + 1, sizeof(*p->reqs));
    struct al_policy_req *r = &p->reqs[p->n++];
    memset(r, 0, sizeof(*r));
    r->agents = agents;
    r->line = line;
    return r;
}

static int agents(const char *origin, const struct al_ynode *v, struct al_policy *p, size_t *cap)
{
    if (v->kind != AL_YMAP)
        return bad(origin, v, "agents must map agent-name globs to a preset or requirements");
    for (size_t i = 0; i < v->n; i++) {
        const struct al_ypair *a = &v->pairs[i];
        if (requirement(origin, a->val, add(p, cap, a->name, a->key->pos.line)) < 0)
            return AL_ERR;
    }
    return 0;
}

int al_policy_parse(const struct al_ynode *n, const char *origin, struct al_policy *out)
{
    memset(out, 0, sizeof(*out));
    if (n->kind == AL_YNULL)
        return 0;
    if (n->kind != AL_YMAP)
        return bad(origin, n, "policy must be a mapping with preset and/or agents");
    size_t cap = 0;
    const struct al_ypair *all = NULL;
    for (size_t i = 0; i < n->n; i++) {
        const struct al_ypair *p = &n->pairs[i];
        if (strcmp(p->name, "agents") == 0) {
            if (agents(origin, p->val, out, &cap) < 0)
                return AL_ERR;
        } else if (strcmp(p->name, "preset") == 0) {
            all = p;
        } else {
            al_error_set("%s:%u: policy: unknown key '%s' (expected preset, agents)", origin,
                         p->key->pos.line, p->name);
            return AL_ERR;
        }
    }
    /* Last, so that every agent glob comes first. */
    if (all && preset(origin, all->val, add(out, &cap, "*", all->key->pos.line)) < 0)
        return AL_ERR;
    return 0;
}

void al_policy_free(struct al_policy *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->reqs[i].environments.items);
        free(p->reqs[i].groups.items);
        free(p->reqs[i].projects.items);
        free(p->reqs[i].namespaces.items);
        free(p->reqs[i].identities.items);
    }
    free(p->reqs);
    memset(p, 0, sizeof(*p));
}

const struct al_policy_req *al_policy_for(const struct al_policy *p, const char *agent)
{
    for (size_t i = 0; agent && p && i < p->n; i++)
        if (al_glob_match(p->reqs[i].agents, agent))
            return &p->reqs[i];
    return NULL;
}
