#include "checks/settings.h"
#include "checks/check.h"
#include "checks/rules.h"
#include "common/alloc.h"
#include "common/error.h"
#include "common/version.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

static const char *str_of(const struct al_ynode *n)
{
    return n && n->kind == AL_YSTR ? n->str : NULL;
}

static int bad(const char *origin, const struct al_ynode *n, const char *what)
{
    return al_error_set("%s:%u: %s", origin, n ? n->pos.line : 1, what);
}

static int parse_rules(struct al_settings *s, const char *origin, const struct al_ynode *rules)
{
    if (rules->kind == AL_YNULL)
        return 0;
    if (rules->kind != AL_YMAP)
        return bad(origin, rules, "rules must map rule ids to off, note, warning or error");
    s->severities = al_calloc(rules->n + 1, sizeof(*s->severities));
    for (size_t i = 0; i < rules->n; i++) {
        const struct al_ypair *p = &rules->pairs[i];
        const struct al_rule *r = al_rule_find(p->name);
        if (!r) {
            al_error_set("%s:%u: unknown rule id '%s' (agentlint rules lists them)", origin,
                         p->key->pos.line, p->name);
            return AL_ERR;
        }
        /* A plain `off` is the boolean false in YAML 1.1. */
        int sev = p->val->kind == AL_YBOOL && !p->val->v.b ? AL_SEV_OFF
                                                           : al_severity_parse(str_of(p->val));
        if (sev == -2)
            return bad(origin, p->val, "a rule's severity must be off, note, warning or error");
        s->severities[s->n_severities].rule = r->id;
        s->severities[s->n_severities].severity = sev;
        s->n_severities++;
    }
    return 0;
}

static int parse_ignore(struct al_settings *s, const char *origin, const struct al_ynode *ig)
{
    if (ig->kind == AL_YNULL)
        return 0;
    if (ig->kind != AL_YSEQ)
        return bad(origin, ig, "ignore must be a list of paths or globs");
    s->ignore = al_calloc(ig->n + 1, sizeof(char *));
    for (size_t i = 0; i < ig->n; i++) {
        if (!str_of(ig->items[i]))
            return bad(origin, ig->items[i], "each ignore entry must be a path or glob string");
        s->ignore[s->n_ignore++] = ig->items[i]->str;
    }
    return 0;
}

int al_settings_parse(const char *data, size_t len, const char *origin, struct al_settings *out)
{
    memset(out, 0, sizeof(*out));
    out->env_matching = -1;
    out->instance_authorization = -1;
    if (len > AL_SETTINGS_MAX_SIZE)
        return al_error_set("%s is %zu bytes; a settings file is at most %d bytes (128 KiB)",
                            origin, len, AL_SETTINGS_MAX_SIZE);
    out->doc = al_yaml_load(data, len);
    const struct al_ynode *root = out->doc->root;
    for (size_t i = 0; i < out->doc->n_issues; i++) {
        const struct al_yissue *is = &out->doc->issues[i];
        if (is->kind != AL_YI_EXTRA_DOCUMENT) {
            al_error_set("%s:%u:%u: %s", origin, is->pos.line, is->pos.col, is->message);
            return AL_ERR;
        }
    }
    if (!root || root->kind == AL_YNULL)
        return 0;
    if (root->kind != AL_YMAP)
        return bad(origin, root, "the file must be a mapping of settings");
    for (size_t i = 0; i < root->n; i++) {
        const struct al_ypair *p = &root->pairs[i];
        const struct al_ynode *v = p->val;
        int rc = 0;
        if (strcmp(p->name, "project_path") == 0) {
            if (!str_of(v))
                rc = bad(origin, v, "project_path must be a full project path like group/project");
            out->project_path = str_of(v);
        } else if (strcmp(p->name, "gitlab_version") == 0) {
            const char *txt = str_of(v);
            char buf[32];
            if (v->kind == AL_YFLOAT || v->kind == AL_YINT) /* gitlab_version: 17.5 unquoted */
                txt = v->str;
            snprintf(buf, sizeof buf, "%s", txt ? txt : "");
            out->gitlab_version = al_version_parse(buf);
            if (out->gitlab_version < 0)
                rc = bad(origin, v, "gitlab_version must look like \"17.5\" (quote it)");
        } else if (strcmp(p->name, "env_matching") == 0) {
            const char *m = str_of(v);
            if (m && strcmp(m, "anchored") == 0)
                out->env_matching = AL_ENV_ANCHORED;
            else if (m && strcmp(m, "legacy") == 0)
                out->env_matching = AL_ENV_LEGACY;
            else
                rc = bad(origin, v, "env_matching must be anchored or legacy");
        } else if (strcmp(p->name, "instance_authorization") == 0) {
            if (v->kind != AL_YBOOL)
                rc = bad(origin, v, "instance_authorization must be true or false");
            else
                out->instance_authorization = v->v.b;
        } else if (strcmp(p->name, "rules") == 0) {
            rc = parse_rules(out, origin, v);
        } else if (strcmp(p->name, "ignore") == 0) {
            rc = parse_ignore(out, origin, v);
        } else if (strcmp(p->name, "policy") == 0) {
            rc = al_policy_parse(v, origin, &out->policy);
        } else {
            al_error_set("%s:%u: unknown setting '%s' (expected project_path, gitlab_version, "
                         "env_matching, instance_authorization, rules, ignore, policy)",
                         origin, p->key->pos.line, p->name);
            rc = AL_ERR;
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

void al_settings_free(struct al_settings *s)
{
    al_ydoc_free(s->doc);
    free(s->severities);
    free(s->ignore);
    al_policy_free(&s->policy);
    memset(s, 0, sizeof(*s));
}

/* Glob tokens: a literal byte, '?', '*' (within a segment) and '**' (with a
 * following '/' taken into it: across segments, or none). */
enum glob_tok { G_LIT, G_ONE, G_STAR, G_DSTAR };

struct glob_token {
    enum glob_tok kind;
    char c;
};

static size_t glob_compile(const char *pat, struct glob_token *t)
{
    size_t n = 0;
    while (*pat) {
        if (pat[0] == '*' && pat[1] == '*') {
            pat += pat[2] == '/' ? 3 : 2;
            t[n++] = (struct glob_token){G_DSTAR, 0};
        } else if (*pat == '*') {
            pat++;
            t[n++] = (struct glob_token){G_STAR, 0};
        } else {
            t[n++] = (struct glob_token){*pat == '?' ? G_ONE : G_LIT, *pat};
            pat++;
        }
    }
    return n;
}

/* Stars also match nothing: a state reaches the states after it. */
static void glob_close(const struct glob_token *t, size_t n, unsigned char *set)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] && (t[i].kind == G_STAR || t[i].kind == G_DSTAR))
            set[i + 1] = 1;
}

/* Every pattern position at once (a set of states), one path byte at a time:
 * time linear in pattern x path, whatever the pattern. Backtracking, as
 * before, took exponential time on patterns like *a*a*a*a*b from a hostile
 * .agentlint.yaml. */
bool al_glob_match(const char *pat, const char *path)
{
    size_t plen = strlen(pat);
    struct glob_token *t = al_calloc(plen + 1, sizeof(*t));
    size_t n = glob_compile(pat, t);
    unsigned char *cur = al_calloc(n + 1, 1), *next = al_calloc(n + 1, 1);
    bool any = true;
    cur[0] = 1;
    glob_close(t, n, cur);
    for (const char *c = path; *c && any; c++) {
        memset(next, 0, n + 1);
        any = false;
        for (size_t i = 0; i < n; i++) {
            if (!cur[i])
                continue;
            bool stay = t[i].kind == G_DSTAR || (t[i].kind == G_STAR && *c != '/');
            bool step = (t[i].kind == G_LIT && t[i].c == *c) || (t[i].kind == G_ONE && *c != '/');
            next[i] |= stay;
            next[i + 1] |= step;
            any = any || stay || step;
        }
        glob_close(t, n, next);
        unsigned char *tmp = cur;
        cur = next, next = tmp;
    }
    bool match = any && cur[n];
    free(t);
    free(cur);
    free(next);
    return match;
}

bool al_settings_ignores(const struct al_settings *s, const char *path)
{
    for (size_t i = 0; s && i < s->n_ignore; i++) {
        const char *g = s->ignore[i];
        size_t n = strlen(g);
        if (al_glob_match(g, path))
            return true;
        /* A directory name ignores everything below it. */
        if (n && strncmp(g, path, n) == 0 && (g[n - 1] == '/' || path[n] == '/'))
            return true;
    }
    return false;
}
