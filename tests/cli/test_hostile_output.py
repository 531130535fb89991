"""Terminal and CI-log injection (issue 9, item 3): a merge request controls
agent directory names, keys, ids, environment names, impersonated users and
branch names. Whatever agentlint prints from them, on standard output in
every text-like format and on standard error, must be valid UTF-8 with no
control character (ESC, OSC, BEL, CR, LF inside a value), no C1 control
(U+0085, U+009B), no bidirectional control (U+202E, U+2066, ...), no
zero-width character (U+200B, U+2060, U+FEFF) and no line separator
(U+2028): each is shown visibly (\\x1b, \\u202e). Structured formats keep
the value exact but escaped (XML character references, \\u escapes in YAML).
On 418df82 explain's warning printed the agent's path raw on stderr, check's
text passed C1 and bidi controls raw, and zero-width characters, U+2028 and
BOMs passed raw in every format."""

import os
import re
import subprocess
import unittest

import yaml

from util import AGENTLINT, GitRepo, TestCase, clean_env

# Every class of character that must never reach a reader raw.
HIDDEN = {
    "esc-osc": "\x1b]0;pwned\x07",
    "csi": "\x1b[2K\x1b[1A",
    "crlf": "\r\nJob succeeded",
    "c1": "\u0085\u009b31m",
    "bidi": "\u202e\u2066\u200f\u061c",
    "zero-width": "\u200b\u200d\u2060",
    "separator": "\u2028\u2029",
    "bom": "\ufeff",
    "tag": "\U000e0041",
}
ALL_HIDDEN = "".join(HIDDEN.values())
# A directory name with a little of everything, invalid UTF-8 included.
DIR_PAYLOAD = "ok\x1b]0;pwned\x07\r\nJob succeeded \u202etxt.exe\u200b\u0085\udcff"
VALUE_PAYLOAD = "acme/w\u200beb\u202e\u0085\u2028\ufeff\x1b[5m"

# agentlint's own palette (cli/ansi.h), the only escape sequences it writes.
OWN_COLOURS = re.compile(r"\x1b\[(0|1|2|31|32|33|1;31|1;33|1;36)m")

# Code points no output may carry raw: C0 but LF (and TAB), DEL, C1, and the
# invisible and bidirectional ones.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e"
                       "\u2060-\u206f\ufeff\U000e0000-\U000e0fff]")


def yaml_dq(s):
    out = []
    for ch in s:
        if ch in "\\\"":
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f or ord(ch) > 0x7e:
            out.append("\\u%04x" % ord(ch) if ord(ch) <= 0xffff else "\\U%08x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


CONFIG = """\
ci_access:
  projects:
    - id: acme/web
      environments: [%(env)s]
    - id: %(id)s
      access_as:
        impersonate:
          username: %(user)s
          groups: [%(group)s]
  %(key)s: []
# comment \u202e with a bidi override
""" % {"env": yaml_dq("prod" + ALL_HIDDEN), "id": yaml_dq(VALUE_PAYLOAD),
       "user": yaml_dq("deploy" + HIDDEN["bidi"] + HIDDEN["zero-width"]),
       "group": yaml_dq("ops" + HIDDEN["c1"] + HIDDEN["separator"]),
       "key": yaml_dq("grou\u200bps" + HIDDEN["esc-osc"])}


class Hostile(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.r = GitRepo()
        cls.r.git("remote", "add", "origin", "git@gitlab.example.com:acme/infra.git")
        cls.r.write(".gitlab/agents/prod/config.yaml", "ci_access:\n  projects:\n    - id: acme/web\n")
        cls.r.add()
        cls.base = cls.r.commit("base")
        cls.r.write(".gitlab/agents/%s/config.yaml" % DIR_PAYLOAD, CONFIG)
        cls.r.write(".gitlab/agents/prod/config.yaml", CONFIG)
        cls.r.add()
        cls.head = cls.r.commit("hostile")
        cls.branch = "rel\u202e\u200bx"
        cls.r.git("branch", cls.branch)
        cls.ids = os.path.join(cls.r.dir, "ids.json")
        with open(cls.ids, "w") as f:
            f.write('[{"id": 1, "path_with_namespace": "acme/web"}]')

    @classmethod
    def tearDownClass(cls):
        cls.r.cleanup()

    def run_raw(self, *args):
        proc = subprocess.run([AGENTLINT] + list(args), cwd=self.r.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=clean_env({"COLUMNS": "400"}), timeout=120)
        return proc

    def assertClean(self, data, what):
        """Valid UTF-8, nothing FORBIDDEN, no line of its own from a payload."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            self.fail("%s is not valid UTF-8: %s\n%r" % (what, e, data[:2000]))
        m = FORBIDDEN.search(OWN_COLOURS.sub("", text))
        self.assertIsNone(m, "%s carries U+%04X raw:\n%r" % (what, ord(m.group()) if m else 0,
                                                              text[:3000]))
        for line in text.splitlines():
            self.assertFalse(line.startswith("Job succeeded"), "%s: %r" % (what, line))
        return text

    def check_both(self, args, rcs=(0, 1)):
        proc = self.run_raw(*args)
        self.assertIn(proc.returncode, rcs, (args, proc.stderr[-2000:]))
        out = self.assertClean(proc.stdout, "stdout of %r" % (args,))
        err = self.assertClean(proc.stderr, "stderr of %r" % (args,))
        return out, err

    # -- every command, every text-like format --

    def test_check_text_and_junit(self):
        out, _ = self.check_both(["check", "--color", "always"])
        self.assertIn("\\x1b]0;pwned\\x07\\x0d\\x0aJob succeeded", out)  # the directory name
        self.assertIn("\\u202e", out)
        self.assertIn("\\u200b", out)
        self.assertIn("\\u2028", out)
        self.assertIn("\\ufeff", out)
        self.assertIn("\\u0085", out)
        # The invalid byte of the directory name: shown, or replaced when read.
        self.assertTrue("\\xff" in out or "\ufffd" in out)
        self.assertIn("[invisible-character]", out)
        out, _ = self.check_both(["check", "-f", "junit"])
        self.assertIn("&#x202e;", out)
        self.assertIn("&#x85;", out)
        self.assertIn("&#x200b;", out)

    def test_check_rev_and_staged(self):
        for args in (["check", "--rev", self.branch], ["check", "--staged"],
                     ["check", "--rev", "HEAD", "-f", "junit"]):
            out, _ = self.check_both(args)
            self.assertTrue("\\u202e" in out or "&#x202e;" in out, out)

    def test_explain_every_format(self):
        for fmt in ("text", "markdown", "dot"):
            for extra in ([], ["--project", "acme/web", "--environment", "prod" + ALL_HIDDEN]):
                out, err = self.check_both(["explain", "-f", fmt] + extra)
                self.assertIn("GitLab would reject", err)
                self.assertIn("\\x1b]0;pwned\\x07\\x0d\\x0aJob succeeded", err)
                self.assertIn("u202e", out)

    def test_diff_every_format(self):
        for fmt in ("text", "markdown"):
            out, _ = self.check_both(["diff", "-f", fmt, self.base, self.branch])
            self.assertIn("u200b", out)
        self.check_both(["diff", "main", self.branch])

    def test_rbac_diagnostics(self):
        # GitLab would reject these configs (an unknown key): rbac's warnings
        # name them on standard error. HostileRbac checks the YAML.
        for args in (["rbac", "--ids", self.ids], ["rbac", "--agents", "prod"]):
            _, err = self.check_both(args, rcs=(0, 1, 2))
            self.assertTrue(err.strip())

    def test_report_every_format(self):
        for fmt in ("html", "markdown"):
            out, _ = self.check_both(["report", "-f", fmt])
            self.assertIn("u202e", out)

    # -- error sentences that quote what the user or the repository gave --

    def test_error_sentences(self):
        cases = [
            ["check", "--rev", "nope" + ALL_HIDDEN],
            ["check", "-C", "/nonexistent/" + ALL_HIDDEN],
            ["check", "--bogus" + ALL_HIDDEN],
            ["explain", "--slug", "x" + ALL_HIDDEN, "--environment", "e"],
            ["explain", "--project", "bad" + ALL_HIDDEN + "//x"],
            ["rules", "no-such" + ALL_HIDDEN],
            ["check", "-o", self.r.dir],  # a directory: its path is quoted
            ["check", "/nonexistent/" + ALL_HIDDEN + "/config.yaml"],
            ["diff", "main", "nope" + ALL_HIDDEN],
            [ALL_HIDDEN],
        ]
        for args in cases:
            proc = self.run_raw(*args)
            self.assertClean(proc.stdout, "stdout of %r" % (args,))
            err = self.assertClean(proc.stderr, "stderr of %r" % (args,))
            self.assertTrue(err.strip(), args)


class OneSanitizer(unittest.TestCase):
    """Every line for standard error goes through al_diag (cli/diag.c), and
    standard output through the renderers: a direct printf-family call that
    formats a value into stdout or stderr would bypass the sanitizer. Calls
    with a constant string, and the help printer's static tables, are fine."""

    ALLOWED = {"cli/diag.c", "cli/options.c:al_opts_help", "cli/options.c:al_opts_list",
               # the format table's constants (cli/formats.c), like the help printer's
               "cli/formats.c:al_formats_list", "cli/formats.c:al_formats_help",
               "cli/cmd_install_hook.c:say",
               "cli/main.c", "fuzz/",
               # the build's own version, `git describe` of its commit, numbers
               "cli/cmd_version.c", "tests/", "bench/", "tools/"}
    CALL = re.compile(r"\b(v?fprintf|printf|fputs|puts|fwrite|dprintf|perror)\s*\(")

    def test_no_direct_formatted_output(self):
        root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
        bad = []
        for d in ("cli", "common", "model", "access", "kube", "checks", "views"):
            for dirpath, _, files in os.walk(os.path.join(root, d)):
                for name in files:
                    if not name.endswith(".c"):
                        continue
                    path = os.path.join(dirpath, name)
                    rel = os.path.relpath(path, root)
                    if rel in self.ALLOWED:
                        continue
                    bad += self.scan(rel, path)
        self.assertEqual(bad, [], "write these through al_diag or a renderer")

    def scan(self, rel, path):
        with open(path, encoding="utf-8") as f:
            src = f.read()
        out = []
        func = ""
        for m in self.CALL.finditer(src):
            line_start = src.rfind("\n", 0, m.start()) + 1
            head = src[:m.start()]
            fm = list(re.finditer(r"^\w[^\n;]*\b(\w+)\([^;{]*\)\s*\{", head, re.M))
            func = fm[-1].group(1) if fm else ""
            if "%s:%s" % (rel, func) in self.ALLOWED:
                continue
            # The call's text up to its closing parenthesis on the statement.
            end = src.find(");", m.end()) + 1
            call = src[m.start():end]
            args = call[call.index("(") + 1:]
            if m.group(1) in ("fputs", "puts") and re.match(r'\s*"[^"%]*"(\s*"[^"%]*")*\s*[,)]',
                                                            args):
                continue  # a constant string
            if m.group(1) in ("fprintf",) and re.match(r'\s*stderr\s*,\s*"[^"%]*"\s*\)', args):
                continue
            out.append("%s:%d: %s" % (rel, src.count("\n", 0, m.start()) + 1,
                                      src[line_start:src.find("\n", m.start())].strip()))
        return out


class HostileRbac(TestCase):
    """rbac writes the impersonated names exactly, as YAML escapes."""

    def test_names_are_escaped_and_exact(self):
        r = self.repo()
        r.git("remote", "add", "origin", "git@gitlab.example.com:acme/infra.git")
        user = "deploy" + HIDDEN["bidi"] + HIDDEN["zero-width"] + HIDDEN["bom"]
        group = "ops" + HIDDEN["c1"] + HIDDEN["separator"] + "\u00ad" + HIDDEN["tag"]
        r.write(".gitlab/agents/prod/config.yaml",
                "ci_access:\n  projects:\n    - id: acme/web\n      access_as:\n"
                "        impersonate:\n          username: %s\n          groups: [%s]\n"
                % (yaml_dq(user), yaml_dq(group)))
        r.write("ids.json", '[{"id": 1, "path_with_namespace": "acme/web"}]')
        proc = subprocess.run([AGENTLINT, "rbac", "--ids", "ids.json"], cwd=r.dir,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())
        self.assertEqual(proc.returncode, 0, proc.stderr)
        text = proc.stdout.decode("utf-8")
        self.assertIsNone(FORBIDDEN.search(text), text)
        names = [s["name"] for d in yaml.safe_load_all(text) if d for s in d.get("subjects", [])]
        self.assertIn(user, names)
        self.assertIn(group, names)
        err = proc.stderr.decode("utf-8")
        self.assertIsNone(FORBIDDEN.search(err), err)


if __name__ == "__main__":
    unittest.main()
