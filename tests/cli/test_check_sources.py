"""check: where configs come from (worktree, index, revisions, bare
repositories, plain files, stdin), exit codes, and the JSON shape."""

import os

from util import TestCase, run

TYPO = "ci_access:\n  project:\n    - id: grp/app\n"
GOOD = "ci_access:\n  projects:\n    - id: grp/app\n"
CFG = ".gitlab/agents/prod/config.yaml"


class DoneWhen(TestCase):
    def test_project_typo_is_unknown_key_with_suggestion(self):
        r = self.repo()
        r.write(CFG, TYPO)
        res = r.agentlint("-f", "json")
        self.assertEqual(res.rc, 1, res)
        f = self.assertFinding(res, "unknown-key", CFG, line=2, column=3, severity="error")
        self.assertEqual(f["suggestion"], "projects")
        self.assertEqual(f["agent"], "prod")
        data = res.json()
        self.assertEqual(set(data),
                         {"version", "tool", "source", "agents", "findings", "summary"})
        self.assertEqual(data["version"], 1)
        self.assertEqual(data["tool"]["name"], "agentlint")
        self.assertEqual(data["source"], {"kind": "worktree", "revision": None})
        self.assertEqual(data["agents"][0]["name"], "prod")
        self.assertEqual(data["agents"][0]["path"], CFG)
        self.assertEqual(data["summary"], {"errors": 1, "warnings": 0, "notes": 0})
        for key in ("rule", "severity", "path", "line", "column", "message", "suggestion",
                    "agent", "fingerprint"):
            self.assertIn(key, f)

    def test_text_output_has_position_source_line_and_caret(self):
        r = self.repo()
        r.write(CFG, TYPO)
        res = r.agentlint("--color", "never")
        self.assertEqual(res.rc, 1)
        lines = res.out.splitlines()
        self.assertTrue(lines[0].startswith(CFG + ":2:3: error: unknown key \"project\""), res)
        self.assertTrue(lines[0].endswith("[unknown-key]"))
        self.assertIn("2 |   project:", res.out)
        self.assertIn("  |   ^~~~~~~", res.out)

    def test_clean_config_exits_zero_and_prints_nothing(self):
        r = self.repo()
        r.write(CFG, GOOD)
        # (Without the configuration project's path a note says how to give it.)
        res = r.agentlint("--project-path", "grp/agents")
        self.assertEqual(res.rc, 0, res)
        self.assertEqual(res.out, "")


class Sources(TestCase):
    def three_states(self):
        """HEAD has the typo, the index fixes it, the worktree breaks YAML."""
        r = self.repo()
        r.commit_files({CFG: TYPO}, "typo")
        r.write(CFG, GOOD)
        r.add(CFG)
        r.write(CFG, "ci_access:\n\tprojects: []\n")
        return r

    def test_worktree_index_and_head_differ(self):
        r = self.three_states()
        wt = r.agentlint("-f", "json")
        self.assertFinding(wt, "yaml-syntax", CFG, line=2)
        self.assertNoFinding(wt, "unknown-key")
        idx = r.agentlint("--staged", "-f", "json", "--project-path", "grp/agents")
        self.assertEqual(idx.rc, 0, idx)
        self.assertEqual(idx.json()["source"]["kind"], "index")
        self.assertEqual(idx.json()["findings"], [])
        head = r.agentlint("--rev", "HEAD", "-f", "json")
        self.assertFinding(head, "unknown-key", CFG, line=2, column=3)
        self.assertEqual(head.json()["source"]["kind"], "revision")
        self.assertEqual(head.json()["source"]["revision"], r.git("rev-parse", "HEAD"))
        # Reading never writes: the index and the worktree are as they were.
        self.assertEqual(r.git("diff", "--cached", "--name-only"), CFG)
        self.assertIn(b"\tprojects", r.read(CFG))

    def test_any_revision_expression(self):
        r = self.repo()
        first = r.commit_files({CFG: TYPO}, "one")
        r.commit_files({CFG: GOOD}, "two")
        self.assertEqual(r.agentlint("--rev", "HEAD").rc, 0)
        self.assertEqual(r.agentlint("--rev", "HEAD~1").rc, 1)
        self.assertEqual(r.agentlint("--rev", first[:10]).rc, 1)
        r.git("branch", "old", first)
        self.assertEqual(r.agentlint("--rev", "old").rc, 1)

    def test_bare_repository_needs_rev(self):
        src = self.repo()
        src.commit_files({CFG: TYPO}, "typo")
        bare = self.repo(bare=True)
        src.git("push", "-q", bare.dir, "main")
        res = bare.agentlint("--rev", "main", "-f", "json")
        self.assertFinding(res, "unknown-key", CFG, line=2)
        res = bare.agentlint()
        self.assertEqual(res.rc, 2)
        self.assertIn("--rev", res.err)
        self.assertEqual(res.err.count("\n"), 1, res)

    def test_repo_option_and_subdirectory(self):
        r = self.repo()
        r.write(CFG, TYPO)
        r.write("src/x.txt", "x")
        self.assertEqual(run(["-C", r.dir]).rc, 1)
        self.assertEqual(r.agentlint(cwd=r.path("src")).rc, 1)

    def test_unknown_revision_is_exit_2_with_one_sentence(self):
        r = self.repo()
        r.commit_files({CFG: GOOD})
        res = r.agentlint("--rev", "no-such-branch")
        self.assertEqual(res.rc, 2)
        self.assertIn("unknown revision 'no-such-branch'", res.err)
        self.assertEqual(res.out, "")

    def test_not_a_repository_is_exit_2(self):
        d = self.tmpdir()
        res = run(["-C", d])
        self.assertEqual(res.rc, 2)
        self.assertIn("not a git repository", res.err)
        res = run([], cwd=d)
        self.assertEqual(res.rc, 2)

    def test_empty_repository_head(self):
        r = self.repo()
        res = r.agentlint("--rev", "HEAD")
        self.assertEqual(res.rc, 2)
        self.assertIn("no commits", res.err)
        # The index of an empty repository is fine.
        r.write(CFG, TYPO)
        r.add(CFG)
        self.assertEqual(r.agentlint("--staged").rc, 1)

    def test_plain_files_and_stdin(self):
        d = self.tmpdir()
        p = os.path.join(d, "config.yaml")
        with open(p, "w") as f:
            f.write(TYPO)
        res = run(["-f", "json", p])
        f = self.assertFinding(res, "unknown-key", p, line=2, column=3)
        self.assertIsNone(f["agent"])
        self.assertEqual(res.json()["source"]["kind"], "files")
        res = run(["-f", "json", "--agent", "prod", "-"], stdin=TYPO.encode())
        f = self.assertFinding(res, "unknown-key", "-", line=2)
        self.assertEqual(f["agent"], "prod")
        # A .gitlab/agents/<name>/config.yaml path names the agent.
        nested = os.path.join(d, ".gitlab", "agents", "Bad_Name", "config.yaml")
        os.makedirs(os.path.dirname(nested))
        with open(nested, "w") as f:
            f.write(GOOD)
        res = run(["-f", "json", nested])
        self.assertFinding(res, "agent-name", nested)

    def test_missing_file_argument_is_exit_2(self):
        res = run(["/nonexistent/config.yaml"])
        self.assertEqual(res.rc, 2)
        self.assertIn("cannot read /nonexistent/config.yaml", res.err)

    def test_output_file_written_whole(self):
        r = self.repo()
        r.write(CFG, TYPO)
        out = os.path.join(self.tmpdir(), "report.json")
        res = r.agentlint("-f", "json", "-o", out)
        self.assertEqual(res.rc, 1)
        self.assertEqual(res.out, "")
        with open(out) as f:
            self.assertEqual(f.read().count('"unknown-key"'), 1)
        # An unwritable target leaves nothing behind and is exit 2.
        res = r.agentlint("-o", "/nonexistent-dir/report.txt")
        self.assertEqual(res.rc, 2)
        self.assertIn("cannot write /nonexistent-dir/report.txt", res.err)


class Paths(TestCase):
    def test_file_name_agent_name_and_size(self):
        r = self.repo()
        r.write(".gitlab/agents/a/config.yml", GOOD)
        r.write(".gitlab/agents/config.yaml", GOOD)
        r.write(".gitlab/agents/main_agent/config.yaml", GOOD)
        r.write("sub/.gitlab/agents/x/config.yaml", GOOD)
        r.write(".gitlab/agents/big/config.yaml", "# padding\n" * 14000)
        r.write(".gitlab/agents/ok/config.yaml", GOOD)
        r.write(".gitlab/agents/ok/README.md", "notes")
        r.add()
        res = r.agentlint("-f", "json")
        self.assertFinding(res, "file-name", ".gitlab/agents/a/config.yml", severity="error")
        self.assertFinding(res, "file-name", ".gitlab/agents/config.yaml", severity="error")
        self.assertFinding(res, "file-name", "sub/.gitlab/agents/x/config.yaml", severity="error")
        self.assertFinding(res, "agent-name", ".gitlab/agents/main_agent/config.yaml")
        self.assertFinding(res, "file-size", ".gitlab/agents/big/config.yaml")
        self.assertNoFinding(res, "file-name", ".gitlab/agents/ok/README.md")
        self.assertEqual([a["name"] for a in res.json()["agents"]],
                         ["a", "big", "main_agent", "ok"])

    def test_symlinks_are_reported_not_followed(self):
        r = self.repo()
        outside = os.path.join(self.tmpdir(), "secret.yaml")
        with open(outside, "w") as f:
            f.write("ci_access:\n  project: []\n")
        r.symlink(outside, ".gitlab/agents/linked/config.yaml")
        r.symlink(os.path.dirname(outside), ".gitlab/agents/dirlink")
        for rev in ([], ):
            res = r.agentlint("-f", "json", *rev)
            self.assertFinding(res, "file-name", ".gitlab/agents/linked/config.yaml")
            self.assertFinding(res, "file-name", ".gitlab/agents/dirlink")
            self.assertNoFinding(res, "unknown-key")
            self.assertTrue(res.json()["agents"][0]["rejected"])
        r.add()
        r.commit("links")
        for args in (["--staged"], ["--rev", "HEAD"]):
            res = r.agentlint("-f", "json", *args)
            self.assertFinding(res, "file-name", ".gitlab/agents/linked/config.yaml")
            self.assertNoFinding(res, "unknown-key")

    def test_empty_and_comment_only_files_are_valid(self):
        r = self.repo()
        r.write(".gitlab/agents/a/config.yaml", "")
        r.write(".gitlab/agents/b/config.yaml", "# nothing yet\n")
        r.write(".gitlab/agents/c/config.yaml", "\ufeffci_access:\r\n  projects:\r\n"
                                                "    - id: g/p")
        res = r.agentlint("-f", "json", "--project-path", "g/agents")
        self.assertEqual(res.rc, 0, res)
        self.assertEqual(res.json()["findings"], [])
