"""The real-world corpus (testdata/corpus): every file is checked on its own
(--agent NAME) and at its real path in a git repository (SOURCES.tsv), read
from the working tree and from a commit. agentlint never crashes and never
exits 2; the errors it reports are exactly those of tests/corpus/errors.tsv,
which lists the mistakes ANALYSIS.md marks E, found by reading the files."""

import collections
import concurrent.futures
import csv
import os
import re
import shutil
import subprocess
import tempfile

from util import ROOT, TESTDATA, TestCase, clean_env, run

CORPUS = os.path.join(TESTDATA, "corpus")
ERRORS_TSV = os.path.join(ROOT, "tests", "corpus", "errors.tsv")
# Rules that depend on where the file lives: only expected at its repository path.
PATH_RULES = {"file-name", "agent-name"}
# ANALYSIS.md §5: clean files (warnings such as deprecated gitops are fine) and
# empty or comment-only files, which are valid empty configs.
CLEAN = [2, 12, 15, 16, 17, 18, 19, 34, 43, 60, 64, 65, 88, 98, 108, 112, 136, 137, 138, 139,
         148]
EMPTY = [29, 37, 69, 70, 79]
SANITIZER = re.compile(r"Sanitizer|runtime error:|LeakSanitizer")
WORKERS = min(8, os.cpu_count() or 2)

Source = collections.namedtuple("Source", "num file repo path status")


def load_sources():
    with open(os.path.join(CORPUS, "SOURCES.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    out = []
    for r in rows:
        num = int(os.path.basename(r["file"])[:3])
        out.append(Source(num, os.path.join(CORPUS, r["file"]), r["repo"], r["path"],
                          r["status"]))
    return sorted(out, key=lambda s: s.num)


def load_expected():
    """{file number: {(rule, line): what}} from errors.tsv."""
    expected = collections.defaultdict(dict)
    with open(ERRORS_TSV, newline="") as f:
        lines = [l for l in f if not l.startswith("#")]
    for r in csv.DictReader(lines, delimiter="\t"):
        expected[int(r["file"])][(r["rule"], int(r["line"]))] = r["what"]
    return expected


def agent_of(path):
    """The agent directory of a repository path, or a stand-in name."""
    m = re.match(r"^(?:.*/)?\.gitlab/agents/([^/]+)/[^/]+$", path)
    return m.group(1) if m else "agent"


def batches(sources):
    """Files of one repository that can live side by side: never two versions of
    one path, and never two files in one directory (a config.yml next to a
    config.yaml would be harmless, while ANALYSIS.md describes each at HEAD on
    its own)."""
    out = []
    by_repo = collections.defaultdict(list)
    for s in sources:
        by_repo[s.repo].append(s)
    for repo in sorted(by_repo):
        groups = []
        for s in by_repo[repo]:
            d = os.path.dirname(s.path)
            for g in groups:
                if all(os.path.dirname(o.path) != d for o in g):
                    g.append(s)
                    break
            else:
                groups.append([s])
        out.extend(groups)
    return out


def git(cwd, *args):
    subprocess.run(["git", "-C", cwd] + list(args), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, env=clean_env())


def check_batch(batch):
    """Place a batch at its repository paths and check the working tree and the
    commit. Returns {source: [(run, Result)]}, findings mapped back to files."""
    d = tempfile.mkdtemp(prefix="agentlint-corpus-")
    try:
        git(d, "init", "-q", "-b", "main")
        for s in batch:
            dest = os.path.join(d, s.path)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(s.file, dest)
        # Tracked, as in the real repositories: .gitlab directories below the
        # root are found through the index.
        git(d, "add", "-A")
        worktree = run(["-f", "json"], cwd=d)
        git(d, "commit", "-q", "-m", "corpus")
        head = run(["-f", "json", "--rev", "HEAD"], cwd=d)
        return [("worktree", worktree), ("rev HEAD", head)]
    finally:
        shutil.rmtree(d, ignore_errors=True)


def check_alone(s):
    return run(["-f", "json", "--agent", agent_of(s.path), s.file])


class Corpus(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sources = load_sources()
        cls.expected = load_expected()
        with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
            cls.alone = dict(zip(cls.sources, pool.map(check_alone, cls.sources)))
            groups = batches(cls.sources)
            cls.in_repo = list(zip(groups, pool.map(check_batch, groups)))

    def assertSane(self, what, res):
        """No crash, no sanitizer report, no exit 2, and a JSON report."""
        self.assertIn(res.rc, (0, 1), "%s: exit %d\n%r" % (what, res.rc, res))
        self.assertIsNone(SANITIZER.search(res.err), "%s: %r" % (what, res))
        try:
            return res.json()
        except ValueError:
            self.fail("%s: output is not JSON\n%r" % (what, res))

    def errors_of(self, findings):
        return {(f["rule"], f["line"]) for f in findings if f["severity"] == "error"}

    def compare(self, num, run_name, got, path_rules):
        want = {k for k in self.expected.get(num, {}) if path_rules or k[0] not in PATH_RULES}
        missing = sorted(want - got)
        extra = sorted(got - want)
        problems = []
        for rule, line in missing:
            problems.append("#%03d (%s): expected %s at line %d (%s) is not reported" % (
                num, run_name, rule, line, self.expected[num][(rule, line)]))
        for rule, line in extra:
            problems.append("#%03d (%s): unexpected error %s at line %d" % (num, run_name,
                                                                          rule, line))
        return problems

    def test_corpus_is_complete(self):
        self.assertEqual(len(self.sources), 180)
        for s in self.sources:
            self.assertTrue(os.path.isfile(s.file), s.file)
        nums = {s.num for s in self.sources}
        self.assertFalse(set(self.expected) - nums, "errors.tsv names unknown files")

    def test_every_file_alone(self):
        problems = []
        for s in self.sources:
            what = "#%03d %s" % (s.num, os.path.basename(s.file))
            data = self.assertSane(what, self.alone[s])
            self.assertEqual(len(data["agents"]), 1, what)
            problems += self.compare(s.num, "alone", self.errors_of(data["findings"]), False)
        self.assertFalse(problems, "\n".join(problems))

    def test_every_file_at_its_repository_path(self):
        problems = []
        for batch, results in self.in_repo:
            by_path = {s.path: s for s in batch}
            for run_name, res in results:
                what = "%s (%s: %s)" % (batch[0].repo, run_name,
                                        ", ".join("#%03d" % s.num for s in batch))
                data = self.assertSane(what, res)
                got = collections.defaultdict(set)
                for f in data["findings"]:
                    if f["severity"] != "error":
                        continue
                    s = by_path.get(f["path"])
                    if s is None:
                        problems.append("%s: error %s on %s, which is none of the files" % (
                            what, f["rule"], f["path"]))
                        continue
                    got[s.num].add((f["rule"], f["line"]))
                for s in batch:
                    problems += self.compare(s.num, run_name, got[s.num], True)
        self.assertFalse(problems, "\n".join(problems))

    def test_worktree_and_commit_agree(self):
        for batch, results in self.in_repo:
            (_, wt), (_, head) = results
            self.assertEqual(wt.json()["findings"], head.json()["findings"], batch[0].repo)

    def test_clean_and_empty_files_have_no_error(self):
        for num in CLEAN + EMPTY:
            s = next(s for s in self.sources if s.num == num)
            found = self.errors_of(self.alone[s].json()["findings"])
            self.assertFalse(found, "#%03d is clean but has errors %r" % (num, found))
            self.assertFalse({k for k in self.expected.get(num, {}) if k[0] not in PATH_RULES},
                             "errors.tsv lists content errors for clean file #%03d" % num)

    def test_every_e_mistake_of_the_analysis_is_listed(self):
        # The files ANALYSIS.md §3.1-3.3 and §3.6 name for E mistakes.
        e_files = {101, 50, 171, 170, 175, 27, 14, 26, 92, 163, 117, 118, 119, 121, 120, 124,
                   127, 52, 53, 1, 71, 87, 115, 179, 11, 103, 37, 21, 9, 79, 141, 105, 47, 48}
        self.assertFalse(e_files - set(self.expected), "E files missing from errors.tsv")

    def test_details_a_reader_needs(self):
        def finding(num, rule, line):
            s = next(s for s in self.sources if s.num == num)
            for f in self.alone[s].json()["findings"]:
                if f["rule"] == rule and f["line"] == line:
                    return f
            self.fail("#%03d: no %s at line %d" % (num, rule, line))

        self.assertIn("merge-conflict", finding(53, "yaml-syntax", 1)["message"])
        self.assertEqual(finding(50, "unknown-key", 4)["suggestion"], "default_namespace")
        self.assertEqual(finding(101, "unknown-key", 2)["suggestion"], "manifest_projects")
        self.assertIn("- glob:", finding(101, "unknown-key", 5)["message"])
        self.assertIn("remote_development", finding(117, "unknown-key", 50)["message"])
        # The GitLab Duo Agent Platform file at an agent path is recognised, not linted.
        s = next(s for s in self.sources if s.num == 20)
        rules = {f["rule"] for f in self.alone[s].json()["findings"]}
        self.assertEqual(rules, {"foreign-file"})
