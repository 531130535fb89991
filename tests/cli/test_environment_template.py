"""environment-template: .gitlab/agents/<agent>/environment_templates/<name>.yaml
(GitLab-managed Kubernetes resources, 17.9+) checked against its schema data
(EnvironmentTemplate in schemas/agentcfg.yaml), in a real git repository."""

import unittest

from util import GitRepo

CFG = ".gitlab/agents/deploy/config.yaml"
TPL = ".gitlab/agents/deploy/environment_templates/default.yaml"
GOOD = """objects:
  - apiVersion: v1
    kind: Namespace
    metadata:
      name: '{{ .environment.slug }}-{{ .project.id }}-{{ .agent.id }}'
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata:
      name: bind-{{ .agent.id }}-{{ .project.id }}-{{ .environment.slug }}
      namespace: '{{ .environment.slug }}-{{ .project.id }}-{{ .agent.id }}'
    subjects:
      - kind: Group
        apiGroup: rbac.authorization.k8s.io
        name: gitlab:project_env:{{ .project.id }}:{{ .environment.slug }}
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
      name: admin
apply_resources: on_start
delete_resources: on_stop
"""


class EnvironmentTemplate(unittest.TestCase):
    def check(self, template, *args, path=TPL):
        r = GitRepo()
        self.addCleanup(r.cleanup)
        r.commit_files({CFG: "ci_access:\n  projects:\n    - id: g/app\n", path: template})
        res = r.agentlint("check", "-f", "json", *args)
        self.assertIn(res.rc, (0, 1), res)
        doc = res.json()
        self.assertFalse(doc["agents"][0]["rejected"])  # KAS never reads the template
        return [f for f in doc["findings"] if f["rule"] == "environment-template"]

    def test_the_documented_template_is_clean(self):
        self.assertEqual(self.check(GOOD), [])
        self.assertEqual(self.check(GOOD.replace("on_stop", "never")), [])

    def test_mistakes(self):
        cases = [
            (GOOD.replace("delete_resources: on_stop", "delete_resources: on_delete"), 20),
            (GOOD.replace("apply_resources", "apply_resource"), 19),
            (GOOD.replace("objects:", "object:"), 1),
            (GOOD.replace("    kind: Namespace\n", ""), 2),
            (GOOD.replace("      name: bind-", "      nam: bind-"), 6),
            ("objects: [x]\n", 1),
            ("- a\n- b\n", 1),
            ("objects:\n  - kind: [\n", 3),
        ]
        for text, line in cases:
            found = self.check(text)
            self.assertEqual(len(found), 1, (text, found))
            self.assertEqual(found[0]["line"], line, (text, found))
            self.assertEqual(found[0]["path"], TPL)
            self.assertEqual(found[0]["agent"], "deploy")
            self.assertNotIn("agent server", found[0]["message"])

    def test_by_version(self):
        found = self.check(GOOD, "--gitlab-version", "17.10")
        self.assertEqual(len(found), 1, found)  # delete_resources is 18.0
        self.assertIn("18.0", found[0]["message"])
        self.assertEqual(self.check(GOOD.replace("delete_resources: on_stop\n", ""),
                                    "--gitlab-version", "17.10"), [])

    def test_near_misses_are_not_templates(self):
        # other files of the agent directory, and templates of other extensions
        self.assertEqual(self.check("objects: 1\n",
                                    path=".gitlab/agents/deploy/environment_templates/x.yml"), [])
        self.assertEqual(self.check("objects: 1\n", path=".gitlab/agents/deploy/notes.yaml"), [])


if __name__ == "__main__":
    unittest.main()


class TemplatesInExplain(unittest.TestCase):
    """explain shows what each agent's templates create: objects, and the
    roles and subjects of their RoleBindings (every format)."""

    def explain(self, files, fmt):
        r = GitRepo()
        self.addCleanup(r.cleanup)
        r.commit_files(files)
        res = r.agentlint("explain", "-f", fmt, "--project-path", "g/agents")
        self.assertEqual(res.rc, 0, res)
        return res

    def test_json_lists_objects_and_bindings(self):
        from test_baseline import validate
        other = ".gitlab/agents/other/environment_templates/default.yaml"
        doc = self.explain({CFG: "ci_access:\n  projects:\n    - id: g/app\n", TPL: GOOD,
                            ".gitlab/agents/other/config.yaml": "observability: {}\n",
                            other: GOOD.replace("admin", "view"),
                            ".gitlab/agents/deploy/environment_templates/x.yml": GOOD},
                           "json").json()
        validate(doc, "explain")
        agents = {a["name"]: a for a in doc["agents"]}
        tpls = agents["deploy"]["environment_templates"]
        self.assertEqual([t["path"] for t in tpls], [TPL])  # x.yml is no template
        self.assertEqual(tpls[0]["delete_resources"], "on_stop")
        ns, rb = tpls[0]["objects"]
        self.assertEqual((ns["kind"], ns["line"]), ("Namespace", 2))
        self.assertNotIn("subjects", ns)
        self.assertEqual(rb["role_ref"], {"kind": "ClusterRole", "name": "admin"})
        self.assertEqual(rb["subjects"], [{
            "kind": "Group", "name": "gitlab:project_env:{{ .project.id }}:{{ .environment.slug }}",
            "namespace": None}])
        # each agent sees its own templates only
        self.assertEqual(agents["other"]["environment_templates"][0]["objects"][1]["role_ref"],
                         {"kind": "ClusterRole", "name": "view"})
        doc = self.explain({CFG: "observability: {}\n"}, "json").json()
        self.assertEqual(doc["agents"][0]["environment_templates"], [])

    def test_unreadable_template(self):
        doc = self.explain({CFG: "observability: {}\n", TPL: "- a\n"}, "json").json()
        t = doc["agents"][0]["environment_templates"][0]
        self.assertEqual((t["readable"], t["objects"]), (False, []))
        out = self.explain({CFG: "observability: {}\n", TPL: "- a\n"}, "text").out
        self.assertIn("GitLab cannot read it", out)

    def test_text_and_markdown_name_roles_and_subjects(self):
        hostile = '"gitlab:project_env\\e[31m @all:{{ .environment.slug }}"'  # YAML \e: ESC
        files = {CFG: "observability: {}\n", TPL: GOOD.replace(
            "gitlab:project_env:{{ .project.id }}:{{ .environment.slug }}", hostile)}
        out = self.explain(files, "text").out
        self.assertIn("environment template default", out)
        self.assertIn("binds ClusterRole admin to Group gitlab:project_env", out)
        self.assertNotIn("\x1b[31m", out)  # the terminal gets no escape from a template
        md = self.explain(files, "markdown").out
        self.assertIn("binds ClusterRole admin to Group", md)
        self.assertIn("`@all", md)  # a mention reaches GitLab only inside a code span
        self.assertNotIn("\x1b", md)


class TemplatesInRbac(unittest.TestCase):
    def test_rbac_notes_what_templates_bind(self):
        r = GitRepo()
        self.addCleanup(r.cleanup)
        r.commit_files({CFG: "ci_access:\n  projects:\n    - id: g/app\n"
                             "      access_as: {ci_job: {}}\n", TPL: GOOD})
        r.write("ids.json", '{"projects": {"g/app": 11}}')
        res = r.agentlint("rbac", "--project-path", "g/agents", "--ids", "ids.json")
        self.assertEqual(res.rc, 0, res)
        self.assertIn("binds ClusterRole admin to Group gitlab:project_env", res.err)
        self.assertIn(TPL, res.err)
        self.assertNotIn("gitlab:project_env:{{", res.out)  # the YAML holds rbac's own objects
        # near miss: a template without bindings gives no note
        r.commit_files({TPL: GOOD.split("  - apiVersion: rbac")[0] + "apply_resources: on_start\n"})
        res = r.agentlint("rbac", "--project-path", "g/agents", "--ids", "ids.json")
        self.assertNotIn("GitLab also creates", res.err)


class TemplatesInReport(unittest.TestCase):
    def test_report_lists_template_bindings(self):
        r = GitRepo()
        self.addCleanup(r.cleanup)
        r.commit_files({CFG: "ci_access:\n  projects:\n    - id: g/app\n", TPL: GOOD.replace(
            "name: admin", 'name: "<b>admin</b>"')})
        for fmt in ("markdown", "html"):
            res = r.agentlint("report", "-f", fmt, "--project-path", "g/agents")
            self.assertIn(res.rc, (0, 1), res)
            self.assertIn("environment template default", res.out, fmt)
            self.assertIn("binds ClusterRole", res.out, fmt)
            if fmt == "markdown":  # markup from a template only inside a code span
                self.assertIn("`<b>admin</b>`", res.out)
            else:
                self.assertNotIn("<b>admin", res.out)
                self.assertIn("&lt;b&gt;admin", res.out)
