#include "checks/run.h"

#include <string.h>

void al_run_opts_init(struct al_run_opts *o, const struct al_check_ctx *ctx)
{
    memset(o, 0, sizeof(*o));
    o->ctx = ctx;
}

/* The access model reads the same context as the checks. */
static void access_opts(const struct al_run_opts *o, struct al_access_opts *ao)
{
    al_access_opts_init(ao);
    ao->config_project = o->ctx->project_path;
    ao->gitlab_version = o->ctx->gitlab_version;
    ao->instance_authorization = o->ctx->instance_authorization;
    ao->ids = o->ids;
}

void al_run_build(const struct al_run_opts *o, const struct al_source *src, struct al_run *out)
{
    al_check_run(o->ctx, src, &out->report);
    struct al_access_opts ao;
    access_opts(o, &ao);
    al_access_build(&ao, out->report.agents, out->report.n_agents, &out->access);
}

void al_run_free(struct al_run *r)
{
    al_access_free(&r->access); /* it borrows from the report */
    al_report_free(&r->report);
}
