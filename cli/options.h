/* Command-line options: one table (cli/options.c) says which command takes
 * which option, and `--help` is printed from it. */
#ifndef AL_OPTIONS_H
#define AL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

enum al_command {
    AL_CMD_CHECK = 1,
    AL_CMD_EXPLAIN = 2,
    AL_CMD_DIFF = 4,
    AL_CMD_RBAC = 8,
    AL_CMD_RULES = 16,
    AL_CMD_INSTALL_HOOK = 32,
    AL_CMD_REPORT = 64,
    AL_CMD_SCHEMA = 128,
    AL_CMD_CAN_I = 256,
    AL_CMD_WHO_CAN = 512,
};

struct al_opts {
    enum al_command command;
    const char *command_name;
    /* where configs come from */
    const char *repo_dir;
    const char *rev;
    bool staged;
    const char *agent;
    const char **paths; /* positional arguments */
    size_t n_paths;
    /* context */
    const char *project_path;
    const char *gitlab_version;
    const char *env_matching;
    bool instance_authorization;
    const char **ids;
    size_t n_ids;
    /* output */
    const char *format;
    bool list_formats; /* --list-formats */
    const char *output;
    const char *color; /* auto | always | never */
    const char *fail_on;
    bool quiet;                 /* no summary line */
    const char *baseline;       /* check --baseline FILE */
    const char *write_baseline; /* check --write-baseline FILE */
    bool changed;               /* check: only agents whose files differ from HEAD */
    bool all;                   /* check: overrides --changed */
    const char *max_per_rule;   /* NULL: AL_MAX_PER_RULE */
    /* explain: one job */
    const char *project;
    const char *environment;
    int protected_ref; /* -1 unset, 0 unprotected, 1 protected */
    const char *tier;
    const char *slug;
    const char *license;
    /* diff */
    bool fail_on_widen;
    bool merge_base;  /* diff, report --base: from the merge base of BASE and HEAD */
    const char *base; /* report: "Changes since BASE" */
    /* rbac */
    const char *role;
    const char *policy;
    bool cluster_wide;
    bool bind_all_jobs;  /* --bind-all-jobs (formerly --baseline) */
    bool allow_rejected; /* rbac: bind agents whose file GitLab rejects */
    bool impersonator;
    const char *agent_sa;
    const char **agents; /* --agents a,b: agents sharing one cluster */
    size_t n_agents;
    /* the Kubernetes side (can-i; check, diff, report --rbac) */
    const char **rbac; /* --rbac PATH (repeatable): files, directories, globs */
    size_t n_rbac;
    const char *kube_version; /* --kube-version X.Y: default roles */
    const char *namespace;    /* -n NS */
    const char *subresource;  /* --subresource SUB */
    bool permissions;         /* explain --permissions */
    bool verify;              /* rbac --verify */
    /* install-hook */
    bool force;
    /* misc */
    bool help;
    bool version;
};

/* Parse argv. On a usage error, prints one sentence to stderr and returns
 * < 0 (exit 2). */
int al_opts_parse(int argc, char **argv, struct al_opts *o);
void al_opts_free(struct al_opts *o);
/* Print the help of a command (or the overview for 0). */
void al_opts_help(enum al_command cmd);
/* For shell completion (`agentlint --list-options [CMD]`, not in --help):
 * the command names, or one command's options, one per line, "--name [ARG]"
 * and "-c [ARG]", from the same table as --help. Returns the exit status. */
int al_opts_list(const char *command);

#endif
