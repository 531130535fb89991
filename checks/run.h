/* One pipeline for every command: a source checked (agents, typed configs,
 * findings) and modelled (the authorizations GitLab stores, access/model.h),
 * the same way and in the same shape whatever the command. `check` renders
 * the findings, explain/rbac/report the model, diff compares two runs.
 *
 *   struct al_run_opts o;
 *   al_run_opts_init(&o, &session->ctx);
 *   o.ids = ids;
 *   struct al_run run;
 *   al_run_build(&o, source, &run);
 *   ... run.report, run.access ...
 *   al_run_free(&run);
 *
 * Memory holds one agent's YAML tree at a time (al_check_run); the report's
 * typed configs and the access model own everything they hold. */
#ifndef AL_RUN_H
#define AL_RUN_H

#include "model/ids.h"
#include "access/model.h"
#include "checks/check.h"

struct al_run_opts {
    const struct al_check_ctx *ctx; /* schema, GitLab version, project, settings */
    const struct al_ids *ids;       /* --ids (personal namespaces, projects vs groups), or NULL */
};

/* The options of a run in this context, without --ids. */
void al_run_opts_init(struct al_run_opts *o, const struct al_check_ctx *ctx);

struct al_run {
    struct al_report report; /* agents, their typed configs, findings */
    struct al_access access; /* built from the report's agents */
};

/* Check and model a source (only read; keep it alive while the run is used). */
void al_run_build(const struct al_run_opts *o, const struct al_source *src, struct al_run *out);
void al_run_free(struct al_run *r);

#endif
