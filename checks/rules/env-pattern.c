/* env-pattern: environments patterns whose meaning surprises.
 *
 * Both of GitLab's matchers compare a pattern without '*' with the
 * environment name by plain equality. With a '*' they differ: the current one
 * matches the whole name, '*' standing for any run of characters and
 * everything else literal; the older one replaced each '*' by '.*' in an
 * unanchored regular expression, so the other metacharacters kept their
 * meaning and "review/" plus a star also matched not-review/x. Which GitLab version
 * changed is unknown (--env-matching chooses; anchored by default).
 *
 * Warned about:
 * - a pattern with '*' and regular-expression metacharacters: its meaning
 *   depends on the matcher, in both modes;
 * - a pattern without '*' with characters no environment name can have
 *   ([, (, +, ?, |, ^, \ ...): it looks like a regular expression but is
 *   compared by equality, so it matches nothing, in both modes;
 * - under legacy matching, a '*' pattern that does not start and end with
 *   '*': unanchored, it matches more than it seems.
 * - `environments:` with no value: no restriction at all.
 * Noted once per list (ci_access.projects, .groups, .instance), naming how
 * many of its entries list environments: jobs without an environment lose
 * access through them. Once per entry said the same thing 500 times on one
 * large real agent.
 *
 * Linear in the patterns. */
#include "checks/rules.h"
#include "checks/rules/util.h"
#include "model/paths.h"

#include <string.h>

/* The contract's list of regular-expression metacharacters. */
static const char METACHARS[] = ".$[(+?{|^\\";

/* Environment names: letters, digits, '_', '$', '{', '}', '.', ' ', '-',
 * and '/' (GitLab's environment_name_regex). */
static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("_${}. -/", c));
}

/* The metacharacters of `p`, each once, into b. */
static size_t list_metachars(const char *p, struct al_buf *b)
{
    size_t n = 0;
    for (const char *m = METACHARS; *m; m++) {
        if (!strchr(p, *m))
            continue;
        al_buf_printf(b, "%s'%c'", n ? " " : "", *m);
        n++;
    }
    return n;
}

/* The characters of `p` that no environment name has, each once, into b. */
static size_t list_non_name_chars(const char *p, struct al_buf *b)
{
    bool seen[256] = {false};
    size_t n = 0;
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '*' || name_char(*p) || seen[c] || c >= 0x80)
            continue;
        seen[c] = true;
        al_buf_printf(b, "%s'%c'", n ? " " : "", c < 0x20 ? '?' : *p);
        n++;
    }
    return n;
}

/* An environment name the legacy matcher accepts and the pattern's author
 * most likely did not mean: text before an unanchored start, after an
 * unanchored end. */
static void legacy_example(const char *p, struct al_buf *b)
{
    if (p[0] != '*')
        al_buf_puts(b, "not-");
    for (const char *c = p; *c; c++)
        al_buf_putc(b, *c == '*' ? 'x' : *c);
    if (p[strlen(p) - 1] != '*')
        al_buf_puts(b, "-old");
}

/* Why pattern `p` surprises, as sentences into `why`; false when it does not. */
static bool explain(const struct al_check_ctx *ctx, const char *p, struct al_buf *why)
{
    bool star = strchr(p, '*') != NULL;
    struct al_buf meta = AL_BUF_INIT, bad = AL_BUF_INIT;
    size_t n_meta = list_metachars(p, &meta);
    if (star && n_meta)
        al_buf_printf(why,
                      "pattern '%s' has the regular-expression metacharacter%s %s: current GitLab "
                      "matches %s literally, older GitLab as a regular expression ('.' is any "
                      "character, '$' an end of line, an unbalanced '[' or '(' an error), so what "
                      "it matches depends on the GitLab version. ",
                      p, n_meta > 1 ? "s" : "", al_buf_cstr(&meta), n_meta > 1 ? "them" : "it");
    else if (!star && list_non_name_chars(p, &bad))
        al_buf_printf(why,
                      "pattern '%s' has characters no environment name can have (%s): without a "
                      "'*', GitLab compares the pattern with the name by equality, so it matches "
                      "no environment. It reads like a regular expression, which GitLab does not "
                      "apply; list the names, or use '*' for any run of characters. ",
                      p, al_buf_cstr(&bad));
    if (star && ctx->env_matching == AL_ENV_LEGACY && !(p[0] == '*' && p[strlen(p) - 1] == '*')) {
        struct al_buf ex = AL_BUF_INIT;
        legacy_example(p, &ex);
        al_buf_printf(why,
                      "Under the older matching (--env-matching legacy) '%s' is an unanchored "
                      "regular expression and matches any environment that merely contains it, "
                      "such as '%s'; with several '*' or a literal part unique to the names you "
                      "mean, it still matches more than it seems. ",
                      p, al_buf_cstr(&ex));
        al_buf_free(&ex);
    }
    al_buf_free(&meta);
    al_buf_free(&bad);
    return why->len > 0;
}

static void check_patterns(const struct al_check_ctx *ctx, const struct al_agent *a,
                           const struct al_entry *e, const struct al_ynode *seq,
                           struct al_findings *out)
{
    struct al_buf why = AL_BUF_INIT, suffix = AL_BUF_INIT;
    for (size_t i = 0; i < seq->n; i++) {
        const struct al_ynode *it = seq->items[i];
        if (it->kind != AL_YSTR || !*it->str)
            continue;
        al_buf_clear(&why);
        if (!explain(ctx, it->str, &why))
            continue;
        why.len -= 2; /* the last sentence's ". " */
        why.ptr[why.len] = '\0';
        al_buf_clear(&suffix);
        al_buf_printf(&suffix, ".environments[%zu]", i);
        struct al_finding *f = al_rule_report_entry(out, a, "env-pattern", e, it->pos,
                                                    al_buf_cstr(&suffix), "%s", al_buf_cstr(&why));
        al_finding_set_value(f, it->str);
    }
    al_buf_free(&why);
    al_buf_free(&suffix);
}

/* The entries of one list that restrict environments: the note's subject. */
struct env_list {
    const struct al_entry *first;
    const struct al_ypair *first_env;
    size_t n;
};

static const char *const LIST_NAMES[] = {[AL_SCOPE_PROJECT] = "projects",
                                         [AL_SCOPE_GROUP] = "groups",
                                         [AL_SCOPE_IMPLICIT] = "implicit",
                                         [AL_SCOPE_INSTANCE] = "instance"};

/* At the list's first such entry; one entry is named, more are counted. */
static void note_no_environment(const struct al_agent *a, const struct env_list *l,
                                struct al_findings *out)
{
    const struct al_entry *e = l->first;
    const char *agent = a->name ? a->name : "(this agent)";
    const char *why = "GitLab keeps an entry with environments only for jobs whose environment "
                      "name matches one of the patterns, and falls back to no other entry";
    struct al_finding *f;
    if (l->n == 1) {
        const char *who = e->scope == AL_SCOPE_INSTANCE ? "the instance's projects"
                          : e->id                       ? e->id
                                                        : "this entry";
        f = al_rule_report_entry(out, a, "env-pattern", e, l->first_env->key->pos, ".environments",
                                 "CI/CD jobs of %s that have no environment: keyword lose access "
                                 "to agent %s: %s",
                                 who, agent, why);
    } else {
        f = al_rule_report_entry(
            out, a, "env-pattern", e, l->first_env->key->pos, ".environments",
            "CI/CD jobs that have no environment: keyword lose access to agent %s through the "
            "%zu entries of ci_access.%s that list environments (this one, line %u, is the "
            "first): %s",
            agent, l->n, LIST_NAMES[e->scope], (unsigned)l->first_env->key->pos.line, why);
    }
    al_finding_set_severity(f, AL_SEV_NOTE);
}

/* `environments:` with nothing after it: the patterns were meant to follow,
 * but GitLab reads no list as no restriction at all. */
static void warn_empty(const struct al_agent *a, const struct al_entry *e,
                       const struct al_ypair *env, struct al_findings *out)
{
    al_rule_report_entry(out, a, "env-pattern", e, env->key->pos, ".environments",
                         "environments: has no value, and GitLab treats a missing or empty list "
                         "as no restriction: this entry lets jobs of any environment, and jobs "
                         "without one, use the agent. List the patterns, or delete the key");
}

void al_rule_env_pattern(const struct al_check_ctx *ctx, const struct al_agent *a,
                         struct al_findings *out)
{
    const struct al_config *cfg = &a->config;
    struct env_list lists[AL_SCOPE_INSTANCE + 1];
    memset(lists, 0, sizeof lists);
    for (size_t i = 0; i < cfg->n_entries; i++) {
        const struct al_entry *e = &cfg->entries[i];
        if (e->section != AL_CI_ACCESS || !e->node || e->node->kind != AL_YMAP)
            continue;
        const struct al_ypair *env = al_ymap_pair(e->node, "environments");
        if (env && env->val->kind == AL_YNULL)
            warn_empty(a, e, env, out);
        if (!env || env->val->kind != AL_YSEQ || env->val->n == 0)
            continue;
        check_patterns(ctx, a, e, env->val, out);
        /* An entry whose id can never match (id-format) restricts nobody. */
        bool matches = e->scope == AL_SCOPE_INSTANCE || !e->id_problem;
        struct env_list *l = &lists[e->scope];
        if (e->n_env > 0 && matches && !l->n++) {
            l->first = e;
            l->first_env = env;
        }
    }
    for (size_t s = 0; s <= AL_SCOPE_INSTANCE; s++)
        if (lists[s].n)
            note_no_environment(a, &lists[s], out);
}
