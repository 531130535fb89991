/* The rule table: one row per rule id. The code that emits findings, the
 * `agentlint rules` reference and the man page's rule list all come from
 * this table, so they cannot drift apart. */
#ifndef AL_RULES_H
#define AL_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/finding.h"

struct al_check_ctx;
struct al_agent;
struct al_source;

/* A semantic rule: looks at one agent (its YAML and typed config) and adds
 * findings. Rules that come from parsing or the schema have no function. */
typedef void (*al_rule_fn)(const struct al_check_ctx *ctx, const struct al_agent *agent,
                           struct al_findings *out);

/* A run-level rule: runs once per check, after every agent, over the whole
 * source (files that are not agent configs) or all agents at once (a note
 * that must not repeat per agent). */
typedef void (*al_run_rule_fn)(const struct al_check_ctx *ctx, const struct al_source *src,
                               const struct al_agent *agents, size_t n_agents,
                               struct al_findings *out);

struct al_rule {
    const char *id;
    enum al_severity severity; /* default */
    bool rejects;              /* an error of this rule makes GitLab refuse the whole file */
    const char *summary;       /* one line */
    const char *help;          /* what GitLab does, and how to fix it */
    al_rule_fn check;          /* per-agent semantic check, or NULL */
    bool sensitive;            /* its findings point at secrets: never show the source line */
};

extern const struct al_rule al_rules[];
extern const size_t al_rules_count;

/* Run-level checks, each reporting for a rule of the table above. */
struct al_run_rule {
    const char *id;
    al_run_rule_fn run;
};

extern const struct al_run_rule al_run_rules[];
extern const size_t al_run_rules_count;

const struct al_rule *al_rule_find(const char *id);

/* Semantic rules (validator/rules/<id>.c). */
void al_rule_entry_limit(const struct al_check_ctx *, const struct al_agent *,
                         struct al_findings *);
void al_rule_namespace(const struct al_check_ctx *, const struct al_agent *, struct al_findings *);
void al_rule_duplicate_id(const struct al_check_ctx *, const struct al_agent *,
                          struct al_findings *);
void al_rule_id_format(const struct al_check_ctx *, const struct al_agent *, struct al_findings *);
void al_rule_env_pattern(const struct al_check_ctx *, const struct al_agent *,
                         struct al_findings *);
void al_rule_override(const struct al_check_ctx *, const struct al_agent *, struct al_findings *);
void al_rule_privileged_identity(const struct al_check_ctx *, const struct al_agent *,
                                 struct al_findings *);
void al_rule_broad_agent_access(const struct al_check_ctx *, const struct al_agent *,
                                struct al_findings *);
void al_rule_policy(const struct al_check_ctx *, const struct al_agent *, struct al_findings *);
void al_rule_invisible_character(const struct al_check_ctx *, const struct al_agent *,
                                 struct al_findings *);
void al_rule_placeholder(const struct al_check_ctx *, const struct al_agent *,
                         struct al_findings *);
void al_rule_rails_validation(const struct al_check_ctx *, const struct al_agent *,
                              struct al_findings *);

/* Run-level rules. */
void al_rule_namespace_run(const struct al_check_ctx *, const struct al_source *,
                           const struct al_agent *, size_t, struct al_findings *);
/* Scans every file under .gitlab/agents/ (and every file given as an
 * argument) and masks each secret it reports in the source's buffer, so that
 * no renderer can print it in a source excerpt. */
void al_rule_secret(const struct al_check_ctx *, const struct al_source *, const struct al_agent *,
                    size_t, struct al_findings *);
/* .gitlab/agents/<agent>/environment_templates/<name>.yaml files. */
void al_rule_environment_template(const struct al_check_ctx *, const struct al_source *,
                                  const struct al_agent *, size_t, struct al_findings *);

#endif
