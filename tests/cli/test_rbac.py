"""rbac: Kubernetes RBAC for the identities GitLab impersonates, on real git
repositories, checked against the real kubectl object by object: for every
emitted object, the equivalent `kubectl create ... --dry-run=client -o yaml`
must give the same object (labels, annotations, creationTimestamp and the
order of subjects aside).

    acme (group, id 1)
      platform (group, id 2)
        infra (project 100)   -- the configuration project: agents deploy, prod
        web   (project 101)
        api   (project 102)
      apps (group, id 3)
        api   (project 103)
"""

import json
import os
import re
import subprocess

import yaml

from util import TestCase

CONFIG_PROJECT = "acme/platform/infra"
DEPLOY_PATH = ".gitlab/agents/deploy/config.yaml"

# Two projects and a group with ci_job, one of them limited to production.
DEPLOY = """\
ci_access:
  projects:
    - id: acme/platform/web
      access_as:
        ci_job: {}
      environments: [production]
      default_namespace: web
    - id: acme/apps/api
      access_as:
        ci_job: {}
  groups:
    - id: acme/platform
      access_as:
        ci_job: {}
"""

PROD = """\
ci_access:
  groups:
    - id: acme
      access_as:
        ci_job: {}
      default_namespace: sandbox
  projects:
    - id: acme/platform/infra
      access_as:
        impersonate:
          username: deployer
          groups: [ops]
          uid: "1001"
          extra:
            - {key: Team, val: [platform]}
user_access:
  access_as:
    user: {}
  projects:
    - id: acme/platform/web
"""

BROKEN = """\
ci_access:
  project:
    - id: acme/platform/web
  groups:
    - id: acme/apps
      access_as:
        ci_job: {}
"""

# What the GitLab API returns (trimmed), as glab api --paginate writes it.
PROJECTS_PAGES = [
    [{"id": 100, "path_with_namespace": "acme/platform/infra",
      "namespace": {"id": 2, "kind": "group", "full_path": "acme/platform"}},
     {"id": 101, "path_with_namespace": "acme/platform/web",
      "namespace": {"id": 2, "kind": "group", "full_path": "acme/platform"}}],
    [{"id": 102, "path_with_namespace": "acme/platform/api",
      "namespace": {"id": 2, "kind": "group", "full_path": "acme/platform"}},
     {"id": 103, "path_with_namespace": "acme/apps/api",
      "namespace": {"id": 3, "kind": "group", "full_path": "acme/apps"}}],
]
GROUPS = [{"id": 2, "full_path": "acme/platform", "parent_id": 1},
          {"id": 3, "full_path": "acme/apps", "parent_id": 1}]
ROOT = {"id": 1, "full_path": "acme"}

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


# ---- kubectl ----

def kubectl_args(obj):
    """The kubectl create command that makes the same object."""
    kind, name = obj["kind"], obj["metadata"]["name"]
    if kind in ("ClusterRoleBinding", "RoleBinding"):
        args = ["create", kind.lower(), name, "--clusterrole=" + obj["roleRef"]["name"]]
        for s in obj["subjects"]:
            if s["kind"] == "User":
                args.append("--user=" + s["name"])
            elif s["kind"] == "Group":
                args.append("--group=" + s["name"])
            else:
                args.append("--serviceaccount=%s:%s" % (s["namespace"], s["name"]))
        if kind == "RoleBinding":
            args += ["-n", obj["metadata"]["namespace"]]
        return args
    args = ["create", "clusterrole", name, "--verb=impersonate"]
    names = []
    for rule in obj["rules"]:
        group = rule["apiGroups"][0]
        for res in rule["resources"]:
            if group == "":
                args.append("--resource=" + res)
            else:  # userextras/KEY -> userextras.authentication.k8s.io/KEY
                base, slash, sub = res.partition("/")
                args.append("--resource=%s.%s%s%s" % (base, group, slash, sub))
        names = rule.get("resourceNames") or names
    return args + ["--resource-name=" + n for n in names]


def kubectl(args, tmp):
    env = dict(os.environ, KUBECONFIG=os.path.join(tmp, "no-kubeconfig"))
    proc = subprocess.run(["kubectl"] + args + ["--dry-run=client", "-o", "yaml",
                                                "--cache-dir", os.path.join(tmp, "kube-cache")],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=60)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def normalized(obj):
    obj = json.loads(json.dumps(obj))
    meta = obj["metadata"]
    for key in ("labels", "annotations", "creationTimestamp"):
        meta.pop(key, None)
    if "subjects" in obj:
        obj["subjects"].sort(key=lambda s: (s["kind"], s["name"], s.get("namespace", "")))
    return obj


def uids_role(name, uids):
    """What kubectl would write for the uids rule, had it known the resource."""
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": name},
            "rules": [{"apiGroups": ["authentication.k8s.io"], "resourceNames": uids,
                       "resources": ["uids"], "verbs": ["impersonate"]}]}


class RbacBase(TestCase):
    def setUp(self):
        super().setUp()
        self.r = self.repo()
        self.r.git("remote", "add", "origin", "git@gitlab.example.com:%s.git" % CONFIG_PROJECT)
        self.r.commit_files({DEPLOY_PATH: DEPLOY}, "deploy")
        self.tmp = self.tmpdir()
        self.ids = os.path.join(self.tmp, "ids.json")
        with open(self.ids, "w") as f:
            for page in PROJECTS_PAGES:
                f.write(json.dumps(page) + "\n")
            f.write(json.dumps(GROUPS) + "\n")
            f.write(json.dumps(ROOT) + "\n")

    def rbac(self, *args, rc=0, ids=True):
        res = self.r.agentlint("rbac", *((["--ids", self.ids] if ids else []) + list(args)))
        self.assertEqual(res.rc, rc, res)
        return res

    def objects(self, res):
        docs = list(yaml.safe_load_all(res.out))
        self.assertTrue(all(isinstance(d, dict) for d in docs), docs)
        return docs

    def assert_kubectl_agrees(self, objs):
        """Object by object, what kubectl create makes from the same values."""
        for obj in objs:
            rc, out, err = kubectl(kubectl_args(obj), self.tmp)
            if obj["kind"] == "ClusterRole" and obj["rules"][0]["resources"] == ["uids"]:
                if rc != 0:  # kubectl 1.32 does not know uids: the same shape by hand
                    self.assertIn("can not perform 'impersonate' on 'uids'", err)
                    self.assertEqual(normalized(obj),
                                     uids_role(obj["metadata"]["name"],
                                               obj["rules"][0]["resourceNames"]))
                    continue
            self.assertEqual(rc, 0, (kubectl_args(obj), err))
            self.assertEqual(normalized(obj), normalized(yaml.safe_load(out)),
                             kubectl_args(obj))

    def by_source(self, objs, line, path=DEPLOY_PATH):
        return [o for o in objs
                if o["metadata"]["annotations"]["agentlint/source"] == "%s:%d" % (path, line)]


class DoneWhen(RbacBase):
    """The issue's "done when": bindings kubectl accepts that bind exactly the
    groups explain shows for those jobs."""

    def explain_groups(self, project, environment=None):
        args = ["explain", "--ids", self.ids, "-f", "json", "--project", project]
        if environment:
            args += ["--environment", environment]
        res = self.r.agentlint(*args)
        self.assertEqual(res.rc, 0, res)
        decision = {d["agent"]: d for d in res.json()["decisions"]}["deploy"]
        self.assertTrue(decision["allowed"], decision)
        return decision["label"], set(decision["identity"]["groups"])

    def test_bindings_match_explain_and_kubectl(self):
        res = self.rbac()
        objs = self.objects(res)
        self.assertEqual(len(objs), 3)
        self.assert_kubectl_agrees(objs)
        jobs = [("acme/platform/web", "production", "gitlab:project_env:101:production"),
                ("acme/apps/api", None, "gitlab:project:103"),
                ("acme/platform/api", None, "gitlab:group:2"),
                ("acme/platform/api", "staging", "gitlab:group:2")]
        bound = set()
        for project, env, group in jobs:
            label, groups = self.explain_groups(project, env)
            mine = [o for o in objs
                    if o["metadata"]["annotations"]["agentlint/for"].startswith(label + " ")]
            self.assertEqual(len(mine), 1, (label, objs))
            names = {s["name"] for s in mine[0]["subjects"]}
            self.assertEqual(names, {group})   # exactly the entry's group ...
            self.assertLessEqual(names, groups)  # ... which GitLab sends for the job
            bound |= names
        every = {s["name"] for o in objs for s in o["subjects"]}
        self.assertEqual(every, bound)
        web = self.by_source(objs, 3)[0]
        self.assertEqual((web["kind"], web["metadata"]["namespace"]), ("RoleBinding", "web"))
        self.assertEqual(web["roleRef"]["name"], "view")
        for o in objs:
            self.assertEqual(o["metadata"]["labels"], {"app.kubernetes.io/managed-by": "agentlint"})
            self.assertTrue(DNS_LABEL.match(o["metadata"]["name"]), o["metadata"]["name"])
        self.assertEqual(len({o["metadata"]["name"] for o in objs}), len(objs))

    def test_twice_gives_identical_bytes(self):
        first = self.rbac("--baseline").out
        self.assertEqual(self.rbac("--baseline").out, first)
        self.assertTrue(first.startswith("---\n"))

    def test_output_file(self):
        out = os.path.join(self.tmp, "rbac.yaml")
        res = self.rbac("-o", out)
        self.assertEqual(res.out, "")
        with open(out) as f:
            self.assertEqual(f.read(), self.rbac().out)


class Ids(RbacBase):
    def test_missing_ids_exit_2_with_the_fetch_commands(self):
        out = os.path.join(self.tmp, "keep.yaml")
        with open(out, "w") as f:
            f.write("previous\n")
        res = self.rbac("-o", out, rc=2, ids=False)
        self.assertEqual(res.out, "")
        for what in ("project acme/platform/web", "project acme/apps/api", "group acme/platform"):
            self.assertIn(what, res.err)
        self.assertIn("glab api projects/acme%2Fplatform%2Fweb >> ids.json", res.err)
        self.assertIn('curl --fail --header "PRIVATE-TOKEN: $GITLAB_TOKEN" '
                      '"$CI_API_V4_URL/groups/acme%2Fplatform" >> ids.json', res.err)
        with open(out) as f:
            self.assertEqual(f.read(), "previous\n")  # written whole or not at all
        # Only what is missing is asked for.
        only = os.path.join(self.tmp, "projects.json")
        with open(only, "w") as f:
            json.dump(PROJECTS_PAGES[1], f)
        res = self.r.agentlint("rbac", "--ids", only)
        self.assertEqual(res.rc, 2, res)
        self.assertIn("project acme/platform/web", res.err)
        self.assertNotIn("project acme/apps/api", res.err)
        self.assertNotIn("gitlab:", res.out)

    def test_the_fetched_ids_are_enough(self):
        """The printed commands, run against a stand-in API, give usable ids."""
        res = self.rbac(rc=2, ids=False)
        answers = {"projects/acme%2Fplatform%2Fweb": PROJECTS_PAGES[0][1],
                   "projects/acme%2Fapps%2Fapi": PROJECTS_PAGES[1][1],
                   "groups/acme%2Fplatform": GROUPS[0]}
        fetched = os.path.join(self.tmp, "fetched.json")
        with open(fetched, "w") as f:
            for line in res.err.splitlines():
                m = re.match(r"\s+glab api (\S+) >> ids.json$", line)
                if m:
                    f.write(json.dumps(answers[m.group(1)]) + "\n")
        res = self.r.agentlint("rbac", "--ids", fetched)
        self.assertEqual(res.rc, 0, res)
        self.assertEqual(len(self.objects(res)), 3)


class Placement(RbacBase):
    def test_role_binding_in_default_namespace_or_cluster_wide(self):
        objs = self.objects(self.rbac())
        self.assertEqual(self.by_source(objs, 3)[0]["kind"], "RoleBinding")
        objs = self.objects(self.rbac("--cluster-wide", "--role", "edit"))
        web = self.by_source(objs, 3)[0]
        self.assertEqual(web["kind"], "ClusterRoleBinding")
        self.assertNotIn("namespace", web["metadata"])
        self.assertEqual(web["roleRef"]["name"], "edit")
        self.assert_kubectl_agrees(objs)

    def test_bind_all_jobs_binds_every_ci_job(self):
        objs = self.objects(self.rbac("--bind-all-jobs"))
        base = objs[0]
        self.assertEqual([s["name"] for s in base["subjects"]], ["gitlab:ci_job"])
        self.assertEqual(base["metadata"]["annotations"]["agentlint/source"], "--bind-all-jobs")
        self.assert_kubectl_agrees(objs)
        # the former spelling stays an alias, and is not listed
        self.assertEqual(self.objects(self.rbac("--baseline")), objs)
        help_ = self.r.agentlint("rbac", "--help").out
        self.assertIn("--bind-all-jobs", help_)
        self.assertNotIn("--baseline", help_)

    def test_json_is_a_kubernetes_list_of_the_same_objects(self):
        objs = self.objects(self.rbac("--bind-all-jobs"))
        res = self.r.agentlint("rbac", "--ids", self.ids, "--bind-all-jobs", "-f", "json")
        self.assertEqual(res.rc, 0, res)
        doc = json.loads(res.out)
        self.assertEqual((doc["apiVersion"], doc["kind"]), ("v1", "List"))
        self.assertEqual(doc["items"], objs)
        # the same shape `kubectl get -o json` writes for several objects
        self.assertEqual(doc["metadata"], {"resourceVersion": ""})

    def test_usage_errors(self):
        for args in (["--role", "a/b"], ["--impersonator"], ["--agent-sa", "ns:sa"],
                     ["--impersonator", "--agent-sa", "nocolon"],
                     ["--impersonator", "--agent-sa", "Bad_NS:sa"],
                     ["--agents", "nosuch"], ["--policy", "/nonexistent.yaml"]):
            res = self.r.agentlint("rbac", "--ids", self.ids, *args)
            self.assertEqual(res.rc, 2, (args, res))
            self.assertEqual(len(res.err.strip().splitlines()), 1, res)
            self.assertTrue(res.err.startswith("agentlint: "), res)


class WhereTheyPartWays(RbacBase):
    def test_over_grant_warning_names_the_project(self):
        res = self.rbac()
        group = self.by_source(self.objects(res), 12)[0]
        self.assertIn("acme/platform/web", group["metadata"]["annotations"]["agentlint/over-grant"])
        warning = [l for l in res.err.splitlines() if "beyond what GitLab decides" in l]
        self.assertEqual(len(warning), 1, res.err)
        self.assertIn(group["metadata"]["name"], warning[0])
        self.assertIn("acme/platform/web in environment production", warning[0])
        self.assertIn("project entry acme/platform/web (line 3)", warning[0])
        self.assertNotIn("acme/platform/api", warning[0])  # the group decides for it

    def test_agents_sharing_a_cluster(self):
        """A job of web without an environment: deploy refuses it (its project
        entry wants production), prod lets it through, and it still carries
        gitlab:group:2, so deploy's group binding reaches it."""
        self.r.commit_files({".gitlab/agents/prod/config.yaml": PROD}, "prod")
        res = self.rbac()
        self.assertIn("as if they shared one cluster", res.err)
        objs = self.objects(res)
        self.assert_kubectl_agrees(objs)
        group = self.by_source(objs, 12)[0]
        over = group["metadata"]["annotations"]["agentlint/over-grant"]
        self.assertIn("acme/platform/web without an environment: through agent prod "
                      "(group entry acme (line 3)), which agent deploy refuses; GitLab's "
                      "decision binds view in namespace sandbox", over)
        # Agents in different clusters: each alone, no cross-agent warning.
        alone = self.rbac("--agents", "deploy")
        self.assertNotIn("shared one cluster", alone.err)
        self.assertNotIn("through agent prod", alone.err)
        names = {o["metadata"]["name"] for o in objs}
        self.assertLessEqual({o["metadata"]["name"] for o in self.objects(alone)}, names)

    def test_wildcards_are_said_and_bound_at_the_exact_level(self):
        self.r.commit_files({DEPLOY_PATH: DEPLOY.replace("[production]",
                                                         "[production, 'review/*']")})
        res = self.rbac()
        web = self.by_source(self.objects(res), 3)[0]
        self.assertEqual({s["name"] for s in web["subjects"]},
                         {"gitlab:project:101", "gitlab:project_env:101:production"})
        self.assertIn('"review/*"', web["metadata"]["annotations"]["agentlint/warning"])
        self.assertIn('environment pattern "review/*"', res.err)

    def test_rejected_config_is_answered_and_flagged(self):
        self.r.commit_files({".gitlab/agents/broken/config.yaml": BROKEN}, "broken")
        res = self.rbac()
        self.assertIn("GitLab would reject .gitlab/agents/broken/config.yaml", res.err)
        self.assertIn("previous configuration in force", res.err)
        objs = self.by_source(self.objects(res), 5, ".gitlab/agents/broken/config.yaml")
        self.assertEqual([s["name"] for s in objs[0]["subjects"]], ["gitlab:group:3"])


class Impersonator(RbacBase):
    def test_roles_and_bindings_against_kubectl(self):
        self.r.commit_files({".gitlab/agents/prod/config.yaml": PROD}, "prod")
        res = self.rbac("--impersonator", "--agent-sa", "gitlab-agent:agentk")
        objs = self.objects(res)
        self.assert_kubectl_agrees(objs)
        roles = {o["metadata"]["name"]: o for o in objs if o["kind"] == "ClusterRole"}
        by_resource = {tuple(r for rule in o["rules"] for r in rule["resources"]): o
                       for o in roles.values()}
        groups = by_resource[("groups",)]["rules"][0]["resourceNames"]
        for g in ("gitlab:ci_job", "gitlab:group:1", "gitlab:group:2", "gitlab:project:101",
                  "gitlab:project_env:101:production", "gitlab:group_env_tier:2:staging",
                  "gitlab:project_role:101:maintainer", "gitlab:user", "ops"):
            self.assertIn(g, groups)
        self.assertEqual(groups, sorted(groups))
        dynamic = [o for k, o in by_resource.items() if "users" in k][0]
        self.assertNotIn("resourceNames", dynamic["rules"][0])
        self.assertIn("cannot be limited by name", dynamic["metadata"]["annotations"]["agentlint/note"])
        extras = dynamic["rules"][1]["resources"]
        self.assertIn("userextras/agent.gitlab.com/ci_job_id", extras)
        team = by_resource[("userextras/team",)]["rules"][0]
        self.assertEqual(team["resourceNames"], ["platform"])
        self.assertEqual(by_resource[("uids",)]["rules"][0]["resourceNames"], ["1001"])
        bindings = [o for o in objs
                    if o["kind"] == "ClusterRoleBinding" and o["roleRef"]["name"] in roles]
        self.assertEqual(len(bindings), len(roles))
        for b in bindings:
            self.assertEqual(b["subjects"], [{"kind": "ServiceAccount", "name": "agentk",
                                              "namespace": "gitlab-agent"}])
        # What cannot be named in advance is said.
        self.assertIn("may use environments no entry lists by name", res.err)
        self.assertIn("implicit authorization", res.err)


# Values that try to leave their scalar: quotes, YAML indicators, document
# markers, types a reader would convert, whitespace at the ends, line breaks.
HOSTILE = ['"dq" \'sq\'', "a: b", "- x", "#c", "--- !!python/object:os.system", "true", "y",
           "1:20", "2001-12-14", " lead", "trail ", "x\ny", "&a *b", "{x: [y]}", "\\back",
           "tab\there", "...", "|", "é\u2028L"]
# The model drops ids no GitLab path can match (quotes, spaces, '<', ':',
# '*', ...): what reaches rbac is a path, odd as it may be.
HOSTILE_ID = "acme/-.-_x..1e3"
HOSTILE_AGENT = 'x"y: -- #z'  # a directory name; the agent name is not valid for GitLab


class Hostile(RbacBase):
    def setUp(self):
        super().setUp()
        cfg = {"ci_access": {"projects": [
            {"id": "acme/platform/web", "access_as": {"ci_job": {}},
             "environments": HOSTILE},
            {"id": "acme/apps/api", "access_as": {"impersonate": {
                "username": HOSTILE[0], "groups": HOSTILE[1:]}}},
            {"id": HOSTILE_ID, "access_as": {"ci_job": {}}}]}}
        self.r.commit_files({DEPLOY_PATH: json.dumps(cfg, indent=1)}, "hostile")
        odd = {"ci_access": {"groups": [{"id": "acme", "access_as": {"ci_job": {}}}]}}
        self.r.commit_files({".gitlab/agents/%s/config.yaml" % HOSTILE_AGENT: json.dumps(odd)})
        self.hand = os.path.join(self.tmp, "hand.json")
        with open(self.hand, "w") as f:
            json.dump({"projects": {HOSTILE_ID: 7}}, f)

    def test_values_round_trip_and_kubectl_agrees(self):
        res = self.rbac("--ids", self.hand)
        objs = self.objects(res)
        self.assertEqual(len(objs), 4)  # no document smuggled in
        web, imp, odd, agent = objs
        self.assertIn("agent %s," % HOSTILE_AGENT, agent["metadata"]["annotations"]["agentlint/for"])
        self.assertTrue(agent["metadata"]["name"].startswith("agentlint-x-y-z-group-acme-"))
        self.assertEqual(web["metadata"]["annotations"]["agentlint/environments"],
                         ", ".join(HOSTILE))
        self.assertEqual([s["name"] for s in imp["subjects"]], HOSTILE)
        self.assertEqual([s["kind"] for s in imp["subjects"]], ["User"] + ["Group"] * 18)
        self.assertIn(HOSTILE_ID, odd["metadata"]["annotations"]["agentlint/for"])
        self.assertEqual([s["name"] for s in odd["subjects"]], ["gitlab:project:7"])
        for o in objs:
            self.assertTrue(DNS_LABEL.match(o["metadata"]["name"]), o["metadata"]["name"])
            for s in o["subjects"]:
                self.assertIsInstance(s["name"], str)
        self.assert_kubectl_agrees(objs)
        self.assertNotIn("\x1b", res.err)
        self.assertIn("\\x0a", res.err)  # control characters are shown, not printed

    def test_impersonator_role_keeps_the_names(self):
        res = self.rbac("--ids", self.hand, "--impersonator", "--agent-sa", "ns:sa")
        roles = [o for o in self.objects(res) if o["kind"] == "ClusterRole"]
        groups = [r for r in roles if r["rules"][0]["resources"] == ["groups"]][0]
        names = groups["rules"][0]["resourceNames"]
        for h in HOSTILE[1:]:
            self.assertIn(h, names)
        self.assert_kubectl_agrees(roles)


POLICY = """\
# Production jobs of acme/platform/web may change things in their namespace;
# every job of acme/platform may look around in platform.
role: view
rules:
  - project: acme/platform/web
    environment: production
    role: edit
  - group: acme/platform
    namespaces: [platform]
  - group: acme/platform
    tier: production
    role: edit
    namespaces: [platform]
"""


class Policy(RbacBase):
    def write(self, text):
        path = os.path.join(self.tmp, "policy.yaml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_worked_example(self):
        res = self.rbac("--policy", self.write(POLICY))
        objs = self.objects(res)
        self.assert_kubectl_agrees(objs)
        web = self.by_source(objs, 3)
        self.assertEqual([(o["kind"], o["metadata"]["namespace"], o["roleRef"]["name"])
                          for o in web], [("RoleBinding", "web", "edit")])
        group = sorted((o["roleRef"]["name"], [s["name"] for s in o["subjects"]])
                       for o in self.by_source(objs, 12))
        self.assertEqual(group, [("edit", ["gitlab:group_env_tier:2:production"]),
                                 ("view", ["gitlab:group:2"])])
        for o in self.by_source(objs, 12):
            self.assertEqual(o["metadata"]["namespace"], "platform")

    def test_bad_policies_exit_2_with_one_sentence(self):
        for text, needle in (("rules:\n  - {tier: prod}\n", ":2:12: rules[0].tier must be"),
                             ("rol: view\n", 'did you mean "role"'),
                             ("rules:\n  - {namespaces: [Web]}\n", "namespaces[0]")):
            res = self.r.agentlint("rbac", "--ids", self.ids, "--policy", self.write(text))
            self.assertEqual(res.rc, 2, res)
            self.assertIn(needle, res.err)
            self.assertEqual(len(res.err.strip().splitlines()), 1, res)
            self.assertEqual(res.out, "")
