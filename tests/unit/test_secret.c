/* secret: credentials in any file under .gitlab/agents/, reported by file
 * and line and never printed: no finding field carries them, no renderer
 * shows their source line, and the source itself is only read. */
#include "checkutil.h"

#include "cli/formats.h"
#include "cli/render.h"

static const char TOKEN[] = "glagent-Zx81Qm0PdLr5Tyw3Vb7NcK2sHf9Ej4GaUo6XiWq";
static const char KEYDATA[] = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFB";
static const char JWT[] = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJhZG1pbiJ9.c2ln";

/* No finding of the run mentions `secret`, no format prints it, and the
 * source still holds it (agentlint reads; it never rewrites). */
static void assert_never_printed(const struct run *r, const char *secret)
{
    bool in_source = false;
    for (size_t i = 0; i < r->report.findings.n; i++) {
        const struct al_finding *f = &r->report.findings.items[i];
        assert_false(contains(f->message, secret));
        assert_false(contains(f->suggestion, secret));
        assert_false(contains(f->value, secret));
        assert_false(contains(f->key_path, secret));
    }
    for (size_t i = 0; i < r->src->n_files; i++)
        in_source = in_source || contains(r->src->files[i].data, secret);
    assert_true(in_source);
    for (const struct al_format *fmt = al_formats; fmt->name; fmt++) {
        if (fmt->cmd != AL_CMD_CHECK)
            continue;
        struct al_check_view v = {0};
        v.report = &r->report;
        v.source = r->src;
        v.ctx = &r->ctx;
        v.version = "test";
        v.fail_on = AL_SEV_ERROR;
        struct al_buf out = AL_BUF_INIT;
        assert_int_equal(al_format_render(fmt, &v, &out), 0);
        assert_true(out.len > 0);
        if (contains(al_buf_cstr(&out), secret))
            fail_msg("format %s prints the secret", fmt->name);
        al_buf_free(&out);
    }
}

static void agent_token_in_a_config_comment(void **state)
{
    (void)state;
    char y[256];
    snprintf(y, sizeof y, "ci_access:\n  projects:\n    - id: grp/app\n# token: %s\n", TOKEN);
    struct run r;
    run_yaml(&r, y);
    run_check(&r);
    const struct al_finding *f = find_rule(&r, "secret", 4);
    assert_int_equal(f->severity, AL_SEV_ERROR);
    assert_int_equal(f->col, 10);
    assert_string_equal(f->value, "agent-token");
    assert_string_equal(f->agent, "prod");
    assert_never_printed(&r, TOKEN);
    run_free(&r);
}

static void any_file_under_agents_nested_too(void **state)
{
    (void)state;
    char tok[128], kube[1024];
    snprintf(tok, sizeof tok, "%s\n", TOKEN);
    snprintf(kube, sizeof kube,
             "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
             "    server: https://k8s\ncontexts: []\nusers:\n- name: admin\n  user:\n"
             "    client-key-data: %s\n    token: %s\n    password: s3cr3t-Pa55\n",
             KEYDATA, JWT);
    struct run r;
    run_init(&r, AL_SRC_WORKTREE);
    run_file(&r, ".gitlab/agents/prod/config.yaml", "ci_access:\n  groups:\n    - id: grp\n");
    run_file(&r, ".gitlab/agents/prod/secrets/token.txt", tok);
    run_file(&r, "deploy/.gitlab/agents/dev/kubeconfig", kube);
    run_file(&r, "README.md", tok); /* not under .gitlab/agents */
    r.ctx.project_path = "grp/agents";
    run_check(&r);
    assert_int_equal(count_rule(&r, "secret"), 4);
    size_t in_token = 0, in_kube = 0;
    for (size_t i = 0; i < r.report.findings.n; i++) {
        const struct al_finding *f = &r.report.findings.items[i];
        if (strcmp(f->rule, "secret") != 0)
            continue;
        if (strcmp(f->path, ".gitlab/agents/prod/secrets/token.txt") == 0) {
            in_token++;
            assert_int_equal(f->line, 1);
            assert_string_equal(f->agent, "prod");
        } else if (strcmp(f->path, "deploy/.gitlab/agents/dev/kubeconfig") == 0) {
            in_kube++;
            assert_string_equal(f->agent, "dev");
        }
    }
    assert_int_equal(in_token, 1);
    assert_int_equal(in_kube, 3);
    assert_never_printed(&r, KEYDATA);
    assert_never_printed(&r, JWT);
    assert_never_printed(&r, "s3cr3t-Pa55");
    run_free(&r);
}

static void private_key_block(void **state)
{
    (void)state;
    struct run r;
    run_init(&r, AL_SRC_WORKTREE);
    run_file(&r, ".gitlab/agents/prod/config.yaml", "ci_access:\n  groups:\n    - id: grp\n");
    run_file(&r, ".gitlab/agents/prod/ca.key",
             "-----BEGIN RSA PRIVATE KEY-----\n"
             "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
             "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
             "-----END RSA PRIVATE KEY-----\n");
    run_check(&r);
    const struct al_finding *f = find_rule(&r, "secret", 1);
    assert_string_equal(f->value, "private-key");
    assert_never_printed(&r, "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun");
    run_free(&r);
}

static void placeholders_are_not_secrets(void **state)
{
    (void)state;
    struct run r;
    run_init(&r, AL_SRC_WORKTREE);
    run_file(&r, ".gitlab/agents/prod/config.yaml",
             "# helm install --set config.token=glagent-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
             "# token: glagent-<token>\n"
             "# glagent-YOUR_AGENT_TOKEN_GOES_HERE_PLEASE\n"
             "# glagent-abc\n"
             "ci_access:\n  groups:\n    - id: grp\n");
    run_file(&r, ".gitlab/agents/prod/kubeconfig",
             "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers:\n- name: u\n"
             "  user:\n    token: <token>\n    password: ${PASSWORD}\n");
    run_file(&r, ".gitlab/agents/prod/values.yaml", "db:\n  password: hunter2hunter2\n");
    run_file(&r, ".gitlab/agents/prod/README.md",
             "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "secret"), 0);
    run_free(&r);
}

static void plain_files_are_scanned(void **state)
{
    (void)state;
    char y[256];
    snprintf(y, sizeof y, "ci_access:\n  groups:\n    - id: grp\n#%s\n", TOKEN);
    struct run r;
    run_init(&r, AL_SRC_FILES);
    run_file(&r, "prod.yaml", y);
    r.ctx.agent_name = "prod";
    run_check(&r);
    assert_int_equal(count_rule(&r, "secret"), 1);
    assert_never_printed(&r, TOKEN);
    run_free(&r);
}

/* Every documented GitLab token prefix ("Token prefixes" in GitLab's token
 * overview), each on its own line of a comment, one finding each with its
 * kind, and none of them printed. Bodies are built here so that the test
 * file itself holds no token. */
static void every_gitlab_token_prefix(void **state)
{
    (void)state;
    static const char *const prefixes[][2] = {
        {"glpat-", "access-token"},
        {"gldt-", "deploy-token"},
        {"glrt-", "runner-token"},
        {"glrtr-", "runner-token"},
        {"GR1348941", "runner-registration-token"},
        {"glcbt-", "job-token"},
        {"glptt-", "trigger-token"},
        {"glft-", "feed-token"},
        {"glimt-", "incoming-mail-token"},
        {"gloas-", "oauth-secret"},
        {"glsoat-", "scim-token"},
        {"glffct-", "feature-flags-token"},
        {"glwt-", "workspace-token"},
        {"SIE-glpat-", "access-token"}, /* an instance token prefix */
    };
    enum { N = sizeof prefixes / sizeof prefixes[0] };
    char tokens[N][96];
    struct al_buf y = AL_BUF_INIT;
    al_buf_puts(&y, "ci_access:\n  groups:\n    - id: grp\n");
    for (size_t i = 0; i < N; i++) {
        snprintf(tokens[i], sizeof tokens[i], "%s%c9Qm0PdLr5Tyw3Vb7NcK2sH.01.1a2b3c",
                 prefixes[i][0], (char)('A' + i));
        al_buf_printf(&y, "# %zu: %s.\n", i, tokens[i]); /* line 4 + i, ends a sentence */
    }
    struct run r;
    run_yaml(&r, al_buf_cstr(&y));
    run_check(&r);
    assert_int_equal(count_rule(&r, "secret"), N);
    for (size_t i = 0; i < N; i++) {
        const struct al_finding *f = find_rule(&r, "secret", (unsigned)(4 + i));
        assert_string_equal(f->value, prefixes[i][1]);
        assert_never_printed(&r, tokens[i]);
        assert_never_printed(&r, strchr(tokens[i], '.')); /* the routable payload too */
    }
    run_free(&r);
    al_buf_free(&y);
}

static void gitlab_token_near_misses(void **state)
{
    (void)state;
    struct run r;
    run_yaml(&r, "# glpat-xxxxxxxxxxxxxxxxxxxxxxxx\n" /* placeholder */
                 "# glpat-<your-token>\n"
                 "# gldt-abc123\n" /* too short */
                 "# GR1348941 is the registration prefix\n"
                 "# glrt-${RUNNER_TOKEN_FROM_THE_VAULT}\n"
                 "# glft-****************************\n"
                 "ci_access:\n  groups:\n    - id: grp\n");
    run_check(&r);
    assert_int_equal(count_rule(&r, "secret"), 0);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(agent_token_in_a_config_comment),
        cmocka_unit_test(any_file_under_agents_nested_too),
        cmocka_unit_test(private_key_block),
        cmocka_unit_test(placeholders_are_not_secrets),
        cmocka_unit_test(plain_files_are_scanned),
        cmocka_unit_test(every_gitlab_token_prefix),
        cmocka_unit_test(gitlab_token_near_misses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
