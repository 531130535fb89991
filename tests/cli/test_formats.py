"""check's machine formats: sarif (validated by Microsoft's sarif-multitool),
codequality (GitLab Code Quality: relative paths, severities, fingerprints
unique and stable when lines move), junit (one test case per agent config,
counts, --fail-on), hostile values that must stay inside their strings, and
-o FILE for each format."""

import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET

from util import ROOT, TestCase, formats

MULTITOOL = os.path.join(ROOT, "tests", ".clients", "node_modules", ".bin", "sarif-multitool")

PROD = ".gitlab/agents/prod/config.yaml"
DEV = ".gitlab/agents/dev/config.yaml"
DOCS = ".gitlab/agents/docs/config.yaml"
CLEAN = ".gitlab/agents/clean/config.yaml"
STRAY = ".gitlab/agents/config.yaml"
STRAY_YML = ".gitlab/agents/prod/config.yml"

FILES = {
    PROD: "ci_access:\n  project:\n    - id: grp/app\n",           # unknown-key 2:3
    DEV: "ci_access:\n  projects:\n    - id: 123\n",                 # type-mismatch 3:11
    DOCS: "ci_access: {}\n---\nextra: 1\n",                          # extra-document (warning)
    CLEAN: "ci_access:\n  projects:\n    - id: grp/app\n",           # nothing
    STRAY: "ci_access: {}\n",                                        # file-name, line 0
    STRAY_YML: "ci_access: {}\n",                                    # file-name note, line 0
}

# Keys that try to break out of their place in every format. The YAML is
# double-quoted, so \x01 and \n are escapes the parser turns into characters.
HOSTILE_KEYS = [
    "</failure><script>alert(`x`)</script>",
    "a&b \"q\" 's' ]]> <!-- -->",
    "ctl\x01here",
    "multi\nline",
    "\r\ncr",
]
HOSTILE_DIR = "x&y\"<z>'\nw"  # an agent directory name (agent-name finding, line 0)


def yaml_dq(s):
    """A YAML double-quoted scalar for s."""
    out = []
    for ch in s:
        if ch in "\\\"":
            out.append("\\" + ch)
        elif ord(ch) < 0x20:
            out.append("\\x%02x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def xml_visible(s):
    """What junit makes of text: characters XML 1.0 forbids, written as \\xNN."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: "\\x%02x" % ord(m.group()), s)


def finding_line(f):
    return "%s:%d:%d: %s: %s [%s]" % (f["path"], f["line"], f["column"], f["severity"],
                                      f["message"], f["rule"])


class Formats(TestCase):
    def repo(self, **kw):
        # A configuration project path (from the origin remote), so that the
        # run has no "project path unknown" note: these tests count findings.
        r = super().repo(**kw)
        r.git("remote", "add", "origin", "git@gitlab.example.com:grp/agents.git")
        return r

    def sample(self):
        r = self.repo()
        r.commit_files(FILES, "sample")
        return r

    def json_findings(self, r, *args):
        res = r.agentlint("-f", "json", *args)
        self.assertIn(res.rc, (0, 1), res)
        return res.json()["findings"]

    # ---- sarif ----

    def validate_sarif(self, path):
        """Run sarif-multitool validate; returns its error and warning lines."""
        out = os.path.join(self.tmpdir(), "validation.sarif")
        proc = subprocess.run([MULTITOOL, "validate", path, "-o", out], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=300)
        text = proc.stdout.decode("utf-8", "replace")
        self.assertIn("Analysis completed successfully", text, text)
        return [l for l in text.splitlines() if "): error" in l or "): warning" in l]

    def sarif(self, r, *args):
        path = os.path.join(self.tmpdir(), "out.sarif")
        res = r.agentlint("-f", "sarif", "-o", path, *args)
        self.assertEqual(res.rc, 1, res)
        self.assertEqual(res.out, "")
        self.assertEqual(self.validate_sarif(path), [])
        with open(path, encoding="utf-8") as f:
            return json.load(f)

    def test_sarif_validates_and_carries_every_finding(self):
        r = self.sample()
        findings = self.json_findings(r)
        log = self.sarif(r)
        self.assertEqual(log["version"], "2.1.0")
        self.assertEqual(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json")
        run = log["runs"][0]
        drv = run["tool"]["driver"]
        self.assertEqual(drv["name"], "agentlint")
        self.assertTrue(drv["version"])
        self.assertTrue(drv["informationUri"].startswith("https://"))
        self.assertEqual(run["columnKind"], "unicodeCodePoints")
        self.assertIs(run["invocations"][0]["executionSuccessful"], True)
        self.assertIn("%SRCROOT%", run["originalUriBaseIds"])
        # The rule table, from the same table `agentlint rules` prints.
        ids = [rule["id"] for rule in drv["rules"]]
        for rid in ("unknown-key", "type-mismatch", "file-name", "extra-document"):
            self.assertIn(rid, ids)
        unknown = drv["rules"][ids.index("unknown-key")]
        self.assertEqual(unknown["defaultConfiguration"]["level"], "error")
        self.assertIs(unknown["properties"]["gitlabRejectsFile"], True)
        self.assertTrue(unknown["shortDescription"]["text"])
        self.assertTrue(unknown["help"]["text"])
        self.assertIs(drv["rules"][ids.index("file-name")]["properties"]["gitlabRejectsFile"],
                      False)

        results = run["results"]
        self.assertEqual(len(results), len(findings))
        for res, f in zip(results, findings):
            self.assertEqual(res["ruleId"], f["rule"])
            self.assertEqual(drv["rules"][res["ruleIndex"]]["id"], f["rule"])
            self.assertEqual(res["level"], f["severity"])
            self.assertTrue(res["message"]["text"].startswith(f["message"]))
            loc = res["locations"][0]["physicalLocation"]
            self.assertEqual(loc["artifactLocation"], {"uri": f["path"], "uriBaseId": "%SRCROOT%"})
            self.assertEqual(len(res["partialFingerprints"]), 1)
        by_rule = {res["ruleId"]: res for res in results}

        typo = by_rule["unknown-key"]["locations"][0]["physicalLocation"]
        self.assertEqual(typo["region"]["startLine"], 2)
        self.assertEqual(typo["region"]["startColumn"], 3)
        self.assertEqual(typo["region"]["endColumn"], 10)
        self.assertEqual(typo["region"]["snippet"]["text"], "project")
        self.assertEqual(typo["contextRegion"]["snippet"]["text"], "  project:")
        self.assertEqual(by_rule["unknown-key"]["properties"]["suggestion"], "projects")
        self.assertEqual(by_rule["unknown-key"]["properties"]["agent"], "prod")
        self.assertEqual(by_rule["type-mismatch"]["properties"]["suggestion"], '"123"')

        # Line 0, the file as a whole: all of its lines, never a made-up line 1 alone.
        stray = [res for res in results
                 if res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == STRAY]
        self.assertEqual(stray[0]["locations"][0]["physicalLocation"]["region"],
                         {"startLine": 1, "endLine": 1})

    def test_sarif_and_codequality_share_fingerprints(self):
        r = self.sample()
        log = self.sarif(r)
        cq = r.agentlint("-f", "codequality").json()
        self.assertEqual([next(iter(res["partialFingerprints"].values()))
                          for res in log["runs"][0]["results"]],
                         [i["fingerprint"] for i in cq])

    def test_sarif_uris_are_percent_encoded(self):
        r = self.repo()
        odd = ".gitlab/agents/my agent#1/config.yaml"
        r.commit_files({odd: "ci_access: {}\n"})
        log = self.sarif(r)
        uris = {res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for res in log["runs"][0]["results"]}
        self.assertEqual(uris, {".gitlab/agents/my%20agent%231/config.yaml"})

    # ---- codequality ----

    def test_codequality_fields_paths_and_severities(self):
        r = self.sample()
        findings = self.json_findings(r)
        res = r.agentlint("-f", "codequality")
        self.assertEqual(res.rc, 1, res)
        issues = res.json()
        self.assertIsInstance(issues, list)
        self.assertEqual(len(issues), len(findings))
        severity = {"error": "major", "warning": "minor", "note": "info"}
        for issue, f in zip(issues, findings):
            for key in ("description", "check_name", "fingerprint", "severity", "location"):
                self.assertIn(key, issue)
            self.assertEqual(issue["check_name"], f["rule"])
            self.assertIn(f["message"], issue["description"])
            self.assertEqual(issue["severity"], severity[f["severity"]])
            path = issue["location"]["path"]
            self.assertEqual(path, f["path"])
            self.assertFalse(os.path.isabs(path))
            self.assertFalse(path.startswith("./"))
            self.assertEqual(issue["location"]["lines"]["begin"], f["line"])
            self.assertGreaterEqual(issue["location"]["lines"]["begin"], 1)
            self.assertRegex(issue["fingerprint"], r"^[0-9a-f]{32}$")
        self.assertEqual(sorted({i["severity"] for i in issues}), ["info", "major", "minor"])
        fps = [i["fingerprint"] for i in issues]
        self.assertEqual(len(set(fps)), len(fps))

    def test_codequality_clean_repository_is_an_empty_array(self):
        r = self.repo()
        r.commit_files({CLEAN: FILES[CLEAN]})
        res = r.agentlint("-f", "codequality")
        self.assertEqual(res.rc, 0, res)
        self.assertEqual(res.json(), [])

    def test_codequality_fingerprints_stable_when_lines_move(self):
        r = self.sample()
        base = r.git("rev-parse", "HEAD")
        moved = {
            PROD: "# a comment\n\n\n" + FILES[PROD],
            DEV: "\n\n" + FILES[DEV].replace("  projects:\n",
                                                "  projects:\n    - id: grp/other\n"),
            DOCS: "\n\n\n\n" + FILES[DOCS],
        }
        head = r.commit_files(moved, "move lines")
        before = r.agentlint("-f", "codequality", "--rev", base).json()
        after = r.agentlint("-f", "codequality", "--rev", head).json()
        self.assertEqual(len(before), len(after))
        # The lines moved...
        self.assertNotEqual([i["location"]["lines"]["begin"] for i in before],
                            [i["location"]["lines"]["begin"] for i in after])
        # ... the fingerprints did not.
        key = lambda i: (i["location"]["path"], i["check_name"])
        self.assertEqual({key(i): i["fingerprint"] for i in before},
                         {key(i): i["fingerprint"] for i in after})

    def test_codequality_new_finding_is_the_only_new_fingerprint(self):
        r = self.repo()
        base = r.commit_files({PROD: "ci_access:\n  project: []\n"})
        head = r.commit_files({PROD: "ci_access:\n  project: []\n  grups: []\n"})
        before = {i["fingerprint"] for i in r.agentlint("-f", "codequality", "--rev", base).json()}
        after = {i["fingerprint"] for i in r.agentlint("-f", "codequality", "--rev", head).json()}
        self.assertEqual(len(before), 1)
        self.assertEqual(len(after), 2)
        self.assertTrue(before < after)

    def test_codequality_identical_findings_get_distinct_fingerprints(self):
        r = self.repo()
        # The same mistake in two entries: same rule, path, key path, value.
        r.commit_files({PROD: "ci_access:\n  projects:\n    - id: 123\n    - id: 123\n"})
        issues = r.agentlint("-f", "codequality").json()
        self.assertEqual([i["check_name"] for i in issues], ["type-mismatch", "type-mismatch"])
        self.assertNotEqual(issues[0]["fingerprint"], issues[1]["fingerprint"])

    # ---- junit ----

    def junit(self, r, *args, stdin=None):
        res = r.agentlint("-f", "junit", *args, stdin=stdin)
        self.assertIn(res.rc, (0, 1), res)
        return ET.fromstring(res.out.encode("utf-8")), res

    def cases(self, root):
        return {tc.get("name"): tc for tc in root.iter("testcase")}

    def test_junit_one_case_per_agent_config(self):
        r = self.sample()
        findings = self.json_findings(r)
        root, res = self.junit(r)
        self.assertEqual(res.rc, 1)
        suites = list(root.iter("testsuite"))
        self.assertEqual(len(suites), 1)
        suite = suites[0]
        self.assertEqual(suite.get("name"), "agentlint")
        cases = self.cases(root)
        self.assertEqual(set(cases), {PROD, DEV, DOCS, CLEAN, STRAY, STRAY_YML})
        self.assertEqual(suite.get("tests"), "6")
        self.assertEqual(cases[PROD].get("classname"), "agentlint.prod")
        self.assertEqual(cases[CLEAN].get("classname"), "agentlint.clean")
        self.assertEqual(cases[STRAY].get("classname"), "agentlint")
        failed = {name for name, tc in cases.items() if tc.find("failure") is not None}
        self.assertEqual(failed, {PROD, DEV, STRAY})
        self.assertEqual(suite.get("failures"), "3")
        self.assertEqual(root.get("failures"), "3")
        self.assertEqual(list(cases[CLEAN]), [])
        # Findings below the failing level go to system-out, as text lines.
        lines = {f["path"]: finding_line(f) for f in findings}
        self.assertEqual(cases[DOCS].find("system-out").text.strip(), lines[DOCS])
        self.assertEqual(cases[STRAY_YML].find("system-out").text.strip(), lines[STRAY_YML])
        self.assertEqual(cases[PROD].find("failure").text.strip(), lines[PROD])
        self.assertIsNone(cases[PROD].find("system-out"))

    def test_junit_follows_fail_on(self):
        r = self.sample()
        root, res = self.junit(r, "--fail-on", "warning")
        failed = {n for n, tc in self.cases(root).items() if tc.find("failure") is not None}
        self.assertEqual(failed, {PROD, DEV, STRAY, DOCS})
        self.assertEqual(root.find("testsuite").get("failures"), "4")
        root, res = self.junit(r, "--fail-on", "note")
        self.assertEqual(root.find("testsuite").get("failures"), "5")
        self.assertIsNone(self.cases(root)[STRAY_YML].find("system-out"))

    def test_junit_clean_repository_passes(self):
        r = self.repo()
        r.commit_files({CLEAN: FILES[CLEAN]})
        root, res = self.junit(r)
        self.assertEqual(res.rc, 0)
        self.assertEqual(root.find("testsuite").get("tests"), "1")
        self.assertEqual(root.find("testsuite").get("failures"), "0")

    def test_junit_plain_files(self):
        r = self.sample()
        # The same file twice is one test case, named by its path in the
        # repository (as the default mode names it); standard input is "-".
        root, res = self.junit(r, r.path(DEV), r.path(DEV))
        self.assertEqual(list(self.cases(root)), [DEV])
        self.assertEqual(root.find("testsuite").get("tests"), "1")
        root, res = self.junit(r, "-", stdin=FILES[PROD].encode())
        self.assertEqual(list(self.cases(root)), ["-"])
        self.assertEqual(self.cases(root)["-"].get("classname"), "agentlint")
        self.assertEqual(root.find("testsuite").get("failures"), "1")

    # ---- hostile values ----

    def hostile(self):
        r = self.repo()
        body = "ci_access:\n" + "".join("  %s: %d\n" % (yaml_dq(k), i)
                                        for i, k in enumerate(HOSTILE_KEYS))
        r.commit_files({PROD: body, ".gitlab/agents/%s/config.yaml" % HOSTILE_DIR: "{}\n"})
        return r

    def test_hostile_values_in_junit(self):
        r = self.hostile()
        findings = self.json_findings(r)
        messages = [f["message"] for f in findings]
        for k in HOSTILE_KEYS:
            self.assertTrue(any(k in m for m in messages), (k, messages))
        root, res = self.junit(r)
        self.assertNotIn("<script>", res.out)
        self.assertNotIn("\x01", res.out)
        cases = self.cases(root)
        odd = ".gitlab/agents/%s/config.yaml" % HOSTILE_DIR
        self.assertEqual(set(cases), {PROD, odd})  # attributes keep quotes and newlines
        self.assertEqual(cases[odd].get("classname"), "agentlint." + HOSTILE_DIR)
        for path, tc in cases.items():
            want = "".join(xml_visible(finding_line(f)) + "\n"
                           for f in findings if f["path"] == path)
            self.assertEqual(tc.find("failure").text, want)
        self.assertEqual(root.find("testsuite").get("failures"), "2")

    def test_hostile_values_in_codequality_and_sarif(self):
        r = self.hostile()
        findings = self.json_findings(r)
        issues = r.agentlint("-f", "codequality").json()
        self.assertEqual([i["description"] for i in issues],
                         ["%s [%s]" % (f["message"], f["rule"]) for f in findings])
        self.assertEqual([i["location"]["path"] for i in issues], [f["path"] for f in findings])
        self.assertEqual(len({i["fingerprint"] for i in issues}), len(issues))
        log = self.sarif(r)
        texts = [res["message"]["text"] for res in log["runs"][0]["results"]]
        self.assertEqual(len(texts), len(findings))
        for t, f in zip(texts, findings):  # SARIF messages end with a period
            self.assertIn(t, (f["message"], f["message"] + "."))

    def test_json_formats_escape_invisible_characters(self):
        # Bidi overrides and isolates, zero-width characters and the BOM stay
        # in the data (json.loads gives them back) but are written as \uXXXX,
        # so a terminal or editor showing the report cannot be steered.
        hidden = "\u202e\u2066\u200b\u061c\ufeff"
        r = self.repo()
        r.commit_files({PROD: "ci_access:\n  projects:\n    - id: a/b\n      k%s: 1\n" % hidden})
        for fmt in ("json", "sarif", "codequality"):
            res = r.agentlint("--rev", "HEAD", "-f", fmt)
            for ch in hidden:
                self.assertNotIn(ch, res.out, fmt)
                self.assertIn("\\u%04X" % ord(ch), res.out, fmt)
            self.assertIn("k" + hidden, json.dumps(json.loads(res.out), ensure_ascii=False), fmt)

    # ---- -o FILE and the format list ----

    def test_output_file_for_every_format(self):
        r = self.sample()
        d = self.tmpdir()
        for fmt in formats("check"):
            stdout = r.agentlint("-f", fmt, "--color", "never")
            path = os.path.join(d, "report." + fmt)
            res = r.agentlint("-f", fmt, "--color", "never", "-o", path)
            self.assertEqual(res.rc, 1, res)
            self.assertEqual(res.out, "")
            with open(path, encoding="utf-8") as f:
                self.assertEqual(f.read(), stdout.out, fmt)

    def test_unknown_format_names_them_all(self):
        r = self.sample()
        res = r.agentlint("-f", "xml")
        self.assertEqual(res.rc, 2)
        for fmt in formats("check"):
            self.assertIn(fmt, res.err)
