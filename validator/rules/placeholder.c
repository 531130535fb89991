/* placeholder: a value copied from an example and never filled in. GitLab
 * uses every value as written: it expands no variables in config.yaml, and
 * <...>, your-..., example.com or the documentation's sample globs mean
 * nothing to it. Ids are id-format's, environments patterns env-pattern's;
 * this rule looks at every other string value, and at a gitops paths: left
 * without its globs. Linear in the document. */
#include "validator/rules.h"
#include "validator/rules/util.h"
#include "common/str.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Globs of the gitops example in GitLab's documentation. */
static const char *const DOCS_GLOBS[] = {"/team1/app1/*.yaml", "/team2/apps/**/*.yaml", NULL};
/* Domains reserved for examples (RFC 2606, and the docs' workspaces zone). */
static const char *const EXAMPLE_DOMAINS[] = {"example.com", "example.org", "example.net",
                                              "example.dev", NULL};

static bool angle_placeholder(const char *s)
{
    const char *lt = strchr(s, '<');
    return lt && lt[1] && lt[1] != '>' && strchr(lt + 1, '>');
}

/* $VAR or ${VAR}: a CI/CD or shell variable. */
static bool variable(const char *s)
{
    for (const char *p = strchr(s, '$'); p; p = strchr(p + 1, '$'))
        if (p[1] == '{' || p[1] == '_' || isalpha((unsigned char)p[1]))
            return true;
    return false;
}

/* your-domain, YOUR_NAMESPACE, at the start of the value or of a segment. */
static bool your_word(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (p != s && !strchr("/.:-_ ", p[-1]))
            continue;
        if (strncasecmp(p, "your", 4) == 0 && p[4] && strchr("-_.", p[4]))
            return true;
    }
    return false;
}

static bool example_domain(const char *s)
{
    for (const char *const *d = EXAMPLE_DOMAINS; *d; d++) {
        size_t n = strlen(s), k = strlen(*d);
        if (n >= k && strcasecmp(s + n - k, *d) == 0 && (n == k || s[n - k - 1] == '.'))
            return true;
    }
    return false;
}

/* Why `s` looks unfilled, or NULL. */
static const char *why(const char *s)
{
    if (al_str_in(s, DOCS_GLOBS))
        return "is a glob of the example in GitLab's documentation; it matches only if your "
               "manifest project has exactly that directory: write the path of your manifests";
    if (angle_placeholder(s))
        return "looks like a placeholder from an example (<...>); GitLab uses it as written: "
               "write the real value";
    if (variable(s))
        return "contains a variable; GitLab expands no variables in config.yaml and uses the "
               "text as written: write the value itself";
    if (your_word(s))
        return "looks like a placeholder from an example (your-...); GitLab uses it as written: "
               "write the real value";
    if (example_domain(s))
        return "is a domain reserved for examples, which cannot be yours: write the real domain";
    return NULL;
}

struct walk {
    const struct al_agent *agent;
    struct al_findings *out;
    struct al_buf path;
};

static void visit(struct walk *w, const struct al_ynode *n);

static void visit_scalar(struct walk *w, const struct al_ynode *n)
{
    if (n->kind != AL_YSTR || !*n->str)
        return;
    const char *reason = why(n->str);
    if (reason)
        al_rule_report(w->out, w->agent, "placeholder", n->pos, al_buf_cstr(&w->path), n->str,
                       "\"%s\" %s", n->str, reason);
}

static void visit_map(struct walk *w, const struct al_ynode *n)
{
    for (size_t i = 0; i < n->n; i++) {
        const struct al_ypair *p = &n->pairs[i];
        /* Ids and environments patterns have rules of their own. */
        if (strcmp(p->name, "id") == 0 || strcmp(p->name, "environments") == 0)
            continue;
        size_t mark = w->path.len;
        al_buf_printf(&w->path, "%s%s", mark ? "." : "", p->name);
        visit(w, p->val);
        w->path.len = mark;
        w->path.ptr[mark] = '\0';
    }
}

static void visit(struct walk *w, const struct al_ynode *n)
{
    if (n->kind == AL_YMAP) {
        visit_map(w, n);
    } else if (n->kind == AL_YSEQ) {
        for (size_t i = 0; i < n->n; i++) {
            size_t mark = w->path.len;
            al_buf_printf(&w->path, "[%zu]", i);
            visit(w, n->items[i]);
            w->path.len = mark;
            w->path.ptr[mark] = '\0';
        }
    } else {
        visit_scalar(w, n);
    }
}

/* gitops.manifest_projects[].paths written with no value: the globs were
 * meant to follow. */
static void check_empty_paths(const struct al_agent *a, struct al_findings *out)
{
    const struct al_ynode *mp =
        al_ymap_get(al_ymap_get(a->doc->root, "gitops"), "manifest_projects");
    for (size_t i = 0; mp && mp->kind == AL_YSEQ && i < mp->n; i++) {
        const struct al_ypair *p = al_ymap_pair(mp->items[i], "paths");
        if (!p || p->val->kind != AL_YNULL)
            continue;
        char kp[64];
        snprintf(kp, sizeof kp, "gitops.manifest_projects[%zu].paths", i);
        al_rule_report(out, a, "placeholder", p->key->pos, kp, NULL,
                       "paths: has no value, so this manifest project lists no manifests (whether "
                       "the agent server then syncs nothing or a default glob is not confirmed): "
                       "list the globs of your manifests under it");
    }
}

void al_rule_placeholder(const struct al_check_ctx *ctx, const struct al_agent *a,
                         struct al_findings *out)
{
    (void)ctx;
    if (!a->doc || !a->doc->root)
        return;
    struct walk w = {a, out, AL_BUF_INIT};
    visit(&w, a->doc->root);
    al_buf_free(&w.path);
    check_empty_paths(a, out);
}
