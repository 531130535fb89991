"""diff: what a change of the agent configurations does to access, on real git
repositories with several commits and two or more agents. The configuration
project is acme/platform/infra (from remote.origin.url):

    acme (group)
      platform (group)
        infra   -- the configuration project: agents deploy and prod
        web, api
      apps (group)
      tools (group)

Every output format (JSON checked against the contract's shape), each
classification on a real commit, rejected and deleted files, agents added and
removed, new and fixed findings matched by fingerprint, hostile values in
Markdown, shallow clones and unknown revisions."""

import json
import os
import re
import subprocess

from util import TestCase, formats, md_cell_borders, md_split_code

CONFIG_PROJECT = "acme/platform/infra"

DEPLOY = """\
ci_access:
  projects:
    - id: acme/platform/web
      access_as:
        ci_job: {}
      environments: [production]
    - id: acme/platform/api
  groups:
    - id: acme/platform
      protected_branches_only: true
      environments: [staging, production]
"""

PROD = """\
ci_access:
  projects:
    - id: acme/tools/cli
  groups:
    - id: acme/apps
      default_namespace: apps
user_access:
  access_as:
    agent: {}
  groups:
    - id: acme/platform
"""

SHA = re.compile(r"^[0-9a-f]{40}$")
CHANGE_KEYS = {"change", "agent", "scope", "id", "before", "after", "effect"}


class DiffBase(TestCase):
    def setUp(self):
        super().setUp()
        self.r = self.repo()
        self.r.git("remote", "add", "origin", "git@gitlab.example.com:%s.git" % CONFIG_PROJECT)
        self.base = self.r.commit_files({".gitlab/agents/deploy/config.yaml": DEPLOY,
                                         ".gitlab/agents/prod/config.yaml": PROD}, "two agents")

    def head(self, files, message="change"):
        return self.r.commit_files(files, message)

    def deploy(self, old, new):
        """HEAD: DEPLOY with one text replaced."""
        self.assertIn(old, DEPLOY)
        return self.head({".gitlab/agents/deploy/config.yaml": DEPLOY.replace(old, new)})

    def prod(self, old, new):
        self.assertIn(old, PROD)
        return self.head({".gitlab/agents/prod/config.yaml": PROD.replace(old, new)})

    def diff(self, *args, base=None, rc=None):
        res = self.r.agentlint("diff", base or self.base, *args)
        if rc is not None:
            self.assertEqual(res.rc, rc, res)
        return res

    def changes(self, *args, base=None):
        res = self.diff("-f", "json", *args, base=base, rc=0)
        return res.json()["changes"]

    def change(self, changes, agent, scope, id, section="ci_access"):
        found = [c for c in changes if c["agent"] == agent and c["scope"] == scope
                 and c["id"] == id and c["section"] == section]
        self.assertEqual(len(found), 1, "no single change for %s %s %s in %s"
                         % (agent, scope, id, json.dumps(changes, indent=1)))
        return found[0]

    def reason(self, change, field):
        found = [r for r in change["reasons"] if r["field"] == field]
        self.assertTrue(found, "no reason on %s in %r" % (field, change["reasons"]))
        return found[0]


class Contract(DiffBase):
    def test_json_has_the_contracts_shape(self):
        head = self.deploy("      protected_branches_only: true\n", "")
        self.prod("    - id: acme/tools/cli\n", "")
        res = self.diff("-f", "json", rc=0)
        data = res.json()
        self.assertEqual(data["base"], self.base)
        self.assertEqual(data["head"], self.r.git("rev-parse", "HEAD"))
        self.assertNotEqual(head, data["head"])  # HEAD defaults to the HEAD commit
        self.assertTrue(SHA.match(data["base"]) and SHA.match(data["head"]))
        self.assertEqual(set(data["findings"]), {"new", "fixed"})
        self.assertIsInstance(data["findings"]["new"], list)
        self.assertIsInstance(data["findings"]["fixed"], list)
        self.assertEqual(len(data["changes"]), 2)
        for c in data["changes"]:
            self.assertLessEqual(CHANGE_KEYS, set(c))
            self.assertIn(c["change"], ("added", "removed", "changed"))
            self.assertIn(c["effect"], ("widened", "narrowed", "mixed", "neutral"))
            self.assertIn(c["scope"], ("project", "group", "implicit", "instance"))
            self.assertIn(c["section"], ("ci_access", "user_access"))
            self.assertEqual(c["before"] is None, c["change"] == "added")
            self.assertEqual(c["after"] is None, c["change"] == "removed")
            for side in (c["before"], c["after"]):
                if side is not None:
                    self.assertEqual(side["id"], c["id"])
                    self.assertIn("environments", side)
                    self.assertIn("protected_branches_only", side)
                    self.assertIn("access_as", side)
            self.assertTrue(c["reasons"])
            for r in c["reasons"]:
                self.assertEqual(set(r), {"field", "effect", "reason"})
        self.assertTrue(data["widened"])
        self.assertEqual(data["effect"], "mixed")
        self.assertEqual({a["name"] for a in data["agents"]}, {"deploy", "prod"})

    def test_no_change(self):
        self.head({"README.md": "docs only\n"})
        data = self.diff("-f", "json", "--fail-on-widen", rc=0).json()
        self.assertEqual(data["changes"], [])
        self.assertIsNone(data["effect"])
        self.assertFalse(data["widened"])
        self.assertIn("No access change", self.diff(rc=0).out)
        self.assertIn("No access change", self.diff("-f", "markdown", rc=0).out)

    def test_head_revision_and_output_file(self):
        mid = self.deploy("      protected_branches_only: true\n", "")
        self.head({"README.md": "later\n"})
        data = self.diff("-f", "json", "--", mid, rc=0).json()  # BASE HEAD with --
        self.assertEqual(data["head"], mid)
        out = os.path.join(self.tmpdir(), "access.md")
        # the CI template's interface: BASE HEAD -f markdown -o FILE --fail-on-widen
        res = self.r.agentlint("diff", self.base, "HEAD", "-f", "markdown", "-o", out,
                               "--fail-on-widen")
        self.assertEqual(res.rc, 1, res)
        self.assertEqual(res.out, "")
        with open(out, encoding="utf-8") as f:
            self.assertIn("widens CI/CD access", f.read())
        # a file that cannot be written: exit 2, nothing left behind
        bad = os.path.join(self.tmpdir(), "missing", "access.md")
        res = self.r.agentlint("diff", self.base, "-o", bad)
        self.assertEqual(res.rc, 2, res)
        self.assertFalse(os.path.exists(os.path.dirname(bad)))

    def test_bare_repository_and_C(self):
        self.deploy("      protected_branches_only: true\n", "")
        bare = self.tmpdir()
        subprocess.run(["git", "clone", "-q", "--bare", self.r.dir, bare], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        res = self.r.agentlint("diff", "-C", bare, "--project-path", CONFIG_PROJECT, "-f", "json",
                               self.base, "HEAD", cwd=self.tmpdir())
        self.assertEqual(res.rc, 0, res)
        self.assertEqual(len(res.json()["changes"]), 1)


class Classification(DiffBase):
    def test_protected_branches_only_dropped_widens(self):
        self.deploy("      protected_branches_only: true\n", "")
        c = self.change(self.changes(), "deploy", "group", "acme/platform")
        self.assertEqual(c["change"], "changed")
        self.assertEqual(c["effect"], "widened")
        self.assertEqual(self.reason(c, "protected_branches_only")["effect"], "widened")
        self.assertTrue(c["before"]["protected_branches_only"])
        self.assertFalse(c["after"]["protected_branches_only"])
        for fmt in formats("diff"):
            self.diff("-f", fmt, rc=0)
            self.diff("-f", fmt, "--fail-on-widen", rc=1)

    def test_protected_branches_only_set_narrows(self):
        self.prod("      default_namespace: apps\n",
                  "      default_namespace: apps\n      protected_branches_only: true\n")
        c = self.change(self.changes(), "prod", "group", "acme/apps")
        self.assertEqual(c["effect"], "narrowed")
        self.diff("--fail-on-widen", rc=0)

    def test_environments_both_ways(self):
        # the first environment on an unrestricted entry narrows
        first = self.prod("      default_namespace: apps\n",
                          "      default_namespace: apps\n      environments: [production]\n")
        c = self.change(self.changes(), "prod", "group", "acme/apps")
        self.assertEqual((c["effect"], self.reason(c, "environments")["effect"]),
                         ("narrowed", "narrowed"))
        # one more on a non-empty list widens
        more = self.deploy("      environments: [production]\n",
                           "      environments: [production, \"review/*\"]\n")
        c = self.change(self.changes(base=first), "deploy", "project", "acme/platform/web")
        self.assertEqual(c["effect"], "widened")
        self.assertIn("review/*", self.reason(c, "environments")["reason"])
        # one removed from a list narrows
        fewer = self.deploy("      environments: [staging, production]\n",
                            "      environments: [production]\n")
        c = self.change(self.changes(base=more), "deploy", "group", "acme/platform")
        self.assertEqual(c["effect"], "narrowed")
        # removing the last one widens to every environment; an empty list is none
        self.deploy("      environments: [production]\n", "      environments: []\n")
        c = self.change(self.changes(base=fewer), "deploy", "project", "acme/platform/web")
        self.assertEqual(c["effect"], "widened")
        self.assertEqual(c["after"]["environments"], [])
        self.diff("--fail-on-widen", base=fewer, rc=1)

    def test_new_group_and_removed_project(self):
        with_group = PROD.replace("    - id: acme/apps\n", "    - id: acme/apps\n    - id: acme/tools\n")
        mid = self.head({".gitlab/agents/prod/config.yaml": with_group})
        c = self.change(self.changes(), "prod", "group", "acme/tools")
        self.assertEqual((c["change"], c["effect"]), ("added", "widened"))
        self.assertIsNone(c["replaces"])
        self.assertIsNone(c["before"])
        # then acme/tools/cli goes: its jobs fall back to the new group entry,
        # which grants them the same
        self.head({".gitlab/agents/prod/config.yaml":
                   with_group.replace("    - id: acme/tools/cli\n", "")})
        c = self.change(self.changes(base=mid), "prod", "project", "acme/tools/cli")
        self.assertEqual(c["change"], "removed")
        self.assertEqual(c["replaces_id"], "acme/tools")
        self.assertEqual(c["effect"], "neutral")
        self.assertIn("fall back to", self.reason(c, "entry")["reason"])

    def test_removed_project_narrows(self):
        self.prod("    - id: acme/tools/cli\n", "")
        c = self.change(self.changes(), "prod", "project", "acme/tools/cli")
        self.assertEqual((c["change"], c["effect"]), ("removed", "narrowed"))
        self.assertIsNone(c["after"])
        self.assertIn("can no longer use the agent", self.reason(c, "entry")["reason"])

    def test_project_under_a_group_is_judged_against_it(self):
        # acme/platform/api had its own unrestricted entry; without it, its jobs
        # fall back to the group's protected, environment-bound entry
        self.deploy("    - id: acme/platform/api\n", "")
        c = self.change(self.changes(), "deploy", "project", "acme/platform/api")
        self.assertEqual(c["effect"], "narrowed")
        self.assertEqual(c["replaces_id"], "acme/platform")

    def test_access_as_changed(self):
        self.deploy("      access_as:\n        ci_job: {}\n", "")
        c = self.change(self.changes(), "deploy", "project", "acme/platform/web")
        self.assertEqual(c["effect"], "widened")
        self.assertEqual(self.reason(c, "access_as")["effect"], "widened")
        self.assertEqual((c["before"]["access_as"], c["after"]["access_as"]), ("ci_job", "agent"))
        back = self.r.git("rev-parse", "HEAD")
        self.head({".gitlab/agents/deploy/config.yaml": DEPLOY})
        c = self.change(self.changes(base=back), "deploy", "project", "acme/platform/web")
        self.assertEqual(c["effect"], "narrowed")
        self.deploy("        ci_job: {}\n", "        impersonate:\n          username: deployer\n")
        c = self.change(self.changes(base=self.base), "deploy", "project", "acme/platform/web")
        self.assertEqual(c["effect"], "mixed")
        self.diff("--fail-on-widen", rc=1)  # mixed contains a widening

    def test_default_namespace_is_neutral(self):
        self.prod("      default_namespace: apps\n", "      default_namespace: other\n")
        c = self.change(self.changes(), "prod", "group", "acme/apps")
        self.assertEqual(c["effect"], "neutral")
        self.diff("--fail-on-widen", rc=0)
        self.assertIn("neither widens nor narrows", self.diff(rc=0).out)

    def test_user_access(self):
        self.prod("    - id: acme/platform\n", "    - id: acme/platform\n    - id: acme/apps\n")
        c = self.change(self.changes(), "prod", "group", "acme/apps", section="user_access")
        self.assertEqual((c["change"], c["effect"]), ("added", "widened"))
        self.assertIn("widens user access", self.diff("-f", "markdown", rc=0).out)

    def test_entry_pushed_past_the_limit_is_removed(self):
        # 500 projects, acme/tools/cli first; then one more before them and one
        # after: cli is still written but is now entry 502, which GitLab ignores
        many = "".join("    - id: acme/apps/p%d\n" % i for i in range(499))
        base = self.prod("    - id: acme/tools/cli\n", "    - id: acme/tools/cli\n" + many)
        self.prod("  projects:\n", "  projects:\n    - id: acme/apps/first\n" + many
                  + "    - id: acme/apps/last\n")
        changes = self.changes(base=base)
        c = self.change(changes, "prod", "project", "acme/tools/cli")
        self.assertEqual((c["change"], c["effect"]), ("removed", "narrowed"))
        self.assertIn("not in force", self.reason(c, "entry")["reason"])
        self.assertEqual(self.change(changes, "prod", "project", "acme/apps/first")["change"],
                         "added")
        self.assertEqual(len(changes), 2)  # acme/apps/last is entry 501: never in force


class Agents(DiffBase):
    def test_agent_added_and_removed(self):
        self.head({".gitlab/agents/review/config.yaml":
                   "ci_access:\n  groups:\n    - id: acme/apps\n      environments: [\"review/*\"]\n",
                   ".gitlab/agents/prod/config.yaml": None})
        data = self.diff("-f", "json", rc=0).json()
        states = {a["name"]: a["state"] for a in data["agents"]}
        self.assertEqual(states, {"deploy": "kept", "prod": "removed", "review": "added"})
        changes = data["changes"]
        c = self.change(changes, "review", "implicit", CONFIG_PROJECT)
        self.assertEqual((c["change"], c["effect"]), ("added", "widened"))
        self.assertEqual(self.change(changes, "review", "group", "acme/apps")["effect"], "widened")
        for scope, id in (("project", "acme/tools/cli"), ("group", "acme/apps")):
            c = self.change(changes, "prod", scope, id)
            self.assertEqual((c["change"], c["effect"]), ("removed", "narrowed"))
        self.assertEqual(self.change(changes, "prod", "group", "acme/platform",
                                     "user_access")["effect"], "narrowed")
        # prod stays registered: its implicit authorization is not reported removed
        self.assertFalse([c for c in changes if c["agent"] == "prod" and c["scope"] == "implicit"])
        text = self.diff(rc=0).out
        self.assertIn("agent prod: agent directory removed", text)
        self.assertIn("agent review: new agent", text)

    def test_config_deleted_or_emptied(self):
        self.head({".gitlab/agents/prod/config.yaml": "# nothing here any more\n"})
        data = self.diff("-f", "json", rc=0).json()
        prod = [a for a in data["agents"] if a["name"] == "prod"][0]
        self.assertEqual(prod["config"], "empty")
        removed = [c for c in data["changes"] if c["agent"] == "prod"]
        self.assertEqual(len(removed), 3)
        self.assertTrue(all(c["change"] == "removed" and c["effect"] == "narrowed"
                            for c in removed))
        self.assertEqual(data["effect"], "narrowed")
        # deleted, with the directory kept
        self.r.write(".gitlab/agents/prod/README.md", "kept\n")
        self.head({".gitlab/agents/prod/README.md": "kept\n",
                   ".gitlab/agents/prod/config.yaml": None})
        data = self.diff("-f", "json", rc=0).json()
        prod = [a for a in data["agents"] if a["name"] == "prod"][0]
        self.assertEqual((prod["state"], prod["config"]), ("kept", "missing"))
        self.assertEqual(len([c for c in data["changes"] if c["agent"] == "prod"]), 3)

    def test_rejected_head_changes_nothing_and_says_so_first(self):
        # a typo (unknown key) and, in the same file, a widening that GitLab never sees
        self.prod("  groups:\n    - id: acme/apps\n",
                  "  groups:\n    - id: acme/apps\n    - id: acme\n  projets:\n    - id: x/y\n")
        self.deploy("      protected_branches_only: true\n", "")
        data = self.diff("-f", "json", rc=0).json()
        self.assertFalse([c for c in data["changes"] if c["agent"] == "prod"])
        prod = [a for a in data["agents"] if a["name"] == "prod"][0]
        self.assertTrue(prod["head_rejected"])
        self.assertEqual(prod["config"], "rejected")
        self.assertEqual([e["rule"] for e in prod["errors"]], ["unknown-key"])
        self.assertIn("projets", prod["errors"][0]["message"])
        self.assertEqual(len(data["changes"]), 1)  # deploy's, which is in force
        # the rejection comes before the summary in text and markdown
        text = self.diff(rc=0)
        self.assertIn("GitLab would reject", text.err)
        out = text.out
        self.assertLess(out.index("agent prod: GitLab would reject"), out.index("widens"))
        self.assertIn("unknown key \"projets\"", out)
        md = self.diff("-f", "markdown", rc=0).out
        self.assertLess(md.index("GitLab would reject"), md.index("widens CI/CD access"))
        self.assertIn("unknown-key", md)

    def test_rejected_head_alone_is_no_widening(self):
        self.prod("  groups:\n", "  groups:\n    - id: acme\n  bogus: 1\n")
        res = self.diff("--fail-on-widen", rc=0)
        self.assertIn("No access change", res.out)

    def test_rejected_base_is_flagged(self):
        broken = self.prod("  groups:\n", "  groupz:\n    - id: acme\n  groups:\n")
        self.head({".gitlab/agents/prod/config.yaml": PROD.replace("      default_namespace: apps\n",
                                                                   "")})
        data = self.diff("-f", "json", base=broken, rc=0).json()
        prod = [a for a in data["agents"] if a["name"] == "prod"][0]
        self.assertTrue(prod["base_rejected"])
        self.assertTrue(any("older than BASE" in n for n in prod["notes"]))
        c = self.change(data["changes"], "prod", "group", "acme/apps")
        self.assertTrue(c["base_rejected"])
        self.assertIn("older than BASE", self.diff(base=broken, rc=0).out)


class Findings(DiffBase):
    # gitops is deprecated (a warning); a second YAML document is a warning too
    BASE = """\
gitops:
  manifest_projects:
    - id: acme/apps/manifests
      paths:
        - glob: "/manifests/*.yaml"
ci_access:
  groups:
    - id: acme/apps
"""
    MOVED = """\
# the same gitops block, further down: its finding is neither new nor fixed
ci_access:
  groups:
    - id: acme/apps

gitops:
  manifest_projects:
    - id: acme/apps/manifests
      paths:
        - glob: "/manifests/*.yaml"
---
# a second document: new
"""

    def rules(self, findings):
        return sorted(f["rule"] for f in findings)

    def test_new_fixed_and_moved_findings(self):
        base = self.head({".gitlab/agents/prod/config.yaml": self.BASE})
        self.head({".gitlab/agents/prod/config.yaml": self.MOVED})
        data = self.diff("-f", "json", base=base, rc=0).json()
        self.assertEqual(self.rules(data["findings"]["new"]), ["extra-document"])
        self.assertEqual(data["findings"]["fixed"], [])
        new = data["findings"]["new"][0]
        self.assertTrue(re.match(r"^[0-9a-f]{32}$", new["fingerprint"]))
        self.assertEqual(new["path"], ".gitlab/agents/prod/config.yaml")
        self.assertIn("message", new)
        # the same fingerprints as the Code Quality report
        cq = self.r.agentlint("-f", "codequality")
        self.assertIn(new["fingerprint"], [i["fingerprint"] for i in json.loads(cq.out)])
        # now drop gitops: fixed
        self.head({".gitlab/agents/prod/config.yaml": self.MOVED.split("gitops:")[0] + "---\n"})
        data = self.diff("-f", "json", base=base, rc=0).json()
        self.assertEqual(self.rules(data["findings"]["fixed"]), ["deprecated"])
        self.assertEqual(self.rules(data["findings"]["new"]), ["extra-document"])
        text = self.diff(base=base, rc=0).out
        self.assertIn("Findings: 1 new, 1 fixed", text)
        self.assertRegex(text, r"fixed  .*\[deprecated\]")
        md = self.diff("-f", "markdown", base=base, rc=0).out
        self.assertIn("Findings: 1 new, 1 fixed", md)
        self.assertIn("(deprecated)", md)


# GitLab paths cannot hold these characters, so an id that does is never in
# force and never a change; the configuration project's path (the implicit
# authorization's id), an agent directory's name, environments, namespaces
# and impersonated identities can.
HOSTILE_PROJECT = 'acme/a|b<script>x</script>`tick`"dq"*star*_u_[l](http:/e.x)@all'
HOSTILE_AGENT = 'x|y<b>@all'
HOSTILE_ENV = 'prod|<b>`x`\n| injected | row | @all [l](http://e.x)'
HOSTILE_KEY = '"k|<b>`x`@all [l](http://e.x)\\n| injected |": 1\n'
HOSTILE = """\
ci_access:
  projects:
    - id: acme/platform/web
      environments: [%s]
      default_namespace: "ns|<i>"
      access_as:
        impersonate:
          username: "<img src=x onerror=alert(1)>"
          groups: ["`g`|h"]
""" % json.dumps(HOSTILE_ENV)


class Hostile(DiffBase):
    def setUp(self):
        super().setUp()
        # an agent name GitLab cannot register (shown in a note, grants nothing)
        # and a valid agent with hostile values
        # and a rejected file whose error message quotes a hostile key
        self.head({".gitlab/agents/%s/config.yaml" % HOSTILE_AGENT: HOSTILE,
                   ".gitlab/agents/evil/config.yaml": HOSTILE,
                   ".gitlab/agents/rej/config.yaml": HOSTILE + HOSTILE_KEY})

    def diff(self, *args, base=None, rc=None):
        return super().diff("--project-path", HOSTILE_PROJECT, *args, base=base, rc=rc)

    def test_markdown_cannot_be_broken(self):
        md = self.diff("-f", "markdown", rc=0).out
        # values are in code spans, where GitLab finds no mention, reference
        # or markup; outside them none of it is left
        outside = "\n".join(md_split_code(line)[0] for line in md.splitlines())
        spans = [s for line in md.splitlines() for s in md_split_code(line)[1]]
        for bad in ("<script>", "`", "<b>", "<i>", "<img", "](http", "http://", "@all",
                    "*star*", "_u_", "| injected |"):
            self.assertNotIn(bad, outside)
        # the only markup: our own <br> and <sub>
        self.assertEqual(
            set(re.findall(r"</?[a-z]+\b[^>]*>", outside)) - {"<br>", "<sub>", "</sub>"}, set())
        lines = md.splitlines()
        start = next(i for i, l in enumerate(lines) if l.startswith("| Effect |"))
        cols = lines[start].count("|")
        self.assertEqual(cols, 10)
        rows = []
        for line in lines[start:]:
            if not line.startswith("|"):
                break
            self.assertEqual(md_cell_borders(line), cols, line)
            rows.append(line)
        changes = self.changes()
        self.assertEqual(len(rows), 2 + len(changes))
        self.assertEqual(len(changes), 3)  # evil's implicit and project, rej's implicit
        # the rejected file's error quotes the key, escaped
        self.assertIn("GitLab would reject", md)
        self.assertTrue([s for s in spans if "k|<b>" in s], md)
        # the unregistrable agent is named in a note, in a code span too
        self.assertTrue([s for s in spans if "x|y<b>@all" in s or "x\\|y<b>@all" in s], md)
        agents = self.diff("-f", "json", rc=0).json()["agents"]
        self.assertTrue([a for a in agents if a["name"] == HOSTILE_AGENT][0]["unregistrable"])

    def test_json_and_text_keep_the_values(self):
        changes = self.changes()
        implicit = self.change(changes, "evil", "implicit", HOSTILE_PROJECT)
        self.assertEqual(implicit["effect"], "widened")
        web = self.change(changes, "evil", "project", "acme/platform/web")
        self.assertEqual(web["after"]["environments"], [HOSTILE_ENV])
        out = self.diff(rc=0).out
        self.assertNotIn("\x1b", out)
        self.assertIn("\\x0a|", out)  # the newline is shown, not printed
        for line in out.splitlines():
            self.assertFalse(line.startswith("| injected"), line)


class Revisions(DiffBase):
    def test_unknown_revision_is_exit_2(self):
        res = self.r.agentlint("diff", "no-such-branch")
        self.assertEqual(res.rc, 2, res)
        self.assertEqual(len(res.err.strip().splitlines()), 1, res.err)
        self.assertIn("no-such-branch", res.err)
        res = self.r.agentlint("diff", self.base, "deadbeef" * 5)
        self.assertEqual(res.rc, 2, res)

    def test_usage_errors_are_exit_2(self):
        for args in ([], ["a", "b", "c"], [""], [self.base, "-f", "sarif"], ["--staged", "x"]):
            res = self.r.agentlint("diff", *args)
            self.assertEqual(res.rc, 2, (args, res))
            self.assertEqual(len(res.err.strip().splitlines()), 1, res.err)
        res = self.r.agentlint("diff", "")
        self.assertIn("CI_MERGE_REQUEST_DIFF_BASE_SHA", res.err)

    def test_shallow_clone_without_base_says_how_to_fetch_it(self):
        self.deploy("      protected_branches_only: true\n", "")
        clone = self.tmpdir()
        subprocess.run(["git", "clone", "-q", "--depth", "1", "file://" + self.r.dir, clone],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        res = self.r.agentlint("diff", self.base, "HEAD", cwd=clone)
        self.assertEqual(res.rc, 2, res)
        self.assertEqual(res.out, "")
        err = res.err.strip()
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn("shallow", err)
        self.assertIn("GIT_DEPTH: 0", err)
        self.assertIn("git fetch origin %s" % self.base, err)
        # and the fix works
        subprocess.run(["git", "-C", clone, "fetch", "-q", "--deepen=10", "origin"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        res = self.r.agentlint("diff", self.base, "HEAD", "--fail-on-widen", cwd=clone)
        self.assertEqual(res.rc, 1, res)


class Ranges(DiffBase):
    """A merge request's branch `mr` widens deploy's group entry; main moves
    on after it branched (a new project entry for prod). Only the merge base
    tells the MR's change from main's."""

    def setUp(self):
        super().setUp()
        self.r.git("checkout", "-q", "-b", "mr")
        self.mr = self.deploy("      protected_branches_only: true\n", "")
        self.r.git("checkout", "-q", "main")
        self.main = self.prod("    - id: acme/tools/cli\n",
                              "    - id: acme/tools/cli\n    - id: acme/tools/new\n")
        self.r.git("checkout", "-q", "mr")

    def ids(self, *args):
        res = self.r.agentlint("diff", *args, "-f", "json")
        self.assertEqual(res.rc, 0, res)
        doc = res.json()
        return doc, sorted((c["agent"], c["id"], c["effect"]) for c in doc["changes"])

    def test_three_dots_is_from_the_merge_base(self):
        mine = [("deploy", "acme/platform", "widened")]
        for args in (["main...HEAD"], ["main..."], ["main...mr"], ["--merge-base", "main"],
                     ["--merge-base", "main", "HEAD"]):
            doc, changes = self.ids(*args)
            self.assertEqual(changes, mine, args)
            self.assertEqual(doc["base"], self.base, args)
            self.assertEqual(doc["head"], self.mr, args)
            self.assertTrue(doc["merge_base"], args)
        # the branch tip, as before, sees main's change reverted too
        _, tip = self.ids("main")
        self.assertIn(("prod", "acme/tools/new", "narrowed"), tip)
        self.assertFalse(self.ids("main")[0]["merge_base"])
        # from HEAD's side: what main did since the branch point
        doc, changes = self.ids("...main")
        self.assertEqual(changes, [("prod", "acme/tools/new", "widened")])
        self.assertEqual(doc["head"], self.main)

    def test_two_dots_is_from_a_to_b(self):
        self.assertEqual(self.ids("main..HEAD"), self.ids("main", "HEAD"))
        doc, _ = self.ids("main..")
        self.assertEqual((doc["base"], doc["head"], doc["merge_base"]), (self.main, self.mr, False))

    def test_text_names_the_merge_base(self):
        res = self.r.agentlint("diff", "main...HEAD", "--color", "never")
        self.assertEqual(res.rc, 0, res)
        self.assertIn("merge base of main and HEAD (%s)" % self.base[:12], res.out)

    def test_bad_ranges_are_exit_2(self):
        for args in (["a..b..c"], ["main...HEAD", "HEAD"], ["main", "x..y"],
                     ["nope...HEAD"]):
            res = self.r.agentlint("diff", *args)
            self.assertEqual(res.rc, 2, (args, res))
            self.assertEqual(len(res.err.strip().splitlines()), 1, res.err)

    def test_unrelated_histories(self):
        self.r.git("checkout", "-q", "--orphan", "other")
        self.r.commit_files({".gitlab/agents/deploy/config.yaml": DEPLOY}, "unrelated")
        res = self.r.agentlint("diff", "main...other")
        self.assertEqual(res.rc, 2, res)
        self.assertIn("no common history", res.err)
        self.assertEqual(self.r.agentlint("diff", "main..other").rc, 0)

    def test_shallow_clone_without_the_merge_base_names_the_fetch(self):
        clone = self.tmpdir()
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
        subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch",
                        "file://" + self.r.dir, clone], **quiet)
        subprocess.run(["git", "-C", clone, "checkout", "-q", "mr"], **quiet)
        res = self.r.agentlint("diff", "origin/main...HEAD", cwd=clone)
        self.assertEqual(res.rc, 2, res)
        self.assertEqual(res.out, "")
        err = res.err.strip()
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn("git fetch --deepen", err)
        self.assertIn("--unshallow", err)
        subprocess.run(["git", "-C", clone, "fetch", "-q", "--unshallow", "origin"], **quiet)
        res = self.r.agentlint("diff", "origin/main...HEAD", "-f", "json", cwd=clone)
        self.assertEqual(res.rc, 0, res)
        self.assertEqual(res.json()["base"], self.base)
