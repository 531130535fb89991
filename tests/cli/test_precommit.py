"""agentlint as a pre-commit hook, with the real clients: Debian's `pre-commit`
framework running the README's .pre-commit-config.yaml snippets (this
checkout's .pre-commit-hooks.yaml at its HEAD, and the local-hook variant), and
the plain git hook written by `agentlint install-hook`, run by a real
`git commit`."""

import os
import re
import shutil
import stat
import subprocess
import tempfile
import unittest

import yaml

import util
from util import (AGENTLINT, ROOT, GitRepo, TestCase, clean_env, path_without_agentlint,
                  readme_snippet, run)

CFG = ".gitlab/agents/prod/config.yaml"
TYPO = "ci_access:\n  project:\n    - id: acme/app\n"
GOOD = "ci_access:\n  projects:\n    - id: acme/app\n"
FINDING = CFG + ":2:3: error: unknown key \"project\""


def published_hooks():
    with open(os.path.join(ROOT, ".pre-commit-hooks.yaml")) as f:
        return {h["id"]: h for h in yaml.safe_load(f)}


def template_image():
    with open(os.path.join(ROOT, "ci", "agentlint.gitlab-ci.yml")) as f:
        return yaml.safe_load(f)["variables"]["AGENTLINT_IMAGE"]


class Hooked:
    """A throw-away repository whose commits go through a pre-commit hook. The
    hook finds agentlint through `bindir` (on PATH): a wrapper that logs each
    run to `log`, then runs the agentlint under test."""

    def __init__(self, case):
        self.repo = case.repo()
        # Like a real agent repository: an origin that names the project, so
        # agentlint knows the configuration project's path.
        self.repo.git("remote", "add", "origin", "git@gitlab.example.com:acme/agents.git")
        self.tmp = case.tmpdir()
        self.bindir = os.path.join(self.tmp, "bin")
        self.log = os.path.join(self.tmp, "runs.log")
        os.makedirs(self.bindir)
        wrapper = os.path.join(self.bindir, "agentlint")
        with open(wrapper, "w") as f:
            f.write('#!/bin/sh\necho "$*" >> "%s"\nexec "%s" "$@"\n' % (self.log, AGENTLINT))
        os.chmod(wrapper, 0o755)
        self.env = {"PATH": self.bindir + os.pathsep + path_without_agentlint()}

    def runs(self):
        """The agentlint runs so far (their arguments)."""
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return f.read().splitlines()

    def run(self, *args, env=None, path=None, timeout=120):
        e = dict(self.env)
        if path is not None:
            e["PATH"] = path
        e.update(env or {})
        proc = subprocess.run(list(args), cwd=self.repo.dir, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env=clean_env(e), timeout=timeout)
        return proc.returncode, proc.stdout.decode("utf-8", "replace")

    def commit(self, message, path=None, extra=(), timeout=120):
        return self.run("git", "commit", "-m", message, *extra, path=path, timeout=timeout)

    def state(self):
        """Everything a hook must leave alone: index, worktree, HEAD."""
        g = self.repo.git
        files = {}
        for top, dirs, names in os.walk(self.repo.dir):
            dirs[:] = [d for d in dirs if d != ".git"]
            for n in names:
                p = os.path.join(top, n)
                with open(p, "rb") as f:
                    files[os.path.relpath(p, self.repo.dir)] = f.read()
        return (g("status", "--porcelain", "--untracked-files=all"), g("diff"),
                g("diff", "--cached"), g("ls-files", "-s"), g("rev-parse", "HEAD"), files)


class FrameworkCase(TestCase):
    """The pre-commit framework, offline, with its cache in a temporary
    PRE_COMMIT_HOME shared by the class (it clones the hook repository once)."""

    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="agentlint-pre-commit-home-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.home, ignore_errors=True)

    def hooked(self, config):
        h = Hooked(self)
        h.env["PRE_COMMIT_HOME"] = self.home
        h.env["HOME"] = h.tmp
        h.repo.commit_files({".pre-commit-config.yaml": config, "README.md": "agents\n"},
                            "pre-commit config")
        rc, out = h.run("pre-commit", "install")
        self.assertEqual(rc, 0, out)
        return h

    def assert_refused_then_fixed(self, h):
        # A commit with the typo is refused, the finding shown; nothing changes.
        h.repo.write(CFG, TYPO)
        h.repo.add(CFG)
        before = h.state()
        rc, out = h.commit("typo")
        self.assertNotEqual(rc, 0, out)
        self.assertRegex(out, r"agentlint( \(container image\))?\.+Failed")
        self.assertIn(FINDING, out)
        self.assertIn("[unknown-key]", out)
        self.assertEqual(h.state(), before, "the hook changed the index or the working tree")
        self.assertEqual(h.runs(), ["check --staged --changed"])
        # The fixed commit passes.
        h.repo.write(CFG, GOOD)
        h.repo.add(CFG)
        head = h.repo.git("rev-parse", "HEAD")
        rc, out = h.commit("fixed")
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"agentlint( \(container image\))?\.+Passed")
        self.assertNotEqual(h.repo.git("rev-parse", "HEAD"), head)
        self.assertEqual(h.repo.git("status", "--porcelain"), "")
        # A commit that touches no agent config does not run agentlint.
        h.repo.write("README.md", "agents, documented\n")
        h.repo.add("README.md")
        rc, out = h.commit("docs")
        self.assertEqual(rc, 0, out)
        self.assertEqual(len(h.runs()), 2, h.runs())
        self.assertNotIn("Passed", out)
        self.assertNotIn("Failed", out)


class Framework(FrameworkCase):
    def test_readme_config_uses_this_repository(self):
        """The README's .pre-commit-config.yaml with repo: this checkout and
        rev: its HEAD, whose .pre-commit-hooks.yaml defines the hook."""
        with open(os.path.join(ROOT, ".pre-commit-hooks.yaml"), "rb") as f:
            current = f.read()
        committed = subprocess.run(["git", "-C", ROOT, "show", "HEAD:.pre-commit-hooks.yaml"],
                                   stdout=subprocess.PIPE, env=clean_env()).stdout
        self.assertEqual(committed, current, "commit .pre-commit-hooks.yaml: pre-commit reads "
                         "it from this checkout's HEAD")
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], stdout=subprocess.PIPE,
                              env=clean_env(), check=True).stdout.decode().strip()
        config = readme_snippet("pre-commit-config")
        config, n = re.subn(r"(?m)^(\s*- repo:) \S+.*$", r"\1 " + ROOT, config)
        self.assertEqual(n, 1, config)
        config, n = re.subn(r"(?m)^(\s*rev:) \S+.*$", r"\1 " + head, config)
        self.assertEqual(n, 1, config)
        self.assert_refused_then_fixed(self.hooked(config))

    def test_readme_revs_name_the_release_tag(self):
        # `make release` tags vVERSION; every snippet pins that tag.
        with open(os.path.join(ROOT, "Makefile")) as f:
            version = re.search(r"^VERSION\s*:=\s*(\S+)", f.read(), re.M).group(1)
        for name in ("pre-commit-config", "pre-commit-config-docker", "pre-commit-config-build"):
            repo = yaml.safe_load(readme_snippet(name))["repos"][0]
            self.assertEqual(repo["rev"], "v" + version, name)
        self.assertTrue(template_image().endswith(":" + version))

    def test_readme_local_hook(self):
        self.assert_refused_then_fixed(self.hooked(readme_snippet("pre-commit-config-local")))

    def test_local_hook_is_the_published_hook(self):
        published = published_hooks()
        self.assertEqual(sorted(published), ["agentlint", "agentlint-build", "agentlint-docker"])
        local = yaml.safe_load(readme_snippet("pre-commit-config-local"))["repos"][0]["hooks"]
        for key in ("id", "name", "entry", "language", "files", "pass_filenames"):
            self.assertEqual(local[0][key], published["agentlint"][key], key)
        # The packaged snippet (/usr/share/agentlint) is the README's local hook.
        with open(os.path.join(ROOT, "ci", "pre-commit-config.yaml")) as f:
            self.assertEqual(yaml.safe_load(f), yaml.safe_load(readme_snippet(
                "pre-commit-config-local")))
        # Every hook runs on the same files, the same check, as the framework reads them.
        for hook in published.values():
            self.assertEqual(hook["files"], published["agentlint"]["files"])
            self.assertFalse(hook["pass_filenames"])
            self.assertEqual(hook["entry"].split()[1:],
                             published["agentlint"]["entry"].split()[1:], hook)
        proc = subprocess.run(["pre-commit", "validate-manifest",
                               os.path.join(ROOT, ".pre-commit-hooks.yaml")],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.assertEqual(proc.returncode, 0, proc.stdout)

    def readme_hook_config(self, snippet):
        """A README snippet naming agentlint's repository, pointed at this
        checkout and its HEAD (pre-commit reads the hooks from HEAD)."""
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], stdout=subprocess.PIPE,
                              env=clean_env(), check=True).stdout.decode().strip()
        config = readme_snippet(snippet)
        config, n = re.subn(r"(?m)^(\s*- repo:) \S+.*$", r"\1 " + ROOT, config)
        self.assertEqual(n, 1, config)
        config, n = re.subn(r"(?m)^(\s*rev:) \S+.*$", r"\1 " + head, config)
        self.assertEqual(n, 1, config)
        return config

    def test_readme_docker_hook_runs_the_image(self):
        """agentlint-docker, run by the framework with `docker` standing in
        (tests/docker-shim: podman run is refused here): the image the hook
        names, as the caller, the repository at /src, the image's entrypoint
        given `check --staged`. make image-test runs it with the image's file
        system."""
        hook = published_hooks()["agentlint-docker"]
        self.assertEqual(hook["language"], "docker_image")
        image = hook["entry"].split()[0]
        self.assertEqual(image, template_image())
        h = self.hooked(self.readme_hook_config("pre-commit-config-docker"))
        shim = os.path.join(h.tmp, "docker-bin")
        os.makedirs(shim)
        os.symlink(os.path.join(ROOT, "tests", "docker-shim"), os.path.join(shim, "docker"))
        h.log = os.path.join(h.tmp, "docker.log")  # runs() reads what the image was given
        h.env.update({"PATH": shim + os.pathsep + path_without_agentlint(),
                      "DOCKER_SHIM_IMAGE": image, "DOCKER_SHIM_LOG": h.log,
                      "DOCKER_SHIM_AGENTLINT": AGENTLINT})
        for k in ("AGENTLINT_IMAGE_ROOTFS", "IMAGE_ENTRYPOINT"):
            if os.environ.get(k):
                h.env[k] = os.environ[k]
        self.assert_refused_then_fixed(h)
        # Another image (a release not pulled) fails the commit, as docker would.
        h.env["DOCKER_SHIM_IMAGE"] = image + "-other"
        h.repo.write(CFG, GOOD + "    - id: acme/web\n")
        h.repo.add(CFG)
        rc, out = h.commit("other image")
        self.assertNotEqual(rc, 0, out)
        self.assertIn("Unable to find image", out)

    def test_readme_build_hook_builds_this_repository(self):
        """agentlint-build: pre-commit clones this checkout and the hook builds
        agentlint there once (the framework's cache), then runs it."""
        h = self.hooked(self.readme_hook_config("pre-commit-config-build"))
        h.env["PATH"] = path_without_agentlint()
        h.repo.write(CFG, TYPO)
        h.repo.add(CFG)
        rc, out = h.commit("typo", timeout=900)  # the first commit builds agentlint
        self.assertNotEqual(rc, 0, out)
        self.assertIn("building agentlint", out)
        self.assertIn(FINDING, out)
        h.repo.write(CFG, GOOD)
        h.repo.add(CFG)
        rc, out = h.commit("fixed")
        self.assertEqual(rc, 0, out)
        self.assertNotIn("building agentlint", out)
        self.assertRegex(out, r"agentlint \(built from source\)\.+Passed")

    def test_checks_the_index_not_the_working_tree(self):
        h = self.hooked(readme_snippet("pre-commit-config-local"))
        # Staged fix, unstaged typo: the commit records the fix and passes;
        # the typo stays in the working tree, unstaged.
        h.repo.write(CFG, GOOD)
        h.repo.add(CFG)
        h.repo.write(CFG, TYPO)
        rc, out = h.commit("fix staged")
        self.assertEqual(rc, 0, out)
        self.assertEqual(h.repo.git("show", "HEAD:" + CFG) + "\n", GOOD)
        self.assertEqual(h.repo.read(CFG).decode(), TYPO)
        self.assertEqual(h.repo.git("status", "--porcelain"), "M " + CFG)
        # Staged typo, fixed in the working tree only: refused.
        h.repo.add(CFG)
        h.repo.write(CFG, GOOD)
        before = h.state()
        rc, out = h.commit("typo staged")
        self.assertNotEqual(rc, 0, out)
        self.assertIn(FINDING, out)
        self.assertEqual(h.state(), before)

    def test_agent_dir_below_the_top_and_settings_run_the_hook(self):
        h = self.hooked(readme_snippet("pre-commit-config-local"))
        h.repo.write("infra/.gitlab/agents/prod/config.yaml", GOOD)
        h.repo.add("infra")
        rc, out = h.commit("agent below the top")
        self.assertNotEqual(rc, 0, out)  # GitLab never reads it: file-name
        self.assertIn("[file-name]", out)
        h.repo.git("rm", "-rq", "--cached", "infra")
        h.repo.write(".agentlint.yaml", "rules:\n  nonsense: [\n")
        h.repo.add(".agentlint.yaml")
        rc, out = h.commit("settings")
        self.assertNotEqual(rc, 0, out)
        self.assertIn(".agentlint.yaml", out)
        self.assertEqual(len(h.runs()), 2, h.runs())


class PlainHook(TestCase):
    """The hook `agentlint install-hook` writes, run by a real `git commit`."""

    def installed(self):
        """The README's install-hook snippet, run in a fresh repository with
        the agentlint under test first on PATH."""
        h = Hooked(self)
        h.repo.commit_files({"README.md": "agents\n"}, "start")
        bindir = os.path.join(h.tmp, "install-bin")
        os.makedirs(bindir)
        os.symlink(AGENTLINT, os.path.join(bindir, "agentlint"))
        proc = subprocess.run(["sh", "-c", readme_snippet("install-hook")], cwd=h.repo.dir,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=clean_env({"PATH": bindir + os.pathsep
                                             + path_without_agentlint()}))
        res = util.Result(proc)
        self.assertEqual(res.rc, 0, res)
        return h, res

    def hook_path(self, h):
        return os.path.join(h.repo.dir, ".git", "hooks", "pre-commit")

    def test_refuses_a_typo_passes_the_fix_and_is_silent_otherwise(self):
        h, res = self.installed()
        self.assertIn(self.hook_path(h), res.out)
        self.assertTrue(os.stat(self.hook_path(h)).st_mode & stat.S_IXUSR)
        h.repo.write(CFG, TYPO)
        h.repo.add(CFG)
        before = h.state()
        rc, out = h.commit("typo")
        self.assertEqual(rc, 1, out)
        self.assertIn(FINDING, out)
        self.assertIn("[unknown-key]", out)
        self.assertEqual(h.state(), before, "the hook changed the index or the working tree")
        h.repo.write(CFG, GOOD)
        h.repo.add(CFG)
        rc, out = h.commit("fixed", extra=["-q"])
        self.assertEqual(rc, 0, out)
        # A clean run says what it checked (one line), so that it cannot be
        # mistaken for a run that found no config.
        self.assertEqual(out, "agentlint: 1 agent config checked, no findings\n")
        self.assertEqual(h.repo.git("status", "--porcelain"), "")
        self.assertEqual(h.runs(), ["check --staged --changed"] * 2)
        # A commit that touches no agent config: agentlint does not run, and
        # nothing is printed. Also with a broken config already committed.
        h.repo.write(CFG, TYPO)
        h.repo.git("commit", "-q", "--no-verify", "-am", "broken")
        h.repo.write("README.md", "agents, documented\n")
        h.repo.add("README.md")
        rc, out = h.commit("docs", extra=["-q"])
        self.assertEqual((rc, out), (0, ""))
        self.assertEqual(len(h.runs()), 2, h.runs())

    def test_passes_the_exit_status_through(self):
        h, _ = self.installed()
        h.repo.write(".agentlint.yaml", "rules: [\n")
        h.repo.add(".agentlint.yaml")
        rc, out = h.commit("broken settings")
        self.assertEqual(rc, 1, out)  # git reports a failed hook as 1
        hook = self.hook_path(h)
        proc = subprocess.run([hook], cwd=h.repo.dir, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=clean_env(h.env))
        self.assertEqual(proc.returncode, 2, proc)  # agentlint's usage/input error
        self.assertIn(b".agentlint.yaml", proc.stderr)
        h.repo.write(".agentlint.yaml", "rules: {}\n")
        h.repo.write(CFG, TYPO)
        h.repo.add(".agentlint.yaml", CFG)
        proc = subprocess.run([hook], cwd=h.repo.dir, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=clean_env(h.env))
        self.assertEqual(proc.returncode, 1, proc)

    def test_agentlint_not_on_path_uses_the_installing_binary(self):
        h, _ = self.installed()
        with open(self.hook_path(h)) as f:
            self.assertIn("agentlint='%s'" % os.path.realpath(AGENTLINT), f.read())
        h.repo.write(CFG, TYPO)
        h.repo.add(CFG)
        rc, out = h.commit("typo", path=path_without_agentlint())
        self.assertEqual(rc, 1, out)
        self.assertIn(FINDING, out)
        self.assertEqual(h.runs(), [])

    def test_no_agentlint_at_all_refuses_with_a_sentence(self):
        h = Hooked(self)
        h.repo.commit_files({"README.md": "agents\n"}, "start")
        copy = os.path.join(h.tmp, "copy", "agentlint")
        os.makedirs(os.path.dirname(copy))
        shutil.copy(AGENTLINT, copy)
        proc = subprocess.run([copy, "install-hook"], cwd=h.repo.dir, env=clean_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(proc.returncode, 0, proc)
        os.remove(copy)
        h.repo.write(CFG, GOOD)
        h.repo.add(CFG)
        rc, out = h.commit("good", path=path_without_agentlint())
        self.assertEqual(rc, 1, out)
        self.assertIn("agentlint is not on PATH nor at " + copy, out)
        self.assertIn("--no-verify", out)

    def test_refuses_to_overwrite_without_force(self):
        h = Hooked(self)
        hook = self.hook_path(h)
        os.makedirs(os.path.dirname(hook), exist_ok=True)
        with open(hook, "w") as f:
            f.write("#!/bin/sh\nexit 0\n")
        res = run(["install-hook"], cwd=h.repo.dir)
        self.assertEqual(res.rc, 2, res)
        self.assertEqual(res.out, "")
        self.assertEqual(len(res.err.strip().splitlines()), 1, res)
        self.assertIn(hook, res.err)
        self.assertIn("--force", res.err)
        with open(hook) as f:
            self.assertEqual(f.read(), "#!/bin/sh\nexit 0\n")
        res = run(["install-hook", "--force"], cwd=h.repo.dir)
        self.assertEqual(res.rc, 0, res)
        with open(hook) as f:
            self.assertIn("agentlint check --staged --changed", f.read())
        self.assertTrue(os.stat(hook).st_mode & stat.S_IXUSR)
        # Installing the same hook again is a no-op, not a refusal.
        res = run(["install-hook"], cwd=h.repo.dir)
        self.assertEqual(res.rc, 0, res)
        self.assertIn("already installed", res.out)

    def test_names_the_pre_commit_frameworks_hook(self):
        h = Hooked(self)
        h.env["PRE_COMMIT_HOME"] = h.tmp
        rc, out = h.run("pre-commit", "install")
        self.assertEqual(rc, 0, out)
        res = run(["install-hook"], cwd=h.repo.dir)
        self.assertEqual(res.rc, 2, res)
        self.assertIn("pre-commit framework", res.err)
        self.assertIn(".pre-commit-config.yaml", res.err)

    def test_writes_nothing_but_the_hook(self):
        h = Hooked(self)
        h.repo.commit_files({CFG: GOOD, "README.md": "x\n"}, "start")
        h.repo.write(CFG, TYPO)  # unstaged change
        h.repo.write("new.txt", "untracked\n")
        git_dir = os.path.join(h.repo.dir, ".git")

        def snapshot():
            out = {}
            for top, _, names in os.walk(h.repo.dir):
                for n in names:
                    p = os.path.join(top, n)
                    with open(p, "rb") as f:
                        out[os.path.relpath(p, h.repo.dir)] = f.read()
            return out

        before = snapshot()
        state = h.state()
        res = run(["install-hook", "-C", os.path.join(h.repo.dir, ".gitlab")])
        self.assertEqual(res.rc, 0, res)
        after = snapshot()
        self.assertEqual(h.state(), state)
        added = set(after) - set(before)
        self.assertEqual(added, {".git/hooks/pre-commit"})
        self.assertEqual({k for k in before if before[k] != after.get(k)}, set())
        self.assertTrue(os.path.isdir(git_dir))

    def test_core_hooks_path_relative_and_absolute(self):
        h = Hooked(self)
        h.repo.commit_files({"README.md": "x\n"}, "start")
        h.repo.git("config", "core.hooksPath", "githooks")
        res = run(["install-hook"], cwd=os.path.join(h.repo.dir))
        self.assertEqual(res.rc, 0, res)
        hook = os.path.join(h.repo.dir, "githooks", "pre-commit")
        self.assertTrue(os.path.isfile(hook), res)
        self.assertFalse(os.path.exists(self.hook_path(h)))
        h.repo.write(CFG, TYPO)
        h.repo.add(CFG)
        rc, out = h.commit("typo")
        self.assertEqual(rc, 1, out)
        self.assertIn(FINDING, out)
        # An absolute core.hooksPath elsewhere (created if missing), and
        # ~/ expanded as git does.
        shared = os.path.join(h.tmp, "shared", "hooks")
        h.repo.git("config", "core.hooksPath", shared)
        res = run(["install-hook"], cwd=h.repo.dir)
        self.assertEqual(res.rc, 0, res)
        self.assertTrue(os.path.isfile(os.path.join(shared, "pre-commit")))
        rc, out = h.commit("typo")
        self.assertEqual(rc, 1, out)
        h.repo.git("config", "core.hooksPath", "~/myhooks")
        res = run(["install-hook"], cwd=h.repo.dir, env={"HOME": h.tmp})
        self.assertEqual(res.rc, 0, res)
        self.assertTrue(os.path.isfile(os.path.join(h.tmp, "myhooks", "pre-commit")), res)

    def test_worktree_installs_in_the_shared_hooks_directory(self):
        h = Hooked(self)
        h.repo.commit_files({"README.md": "x\n"}, "start")
        wt = os.path.join(self.tmpdir(), "wt")
        h.repo.git("worktree", "add", "-q", "-b", "topic", wt)
        res = run(["install-hook", "-C", wt])
        self.assertEqual(res.rc, 0, res)
        self.assertTrue(os.path.isfile(self.hook_path(h)), res)
        os.makedirs(os.path.join(wt, os.path.dirname(CFG)))
        with open(os.path.join(wt, CFG), "w") as f:
            f.write(TYPO)
        proc = subprocess.run(["git", "-C", wt, "add", CFG], env=clean_env())
        self.assertEqual(proc.returncode, 0)
        proc = subprocess.run(["git", "-C", wt, "commit", "-m", "typo"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env=clean_env(h.env))
        self.assertEqual(proc.returncode, 1, proc.stdout)
        self.assertIn(FINDING, proc.stdout.decode())

    def test_usage_errors(self):
        bare = self.repo(bare=True)
        res = run(["install-hook", "-C", bare.dir])
        self.assertEqual(res.rc, 2, res)
        self.assertIn("bare repository", res.err)
        self.assertFalse(os.path.exists(os.path.join(bare.dir, "hooks", "pre-commit")))
        res = run(["install-hook", "-C", self.tmpdir()])
        self.assertEqual(res.rc, 2, res)
        self.assertIn("not a git repository", res.err)
        res = run(["install-hook", "--staged"])
        self.assertEqual(res.rc, 2, res)
        res = run(["install-hook", "extra"], cwd=self.repo().dir)
        self.assertEqual(res.rc, 2, res)


    def test_a_commit_is_judged_by_the_agents_it_changes(self):
        """A broken prod config already committed does not block a commit to
        staging, nor print prod's findings; a commit to prod is refused; the
        framework's hook reports the same scope, and --all everything."""
        h, _ = self.installed()
        staging = ".gitlab/agents/staging/config.yaml"
        h.repo.write(CFG, TYPO)
        h.repo.write(staging, GOOD)
        h.repo.git("add", "-A")
        h.repo.git("commit", "-q", "--no-verify", "-m", "broken prod")
        h.repo.write(staging, GOOD + "# a comment\n")
        h.repo.add(staging)
        rc, out = h.commit("comment on staging")
        self.assertEqual(rc, 0, out)
        self.assertNotIn("unknown key", out)
        self.assertIn("1 finding(s) in agents this change does not touch not shown", out)
        h.repo.write(CFG, TYPO + "# still broken\n")
        h.repo.add(CFG)
        rc, out = h.commit("touch prod")
        self.assertEqual(rc, 1, out)
        self.assertIn("[unknown-key]", out)
        # --all overrides the hook's --changed
        res = h.repo.agentlint("check", "--staged", "--changed", "--all")
        self.assertEqual(res.rc, 1, res)
        self.assertIn("[unknown-key]", res.out)

    def test_first_commit_checks_everything(self):
        h = Hooked(self)
        h.repo.write(CFG, TYPO)
        h.repo.add(CFG)
        res = h.repo.agentlint("check", "--staged", "--changed")
        self.assertEqual(res.rc, 1, res)
        self.assertIn("[unknown-key]", res.out)

class CommitAll(FrameworkCase):
    """`git commit -a` (and `git commit PATH`) stage into a temporary index that
    git names in GIT_INDEX_FILE for the hook: `agentlint check --staged` must
    read that one, not .git/index, or the typo is committed."""

    def test_commit_all_with_the_plain_hook(self):
        h = Hooked(self)
        h.repo.commit_files({CFG: GOOD}, "start")
        run(["install-hook"], cwd=h.repo.dir)
        h.repo.write(CFG, TYPO)
        rc, out = h.commit("typo", extra=["-a"])
        self.assertEqual(rc, 1, out)
        self.assertIn(FINDING, out)

    def test_commit_all_with_the_framework(self):
        h = self.hooked(readme_snippet("pre-commit-config-local"))
        h.repo.write(CFG, GOOD)
        h.repo.add(CFG)
        rc, out = h.commit("good")
        self.assertEqual(rc, 0, out)
        h.repo.write(CFG, TYPO)
        rc, out = h.commit("typo", extra=["-a"])
        self.assertNotEqual(rc, 0, out)
        self.assertIn(FINDING, out)


if __name__ == "__main__":
    unittest.main()
