/* secret: credentials committed under .gitlab/agents/ (at the root or in a
 * nested .gitlab directory), in any file there, comments included:
 * - GitLab tokens: a documented prefix (glagent-, glpat-, gldt-, ...)
 *   followed by at least 20 token characters;
 * - kubeconfig credentials: client-key-data:, and token: or password: in a
 *   file that looks like a kubeconfig (a token: elsewhere only when its value
 *   looks random and long);
 * - PEM private key blocks.
 * Obvious placeholders (glagent-xxxx..., <token>, $VAR, REDACTED) are not
 * reported.
 *
 * A finding names the file and line, never the secret: the message,
 * suggestion and key_path carry none of it, and the value is the kind of
 * credential. The rule is marked sensitive in the rule table, so renderers
 * print no source excerpt for it. The scan masks what it found in a private
 * copy of the file, so that one credential is reported once.
 *
 * Each detector is one memmem pass over the file: linear in its size. */
#include "checks/rules.h"
#include "checks/check.h"
#include "common/alloc.h"
#include "common/buf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char AGENTS[] = ".gitlab/agents/";

/* A forward-only line counter over one buffer. */
struct cursor {
    const char *base, *end;
    const char *at;         /* offsets below it are counted */
    const char *line_start; /* start of the line containing `at` */
    unsigned line;
};

static void cursor_init(struct cursor *c, const char *base, size_t len)
{
    *c = (struct cursor){base, base + len, base, base, 1};
}

/* Position of `p` (>= every earlier position asked for). */
static struct al_ypos cursor_pos(struct cursor *c, const char *p)
{
    while (c->at < p) {
        const char *nl = memchr(c->at, '\n', (size_t)(p - c->at));
        if (!nl) {
            c->at = p;
            break;
        }
        c->line++;
        c->at = c->line_start = nl + 1;
    }
    unsigned col = 1;
    for (const char *q = c->line_start; q < p; q++)
        col += ((unsigned char)*q & 0xC0) != 0x80;
    return (struct al_ypos){c->line, col};
}

struct scan {
    const struct al_file *file;
    char *buf; /* a private copy of the file's bytes, masked as secrets are found */
    size_t len;
    const char *agent; /* or NULL */
    struct al_findings *out;
};

static void report(struct scan *s, struct cursor *c, const char *at, const char *kind,
                   const char *msg)
{
    struct al_finding *f =
        al_findings_add(s->out, "secret", s->file->path, cursor_pos(c, at), "%s", msg);
    al_finding_set_value(f, kind);
    if (s->agent)
        al_finding_set_agent(f, s->agent);
}

static void mask(char *from, const char *to)
{
    for (; from < to; from++)
        if (*from != '\n' && *from != '\r')
            *from = '*';
}

/* ---- placeholders ---- */

static bool all_same(const char *s, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (s[i] != s[0])
            return false;
    return true;
}

static bool contains_ci(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++)
        if (strncasecmp(s + i, word, w) == 0)
            return true;
    return false;
}

static bool placeholder(const char *s, size_t n)
{
    static const char *const words[] = {"xxxx",        "your",     "token",    "example",
                                        "placeholder", "redacted", "changeme", "secret",
                                        "dummy",       "sample",   "...",      NULL};
    /* A '*' anywhere: a wildcard, or a secret an earlier detector masked. */
    if (n == 0 || all_same(s, n) || strchr("<$%{[(", s[0]) || memchr(s, '*', n))
        return true;
    for (const char *const *w = words; *w; w++)
        if (contains_ci(s, n, *w))
            return true;
    return false;
}

/* ---- GitLab tokens ---- */

static bool token_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* GitLab's documented token prefixes ("Token prefixes",
 * https://docs.gitlab.com/security/tokens/#token-prefixes). An instance
 * prefix (SIE-glpat-) is matched too: the scan does not need a word start.
 * value is the finding's value (the kind, never the token). */
struct token_kind {
    const char *prefix, *value, *name, *revoke;
};

static const struct token_kind TOKENS[] = {
    {"glagent-", "agent-token", "an agent token (glagent-...)",
     "Revoke it (Operate > Kubernetes clusters > the agent > Access tokens)"},
    {"glpat-", "access-token", "a personal, project or group access token (glpat-...)",
     "Revoke it (the user's, project's or group's Access tokens page)"},
    {"gldt-", "deploy-token", "a deploy token (gldt-...)",
     "Revoke it (Settings > Repository > Deploy tokens)"},
    {"glrtr-", "runner-token", "a runner authentication token (glrtr-...)",
     "Reset it (the runner's page in Settings > CI/CD > Runners)"},
    {"glrt-", "runner-token", "a runner authentication token (glrt-...)",
     "Reset it (the runner's page in Settings > CI/CD > Runners)"},
    {"GR1348941", "runner-registration-token", "a runner registration token (GR1348941...)",
     "Reset it (Settings > CI/CD > Runners > Reset registration token)"},
    {"glcbt-", "job-token", "a CI/CD job token (glcbt-...)",
     "It expires with its job; check that the job has ended"},
    {"glptt-", "trigger-token", "a pipeline trigger token (glptt-...)",
     "Revoke it (Settings > CI/CD > Pipeline trigger tokens)"},
    {"glft-", "feed-token", "a feed token (glft-...)",
     "Reset it (User settings > Access tokens > Feed token)"},
    {"glimt-", "incoming-mail-token", "an incoming mail token (glimt-...)",
     "Reset it (User settings > Access tokens > Incoming email token)"},
    {"gloas-", "oauth-secret", "an OAuth application secret (gloas-...)",
     "Renew it (the application's page under Applications)"},
    {"glsoat-", "scim-token", "a SCIM token (glsoat-...)",
     "Reset it (the group's SAML SSO settings)"},
    {"glffct-", "feature-flags-token", "a feature flags client token (glffct-...)",
     "Reset it (Deploy > Feature flags > Configure)"},
    {"glwt-", "workspace-token", "a workspace token (glwt-...)", "Stop or delete the workspace"},
};

static void scan_token_kind(struct scan *s, const struct token_kind *k)
{
    size_t plen = strlen(k->prefix);
    struct cursor c;
    cursor_init(&c, s->buf, s->len);
    char *p = s->buf, *end = s->buf + s->len;
    while ((p = memmem(p, (size_t)(end - p), k->prefix, plen)) != NULL) {
        char *t = p + plen, *e = t;
        /* '.' too: routable tokens carry a dotted payload. */
        while (e < end && (token_char(*e) || *e == '.'))
            e++;
        while (e > t && e[-1] == '.')
            e--; /* the end of a sentence */
        if (e - t >= 20 && !placeholder(t, (size_t)(e - t))) {
            struct al_buf m = AL_BUF_INIT;
            al_buf_printf(&m,
                          "%s is committed here (comments count too): anyone who can read the "
                          "repository can use it. %s, then remove it from the history; keep "
                          "tokens in a secret store",
                          k->name, k->revoke);
            report(s, &c, p, k->value, al_buf_cstr(&m));
            al_buf_free(&m);
            mask(t, e);
        }
        p = e > p ? e : p + 1;
    }
}

static void scan_gitlab_tokens(struct scan *s)
{
    for (size_t i = 0; i < sizeof TOKENS / sizeof TOKENS[0]; i++)
        scan_token_kind(s, &TOKENS[i]);
}

/* ---- private keys ---- */

static bool base64_char(char c)
{
    return isalnum((unsigned char)c) || c == '+' || c == '/' || c == '=';
}

/* End of the PEM body that starts at `body`: its END line, else the run of
 * lines that look like base64. Counts the base64 characters in *n. */
static char *pem_body_end(char *body, char *end, size_t *n)
{
    static const char stop[] = "-----END";
    char *e = memmem(body, (size_t)(end - body), stop, sizeof stop - 1);
    if (!e) {
        for (e = body; e < end && (base64_char(*e) || isspace((unsigned char)*e)); e++)
            ;
    }
    *n = 0;
    for (char *q = body; q < e; q++)
        *n += base64_char(*q);
    return e;
}

static void scan_private_keys(struct scan *s)
{
    static const char begin[] = "-----BEGIN ", tail[] = "PRIVATE KEY-----";
    struct cursor c;
    cursor_init(&c, s->buf, s->len);
    char *p = s->buf, *end = s->buf + s->len;
    while ((p = memmem(p, (size_t)(end - p), begin, sizeof begin - 1)) != NULL) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        char *line_end = eol ? eol : end;
        char *t = memmem(p, (size_t)(line_end - p), tail, sizeof tail - 1);
        if (!t || t - p > 60) {
            p += sizeof begin - 1;
            continue;
        }
        char *body = t + sizeof tail - 1;
        size_t n;
        char *e = pem_body_end(body, end, &n);
        if (n >= 32) {
            report(s, &c, p, "private-key",
                   "a private key is committed here: anyone who can read the repository has it. "
                   "Replace the key pair (and whatever certificate it backs), then remove it "
                   "from the history");
            mask(body, e);
        }
        p = e > body ? e : body;
    }
}

/* ---- kubeconfig credentials ---- */

static bool looks_like_kubeconfig(const char *b, size_t n)
{
    return memmem(b, n, "clusters", 8) && memmem(b, n, "users", 5) &&
           (memmem(b, n, "contexts", 8) || memmem(b, n, "kind: Config", 12));
}

/* The value after `key:` at k (YAML or JSON style), as [*vs, *ve). */
static bool key_value(char *k, size_t klen, char *start, char *end, char **vs, char **ve)
{
    if (k > start && (token_char(k[-1]) || k[-1] == '.'))
        return false; /* part of a longer key: id-token, access_token */
    char *p = k + klen;
    if (p < end && *p == '"')
        p++;
    if (p >= end || *p != ':')
        return false;
    for (p++; p < end && (*p == ' ' || *p == '\t'); p++)
        ;
    char quote = p < end && (*p == '"' || *p == '\'') ? *p++ : 0;
    char *v = p;
    while (p < end && *p != '\n' && *p != '\r' &&
           (quote ? *p != quote : (*p != ' ' && *p != '#' && *p != ',' && *p != '}')))
        p++;
    *vs = v;
    *ve = p;
    return p > v;
}

static bool random_looking(const char *s, size_t n)
{
    bool digit = false, alpha = false;
    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)s[i]))
            digit = true;
        else if (isalpha((unsigned char)s[i]))
            alpha = true;
        else if (!strchr("-_.=/+:", s[i]))
            return false;
    }
    return digit && alpha;
}

struct cred_key {
    const char *key;
    size_t min_len;        /* shortest value reported */
    bool needs_kubeconfig; /* else only random-looking long values */
};

static void scan_key(struct scan *s, const struct cred_key *ck, bool kubeconfig)
{
    struct cursor c;
    cursor_init(&c, s->buf, s->len);
    size_t klen = strlen(ck->key);
    char *p = s->buf, *end = s->buf + s->len;
    while ((p = memmem(p, (size_t)(end - p), ck->key, klen)) != NULL) {
        char *vs, *ve;
        if (key_value(p, klen, s->buf, end, &vs, &ve)) {
            size_t n = (size_t)(ve - vs);
            bool real = n >= ck->min_len && !placeholder(vs, n) &&
                        (kubeconfig || (!ck->needs_kubeconfig && n >= 32 && random_looking(vs, n)));
            if (real) {
                struct al_buf m = AL_BUF_INIT;
                al_buf_printf(&m,
                              "a credential (%s) is committed here: anyone who can read the "
                              "repository can use it against the cluster. Revoke or rotate it, "
                              "then remove it from the history",
                              ck->key);
                report(s, &c, p, ck->key, al_buf_cstr(&m));
                al_buf_free(&m);
                mask(vs, ve);
            }
            p = ve;
        } else {
            p += klen;
        }
    }
}

static void scan_kubeconfig(struct scan *s)
{
    static const struct cred_key keys[] = {
        {"client-key-data", 20, false},
        {"token", 8, false},
        {"password", 4, true},
    };
    bool kubeconfig = looks_like_kubeconfig(s->buf, s->len);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        scan_key(s, &keys[i], kubeconfig);
}

/* ---- which files ---- */

/* The agent a path under .gitlab/agents/<name>/ belongs to, or NULL. */
static char *agent_of(const char *path, bool *under)
{
    const char *at = strstr(path, AGENTS);
    while (at && at != path && at[-1] != '/')
        at = strstr(at + 1, AGENTS);
    *under = at != NULL;
    if (!at)
        return NULL;
    const char *name = at + sizeof AGENTS - 1, *slash = strchr(name, '/');
    return slash ? al_strndup(name, (size_t)(slash - name)) : NULL;
}

void al_rule_secret(const struct al_check_ctx *ctx, const struct al_source *src,
                    const struct al_agent *agents, size_t n_agents, struct al_findings *out)
{
    (void)ctx, (void)agents, (void)n_agents;
    for (size_t i = 0; i < src->n_files; i++) {
        const struct al_file *f = &src->files[i];
        if (f->kind != AL_FILE_REGULAR || !f->data || !f->len)
            continue;
        bool under;
        char *agent = agent_of(f->path, &under);
        /* Files named on the command line are agent configs by the user's word. */
        if (under || src->kind == AL_SRC_FILES) {
            struct scan s = {f, al_strndup(f->data, f->len), f->len, agent, out};
            scan_gitlab_tokens(&s);
            scan_private_keys(&s);
            scan_kubeconfig(&s);
            free(s.buf);
        }
        free(agent);
    }
}
