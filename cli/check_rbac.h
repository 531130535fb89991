/* check --rbac PATH...: the rbac-* rules, added to a check's report. */
#ifndef AL_CHECK_RBAC_H
#define AL_CHECK_RBAC_H

#include "cli/context.h"
#include "checks/check.h"

/* The report must have been run with findings_only false (the rules read
 * the agents' configs). < 0 with one sentence when the RBAC input cannot be
 * read. */
int al_check_rbac(const struct al_opts *o, struct al_session *s, struct al_report *r);

#endif
