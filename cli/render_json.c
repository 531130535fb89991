/* json: the contract's shape, written by libfyaml's emitter. */
#include "cli/emit.h"
#include "cli/render.h"

#include <stdlib.h>

void al_render_json_finding(struct al_emit *e, const struct al_finding *f)
{
    al_emit_kstr(e, "rule", f->rule);
    al_emit_kstr(e, "severity", al_severity_name(f->severity));
    al_emit_kstr(e, "path", f->path);
    al_emit_kint(e, "line", f->line ? f->line : 1);
    al_emit_kint(e, "column", f->col ? f->col : 1);
    al_emit_kstr(e, "message", f->message);
    al_emit_kstr(e, "suggestion", f->suggestion);
    al_emit_kstr(e, "agent", f->agent);
    al_emit_kstr(e, "key_path", f->key_path);
}

void al_render_check_json(const struct al_check_view *v, struct al_buf *out)
{
    const struct al_report *r = v->report;
    struct al_fingerprint *fps = al_render_view_fingerprints(v);
    struct al_emit *e = al_emit_new(AL_EMIT_JSON, out);
    al_emit_map_start(e);
    al_emit_kint(e, "version", 1); /* the shape's version (schemas/check.schema.json) */

    al_emit_key(e, "tool");
    al_emit_map_start(e);
    al_emit_kstr(e, "name", "agentlint");
    al_emit_kstr(e, "version", v->version);
    al_emit_map_end(e);

    al_emit_key(e, "source");
    al_emit_map_start(e);
    al_emit_kstr(e, "kind", al_source_kind_name(v->source->kind));
    al_emit_kstr(e, "revision", v->source->revision);
    al_emit_map_end(e);

    al_emit_key(e, "agents");
    al_emit_seq_start(e);
    for (size_t i = 0; i < r->n_agents; i++) {
        const struct al_agent *a = &r->agents[i];
        al_emit_map_start(e);
        al_emit_kstr(e, "name", a->name);
        al_emit_kstr(e, "path", a->path);
        al_emit_kbool(e, "rejected", a->rejected);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);

    al_emit_key(e, "findings");
    al_emit_seq_start(e);
    for (size_t i = 0; i < r->findings.n; i++) {
        al_emit_map_start(e);
        al_render_json_finding(e, &r->findings.items[i]);
        al_emit_kstr(e, "fingerprint", fps[i].hex);
        al_emit_map_end(e);
    }
    al_emit_seq_end(e);

    size_t errors, warnings, notes;
    al_findings_count(&r->findings, &errors, &warnings, &notes);
    al_emit_key(e, "summary");
    al_emit_map_start(e);
    al_emit_kint(e, "errors", (long long)errors);
    al_emit_kint(e, "warnings", (long long)warnings);
    al_emit_kint(e, "notes", (long long)notes);
    al_emit_map_end(e);

    al_emit_map_end(e);
    al_emit_finish(e);
    free(fps);
}
