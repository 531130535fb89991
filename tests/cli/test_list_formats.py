"""The format registry seen from outside: `COMMAND --list-formats`, the
Formats section of `--help`, `--format`'s error, the default format, `-o
FORMAT`, and the man page all say the same formats (cli/formats.c)."""

import os
import re

from util import ROOT, TestCase, formats, run

PROD = ".gitlab/agents/prod/config.yaml"
CONFIG = "ci_access:\n  groups:\n    - id: acme/platform\n      access_as:\n        ci_job: {}\n"


def commands():
    return run(["--list-options"]).out.split()


def takes_format(command):
    return "--format FORMAT" in run(["--list-options", command]).out.splitlines()


def help_formats(command):
    """The names in the Formats section of `COMMAND --help`, and the default."""
    out = run([command, "--help"]).out
    section = out.split("\nFormats (-f):\n", 1)[1] if "\nFormats (-f):\n" in out else ""
    names, default = [], None
    for line in section.splitlines():
        m = re.match(r"^  (\S+) +(.*)$", line)
        if not m:
            break
        names.append(m.group(1))
        if m.group(2).endswith("(default)"):
            default = default and "twice" or m.group(1)
    return names, default


def man_formats():
    """{command: (names, default)} from the man page's --format entry."""
    with open(os.path.join(ROOT, "man", "agentlint.1"), encoding="utf-8") as f:
        text = f.read()
    entry = text.split('.BI \\-f " FORMAT"', 1)[1].split("\n.TP\n", 1)[0]
    found = {}
    for cmd, line in re.findall(r"^([a-z-]+):\n(\.BR [^\n]*)$", entry, re.M):
        bold = re.sub(r'"[^"]*"', " ", line[len(".BR "):]).split()
        names = [w for w in bold if w != "."]
        m = re.match(r'^\.BR (\S+) " \(default\)', line)
        found[cmd] = (names, m.group(1) if m else None)
    return found


class ListFormats(TestCase):
    def test_every_command_with_format_lists_them(self):
        with_formats = [c for c in commands() if takes_format(c)]
        self.assertIn("check", with_formats)
        self.assertIn("report", with_formats)
        for cmd in commands():
            res = run([cmd, "--list-formats"])
            if cmd not in with_formats:
                self.assertEqual(res.rc, 2, (cmd, res))
                self.assertIn("--list-formats", res.err)
                continue
            self.assertEqual(res.rc, 0, (cmd, res))
            self.assertEqual(res.err, "")
            names = res.out.splitlines()
            self.assertTrue(names, cmd)
            self.assertEqual(len(names), len(set(names)), cmd)
            for n in names:
                self.assertRegex(n, r"^[a-z]+$", cmd)
        # check is the command when none is named
        self.assertEqual(run(["--list-formats"]).out, run(["check", "--list-formats"]).out)

    def test_check_formats_are_the_contracts(self):
        # the contract's, first and in order; a new format extends the list
        self.assertEqual(formats("check")[:5], ["text", "json", "sarif", "codequality", "junit"])

    def test_help_shows_the_same_formats_and_one_default(self):
        for cmd in commands():
            names, default = help_formats(cmd)
            if not takes_format(cmd):
                self.assertEqual(names, [], cmd)
                continue
            self.assertEqual(names, formats(cmd), cmd)
            self.assertIn(default, names, cmd)

    def test_man_page_lists_every_commands_formats(self):
        man = man_formats()
        for cmd in commands():
            if not takes_format(cmd):
                self.assertNotIn(cmd, man)
                continue
            self.assertIn(cmd, man)
            self.assertEqual(man[cmd][0], formats(cmd), cmd)
            self.assertEqual(man[cmd][1], help_formats(cmd)[1], cmd)

    def test_unknown_format_names_every_format(self):
        for cmd in commands():
            if not takes_format(cmd):
                continue
            for bad in ("xml", "", "JSON", "text\x1b[31m"):
                res = run([cmd, "-f", bad])
                self.assertEqual(res.rc, 2, (cmd, bad, res))
                self.assertEqual(res.out, "")
                self.assertEqual(len(res.err.splitlines()), 1, res.err)
                self.assertIn("--format for %s must be " % cmd, res.err)
                for n in formats(cmd):
                    self.assertIn(n, res.err)
                self.assertNotIn("\x1b", res.err)

    def test_every_listed_format_runs_and_the_default_is_the_marked_one(self):
        r = self.repo()
        r.commit_files({PROD: CONFIG, "README.md": "x\n"}, "start")
        r.commit_files({PROD: CONFIG + "    - id: acme/web\n"}, "more")
        self.assertIn("acme/web", r.agentlint("diff", "HEAD~1", "HEAD").out)
        ids = r.write("ids.json", '{"groups": {"acme/platform": 5, "acme/web": 6}}')
        rbac = r.write("rbac.yaml", "apiVersion: rbac.authorization.k8s.io/v1\n"
                       "kind: ClusterRoleBinding\nmetadata: {name: jobs-view}\n"
                       "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n"
                       "subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: gitlab:ci_job}]\n")
        extra = {"diff": ["HEAD~1", "HEAD"], "rbac": ["--ids", ids],
                 "can-i": ["get", "pods", "--rbac", rbac, "--project", "acme/web"],
                 "who-can": ["get", "pods", "--rbac", rbac]}
        for cmd in commands():
            if not takes_format(cmd):
                continue
            args = [cmd] + extra.get(cmd, [])
            outs = {}
            for fmt in formats(cmd):
                res = r.agentlint(*args, "-f", fmt)
                self.assertIn(res.rc, (0, 1), (cmd, fmt, res))
                self.assertTrue(res.out, (cmd, fmt))
                outs[fmt] = res.out
            default = r.agentlint(*args)
            self.assertEqual(default.out, outs[help_formats(cmd)[1]], cmd)

    def test_output_named_like_any_format_is_refused(self):
        r = self.repo()
        r.commit_files({PROD: CONFIG}, "start")
        every = {n for c in commands() if takes_format(c) for n in formats(c)}
        for name in sorted(every | {"md", "wide"}):
            res = r.agentlint("-o", name)
            self.assertEqual(res.rc, 2, (name, res))
            self.assertIn("is a format: use -f %s" % name, res.err)
            self.assertFalse(os.path.exists(r.path(name)))
        # near misses: a name no format has is a file, and so is an existing file
        res = r.agentlint("-o", "jsonl")
        self.assertEqual(res.rc, 0, res)
        self.assertTrue(os.path.exists(r.path("jsonl")))
        r.write("sarif", "")
        self.assertEqual(r.agentlint("-f", "sarif", "-o", "sarif").rc, 0)
