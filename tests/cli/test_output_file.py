"""-o FILE (contract.md, Output): a regular file is replaced whole or not at
all, keeping its mode (and owner, as root); a character device or FIFO is
written directly; anything else is exit 2 with one sentence. On 418df82 the
file was renamed over whatever was there: /dev/null became a regular file, a
symbolic link a file, a 0600 file came back 0644."""

import os
import resource
import signal
import stat
import subprocess
import threading

from util import AGENTLINT, TestCase, clean_env, run

NOBODY = 65534


def rules_text():
    return run(["rules"]).out


def as_nobody_available():
    """setpriv can drop to an unprivileged user only when we are root and the
    binary is reachable by others."""
    if os.geteuid() != 0 or not os.path.exists("/usr/bin/setpriv"):
        return False
    probe = subprocess.run(["/usr/bin/setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY,
                            "--clear-groups", AGENTLINT, "--version"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return probe.returncode == 0


class OutputFile(TestCase):
    def write(self, target, *extra, preexec=None, user=None):
        args = [AGENTLINT, "rules", "-o", target] + list(extra)
        if user is not None:
            args = ["/usr/bin/setpriv", "--reuid=%d" % user, "--regid=%d" % user,
                    "--clear-groups"] + args
        proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=clean_env(), preexec_fn=preexec, timeout=60)
        return proc.returncode, proc.stderr.decode("utf-8", "replace")

    def test_regular_file_replaced_with_its_mode(self):
        d = self.tmpdir()
        for mode in (0o600, 0o640, 0o755):
            f = os.path.join(d, "out-%o.txt" % mode)
            with open(f, "w") as h:
                h.write("old\n")
            os.chmod(f, mode)
            rc, err = self.write(f)
            self.assertEqual(rc, 0, err)
            self.assertEqual(stat.S_IMODE(os.stat(f).st_mode), mode)
            with open(f) as h:
                self.assertEqual(h.read(), rules_text())
        self.assertEqual(sorted(os.listdir(d)), ["out-600.txt", "out-640.txt", "out-755.txt"])

    def test_new_file_follows_umask(self):
        d = self.tmpdir()
        f = os.path.join(d, "new.txt")
        old = os.umask(0o027)
        try:
            rc, err = self.write(f)
        finally:
            os.umask(old)
        self.assertEqual(rc, 0, err)
        self.assertEqual(stat.S_IMODE(os.stat(f).st_mode), 0o640)

    def test_owner_kept_as_root(self):
        if os.geteuid() != 0:
            self.skipTest("only root can give a file to another user")
        d = self.tmpdir()
        f = os.path.join(d, "theirs.txt")
        with open(f, "w") as h:
            h.write("old\n")
        os.chown(f, NOBODY, NOBODY)
        os.chmod(f, 0o600)
        rc, err = self.write(f)
        self.assertEqual(rc, 0, err)
        st = os.stat(f)
        self.assertEqual((st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)), (NOBODY, NOBODY, 0o600))

    def test_character_devices_stay_devices(self):
        rc, err = self.write("/dev/null")
        self.assertEqual(rc, 0, err)
        self.assertTrue(stat.S_ISCHR(os.stat("/dev/null").st_mode))
        rc, err = self.write("/dev/full")
        self.assertEqual(rc, 2)
        self.assertIn("/dev/full", err)
        self.assertIn("No space left on device", err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertTrue(stat.S_ISCHR(os.stat("/dev/full").st_mode))

    def test_fifo_written_directly(self):
        d = self.tmpdir()
        fifo = os.path.join(d, "pipe")
        os.mkfifo(fifo)
        got = []

        def read():
            with open(fifo) as h:
                got.append(h.read())

        reader = threading.Thread(target=read)
        reader.start()
        rc, err = self.write(fifo)
        reader.join(30)
        self.assertEqual(rc, 0, err)
        self.assertEqual(got, [rules_text()])
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode))
        self.assertEqual(os.listdir(d), ["pipe"])

    def test_symlink_to_file_keeps_the_link(self):
        d = self.tmpdir()
        os.makedirs(os.path.join(d, "real"))
        target = os.path.join(d, "real", "report.txt")
        with open(target, "w") as h:
            h.write("old\n")
        os.chmod(target, 0o604)
        link = os.path.join(d, "report.txt")
        os.symlink(os.path.join("real", "report.txt"), link)
        rc, err = self.write(link)
        self.assertEqual(rc, 0, err)
        self.assertTrue(os.path.islink(link))
        self.assertEqual(os.readlink(link), os.path.join("real", "report.txt"))
        with open(target) as h:
            self.assertEqual(h.read(), rules_text())
        self.assertEqual(stat.S_IMODE(os.stat(target).st_mode), 0o604)
        self.assertEqual(sorted(os.listdir(os.path.join(d, "real"))), ["report.txt"])

    def test_directories_and_dangling_links_exit_2(self):
        d = self.tmpdir()
        os.symlink(d, os.path.join(d, "to-dir"))
        os.symlink("missing", os.path.join(d, "dangling"))
        for target, what in ((d, "directory"), (os.path.join(d, "to-dir"), "directory"),
                             (os.path.join(d, "dangling"), "symbolic link to nothing")):
            rc, err = self.write(target)
            self.assertEqual(rc, 2, err)
            self.assertIn(what, err)
            self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertTrue(os.path.isdir(d))
        self.assertEqual(os.readlink(os.path.join(d, "dangling")), "missing")
        self.assertFalse(os.path.exists(os.path.join(d, "missing")))

    def test_write_error_leaves_the_old_file(self):
        # A file-size limit of 100 bytes makes the write fail as a full disk
        # would, after part of the output is written.
        def small_files():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

        d = self.tmpdir()
        f = os.path.join(d, "keep.txt")
        with open(f, "w") as h:
            h.write("previous report\n")
        os.chmod(f, 0o600)
        rc, err = self.write(f, preexec=small_files)
        self.assertEqual(rc, 2, err)
        self.assertIn("left as it was", err)
        with open(f) as h:
            self.assertEqual(h.read(), "previous report\n")
        self.assertEqual(os.listdir(d), ["keep.txt"])

    def test_unprivileged_user(self):
        if not as_nobody_available():
            self.skipTest("needs root and setpriv to run agentlint as an unprivileged user")
        d = self.tmpdir()
        os.chmod(d, 0o755)
        os.chown(d, NOBODY, NOBODY)
        mine = os.path.join(d, "mine.txt")
        with open(mine, "w") as h:
            h.write("old\n")
        os.chown(mine, NOBODY, NOBODY)
        os.chmod(mine, 0o600)
        rc, err = self.write(mine, user=NOBODY)
        self.assertEqual(rc, 0, err)
        st = os.stat(mine)
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (NOBODY, 0o600))
        # A read-only file stays, as with the shell's `>`.
        ro = os.path.join(d, "readonly.txt")
        with open(ro, "w") as h:
            h.write("keep\n")
        os.chown(ro, NOBODY, NOBODY)
        os.chmod(ro, 0o444)
        rc, err = self.write(ro, user=NOBODY)
        self.assertEqual(rc, 2, err)
        self.assertIn("Permission denied", err)
        with open(ro) as h:
            self.assertEqual(h.read(), "keep\n")
        # Devices work for anyone.
        rc, err = self.write("/dev/null", user=NOBODY)
        self.assertEqual(rc, 0, err)
        self.assertTrue(stat.S_ISCHR(os.stat("/dev/null").st_mode))
        self.assertEqual(sorted(os.listdir(d)), ["mine.txt", "readonly.txt"])
