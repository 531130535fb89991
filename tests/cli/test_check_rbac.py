"""check --rbac end to end on real git repositories: the rbac-* rules on the
real examples of testdata/corpus/rbac-real/ (each fires where that folder's
SOURCES.tsv says the mistake is) and on the fixtures of testdata/rbac/, with
their near misses; RBAC read at the configs' revision; the formats point at
the RBAC file's line."""

import json
import os

from util import TESTDATA, TestCase

REAL = os.path.join(TESTDATA, "corpus", "rbac-real")
FIX = os.path.join(TESTDATA, "rbac")

CI_JOB = "ci_access:\n  projects:\n    - id: acme/app\n      access_as:\n        ci_job: {}\n"
AGENT_MODE = "ci_access:\n  groups:\n    - id: acme\n"


def real(name):
    for f in os.listdir(REAL):
        if f.startswith(name):
            with open(os.path.join(REAL, f), encoding="utf-8") as fh:
                return fh.read()
    raise KeyError(name)


def fixture(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as fh:
        return fh.read()


class Base(TestCase):
    def setup_repo(self, files):
        r = self.repo()
        r.commit_files(files)
        return r

    def lines(self, res, rule, path):
        return sorted(f["line"] for f in self.findings(res, rule, path))


class RealExamples(Base):
    """01 (Group gitlab:ci_job bound cluster-wide three times, namespace on
    Group subjects, gitlab:agent users, the docs' ids 123 and 456) with its
    two configs: agente-producao (ci_job, rejected by GitLab) and
    agente-desenvolvimento (no access_as)."""

    RBAC = "k8s/shared/rbac-security.yaml"

    def run01(self, *extra):
        r = self.setup_repo({
            self.RBAC: real("01-"),
            ".gitlab/agents/agente-producao/config.yaml": real("02-"),
            ".gitlab/agents/agente-desenvolvimento/config.yaml": real("03-"),
        })
        return r.agentlint("check", "-f", "json", "--rbac", self.RBAC, *extra)

    def test_secrets_readable_by_every_job(self):
        res = self.run01()
        self.assertEqual(res.rc, 1, res)
        # gitlab-agent-desenvolvimento reads secrets; the qa and production roles do not.
        self.assertEqual(self.lines(res, "rbac-secrets-every-job", self.RBAC), [18, 140])
        f = self.assertFinding(res, "rbac-secrets-every-job", self.RBAC, 18, severity="error")
        self.assertIn("get, list, watch", f["message"])
        self.assertIn("in every namespace", f["message"])

    def test_cluster_wide_write(self):
        res = self.run01()
        # developer and qa roles write; production is read-only; gitlab:user at 233.
        self.assertEqual(self.lines(res, "rbac-wide-cluster-binding", self.RBAC),
                         [18, 35, 140, 162, 233])
        self.assertNoFinding(res, "rbac-wide-admin")

    def test_namespace_on_group_subjects(self):
        res = self.run01()
        # The finding points at the subject whose namespace is ignored.
        self.assertEqual(self.lines(res, "rbac-subject-namespace", self.RBAC), [162, 182])

    def test_subjects_gitlab_never_sends(self):
        res = self.run01()
        found = {f["line"]: f for f in self.findings(res, "rbac-unknown-subject", self.RBAC)}
        for line in (138, 160, 180):
            self.assertIn("gitlab:agent", found[line]["message"])
        self.assertIn("placeholder", found[252]["message"])
        self.assertIn("placeholder", found[270]["message"])
        # The ServiceAccount subject at 142 is not a GitLab identity.
        self.assertNotIn(142, found)

    def test_bindings_for_a_rejected_config(self):
        res = self.run01()
        # Only agente-producao uses access_as ci_job, and GitLab rejects its file.
        self.assertEqual(self.lines(res, "rbac-rejected-agent", self.RBAC),
                         [18, 35, 52, 140, 162, 182])
        f = self.assertFinding(res, "rbac-rejected-agent", self.RBAC, 52)
        self.assertIn("agente-producao", f["message"])

    def test_agent_service_account_wide(self):
        # agente-desenvolvimento has no access_as: its jobs are the service account,
        # which gitlab-agent-desenvolvimento-binding gives write access everywhere.
        res = self.run01("--agent-sa", "desenvolvimento/gitlab-agent-desenvolvimento")
        f = self.assertFinding(res, "rbac-agent-sa-wide", self.RBAC, 142, severity="warning")
        self.assertIn("access_as agent", f["message"])
        # No accepted config impersonates: nothing for the impersonate rule to ask.
        self.assertNoFinding(res, "rbac-agent-impersonate")
        self.assertNoFinding(self.run01(), "rbac-agent-sa-wide")

    def test_docs_canonical_view_binding_is_clean(self):
        # 07: ClusterRole view for gitlab:ci_job: read-only, no secrets.
        r = self.setup_repo({"rbac.yaml": real("07-"),
                             ".gitlab/agents/a/config.yaml": CI_JOB})
        res = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml")
        self.assertEqual([f for f in self.findings(res) if f["rule"].startswith("rbac-")], [],
                         res)

    def test_tutorial_flux_binding(self):
        # 08: ci-job-admin gives every job a Flux role the input does not define.
        r = self.setup_repo({"rbac.yaml": real("08-"),
                             ".gitlab/agents/a/config.yaml": CI_JOB})
        res = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml")
        f = self.assertFinding(res, "rbac-wide-cluster-binding", "rbac.yaml", 45, severity="note")
        self.assertIn("flux-edit-flux-system", f["message"])
        # secret-manager creates and deletes secrets in default; it cannot read them.
        self.assertNoFinding(res, "rbac-secrets-every-job")

    def test_docs_placeholder_project_role(self):
        r = self.setup_repo({"rbac.yaml": real("10-")})
        res = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml")
        f = self.assertFinding(res, "rbac-unknown-subject", "rbac.yaml", 17)
        self.assertIn("123", f["message"])


class Fixtures(Base):
    def test_agent_sa_cluster_admin(self):
        # 04 restated: the agent's default service account is cluster-admin, and a
        # group entry without access_as hands it to every job of the group.
        r = self.setup_repo({"rbac.yaml": fixture("agent-sa-cluster-admin.yaml"),
                             ".gitlab/agents/a/config.yaml": AGENT_MODE})
        res = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml",
                          "--agent-sa", "infrastructure/default")
        self.assertEqual(res.rc, 1, res)
        f = self.assertFinding(res, "rbac-agent-sa-wide", "rbac.yaml", 9, severity="error")
        self.assertIn("cluster-admin", f["message"])
        # Near misses: another service account; a config whose entries all
        # impersonate (no access_as agent entry hands the account out).
        other = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml",
                            "--agent-sa", "other/default")
        self.assertNoFinding(other, "rbac-agent-sa-wide")
        r.commit_files({".gitlab/agents/a/config.yaml": CI_JOB})
        ci_job = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml",
                             "--agent-sa", "infrastructure/default")
        self.assertNoFinding(ci_job, "rbac-agent-sa-wide")

    def test_agent_cannot_impersonate(self):
        r = self.setup_repo({"rbac.yaml": fixture("agent-sa-no-impersonate.yaml"),
                             ".gitlab/agents/a/config.yaml": CI_JOB})
        res = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml",
                          "--agent-sa", "gitlab-agent/gitlab-agent")
        f = self.assertFinding(res, "rbac-agent-impersonate", ".gitlab/agents/a/config.yaml", 3,
                               severity="error")
        self.assertIn("users gitlab:ci_job:<job id>", f["message"])
        self.assertIn("userextras/agent.gitlab.com/id", f["message"])

    def test_least_privilege_is_clean(self):
        r = self.setup_repo({"rbac.yaml": fixture("least-privilege.yaml"),
                             ".gitlab/agents/a/config.yaml": CI_JOB})
        res = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml",
                          "--agent-sa", "gitlab-agent/gitlab-agent")
        self.assertEqual(res.rc, 0, res)
        self.assertEqual([f for f in self.findings(res) if f["rule"].startswith("rbac-")], [],
                         res)

    def test_impersonate_static_identity(self):
        cfg = ("ci_access:\n  projects:\n    - id: acme/app\n      access_as:\n"
               "        impersonate:\n          username: deployer\n          groups: [ops]\n")
        r = self.setup_repo({"rbac.yaml": fixture("least-privilege.yaml"),
                             ".gitlab/agents/a/config.yaml": cfg})
        res = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml",
                          "--agent-sa", "gitlab-agent/gitlab-agent")
        self.assertNoFinding(res, "rbac-agent-impersonate")
        r.commit_files({"rbac.yaml": fixture("agent-sa-no-impersonate.yaml")})
        res = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml",
                          "--agent-sa", "gitlab-agent/gitlab-agent")
        f = self.assertFinding(res, "rbac-agent-impersonate", ".gitlab/agents/a/config.yaml")
        self.assertIn("users deployer", f["message"])
        self.assertIn("groups ops", f["message"])

    def test_wide_admin(self):
        r = self.setup_repo({"rbac.yaml": fixture("wide-admin.yaml"),
                             ".gitlab/agents/a/config.yaml": CI_JOB})
        res = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml")
        # cluster-admin for gitlab:ci_job, admin for a group and a tier, a * role for a
        # group's tier; not the environment's and project's own groups (62, 64).
        self.assertEqual(self.lines(res, "rbac-wide-admin", "rbac.yaml"), [11, 24, 26, 48])


class Sources(Base):
    def test_rbac_read_at_the_revision(self):
        r = self.setup_repo({"rbac.yaml": fixture("wide-admin.yaml"),
                             ".gitlab/agents/a/config.yaml": CI_JOB})
        r.write("rbac.yaml", fixture("least-privilege.yaml"))  # uncommitted fix
        at_head = r.agentlint("check", "--rev", "HEAD", "-f", "json", "--rbac", "rbac.yaml")
        self.assertFinding(at_head, "rbac-wide-admin", "rbac.yaml", 11)
        worktree = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml")
        self.assertNoFinding(worktree, "rbac-wide-admin")

    def test_directory_and_outside_path(self):
        r = self.setup_repo({"k8s/a.yaml": fixture("wide-admin.yaml"),
                             "k8s/notes.txt": "not rbac",
                             ".gitlab/agents/a/config.yaml": CI_JOB})
        res = r.agentlint("check", "--rev", "HEAD", "-f", "json", "--rbac", "k8s")
        self.assertFinding(res, "rbac-wide-admin", "k8s/a.yaml", 11)
        outside = os.path.join(FIX, "wide-admin.yaml")
        res = r.agentlint("check", "-f", "json", "--rbac", outside)
        self.assertFinding(res, "rbac-wide-admin", outside, 11)

    def test_missing_path_is_exit_2(self):
        r = self.setup_repo({".gitlab/agents/a/config.yaml": CI_JOB})
        res = r.agentlint("check", "--rbac", "nope.yaml")
        self.assertEqual(res.rc, 2, res)
        self.assertIn("nope.yaml", res.err)
        self.assertEqual(res.err.count("\n"), 1, res)

    def test_not_yaml_is_a_finding_or_exit_2(self):
        r = self.setup_repo({"rbac.yaml": "kind: [unclosed\n",
                             ".gitlab/agents/a/config.yaml": CI_JOB})
        res = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml")
        self.assertIn(res.rc, (1, 2), res)
        if res.rc == 1:
            self.assertFinding(res, "rbac-input", "rbac.yaml")

    def test_sarif_and_codequality_point_at_the_rbac_file(self):
        r = self.setup_repo({"rbac.yaml": fixture("wide-admin.yaml"),
                             ".gitlab/agents/a/config.yaml": CI_JOB})
        sarif = r.agentlint("check", "-f", "sarif", "--rbac", "rbac.yaml")
        results = json.loads(sarif.out)["runs"][0]["results"]
        hit = [x for x in results if x["ruleId"] == "rbac-wide-admin"]
        loc = hit[0]["locations"][0]["physicalLocation"]
        self.assertEqual(loc["artifactLocation"]["uri"], "rbac.yaml")
        self.assertEqual(loc["region"]["startLine"], 11)
        cq = json.loads(r.agentlint("check", "-f", "codequality", "--rbac", "rbac.yaml").out)
        hit = [x for x in cq if x["check_name"] == "rbac-wide-admin"]
        self.assertEqual(hit[0]["location"]["path"], "rbac.yaml")
        self.assertEqual(hit[0]["location"]["lines"]["begin"], 11)

    def test_inline_ignore_and_settings(self):
        text = fixture("wide-admin.yaml").replace(
            "  - kind: Group\n    name: gitlab:ci_job\n",
            "  - kind: Group  # agentlint: ignore[rbac-wide-admin]\n    name: gitlab:ci_job\n")
        r = self.setup_repo({"rbac.yaml": text, ".gitlab/agents/a/config.yaml": CI_JOB,
                             ".agentlint.yaml": "rules:\n  rbac-wide-admin: warning\n"})
        res = r.agentlint("check", "-f", "json", "--rbac", "rbac.yaml")
        self.assertEqual(self.lines(res, "rbac-wide-admin", "rbac.yaml"), [24, 26, 48])
        self.assertFinding(res, "rbac-wide-admin", "rbac.yaml", 24, severity="warning")

    def test_rules_are_listed(self):
        r = self.repo()
        out = r.agentlint("rules").out
        for rule in ("rbac-wide-admin", "rbac-wide-cluster-binding", "rbac-secrets-every-job",
                     "rbac-subject-namespace", "rbac-unknown-subject", "rbac-agent-impersonate",
                     "rbac-agent-sa-wide", "rbac-rejected-agent", "rbac-input"):
            self.assertRegex(out, r"(?m)^%s\s+(error|warning|note)\s+\S" % rule)
