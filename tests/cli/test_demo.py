"""make demo (tools/demo.sh): builds a real repository from testdata/demo,
shows agentlint's findings on it and exits 0."""

import os
import subprocess

from util import AGENTLINT, ROOT, TestCase, clean_env, run


class Demo(TestCase):
    def test_demo_runs_and_shows_findings(self):
        demo = os.path.join(self.tmpdir(), "demo")
        proc = subprocess.run([os.path.join(ROOT, "tools", "demo.sh")], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600,
                              env=clean_env({"DEMO_DIR": demo, "AGENTLINT": AGENTLINT}))
        out = proc.stdout.decode("utf-8", "replace")
        self.assertEqual(proc.returncode, 0, out + proc.stderr.decode("utf-8", "replace"))
        for expected in ("[unknown-key]", "did you mean \"projects\"", "[file-name]",
                         "config.yml", "[access-as]"):
            self.assertIn(expected, out)
        # A real repository with a commit: --rev reads the same findings.
        res = run(["-C", demo, "--rev", "HEAD", "-f", "json"])
        self.assertEqual(res.rc, 1, res)
        rules = {f["rule"] for f in res.json()["findings"]}
        self.assertTrue({"unknown-key", "file-name", "access-as"} <= rules, res)
        self.assertEqual(sorted(a["name"] for a in res.json()["agents"]),
                         ["production", "review", "staging"])
