"""report: the security-review document, on a real git repository with four
agents (one clean, one GitLab rejects, two whose directory names and values
are hostile), groups and projects, with and without --ids.

The HTML is checked three ways: Python's html.parser (no script element, no
event-handler attribute, no URL but fragments and base64 images, the
hostile text present as text), headless Chromium (the page renders the
matrix and the agents, a screenshot of it is a real PNG, and with its
Content-Security-Policy taken out nothing hostile runs either: escaping
alone holds), and the graph (dot's SVG as a data URI; without dot, the DOT
source, escaped). The Markdown keeps its table structure."""

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from html.parser import HTMLParser

from util import GitRepo, clean_env, md_cell_borders, md_split_code

CONFIG_PROJECT = "acme/platform/infra"
MARKER = "PWNED"  # what a payload that ran would write into the page's title

HOSTILE_AGENTS = ['evil"><img src=x onerror=document.title=\'%s\'>' % MARKER,
                  "tick`|<svg onload=document.title='%s'>" % MARKER]
HOSTILE_ENV = "<script>document.title='%s'</script>" % MARKER
HOSTILE_JS = "javascript:alert(1)"
HOSTILE_PIPE = "`tick`|pipe|"
HOSTILE_GROUP = "\"><img src=x onerror=document.title='%s'>" % MARKER
HOSTILE_ID = "acme/a|b<script>document.title='%s'</script>" % MARKER
HOSTILE_VALUES = [HOSTILE_ENV, HOSTILE_JS, HOSTILE_PIPE, HOSTILE_GROUP] + HOSTILE_AGENTS

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
      access_as:
        ci_job: {}
      environments: [staging]
      protected_branches_only: true
    - id: acme
user_access:
  access_as:
    user: {}
  groups:
    - id: acme/platform
"""

PROD = """\
ci_access:
  project:
    - id: acme/platform/web
  groups:
    - id: acme
"""

HOSTILE = """\
ci_access:
  projects:
    - id: %s
      access_as:
        ci_job: {}
    - id: acme/platform/web
      access_as:
        ci_job: {}
      environments: [%s, %s, %s]
      default_namespace: "ns|<i>"
    - id: acme/platform/api
      access_as:
        impersonate:
          username: %s
          groups: [%s, %s, "`x`|y"]
""" % (json.dumps(HOSTILE_ID), json.dumps(HOSTILE_ENV), json.dumps(HOSTILE_JS),
       json.dumps(HOSTILE_PIPE), json.dumps(HOSTILE_JS), json.dumps(HOSTILE_GROUP),
       json.dumps(HOSTILE_ENV))

# What the GitLab API returns (trimmed): the projects and groups of acme.
PROJECTS = [{"id": 100, "path_with_namespace": "acme/platform/infra",
             "namespace": {"id": 2, "kind": "group", "full_path": "acme/platform"}},
            {"id": 101, "path_with_namespace": "acme/platform/web",
             "namespace": {"id": 2, "kind": "group", "full_path": "acme/platform"}},
            {"id": 102, "path_with_namespace": "acme/platform/api",
             "namespace": {"id": 2, "kind": "group", "full_path": "acme/platform"}}]
GROUPS = [{"id": 1, "full_path": "acme"}, {"id": 2, "full_path": "acme/platform"}]

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
CSP = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
       "style-src 'unsafe-inline'; img-src data:\">")


class Page(HTMLParser):
    """Start tags with their attributes, and the text, of an HTML page."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, {attr: value})
        self.chunks = []
        self.feed(html)
        self.close()
        self.text = "".join(self.chunks)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.chunks.append(data)

    def named(self, tag):
        return [a for t, a in self.tags if t == tag]


class ReportBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.repo = GitRepo()
        cls.repo.git("remote", "add", "origin", "git@gitlab.example.com:%s.git" % CONFIG_PROJECT)
        files = {".gitlab/agents/deploy/config.yaml": DEPLOY,
                 ".gitlab/agents/prod/config.yaml": PROD}
        for name in HOSTILE_AGENTS:
            files[".gitlab/agents/%s/config.yaml" % name] = HOSTILE
        cls.repo.commit_files(files, "four agents")
        cls.tmp = tempfile.mkdtemp(prefix="agentlint-report-")
        ids = [os.path.join(cls.tmp, n) for n in ("projects.json", "groups.json", "map.json")]
        for path, data in zip(ids, (PROJECTS, GROUPS, {"projects": {HOSTILE_ID: 666}})):
            with open(path, "w") as f:
                json.dump(data, f)
        cls.ids_args = [a for p in ids for a in ("--ids", p)]
        cls.html = cls.report("-f", "html")
        cls.html_ids = cls.report(*cls.ids_args)  # html is the default
        cls.md = cls.report("-f", "markdown")

    @classmethod
    def tearDownClass(cls):
        cls.repo.cleanup()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def report(cls, *args, env=None, rc=0):
        res = cls.repo.agentlint("report", *args, env=env)
        if res.rc != rc:
            raise AssertionError("agentlint report %s: %r" % (" ".join(args), res))
        return res


class Html(ReportBase):
    def assert_inert(self, html):
        page = Page(html)
        self.assertEqual(page.named("script"), [])
        for tag, attrs in page.tags:
            for name, value in attrs.items():
                self.assertFalse(name.lower().startswith("on"), (tag, name, value))
                if name in ("href", "src"):
                    self.assertTrue(value.startswith("#")
                                    or value.startswith("data:image/svg+xml;base64,"),
                                    (tag, name, value))
        # the one stylesheet and the policy are the page's own, in its head
        self.assertEqual(len(page.named("style")), 1)
        self.assertIn(CSP, html)
        self.assertEqual(html.count("<meta http-equiv"), 1)
        return page

    def test_no_active_content_and_hostile_text_shown(self):
        for res in (self.html, self.html_ids):
            page = self.assert_inert(res.out)
            for value in HOSTILE_VALUES:
                self.assertIn(value, page.text)  # shown, as text
            # escaped in the source, attribute context included
            self.assertIn("&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;", res.out)
            self.assertIn("&quot;&gt;&lt;img src=x onerror=", res.out)
            self.assertNotIn("<img src=x", res.out)
            self.assertNotIn("<svg", res.out)  # the graph is an <img>, its SVG base64
            # exactly one image: the graph
            self.assertEqual(len(page.named("img")), 1)

    def test_summary_says_what_matters(self):
        page = Page(self.html.out)
        text = re.sub(r"\s+", " ", page.text)
        self.assertIn("Rejected configuration. GitLab rejects the config of 1 agent: prod.", text)
        self.assertIn("4agents", text.replace(" ", ""))
        self.assertIn("Widest grants", text)
        self.assertIn("GitLab rejects this config.yaml", text)
        # agents link to their sections by index, never by name
        hrefs = [a["href"] for a in page.named("a")]
        self.assertEqual(sorted(set(h for h in hrefs if h.startswith("#agent-"))),
                         ["#agent-1", "#agent-2", "#agent-3", "#agent-4"])
        ids = [a["id"] for t, a in page.tags if "id" in a]
        self.assertIn("agent-4", ids)
        self.assertEqual(len([a for a in page.named("table") if a.get("class") == "matrix"]), 4)
        self.assertIn("unknown key \"project\" under ci_access", text)

    def test_identities_without_ids_are_placeholders_with_fetch_commands(self):
        text = Page(self.html.out).text
        self.assertIn("gitlab:project:<acme/platform/web>", text)
        self.assertIn("gitlab:project_env:<acme/platform/web>:production", text)
        self.assertIn("gitlab:project:<acme/platform/*>", text)  # any project of the group
        self.assertIn("gitlab:group_role:<acme/platform>:<role>", text)
        self.assertIn("glab api projects/acme%2Fplatform%2Fweb >> ids.json", text)
        self.assertIn("Not computed: bindings need the numeric ids", text)
        self.assertNotIn("ClusterRoleBinding agentlint-", text)  # never a guessed id
        self.assertIn("numeric id(s) unknown", self.html.err)

    def test_ids_give_numbers_and_bindings(self):
        text = Page(self.html_ids.out).text
        self.assertIn("gitlab:project:101", text)
        self.assertIn("gitlab:group:2", text)
        self.assertIn("gitlab:project_env:101:production", text)
        self.assertIn("gitlab:group_role:2:<role>", text)
        self.assertNotIn("<acme/platform/web>", text)
        self.assertNotIn("Not computed", text)
        self.assertIn("Every numeric id the identities and bindings name is known.", text)
        self.assertRegex(text, r"ClusterRoleBinding agentlint-[a-z0-9-]+")
        self.assertIn("Group gitlab:project_env:101:production", text)
        self.assertIn("Group " + HOSTILE_GROUP, text)  # impersonated as written
        self.assertIn("User " + HOSTILE_JS, text)
        # Kubernetes adds bindings up: the group's binding reaches web's jobs too
        self.assertIn("beyond what GitLab decides", text)
        self.assertNotIn("\\n", text)  # multi-line notes are split, not shown as \n

    def test_graph_is_an_svg_image(self):
        img = Page(self.html.out).named("img")[0]
        prefix = "data:image/svg+xml;base64,"
        svg = base64.b64decode(img["src"][len(prefix):], validate=True).decode()
        self.assertIn("<svg", svg)
        self.assertEqual(svg.count('class="node"') >= 6, True, svg[:200])
        self.assertNotIn("<script", svg)

    def test_without_dot_the_dot_source_is_shown_escaped(self):
        res = self.report("-f", "html", env={"PATH": "/nonexistent"})
        page = self.assert_inert(res.out)
        self.assertEqual(page.named("img"), [])
        self.assertIn("Graphviz is not installed (no dot on PATH)", page.text)
        self.assertIn("Graphviz is not installed", res.err)
        dot = page.text[page.text.index("digraph agentlint {"):]
        self.assertIn('"a:%s"' % HOSTILE_AGENTS[0].replace('"', '\\"'), dot)
        self.assertIn("digraph agentlint {\n  graph [rankdir=LR", res.out)  # lines kept
        md = self.report("-f", "markdown", env={"PATH": "/nonexistent"}).out
        self.assertIn("\n```dot\ndigraph agentlint {\n", md)
        self.assertNotIn("data:image", md)

    def test_output_file_is_written_whole(self):
        d = tempfile.mkdtemp(prefix="agentlint-report-out-")
        self.addCleanup(shutil.rmtree, d, True)
        out = os.path.join(d, "review.html")
        res = self.report("-o", out)
        self.assertEqual(res.out, "")
        with open(out, encoding="utf-8") as f:
            written = f.read()
        self.assertEqual(written, self.html.out)
        self.assertTrue(written.startswith("<!DOCTYPE html>"))
        self.assertTrue(written.endswith("</html>\n"))
        self.assertEqual(os.listdir(d), ["review.html"])  # no temporary file left
        res = self.report("-o", os.path.join(d, "missing", "review.html"), rc=2)
        self.assertIn("cannot write", res.err)
        self.assertEqual(os.listdir(d), ["review.html"])

    def test_usage_errors_exit_2(self):
        for args in (["-f", "pdf"], ["--license", "gold"], ["--ids", "/nonexistent.json"],
                     ["--project", "acme/x"], ["--agents", "nosuch"]):
            res = self.repo.agentlint("report", *args)
            self.assertEqual(res.rc, 2, (args, res))
            self.assertTrue(res.err.startswith("agentlint: "), res)
            self.assertEqual(res.out, "")


class NoAgents(unittest.TestCase):
    def test_a_repository_without_agents_is_a_short_report(self):
        repo = GitRepo()
        self.addCleanup(repo.cleanup)
        repo.commit_files({"README.md": "nothing here\n"}, "start")
        for fmt in ("html", "markdown"):
            res = repo.agentlint("report", "-f", fmt)
            self.assertEqual(res.rc, 0, res)
            self.assertIn("No agent configurations under .gitlab/agents/",
                          Page(res.out).text if fmt == "html" else res.out)
            self.assertNotIn("Graph of agents", res.out)  # nothing to draw, dot not run


class Markdown(ReportBase):
    def test_tables_keep_their_shape(self):
        lines = self.md.out.splitlines()
        in_fence = False
        tables = 0
        for i, line in enumerate(lines):
            if line.startswith("```"):
                in_fence = not in_fence
                continue
            if in_fence:
                continue
            # values are in code spans, where GitLab finds no mention,
            # reference or markup; outside them none of it is left
            outside, _ = md_split_code(line)
            for bad in ("<script", "<img", "<svg", "`", "javascript:", "@"):
                self.assertNotIn(bad, outside)
            if line.startswith("| ") and lines[i + 1].startswith("| ---"):
                tables += 1
                cols = md_cell_borders(line)
                k = i
                while k < len(lines) and lines[k].startswith("|"):
                    # an escaped pipe is \|: every other | is a cell border
                    self.assertEqual(md_cell_borders(lines[k]), cols, lines[k])
                    k += 1
        self.assertFalse(in_fence)
        self.assertGreaterEqual(tables, 4 * 3 + 2)  # per agent findings, matrix, identities
        self.assertIn("`<script>document.title='PWNED'</script>`", self.md.out)
        self.assertIn('## Agent `evil"><img` src=x', self.md.out)
        self.assertIn("> **Rejected configuration.**", self.md.out)
        self.assertIn("![Graph of agents, groups and projects](data:image/svg+xml;base64,",
                      self.md.out)


    def test_agents_keeps_those_agents_and_their_findings(self):
        md = self.report("-f", "markdown", "--agents", "deploy").out
        self.assertEqual(re.findall(r"^## Agent (.*)$", md, re.M), ["deploy"])
        self.assertNotIn("## Other findings", md)
        self.assertNotIn("PWNED", md)
        self.assertIn("**1** agent · **0** errors · **2** warnings", md)


class Chromium(ReportBase):
    """The page as a browser sees it: two runs of headless Chromium."""

    def chromium(self, html_path, *extra):
        profile = tempfile.mkdtemp(prefix="agentlint-chromium-")
        self.addCleanup(shutil.rmtree, profile, True)
        proc = subprocess.run(["chromium"] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile] +
                              list(extra) + ["--dump-dom", "file://" + html_path],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=clean_env(), timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace")[-2000:])
        return proc.stdout.decode("utf-8")

    def test_renders_the_matrix_and_runs_nothing(self):
        d = tempfile.mkdtemp(prefix="agentlint-report-page-")
        self.addCleanup(shutil.rmtree, d, True)
        page = os.path.join(d, "review.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write(self.html_ids.out)
        png = os.environ.get("AGENTLINT_REPORT_PNG") or os.path.join(d, "review.png")
        dom = Page(self.chromium(page, "--screenshot=" + png, "--window-size=1280,2400"))
        self.assertEqual(dom.named("script"), [])
        self.assertEqual(len([a for a in dom.named("table") if a.get("class") == "matrix"]), 4)
        for name in ["deploy", "prod"] + HOSTILE_AGENTS:
            self.assertIn(name, dom.text)
        with open(png, "rb") as f:
            data = f.read()
        self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
        self.assertGreater(len(data), 20000)
        # Without the Content-Security-Policy, escaping alone must hold: a
        # payload that ran would have set the title or added an element.
        bare = os.path.join(d, "bare.html")
        with open(bare, "w", encoding="utf-8") as f:
            f.write(self.html_ids.out.replace(CSP, ""))
        dom = self.chromium(bare)
        parsed = Page(dom)
        self.assertEqual(parsed.named("script"), [])
        self.assertEqual(len(parsed.named("img")), 1)
        self.assertEqual(parsed.named("svg"), [])
        title = dom[dom.index("<title>") + 7:dom.index("</title>")]
        self.assertEqual(title, "agentlint security review: " + CONFIG_PROJECT)
        for tag, attrs in parsed.tags:
            self.assertFalse(any(n.startswith("on") for n in attrs), (tag, attrs))


if __name__ == "__main__":
    unittest.main()
