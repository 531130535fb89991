"""Baselines and the JSON Schemas (issue 14, item 6): fingerprints in check's
JSON, --write-baseline / --baseline on a real repository (new findings fail,
accepted ones do not, moved lines change nothing), and every JSON output of
agentlint validated against the schema shipped under schemas/."""

import json
import os
import warnings

import jsonschema

from util import ROOT, TestCase

CFG = ".gitlab/agents/prod/config.yaml"
ORIGIN = "git@gitlab.example.com:acme/agents.git"
LEGACY = "ci_access:\n  projects:\n    - id: /acme/app/\n    - id: other/app\n"


def schemas():
    store = {}
    for name in ("check", "baseline", "explain", "diff", "rbac"):
        with open(os.path.join(ROOT, "schemas", name + ".schema.json")) as f:
            s = json.load(f)
        store[s["$id"]] = s
        store[name] = s
    return store


def validate(doc, name):
    store = schemas()
    schema = store[name]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        cls(schema, resolver=resolver).validate(doc)


class Baseline(TestCase):
    def setUp(self):
        super().setUp()
        self.r = self.repo()
        self.r.git("remote", "add", "origin", ORIGIN)
        self.r.write(CFG, LEGACY)
        self.bl = os.path.join(self.tmpdir(), "agentlint-baseline.json")

    def test_accept_what_exists_fail_only_on_new(self):
        before = self.r.agentlint("-f", "json", "--fail-on", "warning")
        self.assertEqual(before.rc, 1, before)
        fps = sorted(f["fingerprint"] for f in before.json()["findings"])
        self.assertEqual(len(fps), 2)
        res = self.r.agentlint("--write-baseline", self.bl, "--fail-on", "warning")
        self.assertEqual((res.rc, res.out), (0, ""), res)
        with open(self.bl) as f:
            written = json.load(f)
        validate(written, "baseline")
        self.assertEqual(sorted(f["fingerprint"] for f in written["findings"]), fps)
        # accepted findings neither fail nor show; the run says so
        res = self.r.agentlint("--baseline", self.bl, "--fail-on", "warning")
        self.assertEqual((res.rc, res.out), (0, ""), res)
        self.assertIn("2 finding(s) listed in the baseline", res.err)
        # lines move (an entry inserted above): still accepted
        self.r.write(CFG, LEGACY.replace("  projects:\n", "  projects:\n    - id: acme/web\n"))
        res = self.r.agentlint("--baseline", self.bl, "--fail-on", "warning", "-f", "json")
        self.assertEqual((res.rc, res.json()["findings"]), (0, []), res)
        # a new finding fails, and is the only one shown
        self.r.write(CFG, LEGACY + "    - id: https://gitlab.com/acme/x\n")
        res = self.r.agentlint("--baseline", self.bl, "--fail-on", "warning", "-f", "json")
        self.assertEqual(res.rc, 1, res)
        self.assertEqual([f["line"] for f in res.json()["findings"]], [5])

    def test_check_json_output_is_a_baseline_too(self):
        out = self.r.agentlint("-f", "json", "-o", self.bl)
        self.assertEqual(out.rc, 0, out)
        res = self.r.agentlint("--baseline", self.bl, "--fail-on", "note")
        self.assertEqual(res.rc, 0, res)

    def test_bad_baselines_are_usage_errors(self):
        with open(self.bl, "w") as f:
            f.write('{"findings": [{"fingerprint": "not-hex"}]}')
        missing = os.path.join(self.tmpdir(), "nope.json")
        for path in (self.bl, missing, self.tmpdir()):
            res = self.r.agentlint("--baseline", path)
            self.assertEqual(res.rc, 2, res)
            self.assertEqual(len(res.err.splitlines()), 1, res)
            self.assertTrue(res.err.startswith("agentlint: "), res)
        res = self.r.agentlint("--baseline", self.bl, "--write-baseline", self.bl)
        self.assertEqual(res.rc, 2, res)


class Schemas(TestCase):
    def setUp(self):
        super().setUp()
        self.r = self.repo()
        self.r.git("remote", "add", "origin", ORIGIN)
        self.r.commit_files({CFG: "ci_access:\n  projects:\n    - id: acme/app\n"}, "one")
        self.r.commit_files({
            CFG: "ci_access:\n  groups:\n    - id: acme\n      access_as:\n        ci_job: {}\n"
                 "  projects:\n    - id: acme/app\n      environments: [prod*]\n",
            ".gitlab/agents/bad/config.yaml": "ci_access:\n  project: []\n"}, "two")

    def json_of(self, *args, rc=(0, 1)):
        res = self.r.agentlint(*args)
        self.assertIn(res.rc, rc, res)
        return json.loads(res.out)

    def test_check(self):
        for args in ([], ["--rev", "HEAD~1"], ["--staged"], [CFG]):
            doc = self.json_of("-f", "json", *args)
            validate(doc, "check")
            self.assertEqual(doc["version"], 1)
            self.assertTrue(all(len(f["fingerprint"]) == 32 for f in doc["findings"]))
            self.assertIn("rejected", doc["agents"][0])
        with self.assertRaises(jsonschema.ValidationError):
            validate({"version": 2}, "check")

    def test_explain(self):
        validate(self.json_of("explain", "-f", "json", rc=(0,)), "explain")
        doc = self.json_of("explain", "-f", "json", "--project", "acme/app", "--environment",
                           "prod1", rc=(0,))
        validate(doc, "explain")
        self.assertTrue(doc["decisions"])

    def test_diff(self):
        doc = self.json_of("diff", "HEAD~1", "-f", "json", rc=(0,))
        validate(doc, "diff")
        self.assertTrue(doc["changes"])

    def test_rbac(self):
        ids = os.path.join(self.tmpdir(), "ids.json")
        with open(ids, "w") as f:
            json.dump({"projects": {"acme/app": 7, "acme/agents": 8}, "groups": {"acme": 1}}, f)
        doc = self.json_of("rbac", "--ids", ids, "--agents", "prod", "-f", "json", rc=(0,))
        validate(doc, "rbac")
        self.assertTrue(doc["items"])
