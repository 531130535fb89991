"""A clone tests green alone: nothing the tests, fuzz seeds, benchmarks, build
or packaging read lies outside the repository (issue 10). Two checks: a scan
of every script for paths that leave the repository, and the unit tests (the
ones reading GitLab's vectors and the corpus) run from a copy of the tracked
files in an otherwise empty directory."""

import os
import re
import shutil
import subprocess
import sys

from util import AGENTLINT, ROOT, TestCase

# Files that tests, CI, the build and the packaging read or run.
SCANNED = ("tests/", "fuzz/", "bench/", "tools/", "ci/", ".ci/", "debian/", "Makefile",
           "Containerfile", ".pre-commit-hooks.yaml")
# Paths that only exist beside this checkout on the machine it was written on.
OUTSIDE = [
    (re.compile(r"\.\./shared\b|[\"']shared[\"']\s*\)"), "the shared folder beside the checkout"),
    (re.compile(r"(?<![\w.])/work/"), "an absolute /work path"),
    (re.compile(r"(?<![\w.])/home/\w"), "an absolute home directory"),
]
THIS = "tests/cli/test_self_contained.py"


def tracked():
    out = subprocess.run(["git", "-C", ROOT, "ls-files", "-z"], check=True,
                         stdout=subprocess.PIPE).stdout.decode()
    return [p for p in out.split("\0") if p]


def escapes_root(path, line):
    """True when a line climbs more directories than the file sits below the
    root, from its own location (__file__ in Python, $0 in shell)."""
    depth = path.count("/")
    if "__file__" in line:
        ups = len(re.findall(r"[\"']\.\.[\"']", line))
    elif re.search(r"dirname \"?\$0\"?", line):
        m = re.search(r"dirname \"?\$0\"?\)\"?((?:/\.\.)+)", line)
        ups = m.group(1).count("..") if m else 0
    else:
        return False
    return ups > depth


def offences(path, text):
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        for pat, what in OUTSIDE:
            if pat.search(line):
                found.append("%s:%d: %s: %s" % (path, n, what, line.strip()))
        if escapes_root(path, line):
            found.append("%s:%d: climbs above the repository root: %s" % (path, n, line.strip()))
    return found


class SelfContained(TestCase):
    def test_no_script_reads_outside_the_repository(self):
        found = []
        files = [p for p in tracked() if p.startswith(SCANNED) and p != THIS]
        self.assertGreater(len(files), 50)  # the scan saw the tests, not nothing
        for p in files:
            with open(os.path.join(ROOT, p), "rb") as f:
                data = f.read()
            if b"\0" in data:
                continue
            found += offences(p, data.decode("utf-8", "replace"))
        self.assertEqual(found, [], "\n".join(found))

    def test_the_scan_finds_what_it_is_for(self):
        # Near misses must pass and the old ways of reaching ../shared must not.
        bad = {
            "tests/unit/testutil.h": '#define SHARED_DIR "../shared"',
            "tests/cli/util.py": 'SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared"))',
            "fuzz/seeds.py": 'SHARED = os.path.join(HERE, "..", "..", "shared")',
            "fuzz/x.py": 'D = os.path.join(os.path.dirname(__file__), "..", "..", "vectors")',
            "tools/x.sh": 'cd "$(dirname "$0")/../../shared"',
            "bench/run.sh": "cp /work/shared/corpus/real/* .",
        }
        for path, line in bad.items():
            self.assertNotEqual(offences(path, line), [], path + ": " + line)
        good = {
            "tests/cli/util.py": 'ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))',
            "tools/demo.sh": 'cd "$(dirname "$0")/.."',
            "tests/cli/test_precommit.py": 'shared = os.path.join(h.tmp, "shared", "hooks")',
            "fuzz/targets": "fuzz_yaml testdata/corpus/real testdata/vectors @vectors",
        }
        for path, line in good.items():
            self.assertEqual(offences(path, line), [], path + ": " + line)

    def test_unit_tests_and_seeds_run_from_a_lone_copy(self):
        # The copy's parent directory holds nothing else: a test reaching for
        # ../anything fails here even on a machine that has it beside the checkout.
        copy = os.path.join(self.tmpdir(), "agentlint")
        for p in tracked():
            src = os.path.join(ROOT, p)
            if not os.path.lexists(src):
                continue
            dst = os.path.join(copy, p)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst, follow_symlinks=False)
        tests = os.path.join(os.path.dirname(AGENTLINT), "tests")
        bins = sorted(b for b in os.listdir(tests) if b.startswith("test_")
                      and os.access(os.path.join(tests, b), os.X_OK))
        self.assertIn("test_vectors", bins)
        for b in bins:
            proc = subprocess.run([os.path.join(tests, b)], cwd=copy, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=600)
            self.assertEqual(proc.returncode, 0, b + "\n" + proc.stdout.decode("utf-8", "replace"))
        seeds = os.path.join(self.tmpdir(), "seeds")
        proc = subprocess.run([sys.executable, os.path.join(copy, "fuzz", "seeds.py"), seeds],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stdout.decode("utf-8", "replace"))
        self.assertGreater(len(os.listdir(os.path.join(seeds, "vectors"))), 10)
