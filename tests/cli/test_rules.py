"""The semantic rules end to end: the real binary on real git repositories,
one class per rule, with configs that fire it and near-misses that must
not."""

from util import TestCase, formats

CFG = ".gitlab/agents/prod/config.yaml"


def entries(section, lst, ids, extra=""):
    head = "user_access:\n  access_as:\n    agent: {}\n" if section == "user_access" \
        else "%s:\n" % section
    return head + "  %s:\n" % lst + "".join("    - id: %s\n%s" % (i, extra) for i in ids)


class Base(TestCase):
    def check(self, files, *args, env=None):
        r = self.repo()
        for path, text in files.items():
            r.write(path, text)
        r.add()
        r.commit()
        return r.agentlint("-f", "json", *args, env=env)

    def one(self, text, *args, **kw):
        return self.check({CFG: text}, *args, **kw)


class EntryLimit(Base):
    def test_501_projects(self):
        res = self.one(entries("ci_access", "projects", ["grp/p%d" % i for i in range(501)]))
        f = self.assertFinding(res, "entry-limit", CFG, line=3 + 500, column=7,
                               severity="warning")
        self.assertIn("remaining 1", f["message"])
        self.assertEqual(res.rc, 0, res)  # a warning does not fail by default

    def test_500_groups_and_old_limit(self):
        ids = ["grp/g%d" % i for i in range(500)]
        self.assertNoFinding(self.one(entries("ci_access", "groups", ids)), "entry-limit")
        res = self.one(entries("user_access", "groups", ids[:101]), "--gitlab-version", "16.11")
        self.assertFinding(res, "entry-limit", CFG, line=5 + 100)


class Namespace(Base):
    TEXT = entries("ci_access", "projects", ["grp/app", "other/app"])

    def test_outside_top_level_group(self):
        res = self.one(self.TEXT, "--project-path", "grp/agents")
        f = self.assertFinding(res, "namespace", CFG, line=4, column=11, severity="warning")
        self.assertIn("--project-path", f["message"])
        self.assertEqual(len(self.findings(res, "namespace")), 1)

    def test_project_path_from_ci_variable_and_origin(self):
        res = self.one(self.TEXT, env={"CI_PROJECT_PATH": "grp/agents"})
        self.assertIn("CI_PROJECT_PATH", self.assertFinding(res, "namespace", line=4)["message"])
        r = self.repo()
        r.write(CFG, self.TEXT)
        r.git("remote", "add", "origin", "git@gitlab.example.com:grp/agents.git")
        res = r.agentlint("-f", "json")
        self.assertIn("remote.origin.url", self.assertFinding(res, "namespace", line=4)["message"])

    def test_instance_authorization(self):
        res = self.one(self.TEXT, "--project-path", "grp/agents", "--instance-authorization")
        self.assertNoFinding(res, "namespace")

    def lines_at(self, text, version, *extra):
        res = self.one(text, "--project-path", "grp/agents", "--gitlab-version", version, *extra)
        return {f["line"]: f["message"] for f in self.findings(res, "namespace")}

    def test_setting_counts_from_18_1_for_ci_access(self):
        # GitLab's finder keeps cross-top-level ci_access entries only from 18.1 (MR 190769).
        for version in ("17.11", "18.0"):
            got = self.lines_at(self.TEXT, version, "--instance-authorization")
            self.assertEqual(list(got), [4], version)
            self.assertIn("only from GitLab 18.1", got[4])
            self.assertIn("this is %s" % version, got[4])
        for version in ("18.1", "18.11"):
            self.assertEqual(self.lines_at(self.TEXT, version, "--instance-authorization"), {})
        # Without the setting the entry is dropped at every version; the message says
        # from which version the setting would keep it.
        got = self.lines_at(self.TEXT, "18.11")
        self.assertIn("GitLab 18.1 or later", got[4])

    def test_setting_counts_from_18_4_for_user_access(self):
        text = entries("ci_access", "groups", ["other"]) + \
            entries("user_access", "projects", ["grp/app", "other/app"])
        got = self.lines_at(text, "18.3", "--instance-authorization")
        self.assertEqual(sorted(got), [9], got)  # ci_access groups[0] is kept at 18.3
        self.assertIn("user_access ids outside the top-level group only from GitLab 18.4", got[9])
        self.assertEqual(self.lines_at(text, "18.4", "--instance-authorization"), {})
        got = self.lines_at(text, "18.4")
        self.assertEqual(sorted(got), [3, 9])
        self.assertIn("GitLab 18.4 or later", got[9])
        self.assertIn("GitLab 18.1 or later", got[3])

    def test_personal_project_groups_with_the_setting(self):
        text = entries("ci_access", "groups", ["grp"])
        res = self.one(text, "--project-path", "root/agents", "--instance-authorization",
                       "--gitlab-version", "18.0")
        self.assertIn("only from GitLab 18.1", self.assertFinding(res, "namespace", line=3)["message"])
        res = self.one(text, "--project-path", "root/agents", "--instance-authorization",
                       "--gitlab-version", "18.1")
        self.assertNoFinding(res, "namespace")

    def test_no_project_path_note_follows_the_version(self):
        self.assertEqual(len(self.findings(self.one(self.TEXT, "--instance-authorization",
                                                    "--gitlab-version", "18.3"), "namespace")), 1)
        self.assertNoFinding(self.one(self.TEXT, "--instance-authorization"), "namespace")

    def test_single_note_without_project_path(self):
        res = self.check({CFG: self.TEXT,
                          ".gitlab/agents/dev/config.yaml": self.TEXT,
                          ".gitlab/agents/empty/config.yaml": "observability: {}\n"})
        notes = self.findings(res, "namespace")
        self.assertEqual(len(notes), 1, res)
        self.assertEqual(notes[0]["severity"], "note")
        for how in ("--project-path", "CI_PROJECT_PATH", ".agentlint.yaml", "origin"):
            self.assertIn(how, notes[0]["message"])
        # No entries anywhere: nothing to say.
        self.assertNoFinding(self.one("observability: {}\n"), "namespace")


class DuplicateId(Base):
    def test_last_wins(self):
        res = self.one(entries("ci_access", "projects", ["grp/app", "grp/x", "GRP/APP"]))
        f = self.assertFinding(res, "duplicate-id", CFG, line=3, column=11)
        self.assertIn("line 5", f["message"])
        self.assertIn("500 places", f["message"])
        # Case-sensitive before 17.0.
        res = self.one(entries("ci_access", "projects", ["grp/app", "GRP/APP"]),
                       "--gitlab-version", "16.11")
        self.assertNoFinding(res, "duplicate-id")

    def test_different_lists_are_not_duplicates(self):
        text = entries("ci_access", "projects", ["grp/app"]) + \
            "  groups:\n    - id: grp\n" + entries("user_access", "projects", ["grp/app"])
        self.assertNoFinding(self.one(text), "duplicate-id")


class IdFormat(Base):
    def test_fixable_ids_carry_a_suggestion(self):
        res = self.one(entries("ci_access", "projects", [
            "https://gitlab.com/grp/app", "/grp/b/", "grp/c.git", "grp/d:prod", "grp/ok"]))
        got = {f["line"]: f["suggestion"] for f in self.findings(res, "id-format")}
        self.assertEqual(got, {3: "grp/app", 4: "grp/b", 5: "grp/c", 6: "grp/d"})

    def test_ids_that_never_match(self):
        res = self.one(entries("ci_access", "projects", [
            '"123"', "app", "<project>", "$CI_PROJECT_PATH", "path/to/project", "grp/*"]))
        self.assertEqual(sorted(f["line"] for f in self.findings(res, "id-format")),
                         [3, 4, 5, 6, 7, 8])

    def test_near_misses(self):
        res = self.one(entries("ci_access", "projects", ["grp/app", "yourls/yourls"]) +
                       "  groups:\n    - id: top\n    - id: grp/sub.group\n")
        self.assertNoFinding(res, "id-format")

    def test_project_path_under_groups(self):
        text = entries("ci_access", "projects", ["grp/app"]) + \
            "  groups:\n    - id: grp/app\n    - id: grp/agents\n"
        res = self.one(text, "--project-path", "grp/agents")
        self.assertIn("also listed under projects",
                      self.assertFinding(res, "id-format", line=5)["message"])
        self.assertIn("configuration project itself",
                      self.assertFinding(res, "id-format", line=6)["message"])


class EnvPattern(Base):
    TEXT = ("ci_access:\n  groups:\n    - id: grp\n      environments:\n"
            "        - review/*\n        - prod.*\n        - production\n")

    def test_anchored_default(self):
        res = self.one(self.TEXT)
        warnings = [f for f in self.findings(res, "env-pattern") if f["severity"] == "warning"]
        self.assertEqual([f["line"] for f in warnings], [6])
        note = self.assertFinding(res, "env-pattern", line=4, column=7, severity="note")
        self.assertIn("no environment", note["message"])

    def test_legacy(self):
        res = self.one(self.TEXT, "--env-matching", "legacy")
        warnings = [f for f in self.findings(res, "env-pattern") if f["severity"] == "warning"]
        self.assertEqual(sorted(f["line"] for f in warnings), [5, 6])
        self.assertIn("not-review/x", warnings[0]["message"])

    def test_no_environments_no_note(self):
        res = self.one("ci_access:\n  groups:\n    - id: grp\n      environments: []\n")
        self.assertNoFinding(res, "env-pattern")


class Override(Base):
    def test_project_loses_group_restrictions(self):
        text = ("ci_access:\n  projects:\n    - id: grp/app\n"
                "  groups:\n    - id: grp\n      environments: [production]\n"
                "      protected_branches_only: true\n")
        f = self.assertFinding(self.one(text), "override", CFG, line=3, column=11,
                               severity="warning")
        self.assertIn("environments restriction [production]", f["message"])
        self.assertIn("protected_branches_only", f["message"])

    def test_same_settings_is_a_note(self):
        text = "ci_access:\n  projects:\n    - id: grp/app\n  groups:\n    - id: grp\n"
        self.assertFinding(self.one(text), "override", line=3, severity="note")

    def test_group_covering_the_config_project(self):
        text = "ci_access:\n  groups:\n    - id: grp\n      environments: [production]\n"
        res = self.one(text, "--project-path", "grp/agents")
        self.assertIn("implicit", self.assertFinding(res, "override", line=3)["message"])
        res = self.one(text.replace("groups:", "projects:\n    - id: grp/agents\n"
                                    "      environments: [production]\n  groups:"),
                       "--project-path", "grp/agents")
        self.assertNoFinding(res, "override")


class PrivilegedIdentity(Base):
    def test_system_masters(self):
        text = ("ci_access:\n  projects:\n    - id: grp/app\n      access_as:\n"
                "        impersonate:\n          username: deployer\n"
                "          groups: [devs, system:masters]\n")
        f = self.assertFinding(self.one(text), "privileged-identity", line=7, column=26)
        self.assertIn("system:masters", f["message"])
        self.assertNoFinding(self.one(text.replace("system:masters", "ops")),
                             "privileged-identity")


class AccessAs(Base):
    def test_connect_dialog_snippet(self):
        text = ("user_access:\n  access_as:\n      agent: {} # for free\n"
                "      user: {} # for premium+\n  projects:\n      - id: grp/app\n")
        res = self.one(text)
        self.assertEqual(res.rc, 1, res)
        self.assertFinding(res, "access-as", line=4, severity="error")
        fixed = self.one(text.replace("      user: {} # for premium+\n", ""))
        self.assertNoFinding(fixed, "access-as")

    def test_missing_access_as(self):
        # The agent server accepts user_access without access_as at every
        # version; GitLab before 18.3 refuses users' connections (a warning),
        # 18.3 and later default it to the agent.
        text = "user_access:\n  projects:\n    - id: grp/app\n"
        old = self.one(text, "--gitlab-version", "18.2")
        self.assertFinding(old, "access-as", severity="warning")
        self.assertFalse(old.json()["agents"][0]["rejected"])
        self.assertNoFinding(self.one(text, "--gitlab-version", "18.3"), "access-as")


class DeprecatedAndVersion(Base):
    GITOPS = "gitops:\n  manifest_projects:\n    - id: grp/manifests\n"
    PBO = "ci_access:\n  projects:\n    - id: grp/app\n      protected_branches_only: true\n"

    def test_gitops_by_version(self):
        self.assertNoFinding(self.one(self.GITOPS, "--gitlab-version", "16.1"), "deprecated")
        f = self.assertFinding(self.one(self.GITOPS, "--gitlab-version", "16.2"), "deprecated",
                               line=1, severity="warning")
        self.assertIn("18.0", f["message"])
        f = self.assertFinding(self.one(self.GITOPS, "--gitlab-version", "18.0"), "deprecated")
        self.assertIn("no effect", f["message"])
        self.assertFinding(self.one(self.GITOPS), "deprecated")  # newest version

    def test_keys_newer_than_the_target(self):
        res = self.one(self.PBO, "--gitlab-version", "17.2")
        self.assertEqual(res.rc, 1, res)
        self.assertFinding(res, "version", line=4, column=7, severity="error")
        self.assertNoFinding(self.one(self.PBO, "--gitlab-version", "17.3"), "version")
        rm = "ci_access:\n  groups:\n    - id: grp\n      resource_management:\n" \
             "        enabled: true\n"
        self.assertFinding(self.one(rm, "--gitlab-version", "17.8"), "version", line=4)
        self.assertNoFinding(self.one(rm, "--gitlab-version", "17.9"), "version")
        inst = "ci_access:\n  instance: {}\n"
        self.assertFinding(self.one(inst, "--gitlab-version", "17.10"), "version", line=2)
        self.assertNoFinding(self.one(inst, "--gitlab-version", "17.11"), "version")

    def test_removed_keys_are_unknown(self):
        self.assertFinding(self.one("starboard:\n  cis: {}\n"), "unknown-key", line=1)
        self.assertFinding(self.one("gitops:\n  charts: []\n"), "unknown-key", line=2)


class Placeholder(Base):
    def test_dns_zone(self):
        res = self.one('remote_development:\n  dns_zone: "<workspaces.example.dev>"\n')
        self.assertFinding(res, "placeholder", line=2, column=13)
        self.assertNoFinding(self.one("remote_development:\n  dns_zone: ws.corp.dev\n"),
                             "placeholder")


TOKEN = "glagent-Zx81Qm0PdLr5Tyw3Vb7NcK2sHf9Ej4GaUo6XiWq"


class Secret(Base):
    def test_token_never_printed(self):
        files = {CFG: "ci_access:\n  groups:\n    - id: grp\n# %s\n" % TOKEN,
                 ".gitlab/agents/prod/nested/kubeconfig": "token: %s\n" % TOKEN}
        res = self.check(files)
        self.assertEqual(res.rc, 1, res)
        self.assertFinding(res, "secret", CFG, line=4, column=3, severity="error")
        f = self.assertFinding(res, "secret", ".gitlab/agents/prod/nested/kubeconfig", line=1)
        self.assertEqual(f["agent"], "prod")
        self.assertNotIn(TOKEN[8:], res.out)
        r = self.repo()
        for p, t in files.items():
            r.write(p, t)
        for fmt in formats("check"):
            out = r.agentlint("--color", "never", "-f", fmt)
            self.assertNotIn(TOKEN[8:], out.out + out.err, fmt)
            self.assertNotIn("glagent-Z", out.out, fmt)
        # The text format shows no source line for a secret; it still
        # shows the finding's position and the other findings' lines.
        text = r.agentlint("--color", "never")
        self.assertIn(CFG + ":4:3: error:", text.out)
        self.assertNotIn("4 | #", text.out)
        # Reading never writes: the file still holds what was committed.
        self.assertIn(TOKEN.encode(), r.read(CFG))

    def test_placeholders_and_other_directories(self):
        files = {CFG: "# --set config.token=glagent-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
                      "ci_access:\n  groups:\n    - id: grp\n",
                 "docs/token.txt": TOKEN + "\n"}
        self.assertNoFinding(self.check(files), "secret")

    def test_staged_and_nested_gitlab_directory(self):
        r = self.repo()
        r.write(CFG, "ci_access:\n  groups:\n    - id: grp\n")
        r.write("deploy/.gitlab/agents/x/token.txt", TOKEN)
        r.add()
        res = r.agentlint("--staged", "-f", "json")
        self.assertFinding(res, "secret", "deploy/.gitlab/agents/x/token.txt", line=1)
