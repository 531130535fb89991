#include "cli/diag.h"
#include "common/buf.h"
#include "cli/options.h"
#include "cli/formats.h"
#include "common/alloc.h"
#include "common/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
    /* who-can and can-i answer from the configs, as explain does */
    KQ = AL_CMD_CAN_I | AL_CMD_WHO_CAN,
    SRC = AL_CMD_CHECK | AL_CMD_EXPLAIN | AL_CMD_RBAC | AL_CMD_REPORT | KQ,
    CTX = AL_CMD_CHECK | AL_CMD_EXPLAIN | AL_CMD_DIFF | AL_CMD_RBAC | AL_CMD_REPORT | KQ,
    JOB = AL_CMD_EXPLAIN | AL_CMD_CAN_I, /* options that describe one CI job */
    /* the commands with rows in cli/formats.c (a test keeps them in step) */
    FMT = AL_CMD_CHECK | AL_CMD_EXPLAIN | AL_CMD_DIFF | AL_CMD_RULES | AL_CMD_REPORT | AL_CMD_RBAC |
          AL_CMD_SCHEMA | KQ,
    ALL = 0xffff,
};

enum opt_id {
    O_REPO,
    O_REV,
    O_STAGED,
    O_AGENT,
    O_PROJECT_PATH,
    O_GITLAB_VERSION,
    O_ENV_MATCHING,
    O_INSTANCE,
    O_IDS,
    O_FORMAT,
    O_LIST_FORMATS,
    O_OUTPUT,
    O_COLOR,
    O_FAIL_ON,
    O_MAX_PER_RULE,
    O_PROJECT,
    O_ENVIRONMENT,
    O_PROTECTED,
    O_UNPROTECTED,
    O_TIER,
    O_SLUG,
    O_LICENSE,
    O_FAIL_ON_WIDEN,
    O_MERGE_BASE,
    O_BASE,
    O_ROLE,
    O_POLICY,
    O_CLUSTER_WIDE,
    O_BIND_ALL_JOBS,
    O_BASELINE,
    O_WRITE_BASELINE,
    O_CHANGED,
    O_ALL,
    O_QUIET,
    O_IMPERSONATOR,
    O_ALLOW_REJECTED,
    O_AGENT_SA,
    O_AGENTS,
    O_PERMISSIONS,
    O_VERIFY,
    O_FORCE,
    O_RBAC,
    O_KUBE_VERSION,
    O_NAMESPACE,
    O_SUBRESOURCE,
    O_HELP,
    O_VERSION,
};

struct optdef {
    enum opt_id id;
    const char *name;
    char short_name;
    const char *arg; /* NULL: a flag */
    unsigned cmds;
    const char *help; /* NULL: an old spelling, accepted but not listed */
};

static const struct optdef optdefs[] = {
    {O_REPO, "repo", 'C', "DIR", SRC | AL_CMD_DIFF | AL_CMD_INSTALL_HOOK,
     "the git repository to read (default: the one containing the current directory)"},
    {O_REV, "rev", 0, "REV", SRC, "read configs at this revision (HEAD, main, a sha, HEAD~2)"},
    {O_STAGED, "staged", 0, NULL, SRC, "read the index: what git commit would record"},
    {O_AGENT, "agent", 0, "NAME", AL_CMD_CHECK,
     "agent name for files given as arguments outside .gitlab/agents/NAME/"},
    {O_PROJECT_PATH, "project-path", 0, "PATH", CTX,
     "full path of the agent configuration project (GROUP/.../PROJECT)"},
    {O_GITLAB_VERSION, "gitlab-version", 0, "X.Y", CTX | AL_CMD_SCHEMA,
     "GitLab version to check against (default: the newest agentlint knows)"},
    {O_ENV_MATCHING, "env-matching", 0, "MODE", CTX,
     "environments matching: anchored (current GitLab, default) or legacy"},
    {O_INSTANCE, "instance-authorization", 0, NULL, CTX,
     "the admin setting organization_cluster_agent_authorization_enabled is on (ci_access.instance "
     "from 17.11; ids outside the top-level group: ci_access from 18.1, user_access from 18.4)"},
    {O_IDS, "ids", 0, "FILE", AL_CMD_EXPLAIN | AL_CMD_RBAC | AL_CMD_REPORT | AL_CMD_CHECK | KQ,
     "numeric GitLab ids (GitLab API JSON, or {projects: {PATH: ID}, groups: {PATH: ID}}); "
     "repeatable"},
    {O_FORMAT, "format", 'f', "FORMAT", FMT,
     "output format (see Formats below; rbac --verify: text or json)"},
    {O_LIST_FORMATS, "list-formats", 0, NULL, FMT, "list the formats, one name per line"},
    {O_OUTPUT, "output", 'o', "FILE",
     AL_CMD_CHECK | AL_CMD_EXPLAIN | AL_CMD_DIFF | AL_CMD_RBAC | AL_CMD_RULES | AL_CMD_REPORT |
         AL_CMD_SCHEMA | KQ,
     "write to FILE (whole or not at all) instead of standard output"},
    {O_COLOR, "color", 0, "WHEN", ALL,
     "colour: auto (default), always, never; NO_COLOR is honoured"},
    {O_FAIL_ON, "fail-on", 0, "LEVEL", AL_CMD_CHECK,
     "exit 1 on a finding at or above LEVEL: error (default), warning, note"},
    {O_MAX_PER_RULE, "max-per-rule", 0, "N", AL_CMD_CHECK | AL_CMD_DIFF | AL_CMD_REPORT,
     "show the first N findings of a rule per file, then how many more (default: 50; 0: all)"},
    {O_PROJECT, "project", 0, "PATH", JOB, "answer for a CI job of this project"},
    {O_ENVIRONMENT, "environment", 0, "NAME", JOB,
     "the job's environment name (default: a job without environment)"},
    {O_PROTECTED, "protected", 0, NULL, JOB, "the job runs on a protected branch or tag"},
    {O_UNPROTECTED, "unprotected", 0, NULL, JOB, "the job runs on an unprotected ref (default)"},
    {O_TIER, "tier", 0, "TIER", JOB,
     "the environment's deployment tier (default: GitLab's guess from the name)"},
    {O_SLUG, "slug", 0, "SLUG", JOB,
     "the environment's real slug (default: computed with GitLab's algorithm)"},
    {O_LICENSE, "license", 0, "TIER", JOB | AL_CMD_REPORT,
     "the job project's licence: free, premium (default) or ultimate"},
    {O_FAIL_ON_WIDEN, "fail-on-widen", 0, NULL, AL_CMD_DIFF,
     "exit 1 when a change widens access (widened or mixed)"},
    {O_MERGE_BASE, "merge-base", 0, NULL, AL_CMD_DIFF | AL_CMD_REPORT,
     "compare from the merge base of BASE and HEAD (as BASE...HEAD)"},
    {O_BASE, "base", 0, "REV", AL_CMD_REPORT,
     "add a \"Changes since REV\" section (access changes, as agentlint diff)"},
    {O_ROLE, "role", 0, "ROLE", AL_CMD_RBAC, "ClusterRole to bind (default: view)"},
    {O_POLICY, "policy", 0, "FILE", AL_CMD_RBAC, "RBAC policy file (roles and namespaces)"},
    {O_CLUSTER_WIDE, "cluster-wide", 0, NULL, AL_CMD_RBAC,
     "always ClusterRoleBindings, even where an entry has a default_namespace"},
    {O_BIND_ALL_JOBS, "bind-all-jobs", 0, NULL, AL_CMD_RBAC,
     "also bind the role to every CI job (group gitlab:ci_job), as GitLab's docs do"},
    {O_BIND_ALL_JOBS, "baseline", 0, NULL, AL_CMD_RBAC, NULL},
    {O_BASELINE, "baseline", 0, "FILE", AL_CMD_CHECK,
     "fail only on findings whose fingerprint FILE does not list (a --write-baseline file or "
     "check -f json output)"},
    {O_WRITE_BASELINE, "write-baseline", 0, "FILE", AL_CMD_CHECK,
     "write the fingerprints of the current findings to FILE and exit 0"},
    {O_CHANGED, "changed", 0, NULL, AL_CMD_CHECK,
     "only findings of agents whose files differ from HEAD (the pre-commit hooks pass it)"},
    {O_ALL, "all", 0, NULL, AL_CMD_CHECK, "every agent's findings, overriding --changed"},
    {O_IMPERSONATOR, "impersonator", 0, NULL, AL_CMD_RBAC,
     "also emit the ClusterRole and binding the agent needs to impersonate these identities"},
    {O_ALLOW_REJECTED, "allow-rejected", 0, NULL, AL_CMD_RBAC,
     "also bind agents whose config GitLab rejects, as the file says (a warning each)"},
    {O_AGENT_SA, "agent-sa", 0, "NS:NAME",
     AL_CMD_RBAC | AL_CMD_EXPLAIN | AL_CMD_CHECK | AL_CMD_DIFF | AL_CMD_REPORT | KQ,
     "the agent's service account (rbac: for --impersonator; can-i, who-can, explain "
     "--permissions: the identity of access_as agent; check, diff, report: with --rbac)"},
    {O_AGENTS, "agents", 0, "A,B", AL_CMD_RBAC | AL_CMD_EXPLAIN | AL_CMD_REPORT | KQ,
     "only these agents (for rbac: the agents that share one cluster)"},
    {O_PERMISSIONS, "permissions", 0, NULL, AL_CMD_EXPLAIN,
     "with --project and --rbac: the job's effective permissions per namespace"},
    {O_VERIFY, "verify", 0, NULL, AL_CMD_RBAC,
     "check that the bindings grant each job exactly what the policy asks (exit 1 if not)"},
    {O_FORCE, "force", 0, NULL, AL_CMD_INSTALL_HOOK, "replace an existing pre-commit hook"},
    {O_RBAC, "rbac", 0, "PATH",
     KQ | AL_CMD_EXPLAIN | AL_CMD_RBAC | AL_CMD_CHECK | AL_CMD_DIFF | AL_CMD_REPORT,
     "Kubernetes RBAC objects (YAML or JSON: a file, a directory's manifests, or a glob); "
     "repeatable; inside the repository they are read from the same source as the configs "
     "(diff: at BASE and HEAD); check: the rbac-* rules, diff: permissions gained and lost, "
     "report: a permissions section"},
    {O_KUBE_VERSION, "kube-version", 0, "X.Y",
     KQ | AL_CMD_EXPLAIN | AL_CMD_RBAC | AL_CMD_CHECK | AL_CMD_DIFF | AL_CMD_REPORT,
     "Kubernetes version whose default roles (view, edit, admin, ...) are built in (default: "
     "the newest agentlint ships)"},
    {O_NAMESPACE, "namespace", 'n', "NS", KQ,
     "namespace of the request (can-i default: the job's context namespace, else default; "
     "who-can default: any, each namespace named)"},
    {O_SUBRESOURCE, "subresource", 0, "SUB", KQ, "subresource of the request (log, exec, status)"},
    {O_QUIET, "quiet", 'q', NULL, ALL, "no summary line when there is nothing to report"},
    {O_HELP, "help", 'h', NULL, ALL, "show this help"},
    {O_VERSION, "version", 'V', NULL, ALL, "show the version"},
};

static const struct {
    const char *name;
    enum al_command cmd;
    const char *usage;
    const char *summary;
} commands[] = {
    {"check", AL_CMD_CHECK, "agentlint [check] [options] [PATH...]",
     "Validate the agent configs (.gitlab/agents/*/config.yaml) against GitLab's schema and "
     "semantics."},
    {"explain", AL_CMD_EXPLAIN, "agentlint explain [options]",
     "Print the effective CI/CD access matrix, or one job's decision (--project)."},
    {"diff", AL_CMD_DIFF, "agentlint diff [options] BASE [HEAD]",
     "Show the access and findings that changed between two revisions."},
    {"rbac", AL_CMD_RBAC, "agentlint rbac [options]",
     "Emit Kubernetes RBAC bindings for the identities GitLab impersonates."},
    {"who-can", AL_CMD_WHO_CAN, "agentlint who-can VERB RESOURCE [-n NS] --rbac PATH",
     "List the projects, groups and environments whose CI jobs can do a Kubernetes request."},
    {"rules", AL_CMD_RULES, "agentlint rules [RULE-ID]", "Print the rule reference."},
    {"report", AL_CMD_REPORT, "agentlint report [options]",
     "Write a self-contained security-review report (HTML or Markdown)."},
    {"schema", AL_CMD_SCHEMA, "agentlint schema [--gitlab-version X.Y] [-o FILE]",
     "Write the config file's JSON Schema (draft-07) for one GitLab version, for editors."},
    {"can-i", AL_CMD_CAN_I,
     "agentlint can-i --project P [--environment E] [--protected] VERB RESOURCE [-n NS] --rbac "
     "PATH...",
     "Say whether a CI job may do something in the cluster (as kubectl auth can-i), and which "
     "binding and rule allow it."},
    {"install-hook", AL_CMD_INSTALL_HOOK, "agentlint install-hook [--force] [-C DIR]",
     "Install a git pre-commit hook that runs agentlint check --staged."},
};

/* A name may mean different options in different commands (--baseline):
 * the command's own row first, then any, to say whose option it is. */
static const struct optdef *find_long(const char *name, size_t len, unsigned cmd)
{
    const struct optdef *any = NULL;
    for (size_t i = 0; i < sizeof optdefs / sizeof optdefs[0]; i++) {
        if (strlen(optdefs[i].name) != len || strncmp(optdefs[i].name, name, len) != 0)
            continue;
        if (optdefs[i].cmds & cmd)
            return &optdefs[i];
        any = any ? any : &optdefs[i];
    }
    return any;
}

static const struct optdef *find_short(char c, unsigned cmd)
{
    const struct optdef *any = NULL;
    for (size_t i = 0; i < sizeof optdefs / sizeof optdefs[0]; i++) {
        if (optdefs[i].short_name != c)
            continue;
        if (optdefs[i].cmds & cmd)
            return &optdefs[i];
        any = any ? any : &optdefs[i];
    }
    return any;
}

/* The listed long option of `cmd` closest to `name` (at most 2 edits, or
 * `name` a prefix of it), or NULL. */
static const char *closest_option(const char *name, size_t len, unsigned cmd)
{
    char *want = al_strndup(name, len);
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < sizeof optdefs / sizeof optdefs[0]; i++) {
        const struct optdef *d = &optdefs[i];
        if (!(d->cmds & cmd) || !d->help)
            continue;
        size_t dist =
            len >= 3 && strncmp(d->name, want, len) == 0 ? 1 : al_str_distance(want, d->name, 2);
        if (dist < best_d)
            best = d->name, best_d = dist;
    }
    free(want);
    return best;
}

static int unknown_option(const struct al_opts *o, const char *arg, const char *name, size_t len)
{
    const char *near = closest_option(name, len, o->command);
    if (near)
        al_diag("agentlint: unknown option %s; did you mean --%s? (see agentlint %s --help)", arg,
                near, o->command_name);
    else
        al_diag("agentlint: unknown option %s (see agentlint %s --help)", arg, o->command_name);
    return -1;
}

static void push(const char ***list, size_t *n, const char *v)
{
    *list = al_realloc(*list, (*n + 2) * sizeof(char *));
    (*list)[(*n)++] = v;
    (*list)[*n] = NULL;
}

static int usage_error(const struct al_opts *o, const char *fmt, const char *arg)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, fmt, arg);
    al_diag("agentlint: %s (see agentlint %s --help)", al_buf_cstr(&b),
            o->command_name ? o->command_name : "");
    al_buf_free(&b);
    return -1;
}

static void split_commas(const char ***list, size_t *n, const char *v)
{
    /* The strings live in argv; copies are kept in the list for its lifetime. */
    char *copy = al_strdup(v);
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ","))
        push(list, n, al_strdup(tok));
    free(copy);
}

static int apply(struct al_opts *o, const struct optdef *d, const char *val)
{
    switch (d->id) {
    case O_REPO:
        o->repo_dir = val;
        break;
    case O_REV:
        o->rev = val;
        break;
    case O_STAGED:
        o->staged = true;
        break;
    case O_AGENT:
        o->agent = val;
        break;
    case O_PROJECT_PATH:
        o->project_path = val;
        break;
    case O_GITLAB_VERSION:
        o->gitlab_version = val;
        break;
    case O_ENV_MATCHING:
        o->env_matching = val;
        break;
    case O_INSTANCE:
        o->instance_authorization = true;
        break;
    case O_IDS:
        push(&o->ids, &o->n_ids, val);
        break;
    case O_FORMAT:
        o->format = val;
        break;
    case O_LIST_FORMATS:
        o->list_formats = true;
        break;
    case O_OUTPUT:
        o->output = val;
        break;
    case O_COLOR:
        o->color = val;
        break;
    case O_FAIL_ON:
        o->fail_on = val;
        break;
    case O_MAX_PER_RULE:
        o->max_per_rule = val;
        break;
    case O_PROJECT:
        o->project = val;
        break;
    case O_ENVIRONMENT:
        o->environment = val;
        break;
    case O_PROTECTED:
        o->protected_ref = 1;
        break;
    case O_UNPROTECTED:
        o->protected_ref = 0;
        break;
    case O_TIER:
        o->tier = val;
        break;
    case O_SLUG:
        o->slug = val;
        break;
    case O_LICENSE:
        o->license = val;
        break;
    case O_FAIL_ON_WIDEN:
        o->fail_on_widen = true;
        break;
    case O_MERGE_BASE:
        o->merge_base = true;
        break;
    case O_BASE:
        o->base = val;
        break;
    case O_ROLE:
        o->role = val;
        break;
    case O_POLICY:
        o->policy = val;
        break;
    case O_CLUSTER_WIDE:
        o->cluster_wide = true;
        break;
    case O_BIND_ALL_JOBS:
        o->bind_all_jobs = true;
        break;
    case O_BASELINE:
        o->baseline = val;
        break;
    case O_WRITE_BASELINE:
        o->write_baseline = val;
        break;
    case O_CHANGED:
        o->changed = true;
        break;
    case O_ALL:
        o->all = true;
        break;
    case O_QUIET:
        o->quiet = true;
        break;
    case O_IMPERSONATOR:
        o->impersonator = true;
        break;
    case O_ALLOW_REJECTED:
        o->allow_rejected = true;
        break;
    case O_AGENT_SA:
        o->agent_sa = val;
        break;
    case O_AGENTS:
        split_commas(&o->agents, &o->n_agents, val);
        break;
    case O_RBAC:
        push(&o->rbac, &o->n_rbac, val);
        break;
    case O_KUBE_VERSION:
        o->kube_version = val;
        break;
    case O_NAMESPACE:
        o->namespace = val;
        break;
    case O_SUBRESOURCE:
        o->subresource = val;
        break;
    case O_PERMISSIONS:
        o->permissions = true;
        break;
    case O_VERIFY:
        o->verify = true;
        break;
    case O_FORCE:
        o->force = true;
        break;
    case O_HELP:
        o->help = true;
        break;
    case O_VERSION:
        o->version = true;
        break;
    }
    return 0;
}

static int set_command(struct al_opts *o, const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            o->command = commands[i].cmd;
            o->command_name = commands[i].name;
            return 1;
        }
    }
    return 0;
}

/* `agentlint frobnicate`: a word of letters and '-' that names no file is a
 * mistyped command, not a config file to check. */
static bool looks_like_command(const char *a)
{
    if (strspn(a, "abcdefghijklmnopqrstuvwxyz-") != strlen(a))
        return false;
    struct stat st;
    return lstat(a, &st) != 0;
}

static int unknown_command(const char *a)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        size_t dist = al_str_distance(a, commands[i].name, 2);
        if (dist < best_d)
            best = commands[i].name, best_d = dist;
    }
    if (best)
        al_diag("agentlint: unknown command '%s'; did you mean '%s'?", a, best);
    else
        al_diag("agentlint: unknown command '%s', and no file of that name (see agentlint "
                "--help)",
                a);
    return -1;
}

/* kubectl's -o is the format; agentlint's is a file. A format's name (or
 * kubectl's md and wide) that is no existing file is that habit, not a wish
 * to write a file named json. */
static int check_output_name(const struct al_opts *o)
{
    struct stat st;
    if (!o->output || lstat(o->output, &st) == 0)
        return 0;
    if (!al_format_known(o->output) && strcmp(o->output, "md") != 0 &&
        strcmp(o->output, "wide") != 0)
        return 0;
    al_diag("agentlint: -o names the output file, and '%s' is a format: use -f %s (or -o ./%s "
            "for a file of that name)",
            o->output, o->output, o->output);
    return -1;
}

int al_opts_parse(int argc, char **argv, struct al_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->protected_ref = -1;
    o->command = AL_CMD_CHECK;
    o->command_name = "check";
    int i = 1;
    if (i < argc && argv[i][0] != '-') {
        if (set_command(o, argv[i]))
            i++;
        else if (looks_like_command(argv[i]))
            return unknown_command(argv[i]);
    }
    bool only_positional = false;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (only_positional || a[0] != '-' || strcmp(a, "-") == 0) {
            push(&o->paths, &o->n_paths, a);
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_positional = true;
            continue;
        }
        const struct optdef *d;
        const char *val = NULL;
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            d = find_long(a + 2, len, o->command);
            if (!d)
                return unknown_option(o, a, a + 2, len);
            if (eq)
                val = eq + 1;
        } else {
            d = find_short(a[1], o->command);
            if (!d)
                return unknown_option(o, a, a + 1, 1);
            if (a[2])
                val = a + 2;
        }
        if (!(d->cmds & o->command)) {
            al_diag("agentlint: --%s is not an option of agentlint %s (see agentlint %s --help)",
                    d->name, o->command_name, o->command_name);
            return -1;
        }
        if (d->arg && !val) {
            if (i + 1 >= argc)
                return usage_error(o, "%s needs a value", a);
            val = argv[++i];
        } else if (!d->arg && val) {
            return usage_error(o, "%s takes no value", a);
        }
        apply(o, d, val);
    }
    return check_output_name(o);
}

void al_opts_free(struct al_opts *o)
{
    free(o->paths);
    free(o->ids);
    free(o->rbac);
    for (size_t i = 0; i < o->n_agents; i++)
        free((char *)o->agents[i]);
    free(o->agents);
}

void al_opts_help(enum al_command cmd)
{
    if (!cmd) {
        puts("agentlint: lint GitLab agent for Kubernetes configurations and explain the CI/CD\n"
             "access they grant.\n\nUsage:");
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            printf("  %-42s %s\n", commands[i].usage, commands[i].summary);
        puts("  agentlint --version | --help\n\n"
             "Run agentlint COMMAND --help for a command's options; man agentlint for more.\n"
             "Exit status: 0 clean, 1 findings at the failing level (or widened access with\n"
             "diff --fail-on-widen), 2 usage error or unreadable input.");
        return;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (commands[i].cmd != cmd)
            continue;
        printf("Usage: %s\n\n%s\n\nOptions:\n", commands[i].usage, commands[i].summary);
    }
    for (size_t i = 0; i < sizeof optdefs / sizeof optdefs[0]; i++) {
        const struct optdef *d = &optdefs[i];
        if (!(d->cmds & cmd) || !d->help)
            continue;
        char left[64];
        if (d->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", d->short_name, d->name, d->arg ? " " : "",
                     d->arg ? d->arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", d->name, d->arg ? " " : "",
                     d->arg ? d->arg : "");
        printf("  %-32s %s\n", left, d->help);
    }
}

int al_opts_list(const char *command)
{
    if (!command) {
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            puts(commands[i].name);
        return 0;
    }
    unsigned cmd = 0;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, command) == 0)
            cmd = commands[i].cmd;
    if (!cmd) {
        al_diag("agentlint: unknown command '%s'", command);
        return 2;
    }
    for (size_t i = 0; i < sizeof optdefs / sizeof optdefs[0]; i++) {
        const struct optdef *d = &optdefs[i];
        if (!(d->cmds & cmd) || !d->help)
            continue;
        printf("--%s%s%s\n", d->name, d->arg ? " " : "", d->arg ? d->arg : "");
        if (d->short_name)
            printf("-%c%s%s\n", d->short_name, d->arg ? " " : "", d->arg ? d->arg : "");
    }
    return 0;
}
