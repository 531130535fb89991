"""can-i (issue 15): may a CI job do VERB RESOURCE in the cluster, on real git
repositories with GitLab's own documented RBAC examples and real-world ones
(testdata/corpus/rbac-real/, sources in its SOURCES.tsv). `yes`/`no` first and
exit 0/1/2 as kubectl auth can-i; then the binding and rule that decide."""

import json
import os
import warnings

import jsonschema

from util import ROOT, TestCase

CORPUS = os.path.join(ROOT, "testdata", "corpus", "rbac-real")
ORIGIN = "git@gitlab.example.com:acme/agents.git"

CI_JOB = """\
ci_access:
  projects:
    - id: acme/web
      access_as:
        ci_job: {}
"""


def corpus(name):
    for f in sorted(os.listdir(CORPUS)):
        if f.startswith(name):
            with open(os.path.join(CORPUS, f)) as fh:
                return fh.read()
    raise AssertionError("no corpus file " + name)


def validate(doc):
    with open(os.path.join(ROOT, "schemas", "can-i.schema.json")) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        cls(schema).validate(doc)


class CanI(TestCase):
    def setUp(self):
        super().setUp()
        self.r = self.repo()
        self.r.git("remote", "add", "origin", ORIGIN)

    def setup(self, config, rbac, agent="testing"):
        files = {".gitlab/agents/%s/config.yaml" % agent: config}
        files.update(rbac)
        self.r.commit_files(files)

    def can_i(self, *args):
        return self.r.agentlint("can-i", *args)

    def test_docs_secret_writer_in_default_only(self):
        # GitLab's getting-started tutorial: a Role in `default` for every CI job.
        self.setup(CI_JOB, {"rbac/ci.yaml": corpus("08-")})
        res = self.can_i("--project", "acme/web", "create", "secrets", "--rbac", "rbac/ci.yaml")
        self.assertEqual(res.rc, 0, res)
        lines = res.out.splitlines()
        self.assertEqual(lines[0], "yes")
        self.assertIn("RoleBinding default/gitlab-ci-secrets-binding (rbac/ci.yaml:", res.out)
        self.assertIn("subject Group gitlab:ci_job", res.out)
        self.assertIn("Role default/secret-manager", res.out)
        self.assertIn("rule verbs [create, delete]", res.out)
        # the near miss: another namespace, another verb
        res = self.can_i("--project", "acme/web", "create", "secrets", "-n", "kube-system",
                         "--rbac", "rbac/ci.yaml")
        self.assertEqual((res.rc, res.out.splitlines()[0]), (1, "no"), res)
        res = self.can_i("--project", "acme/web", "get", "secrets", "--rbac", "rbac/ci.yaml")
        self.assertEqual(res.rc, 1, res)
        # the tutorial's Flux roles are not in the input: said, not guessed
        self.assertIn("flux-edit-flux-system", res.err)
        self.assertIn("grants nothing until that role exists", res.err)

    def test_docs_view_for_every_job_uses_builtin_aggregated_view(self):
        self.setup(CI_JOB, {"rbac/view.yaml": corpus("07-")})
        res = self.can_i("--project", "acme/web", "list", "deployments.apps", "-n", "prod",
                         "--rbac", "rbac/view.yaml", "-f", "json")
        self.assertEqual(res.rc, 0, res)
        doc = res.json()
        validate(doc)
        by = doc["agents"][0]["by"]
        self.assertEqual(by["binding"]["name"], "ci-job-view")
        self.assertEqual(by["role"]["name"], "view")
        self.assertTrue(by["role"]["builtin"] and by["role"]["aggregated"])
        self.assertIsNone(by["where"])
        self.assertEqual(doc["agents"][0]["request"],
                         {"verb": "list", "api_group": "apps", "resource": "deployments",
                          "subresource": None, "name": None, "namespace": "prod"})
        # view never reads secrets nor writes
        for args in (["get", "secrets"], ["create", "deployments.apps"], ["delete", "pods"]):
            res = self.can_i("--project", "acme/web", *args, "--rbac", "rbac/view.yaml")
            self.assertEqual(res.rc, 1, (args, res))

    def test_cluster_wide_union_of_three_bindings(self):
        # Three ClusterRoleBindings of gitlab:ci_job: every job gets the union,
        # secrets write in any namespace included.
        self.setup(CI_JOB, {"k8s/rbac.yaml": corpus("01-")})
        res = self.can_i("--project", "acme/web", "delete", "secrets", "-n", "kube-system",
                         "--rbac", "k8s/")
        self.assertEqual(res.rc, 0, res)
        self.assertIn("ClusterRoleBinding gitlab-ci-job-developer", res.out)

    def test_job_without_the_agent_says_no(self):
        self.setup(CI_JOB, {"rbac/ci.yaml": corpus("08-")})
        res = self.can_i("--project", "acme/other", "create", "secrets", "--rbac", "rbac/ci.yaml")
        self.assertEqual(res.rc, 1, res)
        self.assertEqual(res.out.splitlines()[0], "no")
        self.assertIn("may use no agent", res.out)

    def test_environment_and_protected_filters_come_first(self):
        config = CI_JOB + "      environments: [production]\n      protected_branches_only: true\n"
        self.setup(config, {"rbac/ci.yaml": corpus("08-")})
        base = ["--project", "acme/web", "create", "secrets", "--rbac", "rbac/ci.yaml"]
        self.assertEqual(self.can_i(*base).rc, 1)
        self.assertEqual(self.can_i("--environment", "production", *base).rc, 1)
        res = self.can_i("--environment", "production", "--protected", *base)
        self.assertEqual(res.rc, 0, res)
        # the job's environment groups are what RBAC sees
        self.assertIn("gitlab:project_env:<acme/web>:production", res.out)

    def test_impersonate_static_identity_gets_system_authenticated(self):
        config = ("ci_access:\n  projects:\n    - id: acme/web\n      access_as:\n"
                  "        impersonate:\n          username: deployer\n"
                  "          groups: [deployers]\n")
        rbac = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
                "metadata: {name: d, namespace: apps}\n"
                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\n"
                "subjects: [{kind: Group, name: deployers, apiGroup: rbac.authorization.k8s.io}]\n")
        self.setup(config, {"rbac.yaml": rbac})
        res = self.can_i("--project", "acme/web", "create", "deployments.apps", "-n", "apps",
                         "--rbac", "rbac.yaml", "-f", "json")
        self.assertEqual(res.rc, 0, res)
        doc = res.json()
        validate(doc)
        self.assertEqual(doc["agents"][0]["user"],
                         {"name": "deployer", "groups": ["deployers", "system:authenticated"]})
        # the default binding of system:authenticated: discovery
        res = self.can_i("--project", "acme/web", "get", "/version", "--rbac", "rbac.yaml")
        self.assertEqual(res.rc, 0, res)
        self.assertIn("ClusterRoleBinding system:discovery (<kube 1.32 defaults>:", res.out)
        res = self.can_i("--project", "acme/web", "create", "deployments", "-n", "other",
                         "--rbac", "rbac.yaml")
        self.assertEqual(res.rc, 1, res)

    def test_agent_identity_needs_agent_sa(self):
        config = "ci_access:\n  projects:\n    - id: acme/web\n"
        rbac = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n"
                "metadata: {name: agent-admin}\n"
                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, "
                "name: cluster-admin}\n"
                "subjects: [{kind: ServiceAccount, name: gitlab-agent, namespace: gitlab-agent}]\n")
        self.setup(config, {"rbac.yaml": rbac})
        args = ["--project", "acme/web", "delete", "nodes", "--rbac", "rbac.yaml"]
        res = self.can_i(*args)
        self.assertEqual(res.rc, 2, res)
        self.assertIn("--agent-sa", res.err)
        res = self.can_i(*args, "--agent-sa", "gitlab-agent/gitlab-agent")
        self.assertEqual(res.rc, 0, res)
        self.assertIn("as user system:serviceaccount:gitlab-agent:gitlab-agent", res.out)
        self.assertIn("ClusterRole cluster-admin", res.out)
        # the rbac command's spelling works too; another account is not bound
        self.assertEqual(self.can_i(*args, "--agent-sa", "gitlab-agent:gitlab-agent").rc, 0)
        self.assertEqual(self.can_i(*args, "--agent-sa", "other/gitlab-agent").rc, 1)
        self.assertEqual(self.can_i(*args, "--agent-sa", "nonsense").rc, 2)

    def test_rbac_read_from_the_configs_source(self):
        self.setup(CI_JOB, {"rbac/ci.yaml": corpus("07-")})
        # the working tree drops the binding; HEAD and the index still have it
        self.r.write("rbac/ci.yaml", "# emptied\n")
        args = ["--project", "acme/web", "get", "pods", "--rbac", "rbac/ci.yaml"]
        self.assertEqual(self.can_i(*args).rc, 1)
        self.assertEqual(self.can_i("--rev", "HEAD", *args).rc, 0)
        self.assertEqual(self.can_i("--staged", *args).rc, 0)
        self.r.add("rbac/ci.yaml")
        self.assertEqual(self.can_i("--staged", *args).rc, 1)
        # globs and directories in a revision
        res = self.can_i("--rev", "HEAD", "--project", "acme/web", "get", "pods",
                         "--rbac", "rbac/*.yaml")
        self.assertEqual(res.rc, 0, res)
        self.assertEqual(self.can_i("--rev", "HEAD", "--project", "acme/web", "get", "pods",
                                    "--rbac", "rbac").rc, 0)
        res = self.can_i("--rev", "HEAD", "--project", "acme/web", "get", "pods",
                         "--rbac", "nothing/*.yaml")
        self.assertEqual(res.rc, 2, res)
        self.assertIn("names no file", res.err)

    def test_kubectl_dump_list_and_json(self):
        dump = {"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
             "metadata": {"name": "log-reader"},
             "rules": [{"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]}]},
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
             "metadata": {"name": "logs", "namespace": "team"},
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                         "name": "log-reader"},
             "subjects": [{"kind": "Group", "name": "gitlab:ci_job"}]},
            {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "x"}}]}
        self.setup(CI_JOB, {"dump.json": json.dumps(dump)})
        base = ["--project", "acme/web", "get", "pods", "-n", "team", "--rbac", "dump.json"]
        res = self.can_i(*base, "--subresource", "log")
        self.assertEqual(res.rc, 0, res)
        self.assertIn("yes: get pods/log in namespace team", res.out)
        self.assertIn("ServiceAccount", res.err)  # a note: not RBAC, ignored
        self.assertEqual(self.can_i(*base).rc, 1)
        # kubectl reads pods/log as the pod named "log"
        res = self.can_i("--project", "acme/web", "get", "pods/log", "-n", "team",
                         "--rbac", "dump.json")
        self.assertEqual(res.rc, 1, res)
        self.assertIn("get pods named log", res.out)

    def test_unreadable_rbac_never_says_no(self):
        self.setup(CI_JOB, {"rbac.yaml": "kind: ClusterRole\nmetadata: {name: [\n"})
        res = self.can_i("--project", "acme/web", "get", "pods", "--rbac", "rbac.yaml")
        self.assertEqual(res.rc, 2, res)
        self.assertIn("rbac.yaml:", res.err)
        self.assertIn("cannot answer no", res.err)

    def test_usage_errors_exit_2_with_a_sentence(self):
        self.setup(CI_JOB, {"rbac.yaml": corpus("07-")})
        cases = [
            (["--project", "acme/web", "get", "pods"], "--rbac PATH"),
            (["--project", "acme/web", "get", "--rbac", "rbac.yaml"], "VERB and RESOURCE"),
            (["get", "pods", "--rbac", "rbac.yaml"], "--project"),
            (["--project", "acme/web", "get", "pods", "--rbac", "rbac.yaml",
              "--kube-version", "1.2"], "known versions: 1.32"),
            (["--project", "acme/web", "get", "/healthz", "--subresource", "x",
              "--rbac", "rbac.yaml"], "non-resource URL"),
            (["--project", "acme/web", "get", "pods", "--rbac", "rbac.yaml", "-f", "yaml"],
             "text or json"),
        ]
        for args, words in cases:
            res = self.can_i(*args)
            self.assertEqual(res.rc, 2, (args, res))
            self.assertEqual(res.out, "", res)
            self.assertIn(words, res.err, res)

    def test_hostile_names_are_escaped(self):
        rbac = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
                "metadata: {name: \"evil\\e[31m\\u202e\", namespace: default}\n"
                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, "
                "name: view}\n"
                "subjects: [{kind: Group, name: \"gitlab:ci_job\"}]\n")
        self.setup(CI_JOB, {"rbac.yaml": rbac})
        res = self.can_i("--project", "acme/web", "get", "pods", "--rbac", "rbac.yaml")
        self.assertEqual(res.rc, 0, res)
        self.assertNotIn("\x1b", res.out)
        self.assertNotIn("\u202e", res.out)
        self.assertIn("evil\\x1b[31m\\u202e", res.out)
        res = self.can_i("--project", "acme/web", "get", "pods", "--rbac", "rbac.yaml",
                         "-f", "json")
        self.assertEqual(res.json()["agents"][0]["by"]["binding"]["name"],
                         "evil\x1b[31m\u202e")
