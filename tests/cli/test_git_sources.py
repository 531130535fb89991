"""Reading git as git does, and a gate that hostile repositories cannot hang,
balloon or fool (issue 9, items 5-8): damaged objects, zip-bomb blobs,
.gitlab as a link or submodule, sparse checkouts, GIT_DIR / GIT_WORK_TREE /
GIT_INDEX_FILE, split and sparse indexes, SHA-256 repositories."""

import hashlib
import os
import shutil
import subprocess
import sys
import time
import zlib

from util import AGENTLINT, Result, TestCase, clean_env

TYPO = "ci_access:\n  project:\n    - id: grp/app\n"
GOOD = "ci_access:\n  projects:\n    - id: grp/app\n"
CFG = ".gitlab/agents/prod/config.yaml"
SOURCES = ([], ["--staged"], ["--rev", "HEAD"])


def timed(args, cwd, env=None, limit=20):
    """agentlint ARGS in cwd, killed after `limit` seconds (a hang fails the
    test instead of stalling the suite); returns (Result, seconds)."""
    start = time.monotonic()
    proc = subprocess.run([AGENTLINT] + list(args), cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=clean_env(env), timeout=limit)
    return Result(proc), time.monotonic() - start


def peak_rss_kib(args, cwd):
    """Peak resident memory of one agentlint run, in KiB: measured in a child
    python whose only child is agentlint (ru_maxrss of RUSAGE_CHILDREN)."""
    probe = ("import resource, subprocess, sys\n"
             "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL, timeout=60)\n"
             "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", probe, AGENTLINT] + list(args), cwd=cwd,
                         stdout=subprocess.PIPE, env=clean_env(), check=True, timeout=90)
    rc, kib = out.stdout.decode().split()
    return int(rc), int(kib)


def object_file(repo, oid):
    return repo.path(os.path.join(".git", "objects", oid[:2], oid[2:]))


def truncate_object(repo, oid, drop=4):
    path = object_file(repo, oid)
    with open(path, "rb") as f:
        data = f.read()
    os.chmod(path, 0o644)
    with open(path, "wb") as f:
        f.write(data[:-drop])


def write_zero_blob(repo, size):
    """A loose blob of `size` zero bytes (a few hundred KB compressed), written
    without git so that no test step holds it in memory; returns its id."""
    header = b"blob %d\0" % size
    sha, z = hashlib.sha1(header), zlib.compressobj(9)
    chunk = bytes(1 << 20)
    parts = [z.compress(header)]
    for _ in range(size >> 20):
        sha.update(chunk)
        parts.append(z.compress(chunk))
    parts.append(z.flush())
    oid = sha.hexdigest()
    path = object_file(repo, oid)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(b"".join(parts))
    return oid


class DamagedObjects(TestCase):
    """Item 5: libgit2 1.5.1 loops for ever on a truncated loose object."""

    def committed(self):
        r = self.repo()
        r.commit_files({CFG: GOOD, "README": "x\n"})
        return r

    def assertFailsFast(self, r, args, oid):
        res, secs = timed(args, r.dir)
        self.assertEqual(res.rc, 2, res)
        self.assertLess(secs, 10, res)
        self.assertIn(oid, res.err)
        self.assertIn("git fsck", res.err)
        self.assertEqual(res.err.count("\n"), 1, res)  # one sentence, one line
        self.assertEqual(res.out, "")

    def test_truncated_loose_blob_fails_fast_in_index_and_revision(self):
        r = self.committed()
        oid = r.git("rev-parse", "HEAD:" + CFG)
        truncate_object(r, oid)
        for args in (["--staged"], ["--rev", "HEAD"], ["explain", "--rev", "HEAD"],
                     ["diff", "HEAD~0", "HEAD"]):
            self.assertFailsFast(r, args, oid)

    def test_truncated_commit_and_trees_fail_fast(self):
        for what in ("HEAD", "HEAD^{tree}", "HEAD:.gitlab", "HEAD:.gitlab/agents/prod"):
            r = self.committed()
            oid = r.git("rev-parse", what)
            truncate_object(r, oid, drop=2)
            self.assertFailsFast(r, ["--rev", "HEAD"], oid)
            self.assertFailsFast(r, ["--rev", r.git("rev-parse", "--short", "HEAD")], oid)

    def test_garbage_and_lying_headers_are_corrupt(self):
        r = self.committed()
        oid = r.git("rev-parse", "HEAD:" + CFG)
        path = object_file(r, oid)
        os.chmod(path, 0o644)
        variants = [
            zlib.compress(b"blob 100\0" + GOOD.encode()),  # says more than it has
            zlib.compress(b"blob 3\0" + GOOD.encode()),  # says less than it has
            zlib.compress(b"blob\0" + GOOD.encode()),  # no size
            zlib.compress(GOOD.encode()),  # no header
            zlib.compress(b"blob %d\0" % len(GOOD) + GOOD.encode()) + b"junk",
            b"\x78\x9c" + os.urandom(64),
            b"",
        ]
        for data in variants:
            with open(path, "wb") as f:
                f.write(data)
            for args in (["--staged"], ["--rev", "HEAD"]):
                self.assertFailsFast(r, args, oid)

    def test_corrupt_packed_blob_fails_fast(self):
        r = self.committed()
        oid = r.git("rev-parse", "HEAD:" + CFG)
        r.git("repack", "-q", "-a", "-d")
        self.assertFalse(os.path.exists(object_file(r, oid)))
        pack = [p for p in os.listdir(r.path(".git/objects/pack")) if p.endswith(".pack")][0]
        pack = r.path(".git/objects/pack/" + pack)
        # Find the blob's entry (git verify-pack lists offsets) and damage its data.
        listing = r.git("verify-pack", "-v", pack[:-5] + ".idx")
        offset = int([ln.split()[4] for ln in listing.splitlines() if ln.startswith(oid)][0])
        with open(pack, "rb") as f:
            data = bytearray(f.read())
        for i in range(offset + 4, offset + 12):
            data[i] ^= 0x5A
        os.chmod(pack, 0o644)
        with open(pack, "wb") as f:
            f.write(data)
        for args in (["--staged"], ["--rev", "HEAD"]):
            res, secs = timed(args, r.dir)
            self.assertEqual(res.rc, 2, res)
            self.assertLess(secs, 10)
            self.assertEqual(res.err.count("\n"), 1, res)

    def test_sound_objects_read_as_before(self):
        # Near miss: loose, packed and both at once read normally.
        r = self.repo()
        r.commit_files({CFG: TYPO})
        for repack in (False, True):
            if repack:
                r.git("repack", "-q", "-a", "-d")
            for args in (["--staged"], ["--rev", "HEAD"], ["--rev", r.git("rev-parse",
                                                                            "--short", "HEAD")]):
                res = r.agentlint("-f", "json", *args)
                self.assertEqual(res.rc, 1, res)
                self.assertFinding(res, "unknown-key", CFG, line=2)


class ZipBomb(TestCase):
    """Item 6: a small object that inflates to 256 MiB is sized from its header."""

    SIZE = 256 << 20

    def bomb_repo(self):
        r = self.repo()
        oid = write_zero_blob(r, self.SIZE)
        self.assertLess(os.path.getsize(object_file(r, oid)), 1 << 20)
        r.git("update-index", "--add", "--cacheinfo", "100644,%s,%s" % (oid, CFG))
        r.commit("bomb")
        return r

    def assertBounded(self, r, args):
        res, secs = timed(["-f", "json"] + args, r.dir)
        self.assertEqual(res.rc, 1, res)
        f = self.assertFinding(res, "file-size", CFG)
        self.assertIn(str(self.SIZE), f["message"])
        self.assertLess(secs, 5)
        rc, kib = peak_rss_kib(args, r.dir)
        self.assertEqual(rc, 1)
        # 256 MiB inflated whole would be > 262144 KiB; the sanitizer build's
        # own baseline stays far below the bound.
        self.assertLess(kib, 96 * 1024, "peak RSS %d KiB" % kib)

    def test_loose_bomb_is_file_size_in_bounded_memory(self):
        r = self.bomb_repo()
        for args in (["--staged"], ["--rev", "HEAD"]):
            self.assertBounded(r, args)

    def test_packed_bomb_is_file_size_in_bounded_memory(self):
        r = self.bomb_repo()
        # bigFileThreshold: git streams the blob into the pack instead of
        # holding it in memory.
        r.git("-c", "core.bigFileThreshold=1m", "repack", "-q", "-a", "-d")
        self.assertFalse([d for d in os.listdir(r.path(".git/objects")) if len(d) == 2])
        for args in (["--staged"], ["--rev", "HEAD"]):
            self.assertBounded(r, args)

    def test_one_blob_under_many_names_is_read_within_a_total_budget(self):
        # 60 paths name one 8 MB blob (8 KB compressed): read whole per path
        # it would be 480 MB; the source stops at its total budget instead
        # (the sanitizer build's overhead on that budget stays under 224 MiB).
        r = self.repo()
        big = os.path.join(self.tmpdir(), "big")
        with open(big, "wb") as f:
            f.write(bytes(8000000))
        oid = r.git("hash-object", "-w", big)
        r.git("update-index", "--add", "--cacheinfo", "100644,%s,%s" % (oid, CFG))
        for i in range(60):
            r.git("update-index", "--add", "--cacheinfo",
                  "100644,%s,.gitlab/agents/prod/f%02d" % (oid, i))
        r.commit("many names")
        for args in (["--staged"], ["--rev", "HEAD"]):
            res, secs = timed(args, r.dir)
            self.assertEqual(res.rc, 2, res)
            self.assertIn("64 MiB", res.err)
            self.assertLess(secs, 10)
            rc, kib = peak_rss_kib(args, r.dir)
            self.assertEqual(rc, 2)
            self.assertLess(kib, 224 * 1024, "peak RSS %d KiB" % kib)

    def test_config_just_over_the_limit_is_read_and_reported(self):
        # Near miss of the header path: a real file past 128 KiB is still
        # sized exactly, and one under it is checked as usual.
        r = self.repo()
        big = GOOD + "#" * (128 * 1024) + "\n"
        r.commit_files({CFG: big, ".gitlab/agents/small/config.yaml": TYPO})
        for args in (["--staged"], ["--rev", "HEAD"]):
            res = r.agentlint("-f", "json", *args)
            f = self.assertFinding(res, "file-size", CFG)
            self.assertIn(str(len(big)), f["message"])
            self.assertFinding(res, "unknown-key", ".gitlab/agents/small/config.yaml")
            self.assertNoFinding(res, "file-size", ".gitlab/agents/small/config.yaml")


class LinksAndSubmodules(TestCase):
    """Item 7: .gitlab, .gitlab/agents or an agent directory that GitLab
    cannot read into is a finding in every source; links are not followed."""

    def assertGitlabFinding(self, r, path, words, sources=SOURCES):
        for args in sources:
            res = r.agentlint("-f", "json", *args)
            self.assertEqual(res.rc, 1, (args, res))
            f = self.assertFinding(res, "file-name", path, severity="error")
            self.assertIn(words, f["message"])
            self.assertNoFinding(res, "unknown-key")

    def test_gitlab_symlink_to_a_directory(self):
        r = self.repo()
        r.write("real/agents/prod/config.yaml", TYPO)
        r.symlink("real", ".gitlab")
        r.add()
        r.commit("link")
        self.assertGitlabFinding(r, ".gitlab", "symbolic link")

    def test_gitlab_symlink_dangling_and_absolute(self):
        for target in ("/etc", "does/not/exist", ".."):
            r = self.repo()
            r.commit_files({"README": "x\n"})
            r.symlink(target, ".gitlab")
            r.add(".gitlab")
            r.commit("link")
            self.assertGitlabFinding(r, ".gitlab", "symbolic link")

    def gitlink(self, r, path):
        sub = self.repo()
        sub.commit_files({"agents/prod/config.yaml": TYPO})
        head = sub.git("rev-parse", "HEAD")
        r.git("update-index", "--add", "--cacheinfo", "160000,%s,%s" % (head, path))
        r.commit("submodule")
        return sub

    def test_submodule_in_place_of_gitlab_agents_or_an_agent(self):
        for path, words in ((".gitlab", "submodule"), (".gitlab/agents", "submodule"),
                            (".gitlab/agents/prod", "submodule")):
            r = self.repo()
            r.commit_files({"README": "x\n"})
            self.gitlink(r, path)
            self.assertGitlabFinding(r, path, words, sources=(["--staged"], ["--rev", "HEAD"]))

    def test_submodule_checkout_in_the_worktree(self):
        # A directory holding .git in place of .gitlab is another repository:
        # `git add` records a gitlink, never its files.
        r = self.repo()
        r.commit_files({"README": "x\n"})
        r.write(".gitlab/agents/prod/config.yaml", TYPO)
        r.write(".gitlab/.git", "gitdir: ../.git/modules/x\n")
        self.assertGitlabFinding(r, ".gitlab", "submodule", sources=([],))

    def test_links_inside_are_reported_in_every_source(self):
        r = self.repo()
        r.commit_files({"README": "x\n"})
        r.write("elsewhere/config.yaml", TYPO)
        r.symlink("../elsewhere", ".gitlab/agents")
        r.add()
        r.commit("agents link")
        self.assertGitlabFinding(r, ".gitlab/agents", "symbolic link")

    def test_near_miss_a_real_gitlab_directory_is_no_finding(self):
        r = self.repo()
        r.commit_files({CFG: GOOD, ".gitlab/CODEOWNERS": "* @a\n"})
        r.symlink("CODEOWNERS", ".gitlab/owners-link")
        r.add()
        r.commit("ok")
        for args in SOURCES:
            res = r.agentlint("-f", "json", *args)
            self.assertEqual(res.rc, 0, res)
            self.assertNoFinding(res, "file-name")


class GitEnvironment(TestCase):
    """Item 7: GIT_DIR, GIT_WORK_TREE and GIT_INDEX_FILE as git reads them."""

    def test_missing_index_file_is_exit_2(self):
        r = self.repo()
        r.commit_files({CFG: TYPO})
        missing = os.path.join(self.tmpdir(), "no-index")
        for args in (["--staged"], []):
            res = r.agentlint(*args, env={"GIT_INDEX_FILE": missing})
            self.assertEqual(res.rc, 2, res)
            self.assertIn("GIT_INDEX_FILE", res.err)
            self.assertIn(missing, res.err)

    def test_index_file_that_exists_is_read(self):
        r = self.repo()
        r.commit_files({CFG: GOOD})
        alt = os.path.join(self.tmpdir(), "index")
        r.write(CFG, TYPO)
        subprocess.run(["git", "-C", r.dir, "add", CFG], env=clean_env({"GIT_INDEX_FILE": alt}),
                       check=True)
        res = r.agentlint("-f", "json", "--staged", env={"GIT_INDEX_FILE": alt})
        self.assertFinding(res, "unknown-key", CFG)
        self.assertEqual(r.agentlint("--staged").rc, 0)

    def test_git_dir_and_work_tree(self):
        r = self.repo()
        r.commit_files({CFG: GOOD})
        r.write(CFG, TYPO)
        elsewhere = self.tmpdir()
        env = {"GIT_DIR": r.path(".git"), "GIT_WORK_TREE": r.dir}
        res = r.agentlint("-f", "json", cwd=elsewhere, env=env)
        self.assertFinding(res, "unknown-key", CFG)
        res = r.agentlint("-f", "json", "--rev", "HEAD", cwd=elsewhere, env=env)
        self.assertEqual(res.rc, 0, res)

    def test_git_dir_alone_makes_the_current_directory_the_work_tree(self):
        # git: with GIT_DIR and neither GIT_WORK_TREE nor core.worktree, the
        # current directory is the top of the working tree.
        r = self.repo()
        r.commit_files({CFG: GOOD})
        other = self.tmpdir()
        os.makedirs(os.path.join(other, ".gitlab/agents/prod"))
        with open(os.path.join(other, CFG), "w") as f:
            f.write(TYPO)
        res = r.agentlint("-f", "json", cwd=other, env={"GIT_DIR": r.path(".git")})
        self.assertFinding(res, "unknown-key", CFG)
        res = r.agentlint("-f", "json", "--staged", cwd=other, env={"GIT_DIR": r.path(".git")})
        self.assertEqual(res.rc, 0, res)

    def test_git_dir_that_is_not_a_repository_is_exit_2(self):
        r = self.repo()
        r.commit_files({CFG: GOOD})
        bogus = self.tmpdir()
        res = r.agentlint("--rev", "HEAD", env={"GIT_DIR": bogus})
        self.assertEqual(res.rc, 2, res)
        self.assertIn("GIT_DIR", res.err)

    def test_repository_extensions_libgit2_refused_are_read(self):
        # A partial clone (extensions.partialClone) and worktreeConfig were
        # "not a git repository" to libgit2 1.5.
        for key, value in (("extensions.partialClone", "origin"),
                           ("extensions.worktreeConfig", "true")):
            r = self.repo()
            r.commit_files({CFG: TYPO})
            r.git("config", "core.repositoryFormatVersion", "1")
            r.git("config", key, value)
            for args in SOURCES:
                res = r.agentlint("-f", "json", *args)
                self.assertEqual(res.rc, 1, (key, args, res))
                self.assertFinding(res, "unknown-key", CFG, line=2)

    def test_sparse_checkout_reads_hidden_configs_from_the_index(self):
        r = self.repo()
        r.commit_files({CFG: TYPO, "src/main.c": "int main;\n"})
        r.git("sparse-checkout", "set", "src")
        self.assertFalse(os.path.exists(r.path(".gitlab")))
        for args in ([], ["--staged"], ["--rev", "HEAD"]):
            res = r.agentlint("-f", "json", *args)
            self.assertEqual(res.rc, 1, (args, res))
            self.assertFinding(res, "unknown-key", CFG, line=2)


class IndexFormats(TestCase):
    """Item 8: formats libgit2 1.5 cannot read are read through git."""

    def staged_typo(self, **kw):
        r = self.repo(**kw)
        r.commit_files({CFG: GOOD, "src/main.c": "int main;\n"})
        r.write(CFG, TYPO)
        r.add(CFG)
        return r

    def assertReadsTypo(self, r, sources=(["--staged"], [])):
        for args in sources:
            res = r.agentlint("-f", "json", *args)
            self.assertEqual(res.rc, 1, (args, res))
            self.assertFinding(res, "unknown-key", CFG, line=2)

    def test_split_index(self):
        r = self.staged_typo()
        r.git("update-index", "--split-index")
        self.assertTrue([p for p in os.listdir(r.path(".git")) if p.startswith("sharedindex.")])
        self.assertReadsTypo(r)

    def test_sparse_index(self):
        r = self.staged_typo()
        r.git("commit", "-q", "-m", "typo")
        r.git("sparse-checkout", "init", "--cone", "--sparse-index")
        r.git("sparse-checkout", "set", "src")
        # The index now holds .gitlab/ as one sparse directory entry.
        self.assertIn(".gitlab/", r.git("ls-files", "--sparse"))
        self.assertReadsTypo(r, sources=(["--staged"], [], ["--rev", "HEAD"]))

    def test_without_git_on_path_one_sentence(self):
        r = self.staged_typo()
        r.git("update-index", "--split-index")
        res = r.agentlint("--staged", env={"PATH": self.tmpdir()})
        self.assertEqual(res.rc, 2, res)
        self.assertIn("install git", res.err)
        self.assertEqual(res.err.count("\n"), 1, res)

    def test_hostile_config_executes_nothing(self):
        r = self.staged_typo()
        r.git("update-index", "--split-index")
        marker = os.path.join(self.tmpdir(), "pwned")
        hook = os.path.join(self.tmpdir(), "hook.sh")
        with open(hook, "w") as f:
            f.write("#!/bin/sh\ntouch %s\n" % marker)
        os.chmod(hook, 0o755)
        for key in ("core.fsmonitor", "core.pager", "core.sshCommand", "diff.external",
                    "core.editor", "alias.ls-files"):
            r.git("config", key, hook)
        hooks = r.path(".git/hooks")
        for name in ("post-index-change", "pre-commit", "post-checkout"):
            with open(os.path.join(hooks, name), "w") as f:
                f.write("#!/bin/sh\ntouch %s\n" % marker)
            os.chmod(os.path.join(hooks, name), 0o755)
        self.assertReadsTypo(r)
        self.assertFalse(os.path.exists(marker))

    def test_sha256_repository_is_one_sentence(self):
        r = self.repo()
        shutil.rmtree(r.path(".git"))
        r.git("init", "-q", "-b", "main", "--object-format=sha256")
        r.commit_files({CFG: TYPO})
        for args in SOURCES:
            res = r.agentlint(*args)
            self.assertEqual(res.rc, 2, res)
            self.assertIn("SHA-256", res.err)
            self.assertNotIn("not a git repository", res.err)
