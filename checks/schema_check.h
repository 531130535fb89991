/* The walker that checks a document against the schema (model/schema.h) and
 * words what it finds: unknown-key, type-mismatch, required, access-as,
 * version, deprecated. */
#ifndef AL_SCHEMA_CHECK_H
#define AL_SCHEMA_CHECK_H

#include "checks/finding.h"
#include "model/schema.h"
#include "model/yaml.h"

struct al_schema_check {
    const struct al_schema *schema;
    int gitlab_version;          /* target */
    const char *path;            /* file path for findings */
    const char *agent;           /* agent name for findings, or NULL */
    const struct al_stype *root; /* the document's type; NULL: the schema's root */
};

/* Check a document root against the schema and add findings. */
void al_schema_check(const struct al_schema_check *c, const struct al_ynode *root,
                     struct al_findings *out);

#endif
