"""GitLab's access joined with Kubernetes RBAC (issue 15, part B), on real git
repositories with RBAC from testdata/corpus/rbac-real/ and testdata/perm/:
`who-can`, `explain --permissions` and `rbac --verify`, every format, their
JSON against the schemas in schemas/, and the errors that end in exit 2."""

import json
import os

from test_baseline import validate
from util import TESTDATA, TestCase

CFG = ".gitlab/agents/deploy/config.yaml"
ORIGIN = "git@gitlab.example.com:acme/infra.git"
CONFIG = """ci_access:
  projects:
    - id: acme/web
      access_as:
        ci_job: {}
      environments: [production, "review/*"]
    - id: acme/api
      default_namespace: api
  groups:
    - id: acme/platform
      access_as:
        ci_job: {}
      protected_branches_only: true
"""
REAL = os.path.join(TESTDATA, "corpus", "rbac-real")
CI_JOB_VIEW = os.path.join(REAL, "07-gitlabhq-docs__ci_cd_workflow__ci-job-view.yaml")
TUTORIAL = os.path.join(REAL, "08-gitlabhq-docs__getting_started_deployments__ci-job-rbac.yaml")
PERM = os.path.join(TESTDATA, "perm")
SA_ADMIN = os.path.join(PERM, "agent-sa-cluster-admin.yaml")
ENV_BINDINGS = os.path.join(PERM, "env-bindings.yaml")
IDS = os.path.join(PERM, "ids.json")


class Base(TestCase):
    def setUp(self):
        super().setUp()
        self.r = self.repo()
        self.r.git("remote", "add", "origin", ORIGIN)
        self.r.commit_files({CFG: CONFIG}, "agent")

    def run_json(self, *args, rc=0, schema=None):
        res = self.r.agentlint(*args, "-f", "json")
        self.assertEqual(res.rc, rc, res)
        doc = res.json()
        if schema:
            validate(doc, schema)
        return doc

    def assertUsage(self, res, *words):
        """Exit 2 with one sentence on standard error, nothing on standard output."""
        self.assertEqual(res.rc, 2, res)
        self.assertEqual(res.out, "", res)
        lines = res.err.strip().splitlines()
        self.assertEqual(len(lines), 1, res)
        for w in words:
            self.assertIn(w, lines[0])


def who_schema():
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "schemas",
                           "who-can.schema.json")) as f:
        return json.load(f)


def validate_own(doc, name):
    import jsonschema
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "schemas",
                           name + ".schema.json")) as f:
        schema = json.load(f)
    jsonschema.validators.validator_for(schema)(schema).validate(doc)


class WhoCan(Base):
    def known(self, doc):
        return [j for j in doc["jobs"] if j["known"]]

    def test_every_ci_job_through_the_docs_binding(self):
        doc = self.run_json("who-can", "get", "pods", "-n", "web", "--rbac", CI_JOB_VIEW,
                            "--ids", IDS)
        validate_own(doc, "who-can")
        self.assertEqual(doc["request"]["verb"], "get")
        self.assertEqual(doc["request"]["resource"], "pods")
        self.assertEqual(doc["request"]["namespace"], "web")
        rows = self.known(doc)
        projects = sorted(r["project"] for r in rows)
        # acme/platform/svc: a project of the group entry that --ids names
        self.assertEqual(projects, ["acme/platform/svc", "acme/web",
                                    "other projects of acme/platform"])
        for r in rows:
            self.assertEqual(r["binding"]["name"], "ci-job-view")
            self.assertEqual(r["binding"]["kind"], "ClusterRoleBinding")
            self.assertEqual(r["role"]["name"], "view")
            self.assertTrue(r["role"]["builtin"])
            self.assertIn("get", r["rule"]["verbs"])
            self.assertIn("gitlab:ci_job", r["user"]["groups"])
            self.assertIsNone(r["namespace"])  # a ClusterRoleBinding: every namespace
        web = [r for r in rows if r["project"] == "acme/web"][0]
        # no environment is denied by the entry; production and review/* are allowed
        kinds = sorted(e["kind"] for e in web["environments"])
        self.assertEqual(kinds, ["listed", "wildcard"])
        platform = [r for r in rows if r["project"] == "other projects of acme/platform"][0]
        self.assertEqual(platform["refs"], ["protected"])
        self.assertTrue(platform["stand_in"])

    def test_view_reads_no_secrets(self):
        doc = self.run_json("who-can", "get", "secrets", "-n", "web", "--rbac", CI_JOB_VIEW,
                            "--ids", IDS)
        self.assertEqual(self.known(doc), [])

    def test_agent_identity_is_unknown_not_hidden(self):
        res = self.r.agentlint("who-can", "delete", "nodes", "--rbac", CI_JOB_VIEW, "--ids", IDS)
        self.assertEqual(res.rc, 0, res)
        self.assertIn("acme/api", res.out)
        self.assertIn("unknown", res.out)
        self.assertIn("--agent-sa", res.err)
        doc = self.run_json("who-can", "delete", "nodes", "--rbac", CI_JOB_VIEW, "--ids", IDS)
        unknown = [j for j in doc["jobs"] if not j["known"]]
        self.assertEqual(sorted(j["project"] for j in unknown), ["acme/api", "acme/infra"])
        self.assertTrue(all(j["access_as"] == "agent" and j["binding"] is None
                            for j in unknown))

    def test_agent_service_account_that_is_cluster_admin(self):
        args = ("who-can", "delete", "nodes", "--rbac", SA_ADMIN, "--ids", IDS)
        doc = self.run_json(*args, "--agent-sa", "infrastructure/default")
        rows = self.known(doc)
        self.assertEqual(sorted(r["project"] for r in rows), ["acme/api", "acme/infra"])
        for r in rows:
            self.assertEqual(r["user"]["username"], "system:serviceaccount:infrastructure:default")
            self.assertEqual(r["role"]["name"], "cluster-admin")
        # another service account: the binding does not reach it
        doc = self.run_json(*args, "--agent-sa", "gitlab-agent/gitlab-agent")
        self.assertEqual(self.known(doc), [])

    def test_environment_binding_reaches_only_that_environment(self):
        doc = self.run_json("who-can", "create", "secrets", "-n", "prod", "--rbac", ENV_BINDINGS,
                            "--ids", IDS)
        rows = self.known(doc)
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0]["project"], "acme/web")
        self.assertEqual(rows[0]["environments"],
                         [{"kind": "listed", "name": "production", "tiers": None}])
        self.assertEqual(rows[0]["binding"]["name"], "web-production-edit")
        self.assertEqual(rows[0]["namespace"], "prod")
        # near miss: another namespace
        doc = self.run_json("who-can", "create", "secrets", "-n", "staging", "--rbac",
                            ENV_BINDINGS, "--ids", IDS)
        self.assertEqual(self.known(doc), [])

    def test_any_namespace_names_where(self):
        doc = self.run_json("who-can", "create", "secrets", "--rbac", TUTORIAL, "--ids", IDS)
        rows = self.known(doc)
        self.assertTrue(rows)
        for r in rows:
            self.assertEqual(r["namespace"], "default")
            self.assertEqual(r["binding"]["name"], "gitlab-ci-secrets-binding")
            self.assertEqual(r["role"]["kind"], "Role")

    def test_missing_ids_are_said(self):
        res = self.r.agentlint("who-can", "create", "secrets", "-n", "prod", "--rbac",
                               ENV_BINDINGS, "-f", "json")
        self.assertEqual(res.rc, 0, res)
        doc = res.json()
        self.assertEqual(self.known(doc), [])  # the binding names project 11: unmatched
        paths = sorted(m["path"] for m in doc["missing_ids"])
        self.assertIn("acme/web", paths)
        self.assertIn("may be missing", res.err)

    def test_text_and_markdown(self):
        args = ("who-can", "get", "pods", "-n", "web", "--rbac", CI_JOB_VIEW, "--ids", IDS)
        res = self.r.agentlint(*args)
        self.assertEqual(res.rc, 0, res)
        self.assertIn("Who can get pods in namespace web", res.out)
        self.assertIn("ClusterRoleBinding ci-job-view", res.out)
        md = self.r.agentlint(*args, "-f", "markdown")
        self.assertEqual(md.rc, 0, md)
        self.assertIn("| Project |", md.out)
        self.assertIn("ci-job-view", md.out)

    def test_hostile_environment_names_are_escaped(self):
        evil = "prod\x1b[31m`@all`|x"
        cfg = ("ci_access:\n  projects:\n    - id: acme/web\n      access_as:\n"
               "        ci_job: {}\n      environments: [%s]\n" % json.dumps(evil))
        self.r.commit_files({CFG: cfg}, "evil")
        args = ("who-can", "get", "pods", "--rbac", CI_JOB_VIEW, "--ids", IDS)
        text = self.r.agentlint(*args)
        self.assertEqual(text.rc, 0, text)
        self.assertNotIn("\x1b", text.out + text.err)
        md = self.r.agentlint(*args, "-f", "markdown")
        line = [ln for ln in md.out.splitlines() if "acme/web" in ln][0]
        self.assertNotIn(" @all", line)
        self.assertNotIn("\x1b", line)
        doc = self.run_json(*args)
        names = [e["name"] for r in doc["jobs"] for e in r["environments"]]
        self.assertIn(evil, names)

    def test_usage_errors(self):
        self.assertUsage(self.r.agentlint("who-can", "get", "pods"), "--rbac")
        self.assertUsage(self.r.agentlint("who-can", "get", "--rbac", CI_JOB_VIEW),
                         "verb and a resource")
        self.assertUsage(self.r.agentlint("who-can", "get", "pods", "--rbac", CI_JOB_VIEW,
                                          "-f", "dot"), "text, markdown or json")
        self.assertUsage(self.r.agentlint("who-can", "get", "pods", "--rbac",
                                          self.r.path("nope.yaml")), "nope.yaml")
        self.assertUsage(self.r.agentlint("who-can", "get", "pods", "--rbac", CI_JOB_VIEW,
                                          "--kube-version", "0.1"), "0.1")
        self.assertUsage(self.r.agentlint("who-can", "get", "pods", "--rbac", CI_JOB_VIEW,
                                          "--agent-sa", "Not Valid"), "--agent-sa")

    def test_staged_and_revision_sources(self):
        # the index widens access to a project the commit does not name
        self.r.write(CFG, CONFIG + "    - id: acme/ops\n      access_as:\n        ci_job: {}\n")
        self.r.add(CFG)
        args = ("who-can", "get", "pods", "-n", "x", "--rbac", CI_JOB_VIEW, "--ids", IDS)
        staged = [r["project"] for r in self.known(self.run_json(*args, "--staged"))]
        head = [r["project"] for r in self.known(self.run_json(*args, "--rev", "HEAD"))]
        self.assertIn("other projects of acme/ops", staged)
        self.assertNotIn("other projects of acme/ops", head)


class ExplainPermissions(Base):
    JOB = ("explain", "--project", "acme/web", "--environment", "production", "--ids", IDS)

    def test_json_table_per_place(self):
        doc = self.run_json(*self.JOB, "--permissions", "--rbac", CI_JOB_VIEW, "--rbac",
                            ENV_BINDINGS, schema="explain")
        self.assertEqual(doc["rbac"]["files"], [CI_JOB_VIEW, ENV_BINDINGS])
        self.assertEqual(len(doc["permissions"]), 1)
        p = doc["permissions"][0]
        self.assertTrue(p["known"])
        self.assertIn("gitlab:project_env:11:production", p["user"]["groups"])
        places = {pl["namespace"]: pl for pl in p["places"]}
        self.assertEqual(set(places), {None, "prod"})
        every = {r["name"]: r for r in places[None]["rows"]}
        self.assertEqual(sorted(every["pods"]["verbs"]), ["get", "list", "watch"])
        self.assertEqual(every["pods"]["verbs"]["get"]["binding"]["name"], "ci-job-view")
        self.assertNotIn("secrets", every)  # view does not read secrets
        prod = {r["name"]: r for r in places["prod"]["rows"]}
        self.assertIn("create", prod["secrets"]["verbs"])  # edit in prod
        self.assertEqual(prod["secrets"]["verbs"]["create"]["binding"]["name"],
                         "web-production-edit")
        self.assertIn("pods/log", prod)  # subresources are rows of their own

    def test_other_environment_lacks_the_environment_binding(self):
        doc = self.run_json("explain", "--project", "acme/web", "--environment", "review/1",
                            "--ids", IDS, "--permissions", "--rbac", ENV_BINDINGS)
        p = doc["permissions"][0]
        self.assertEqual([pl["namespace"] for pl in p["places"]], [None])
        names = [r["name"] for r in p["places"][0]["rows"]]
        self.assertNotIn("secrets", names)

    def test_text_markdown_dot(self):
        args = self.JOB + ("--permissions", "--rbac", ENV_BINDINGS)
        text = self.r.agentlint(*args)
        self.assertEqual(text.rc, 0, text)
        self.assertIn("Permissions in the cluster", text.out)
        self.assertIn("In namespace prod:", text.out)
        secrets = [ln for ln in text.out.splitlines() if ln.strip().startswith("secrets ")]
        self.assertTrue(secrets, text.out)
        md = self.r.agentlint(*args, "-f", "markdown")
        self.assertEqual(md.rc, 0, md)
        self.assertIn("## Permissions in the cluster", md.out)
        self.assertIn("| secrets |", md.out)
        dot = self.r.agentlint(*args, "-f", "dot")
        self.assertEqual(dot.rc, 0, dot)
        self.assertIn("web-production-edit", dot.out)
        self.assertIn("acts as", dot.out)

    def test_agent_identity(self):
        args = ("explain", "--project", "acme/api", "--ids", IDS, "--permissions",
                "--rbac", SA_ADMIN)
        doc = self.run_json(*args, schema="explain")
        self.assertFalse(doc["permissions"][0]["known"])
        self.assertIn("--agent-sa", doc["permissions"][0]["unknown_reason"])
        doc = self.run_json(*args, "--agent-sa", "infrastructure/default")
        p = doc["permissions"][0]
        self.assertTrue(p["known"])
        rows = {r["name"]: r for r in p["places"][0]["rows"]}
        self.assertEqual(rows["*.*"]["verbs"]["*"]["role"]["name"], "cluster-admin")
        self.assertEqual(p["default_namespace"], "api")
        self.assertIn("api", [pl["namespace"] for pl in p["places"]])

    def test_usage_errors(self):
        self.assertUsage(self.r.agentlint(*self.JOB, "--permissions"), "--rbac")
        self.assertUsage(self.r.agentlint("explain", "--permissions", "--rbac", CI_JOB_VIEW),
                         "--project")


POLICY_EXACT = "role: view\n"
POLICY_PROD_EDIT = """role: view
rules:
  - agent: deploy
    project: acme/web
    environment: production
    role: edit
    namespaces: [prod]
"""
POLICY_GROUP_ENV = """role: view
rules:
  - group: acme/platform
    environment: production
    role: edit
"""


class RbacVerify(Base):
    def policy(self, text):
        path = os.path.join(self.tmpdir(), "policy.yaml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_exact(self):
        res = self.r.agentlint("rbac", "--ids", IDS, "--verify", "--policy",
                               self.policy(POLICY_EXACT))
        self.assertEqual(res.rc, 0, res)
        self.assertIn("exactly what the policy asks", res.out)
        doc = self.run_json("rbac", "--ids", IDS, "--verify")
        validate_own(doc, "rbac-verify")
        self.assertTrue(doc["exact"])
        self.assertGreater(doc["checked"], 0)

    def test_wider_when_a_wildcard_binds_the_whole_project(self):
        # review/* cannot be a subject: its view is bound to gitlab:project:11, which the
        # production jobs carry too, beyond the policy's edit in prod
        doc = self.run_json("rbac", "--ids", IDS, "--verify", "--policy",
                            self.policy(POLICY_PROD_EDIT), rc=1)
        validate_own(doc, "rbac-verify")
        self.assertFalse(doc["exact"])
        prod = [j for j in doc["differences"] if j["environment"] == "production"]
        self.assertTrue(prod, doc)
        for j in prod:
            self.assertEqual(j["policy_grants"][0]["role"], "edit")
            self.assertEqual(j["policy_grants"][0]["namespace"], "prod")
            self.assertGreater(j["wider"], 0)
            self.assertEqual(j["narrower"], 0)
            self.assertEqual({c["namespace"] for c in j["cells"]}, {None})
            self.assertEqual({c["role"]["name"] for c in j["cells"]}, {"view"})
        # review jobs get exactly view cluster-wide, as asked
        self.assertFalse([j for j in doc["differences"] if j["environment"] == "review/x"])

    def test_narrower_when_nothing_can_be_bound(self):
        # a group entry cannot be narrowed to one environment by name: nothing is bound
        doc = self.run_json("rbac", "--ids", IDS, "--verify", "--policy",
                            self.policy(POLICY_GROUP_ENV), rc=1)
        narrower = [j for j in doc["differences"] if j["narrower"]]
        self.assertTrue(narrower, doc)
        for j in narrower:
            self.assertTrue(j["project"].endswith("acme/platform") or
                            j["project"].startswith("acme/platform"))
            self.assertEqual(j["environment"], "production")
            self.assertEqual(j["wider"], 0)
        text = self.r.agentlint("rbac", "--ids", IDS, "--verify", "--policy",
                                self.policy(POLICY_GROUP_ENV))
        self.assertEqual(text.rc, 1, text)
        self.assertIn("narrower in every namespace", text.out)

    def test_usage_errors(self):
        self.assertUsage(self.r.agentlint("rbac", "--ids", IDS, "--verify", "-f", "yaml"),
                         "text or json")
        self.assertUsage(self.r.agentlint("rbac", "--ids", IDS, "--rbac", CI_JOB_VIEW),
                         "--verify")


HOSTILE_RBAC = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "r\\e[31m`@all`"}
rules:
  - apiGroups: [""]
    resources: ["pods\\e]8;;http://x\\a|@all"]
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "b\\e[2J<script>|x"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "r\\e[31m`@all`"}
subjects: [{kind: Group, name: "gitlab:ci_job"}]
"""


class Hostile(Base):
    """Names from an RBAC file reach every format escaped (contract: nothing
    untrusted reaches a terminal, Markdown or DOT unescaped)."""

    def rbac(self):
        path = os.path.join(self.tmpdir(), "hostile.yaml")
        with open(path, "w") as f:
            f.write(HOSTILE_RBAC)
        return path

    def test_who_can_and_permissions(self):
        rbac = self.rbac()
        runs = [
            ("who-can", "get", "pods", "-n", "x", "--rbac", rbac, "--ids", IDS),
            ("who-can", "get", "pods", "-n", "x", "--rbac", rbac, "--ids", IDS, "-f", "markdown"),
            ("explain", "--project", "acme/web", "--environment", "production", "--ids", IDS,
             "--permissions", "--rbac", rbac),
            ("explain", "--project", "acme/web", "--environment", "production", "--ids", IDS,
             "--permissions", "--rbac", rbac, "-f", "markdown"),
            ("explain", "--project", "acme/web", "--environment", "production", "--ids", IDS,
             "--permissions", "--rbac", rbac, "-f", "dot"),
        ]
        for args in runs:
            res = self.r.agentlint(*args)
            self.assertEqual(res.rc, 0, res)
            self.assertNotIn("\x1b", res.out + res.err, args)
            self.assertNotIn("\x07", res.out + res.err, args)
            if "markdown" in args:
                self.assertNotIn("<script>", res.out)
                for line in res.out.splitlines():
                    self.assertNotIn(" @all", line)
            if "dot" in args:  # a DOT string: the control character shown, quotes closed
                self.assertIn('label="ClusterRoleBinding\\nb\\\\x1b[2J<script>|x"]', res.out)
        doc = self.run_json("explain", "--project", "acme/web", "--environment", "production",
                            "--ids", IDS, "--permissions", "--rbac", rbac, schema="explain")
        rows = doc["permissions"][0]["places"][0]["rows"]
        cell = [r for r in rows if "@all" in r["name"]][0]["verbs"]["get"]
        self.assertEqual(cell["binding"]["name"], "b\x1b[2J<script>|x")
