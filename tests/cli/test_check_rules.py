"""check end to end on real git repositories: the parsing and schema rules of
the foundation (positions, messages a person can act on), exit codes and
--fail-on, colour, and the command-line surface (rules, --help, --version)."""

import os
import pty
import subprocess
import time

from util import AGENTLINT, TestCase, clean_env, run

CFG = ".gitlab/agents/prod/config.yaml"
ESC = "\x1b["


class Base(TestCase):
    def check(self, text, *args, env=None):
        """Commit `text` as the prod agent's config and check HEAD as JSON."""
        r = self.repo()
        r.commit_files({CFG: text})
        return r.agentlint("--rev", "HEAD", "-f", "json", *args, env=env)

    def findings_but_project_note(self, res):
        """Every finding but the run's one note that no project path was given."""
        return [f for f in res.json()["findings"]
                if not (f["rule"] == "namespace" and f["severity"] == "note")]

    def only(self, res, rule):
        """The findings of `rule`; fails when another rule reports an error."""
        errors = [f for f in res.json()["findings"] if f["severity"] == "error"]
        self.assertTrue(all(f["rule"] == rule for f in errors), res)
        return self.findings(res, rule)


class YamlSyntax(Base):
    def assertSyntax(self, text, line, column, words):
        res = self.check(text)
        self.assertEqual(res.rc, 1, res)
        f = self.assertFinding(res, "yaml-syntax", CFG, line=line, column=column,
                               severity="error")
        for w in words:
            self.assertIn(w, f["message"])
        self.assertEqual(len(self.only(res, "yaml-syntax")), 1)
        return f

    def test_tab_indentation(self):
        self.assertSyntax("ci_access:\n\tprojects:\n  - id: a/b\n", 2, 1, ["tab", "spaces"])

    def test_committed_conflict_markers(self):
        text = ("ci_access:\n  projects:\n<<<<<<< HEAD\n    - id: a/b\n=======\n"
                "    - id: a/c\n>>>>>>> feature\n")
        f = self.assertSyntax(text, 3, 1, ["merge-conflict", "<<<<<<<"])
        self.assertIn("line 3", f["message"])

    def test_bad_indentation(self):
        text = "ci_access:\n  projects:\n    - id: a/b\n   groups:\n    - id: c\n"
        self.assertSyntax(text, 4, 4, ["indentation", "line 2"])

    def test_unterminated_quote_points_at_the_opening_quote(self):
        text = "ci_access:\n  projects:\n    - id: \"a/b\n    - id: c/d\n"
        self.assertSyntax(text, 3, 11, ["unterminated", "quote"])

    def test_text_output_shows_the_line(self):
        r = self.repo()
        r.commit_files({CFG: "ci_access:\n\tprojects: []\n"})
        res = r.agentlint("--rev", "HEAD", "--color", "never")
        self.assertEqual(res.rc, 1)
        self.assertTrue(res.out.startswith(CFG + ":2:1: error: tab character"), res)
        self.assertIn("[yaml-syntax]", res.out)


class Documents(Base):
    def test_duplicate_key_points_at_the_second(self):
        text = "ci_access:\n  projects:\n    - id: a/b\n  projects:\n    - id: c/d\n"
        res = self.check(text)
        self.assertEqual(res.rc, 1, res)
        f = self.assertFinding(res, "duplicate-key", CFG, line=4, column=3, severity="error")
        self.assertIn("line 2", f["message"])
        self.assertEqual(len(self.findings(res, "duplicate-key")), 1)

    def test_duplicate_key_inside_an_entry(self):
        res = self.check("ci_access:\n  projects:\n    - id: a/b\n      id: c/d\n")
        self.assertFinding(res, "duplicate-key", CFG, line=4, column=7)

    def test_extra_document_is_a_warning(self):
        res = self.check("ci_access:\n  projects:\n    - id: a/b\n---\nci_access: {}\n")
        self.assertEqual(res.rc, 0, res)
        self.assertFinding(res, "extra-document", CFG, line=4, column=1, severity="warning")

    def test_a_single_leading_document_marker_is_fine(self):
        res = self.check("---\nci_access:\n  projects:\n    - id: a/b\n")
        self.assertEqual(res.rc, 0, res)
        self.assertEqual(self.findings_but_project_note(res), [])


class Types(Base):
    def mismatch(self, text, line, column, words=(), suggestion=None):
        res = self.check(text)
        self.assertEqual(res.rc, 1, res)
        f = self.assertFinding(res, "type-mismatch", CFG, line=line, column=column,
                               severity="error")
        for w in words:
            self.assertIn(w, f["message"])
        if suggestion is not None:
            self.assertEqual(f["suggestion"], suggestion)
        return f

    def test_numeric_id(self):
        self.mismatch("ci_access:\n  projects:\n    - id: 123\n", 3, 11, ["string", "quote"],
                      '"123"')

    def test_environments_as_a_string(self):
        self.mismatch("ci_access:\n  projects:\n    - id: a/b\n      environments: production\n",
                      4, 21, ["list"], '["production"]')

    def test_quoted_boolean(self):
        self.mismatch("ci_access:\n  projects:\n    - id: a/b\n"
                      "      protected_branches_only: \"true\"\n", 4, 32, ["boolean", "quotes"],
                      "true")

    def test_enum_value(self):
        self.mismatch("observability:\n  logging:\n    level: verbose\n", 3, 12,
                      ["info", "debug", "warn", "error"])

    def test_yaml_1_1_boolean_needs_quotes(self):
        f = self.mismatch("ci_access:\n  projects:\n    - id: a/b\n"
                          "      default_namespace: yes\n", 4, 26, ["boolean", "quote"], '"yes"')
        self.assertIn("YAML 1.1", f["message"])
        # Quoted, it is the string GitLab expects.
        res = self.check("ci_access:\n  projects:\n    - id: a/b\n"
                         "      default_namespace: \"yes\"\n")
        self.assertEqual(res.rc, 0, res)

    def test_a_list_item_is_named_in_the_message(self):
        f = self.mismatch("ci_access:\n  projects:\n    - id: a/b\n"
                          "      environments: [prod, 7]\n", 4, 28)
        self.assertIn('item 2 of "environments"', f["message"])


class Required(Base):
    def test_id_without_value(self):
        res = self.check("ci_access:\n  projects:\n    - id:\n")
        self.assertEqual(res.rc, 1, res)
        self.assertFinding(res, "required", CFG, line=3, column=7, severity="error")

    def test_empty_string_in_environments(self):
        res = self.check("ci_access:\n  groups:\n    - id: g\n      environments: [prod, \"\"]\n")
        f = self.assertFinding(res, "required", CFG, line=4, column=28, severity="error")
        self.assertIn('item 2 of "environments"', f["message"])

    def test_impersonate_without_username(self):
        res = self.check("ci_access:\n  projects:\n    - id: a/b\n      access_as:\n"
                         "        impersonate:\n          groups: [deployers]\n")
        f = self.assertFinding(res, "required", CFG, line=5, column=9, severity="error")
        self.assertIn("username", f["message"])

    def test_entry_without_id(self):
        res = self.check("ci_access:\n  projects:\n    - default_namespace: x\n")
        self.assertFinding(res, "required", CFG, line=3, column=7)


class AccessAs(Base):
    ENTRY = "ci_access:\n  projects:\n    - id: a/b\n      access_as:"

    def test_empty_mapping(self):
        res = self.check(self.ENTRY + " {}\n")
        self.assertEqual(res.rc, 1, res)
        f = self.assertFinding(res, "access-as", CFG, line=4, column=18, severity="error")
        self.assertIn("ci_job: {}", f["message"])

    def test_null_member(self):
        res = self.check(self.ENTRY + "\n        ci_job:\n")
        f = self.assertFinding(res, "access-as", CFG, line=5, column=9, severity="error")
        self.assertEqual(f["suggestion"], "ci_job: {}")

    def test_two_members(self):
        res = self.check(self.ENTRY + "\n        ci_job: {}\n        agent: {}\n")
        f = self.assertFinding(res, "access-as", CFG, line=6, column=9, severity="error")
        self.assertIn("both", f["message"])
        self.assertEqual(len(self.only(res, "access-as")), 1)

    def test_null_access_as_is_the_agent_identity(self):
        res = self.check(self.ENTRY + "\n")
        self.assertEqual(res.rc, 0, res)
        self.assertEqual(self.findings_but_project_note(res), [])

    def test_user_access_with_both_members(self):
        # GitLab's own "connect to agent" dialog produces this.
        res = self.check("user_access:\n  access_as:\n    agent: {} # for free\n"
                         "    user: {} # for premium+\n  projects:\n    - id: a/b\n")
        self.assertFinding(res, "access-as", CFG, line=4, column=5, severity="error")


class Anchors(Base):
    def test_merge_keys_are_no_unknown_keys(self):
        text = ("ci_access:\n  projects:\n    - &base\n      id: a/b\n      access_as:\n"
                "        ci_job: {}\n      environments: [production]\n"
                "    - <<: *base\n      id: a/c\n  groups:\n    - <<: [*base]\n      id: g\n")
        res = self.check(text)
        self.assertEqual(res.rc, 0, res)
        self.assertNoFinding(res, "unknown-key")
        # Only notes remain (jobs without an environment lose access, once per
        # list: the merged entries carry the anchor's environments too, so
        # the projects list counts two entries).
        self.assertEqual([f for f in res.json()["findings"] if f["severity"] != "note"], [])
        notes = [f for f in res.json()["findings"] if f["rule"] == "env-pattern"]
        self.assertEqual(len(notes), 2)
        listed = [f for f in notes if "the 2 entries of ci_access.projects" in f["message"]]
        self.assertEqual(len(listed), 1, notes)
        self.assertEqual(listed[0]["key_path"], "ci_access.projects[0].environments")

    def test_merged_values_are_checked(self):
        text = ("ci_access:\n  projects:\n    - &base\n      id: a/b\n      access_as: {}\n"
                "    - <<: *base\n      id: a/c\n")
        res = self.check(text)
        self.assertEqual(res.rc, 1, res)
        self.assertTrue(self.findings(res, "access-as"), res)

    def test_alias_bomb_is_a_finding_not_a_hang(self):
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in range(1, 9):
            lines.append("a%d: &a%d [%s]" % (i, i, ", ".join(["*a%d" % (i - 1)] * 10)))
        text = "\n".join(lines) + "\nci_access:\n  projects:\n    - id: *a8\n"
        start = time.monotonic()
        res = self.check(text)
        self.assertLess(time.monotonic() - start, 30)
        self.assertEqual(res.rc, 1, res)
        f = self.assertFinding(res, "yaml-syntax", CFG, severity="error")
        self.assertIn("alias", f["message"])


class FailOn(Base):
    WARNING_ONLY = "ci_access:\n  projects:\n    - id: a/b\n---\nx: 1\n"

    def test_levels(self):
        r = self.repo()
        r.commit_files({CFG: self.WARNING_ONLY})
        self.assertEqual(r.agentlint("--rev", "HEAD").rc, 0)
        self.assertEqual(r.agentlint("--rev", "HEAD", "--fail-on", "error").rc, 0)
        self.assertEqual(r.agentlint("--rev", "HEAD", "--fail-on", "warning").rc, 1)
        self.assertEqual(r.agentlint("--rev", "HEAD", "--fail-on", "note").rc, 1)

    def test_note_level(self):
        # An agent directory without config.yaml is a note.
        r = self.repo()
        r.commit_files({CFG: "ci_access: {}\n", ".gitlab/agents/empty/README.md": "later\n"})
        res = r.agentlint("--rev", "HEAD", "-f", "json")
        self.assertEqual(res.rc, 0, res)
        self.assertFinding(res, "file-name", severity="note")
        self.assertEqual(r.agentlint("--rev", "HEAD", "--fail-on", "warning").rc, 0)
        self.assertEqual(r.agentlint("--rev", "HEAD", "--fail-on", "note").rc, 1)

    def test_bad_level_is_a_usage_error(self):
        res = run(["--fail-on", "fatal", "-"], stdin=b"")
        self.assertEqual(res.rc, 2)
        self.assertEqual(res.err.count("\n"), 1, res)


def run_on_tty(args, env):
    """Run agentlint with standard output on a terminal; returns its output."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([AGENTLINT] + args, stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=subprocess.DEVNULL, env=clean_env(env))
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


class Colour(Base):
    TYPO = "ci_access:\n  project:\n    - id: a/b\n"

    def setUp(self):
        super().setUp()
        self.r = self.repo()
        self.r.commit_files({CFG: self.TYPO})

    def test_always_and_never(self):
        always = self.r.agentlint("--rev", "HEAD", "--color", "always")
        self.assertIn(ESC, always.out)
        self.assertIn("error", always.out)
        never = self.r.agentlint("--rev", "HEAD", "--color", "never")
        self.assertNotIn(ESC, never.out)
        # Same text once the escape sequences are gone.
        import re
        self.assertEqual(re.sub(r"\x1b\[[0-9;]*m", "", always.out), never.out)

    def test_auto_follows_the_terminal_and_no_color(self):
        args = ["-C", self.r.dir, "--rev", "HEAD"]
        self.assertIn(ESC, run_on_tty(args, None))
        self.assertNotIn(ESC, run_on_tty(args, {"NO_COLOR": "1"}))
        self.assertNotIn(ESC, run_on_tty(args + ["--color", "never"], None))
        # Not a terminal: no colour.
        self.assertNotIn(ESC, self.r.agentlint("--rev", "HEAD").out)

    def test_json_never_has_colour(self):
        res = self.r.agentlint("--rev", "HEAD", "--color", "always", "-f", "json")
        self.assertNotIn(ESC, res.out)
        res.json()


class CommandLine(TestCase):
    def test_rules_reference(self):
        res = run(["rules"])
        self.assertEqual(res.rc, 0, res)
        for rule in ("yaml-syntax", "duplicate-key", "unknown-key", "type-mismatch", "required",
                     "access-as", "file-name", "agent-name", "file-size", "deprecated",
                     "version", "extra-document"):
            self.assertRegex(res.out, r"(?m)^%s\s+(error|warning|note)\s+\S" % rule)

    def test_one_rule(self):
        res = run(["rules", "unknown-key"])
        self.assertEqual(res.rc, 0, res)
        self.assertTrue(res.out.startswith("unknown-key"), res)
        self.assertIn("protojson", res.out)
        self.assertNotIn("type-mismatch", res.out)
        res = run(["rules", "no-such-rule"])
        self.assertEqual(res.rc, 2)
        self.assertIn("no-such-rule", res.err)

    def test_help(self):
        res = run(["--help"])
        self.assertEqual(res.rc, 0, res)
        self.assertIn("Usage:", res.out)
        for word in ("check", "rules", "--version"):
            self.assertIn(word, res.out)
        res = run(["check", "--help"])
        self.assertEqual(res.rc, 0, res)
        for opt in ("--rev", "--staged", "--format", "--fail-on", "--color"):
            self.assertIn(opt, res.out)

    def test_unknown_option_is_one_sentence_and_exit_2(self):
        res = run(["--bogus"])
        self.assertEqual(res.rc, 2)
        self.assertEqual(res.out, "")
        self.assertEqual(res.err.count("\n"), 1, res)
        self.assertIn("--bogus", res.err)

    def test_version(self):
        res = run(["--version"])
        self.assertEqual(res.rc, 0, res)
        self.assertRegex(res.out, r"^agentlint \d+\.\d+\.\d+\ncommit: \S+\nGitLab: ")
