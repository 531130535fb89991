"""report --rbac end to end: the permissions section, in HTML and Markdown,
built from the RBAC at the reported revision; untrusted names escaped."""

import os

from util import TESTDATA, TestCase

CFG = ".gitlab/agents/a/config.yaml"
CI_JOB = "ci_access:\n  projects:\n    - id: acme/app\n      access_as:\n        ci_job: {}\n"


def view_binding():
    with open(os.path.join(TESTDATA, "corpus", "rbac-real",
                           "07-gitlabhq-docs__ci_cd_workflow__ci-job-view.yaml"),
              encoding="utf-8") as f:
        return f.read()


class ReportRbac(TestCase):
    def test_markdown_and_html_sections(self):
        r = self.repo()
        r.commit_files({CFG: CI_JOB, "rbac.yaml": view_binding()})
        md = r.agentlint("report", "--rev", "HEAD", "-f", "markdown", "--rbac", "rbac.yaml")
        self.assertEqual(md.rc, 0, md)
        section = md.out[md.out.index("## Cluster permissions"):]
        self.assertIn("| Group `gitlab:ci_job` | get, list, watch pods in every namespace "
                      "| ci-job-view view |", section)
        # view does not read secrets: no row for them.
        self.assertNotIn(" secrets ", section)
        html = r.agentlint("report", "--rev", "HEAD", "--rbac", "rbac.yaml")
        self.assertIn('<section id="permissions">', html.out)
        self.assertIn("<td>get, list, watch pods in every namespace</td>", html.out)

    def test_no_section_without_rbac_and_nothing_beyond_defaults(self):
        r = self.repo()
        r.commit_files({CFG: CI_JOB, "rbac.yaml": "kind: List\nitems: []\n"})
        md = r.agentlint("report", "--rev", "HEAD", "-f", "markdown")
        self.assertNotIn("## Cluster permissions", md.out)
        md = r.agentlint("report", "--rev", "HEAD", "-f", "markdown", "--rbac", "rbac.yaml")
        self.assertIn("grants no identity anything beyond the defaults", md.out)

    def test_hostile_names_are_escaped(self):
        hostile = view_binding().replace("name: gitlab:ci_job",
                                         "name: \"gitlab:ci_job<script>x</script>|@all\"")
        r = self.repo()
        r.commit_files({CFG: CI_JOB, "rbac.yaml": hostile})
        html = r.agentlint("report", "--rev", "HEAD", "--rbac", "rbac.yaml")
        self.assertNotIn("<script>x", html.out)
        self.assertIn("&lt;script&gt;", html.out)
        md = r.agentlint("report", "--rev", "HEAD", "-f", "markdown", "--rbac", "rbac.yaml")
        rows = [l for l in md.out.splitlines() if "script" in l]
        self.assertTrue(rows, md)
        for row in rows:
            self.assertEqual(row.count(" | "), 2, row)  # the | in the name is escaped
            self.assertNotIn(" @all", row.replace("`", " "))
