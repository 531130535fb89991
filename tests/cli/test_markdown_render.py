"""The Markdown of explain, diff and report, rendered by cmark-gfm (the GFM
reference implementation, tables on) as GitLab renders it before its
reference filters run: those filters look for mentions (@all) and
references (#1, !1, ~x, %x, $x, &x) in text nodes outside <code>, <pre> and
<a> (Banzai::Filter::ReferenceFilter), after character references are
decoded. On hostile values no such text node may hold one, no element but
agentlint's own may appear, and every table row keeps its cells."""

import re
import subprocess
from html.parser import HTMLParser

import test_diff
import test_explain
from util import TestCase

SKIP = {"code", "pre", "a", "style"}
OWN = {"p", "h1", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "code", "ul",
       "ol", "li", "strong", "em", "br", "sub", "blockquote", "img", "hr", "pre", "a"}
REFERENCE = re.compile(r"(?:^|[^\w])[@#!~$%&][\w\"'(]")


class Rendered(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.texts, self.tags, self.rows = [], [], set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append(0)
        if tag in ("td", "th"):
            self.rows[-1] += 1
        if tag not in ("br", "img", "hr"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if not SKIP & set(self.stack):
            self.texts.append(data)


def render(md):
    proc = subprocess.run(["cmark-gfm", "-e", "table", "--unsafe"], input=md.encode(),
                          stdout=subprocess.PIPE, check=True)
    page = Rendered()
    page.feed(proc.stdout.decode())
    return page


class GitLabSees(TestCase):
    def assert_inert(self, md):
        page = render(md)
        self.assertEqual(page.tags - OWN, set(), md)
        for text in page.texts:
            self.assertIsNone(REFERENCE.search(text), (text, md))
        # a table's rows all have its header's cells
        tables = re.findall(r"<table>.*?</table>", subprocess.run(
            ["cmark-gfm", "-e", "table"], input=md.encode(), stdout=subprocess.PIPE).stdout.decode(),
            re.S)
        for t in tables:
            counts = {len(re.findall(r"<t[dh][ >]", row)) for row in re.findall(r"<tr>.*?</tr>", t, re.S)}
            self.assertEqual(len(counts), 1, t)
        return page

    def test_explain(self):
        r = self.repo()
        r.commit_files({".gitlab/agents/evil/config.yaml": test_explain.HOSTILE}, "hostile")
        for args in ([], ["--project", "acme/a", "--environment", test_explain.HOSTILE_ENV]):
            res = r.agentlint("explain", "--project-path", "acme/agents", "-f", "markdown", *args)
            self.assertEqual(res.rc, 0, res)
            self.assert_inert(res.out)
        res = r.agentlint("report", "--project-path", "acme/agents", "-f", "markdown",
                          env={"PATH": "/nonexistent"})
        self.assertEqual(res.rc, 0, res)
        self.assert_inert(res.out)

    def test_diff(self):
        r = self.repo()
        r.commit_files({"README.md": "x\n"}, "base")
        r.commit_files({".gitlab/agents/evil/config.yaml": test_diff.HOSTILE,
                        ".gitlab/agents/rej/config.yaml": test_diff.HOSTILE + test_diff.HOSTILE_KEY},
                       "head")
        res = r.agentlint("diff", "HEAD~1", "--project-path", test_diff.HOSTILE_PROJECT, "-f",
                          "markdown")
        self.assertEqual(res.rc, 0, res)
        page = self.assert_inert(res.out)
        # the values are there for a reader, in code
        self.assertIn("table", page.tags)

    def test_old_escaping_would_have_pinged(self):
        # Why values are code spans: a character reference is decoded
        # before GitLab looks for mentions.
        page = render("ping &#64;all and `@all`")
        self.assertTrue([t for t in page.texts if "@all" in t])
