/* The findings about what GitLab drops or overrides and the access model
 * never disagree: every config of the real-world corpus (testdata/corpus),
 * checked as the configuration project of several places (inside its ids'
 * namespace, outside it, under `root`, and before GitLab 17.0), and the
 * model explain builds from the same report. */
#include "checkutil.h"

#include <dirent.h>

#include "access/model.h"
#include "model/paths.h"
#include "common/buf.h"
#include "common/str.h"

static bool finding_at(const struct run *r, const char *rule, const char *key_path)
{
    for (size_t i = 0; i < r->report.findings.n; i++) {
        const struct al_finding *f = &r->report.findings.items[i];
        if (strcmp(f->rule, rule) == 0 && f->key_path && strcmp(f->key_path, key_path) == 0)
            return true;
    }
    return false;
}

struct tally {
    size_t files, runs, verdicts, failed;
};

static void disagree(struct tally *t, const char *file, const char *pp, const char *what,
                     const char *label)
{
    fprintf(stderr, "%s (project %s): %s at %s\n", file, pp ? pp : "unknown", what, label);
    t->failed++;
}

static void compare_auth(struct tally *t, const struct run *r, const char *file, const char *pp,
                         const struct al_auth *a)
{
    char kp[160];
    snprintf(kp, sizeof kp, "%s.id", a->label);
    bool dup = finding_at(r, "duplicate-id", kp), ns = finding_at(r, "namespace", kp);
    bool ov = finding_at(r, "override", kp);
    if (dup != (a->shadowed_by != NULL))
        disagree(t, file, pp, dup ? "duplicate-id without the verdict" : "duplicate not reported",
                 a->label);
    if (ns != (a->outside != AL_DROP_NONE))
        disagree(t, file, pp, ns ? "namespace without the verdict" : "outside not reported",
                 a->label);
    if (a->scope == AL_SCOPE_PROJECT && a->replaces && !(pp && al_path_eq(a->id, pp)) && !ov)
        disagree(t, file, pp, "replaced group entry not reported", a->label);
    if (a->scope == AL_SCOPE_PROJECT && ov && !a->replaces)
        disagree(t, file, pp, "override without the verdict", a->label);
    t->verdicts += (a->shadowed_by != NULL) + (a->outside != AL_DROP_NONE) + (a->replaces != NULL);
}

static void compare_agent(struct tally *t, const struct run *r, const char *file, const char *pp,
                          const struct al_access_agent *ag)
{
    const struct al_auth *implicit = NULL;
    for (size_t i = 0; i < ag->n_auths; i++) {
        const struct al_auth *a = &ag->auths[i];
        if (a->scope == AL_SCOPE_IMPLICIT)
            implicit = a;
        else if (a->entry && a->scope != AL_SCOPE_INSTANCE)
            compare_auth(t, r, file, pp, a);
    }
    for (size_t i = 0; i < ag->n_auths; i++) {
        const struct al_auth *g = &ag->auths[i];
        char kp[160];
        snprintf(kp, sizeof kp, "%s.id", g->label);
        if (g->scope == AL_SCOPE_GROUP && finding_at(r, "override", kp) &&
            !(implicit && implicit->replaces == g))
            disagree(t, file, pp, "override on a group the implicit one does not replace",
                     g->label);
    }
    size_t limited = 0;
    for (size_t i = 0; i < ag->n_lists; i++) {
        const struct al_access_list *l = &ag->lists[i];
        if (l->written <= ag->entry_limit)
            continue;
        limited++;
        char kp[160];
        snprintf(kp, sizeof kp, "%s.%s[%zu]", al_section_name(l->section),
                 al_scope_list_name(l->scope), ag->entry_limit);
        if (!finding_at(r, "entry-limit", kp))
            disagree(t, file, pp, "list past the limit not reported", kp);
    }
    if (count_rule(r, "entry-limit") != limited)
        disagree(t, file, pp, "entry-limit findings and lists past the limit differ", "file");
}

static void compare(struct tally *t, const char *file, const char *yaml, const char *pp,
                    int version)
{
    struct run r;
    run_yaml(&r, yaml);
    r.ctx.project_path = pp;
    if (version)
        r.ctx.gitlab_version = version;
    run_check(&r);
    struct al_access_opts o = {0};
    o.config_project = pp;
    o.gitlab_version = r.ctx.gitlab_version;
    struct al_access m;
    al_access_build(&o, r.report.agents, r.report.n_agents, &m);
    for (size_t i = 0; i < m.n_agents; i++)
        compare_agent(t, &r, file, pp, m.agents[i]);
    t->runs++;
    al_access_free(&m);
    run_free(&r);
}

/* Places for the configuration project: beside the file's first project
 * id (its namespace), in another namespace, under `root`. */
static void places(const char *yaml, char out[3][256])
{
    const char *id = strstr(yaml, "id: ");
    char first[200] = "grp/sub/x";
    if (id)
        sscanf(id + 4, "%199[A-Za-z0-9_./-]", first);
    const char *slash = strrchr(first, '/');
    snprintf(out[0], 256, "%.*s/cfg", slash ? (int)(slash - first) : (int)strlen(first), first);
    snprintf(out[1], 256, "elsewhere-%s/cfg", "ns");
    snprintf(out[2], 256, "root/cfg");
}

static void corpus_dir(struct tally *t, const char *sub)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s/corpus/%s", TESTDATA_DIR, sub);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!al_str_endswith(de->d_name, ".yaml"))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        struct al_buf b = AL_BUF_INIT;
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            al_buf_put(&b, chunk, n);
        fclose(f);
        char pp[3][256];
        places(al_buf_cstr(&b), pp);
        compare(t, de->d_name, al_buf_cstr(&b), NULL, 0);
        for (size_t i = 0; i < 3; i++)
            compare(t, de->d_name, al_buf_cstr(&b), pp[i], 0);
        compare(t, de->d_name, al_buf_cstr(&b), pp[0], 1611);
        t->files++;
        al_buf_free(&b);
    }
    closedir(d);
}

static void findings_and_model_agree_on_the_corpus(void **state)
{
    (void)state;
    struct tally t = {0};
    corpus_dir(&t, "real");
    corpus_dir(&t, "real-history");
    fprintf(stderr, "corpus: %zu files, %zu runs, %zu verdicts compared, %zu disagreements\n",
            t.files, t.runs, t.verdicts, t.failed);
    assert_true(t.files > 100);
    assert_true(t.verdicts > 0);
    assert_int_equal(t.failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(findings_and_model_agree_on_the_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
