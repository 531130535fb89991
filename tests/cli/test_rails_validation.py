"""rails-validation: remote_development settings the agent server accepts and
GitLab's Rails side refuses to save (gitlab#556163). Each case fires it, each
near miss must not, and the file is never reported as rejected."""

import os
import shutil
import tempfile
import unittest

from util import run

BASE = "remote_development:\n  enabled: true\n  dns_zone: %s\n"

FIRES = [
    BASE % "example-.com",
    BASE % "-ws.corp.io",
    BASE % "ws..corp.io",
    BASE % "ws.corp.io.",
    BASE % "a_b.corp.io",
    BASE % ("a" * 64 + ".io"),
    BASE % '""',
    "remote_development:\n  enabled: true\n",
    BASE % "ws.io" + "  max_active_hours_before_stop: 8760\n",
    BASE % "ws.io" + "  max_active_hours_before_stop: 8000\n"
    "  max_stopped_hours_before_termination: 761\n",
    BASE % "ws.io" + "  allow_privilege_escalation: true\n",
    BASE % "ws.io" + "  shared_namespace: ws\n  image_pull_secrets:\n"
    "    - name: pull\n      namespace: other\n",
    BASE % "ws.io" + "  shared_namespace: ws\n  max_resources_per_workspace:\n"
    "    limits:\n      cpu: \"2\"\n",
]

NEAR_MISSES = [
    BASE % "ws.corp.io",
    BASE % "1.2.3.4",  # allow_numeric_hostname
    BASE % ("a" * 63 + ".io"),
    BASE % "x",
    "remote_development:\n  enabled: false\n",
    BASE % "ws.io" + "  max_active_hours_before_stop: 8016\n",
    BASE % "ws.io" + "  max_active_hours_before_stop: 8000\n"
    "  max_stopped_hours_before_termination: 760\n",
    BASE % "ws.io" + "  allow_privilege_escalation: true\n  use_kubernetes_user_namespaces: true\n",
    BASE % "ws.io" + "  allow_privilege_escalation: true\n  default_runtime_class: kata\n",
    BASE % "ws.io" + "  shared_namespace: ws\n  image_pull_secrets:\n"
    "    - name: pull\n      namespace: ws\n    - name: other\n",
    BASE % "ws.io" + "  shared_namespace: ws\n  max_resources_per_workspace: {}\n",
    "ci_access:\n  projects:\n    - id: g/p\n",
]


class RailsValidation(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="agentlint-rails-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def check(self, text):
        p = os.path.join(self.tmp, "config.yaml")
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
        res = run(["check", "--agent", "a", "-f", "json", p])
        self.assertIn(res.rc, (0, 1), res)
        doc = res.json()
        self.assertFalse(doc["agents"][0]["rejected"], text)
        return [f for f in doc["findings"] if f["rule"] == "rails-validation"]

    def test_fires(self):
        for text in FIRES:
            found = self.check(text)
            self.assertEqual(len(found), 1, text)
            self.assertEqual(found[0]["severity"], "error")
            self.assertIn("Rails", found[0]["message"])
            self.assertIn("agent server accepts", found[0]["message"])

    def test_near_misses(self):
        for text in NEAR_MISSES:
            self.assertEqual(self.check(text), [], text)


if __name__ == "__main__":
    unittest.main()
