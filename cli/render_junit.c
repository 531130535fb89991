/* junit: JUnit XML for CI test reports (GitLab's "Tests" tab). One test case
 * per agent config, and one per other file with findings (a stray
 * .gitlab/agents/config.yaml): it fails when it has findings at or above
 * --fail-on, listed in <failure>; the others go to <system-out>. Every
 * dynamic string goes through al_render_xml_escape. */
#include "cli/render.h"
#include "common/alloc.h"

#include <stdlib.h>
#include <string.h>

struct testcase {
    const char *path;
    const char *agent;   /* or NULL */
    size_t first, count; /* its findings: a run of the list, sorted by path */
    size_t failing;      /* findings at or above the failing level */
    enum al_severity worst;
};

struct cases {
    struct testcase *items;
    size_t n, cap;
};

/* The first finding whose path is not less than `path` (the list is sorted
 * by path first: al_check_run sorts it). */
static size_t lower_bound(const struct al_findings *fs, const char *path)
{
    size_t lo = 0, hi = fs->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(fs->items[mid].path, path) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void add_case(struct cases *cs, const struct al_check_view *v, const char *path,
                     const char *agent)
{
    const struct al_findings *fs = &v->report->findings;
    cs->items = al_grow(cs->items, &cs->cap, cs->n + 1, sizeof(*cs->items));
    struct testcase *tc = &cs->items[cs->n++];
    memset(tc, 0, sizeof(*tc));
    tc->path = path;
    tc->agent = agent;
    tc->first = lower_bound(fs, path);
    while (tc->first + tc->count < fs->n &&
           strcmp(fs->items[tc->first + tc->count].path, path) == 0)
        tc->count++;
    tc->worst = AL_SEV_NOTE;
    for (size_t i = tc->first; i < tc->first + tc->count; i++) {
        enum al_severity s = fs->items[i].severity;
        if ((int)s >= (int)v->fail_on) {
            tc->failing++;
            if (s > tc->worst)
                tc->worst = s;
        }
    }
}

static bool has_case(const struct cases *cs, const char *path)
{
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(cs->items[i].path, path) == 0)
            return true;
    return false;
}

/* Agents first, in report order, then every other path with findings. A
 * path is one test case even when it was given twice on the command line. */
static void collect(struct cases *cs, const struct al_check_view *v)
{
    const struct al_report *r = v->report;
    for (size_t i = 0; i < r->n_agents; i++)
        if (!has_case(cs, r->agents[i].path))
            add_case(cs, v, r->agents[i].path, r->agents[i].name);
    const struct al_findings *fs = &r->findings;
    for (size_t i = 0; i < fs->n; i++) {
        const struct al_finding *f = &fs->items[i];
        bool new_path = i == 0 || strcmp(f->path, fs->items[i - 1].path) != 0;
        if (new_path && !has_case(cs, f->path))
            add_case(cs, v, f->path, f->agent);
    }
}

static void esc(struct al_buf *out, const char *s)
{
    al_render_xml_escape(out, s, strlen(s), false);
}

static void attr(struct al_buf *out, const char *name, const char *value)
{
    al_buf_printf(out, " %s=\"", name);
    al_render_xml_escape(out, value, strlen(value), true);
    al_buf_putc(out, '"');
}

/* PATH:LINE:COL: SEVERITY: MESSAGE [RULE-ID], as the text format writes it. */
static void finding_line(struct al_buf *out, const struct al_finding *f)
{
    esc(out, f->path);
    al_buf_printf(out, ":%u:%u: %s: ", f->line ? f->line : 1, f->col ? f->col : 1,
                  al_severity_name(f->severity));
    esc(out, f->message);
    al_buf_puts(out, " [");
    esc(out, f->rule);
    al_buf_puts(out, "]\n");
}

static void findings(struct al_buf *out, const struct al_check_view *v, const struct testcase *tc,
                     bool failing)
{
    for (size_t i = tc->first; i < tc->first + tc->count; i++) {
        const struct al_finding *f = &v->report->findings.items[i];
        if (((int)f->severity >= (int)v->fail_on) == failing)
            finding_line(out, f);
    }
}

static void failure(struct al_buf *out, const struct al_check_view *v, const struct testcase *tc)
{
    struct al_buf msg = AL_BUF_INIT;
    al_buf_printf(&msg, "%zu finding%s at or above %s", tc->failing, tc->failing == 1 ? "" : "s",
                  al_severity_name(v->fail_on));
    al_buf_puts(out, "    <failure");
    attr(out, "message", al_buf_cstr(&msg));
    attr(out, "type", al_severity_name(tc->worst));
    al_buf_putc(out, '>');
    findings(out, v, tc, true);
    al_buf_puts(out, "</failure>\n");
    al_buf_free(&msg);
}

static void testcase(struct al_buf *out, const struct al_check_view *v, const struct testcase *tc)
{
    struct al_buf classname = AL_BUF_INIT;
    al_buf_puts(&classname, "agentlint");
    if (tc->agent)
        al_buf_printf(&classname, ".%s", tc->agent);
    al_buf_puts(out, "  <testcase");
    attr(out, "name", tc->path);
    attr(out, "classname", al_buf_cstr(&classname));
    attr(out, "file", tc->path);
    al_buf_puts(out, " time=\"0\"");
    al_buf_free(&classname);
    if (!tc->count) {
        al_buf_puts(out, "/>\n");
        return;
    }
    al_buf_puts(out, ">\n");
    if (tc->failing)
        failure(out, v, tc);
    if (tc->failing < tc->count) {
        al_buf_puts(out, "    <system-out>");
        findings(out, v, tc, false);
        al_buf_puts(out, "</system-out>\n");
    }
    al_buf_puts(out, "  </testcase>\n");
}

static void totals(struct al_buf *out, size_t tests, size_t failures)
{
    al_buf_printf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" time=\"0\">\n",
                  tests, failures);
}

void al_render_check_junit(const struct al_check_view *v, struct al_buf *out)
{
    struct cases cs = {NULL, 0, 0};
    collect(&cs, v);
    size_t failures = 0;
    for (size_t i = 0; i < cs.n; i++)
        failures += cs.items[i].failing > 0;
    al_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"agentlint\"");
    totals(out, cs.n, failures);
    al_buf_puts(out, "<testsuite name=\"agentlint\"");
    totals(out, cs.n, failures);
    for (size_t i = 0; i < cs.n; i++)
        testcase(out, v, &cs.items[i]);
    al_buf_puts(out, "</testsuite>\n</testsuites>\n");
    free(cs.items);
}
