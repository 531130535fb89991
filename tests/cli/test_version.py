"""agentlint --version: the release, the commit it was built from and the
GitLab versions the built-in schema knows; tools/commit.sh, which finds the
commit in a checkout, a `git archive` tarball or neither; and the release
number agreeing everywhere it is written (Makefile, debian/changelog,
CHANGELOG.md)."""

import os
import re
import shutil
import subprocess
import tarfile

import yaml

from util import ROOT, TestCase, clean_env, run

COMMIT_SH = os.path.join(ROOT, "tools", "commit.sh")


def makefile_version():
    with open(os.path.join(ROOT, "Makefile")) as f:
        return re.search(r"^VERSION\s*:=\s*(\S+)", f.read(), re.M).group(1)


def schema_range():
    with open(os.path.join(ROOT, "schemas", "agentcfg.yaml")) as f:
        schema = yaml.safe_load(f)
    return str(schema["oldest"]), str(schema["latest"])


def git(*args, cwd=ROOT):
    return subprocess.run(["git", "-C", cwd] + list(args), check=True, stdout=subprocess.PIPE,
                          env=clean_env()).stdout.decode().strip()


class Version(TestCase):
    def test_version_names_release_commit_and_gitlab_range(self):
        res = run(["--version"])
        self.assertEqual(res.rc, 0, res)
        lines = res.out.splitlines()
        self.assertEqual(len(lines), 3, res)
        self.assertEqual(lines[0], "agentlint " + makefile_version())
        head = git("rev-parse", "--short=12", "HEAD")
        self.assertRegex(lines[1], r"^commit: \S*%s(-dirty)?$" % head)
        oldest, latest = schema_range()
        self.assertEqual(lines[2], "GitLab: %s to %s (agent config schema; --gitlab-version "
                         "defaults to %s)" % (oldest, latest, latest))
        self.assertEqual(res.err, "")

    def test_commit_from_a_tag_a_tarball_or_nothing(self):
        tmp = self.tmpdir()
        # A git archive tarball: tools/COMMIT holds the full hash (export-subst).
        tar = os.path.join(tmp, "src.tar")
        git("archive", "--format=tar", "--prefix=src/", "-o", tar, "HEAD")
        with tarfile.open(tar) as t:
            t.extractall(tmp)
        src = os.path.join(tmp, "src")
        out = subprocess.run([os.path.join(src, "tools", "commit.sh")], stdout=subprocess.PIPE,
                             env=clean_env()).stdout.decode()
        self.assertEqual(out, git("rev-parse", "HEAD") + "\n")
        # The same tree unpacked inside another repository does not take its commit,
        # and without the substituted file it says unknown.
        with open(os.path.join(src, "tools", "COMMIT"), "w") as f:
            f.write("$Format:%H$\n")
        subprocess.run(["git", "init", "-q", tmp], check=True, env=clean_env())
        out = subprocess.run([os.path.join(src, "tools", "commit.sh")], stdout=subprocess.PIPE,
                             env=clean_env()).stdout.decode()
        self.assertEqual(out, "unknown\n")
        # A build that passes the commit in gets it, cleaned of anything but a name's characters.
        out = subprocess.run([COMMIT_SH], stdout=subprocess.PIPE,
                             env=clean_env({"AL_COMMIT": "v1.2.3-0-gabc\"; rm -rf /\x1b[31m"}))
        self.assertEqual(out.stdout.decode(), "v1.2.3-0-gabcrm-rf31m\n")

    def test_commit_names_the_release_tag(self):
        repo = self.repo()
        repo.write("a", "x")
        repo.add()
        repo.commit("one")
        repo.git("tag", "-a", "v9.8.7", "-m", "release")
        for p in ("tools/commit.sh",):
            dst = repo.path(p)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy(os.path.join(ROOT, p), dst)
        repo.git("add", "tools")
        repo.git("commit", "-q", "-m", "tools")
        sha = repo.git("rev-parse", "HEAD")
        out = subprocess.run([repo.path("tools/commit.sh")], stdout=subprocess.PIPE,
                             env=clean_env()).stdout.decode()
        self.assertEqual(out, "v9.8.7-1-g%s\n" % sha[:12])
        repo.write("a", "changed")
        out = subprocess.run([repo.path("tools/commit.sh")], stdout=subprocess.PIPE,
                             env=clean_env()).stdout.decode()
        self.assertEqual(out, "v9.8.7-1-g%s-dirty\n" % sha[:12])

    def test_release_number_agrees_everywhere(self):
        version = makefile_version()
        with open(os.path.join(ROOT, "debian", "changelog")) as f:
            first = f.readline()
        self.assertRegex(first, r"^agentlint \(%s(-\d+)?\) " % re.escape(version))
        with open(os.path.join(ROOT, "CHANGELOG.md")) as f:
            changelog = f.read()
        self.assertIn("## [Unreleased]", changelog)
        self.assertRegex(changelog, r"\n## \[%s\] - \d{4}-\d{2}-\d{2}\n" % re.escape(version))
        with open(os.path.join(ROOT, "man", "agentlint.1")) as f:
            self.assertIn('"agentlint %s"' % version, f.readline())
