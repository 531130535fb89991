/* GitLab's own expectations as data (testdata/vectors): every case of
 * kas_validation.yaml and agent_name.yaml, read with agentlint's YAML loader
 * and run through al_check_run, the code `agentlint check` runs. Each case
 * is one cmocka test named by its id. Cases that have no config-file form
 * are listed in `excluded` with the reason; a case that is neither run nor
 * listed fails the suite. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "checks/check.h"

#define KAS_VECTORS   TESTDATA_DIR "/vectors/kas_validation.yaml"
#define AGENT_VECTORS TESTDATA_DIR "/vectors/agent_name.yaml"

static const struct {
    const char *id, *why;
} excluded[] = {
    {"kas-valid-001", "AgentConfiguration is the agentk-side message, not config.yaml "
                      "(the empty config.yaml is kas-parse-*)"},
    {"kas-invalid-008", "go_input: a nil impersonate member cannot be written in YAML"},
    {"kas-invalid-009", "go_input: a nil ci_job member cannot be written in YAML"},
    {"kas-fetch-004", "a missing default-branch ref is a repository state, not a file; "
                      "--rev of an unknown revision is exit 2 (tests/cli)"},
};

/* Repository layouts for the file-retrieval cases (kas-fetch-*), whose
 * `situation` is prose. */
enum layout { NO_LAYOUT, NO_CONFIG_FILE, CONFIG_IS_DIRECTORY, EMPTY_REPOSITORY };
static const struct {
    const char *id;
    enum layout layout;
} fetch_layouts[] = {
    {"kas-fetch-001", NO_CONFIG_FILE},
    {"kas-fetch-003", CONFIG_IS_DIRECTORY},
    {"kas-fetch-005", EMPTY_REPOSITORY},
};

struct vcase {
    const struct al_ynode *node; /* the case's mapping in the vectors file */
    const char *id;
};

static struct al_schema *schema;

/* ---- reading the vectors ---- */

static struct al_ydoc *load_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        print_error("cannot open %s (tests run from the repository root)\n", path);
        return NULL;
    }
    struct al_buf b = AL_BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        al_buf_put(&b, chunk, n);
    fclose(fp);
    struct al_ydoc *doc = al_yaml_load(b.ptr ? b.ptr : "", b.len);
    al_buf_free(&b);
    if (!doc->root || doc->n_issues) {
        print_error("%s does not load cleanly\n", path);
        al_ydoc_free(doc);
        return NULL;
    }
    return doc;
}

static const char *str_at(const struct al_ynode *map, const char *key)
{
    const struct al_ynode *n = al_ymap_get(map, key);
    return n && n->kind == AL_YSTR ? n->str : NULL;
}

static bool derived(const struct al_ynode *c)
{
    const struct al_ynode *d = al_ymap_get(c, "derived");
    const struct al_ynode *in = al_ymap_get(c, "in_config_file");
    return (d && d->kind == AL_YBOOL && d->v.b) ||
           (al_ymap_get(in, "derived") && al_ymap_get(in, "derived")->v.b);
}

static const char *why_excluded(const char *id)
{
    for (size_t i = 0; i < sizeof excluded / sizeof excluded[0]; i++)
        if (strcmp(excluded[i].id, id) == 0)
            return excluded[i].why;
    return NULL;
}

/* ---- running a configuration through check ---- */

static struct al_report check_source(struct al_source *src)
{
    struct al_check_ctx ctx = {0};
    ctx.schema = schema;
    ctx.gitlab_version = schema->latest;
    ctx.env_matching = AL_ENV_ANCHORED;
    struct al_report r;
    al_check_run(&ctx, src, &r);
    return r;
}

#define AGENT_DIR ".gitlab/agents/vectors"
#define AGENT_CFG AGENT_DIR "/config.yaml"

static struct al_source *repo_with_config(const char *text)
{
    struct al_source *src = al_source_new(AL_SRC_WORKTREE);
    al_source_add(src, ".gitlab", AL_FILE_DIR, NULL, 0);
    al_source_add(src, ".gitlab/agents", AL_FILE_DIR, NULL, 0);
    al_source_add(src, AGENT_DIR, AL_FILE_DIR, NULL, 0);
    if (text)
        al_source_add(src, AGENT_CFG, AL_FILE_REGULAR, text, strlen(text));
    return src;
}

static size_t count_errors(const struct al_report *r, const char *id, bool show)
{
    size_t n = 0;
    for (size_t i = 0; i < r->findings.n; i++) {
        const struct al_finding *f = &r->findings.items[i];
        if (f->severity != AL_SEV_ERROR)
            continue;
        n++;
        if (show)
            print_error("%s: %s:%u:%u: %s [%s]\n", id, f->path, f->line, f->col, f->message,
                        f->rule);
    }
    return n;
}

static void expect_no_error(const char *id, bool is_derived, struct al_source *src)
{
    struct al_report r = check_source(src);
    if (count_errors(&r, id, false)) {
        print_error("%s%s: GitLab accepts this, agentlint reports errors:\n", id,
                    is_derived ? " (derived)" : "");
        count_errors(&r, id, true);
        fail_msg("%s: unexpected error", id);
    }
    al_report_free(&r);
    al_source_free(src);
}

/* ---- invalid cases: an error at each offending key ---- */

/* The 1-based line of the node at a finding's key path ("a.b[0].c") in `root`:
 * the key's line, or the list item's. A path whose last key is missing (a
 * required field) resolves to its owner. */
static uint32_t line_of_path(const struct al_ynode *root, const char *path)
{
    const struct al_ynode *n = root;
    uint32_t line = 0;
    char key[128];
    for (const char *p = path; *p && n;) {
        if (*p == '[') {
            size_t i = strtoul(p + 1, NULL, 10);
            if (n->kind != AL_YSEQ || i >= n->n)
                break;
            n = n->items[i];
            line = n->pos.line;
            p = strchr(p, ']') ? strchr(p, ']') + 1 : p + strlen(p);
            continue;
        }
        if (*p == '.')
            p++;
        size_t len = strcspn(p, ".[");
        snprintf(key, sizeof key, "%.*s", (int)len, p);
        const struct al_ypair *kv = al_ymap_pair(n, key);
        if (!kv)
            break;
        line = kv->key->pos.line;
        n = kv->val;
        p += len;
    }
    return line;
}

/* "invalid CiAccessGroupCF.Environments[0]: ..." -> "environments[0]". */
static bool next_violation(const char **cursor, char *field, size_t size)
{
    const char *p = strstr(*cursor, "invalid ");
    if (!p)
        return false;
    const char *dot = strchr(p, '.'), *colon = strchr(p, ':');
    if (!dot || !colon || colon < dot)
        return false;
    size_t k = 0;
    for (const char *q = dot + 1; q < colon && k + 2 < size; q++) {
        if (*q >= 'A' && *q <= 'Z') {
            if (q > dot + 1 && q[-1] != '[')
                field[k++] = '_';
            field[k++] = (char)(*q + 32);
        } else {
            field[k++] = *q;
        }
    }
    field[k] = '\0';
    /* CiAccessAsCF.As is the one-of inside access_as: reported at access_as. */
    if (strcmp(field, "as") == 0)
        snprintf(field, size, "access_as");
    *cursor = colon;
    return true;
}

static const char *last_component(const char *key_path)
{
    const char *dot = strrchr(key_path, '.');
    return dot ? dot + 1 : key_path;
}

static void expect_error_at(const char *id, bool is_derived, const char *text,
                            const char *gitlab_error)
{
    struct al_ydoc *doc = al_yaml_load(text, strlen(text));
    struct al_report r = check_source(repo_with_config(text));
    const struct al_source *src = r.source;
    if (!count_errors(&r, id, false))
        fail_msg("%s%s: GitLab rejects this file (%s), agentlint reports no error", id,
                 is_derived ? " (derived)" : "", gitlab_error);
    char field[128];
    for (const char *cur = gitlab_error; next_violation(&cur, field, sizeof field);) {
        bool found = false;
        for (size_t i = 0; i < r.findings.n && !found; i++) {
            const struct al_finding *f = &r.findings.items[i];
            found = f->severity == AL_SEV_ERROR && f->key_path &&
                    strcmp(last_component(f->key_path), field) == 0 &&
                    f->line == line_of_path(doc->root, f->key_path);
        }
        if (!found) {
            count_errors(&r, id, true);
            fail_msg("%s%s: no error at %s, where GitLab says \"%s\"", id,
                     is_derived ? " (derived)" : "", field, gitlab_error);
        }
    }
    al_report_free(&r);
    al_source_free((struct al_source *)src);
    al_ydoc_free(doc);
}

/* ---- one test per case ---- */

static void run_fetch_case(const char *id, const struct al_ynode *c)
{
    enum layout layout = NO_LAYOUT;
    for (size_t i = 0; i < sizeof fetch_layouts / sizeof fetch_layouts[0]; i++)
        if (strcmp(fetch_layouts[i].id, id) == 0)
            layout = fetch_layouts[i].layout;
    if (layout == NO_LAYOUT)
        fail_msg("%s: no repository layout for situation \"%s\"", id, str_at(c, "situation"));
    const struct al_ynode *expect = al_ymap_get(c, "expect");
    bool rejected = al_ymap_get(expect, "grpc_code") != NULL;
    struct al_source *src;
    if (layout == EMPTY_REPOSITORY) {
        src = al_source_new(AL_SRC_REVISION);
    } else {
        src = repo_with_config(NULL);
        if (layout == CONFIG_IS_DIRECTORY)
            al_source_add(src, AGENT_CFG, AL_FILE_DIR, NULL, 0);
    }
    if (!rejected) {
        expect_no_error(id, derived(c), src);
        return;
    }
    struct al_report r = check_source(src);
    assert_true(count_errors(&r, id, false) > 0);
    assert_non_null(al_report_agent(&r, "vectors"));
    assert_true(al_report_agent(&r, "vectors")->rejected);
    al_report_free(&r);
    al_source_free(src);
}

static void run_kas_case(void **state)
{
    const struct vcase *vc = *state;
    const struct al_ynode *c = vc->node;
    const char *id = vc->id;
    const struct al_ynode *in = al_ymap_get(c, "in_config_file");
    const char *expect = str_at(c, "expect");
    if (in) {
        const char *text = str_at(in, "yaml");
        assert_non_null(text);
        if (expect && strcmp(expect, "valid") == 0)
            expect_no_error(id, derived(c), repo_with_config(text));
        else if (expect && strcmp(expect, "invalid") == 0)
            expect_error_at(id, derived(c), text, str_at(c, "error"));
        else
            fail_msg("%s: expect is neither valid nor invalid", id);
    } else if (al_ymap_pair(c, "file_content")) {
        /* null: the file is missing, which is an empty configuration. */
        const struct al_ynode *fc = al_ymap_get(c, "file_content");
        assert_true(al_ymap_get(al_ymap_get(c, "expect"), "parses")->v.b);
        expect_no_error(id, derived(c), repo_with_config(fc->kind == AL_YSTR ? fc->str : NULL));
    } else if (str_at(c, "given")) {
        expect_no_error(id, derived(c), repo_with_config(str_at(c, "given")));
    } else if (str_at(c, "given_json")) {
        /* JSON is YAML: a config.yaml written as JSON reaches protojson the same way. */
        expect_no_error(id, derived(c), repo_with_config(str_at(c, "given_json")));
    } else if (al_ymap_get(c, "situation")) {
        run_fetch_case(id, c);
    } else {
        fail_msg("%s: a case agentlint does not know how to run; run it or exclude it", id);
    }
}

static void run_name_case(void **state)
{
    const struct vcase *vc = *state;
    const char *name = str_at(vc->node, "name");
    const struct al_ynode *valid = al_ymap_get(vc->node, "valid");
    assert_non_null(name);
    assert_true(valid && valid->kind == AL_YBOOL);
    if (al_agent_name_valid(name) != valid->v.b)
        fail_msg("%s%s: agent name \"%s\" should be %s", vc->id,
                 derived(vc->node) ? " (derived)" : "", name, valid->v.b ? "valid" : "invalid");
    if (strchr(name, '/'))
        return; /* cannot be a directory name; the regex alone is tested */
    /* The agent-name rule of check fires exactly for invalid names. */
    struct al_buf dir = AL_BUF_INIT, cfg = AL_BUF_INIT;
    al_buf_printf(&dir, ".gitlab/agents/%s", name);
    al_buf_printf(&cfg, ".gitlab/agents/%s/config.yaml", name);
    struct al_source *src = al_source_new(AL_SRC_WORKTREE);
    al_source_add(src, ".gitlab/agents", AL_FILE_DIR, NULL, 0);
    al_source_add(src, al_buf_cstr(&dir), AL_FILE_DIR, NULL, 0);
    al_source_add(src, al_buf_cstr(&cfg), AL_FILE_REGULAR, "", 0);
    struct al_report r = check_source(src);
    bool fired = false;
    for (size_t i = 0; i < r.findings.n; i++)
        fired = fired || strcmp(r.findings.items[i].rule, "agent-name") == 0;
    if (fired == valid->v.b)
        fail_msg("%s: agent-name %s for \"%s\"", vc->id, fired ? "fires" : "does not fire", name);
    al_report_free(&r);
    al_source_free(src);
    al_buf_free(&dir);
    al_buf_free(&cfg);
}

static void run_path_case(void **state)
{
    const struct vcase *vc = *state;
    const char *path = str_at(vc->node, "repository_path");
    const char *want = str_at(vc->node, "discovered_agent"); /* NULL: not an agent config */
    assert_non_null(path);
    char *got = al_agent_from_path(path);
    if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0))
        fail_msg("%s: %s -> %s, GitLab discovers %s", vc->id, path, got ? got : "nothing",
                 want ? want : "nothing");
    free(got);
}

/* ---- the suite ---- */

struct suite {
    struct CMUnitTest *tests;
    struct vcase *cases;
    size_t n, cap;
    int bad; /* cases neither run nor excluded, exclusions that match nothing */
};

static void add_cases(struct suite *s, const struct al_ynode *list, CMUnitTestFunction fn,
                      bool may_exclude)
{
    if (!list || list->kind != AL_YSEQ) {
        print_error("a vectors file has no case list\n");
        s->bad++;
        return;
    }
    for (size_t i = 0; i < list->n; i++) {
        const char *id = str_at(list->items[i], "id");
        if (!id) {
            print_error("a case without id\n");
            s->bad++;
            continue;
        }
        const char *why = may_exclude ? why_excluded(id) : NULL;
        if (why) {
            print_message("[ EXCLUDED ] %s: %s\n", id, why);
            continue;
        }
        s->cases[s->n] = (struct vcase){list->items[i], id};
        s->tests[s->n] = (struct CMUnitTest){id, fn, NULL, NULL, &s->cases[s->n]};
        s->n++;
    }
}

static bool has_case(const struct al_ynode *list, const char *id)
{
    for (size_t i = 0; list && i < list->n; i++) {
        const char *cid = str_at(list->items[i], "id");
        if (cid && strcmp(cid, id) == 0)
            return true;
    }
    return false;
}

int main(void)
{
    struct al_ydoc *kas = load_file(KAS_VECTORS);
    struct al_ydoc *names = load_file(AGENT_VECTORS);
    if (!kas || !names || al_schema_load_builtin(&schema) < 0)
        return 1;
    const struct al_ynode *kas_cases = al_ymap_get(kas->root, "cases");
    const struct al_ynode *name_cases = al_ymap_get(names->root, "cases");
    const struct al_ynode *path_cases = al_ymap_get(names->root, "kas_path_cases");
    size_t cap = (kas_cases ? kas_cases->n : 0) + (name_cases ? name_cases->n : 0) +
                 (path_cases ? path_cases->n : 0);
    struct suite s = {calloc(cap + 1, sizeof(*s.tests)), calloc(cap + 1, sizeof(*s.cases)), 0, cap,
                      0};
    add_cases(&s, kas_cases, run_kas_case, true);
    add_cases(&s, name_cases, run_name_case, false);
    add_cases(&s, path_cases, run_path_case, false);
    for (size_t i = 0; i < sizeof excluded / sizeof excluded[0]; i++) {
        if (!has_case(kas_cases, excluded[i].id)) {
            print_error("excluded case %s is not in %s\n", excluded[i].id, KAS_VECTORS);
            s.bad++;
        }
    }
    int failed = _cmocka_run_group_tests("vectors", s.tests, s.n, NULL, NULL);
    print_message("vectors: %zu cases run, %zu excluded\n", s.n,
                  sizeof excluded / sizeof excluded[0]);
    free(s.tests);
    free(s.cases);
    al_schema_free(schema);
    al_ydoc_free(kas);
    al_ydoc_free(names);
    return failed || s.bad ? 1 : 0;
}
