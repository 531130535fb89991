/* Findings: what agentlint tells the user, in one list that every renderer
 * (text, JSON, SARIF, Code Quality, JUnit, Markdown) walks. */
#ifndef AL_FINDING_H
#define AL_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "model/yaml.h"

enum al_severity {
    AL_SEV_OFF = -1, /* only in settings: the rule is switched off */
    AL_SEV_NOTE = 0,
    AL_SEV_WARNING = 1,
    AL_SEV_ERROR = 2,
};

/* A finding's strings belong to its list (struct al_findings), which frees
 * them all at once; the setters below copy. */
struct al_finding {
    const char *rule; /* static id from the rule table */
    enum al_severity severity;
    char *path;    /* repository-relative path (or the path given) */
    uint32_t line; /* 1-based; 0: the file as a whole */
    uint32_t col;  /* 1-based; 0: the line as a whole */
    char *message;
    char *suggestion;         /* a replacement for the offending text, or NULL */
    char *agent;              /* agent name, or NULL */
    char *key_path;           /* e.g. ci_access.projects[2].id, or NULL */
    char *value;              /* offending value for fingerprints (never a secret), or NULL */
    struct al_arena *strings; /* where the strings live (the list's arena) */
};

struct al_findings {
    struct al_finding *items;
    size_t n, cap;
    struct al_arena strings; /* every string of every finding: freed together */
    struct al_buf scratch;   /* for formatting a message before it is added */
};

/* Add a finding with the rule's default severity; returns it for the
 * optional setters below. Strings are copied. */
struct al_finding *al_findings_add(struct al_findings *fs, const char *rule, const char *path,
                                   struct al_ypos pos, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void al_finding_set_severity(struct al_finding *f, enum al_severity sev);
void al_finding_set_suggestion(struct al_finding *f, const char *suggestion);
void al_finding_set_agent(struct al_finding *f, const char *agent);
void al_finding_set_key_path(struct al_finding *f, const char *key_path);
void al_finding_set_value(struct al_finding *f, const char *value);

/* Findings of one rule in one file beyond which one finding says how many
 * more there are (golangci-lint's max-issues-per-linter is 50 too): a
 * hostile file of 8,000 unknown keys gets 51 findings, not 8,000. */
enum { AL_MAX_PER_RULE = 50 };
/* The value (fingerprint input) of that summary finding: no count in it, so
 * baselines do not churn as the number of hidden findings changes. */
#define AL_FINDING_MORE "(more)"

/* Keep the first `max` findings (in list order) of each rule in each file and
 * replace the rest by one finding of that rule, at the first one left out,
 * saying how many were left out; 0: keep all. Sorts the list. */
void al_findings_cap(struct al_findings *fs, size_t max);

/* Sort by path, line, column, rule (stable for equal keys). */
void al_findings_sort(struct al_findings *fs);
void al_findings_count(const struct al_findings *fs, size_t *errors, size_t *warnings,
                       size_t *notes);
/* Remove findings for which keep() returns false. */
void al_findings_filter(struct al_findings *fs, bool (*keep)(const struct al_finding *, void *),
                        void *data);
void al_findings_free(struct al_findings *fs);

/* Fingerprints: 32 lowercase hex digits (two independent 64-bit hashes) of a
 * finding's rule, path, key path and value, never its line or message, so
 * that GitLab, comparing the reports of a merge request's base and head,
 * sees a finding as the same one after lines moved. List indices are dropped
 * from the key path ("projects[3].id" -> "projects[].id"): inserting an entry
 * above must not change the fingerprints below it. */
enum { AL_FINGERPRINT_LEN = 32 };
struct al_fingerprint {
    char hex[AL_FINGERPRINT_LEN + 1];
};
/* One finding's fingerprint; `occurrence` (0 for the first) tells apart
 * findings that agree on everything hashed. */
void al_finding_fingerprint(const struct al_finding *f, unsigned occurrence,
                            struct al_fingerprint *out);
/* Fingerprints of a whole list, unique within it: element i belongs to
 * fs->items[i]; equal ones are numbered in list order. Caller frees. */
struct al_fingerprint *al_findings_fingerprints(const struct al_findings *fs);

const char *al_severity_name(enum al_severity sev); /* "error", "warning", "note", "off" */
/* Returns -2 when the name is not a severity. */
int al_severity_parse(const char *name);

#endif
