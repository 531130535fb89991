"""Differential test: agentlint's `rejected` verdict against the agent
server's real parsing libraries.

tests/kasdiff/main.go is built with Debian's Go toolchain and its packaged
sigs.k8s.io/yaml (go-yaml v2), protobuf-go protojson and dynamicpb (offline,
GOPATH=/usr/share/gocode: tests/setup-clients.sh installs golang-go,
golang-k8s-sigs-yaml-dev and golang-google-protobuf-dev). It does what KAS
does (size limit, YAMLToJSON, null as the empty configuration,
protojson.Unmarshal with default options) against a message descriptor it
builds from schemas/agentcfg.yaml, and models the protoc-gen-validate rules
(required, min_len, min_items, oneof required, ranges, string `in` lists)
from the same schema data. The real libraries thus decide every parse
question; the schema's content is tested by the vectors and rule tests.

Configs come from kasgen.py (deterministic seed) and are judged for several
GitLab versions: one kasdiff process and one agentlint run per version.

Excluded classes, each with its reason (a case in them is not compared):
- none: every generated config is compared.
"""

import os
import shutil
import subprocess
import tempfile
import unittest

import kasgen
from util import AGENTLINT, ROOT, clean_env

SCHEMA = os.path.join(ROOT, "schemas", "agentcfg.yaml")
PER_VERSION = int(os.environ.get("KASDIFF_N", "2000"))
VERSIONS = ["16.5", "17.10", "18.11"]
SEED = 20261204


def build_kasdiff(out_dir):
    """Build tests/kasdiff offline against Debian's Go packages."""
    env = clean_env({
        "GOPATH": "/usr/share/gocode",
        "GO111MODULE": "off",
        "GOFLAGS": "",
        "GOPROXY": "off",
        "GOCACHE": os.path.join(ROOT, "build", "go-cache"),
    })
    exe = os.path.join(out_dir, "kasdiff")
    subprocess.run(["go", "build", "-o", exe, "."], cwd=os.path.join(ROOT, "tests", "kasdiff"),
                   env=env, check=True, timeout=600)
    return exe


class KasDiffTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="agentlint-kasdiff-")
        cls.exe = build_kasdiff(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def write_corpus(self, version, seed):
        root = os.path.join(self.tmp, version)
        paths = []
        for i, text in enumerate(kasgen.generate(SCHEMA, seed, PER_VERSION)):
            d = os.path.join(root, ".gitlab", "agents", "c%05d" % i)
            os.makedirs(d)
            p = os.path.join(d, "config.yaml")
            with open(p, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            paths.append(p)
        return root, paths

    def kas(self, version, paths):
        proc = subprocess.run([self.exe, SCHEMA, version, "-"], input="\n".join(paths).encode(),
                              stdout=subprocess.PIPE, check=True, timeout=600)
        verdicts = {}
        for line in proc.stdout.decode().splitlines():
            parts = line.split("\t")
            verdicts[parts[1]] = (parts[0] == "reject", parts[2] if len(parts) > 2 else "")
        return verdicts

    def agentlint(self, version, root, paths):
        import json
        args = [AGENTLINT, "check", "-f", "json", "--gitlab-version", version, "--fail-on",
                "error"] + [os.path.relpath(p, root) for p in paths]
        proc = subprocess.run(args, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=clean_env(), timeout=600)
        self.assertIn(proc.returncode, (0, 1), proc.stderr.decode())
        doc = json.loads(proc.stdout)
        by_agent = {a["name"]: a["rejected"] for a in doc["agents"]}
        findings = {}
        for f in doc["findings"]:
            if f.get("agent") and f["severity"] == "error":
                findings.setdefault(f["agent"], []).append("%s: %s" % (f["rule"], f["message"]))
        return by_agent, findings

    def test_rejected_agrees_with_kas(self):
        total = 0
        for n, version in enumerate(VERSIONS):
            root, paths = self.write_corpus(version, SEED + n)
            kas = self.kas(version, paths)
            al, why = self.agentlint(version, root, paths)
            wrong = []
            for p in paths:
                agent = os.path.basename(os.path.dirname(p))
                kas_rej, kas_why = kas[p]
                self.assertIn(agent, al, "agentlint reported no agent for %s" % p)
                if al[agent] != kas_rej:
                    with open(p, encoding="utf-8") as f:
                        wrong.append("%s (GitLab %s): KAS %s%s, agentlint %s %s\n%s" % (
                            agent, version, "rejects" if kas_rej else "accepts",
                            " (" + kas_why + ")" if kas_why else "",
                            "rejects" if al[agent] else "accepts", why.get(agent, []), f.read()))
            total += len(paths)
            self.assertEqual(len(wrong), 0, "%d of %d disagree; first:\n%s" % (
                len(wrong), len(paths), "\n".join(wrong[:int(os.environ.get("KASDIFF_SHOW", "5"))])))
        self.assertGreaterEqual(total, 5000)


if __name__ == "__main__":
    unittest.main()
