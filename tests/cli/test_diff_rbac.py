"""diff --rbac end to end on real git repositories: what a change does to
what jobs can do in the cluster, RBAC read at BASE and HEAD, widening failing
under --fail-on-widen, in text, markdown and json."""

import os

from util import TESTDATA, TestCase

REAL = os.path.join(TESTDATA, "corpus", "rbac-real")
CFG = ".gitlab/agents/a/config.yaml"
CI_JOB = "ci_access:\n  projects:\n    - id: acme/app\n      access_as:\n        ci_job: {}\n"

ROLEBINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ci-{ns}
  namespace: {ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - kind: Group
    name: gitlab:ci_job
"""


def view_binding():
    with open(os.path.join(REAL, "07-gitlabhq-docs__ci_cd_workflow__ci-job-view.yaml"),
              encoding="utf-8") as f:
        return f.read()


class DiffRbac(TestCase):
    def two_commits(self, before, after):
        r = self.repo()
        r.commit_files(dict({CFG: CI_JOB}, **before))
        r.commit_files(after)
        return r

    def gained(self, res, name="gitlab:ci_job"):
        p = res.json()["permissions"]
        ids = [i for i in p["identities"] if i["name"] == name]
        return ids[0]["gained"] if ids else []

    def test_view_to_edit_widens_and_fails(self):
        r = self.two_commits({"rbac.yaml": view_binding()},
                             {"rbac.yaml": view_binding().replace("name: view", "name: edit")})
        res = r.agentlint("diff", "HEAD~1", "HEAD", "--rbac", "rbac.yaml", "-f", "json",
                          "--fail-on-widen")
        self.assertEqual(res.rc, 1, res)
        gained = self.gained(res)
        self.assertIn(("create", "", "pods", None),
                      {(g["verb"], g["api_group"], g["resource"], g["namespace"]) for g in gained})
        self.assertTrue(all(g["binding"] == "ci-job-view" and g["role"] == "edit" for g in gained))
        self.assertTrue(res.json()["permissions"]["widened"])
        # Reading stays: view's get pods is not "gained".
        self.assertNotIn(("get", "pods"), {(g["verb"], g["resource"]) for g in gained})
        self.assertEqual(r.agentlint("diff", "HEAD~1", "HEAD", "--rbac", "rbac.yaml").rc, 0)

    def test_edit_to_view_narrows_and_passes(self):
        r = self.two_commits({"rbac.yaml": view_binding().replace("name: view", "name: edit")},
                             {"rbac.yaml": view_binding()})
        res = r.agentlint("diff", "HEAD~1", "HEAD", "--rbac", "rbac.yaml", "-f", "json",
                          "--fail-on-widen")
        self.assertEqual(res.rc, 0, res)
        p = res.json()["permissions"]
        self.assertFalse(p["widened"])
        self.assertGreater(p["lost"], 0)
        self.assertEqual(p["gained"], 0)

    def test_new_namespace_widens(self):
        r = self.two_commits({"rbac.yaml": ROLEBINDING.format(ns="web")},
                             {"rbac.yaml": ROLEBINDING.format(ns="web") + "---\n" +
                              ROLEBINDING.format(ns="db")})
        res = r.agentlint("diff", "HEAD~1", "HEAD", "--rbac", "rbac.yaml", "-f", "json",
                          "--fail-on-widen")
        self.assertEqual(res.rc, 1, res)
        self.assertEqual({g["namespace"] for g in self.gained(res)}, {"db"})

    def test_file_added_and_directory(self):
        r = self.two_commits({}, {"k8s/rbac.yaml": ROLEBINDING.format(ns="web")})
        res = r.agentlint("diff", "HEAD~1", "HEAD", "--rbac", "k8s", "-f", "json")
        self.assertEqual(res.rc, 0, res)
        self.assertTrue(self.gained(res))
        self.assertEqual(self.gained(res)[0]["path"], "k8s/rbac.yaml")

    def test_outside_path_is_the_same_on_both_sides(self):
        outside = os.path.join(self.tmpdir(), "cluster.yaml")
        with open(outside, "w", encoding="utf-8") as f:
            f.write(ROLEBINDING.format(ns="web"))
        r = self.two_commits({"x": "1"}, {"x": "2"})
        res = r.agentlint("diff", "HEAD~1", "HEAD", "--rbac", outside, "-f", "json",
                          "--fail-on-widen")
        self.assertEqual(res.rc, 0, res)
        self.assertEqual(res.json()["permissions"]["identities"], [])

    def test_text_and_markdown(self):
        r = self.two_commits({"rbac.yaml": view_binding()},
                             {"rbac.yaml": view_binding().replace("name: view", "name: edit")})
        text = r.agentlint("diff", "HEAD~1", "HEAD", "--rbac", "rbac.yaml")
        self.assertIn("Cluster permissions:", text.out)
        self.assertIn("(widened)", text.out)
        self.assertRegex(text.out, r"\+ create, delete, deletecollection, patch, update pods in "
                                   r"every namespace \(ci-job-view edit\)")
        md = r.agentlint("diff", "HEAD~1", "HEAD", "--rbac", "rbac.yaml", "-f", "markdown")
        self.assertIn("#### Cluster permissions:", md.out)
        self.assertIn("| `gitlab:ci_job` | gained |", md.out)

    def test_without_rbac_no_permissions_key(self):
        r = self.two_commits({"x": "1"}, {"x": "2"})
        res = r.agentlint("diff", "HEAD~1", "HEAD", "-f", "json")
        self.assertNotIn("permissions", res.json())

    def test_missing_outside_path_is_exit_2(self):
        r = self.two_commits({"x": "1"}, {"x": "2"})
        res = r.agentlint("diff", "HEAD~1", "HEAD", "--rbac", "/nonexistent/rbac.yaml")
        self.assertEqual(res.rc, 2, res)
        self.assertIn("/nonexistent/rbac.yaml", res.err)
