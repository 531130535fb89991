/* GitLab's CI/CD access vectors (finder, filter, refresh) run through the
 * code explain uses: each authorization of a case becomes an entry of a
 * config.yaml, loaded with our YAML loader, turned into the access model
 * (al_access_add: the refresh rules), and asked with al_access_decide (the
 * Finder) or al_access_filter (FilterService).
 *
 * The vectors name groups and projects; the fixed trees below give them the
 * full paths that the vectors' meta.tree describes. */
#include "vectors.h"

#include "checkutil.h"

#include "access/decide.h"
#include "access/model.h"
#include "common/buf.h"
#include "common/str.h"
#include "common/version.h"
#include "fixture.h"

#define MAX_AGENTS 16

struct place {
    const char *name, *path;
};

/* ---- shared: agents whose config is assembled entry by entry ---- */

struct cfg_builder {
    const char *agent;
    const char *project; /* path of the project it is registered in */
    struct al_buf projects, groups, instance;
};

static void add_entry(struct al_buf *list, const char *id, const struct al_ynode *cfg)
{
    al_buf_puts(list, list->len ? ", " : "");
    al_buf_putc(list, '{');
    if (id)
        al_buf_printf(list, "\"id\": \"%s\"", id);
    for (size_t i = 0; cfg && i < cfg->n; i++) {
        al_buf_printf(list, "%s\"%s\": ", id || i ? ", " : "", cfg->pairs[i].name);
        fx_flow(list, cfg->pairs[i].val);
    }
    al_buf_putc(list, '}');
}

static char *builder_yaml(struct cfg_builder *b)
{
    struct al_buf y = AL_BUF_INIT;
    al_buf_printf(&y, "{\"ci_access\": {\"projects\": [%s], \"groups\": [%s]",
                  al_buf_cstr(&b->projects), al_buf_cstr(&b->groups));
    if (b->instance.len)
        al_buf_printf(&y, ", \"instance\": %s", al_buf_cstr(&b->instance));
    al_buf_puts(&y, "}}");
    return al_buf_detach(&y);
}

static void builder_free(struct cfg_builder *b)
{
    al_buf_free(&b->projects);
    al_buf_free(&b->groups);
    al_buf_free(&b->instance);
}

/* ---- `check` agrees: the same config through the check pipeline ---- */

static const struct al_finding *finding_at(const struct run *cr, const char *rule,
                                           const char *label)
{
    char kp[128];
    snprintf(kp, sizeof kp, "%s.id", label);
    for (size_t i = 0; i < cr->report.findings.n; i++) {
        const struct al_finding *f = &cr->report.findings.items[i];
        if (strcmp(f->rule, rule) == 0 && f->key_path && strcmp(f->key_path, kp) == 0)
            return f;
    }
    return NULL;
}

/* The rule that says GitLab drops an entry for this reason. */
static const char *rule_of(enum al_drop d)
{
    switch (d) {
    case AL_DROP_DUPLICATE:
        return "duplicate-id";
    case AL_DROP_NAMESPACE:
    case AL_DROP_PERSONAL:
        return "namespace";
    case AL_DROP_ID:
        return "id-format";
    default:
        return NULL;
    }
}

static const char *const DROP_RULES[] = {"entry-limit", "duplicate-id", "namespace", "id-format"};

/* ================= finder.yaml ================= */

#define TLG "top_level_group"
#define BLG TLG "/subgroup1/subgroup2/bottom_level_group"

static const struct place finder_tree[] = {
    {"top_level_group", TLG},
    {"subgroup1", TLG "/subgroup1"},
    {"agent_configuration_project", TLG "/subgroup1/agent_configuration_project"},
    {"subgroup2", TLG "/subgroup1/subgroup2"},
    {"bottom_level_group", BLG},
    {"requesting_project", BLG "/requesting_project"},
    {"non_ancestor_group", TLG "/non_ancestor_group"},
    {"non_ancestor_project", TLG "/non_ancestor_group/non_ancestor_project"},
    /* "<another top-level namespace> (P)": the factory's default project */
    {"unrelated_project", "another-namespace/unrelated_project"},
    {NULL, NULL},
};

static const struct place finder_agents[] = {
    {"staging_agent", "agent_configuration_project"},
    {"production_agent", "agent_configuration_project"},
    {"non_ancestor_agent", "non_ancestor_project"},
    {"unrelated_agent", "unrelated_project"},
    {NULL, NULL},
};

static const struct vec_exclusion finder_exclusions[] = {
    {"finder-026", "agentlint models one organization (the admin setting authorizes within "
                   "the instance's organization); an agent registered in another organization "
                   "has no place in a repository's configs"},
    {NULL, NULL},
};

static const char *place_path(const struct place *tree, const char *name)
{
    for (; tree->name; tree++)
        if (strcmp(tree->name, name) == 0)
            return tree->path;
    return NULL;
}

static const char *place_name(const struct place *tree, const char *path)
{
    for (; path && tree->name; tree++)
        if (al_str_ieq(tree->path, path))
            return tree->name;
    return "?";
}

struct finder_case {
    struct cfg_builder agents[MAX_AGENTS];
    size_t n;
};

static struct cfg_builder *finder_agent(struct finder_case *fc, const char *name,
                                        const char *project)
{
    for (size_t i = 0; i < fc->n; i++)
        if (strcmp(fc->agents[i].agent, name) == 0)
            return &fc->agents[i];
    if (!project || fc->n == MAX_AGENTS)
        return NULL;
    struct cfg_builder *b = &fc->agents[fc->n++];
    memset(b, 0, sizeof(*b));
    b->agent = name;
    b->project = project;
    return b;
}

/* "<kind>:<agent>-><target>" or "org:<agent>" -> an entry of that agent. */
static bool finder_add(struct finder_case *fc, const char *notation, const struct al_ynode *cfg)
{
    char kind[16], agent[64], target[64] = "";
    if (sscanf(notation, "%15[^:]:%63[^-]->%63s", kind, agent, target) < 2)
        return false;
    struct cfg_builder *b = finder_agent(fc, agent, NULL);
    if (!b)
        return false;
    const char *path = place_path(finder_tree, target);
    if (strcmp(kind, "project") == 0 && path)
        add_entry(&b->projects, path, cfg);
    else if (strcmp(kind, "group") == 0 && path)
        add_entry(&b->groups, path, cfg);
    else if (strcmp(kind, "org") == 0)
        add_entry(&b->instance, NULL, cfg);
    else
        return false;
    return true;
}

static void finder_notation(const struct al_decision *d, struct al_buf *out)
{
    const struct al_auth *a = d->auth;
    const char *agent = d->agent->name;
    if (a->scope == AL_SCOPE_IMPLICIT)
        al_buf_printf(out, "implicit:%s", agent);
    else if (a->scope == AL_SCOPE_INSTANCE)
        al_buf_printf(out, "org:%s", agent);
    else
        al_buf_printf(out, "%s:%s->%s", al_scope_name(a->scope), agent,
                      place_name(finder_tree, a->id));
}

static bool in_list(const struct al_ynode *list, const char *s)
{
    for (size_t i = 0; list && i < list->n; i++)
        if (list->items[i]->kind == AL_YSTR && strcmp(list->items[i]->str, s) == 0)
            return true;
    return false;
}

/* Compare the per-agent winners with `expected` as a set. */
static void finder_compare(struct vec_run *r, const struct al_ynode *c,
                           const struct al_decisions *d)
{
    const char *only = vec_str(c, "finder_agent");
    const struct al_ynode *expected = vec_get(c, "expected");
    size_t got = 0;
    int before = r->failed;
    for (size_t i = 0; i < d->n; i++) {
        if (!d->items[i].auth || (only && strcmp(only, d->items[i].agent->name) != 0))
            continue;
        struct al_buf s = AL_BUF_INIT;
        finder_notation(&d->items[i], &s);
        if (!in_list(expected, al_buf_cstr(&s)))
            vec_fail(r, c, vec_derived(c, NULL), "unexpected %s", al_buf_cstr(&s));
        got++;
        al_buf_free(&s);
    }
    if (got != expected->n && r->failed == before)
        vec_fail(r, c, vec_derived(c, NULL), "%zu authorizations, expected %zu", got, expected->n);
    r->passed += r->failed == before;
}

/* The authorization the finder picks gets no finding that says GitLab
 * drops it, and a projects entry that takes a group entry's place gets the
 * override finding that says so (the configuration project's own entry
 * only when its settings differ, which these vectors do not tell). */
static void finder_check_agrees(struct vec_run *r, const struct al_ynode *c, struct finder_case *fc,
                                bool instance, const struct al_auth *w)
{
    const struct al_access_agent *ag = w->agent;
    struct cfg_builder *b = finder_agent(fc, ag->name, NULL);
    if (!b || (!w->entry && w->scope != AL_SCOPE_IMPLICIT))
        return;
    char *yaml = builder_yaml(b);
    struct run cr;
    run_yaml(&cr, yaml);
    cr.ctx.project_path = b->project;
    cr.ctx.instance_authorization = instance;
    run_check(&cr);
    for (size_t k = 0; w->entry && k < sizeof DROP_RULES / sizeof DROP_RULES[0]; k++)
        if (finding_at(&cr, DROP_RULES[k], w->label))
            vec_fail(r, c, false, "check: %s on %s of %s, which the finder picks", DROP_RULES[k],
                     w->label, ag->name);
    if (w->replaces && !al_str_ieq(w->id, b->project) && !finding_at(&cr, "override", w->label))
        vec_fail(r, c, false, "check: no override on %s of %s, which replaces %s", w->label,
                 ag->name, w->replaces->label);
    /* The implicit authorization before a group entry that restricts. */
    const struct al_auth *g = w->scope == AL_SCOPE_IMPLICIT ? w->replaces : NULL;
    bool restricts = g && (g->restricts_env || g->protected_branches_only ||
                           g->access_as != AL_AS_AGENT || g->default_namespace);
    if (restricts && !finding_at(&cr, "override", g->label))
        vec_fail(r, c, false, "check: no override on %s of %s, which the implicit one replaces",
                 g->label, ag->name);
    run_free(&cr);
    free(yaml);
}

static void finder_case(struct vec_run *r, const struct al_ynode *c, const struct al_ynode *dflt)
{
    struct finder_case fc = {.n = 0};
    for (const struct place *p = finder_agents; p->name; p++)
        finder_agent(&fc, p->name, place_path(finder_tree, p->path));
    const struct al_ynode *reg = vec_get(c, "agents_registered_in");
    for (size_t i = 0; reg && i < reg->n; i++)
        finder_agent(&fc, reg->pairs[i].name, place_path(finder_tree, reg->pairs[i].val->str));
    const struct al_ynode *cfg = vec_get(c, "authorization_config");
    const struct al_ynode *auths = vec_get(c, "authorizations");
    for (size_t i = 0; i < auths->n; i++)
        if (!finder_add(&fc, auths->items[i]->str, cfg ? cfg : dflt))
            vec_fail(r, c, false, "cannot place %s (test bug)", auths->items[i]->str);
    struct al_access_opts o = {0};
    o.instance_authorization =
        vec_bool(vec_get(c, "settings"), "organization_cluster_agent_authorization_enabled");
    struct al_access m;
    al_access_init(&m, &o);
    struct al_agent *agents[MAX_AGENTS];
    for (size_t i = 0; i < fc.n; i++) {
        char *yaml = builder_yaml(&fc.agents[i]);
        agents[i] = fx_agent(fc.agents[i].agent, yaml);
        al_access_add(&m, agents[i], fc.agents[i].project);
        free(yaml);
    }
    /* CE: no Premium, so the licence gate drops ci_job/impersonate/ci_user. */
    struct al_job job = {place_path(finder_tree, "requesting_project"),
                         NULL,
                         true,
                         NULL,
                         NULL,
                         AL_LICENSE_FREE,
                         AL_ENV_ANCHORED};
    struct al_decisions d;
    al_access_decide(&m, &job, &d);
    finder_compare(r, c, &d);
    for (size_t i = 0; i < d.n; i++)
        if (d.items[i].auth)
            finder_check_agrees(r, c, &fc, o.instance_authorization, d.items[i].auth);
    al_decisions_free(&d);
    al_access_free(&m);
    for (size_t i = 0; i < fc.n; i++) {
        fx_agent_free(agents[i]);
        builder_free(&fc.agents[i]);
    }
}

static void finder(void **state)
{
    (void)state;
    struct al_ydoc *doc = vec_load("finder.yaml");
    struct vec_run r = {"finder.yaml", 0, 0, 0};
    const char *dflt_text = "{default_namespace: production, protected_branches_only: false}";
    struct al_ydoc *dflt = al_yaml_load(dflt_text, strlen(dflt_text));
    const struct al_ynode *cases = vec_get(doc->root, "cases");
    for (size_t i = 0; i < cases->n; i++)
        if (!vec_excluded(&r, cases->items[i], finder_exclusions))
            finder_case(&r, cases->items[i], dflt->root);
    al_ydoc_free(dflt);
    al_ydoc_free(doc);
    vec_done(&r);
}

/* ================= filter.yaml ================= */

/* The fixtures as one agent registered in group/project: project and group
 * fixtures become entries, the implicit one is the agent's implicit
 * authorization. */
struct filter_fixtures {
    struct al_access m;
    struct al_agent *agent;
    const struct al_ynode *names; /* meta.fixtures.authorizations */
};

static void filter_setup(struct filter_fixtures *f, const struct al_ynode *names)
{
    struct cfg_builder b = {0};
    for (size_t i = 0; i < names->n; i++) {
        const struct al_ynode *fx = names->pairs[i].val;
        const char *kind = vec_str(fx, "kind");
        struct al_buf id = AL_BUF_INIT;
        al_buf_printf(&id, "group/%s", names->pairs[i].name);
        if (strcmp(kind, "project") == 0)
            add_entry(&b.projects, al_buf_cstr(&id), vec_get(fx, "config"));
        else if (strcmp(kind, "group") == 0)
            add_entry(&b.groups, al_buf_cstr(&id), vec_get(fx, "config"));
        al_buf_free(&id);
    }
    char *yaml = builder_yaml(&b);
    f->agent = fx_agent("agent", yaml);
    free(yaml);
    builder_free(&b);
    struct al_access_opts o = {.config_project = "group/project"};
    al_access_init(&f->m, &o);
    al_access_add(&f->m, f->agent, "group/project");
    f->names = names;
}

static const struct al_auth *filter_fixture(const struct filter_fixtures *f, const char *name)
{
    const struct al_ynode *fx = vec_get(f->names, name);
    const char *kind = vec_str(fx, "kind");
    const struct al_access_agent *a = f->m.agents[0];
    if (kind && strcmp(kind, "implicit") == 0)
        return &a->auths[0];
    char id[64];
    snprintf(id, sizeof id, "group/%s", name);
    return al_access_auth_find(a, AL_CI_ACCESS,
                               strcmp(kind, "group") == 0 ? AL_SCOPE_GROUP : AL_SCOPE_PROJECT, id);
}

static struct al_filter_params filter_params(const struct al_ynode *c)
{
    const struct al_ynode *p = vec_get(c, "params");
    struct al_filter_params fp = {0};
    fp.has_environment = vec_has(p, "environment");
    fp.environment = vec_str(p, "environment");
    fp.has_protected_ref = vec_has(p, "protected_ref");
    fp.protected_ref = vec_bool(p, "protected_ref");
    const struct al_ynode *flags = vec_get(c, "feature_flags");
    const struct al_ynode *flag = vec_get(flags, "kubernetes_agent_protected_branches");
    fp.protected_flag_off = flag && flag->kind == AL_YBOOL && !flag->v.b;
    return fp;
}

/* Run the filter over `input` and compare the kept names, in order. */
static void filter_expect(struct vec_run *r, const struct al_ynode *c,
                          const struct filter_fixtures *f, const struct al_filter_params *p,
                          const struct al_ynode *kept, bool derived, const char *what)
{
    const struct al_ynode *input = vec_get(c, "input");
    struct al_buf got = AL_BUF_INIT, want = AL_BUF_INIT;
    for (size_t i = 0; i < input->n; i++) {
        const struct al_auth *a = filter_fixture(f, input->items[i]->str);
        if (!a)
            vec_fail(r, c, false, "fixture %s is not in the model", input->items[i]->str);
        else if (al_access_filter(a, p, NULL) == AL_KEEP)
            al_buf_printf(&got, "%s ", input->items[i]->str);
    }
    for (size_t i = 0; i < kept->n; i++)
        al_buf_printf(&want, "%s ", kept->items[i]->str);
    if (strcmp(al_buf_cstr(&got), al_buf_cstr(&want)) != 0)
        vec_fail(r, c, derived, "%s: kept [%s], expected [%s]", what, al_buf_cstr(&got),
                 al_buf_cstr(&want));
    al_buf_free(&got);
    al_buf_free(&want);
}

static void filter_case(struct vec_run *r, const struct al_ynode *c,
                        const struct filter_fixtures *f)
{
    int before = r->failed;
    struct al_filter_params p = filter_params(c);
    const struct al_ynode *current = vec_get(c, "current_service_result");
    if (current) {
        /* historical: the old service had no protected-ref filter at all */
        filter_expect(r, c, f, &p, vec_get(current, "value"),
                      vec_derived(c, "current_service_result"), "current service");
        struct al_filter_params old = p;
        old.has_protected_ref = true;
        old.protected_flag_off = true;
        filter_expect(r, c, f, &old, vec_get(c, "kept"), vec_derived(c, NULL), "old service");
    } else {
        filter_expect(r, c, f, &p, vec_get(c, "kept"), vec_derived(c, NULL), "kept");
    }
    r->passed += r->failed == before;
}

static void filter(void **state)
{
    (void)state;
    struct al_ydoc *doc = vec_load("filter.yaml");
    struct vec_run r = {"filter.yaml", 0, 0, 0};
    struct filter_fixtures f;
    filter_setup(&f, vec_get(vec_get(vec_get(doc->root, "meta"), "fixtures"), "authorizations"));
    const char *lists[] = {"cases", "historical_cases"};
    for (size_t l = 0; l < 2; l++) {
        const struct al_ynode *cases = vec_get(doc->root, lists[l]);
        for (size_t i = 0; cases && i < cases->n; i++)
            filter_case(&r, cases->items[i], &f);
    }
    al_access_free(&f.m);
    fx_agent_free(f.agent);
    al_ydoc_free(doc);
    vec_done(&r);
}

/* ================= refresh.yaml ================= */

/* GitLab's routes table for the fixture: name -> current full path. */
struct route {
    const char *name;
    char path[96];
    bool group;
};

struct refresh_world {
    struct route routes[12];
    size_t n;
    const char *config_project;
    bool personal; /* the config project's namespace is a user's */
};

static void world_add(struct refresh_world *w, const char *name, const char *path, bool group)
{
    struct route *rt = &w->routes[w->n++];
    rt->name = name;
    snprintf(rt->path, sizeof rt->path, "%s", path);
    rt->group = group;
}

static struct route *world_find(struct refresh_world *w, const char *name)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->routes[i].name, name) == 0)
            return &w->routes[i];
    return NULL;
}

/* The fixture tree, moved as the case says. */
static void world_setup(struct refresh_world *w, const struct al_ynode *c)
{
    memset(w, 0, sizeof(*w));
    world_add(w, "removed_group", "R/removed_group", true);
    world_add(w, "modified_group", "R/modified_group", true);
    world_add(w, "added_group", "R/group-path-with-UPPERCASE", true);
    world_add(w, "removed_project", "R/removed_project", false);
    world_add(w, "modified_project", "R/modified_project", false);
    world_add(w, "added_project", "R/project-path-with-UPPERCASE", false);
    /* refresh-d001 names added_project R/Added-Project: a second route to it */
    world_add(w, "added_project", "R/Added-Project", false);
    w->config_project = "R/config_project";
    const char *where = vec_str(c, "config_project_location");
    if (where && strstr(where, "own user namespace"))
        w->config_project = "someuser/config_project", w->personal = true;
    else if (where && strstr(where, "user namespace U"))
        w->config_project = "u/config_project", w->personal = true;
    else if (where && strstr(where, "another root group"))
        w->config_project = "other-root/config_project";
    const char *moved = vec_str(c, "added_project_location");
    if (moved && strstr(moved, "user namespace U"))
        snprintf(world_find(w, "added_project")->path, 96, "u/project-path-with-UPPERCASE");
}

/* "<added_group full path, e.g. ...>", "<MODIFIED_PROJECT FULL PATH>": the
 * named fixture's current path, upper-cased where the placeholder says so. */
static void placeholder(struct refresh_world *w, const char *text, size_t n, struct al_buf *out)
{
    static const char *const names[] = {"added_group", "modified_group", "added_project",
                                        "modified_project", NULL};
    char *ph = al_strndup(text, n);
    char *low = al_str_lower(ph);
    for (const char *const *nm = names; *nm; nm++) {
        if (!strstr(low, *nm))
            continue;
        const char *path = world_find(w, *nm)->path;
        bool upper = strstr(ph, "UPPER-CASED") || strstr(ph, "FULL PATH");
        for (const char *p = path; *p; p++)
            al_buf_putc(out, upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p);
        break;
    }
    free(low);
    free(ph);
}

static char *expand(struct refresh_world *w, const char *yaml)
{
    struct al_buf out = AL_BUF_INIT;
    unsigned n_missing, dummy;
    /* refresh-d002 describes its config in prose */
    if (sscanf(yaml, "ci_access.projects = %u entries that do not exist, then %u valid project",
               &n_missing, &dummy) == 2) {
        al_buf_puts(&out, "ci_access:\n  projects:\n");
        for (unsigned i = 0; i < n_missing; i++)
            al_buf_printf(&out, "    - id: R/missing-%u\n", i);
        al_buf_printf(&out, "    - id: %s\n", world_find(w, "added_project")->path);
        return al_buf_detach(&out);
    }
    for (const char *p = yaml; *p;) {
        const char *end = *p == '<' ? strchr(p, '>') : NULL;
        if (end) {
            placeholder(w, p + 1, (size_t)(end - p - 1), &out);
            p = end + 1;
        } else {
            al_buf_putc(&out, *p++);
        }
    }
    return al_buf_detach(&out);
}

/* The rows GitLab stores: effective entries whose id is a route of the
 * right kind (the routes table is the database; unknown ids match nothing). */
static const char *row_name(struct refresh_world *w, const struct al_auth *a, enum al_section s)
{
    if (!a->effective || a->section != s || !a->id)
        return NULL;
    for (size_t i = 0; i < w->n; i++)
        if (w->routes[i].group == (a->scope == AL_SCOPE_GROUP) &&
            al_str_ieq(w->routes[i].path, a->id))
            return w->routes[i].name;
    return NULL;
}

/* Stored config = the entry without `id`, verbatim. */
static bool same_scalar(const struct al_ynode *a, const struct al_ynode *b)
{
    return a->kind == b->kind && a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static bool stored_config_is(const struct al_auth *a, const struct al_ynode *want)
{
    const struct al_ynode *node = a->entry->node;
    size_t n = 0;
    for (size_t i = 0; i < node->n; i++) {
        if (strcmp(node->pairs[i].name, "id") == 0)
            continue;
        const struct al_ynode *w = vec_get(want, node->pairs[i].name);
        if (!w || !same_scalar(node->pairs[i].val, w))
            return false;
        n++;
    }
    return n == want->n;
}

static void rows_expect(struct vec_run *r, const struct al_ynode *c, struct refresh_world *w,
                        const struct al_access_agent *ag, enum al_section section,
                        enum al_scope scope, const char *field)
{
    const struct al_ynode *want = vec_get(c, field);
    if (!want)
        return;
    bool derived = vec_derived(c, NULL);
    size_t rows = 0;
    for (size_t i = 0; i < ag->n_auths; i++) {
        const struct al_auth *a = &ag->auths[i];
        const char *name = a->scope == scope ? row_name(w, a, section) : NULL;
        if (!name)
            continue;
        rows++;
        bool listed = want->kind == AL_YMAP ? vec_has(want, name) : in_list(want, name);
        if (!listed)
            vec_fail(r, c, derived, "%s: unexpected row %s", field, name);
        else if (want->kind == AL_YMAP && !stored_config_is(a, vec_get(want, name)))
            vec_fail(r, c, derived, "%s: row %s stores another config", field, name);
    }
    if (rows != want->n)
        vec_fail(r, c, derived, "%s: %zu rows, expected %zu", field, rows, want->n);
}

static void absent_expect(struct vec_run *r, const struct al_ynode *c, struct refresh_world *w,
                          const struct al_access_agent *ag)
{
    const struct al_ynode *absent = vec_get(c, "expected_absent");
    for (size_t i = 0; i < ag->n_auths; i++) {
        const char *name = row_name(w, &ag->auths[i], AL_CI_ACCESS);
        if (name && in_list(absent, name))
            vec_fail(r, c, vec_derived(c, NULL), "row %s should be gone", name);
    }
}

static struct al_ids *world_ids(struct refresh_world *w)
{
    if (!w->personal)
        return NULL;
    struct al_ids *ids = al_ids_new();
    struct al_buf j = AL_BUF_INIT;
    char *ns = al_strndup(w->config_project, strcspn(w->config_project, "/"));
    al_buf_printf(&j,
                  "[{\"id\": 1, \"path_with_namespace\": \"%s\", \"namespace\": {\"id\": 2, "
                  "\"kind\": \"user\", \"full_path\": \"%s\"}}]",
                  w->config_project, ns);
    assert_int_equal(al_ids_load(ids, j.ptr, j.len, "fixture"), 0);
    free(ns);
    al_buf_free(&j);
    return ids;
}

/* A row the vector keeps gets no finding that says GitLab drops it, and an
 * entry the refresh drops gets the finding that says why. `check` knows a
 * personal namespace only as `root` (it has no --ids), so a drop that rests
 * on --ids alone is not asked of it; nor are cases that stub the limit. */
static void check_agrees(struct vec_run *r, const struct al_ynode *c, struct refresh_world *w,
                         const struct al_access_opts *o, const char *yaml,
                         const struct al_access_agent *ag)
{
    struct run cr;
    run_yaml(&cr, yaml);
    cr.ctx.project_path = w->config_project;
    if (o->gitlab_version)
        cr.ctx.gitlab_version = o->gitlab_version;
    cr.ctx.instance_authorization = o->instance_authorization;
    run_check(&cr);
    bool derived = vec_derived(c, NULL);
    for (size_t i = 0; i < ag->n_auths; i++) {
        const struct al_auth *a = &ag->auths[i];
        if (!a->entry || a->scope == AL_SCOPE_INSTANCE)
            continue;
        const char *row = row_name(w, a, a->section);
        for (size_t k = 0; row && k < sizeof DROP_RULES / sizeof DROP_RULES[0]; k++)
            if (finding_at(&cr, DROP_RULES[k], a->label))
                vec_fail(r, c, derived, "check: %s on %s, a row GitLab keeps", DROP_RULES[k],
                         a->label);
        const char *rule = rule_of(a->drop);
        bool by_ids = a->drop == AL_DROP_PERSONAL && w->personal;
        if (rule && !by_ids && !finding_at(&cr, rule, a->label))
            vec_fail(r, c, derived, "check: no %s on %s, which GitLab drops (%s)", rule, a->label,
                     al_drop_name(a->drop));
    }
    run_free(&cr);
}

static void refresh_case(struct vec_run *r, const struct al_ynode *c, const char *template)
{
    struct refresh_world w;
    world_setup(&w, c);
    const char *text = vec_str(c, "config_yaml");
    char *yaml = expand(&w, text ? text : template);
    struct al_agent *agent = fx_agent("agent", yaml);
    struct al_ids *ids = world_ids(&w);
    const struct al_ynode *limit = vec_get(c, "limit");
    struct al_access_opts o = {.config_project = w.config_project, .ids = ids};
    o.entry_limit = limit ? (size_t)limit->v.i : 0;
    /* cross_root_cases: the version and the admin setting (default: the
     * newest GitLab, setting off) */
    const char *version = vec_str(c, "gitlab_version");
    o.gitlab_version = version ? al_version_parse(version) : 0;
    const struct al_ynode *setting = vec_get(c, "instance_authorization");
    o.instance_authorization = setting && setting->kind == AL_YBOOL && setting->v.b;
    struct al_access m;
    al_access_init(&m, &o);
    const struct al_access_agent *ag = al_access_add(&m, agent, w.config_project);
    int before = r->failed;
    rows_expect(r, c, &w, ag, AL_CI_ACCESS, AL_SCOPE_GROUP, "expected_groups");
    rows_expect(r, c, &w, ag, AL_CI_ACCESS, AL_SCOPE_PROJECT, "expected_projects");
    rows_expect(r, c, &w, ag, AL_USER_ACCESS, AL_SCOPE_GROUP, "expected_user_groups");
    rows_expect(r, c, &w, ag, AL_USER_ACCESS, AL_SCOPE_PROJECT, "expected_user_projects");
    absent_expect(r, c, &w, ag);
    if (!limit)
        check_agrees(r, c, &w, &o, yaml, ag);
    r->passed += r->failed == before;
    al_access_free(&m);
    al_ids_free(ids);
    fx_agent_free(agent);
    free(yaml);
}

static void refresh(void **state)
{
    (void)state;
    struct al_ydoc *doc = vec_load("refresh.yaml");
    struct vec_run r = {"refresh.yaml", 0, 0, 0};
    const struct al_ynode *fixture = vec_get(vec_get(doc->root, "meta"), "fixture");
    const char *template = vec_str(fixture, "default_config_yaml");
    const char *lists[] = {"cases", "derived_cases", "cross_root_cases"};
    for (size_t l = 0; l < 3; l++) {
        const struct al_ynode *cases = vec_get(doc->root, lists[l]);
        for (size_t i = 0; cases && i < cases->n; i++)
            refresh_case(&r, cases->items[i], template);
    }
    al_ydoc_free(doc);
    vec_done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finder),
        cmocka_unit_test(filter),
        cmocka_unit_test(refresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
