"""agentlint schema: the JSON Schema for editors, validated with a real JSON
Schema validator (python3-jsonschema, draft-07).

Every generated config the agent server's own libraries accept at a version
(tests/kasdiff, see test_kasdiff.py) must validate, as the JSON the agent
server parsed, against `agentlint schema --gitlab-version` of that version;
and the schema must refuse what is structurally wrong (unknown keys, wrong
types, keys of later versions)."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import jsonschema

import kasgen
from test_kasdiff import SCHEMA, build_kasdiff
from util import run

VERSIONS = ["16.5", "17.10", "18.11"]


class SchemaCommand(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="agentlint-schema-")
        cls.exe = build_kasdiff(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def schema(self, version):
        res = run(["schema", "--gitlab-version", version])
        self.assertEqual(res.rc, 0, res)
        doc = res.json()
        jsonschema.Draft7Validator.check_schema(doc)
        return jsonschema.Draft7Validator(doc)

    def test_accepted_configs_validate(self):
        checked = 0
        for n, version in enumerate(VERSIONS):
            validator = self.schema(version)
            paths = []
            for i, text in enumerate(kasgen.generate(SCHEMA, 77 + n, 1000)):
                p = os.path.join(self.tmp, "%s-%04d.yaml" % (version, i))
                with open(p, "w", encoding="utf-8") as f:
                    f.write(text)
                paths.append(p)
            proc = subprocess.run([self.exe, SCHEMA, version, "-"],
                                  input="\n".join(paths).encode(), stdout=subprocess.PIPE,
                                  env=dict(os.environ, KASDIFF_JSON="1"), check=True)
            for line in proc.stdout.decode().splitlines():
                verdict, path, *rest = line.split("\t")
                if verdict != "accept":
                    continue
                doc = json.loads(rest[0])
                errors = [e.message for e in validator.iter_errors(doc)]
                self.assertEqual(errors, [], "%s (GitLab %s) is accepted by the agent server "
                                 "but not by the schema" % (path, version))
                checked += 1
        self.assertGreater(checked, 1000)

    def test_structural_errors_are_refused(self):
        v = self.schema("18.11")
        ok = {"ci_access": {"projects": [{"id": "g/p", "access_as": {"ci_job": {}}}]},
              "observability": {"logging": {"level": 4}},
              "remote_development": {"shared_namespace": "ws", "workspaces_quota": "5"}}
        self.assertEqual([e.message for e in v.iter_errors(ok)], [])
        for bad in ({"ci_acess": {}}, {"ci_access": {"projects": [{"id": 123}]}},
                    {"ci_access": {"projects": [{"id": "g/p", "access_as": {}}]}},
                    {"ci_access": {"projects": [{"id": "g/p",
                                                 "access_as": {"agent": {}, "ci_job": {}}}]}},
                    {"ci_access": {"projects": [{"default_namespace": "x"}]}},
                    {"container_scanning": {"cadence": "x", "scanner_timeout": "1m"}},
                    {"observability": {"logging": {"level": "verbose"}}},
                    {"starboard": {}}):
            self.assertNotEqual(list(v.iter_errors(bad)), [], bad)
        old = self.schema("16.5")
        self.assertNotEqual(list(old.iter_errors({"remote_development": {"shared_namespace": "x"}})), [])

    def test_versions_and_errors(self):
        res = run(["schema", "--gitlab-version", "15.0"])
        self.assertEqual(res.rc, 2, res)
        self.assertEqual(res.err.count("\n"), 1, res)
        self.assertEqual(run(["schema", "extra"]).rc, 2)
        out = os.path.join(self.tmp, "schema.json")
        self.assertEqual(run(["schema", "-o", out]).rc, 0)
        with open(out, encoding="utf-8") as f:
            self.assertIn("18.11", json.load(f)["title"])


if __name__ == "__main__":
    unittest.main()
