"""CLI conventions (issue 14, items 5 and 8): file arguments take their
repository's settings and origin; -V, -q; did-you-mean for commands and
options; `-o json` refused with a hint; piped tables keep every cell."""

import os
import subprocess

from util import AGENTLINT, TestCase, clean_env, run

CFG = ".gitlab/agents/prod/config.yaml"
ORIGIN = "git@gitlab.example.com:acme/agents.git"
# Outside acme (a namespace finding, known only with the origin), and a
# duplicate the settings switch off.
TEXT = "ci_access:\n  projects:\n    - id: other/app\n    - id: acme/app\n    - id: acme/app\n"


class FileArguments(TestCase):
    def setUp(self):
        super().setUp()
        self.r = self.repo()
        self.r.git("remote", "add", "origin", ORIGIN)
        self.r.write(".agentlint.yaml", "rules:\n  duplicate-id: off\n  namespace: error\n")
        self.r.write(CFG, TEXT)

    def rules(self, res):
        return sorted((f["rule"], f["severity"]) for f in res.json()["findings"])

    def test_a_file_argument_is_judged_like_the_default_mode(self):
        default = self.r.agentlint("-f", "json")
        self.assertEqual(self.rules(default), [("namespace", "error")], default)
        for cwd, arg in ((self.r.dir, CFG), (self.r.path(".gitlab/agents/prod"), "config.yaml"),
                         ("/", self.r.path(CFG))):
            res = self.r.agentlint("-f", "json", arg, cwd=cwd)
            self.assertEqual(self.rules(res), self.rules(default), (cwd, res))
            self.assertEqual(res.json()["agents"][0]["name"], "prod", res)
            self.assertEqual(res.json()["findings"][0]["path"], CFG)
            self.assertIn("(from remote.origin.url)", res.json()["findings"][0]["message"])

    def test_outside_a_repository_as_before(self):
        d = self.tmpdir()
        path = os.path.join(d, "config.yaml")
        with open(path, "w") as f:
            f.write(TEXT)
        res = run(["-f", "json", path], cwd=d)
        rules = self.rules(res)
        self.assertIn(("duplicate-id", "warning"), rules)  # no settings
        self.assertIn(("namespace", "note"), rules)  # no origin: the path is unknown


class Conventions(TestCase):
    def test_version_and_quiet(self):
        self.assertEqual(run(["-V"]).out, run(["--version"]).out)
        self.assertTrue(run(["-V"]).out.startswith("agentlint "))

    def test_unknown_command_suggests(self):
        d = self.tmpdir()
        res = run(["explian"], cwd=d)
        self.assertEqual(res.rc, 2, res)
        self.assertEqual(res.err, "agentlint: unknown command 'explian'; did you mean 'explain'?\n")
        res = run(["frobnicate"], cwd=d)
        self.assertEqual(res.rc, 2, res)
        self.assertIn("unknown command 'frobnicate'", res.err)
        # a file of that name is a config to check, as always
        with open(os.path.join(d, "frobnicate"), "w") as f:
            f.write("ci_access: {}\n")
        res = run(["frobnicate"], cwd=d)
        self.assertNotIn("unknown command", res.err)
        self.assertEqual(res.rc, 0, res)

    def test_unknown_option_suggests(self):
        for args, near in ((["--stagd"], "--staged"), (["explain", "--enviroment", "x"],
                                                        "--environment"),
                           (["rbac", "--bind-all-job"], "--bind-all-jobs")):
            res = run(args, cwd=self.tmpdir())
            self.assertEqual(res.rc, 2, res)
            self.assertIn("did you mean %s?" % near, res.err)
            self.assertEqual(len(res.err.splitlines()), 1)

    def test_output_given_a_format_name(self):
        d = self.tmpdir()
        res = run(["rbac", "-o", "json"], cwd=d)
        self.assertEqual(res.rc, 2, res)
        self.assertIn("use -f json", res.err)
        self.assertFalse(os.path.exists(os.path.join(d, "json")))
        # an existing file of that name is written, as asked
        r = self.repo()
        r.write(CFG, "ci_access:\n  projects:\n    - id: acme/app\n")
        r.write("json", "")
        res = r.agentlint("-q", "-o", "json")
        self.assertEqual(res.rc, 0, res)

    def test_piped_tables_keep_every_cell(self):
        r = self.repo()
        envs = ", ".join("production-%02d-eu-west" % i for i in range(8))
        r.write(CFG, "ci_access:\n  groups:\n    - id: acme\n      environments: [%s]\n" % envs)
        res = r.agentlint("explain", "--project-path", "acme/agents")
        self.assertEqual(res.rc, 0, res)
        self.assertIn("production-07-eu-west", res.out)
        self.assertNotIn("\u2026", res.out)
        # a terminal of 80 columns still gets a table that fits
        res = r.agentlint("explain", "--project-path", "acme/agents", env={"COLUMNS": "80"})
        self.assertIn("\u2026", res.out)

    def test_diff_text_never_wraps_inside_parentheses(self):
        r = self.repo()
        r.commit_files({CFG: "ci_access:\n  groups:\n    - id: acme\n"}, "base")
        envs = ", ".join("prod-%02d" % i for i in range(12))
        r.commit_files({CFG: "ci_access:\n  groups:\n    - id: acme\n      environments: [%s]\n"
                        % envs}, "head")
        for env in ({"COLUMNS": "60"}, {}):
            res = r.agentlint("diff", "HEAD~1", "--project-path", "acme/agents", env=env)
            self.assertEqual(res.rc, 0, res)
            self.assertIn("prod-11", res.out)
            for line in res.out.splitlines():
                self.assertGreaterEqual(line.count("("), line.count(")"), (env, res.out))
                self.assertLessEqual(line.count("("), line.count(")"), (env, res.out))
