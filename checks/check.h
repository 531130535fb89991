/* `check`: from a source (files read from git or disk) to a report (agents,
 * their parsed documents and typed configs, and findings).
 *
 *   source -> discover agents -> parse (yaml) -> schema -> config model
 *          -> semantic rules -> settings and inline ignores -> report */
#ifndef AL_CHECK_H
#define AL_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "model/agent.h"
#include "model/config.h"
#include "checks/finding.h"
#include "model/schema.h"
#include "checks/settings.h"
#include "model/source.h"
#include "model/yaml.h"

struct al_check_ctx {
    const struct al_schema *schema;
    int gitlab_version;
    enum al_env_matching env_matching;
    const char *project_path;        /* configuration project's full path, or NULL */
    const char *project_path_origin; /* where it came from, e.g. "--project-path" */
    bool instance_authorization;
    const char *agent_name;             /* --agent, for plain files */
    const struct al_settings *settings; /* or NULL */
    /* Findings of one rule in one file past which one finding says how many
     * more (al_findings_cap); 0: all. */
    size_t max_per_rule;
};

struct al_report {
    const struct al_source *source;
    struct al_agent *agents;
    size_t n_agents, cap_agents;
    struct al_findings findings;
};

/* Run every check. The source is only read. Each agent's document is freed
 * as soon as its per-agent rules have run (its typed config stays, see
 * model/config.h): memory holds one agent's tree at a time. Run-level rules
 * see agent.doc == NULL and the typed configs whole. Commands run it through
 * al_run_build (checks/run.h), which builds the access model too. */
void al_check_run(const struct al_check_ctx *ctx, const struct al_source *src,
                  struct al_report *out);
void al_report_free(struct al_report *r);

const struct al_agent *al_report_agent(const struct al_report *r, const char *name);

#endif
