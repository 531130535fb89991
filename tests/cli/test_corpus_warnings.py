"""The real-world corpus (testdata/corpus): every "W" mistake that
ANALYSIS.md names is reported by the expected rule on the expected line
(tests/corpus/warnings.tsv, derived by reading the files), and the files
ANALYSIS.md calls clean get no warning or error apart from gitops'
deprecation.

Each file is checked as a plain file at its real repository path (from
SOURCES.tsv) inside a temporary directory, so the agent name comes from the
path and files GitLab never reads (config.txt, a nested .gitlab) are still
parsed. The configuration project's GitLab path is not known for these
GitHub mirrors: ids show that the GitLab namespace often differs from the
GitHub owner (10 of the 21 clean files), so rules that need it run only
where a row of warnings.tsv states the assumed path (project_path=...;)."""

import csv
import json
import os
import re
import shutil
import sys
import tempfile
import unittest

from util import ROOT, TESTDATA, run

CORPUS = os.path.join(TESTDATA, "corpus")
WARNINGS = os.path.join(ROOT, "tests", "corpus", "warnings.tsv")
CLEAN = ["002", "012", "015", "016", "017", "018", "019", "034", "043", "060", "064", "065",
         "088", "098", "108", "112", "136", "137", "138", "139", "148"]
BEYOND = "beyond ANALYSIS"


def sources():
    """{number: (corpus file, repository, path in the repository)}"""
    out = {}
    with open(os.path.join(CORPUS, "SOURCES.tsv"), newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            num = os.path.basename(row["file"])[:3]
            out[num] = (row["file"], row["repo"], row["path"])
    return out


def expected():
    with open(WARNINGS, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


class Corpus(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sources = sources()
        cls.tmp = tempfile.mkdtemp(prefix="agentlint-corpus-")
        cls.cache = {}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def lint(self, num, project_path=None):
        key = (num, project_path)
        if key not in self.cache:
            file, _repo, path = self.sources[num]
            d = os.path.join(self.tmp, "%s-%s" % (num, len(self.cache)))
            os.makedirs(os.path.dirname(os.path.join(d, path)))
            shutil.copyfile(os.path.join(CORPUS, file), os.path.join(d, path))
            args = ["-f", "json", path]
            if project_path:
                args += ["--project-path", project_path]
            res = run(args, cwd=d)
            self.assertIn(res.rc, (0, 1), "%s: %r" % (num, res))
            self.cache[key] = json.loads(res.out)["findings"]
        return self.cache[key]

    def test_every_w_mistake_is_reported(self):
        found = {True: 0, False: 0}
        total = {True: 0, False: 0}
        missing = []
        for row in expected():
            beyond = row["note"].startswith(BEYOND)
            m = re.search(r"project_path=([^;\s]+);", row["note"])
            findings = self.lint(row["file"], m.group(1) if m else None)
            hit = any(f["rule"] == row["rule"] and f["line"] == int(row["line"])
                      for f in findings)
            total[beyond] += 1
            found[beyond] += hit
            if not hit:
                missing.append("#%s %s line %s (%s)" % (row["file"], row["rule"], row["line"],
                                                        row["note"]))
        sys.stderr.write("\ncorpus: ANALYSIS.md W mistakes found %d/%d; beyond ANALYSIS %d/%d\n"
                         % (found[False], total[False], found[True], total[True]))
        self.assertEqual(missing, [])

    def test_clean_files_have_no_false_positives(self):
        false_positives = []
        for num in CLEAN:
            for f in self.lint(num):
                if f["severity"] in ("warning", "error") and f["rule"] != "deprecated":
                    false_positives.append("#%s %s:%d %s" % (num, f["rule"], f["line"],
                                                             f["message"]))
        sys.stderr.write("\ncorpus: %d false positives on the %d clean files\n"
                         % (len(false_positives), len(CLEAN)))
        self.assertEqual(false_positives, [])

    def test_every_file_is_processed(self):
        for num in sorted(self.sources):
            self.lint(num)  # asserts exit 0 or 1 and valid JSON
        self.assertTrue(any(f["rule"] == "yaml-syntax" for f in self.lint("053")))
