"""Nothing silent (issue 14, item 4): look-alike agent paths are file-name
errors naming the right path in every source; a run with nothing to report
says what it checked on standard error (-q silences it); inline ignores that
name no rule, bare ignores and unused ignores are findings."""

from util import TestCase

CLEAN = "ci_access:\n  projects:\n    - id: acme/app\n"
ORIGIN = "git@gitlab.example.com:acme/agents.git"

LOOKALIKES = {
    ".gitlab/agent/prod/config.yaml": "prod",
    "gitlab/agents/stage/config.yaml": "stage",
    ".GitLab/Agents/dev/config.yaml": "dev",
    ".gitlab/AGENTS/qa/Config.yml": "qa",
}


class LookAlikes(TestCase):
    def repo_with(self, files):
        r = self.repo()
        r.git("remote", "add", "origin", ORIGIN)
        for path, _ in files.items():
            r.write(path, CLEAN)
        return r

    def assert_named(self, res, files):
        self.assertEqual(res.rc, 1, res)
        for path, agent in files.items():
            f = self.assertFinding(res, "file-name", path, severity="error")
            self.assertIn(".gitlab/agents/%s/config.yaml" % agent, f["message"])

    def test_every_source(self):
        r = self.repo_with(LOOKALIKES)
        self.assert_named(r.agentlint("-f", "json"), LOOKALIKES)
        r.add()
        self.assert_named(r.agentlint("--staged", "-f", "json"), LOOKALIKES)
        r.commit("look-alikes")
        self.assert_named(r.agentlint("--rev", "HEAD", "-f", "json"), LOOKALIKES)
        # text: the right path, never a silent exit 0
        res = r.agentlint()
        self.assertEqual(res.rc, 1, res)
        self.assertIn("move it to .gitlab/agents/prod/config.yaml", res.out)

    def test_near_misses_are_not_look_alikes(self):
        r = self.repo_with({".gitlab/agents/prod/config.yaml": "prod",
                            ".gitlab/issue_templates/config.yaml": None,
                            "docs/gitlab/agents.md": None,
                            "gitlab-agents/x/config.yaml": None})
        res = r.agentlint("-f", "json")
        self.assertEqual(res.rc, 0, res)
        self.assertNoFinding(res, "file-name")

    def test_misnamed_file_in_a_real_agent_directory(self):
        for name in ("config.yml", "config.yaml.yaml", "Config.yaml"):
            r = self.repo_with({".gitlab/agents/prod/" + name: "prod"})
            res = r.agentlint("-f", "json")
            self.assertEqual(res.rc, 1, res)
            f = self.assertFinding(res, "file-name", ".gitlab/agents/prod/" + name)
            self.assertIn("config.yaml", f["message"])


class Summary(TestCase):
    def test_clean_run_says_what_it_checked(self):
        r = self.repo()
        r.git("remote", "add", "origin", ORIGIN)
        for a in ("prod", "stage", "dev", "qa"):
            r.write(".gitlab/agents/%s/config.yaml" % a, CLEAN)
        res = r.agentlint()
        self.assertEqual((res.rc, res.out), (0, ""), res)
        self.assertEqual(res.err, "agentlint: 4 agent configs checked, no findings\n")
        for flag in ("-q", "--quiet"):
            res = r.agentlint(flag)
            self.assertEqual((res.rc, res.out, res.err), (0, "", ""), res)
        # machine formats keep standard output for themselves
        res = r.agentlint("-f", "json")
        self.assertEqual(res.json()["findings"], [])
        self.assertIn("4 agent configs checked", res.err)

    def test_no_agent_config_at_all(self):
        r = self.repo()
        r.write("README.md", "no agents\n")
        res = r.agentlint()
        self.assertEqual(res.rc, 0, res)
        self.assertEqual(res.err, "agentlint: no agent configs found under .gitlab/agents/\n")

    def test_findings_mean_no_summary_line(self):
        r = self.repo()
        r.write(".gitlab/agents/prod/config.yaml", "ci_access:\n  project: []\n")
        res = r.agentlint()
        self.assertEqual(res.rc, 1, res)
        self.assertNotIn("no findings", res.err)


class InlineIgnores(TestCase):
    CFG = ".gitlab/agents/prod/config.yaml"

    def lint(self, text):
        r = self.repo()
        r.git("remote", "add", "origin", ORIGIN)
        r.write(self.CFG, text)
        return r.agentlint("-f", "json")

    def test_misspelt_rule_is_a_warning_with_a_suggestion(self):
        res = self.lint("ci_access:\n  projects:\n    - id: /acme/app/  # agentlint: ignore[id-fromat]\n")
        f = self.assertFinding(res, "unknown-ignore", self.CFG, line=3, severity="warning")
        self.assertEqual(f["suggestion"], "id-format")
        self.assertIn("did you mean id-format", f["message"])
        # and the finding it meant to silence is still there
        self.assertFinding(res, "id-format", self.CFG, line=3)

    def test_bare_ignore_is_no_ignore_all(self):
        res = self.lint("ci_access:\n  projects:\n    # agentlint: ignore\n    - id: /acme/app/\n")
        f = self.assertFinding(res, "unknown-ignore", self.CFG, line=3)
        self.assertIn("no ignore-all", f["message"])
        self.assertFinding(res, "id-format", self.CFG, line=4)

    def test_unused_ignore_is_a_note(self):
        res = self.lint("ci_access:\n  projects:\n    - id: acme/app  # agentlint: ignore[id-format]\n")
        self.assertEqual(res.rc, 0, res)
        self.assertFinding(res, "unused-ignore", self.CFG, line=3, severity="note")

    def test_used_ignore_is_silent(self):
        for text in ("ci_access:\n  projects:\n    - id: /acme/app/  # agentlint: ignore[id-format]\n",
                     "ci_access:\n  projects:\n    # agentlint: ignore[namespace]\n"
                     "    - id: other/app\n"):
            res = self.lint(text)
            self.assertEqual(res.json()["findings"], [], res)

    def test_settings_can_switch_them_off(self):
        r = self.repo()
        r.git("remote", "add", "origin", ORIGIN)
        r.write(".agentlint.yaml", "rules:\n  unused-ignore: off\n")
        r.write(self.CFG, "ci_access:\n  projects:\n    - id: acme/app  # agentlint: ignore[id-format]\n")
        self.assertNoFinding(r.agentlint("-f", "json"), "unused-ignore")
