"""make release (tools/release.sh): an annotated tag vX.Y.Z, made only when the
tree is clean, the version agrees in CHANGELOG.md, debian/changelog and the
man page, the tag is new and the checks pass. Run on a throw-away repository
holding those files, with RELEASE_CHECKS standing in for the test suite."""

import os
import shutil
import subprocess

from util import ROOT, TestCase, clean_env

FILES = ("tools/release.sh", "CHANGELOG.md", "debian/changelog", "man/agentlint.1", "Makefile")


class Release(TestCase):
    def setUp(self):
        super().setUp()
        self.repo = self.repo()
        for p in FILES:
            os.makedirs(os.path.dirname(self.repo.path(p)) or self.repo.dir, exist_ok=True)
            shutil.copy(os.path.join(ROOT, p), self.repo.path(p))
        self.repo.add()
        self.repo.commit("release candidate")
        with open(os.path.join(ROOT, "Makefile")) as f:
            self.version = next(line.split(":=")[1].strip() for line in f
                                if line.startswith("VERSION"))

    def release(self, checks="true", version=None):
        proc = subprocess.run([self.repo.path("tools/release.sh"), version or self.version],
                              cwd=self.repo.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=clean_env({"RELEASE_CHECKS": checks}))
        return proc.returncode, proc.stdout.decode() + proc.stderr.decode()

    def tags(self):
        return self.repo.git("tag", "-l").split()

    def test_tags_an_annotated_release_with_the_changelog(self):
        rc, out = self.release()
        self.assertEqual(rc, 0, out)
        tag = "v" + self.version
        self.assertEqual(self.tags(), [tag])
        self.assertEqual(self.repo.git("cat-file", "-t", tag), "tag")  # annotated
        message = self.repo.git("tag", "-l", "--format=%(contents)", tag)
        self.assertTrue(message.startswith("agentlint " + self.version), message)
        self.assertIn("### Added", message)
        self.assertNotIn("## [0.1.0]", message)  # only this release's notes
        self.assertIn("git push origin " + tag, out)
        # Twice: the tag exists.
        rc, out = self.release()
        self.assertEqual(rc, 2, out)
        self.assertIn("exists already", out)

    def test_refuses_what_is_not_a_release(self):
        # Failing checks.
        rc, out = self.release(checks="exit 1")
        self.assertEqual((rc, self.tags()), (2, []), out)
        self.assertIn("the checks failed", out)
        # A version the changelogs do not have.
        rc, out = self.release(version="9.9.9")
        self.assertEqual((rc, self.tags()), (2, []), out)
        self.assertIn("CHANGELOG.md has no dated section", out)
        # Not X.Y.Z.
        rc, out = self.release(version="1.2")
        self.assertEqual((rc, self.tags()), (2, []), out)
        # An uncommitted change.
        self.repo.write("CHANGELOG.md", "changed\n")
        rc, out = self.release()
        self.assertEqual((rc, self.tags()), (2, []), out)
        self.assertIn("uncommitted changes", out)
        self.repo.git("checkout", "--", "CHANGELOG.md")
        # debian/changelog behind.
        with open(self.repo.path("debian/changelog")) as f:
            text = f.read()
        self.repo.commit_files({"debian/changelog": text.replace(
            "agentlint (%s)" % self.version, "agentlint (0.0.1)", 1)}, "stale")
        rc, out = self.release()
        self.assertEqual((rc, self.tags()), (2, []), out)
        self.assertIn("debian/changelog", out)
