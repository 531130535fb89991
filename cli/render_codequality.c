/* codequality: GitLab's Code Quality report (a Code Climate subset), shown in
 * the merge request widget and diff. GitLab compares fingerprints between
 * the base and the head of a merge request to tell new findings from fixed
 * ones, so they come from the findings' line-independent fingerprints (validator/fingerprint.c).
 *
 * Severities: error -> major, warning -> minor, note -> info, as ESLint's
 * GitLab formatter maps them. critical and blocker stay for the security
 * scanners GitLab shows next to it, and one level per severity keeps the
 * widget in step with --fail-on. */
#include "cli/emit.h"
#include "cli/render.h"

#include <stdlib.h>

static const char *cq_severity(enum al_severity s)
{
    return s == AL_SEV_ERROR ? "major" : s == AL_SEV_WARNING ? "minor" : "info";
}

/* "MESSAGE [RULE-ID]": the widget shows only the description. */
static void description(struct al_emit *e, const struct al_finding *f)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "%s [%s]", f->message, f->rule);
    al_emit_kstr(e, "description", al_buf_cstr(&b));
    al_buf_free(&b);
}

static void issue(struct al_emit *e, const struct al_finding *f, const struct al_fingerprint *fp)
{
    al_emit_map_start(e);
    al_emit_kstr(e, "type", "issue");
    description(e, f);
    al_emit_kstr(e, "check_name", f->rule);
    al_emit_kstr(e, "fingerprint", fp->hex);
    al_emit_kstr(e, "severity", cq_severity(f->severity));
    al_emit_key(e, "location");
    al_emit_map_start(e);
    al_emit_kstr(e, "path", f->path); /* repository-relative already */
    al_emit_key(e, "lines");
    al_emit_map_start(e);
    al_emit_kint(e, "begin", f->line ? f->line : 1); /* GitLab needs a line */
    al_emit_map_end(e);
    al_emit_map_end(e);
    al_emit_map_end(e);
}

void al_render_check_codequality(const struct al_check_view *v, struct al_buf *out)
{
    const struct al_findings *fs = &v->report->findings;
    struct al_fingerprint *fps = al_render_view_fingerprints(v);
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, out);
    al_emit_seq_start(e);
    for (size_t i = 0; i < fs->n; i++)
        issue(e, &fs->items[i], &fps[i]);
    al_emit_seq_end(e);
    al_emit_finish(e);
    free(fps);
}
