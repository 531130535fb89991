/* explain's matrix as a document (cli/doc.h): the report shows it for
 * every agent, explain's Markdown under each agent's heading. The wording
 * is here and in explain_util.c, once for every format. */
#include "views/doc.h"
#include "cli/explain.h"
#include "access/templates.h"

void al_explain_doc_heading(struct al_doc_node *parent, unsigned level,
                            const struct al_access_agent *ag)
{
    struct al_doc_node *h = al_doc_heading(parent, level, "Agent ");
    al_doc_code(h, ag->name ? ag->name : ag->path);
}

void al_explain_doc_config(struct al_doc_node *parent, const struct al_access_agent *ag)
{
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "Config: %s", ag->path);
    if (ag->context)
        al_buf_printf(&b, " · kubeconfig context: %s", ag->context);
    al_doc_para(parent, al_buf_cstr(&b), "meta");
    al_buf_free(&b);
}

void al_explain_doc_rejected(struct al_doc_node *parent, const struct al_access_agent *ag)
{
    if (!ag->rejected)
        return;
    struct al_buf note = AL_BUF_INIT;
    al_explain_rejected_note(&note, ag);
    al_doc_callout(parent, "Not in force.", al_buf_cstr(&note), "alert");
    al_buf_free(&note);
}

/* The note under the matrix for each entry that needs one. */
static void notes(struct al_doc_node *parent, const struct al_access_agent *ag)
{
    struct al_doc_node *list = al_doc_list(parent, NULL);
    for (size_t i = 0; i < ag->n_auths; i++) {
        struct al_buf b = AL_BUF_INIT;
        if (al_explain_auth_note(&b, &ag->auths[i]))
            al_doc_item(list, al_buf_cstr(&b), NULL);
        al_buf_free(&b);
    }
}

void al_explain_doc_matrix(struct al_doc_node *parent, const struct al_access_agent *ag)
{
    if (!ag->n_auths) {
        al_doc_para(parent, "No authorizations: no CI/CD job can use this agent.", NULL);
        return;
    }
    struct al_doc_node *t = al_doc_table(parent, "matrix");
    al_doc_row_cells(t, al_explain_matrix_head, AL_EXPLAIN_MATRIX_COLUMNS, NULL);
    for (size_t i = 0; i < ag->n_auths; i++) {
        struct al_explain_row r;
        al_explain_row_init(&r, &ag->auths[i]);
        al_doc_row_cells(t, r.cells, AL_EXPLAIN_MATRIX_COLUMNS,
                         al_explain_in_force(&ag->auths[i]) ? NULL : "off");
        al_explain_row_free(&r);
    }
    notes(parent, ag);
}

void al_explain_doc_templates(struct al_doc_node *parent, const struct al_source *src,
                              const struct al_access_agent *ag)
{
    struct al_tmpls t;
    al_tmpls_load(&t, src, ag->name);
    struct al_doc_node *list = t.n ? al_doc_list(parent, "templates") : NULL;
    struct al_buf b = AL_BUF_INIT;
    for (size_t i = 0; i < t.n; i++) {
        al_buf_clear(&b);
        al_explain_template_head(&b, &t.items[i]);
        struct al_doc_node *item = al_doc_item(list, al_buf_cstr(&b), NULL);
        struct al_doc_node *objects = t.items[i].n_objects ? al_doc_list(item, NULL) : NULL;
        for (size_t k = 0; k < t.items[i].n_objects; k++) {
            al_buf_clear(&b);
            al_explain_template_object(&b, &t.items[i].objects[k]);
            al_doc_item(objects, al_buf_cstr(&b), NULL);
        }
    }
    al_buf_free(&b);
    al_tmpls_free(&t);
}
