/* placeholder: a value copied from an example and never filled in. GitLab
 * uses every value as written: it expands no variables in config.yaml, and
 * <...>, your-..., example.com or the documentation's sample globs mean
 * nothing to it. Ids are id-format's, environments patterns env-pattern's;
 * this rule looks at every other string value, and at a gitops paths: left
 * without its globs. Linear in the document. */
#include "checks/rules.h"
#include "checks/rules/util.h"
#include "common/alloc.h"
#include "common/str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The characters every test below needs at least one of: most values (names,
 * namespaces, booleans as text) have none of them and are passed over in one
 * scan. */
static bool worth_a_look(const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<':
        case '$':
        case '.':
        case '/':
        case 'y':
        case 'Y':
            return true;
        default:
            break;
        }
    return false;
}

/* Why `s` looks unfilled, or NULL. */
static const char *why(const char *s)
{
    if (!worth_a_look(s))
        return NULL;
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

/* The key path is kept as a stack of steps and spelled out only for a
 * finding: most documents have none, and formatting a path for every node
 * of a 500-entry list cost more than parsing it. */
struct step {
    const char *name; /* a mapping key, or NULL for a list index */
    size_t index;
};

enum { MAX_STEPS = AL_YAML_MAX_DEPTH + 1 };

struct walk {
    const struct al_agent *agent;
    struct al_findings *out;
    struct step steps[MAX_STEPS];
    size_t depth;
};

static void spell_path(const struct walk *w, struct al_buf *b)
{
    for (size_t i = 0; i < w->depth; i++) {
        if (w->steps[i].name)
            al_buf_printf(b, "%s%s", b->len ? "." : "", w->steps[i].name);
        else
            al_buf_printf(b, "[%zu]", w->steps[i].index);
    }
}

static void visit(struct walk *w, const struct al_ynode *n);

static void visit_scalar(struct walk *w, const struct al_ynode *n)
{
    if (n->kind != AL_YSTR || !*n->str)
        return;
    const char *reason = why(n->str);
    if (!reason)
        return;
    struct al_buf kp = AL_BUF_INIT;
    spell_path(w, &kp);
    al_rule_report(w->out, w->agent, "placeholder", n->pos, al_buf_cstr(&kp), n->str, "\"%s\" %s",
                   n->str, reason);
    al_buf_free(&kp);
}

static void step_into(struct walk *w, const char *name, size_t index, const struct al_ynode *n)
{
    if (w->depth >= MAX_STEPS)
        return;
    w->steps[w->depth++] = (struct step){name, index};
    visit(w, n);
    w->depth--;
}

static void visit(struct walk *w, const struct al_ynode *n)
{
    if (n->kind == AL_YMAP) {
        for (size_t i = 0; i < n->n; i++) {
            const struct al_ypair *p = &n->pairs[i];
            /* Ids and environments patterns have rules of their own. */
            if (strcmp(p->name, "id") == 0 || strcmp(p->name, "environments") == 0)
                continue;
            step_into(w, p->name, 0, p->val);
        }
    } else if (n->kind == AL_YSEQ) {
        for (size_t i = 0; i < n->n; i++)
            step_into(w, NULL, i, n->items[i]);
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
    struct walk *w = al_calloc(1, sizeof(*w));
    w->agent = a;
    w->out = out;
    visit(w, a->doc->root);
    free(w);
    check_empty_paths(a, out);
}
