"""Helpers for agentlint's end-to-end tests: real git repositories made with
the git command line, and the real agentlint binary run on them."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TESTDATA = os.path.join(ROOT, "testdata")
AGENTLINT = os.environ.get("AGENTLINT") or os.path.join(ROOT, "build", "agentlint")

# Variables that would change agentlint's context when the tests run in CI.
_SCRUB = ("CI_PROJECT_PATH", "CI_MERGE_REQUEST_PROJECT_PATH", "NO_COLOR", "GIT_DIR",
          "GIT_WORK_TREE", "GIT_INDEX_FILE")


def clean_env(extra=None):
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env["GIT_CONFIG_GLOBAL"] = os.devnull
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = "agentlint tests"
    env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = "tests@example.invalid"
    if extra:
        env.update(extra)
    return env


class Result:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.out = proc.stdout.decode("utf-8", "replace")
        self.err = proc.stderr.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return "rc=%d\n--- stdout\n%s--- stderr\n%s" % (self.rc, self.out, self.err)


def run(args, cwd=None, stdin=None, env=None):
    """Run agentlint with args (a list); returns a Result."""
    proc = subprocess.run([AGENTLINT] + list(args), cwd=cwd, input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=clean_env(env), timeout=120)
    return Result(proc)


def formats(command):
    """A command's formats, as the binary lists them (`--list-formats`)."""
    res = run([command, "--list-formats"])
    if res.rc != 0 or not res.out.split():
        raise RuntimeError("agentlint %s --list-formats failed: %r" % (command, res))
    return res.out.split()


class GitRepo:
    """A throw-away git repository. Files are written, staged and committed
    with the real git command line."""

    def __init__(self, bare=False, branch="main"):
        self.dir = tempfile.mkdtemp(prefix="agentlint-test-")
        self.bare = bare
        args = ["init", "-q", "-b", branch] + (["--bare"] if bare else [])
        self.git(*args)

    def git(self, *args, check=True):
        proc = subprocess.run(["git", "-C", self.dir] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=clean_env())
        if check and proc.returncode != 0:
            raise RuntimeError("git %s failed: %s" % (" ".join(args), proc.stderr.decode()))
        return proc.stdout.decode().strip()

    def path(self, rel):
        return os.path.join(self.dir, rel)

    def write(self, rel, content, mode=None):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(content.encode("utf-8") if isinstance(content, str) else content)
        if mode is not None:
            os.chmod(p, mode)
        return p

    def read(self, rel):
        with open(self.path(rel), "rb") as f:
            return f.read()

    def symlink(self, target, rel):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        os.symlink(target, p)

    def remove(self, rel):
        os.remove(self.path(rel))

    def add(self, *rels):
        self.git("add", "--", *(rels or ["."]))

    def commit(self, message="change", allow_empty=False):
        args = ["commit", "-q", "-m", message] + (["--allow-empty"] if allow_empty else [])
        self.git(*args)
        return self.git("rev-parse", "HEAD")

    def commit_files(self, files, message="change"):
        """Write {path: content}, stage everything and commit; returns the sha."""
        for rel, content in files.items():
            if content is None:
                self.git("rm", "-q", "--", rel)
            else:
                self.write(rel, content)
                self.add(rel)
        return self.commit(message)

    def agentlint(self, *args, stdin=None, env=None, cwd=None):
        return run(list(args), cwd=cwd or self.dir, stdin=stdin, env=env)

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class TestCase(unittest.TestCase):
    """Base class: repos made with self.repo() are removed after the test."""

    def setUp(self):
        self._repos = []

    def tearDown(self):
        for r in self._repos:
            r.cleanup()

    def repo(self, **kw):
        r = GitRepo(**kw)
        self._repos.append(r)
        return r

    def tmpdir(self):
        d = tempfile.mkdtemp(prefix="agentlint-test-")
        self.addCleanup(shutil.rmtree, d, True)
        return d

    # -- assertions on check --format json --
    def findings(self, result, rule=None, path=None):
        data = result.json()
        return [f for f in data["findings"]
                if (rule is None or f["rule"] == rule) and (path is None or f["path"] == path)]

    def assertFinding(self, result, rule, path=None, line=None, column=None, severity=None):
        found = self.findings(result, rule, path)
        if line is not None:
            found = [f for f in found if f["line"] == line]
        if column is not None:
            found = [f for f in found if f["column"] == column]
        if severity is not None:
            found = [f for f in found if f["severity"] == severity]
        self.assertTrue(found, "no %s finding at %s:%s:%s in\n%r" % (rule, path, line, column,
                                                                       result))
        return found[0]

    def assertNoFinding(self, result, rule, path=None):
        found = self.findings(result, rule, path)
        self.assertFalse(found, "unexpected %s finding(s): %r" % (rule, found))


def readme_snippet(name):
    """The fenced code block that follows `<!-- snippet: NAME -->` in README.md:
    tests run exactly what users copy from it."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    marker = "<!-- snippet: %s -->" % name
    start = lines.index(marker) + 1
    while not lines[start].startswith("```"):
        start += 1
    end = start + 1
    while not lines[end].startswith("```"):
        end += 1
    return "\n".join(lines[start + 1:end]) + "\n"


def path_without_agentlint():
    """PATH minus the directories that hold an `agentlint`, so that tests decide
    which agentlint a hook or a job finds."""
    dirs = [d for d in os.environ.get("PATH", "/usr/bin:/bin").split(os.pathsep)
            if d and not os.access(os.path.join(d, "agentlint"), os.X_OK)]
    return os.pathsep.join(dirs)


def md_split_code(line):
    """A Markdown line as (the text outside code spans, the spans' contents),
    by CommonMark's rule: a run of k backticks opens a span that the next run
    of exactly k backticks closes; an unclosed run is literal text."""
    outside, spans, i = [], [], 0
    while i < len(line):
        if line[i] != "`":
            outside.append(line[i])
            i += 1
            continue
        k = len(line[i:]) - len(line[i:].lstrip("`"))
        j, end = i + k, None
        while j < len(line):
            if line[j] != "`":
                j += 1
                continue
            r = len(line[j:]) - len(line[j:].lstrip("`"))
            if r == k:
                end = j
                break
            j += r
        if end is None:
            outside.append(line[i:i + k])
            i += k
            continue
        spans.append(line[i + k:end])
        outside.append(" ")
        i = end + k
    return "".join(outside), spans


def md_cell_borders(line):
    """The pipes of a GFM table row that split cells: those not escaped by an
    odd run of backslashes (escaped ones stay escaped inside code spans)."""
    n = 0
    for i, c in enumerate(line):
        if c == "|":
            b = len(line[:i]) - len(line[:i].rstrip("\\"))
            n += b % 2 == 0
    return n
