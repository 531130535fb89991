/* rbac --verify, text: a summary line, then per job that differs what the
 * policy asks and each cell the bindings grant beyond it (wider) or fall
 * short of (narrower), with the binding that decides. Untrusted text goes
 * through al_text_wrap's sanitizer. */
#include "cli/explain.h"
#include "cli/render_verify.h"
#include "cli/text_table.h"
#include "access/env.h"

#include <string.h>

void al_verify_job_words(struct al_buf *out, const struct al_rbac_verify_job *j)
{
    al_buf_puts(out, j->project);
    switch (j->env_kind) {
    case AL_RBAC_ENV_NONE:
        al_buf_puts(out, ", no environment");
        break;
    case AL_RBAC_ENV_UNLISTED:
        al_buf_printf(out, ", an environment no entry lists (\"%s\")", j->environment);
        break;
    default:
        al_buf_printf(out, ", environment %s", j->environment);
    }
    if (j->tier >= 0)
        al_buf_printf(out, " (tier %s)", al_env_tier_name((enum al_env_tier)j->tier));
    al_buf_printf(out, ", %s, agent %s, ",
                  j->any_ref         ? "any ref"
                  : j->protected_ref ? "protected ref"
                                     : "unprotected ref",
                  j->agent->name ? j->agent->name : j->agent->path);
    al_explain_entry(out, j->auth);
}

void al_verify_intent_words(struct al_buf *out, const struct al_rbac_verify_job *j)
{
    for (size_t i = 0; i < j->n_intent; i++) {
        if (i)
            al_buf_puts(out, ", ");
        if (j->intent[i].namespace)
            al_buf_printf(out, "%s in namespace %s", j->intent[i].role, j->intent[i].namespace);
        else
            al_buf_printf(out, "%s cluster-wide", j->intent[i].role);
    }
    if (!j->n_intent)
        al_buf_puts(out, "nothing");
}

const char *al_verify_change_name(enum al_perm_change c)
{
    return c == AL_PERM_WIDER ? "wider" : c == AL_PERM_NARROWER ? "narrower" : "mixed";
}

/* Cells of one kind of difference in one place through one binding, as
 * one sentence: "wider in namespace prod, through RoleBinding x ->
 * ClusterRole edit: 45 rights, e.g. create secrets, delete secrets". */
static bool same_group(const struct al_rbac_verify_cell *a, const struct al_rbac_verify_cell *b)
{
    return a->change == b->change && a->by.binding == b->by.binding &&
           ((!a->place && !b->place) || (a->place && b->place && strcmp(a->place, b->place) == 0));
}

enum { EXAMPLES = 6 };

static void group(struct al_buf *out, const struct al_rbac_verify_job *j, size_t first,
                  unsigned width)
{
    const struct al_rbac_verify_cell *c = &j->cells[first];
    size_t n = 0, rows = 0;
    const char *row = NULL;
    struct al_buf eg = AL_BUF_INIT;
    for (size_t k = first; k < j->n_cells; k++) {
        const struct al_rbac_verify_cell *x = &j->cells[k];
        if (!same_group(c, x))
            continue;
        n++;
        if (row && strcmp(row, x->row) == 0) {
            if (rows <= EXAMPLES)
                al_buf_printf(&eg, " %s", x->verb); /* the verbs of one row together */
            continue;
        }
        row = x->row;
        if (++rows <= EXAMPLES)
            al_buf_printf(&eg, "%s%s: %s", rows > 1 ? "; " : "", x->row, x->verb);
    }
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b, "%s %s%s", al_verify_change_name(c->change),
                  c->place ? "in namespace " : "in every namespace", c->place ? c->place : "");
    if (c->by.binding)
        al_buf_printf(&b, ", %s %s %s -> %s %s",
                      c->change == AL_PERM_NARROWER ? "as the policy asks with" : "through",
                      c->by.binding->cluster ? "ClusterRoleBinding" : "RoleBinding",
                      c->by.binding->name, c->by.role->cluster ? "ClusterRole" : "Role",
                      c->by.role->name);
    al_buf_printf(&b, ": %zu right%s on %zu resource%s (%s%s)", n, n == 1 ? "" : "s", rows,
                  rows == 1 ? "" : "s", al_buf_cstr(&eg), rows > EXAMPLES ? "; ..." : "");
    al_text_wrap(out, al_buf_cstr(&b), 4, width);
    al_buf_free(&b);
    al_buf_free(&eg);
}

static void cells(struct al_buf *out, const struct al_rbac_verify_job *j, unsigned width)
{
    for (size_t k = 0; k < j->n_cells; k++) {
        bool seen = false;
        for (size_t i = 0; i < k && !seen; i++)
            seen = same_group(&j->cells[i], &j->cells[k]);
        if (!seen)
            group(out, j, k, width);
    }
}

void al_render_verify_text(const struct al_verify_view *v, struct al_buf *out)
{
    const struct al_rbac_verify *w = v->verify;
    if (!w->n_jobs) {
        al_buf_printf(out,
                      "rbac --verify: the bindings grant each of %zu job identit%s exactly what "
                      "the policy asks.\n",
                      w->n_checked, w->n_checked == 1 ? "y" : "ies");
        return;
    }
    struct al_buf b = AL_BUF_INIT;
    al_buf_printf(&b,
                  "rbac --verify: %zu of %zu job identities get permissions that differ from "
                  "what the policy asks:",
                  w->n_differ, w->n_checked);
    al_text_wrap(out, al_buf_cstr(&b), 0, v->width);
    for (size_t i = 0; i < w->n_jobs; i++) {
        const struct al_rbac_verify_job *j = &w->jobs[i];
        al_buf_clear(&b);
        al_buf_putc(out, '\n');
        al_buf_puts(&b, "- ");
        al_verify_job_words(&b, j);
        al_buf_printf(&b, ", as %s", j->user.name);
        al_text_wrap(out, al_buf_cstr(&b), 0, v->width);
        al_buf_clear(&b);
        al_buf_puts(&b, "the policy asks: ");
        al_verify_intent_words(&b, j);
        al_buf_printf(&b, "; the bindings grant %zu right%s more and %zu fewer:", j->n_wider,
                      j->n_wider == 1 ? "" : "s", j->n_narrower);
        al_text_wrap(out, al_buf_cstr(&b), 2, v->width);
        cells(out, j, v->width);
        if (j->n_wider + j->n_narrower > j->n_cells)
            al_buf_printf(out, "    ... and %zu more rights not listed\n",
                          j->n_wider + j->n_narrower - j->n_cells);
    }
    al_buf_free(&b);
}
