"""explain: the access matrix and one job's decisions, on a real git
repository with two agents and groups and projects at three levels:

    acme (group, id 1)
      platform (group, id 2)
        infra (project 100)   -- the configuration project: agents deploy, prod
        web   (project 101)
        api   (project 102)
      apps (group, id 3)
        api   (project 103)

Every output format, the licence, both environment matchings, a rejected
config, hostile ids in Markdown and DOT, and the source flags."""

import json
import os
import re
import subprocess

from util import TestCase, md_cell_borders, md_split_code

DEPLOY = """\
ci_access:
  projects:
    - id: acme/platform/web
      access_as:
        ci_job: {}
      environments:
        - production
        - "review/*"
      default_namespace: web
  groups:
    - id: acme/platform
      environments: [staging]
      protected_branches_only: true
    - id: acme
    - id: elsewhere/team
"""

PROD = """\
ci_access:
  groups:
    - id: acme/apps
      access_as:
        ci_job: {}
      protected_branches_only: true
      default_namespace: apps
    - id: acme
      default_namespace: everything
  projects:
    - id: acme/platform/infra
      access_as:
        impersonate:
          username: deployer
          groups: [ops]
    - id: acme/platform/web
      default_namespace: first
    - id: ACME/platform/web
      default_namespace: second
user_access:
  access_as:
    agent: {}
  groups:
    - id: acme/platform
"""

BROKEN = """\
ci_access:
  project:
    - id: acme/platform/web
  groups:
    - id: acme
"""

# What the GitLab API returns (trimmed): GET /groups/acme/projects?include_subgroups=true
# as glab api --paginate writes two pages, GET /groups/acme/descendant_groups, GET /groups/acme,
# and GET /projects/:id/cluster_agents.
PROJECTS_PAGES = [
    [{"id": 100, "name": "infra", "path_with_namespace": "acme/platform/infra",
      "namespace": {"id": 2, "kind": "group", "full_path": "acme/platform"},
      "description": "has \"quotes\" and ] [ in it"},
     {"id": 101, "path_with_namespace": "acme/platform/web",
      "namespace": {"id": 2, "kind": "group", "full_path": "acme/platform"}}],
    [{"id": 102, "path_with_namespace": "acme/platform/api",
      "namespace": {"id": 2, "kind": "group", "full_path": "acme/platform"}},
     {"id": 103, "path_with_namespace": "acme/apps/api",
      "namespace": {"id": 3, "kind": "group", "full_path": "acme/apps"}}],
]
GROUPS = [{"id": 2, "full_path": "acme/platform", "parent_id": 1},
          {"id": 3, "full_path": "acme/apps", "parent_id": 1}]
ROOT = {"id": 1, "full_path": "acme", "projects": []}
AGENTS = [{"id": 7, "name": "deploy", "config_project": {
              "id": 100, "path_with_namespace": "acme/platform/infra"}},
          {"id": 8, "name": "prod", "config_project": {
              "id": 100, "path_with_namespace": "acme/platform/infra"}}]

CONFIG_PROJECT = "acme/platform/infra"


class ExplainBase(TestCase):
    def setUp(self):
        super().setUp()
        self.r = self.repo()
        self.r.git("remote", "add", "origin", "git@gitlab.example.com:%s.git" % CONFIG_PROJECT)
        self.r.commit_files({".gitlab/agents/deploy/config.yaml": DEPLOY,
                             ".gitlab/agents/prod/config.yaml": PROD}, "two agents")
        d = self.tmpdir()
        self.ids = os.path.join(d, "ids.json")
        with open(self.ids, "w") as f:
            for page in PROJECTS_PAGES:  # back to back, as --paginate writes them
                f.write(json.dumps(page))
                f.write("\n")
        self.groups = os.path.join(d, "groups.json")
        with open(self.groups, "w") as f:
            json.dump(GROUPS, f)
        self.root = os.path.join(d, "root.json")
        with open(self.root, "w") as f:
            json.dump(ROOT, f)
        self.agents = os.path.join(d, "agents.json")
        with open(self.agents, "w") as f:
            json.dump(AGENTS, f)

    def ids_args(self):
        return ["--ids", self.ids, "--ids", self.groups, "--ids", self.root,
                "--ids", self.agents]

    def explain(self, *args, rc=0):
        res = self.r.agentlint("explain", *args)
        self.assertEqual(res.rc, rc, res)
        return res

    def decide(self, project, *args):
        res = self.explain("--project", project, "-f", "json", *args)
        return {d["agent"]: d for d in res.json()["decisions"]}, res


class Matrix(ExplainBase):
    def test_json_has_the_contract_shape(self):
        data = self.explain("-f", "json").json()
        self.assertEqual(data["config_project"], CONFIG_PROJECT)
        self.assertEqual([a["name"] for a in data["agents"]], ["deploy", "prod"])
        for a in data["agents"]:
            self.assertEqual(a["context"], CONFIG_PROJECT + ":" + a["name"])
            self.assertFalse(a["rejected"])
            self.assertEqual(a["path"], ".gitlab/agents/%s/config.yaml" % a["name"])
        keys = {"agent", "section", "scope", "id", "access_as", "impersonate", "environments",
                "protected_branches_only", "default_namespace", "effective", "shadowed_by",
                "path", "line"}
        for auth in data["authorizations"]:
            self.assertLessEqual(keys, set(auth), auth)
        self.assertNotIn("decisions", data)

    def test_statuses_scopes_and_reasons(self):
        auths = self.explain("-f", "json").json()["authorizations"]
        by = {(a["agent"], a["section"], a["label"]): a for a in auths}
        implicit = by[("deploy", "ci_access", "implicit")]
        self.assertEqual((implicit["scope"], implicit["id"], implicit["line"]),
                         ("implicit", CONFIG_PROJECT, None))
        web = by[("deploy", "ci_access", "ci_access.projects[0]")]
        self.assertEqual(web["access_as"], "ci_job")
        self.assertEqual(web["environments"], ["production", "review/*"])
        self.assertEqual((web["line"], web["default_namespace"]), (3, "web"))
        platform = by[("deploy", "ci_access", "ci_access.groups[0]")]
        self.assertTrue(platform["protected_branches_only"])
        self.assertEqual(set(platform["overridden_by"]), {"implicit", "ci_access.projects[0]"})
        outside = by[("deploy", "ci_access", "ci_access.groups[2]")]
        self.assertFalse(outside["effective"])
        self.assertEqual(outside["dropped"], "namespace")
        self.assertIn("outside acme", outside["reason"])
        first = by[("prod", "ci_access", "ci_access.projects[1]")]
        self.assertFalse(first["effective"])
        self.assertEqual(first["shadowed_by"], "ci_access.projects[2]")
        imp = by[("prod", "ci_access", "ci_access.projects[0]")]["impersonate"]
        self.assertEqual((imp["username"], imp["groups"]), ("deployer", ["ops"]))
        user = by[("prod", "user_access", "user_access.groups[0]")]
        self.assertEqual((user["scope"], user["access_as"]), ("group", "agent"))

    def test_text_is_a_table_that_fits(self):
        out = self.r.agentlint("explain", env={"COLUMNS": "80"}).out
        self.assertIn("Configuration project: acme/platform/infra (from remote.origin.url)", out)
        self.assertIn("Agent deploy", out)
        self.assertIn("SCOPE", out)
        self.assertIn("shadowed", out)
        self.assertIn("dropped", out)
        for line in out.splitlines():
            if line.startswith("  ") and ("in force" in line or "SCOPE" in line):
                self.assertLessEqual(len(line), 80, line)

    def test_project_path_flag_and_unknown_project(self):
        data = self.explain("-f", "json", "--project-path", "acme/other").json()
        self.assertEqual(data["agents"][0]["context"], "acme/other:deploy")
        self.r.git("remote", "remove", "origin")
        res = self.explain("-f", "json")
        self.assertIsNone(res.json()["config_project"])
        self.assertNotIn("implicit", [a["scope"] for a in res.json()["authorizations"]])
        self.assertIn("configuration project's path is unknown", res.err)


class Decisions(ExplainBase):
    def test_project_entry_decides_with_environment(self):
        ds, res = self.decide("acme/platform/web", "--environment", "production",
                              *self.ids_args())
        deploy = ds["deploy"]
        self.assertTrue(deploy["allowed"])
        self.assertEqual((deploy["scope"], deploy["id"], deploy["access_as"]),
                         ("project", "acme/platform/web", "ci_job"))
        self.assertEqual(deploy["context"], "acme/platform/infra:deploy")
        self.assertEqual(deploy["namespace"], "web")
        self.assertEqual(deploy["identity"]["username"], "gitlab:ci_job:<job id>")
        self.assertEqual(deploy["identity"]["groups"], [
            "gitlab:ci_job",
            "gitlab:group:2", "gitlab:group_env_tier:2:production",
            "gitlab:group:1", "gitlab:group_env_tier:1:production",
            "gitlab:project:101",
            "gitlab:project_env:101:production",
            "gitlab:project_env_tier:101:production"])
        extra = deploy["identity"]["extra"]
        self.assertEqual(extra["agent.gitlab.com/id"], ["7"])
        self.assertEqual(extra["agent.gitlab.com/config_project_id"], ["100"])
        self.assertEqual(res.json()["missing_ids"], [])
        prod = ds["prod"]  # the last of two duplicate project entries
        self.assertTrue(prod["allowed"])
        self.assertEqual((prod["scope"], prod["label"], prod["namespace"]),
                         ("project", "ci_access.projects[2]", "second"))
        self.assertEqual(prod["identity"]["kind"], "agent")

    def test_no_fallback_after_the_environment_filter(self):
        ds, _ = self.decide("acme/platform/web", "--environment", "staging")
        self.assertFalse(ds["deploy"]["allowed"])
        self.assertEqual(ds["deploy"]["reason_code"], "environment")
        self.assertEqual(ds["deploy"]["id"], "acme/platform/web")
        self.assertIn("does not fall back", ds["deploy"]["reason"])
        self.assertIsNone(ds["deploy"]["identity"])

    def test_nearest_group_and_protected_refs(self):
        ds, _ = self.decide("acme/platform/api")
        self.assertEqual(ds["deploy"]["reason_code"], "no-environment")
        self.assertEqual(ds["deploy"]["id"], "acme/platform")
        self.assertEqual((ds["prod"]["id"], ds["prod"]["namespace"]), ("acme", "everything"))
        ds, _ = self.decide("acme/platform/api", "--environment", "staging")
        self.assertEqual(ds["deploy"]["reason_code"], "protected")
        ds, _ = self.decide("acme/platform/api", "--environment", "staging", "--protected")
        self.assertTrue(ds["deploy"]["allowed"])
        ds, _ = self.decide("acme/apps/api", *self.ids_args())
        self.assertEqual((ds["deploy"]["allowed"], ds["deploy"]["id"]), (True, "acme"))
        self.assertEqual((ds["prod"]["allowed"], ds["prod"]["reason_code"]),
                         (False, "protected"))
        ds, _ = self.decide("acme/apps/api", "--protected", *self.ids_args())
        self.assertEqual(ds["prod"]["identity"]["groups"],
                         ["gitlab:ci_job", "gitlab:group:3", "gitlab:group:1",
                          "gitlab:project:103"])

    def test_implicit_and_the_config_projects_own_entry(self):
        ds, _ = self.decide(CONFIG_PROJECT)
        self.assertEqual((ds["deploy"]["scope"], ds["deploy"]["allowed"]), ("implicit", True))
        self.assertEqual(ds["prod"]["access_as"], "impersonate")
        self.assertEqual(ds["prod"]["identity"]["username"], "deployer")
        self.assertEqual(ds["prod"]["identity"]["groups"], ["ops"])

    def test_every_agent_answers_even_without_an_entry(self):
        ds, res = self.decide("other/x")
        self.assertEqual(len(res.json()["decisions"]), 2)
        for d in ds.values():
            self.assertFalse(d["allowed"])
            self.assertEqual(d["reason_code"], "no-entry")
            self.assertIsNone(d["scope"])

    def test_free_licence_changes_the_winner(self):
        ds, _ = self.decide("acme/platform/web", "--environment", "production",
                            "--license", "free")
        deploy = ds["deploy"]
        self.assertTrue(deploy["license_changed"])
        self.assertEqual(deploy["id"], "acme/platform")  # the ci_job entry is dropped
        self.assertFalse(deploy["allowed"])
        self.assertEqual(deploy["premium_label"], "ci_access.projects[0]")
        self.assertIn("on Premium the job would be allowed", deploy["license_note"])
        ds, _ = self.decide("acme/apps/api", "--protected", "--license", "free")
        self.assertEqual((ds["prod"]["id"], ds["prod"]["allowed"]), ("acme", True))
        self.assertTrue(ds["prod"]["license_changed"])
        text = self.explain("--project", "acme/apps/api", "--protected", "--license",
                            "free").out
        self.assertIn("licence: on Free", text)

    def test_legacy_and_anchored_matching_differ(self):
        ds, _ = self.decide("acme/platform/web", "--environment", "old-review/1")
        deploy = ds["deploy"]
        self.assertFalse(deploy["allowed"])
        self.assertEqual(deploy["other_matching"]["env_matching"], "legacy")
        self.assertTrue(deploy["other_matching"]["allowed"])
        ds, _ = self.decide("acme/platform/web", "--environment", "old-review/1",
                            "--env-matching", "legacy")
        self.assertTrue(ds["deploy"]["allowed"])
        self.assertFalse(ds["deploy"]["other_matching"]["allowed"])
        text = self.explain("--project", "acme/platform/web", "--environment",
                            "old-review/1").out
        self.assertIn("with legacy environment matching", text)

    def test_missing_ids_are_named_not_invented(self):
        ds, res = self.decide("acme/platform/web", "--environment", "production")
        groups = ds["deploy"]["identity"]["groups"]
        self.assertIn("gitlab:group:<acme/platform>", groups)
        self.assertFalse(any(re.search(r":\d+$", g) for g in groups))
        missing = {(m["kind"], m["path"]) for m in res.json()["missing_ids"]}
        self.assertIn(("project", "acme/platform/web"), missing)
        self.assertIn(("group", "acme"), missing)
        self.assertIn("unknown", res.err)
        text = self.explain("--project", "acme/platform/web", "--environment",
                            "production").out
        self.assertIn("glab api projects/acme%2Fplatform%2Fweb", text)

    def test_tier_and_slug(self):
        ds, res = self.decide("acme/platform/web", "--environment", "review/Feat-1",
                              "--tier", "staging", "--slug", "review-feat-1-abc123")
        job = res.json()["job"]
        self.assertEqual((job["tier"], job["slug"]), ("staging", "review-feat-1-abc123"))
        self.assertIn("gitlab:project_env:<acme/platform/web>:review-feat-1-abc123",
                      ds["deploy"]["identity"]["groups"])
        ds, res = self.decide("acme/platform/web", "--environment", "review/Feat-1")
        job = res.json()["job"]
        self.assertEqual(job["tier"], "development")
        self.assertTrue(job["tier_guessed"])
        self.assertTrue(re.fullmatch(r"review-feat-1-[a-z0-9]{6}", job["slug"]), job)

    def test_text_and_markdown_decisions(self):
        out = self.explain("--project", "acme/platform/web", "--environment",
                           "production", *self.ids_args()).out
        self.assertIn("Job: project acme/platform/web", out)
        self.assertRegex(out, r"deploy\s+allowed\s+project acme/platform/web \(line 3\)")
        self.assertIn("gitlab:group_env_tier:2:production", out)
        md = self.explain("--project", "acme/platform/web", "-f", "markdown").out
        self.assertIn("| Agent | Answer | Decided by |", md)
        self.assertIn("| deploy | denied |", md)


class Robustness(ExplainBase):
    def test_rejected_config_is_flagged_and_answered(self):
        self.r.commit_files({".gitlab/agents/broken/config.yaml": BROKEN}, "broken")
        res = self.explain("-f", "json", "--project", "acme/apps/api")
        agents = {a["name"]: a for a in res.json()["agents"]}
        self.assertTrue(agents["broken"]["rejected"])
        self.assertFalse(agents["deploy"]["rejected"])
        self.assertIn("GitLab would reject .gitlab/agents/broken/config.yaml", res.err)
        ds = {d["agent"]: d for d in res.json()["decisions"]}
        self.assertTrue(ds["broken"]["rejected"])
        self.assertEqual(ds["broken"]["id"], "acme")
        text = self.explain().out
        self.assertIn("GitLab rejects this config.yaml", text)

    def test_sources_rev_staged_and_C(self):
        self.r.write(".gitlab/agents/deploy/config.yaml", "ci_access: {}\n")
        self.r.add(".gitlab/agents/deploy/config.yaml")
        self.r.write(".gitlab/agents/deploy/config.yaml", DEPLOY + "    - id: acme/extra\n")

        def count(*args):
            data = self.r.agentlint("explain", "-f", "json", *args).json()
            return len([a for a in data["authorizations"] if a["agent"] == "deploy"])

        self.assertEqual(count(), 6)               # worktree: implicit + 5
        self.assertEqual(count("--staged"), 1)     # index: implicit only
        self.assertEqual(count("--rev", "HEAD"), 5)
        res = self.r.agentlint("explain", "-C", self.r.dir, "-f", "json", cwd="/")
        self.assertEqual(res.rc, 0, res)

    def test_usage_errors_exit_2_with_one_sentence(self):
        bad = os.path.join(self.tmpdir(), "bad.json")
        with open(bad, "w") as f:
            f.write('{"message": "401 Unauthorized"}')
        for args in (["--ids", bad], ["--ids", "/nonexistent/ids.json"],
                     ["--environment", "prod"], ["--project", "https://gitlab.com/a/b"],
                     ["--project", "a/b", "--license", "gold"], ["-f", "yaml"],
                     ["--agents", "nosuch"]):
            res = self.r.agentlint("explain", *args)
            self.assertEqual(res.rc, 2, (args, res))
            self.assertEqual(len(res.err.strip().splitlines()), 1, res)
            self.assertTrue(res.err.startswith("agentlint: "), res)

    def test_output_file_and_agents_filter(self):
        out = os.path.join(self.tmpdir(), "matrix.json")
        self.explain("-f", "json", "-o", out, "--agents", "prod")
        with open(out) as f:
            data = json.load(f)
        self.assertEqual([a["name"] for a in data["agents"]], ["prod"])


HOSTILE_ID = 'acme/a|b<script>x</script>`tick` "dq" \'sq\' *star* _u_ [l](http://e.x) @all\nnew|line'
HOSTILE_ENV = 'prod|<b>`x`\n| injected | row |'
HOSTILE = """\
ci_access:
  projects:
    - id: %s
      environments: [%s, "review/*"]
      default_namespace: "ns|<i>"
    - id: acme/platform/web
""" % (json.dumps(HOSTILE_ID), json.dumps(HOSTILE_ENV))


class Hostile(TestCase):
    def setUp(self):
        super().setUp()
        self.r = self.repo()
        self.r.commit_files({".gitlab/agents/evil/config.yaml": HOSTILE,
                             '.gitlab/agents/x"y/config.yaml': HOSTILE}, "hostile")

    def run_explain(self, *args):
        res = self.r.agentlint("explain", "--project-path", CONFIG_PROJECT, *args)
        self.assertEqual(res.rc, 0, res)
        return res.out

    def assert_table_intact(self, md, header_prefix):
        lines = md.splitlines()
        start = next(i for i, l in enumerate(lines) if l.startswith(header_prefix))
        cols = lines[start].count("|")
        rows = []
        for line in lines[start:]:
            if not line.startswith("|"):
                break
            rows.append(line)
            # every unescaped pipe is a cell border: the count never changes
            self.assertEqual(md_cell_borders(line), cols, line)
        return rows

    def assert_inert(self, md, bad):
        # Values are in code spans, where GitLab finds no mention, reference
        # or markup; outside them none of it is left.
        for line in md.splitlines():
            outside, _ = md_split_code(line)
            for b in bad:
                self.assertNotIn(b, outside, line)

    def test_markdown_cannot_be_broken(self):
        md = self.run_explain("-f", "markdown")
        self.assert_inert(md, ("<script>", "`", "<b>", "<i>", "](http", "@all", "*star*", "_u_"))
        rows = self.assert_table_intact(md, "| Section |")
        self.assertEqual(len(rows), 2 + 3)  # header, rule, implicit + two entries
        md = self.run_explain("-f", "markdown", "--project", "acme/a", "--environment",
                              HOSTILE_ENV)
        self.assert_inert(md, ("<script>", "`", "<b>", "| injected |", "@all"))
        # the value is there, readable raw, in a code span
        spans = [s for line in md.splitlines() for s in md_split_code(line)[1]]
        self.assertTrue([s for s in spans if "prod|<b>`x`\\n|" in s], md)
        rows = self.assert_table_intact(md, "| Agent |")
        self.assertEqual(len(rows), 2 + 2)

    def test_dot_renders_and_keeps_its_shape(self):
        for args in ([], ["--project", "acme/platform/web", "--environment", HOSTILE_ENV]):
            dot = self.run_explain("-f", "dot", *args)
            proc = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
            self.assertEqual(proc.returncode, 0, proc.stderr.decode())
            self.assertEqual(proc.stderr, b"", proc.stderr.decode())
            svg = proc.stdout.decode()
            self.assertNotIn("<script>", svg)
            # statements: one per line, none smuggled in by a value
            for line in dot.splitlines()[1:-1]:
                self.assertTrue(line.endswith(";") or line.endswith("{"), line)
            # the two agents are nodes of their own, with the hostile name intact
            self.assertIn('"a:x\\"y"', dot)
            nodes = [l for l in dot.splitlines()
                     if re.match(r'  "(?:[^"\\]|\\.)*" \[', l)]
            self.assertEqual(svg.count('class="node"'), len(nodes))

    def test_text_has_no_control_characters(self):
        out = self.run_explain("--project", "acme/a", "--environment", HOSTILE_ENV)
        self.assertNotIn("\x1b", out)
        self.assertIn("\\x0a| injected", out)  # the newline is shown, not printed
        for line in out.splitlines():
            self.assertFalse(line.startswith("| injected"), line)

    def test_json_round_trips_the_values(self):
        res = self.r.agentlint("explain", "--project-path", CONFIG_PROJECT, "-f", "json")
        ids = [a["id"] for a in res.json()["authorizations"]]
        self.assertIn(HOSTILE_ID, ids)
        envs = [a["environments"] for a in res.json()["authorizations"]]
        self.assertIn([HOSTILE_ENV, "review/*"], envs)
