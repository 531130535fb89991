"""agentlint's own configuration end to end: .agentlint.yaml (context,
severities, off, ignored paths, errors in the file itself) and inline
`# agentlint: ignore[RULE-ID]` comments, on real repositories."""

from util import TestCase

CFG = ".gitlab/agents/prod/config.yaml"
SANDBOX = ".gitlab/agents/sandbox/config.yaml"
TEXT = ("ci_access:\n"
        "  projects:\n"
        "    - id: /grp/app/\n"          # 3: id-format
        "    - id: other/app\n"          # 4: namespace with grp/agents
        "  groups:\n"
        "    - id: grp\n"
        "      environments: [prod.*]\n")  # 7: env-pattern warning + note


class Settings(TestCase):
    def lint(self, settings, files=None, *args):
        r = self.repo()
        r.write(CFG, TEXT)
        for path, text in (files or {}).items():
            r.write(path, text)
        if settings is not None:
            r.write(".agentlint.yaml", settings)
        return r.agentlint("-f", "json", *args)

    def rules(self, res, severity=None):
        return sorted((f["rule"], f["line"]) for f in res.json()["findings"]
                      if severity is None or f["severity"] == severity)

    def test_context_from_the_file(self):
        res = self.lint("project_path: grp/agents\n")
        self.assertIn(".agentlint.yaml", self.assertFinding(res, "namespace", CFG, line=4)["message"])
        # A flag wins over the file.
        res = self.lint("project_path: grp/agents\n", None, "--project-path", "other/agents")
        self.assertFinding(res, "namespace", CFG, line=6)
        res = self.lint("instance_authorization: true\nproject_path: grp/agents\n")
        self.assertNoFinding(res, "namespace")
        res = self.lint("env_matching: legacy\n")
        self.assertIn("unanchored", self.assertFinding(res, "env-pattern", line=7,
                                                       severity="warning")["message"])
        pbo = "ci_access:\n  projects:\n    - id: grp/app\n      protected_branches_only: true\n"
        res = self.lint('gitlab_version: "17.2"\n', {CFG: pbo})
        self.assertFinding(res, "version", line=4)
        res = self.lint('gitlab_version: "17.2"\n', {CFG: pbo}, "--gitlab-version", "17.3")
        self.assertNoFinding(res, "version")

    def test_severity_override(self):
        res = self.lint("rules:\n  id-format: error\n  env-pattern: note\n")
        self.assertEqual(res.rc, 1, res)
        self.assertFinding(res, "id-format", line=3, severity="error")
        self.assertFinding(res, "env-pattern", line=7, severity="note")
        self.assertEqual(res.json()["summary"]["warnings"], 0)

    def test_raising_a_rule_keeps_its_notes(self):
        res = self.lint("rules:\n  env-pattern: error\n")
        self.assertFinding(res, "env-pattern", line=7, column=22, severity="error")
        self.assertFinding(res, "env-pattern", line=7, column=7, severity="note")

    def test_off_plain_and_quoted(self):
        for off in ("off", '"off"', "false"):
            res = self.lint("rules:\n  id-format: %s\n  env-pattern: off\n" % off)
            self.assertNoFinding(res, "id-format")
            self.assertNoFinding(res, "env-pattern")
            self.assertFinding(res, "namespace", severity="note")

    def test_ignore_paths_and_globs(self):
        sandbox = {SANDBOX: "ci_access:\n  projects:\n    - id: /x/\n"}
        base = self.lint(None, sandbox)
        self.assertFinding(base, "id-format", SANDBOX, line=3)
        for pattern in (".gitlab/agents/sandbox/", ".gitlab/agents/sandbox",
                        "**/sandbox/*", ".gitlab/agents/s*/config.yaml"):
            res = self.lint('ignore:\n  - "%s"\n' % pattern, sandbox)
            self.assertFalse(self.findings(res, path=SANDBOX), pattern)
            self.assertFinding(res, "id-format", CFG, line=3)
        res = self.lint('ignore: ["**/config.yaml"]\n', sandbox)
        self.assertEqual(res.json()["findings"], [])
        self.assertEqual(res.rc, 0)

    def test_settings_come_from_the_revision_checked(self):
        r = self.repo()
        r.write(CFG, TEXT)
        r.write(".agentlint.yaml", "rules:\n  id-format: off\n")
        r.add()
        r.commit()
        r.write(".agentlint.yaml", "rules:\n  id-format: error\n")
        self.assertNoFinding(r.agentlint("-f", "json", "--rev", "HEAD"), "id-format")
        self.assertFinding(r.agentlint("-f", "json"), "id-format", severity="error")

    def test_bad_settings_file(self):
        cases = {
            "rules:\n  no-such-rule: off\n": ".agentlint.yaml:2: unknown rule id 'no-such-rule'",
            "rules:\n  id-format: loud\n": ".agentlint.yaml:2: a rule's severity must be",
            "ignore: sandbox\n": ".agentlint.yaml:1: ignore must be a list",
            "env_matching: fuzzy\n": ".agentlint.yaml:1: env_matching must be anchored or legacy",
            "gitlab_version: soon\n": ".agentlint.yaml:1: gitlab_version must look like",
            "colour: red\n": ".agentlint.yaml:1: unknown setting 'colour'",
            "rules: [\n": ".agentlint.yaml:2:1:",
            "- a\n- b\n": ".agentlint.yaml:1: the file must be a mapping",
            "policy:\n  preset: prod\n": ".agentlint.yaml:2: policy: unknown preset 'prod'",
            "policy:\n  agents:\n    prod: {access_as: [root]}\n":
                ".agentlint.yaml:3: policy: access_as items must be",
            "policy:\n  agents:\n    prod: {groups: acme}\n":
                ".agentlint.yaml:3: policy: groups must be a list of globs",
            "policy:\n  agents:\n    prod: {protected: true}\n":
                ".agentlint.yaml:3: policy: unknown requirement 'protected'",
            "policy:\n  agents: [prod]\n": ".agentlint.yaml:2: policy: agents must map",
            "policy:\n  presets: production\n": ".agentlint.yaml:2: policy: unknown key",
            "policy: production\n": ".agentlint.yaml:1: policy: policy must be a mapping",
        }
        for text, start in cases.items():
            res = self.lint(text)
            self.assertEqual(res.rc, 2, res)
            self.assertEqual(res.out, "", res)
            lines = res.err.strip().splitlines()
            self.assertEqual(len(lines), 1, res)
            self.assertTrue(lines[0].startswith("agentlint: " + start), res)
            self.assertTrue(lines[0].endswith("fix .agentlint.yaml"), res)


PROD = ".gitlab/agents/prod/config.yaml"
STAGING = ".gitlab/agents/staging/config.yaml"
# What the production preset accepts: ci_job with environments and protected
# branches, and user_access as the user.
PROD_OK = ("ci_access:\n"
           "  projects:\n"
           "    - id: grp/web\n"
           "      access_as:\n"
           "        ci_job: {}\n"
           "      environments: [production]\n"
           "      protected_branches_only: true\n"
           "user_access:\n"
           "  access_as:\n"
           "    user: {}\n"
           "  projects:\n"
           "    - id: grp/web\n")


class Policy(TestCase):
    def lint(self, settings, files):
        r = self.repo()
        for path, text in files.items():
            r.write(path, text)
        r.write(".agentlint.yaml", "project_path: grp/agents\n" + settings)
        return r.agentlint("-f", "json")

    def policy(self, res):
        return sorted((f["path"], f["line"], f["column"]) for f in res.json()["findings"]
                      if f["rule"] == "policy")

    def test_production_preset_for_every_agent(self):
        res = self.lint("policy:\n  preset: production\n", {PROD: PROD_OK})
        self.assertEqual(self.policy(res), [], res)
        self.assertEqual(res.rc, 0, res)
        loose = PROD_OK.replace("      protected_branches_only: true\n", "").replace(
            "        ci_job: {}\n", "        agent: {}\n")
        res = self.lint("policy:\n  preset: production\n", {PROD: loose})
        self.assertEqual(res.rc, 1, res)
        self.assertEqual(self.policy(res), [(PROD, 3, 11), (PROD, 5, 9)], res)
        f = self.assertFinding(res, "policy", PROD, line=5, severity="error")
        self.assertIn("preset production", f["message"])
        self.assertIn(".agentlint.yaml:3", f["message"])  # where the policy is set
        self.assertIn("allows only ci_job, user", f["message"])
        self.assertIn("protected_branches_only", self.assertFinding(
            res, "policy", PROD, line=3)["message"])
        # a group entry without access_as: the agent's own identity, for the whole group
        group = PROD_OK.replace("user_access:", "  groups:\n    - id: grp\nuser_access:", 1)
        res = self.lint("policy:\n  preset: production\n", {PROD: group})
        msgs = [f["message"] for f in res.json()["findings"]
                if f["rule"] == "policy" and f["line"] == 9]
        self.assertEqual(len(msgs), 3, msgs)  # access_as, environments, protected branches
        self.assertIn("no access_as means the agent's own service account", " ".join(msgs))
        # user_access as the agent is not allowed either
        res = self.lint("policy:\n  preset: production\n",
                        {PROD: PROD_OK.replace("    user: {}\n", "    agent: {}\n")})
        self.assertEqual(self.policy(res), [(PROD, 12, 11)], res)

    def test_per_agent_globs_first_match_wins(self):
        settings = ("policy:\n"
                    "  preset: production\n"
                    "  agents:\n"
                    "    \"prod*\": production\n"
                    "    staging:\n"
                    "      access_as: [ci_job, impersonate]\n"
                    "      environments: [staging, \"review/*\"]\n"
                    "      projects: [\"grp/web*\"]\n"
                    "      groups: []\n"
                    "      default_namespaces: [\"web-*\"]\n"
                    "      impersonate: [deployer, ops]\n")
        staging = ("ci_access:\n"
                   "  projects:\n"
                   "    - id: grp/web-1\n"
                   "      access_as:\n"
                   "        impersonate:\n"
                   "          username: deployer\n"
                   "          groups: [ops, cluster-ops]\n"  # 7: not allowed
                   "      environments: [staging, \"review/*\", \"prod*\"]\n"  # 8: prod*
                   "      default_namespace: kube-system\n"  # 9
                   "    - id: grp/api\n"  # 10: not an allowed project
                   "      access_as:\n"
                   "        ci_job: {}\n"
                   "  groups:\n"
                   "    - id: grp/team\n"  # 14: no group allowed
                   "      access_as:\n"
                   "        ci_job: {}\n")
        res = self.lint(settings, {PROD: PROD_OK, STAGING: staging,
                                   ".gitlab/agents/dev/config.yaml": PROD_OK})
        self.assertEqual(self.policy(res), [(STAGING, 7, 25), (STAGING, 8, 43),
                                            (STAGING, 9, 26), (STAGING, 10, 11),
                                            (STAGING, 14, 11)], res)
        self.assertIn('agents "staging" (.agentlint.yaml:6)',
                      self.assertFinding(res, "policy", STAGING, line=7)["message"])
        # near misses: every value the policy allows, and an agent no glob names
        clean = (staging.replace(", cluster-ops", "").replace(', \"prod*\"', "")
                 .replace("kube-system", "web-1").replace("grp/api", "grp/web-2")
                 .replace("  groups:\n    - id: grp/team\n      access_as:\n"
                          "        ci_job: {}\n", ""))
        res = self.lint(settings.replace("  preset: production\n", ""),
                        {PROD: PROD_OK, STAGING: clean, ".gitlab/agents/dev/config.yaml":
                         "ci_access:\n  groups:\n    - id: grp\n"})
        self.assertEqual(self.policy(res), [], res)
        self.assertEqual(res.rc, 0, res)

    def test_readme_policy_as_written(self):
        from util import readme_snippet
        settings = readme_snippet("policy")
        staging = ("ci_access:\n"
                   "  projects:\n"
                   "    - id: platform/web\n"
                   "      access_as:\n"
                   "        impersonate:\n"
                   "          username: deployer\n"
                   "      environments: [staging]\n"
                   "      default_namespace: staging-web\n"
                   "  groups:\n"
                   "    - id: platform\n"  # 10: no group allowed
                   "      access_as:\n"
                   "        ci_job: {}\n"
                   "      environments: [production]\n")  # 13: not allowed
        r = self.repo()
        r.write(".agentlint.yaml", settings)
        r.write(PROD, PROD_OK)
        r.write(STAGING, staging)
        r.write(".gitlab/agents/dev/config.yaml", "ci_access:\n  groups:\n    - id: platform\n")
        res = r.agentlint("-f", "json")
        self.assertEqual(res.rc, 1, res)
        got = self.policy(res)
        self.assertEqual([g for g in got if g[0] == STAGING], [(STAGING, 10, 11), (STAGING, 13, 22)])
        self.assertEqual([g for g in got if g[0] == PROD], [])
        dev = [g for g in got if g[0] == ".gitlab/agents/dev/config.yaml"]
        self.assertEqual(len(dev), 3, got)  # preset for every other agent

    def test_inline_ignore_and_severity_apply(self):
        text = "ci_access:\n  projects:\n    - id: grp/web\n"
        res = self.lint("rules:\n  policy: warning\npolicy:\n  preset: production\n",
                        {PROD: text})
        self.assertEqual(res.rc, 0, res)
        self.assertFinding(res, "policy", PROD, line=3, severity="warning")
        res = self.lint("policy:\n  preset: production\n",
                        {PROD: text.replace("grp/web\n", "grp/web # agentlint: ignore[policy]\n")})
        self.assertEqual(self.policy(res), [])


class InlineIgnore(TestCase):
    def lint(self, text, *args):
        r = self.repo()
        r.write(CFG, text)
        return r.agentlint("-f", "json", "--project-path", "grp/agents", *args)

    def test_same_line(self):
        res = self.lint(TEXT.replace("/grp/app/\n", "/grp/app/  # agentlint: ignore[id-format]\n"))
        self.assertNoFinding(res, "id-format")
        self.assertFinding(res, "namespace", line=4)

    def test_line_above_with_several_rules(self):
        text = TEXT.replace("    - id: other/app\n",
                            "    # agentlint: ignore[duplicate-id, namespace]\n"
                            "    - id: other/app\n")
        res = self.lint(text)
        self.assertNoFinding(res, "namespace")
        self.assertFinding(res, "id-format", line=3)

    def test_only_the_named_rule_and_only_adjacent_lines(self):
        text = TEXT.replace("    - id: /grp/app/\n",
                            "    # agentlint: ignore[namespace]\n    - id: /grp/app/\n")
        self.assertFinding(self.lint(text), "id-format", line=4)
        text = TEXT.replace("    - id: /grp/app/\n",
                            "    # agentlint: ignore[id-format]\n\n    - id: /grp/app/\n")
        self.assertFinding(self.lint(text), "id-format", line=5)
        text = TEXT.replace("    - id: other/app\n",
                            "    - id: other/app\n    # agentlint: ignore[namespace]\n")
        self.assertFinding(self.lint(text), "namespace", line=4)

    def test_secret_can_be_ignored_for_a_fixture(self):
        token = "glagent-Zx81Qm0PdLr5Tyw3Vb7NcK2sHf9Ej4GaUo6XiWq"
        text = "# %s  # agentlint: ignore[secret]\nci_access:\n  groups:\n    - id: grp\n" % token
        self.assertNoFinding(self.lint(text), "secret")


class ReadmeExample(TestCase):
    """The worked example of the README's configuration section, as written."""

    def blocks(self):
        import os
        import re
        from util import ROOT
        with open(os.path.join(ROOT, "README.md")) as f:
            text = f.read()
        section = text.split("## Configuration: `.agentlint.yaml` and inline ignores")[1]
        return re.findall(r"```yaml\n(.*?)```", section, re.S)

    def test_readme_example(self):
        settings, config = self.blocks()[:2]
        r = self.repo()
        r.write(".agentlint.yaml", settings)
        r.write(CFG, config + "    - id: platform/web\n    - id: platform/web\n"
                "  groups:\n    - id: platform\n      environments: [production]\n")
        r.write(SANDBOX, "ci_access:\n  projects:\n    - id: /x/\n")
        res = r.agentlint("-f", "json")
        self.assertEqual(res.rc, 1, res)
        got = sorted((f["rule"], f["severity"], f["line"]) for f in res.json()["findings"])
        # broad-agent-access: the top-level group "platform" gets the agent's identity (a note)
        self.assertEqual(got, [("broad-agent-access", "note", 9), ("env-pattern", "note", 10),
                               ("override", "error", 7)], res)
