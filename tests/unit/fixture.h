/* Agents made from YAML text, as al_check_run makes them (our YAML loader,
 * al_config_build), for the access model's tests. */
#ifndef AL_TEST_FIXTURE_H
#define AL_TEST_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "checks/check.h"

static inline struct al_agent *fx_agent(const char *name, const char *yaml)
{
    struct al_agent *a = al_calloc(1, sizeof(*a));
    struct al_buf path = AL_BUF_INIT;
    al_buf_printf(&path, ".gitlab/agents/%s/config.yaml", name);
    a->name = al_strdup(name);
    a->path = al_buf_detach(&path);
    a->doc = al_yaml_load(yaml, strlen(yaml));
    al_config_build(&a->config, a->doc->root);
    a->empty = !a->doc->root;
    return a;
}

static inline void fx_agent_free(struct al_agent *a)
{
    if (!a)
        return;
    al_config_free(&a->config);
    al_ydoc_free(a->doc);
    free(a->name);
    free(a->path);
    free(a);
}

/* A YAML node written back as flow YAML (JSON-style), to place a vector's
 * config mapping into a config.yaml. */
static inline void fx_flow(struct al_buf *b, const struct al_ynode *n)
{
    switch (n->kind) {
    case AL_YMAP:
        al_buf_putc(b, '{');
        for (size_t i = 0; i < n->n; i++) {
            al_buf_printf(b, "%s\"%s\": ", i ? ", " : "", n->pairs[i].name);
            fx_flow(b, n->pairs[i].val);
        }
        al_buf_putc(b, '}');
        break;
    case AL_YSEQ:
        al_buf_putc(b, '[');
        for (size_t i = 0; i < n->n; i++) {
            al_buf_puts(b, i ? ", " : "");
            fx_flow(b, n->items[i]);
        }
        al_buf_putc(b, ']');
        break;
    case AL_YSTR:
        al_buf_putc(b, '"');
        for (const char *p = n->str; *p; p++) {
            if (*p == '"' || *p == '\\')
                al_buf_putc(b, '\\');
            if (*p == '\n')
                al_buf_puts(b, "\\n");
            else
                al_buf_putc(b, *p);
        }
        al_buf_putc(b, '"');
        break;
    case AL_YNULL:
        al_buf_puts(b, "null");
        break;
    default:
        al_buf_put(b, n->str, n->len); /* bool and numbers as written */
    }
}

#endif
