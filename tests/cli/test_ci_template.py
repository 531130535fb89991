"""The GitLab CI template (ci/agentlint.gitlab-ci.yml), run by the real
`gitlab-ci-local` (shell executor) on throw-away repositories whose
.gitlab-ci.yml is the README's snippet, including the template locally.
CITemplate: agentlint installed (on the job's PATH, as in agentlint's image or
on a shell runner with the package; `make image-test` runs it with the image's
own file system). FromSource: the documented fallback, built from this
checkout's HEAD once per class; later jobs find it in the template's cache
directory, as a GitLab runner restores it. The Debian-package way is run in a
fresh Debian root by `make deb-test`."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

import yaml

from util import (AGENTLINT, ROOT, TestCase, clean_env, path_without_agentlint,
                  readme_snippet, run)

GCL = os.path.join(ROOT, "tests", ".clients", "node_modules", ".bin", "gitlab-ci-local")
TEMPLATE = os.path.join(ROOT, "ci", "agentlint.gitlab-ci.yml")
ORIGIN = "git@gitlab.example.com:acme/platform/agents.git"
CFG = ".gitlab/agents/prod/config.yaml"
TYPO = "ci_access:\n  project:\n    - id: acme/app\n"
GOOD = "ci_access:\n  projects:\n    - id: acme/app\n"
CACHE = ".agentlint-ci"
REPORTS = ("agentlint.sarif", "gl-code-quality-report.json", "agentlint-junit.xml")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def source_commit():
    return subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], stdout=subprocess.PIPE,
                          env=clean_env(), check=True).stdout.decode().strip()


def makefile_version():
    with open(os.path.join(ROOT, "Makefile")) as f:
        return re.search(r"^VERSION\s*:=\s*(\S+)", f.read(), re.M).group(1)


def ci_config(shell_executor=True, source=False):
    """The README's .gitlab-ci.yml: the template included from this checkout
    (a local include instead of the remote one); with `source`, the README's
    build-from-source variables naming this checkout and its HEAD. For
    gitlab-ci-local's shell executor, the jobs' image is unset (it would run
    them in docker otherwise)."""
    config = yaml.safe_load(readme_snippet("gitlab-ci"))
    assert set(config) == {"include", "variables"}, config
    assert len(config["include"]) == 1, config
    assert config["include"][0]["remote"].endswith("/ci/agentlint.gitlab-ci.yml"), config
    config["include"] = [{"local": "ci/agentlint.gitlab-ci.yml"}]
    if source:
        config["variables"].update(yaml.safe_load(readme_snippet("gitlab-ci-source"))["variables"])
        config["variables"]["AGENTLINT_REPO"] = ROOT
        config["variables"]["AGENTLINT_REF"] = source_commit()
    if shell_executor:
        config[".agentlint"] = {"image": None}
    return yaml.safe_dump(config, sort_keys=False)


class Job:
    def __init__(self, name, repo_dir, proc):
        self.name = name
        self.output = ANSI.sub("", proc.stdout.decode("utf-8", "replace"))
        log = os.path.join(repo_dir, ".gitlab-ci-local", "output", name + ".log")
        self.log = ""
        if os.path.exists(log):
            with open(log, encoding="utf-8", errors="replace") as f:
                self.log = ANSI.sub("", f.read())
        self.artifacts = os.path.join(repo_dir, ".gitlab-ci-local", "artifacts", name)
        if re.search(r"^\s*PASS\s+%s\s*$" % re.escape(name), self.output, re.M):
            self.status = 0
        else:
            m = re.search(r"FAIL (\d+)", self.output)
            self.status = int(m.group(1)) if m else None

    def artifact(self, name):
        with open(os.path.join(self.artifacts, name), "rb") as f:
            return f.read()

    def __repr__(self):
        return "job %s: status %s\n%s" % (self.name, self.status, self.output)


class TemplateCase(TestCase):
    SOURCE = False  # True: built from source; False: agentlint on the job's PATH

    @classmethod
    def setUpClass(cls):
        if not os.access(GCL, os.X_OK):
            raise RuntimeError("gitlab-ci-local is missing: run tests/setup-clients.sh")
        cls.home = tempfile.mkdtemp(prefix="agentlint-gcl-home-")
        cls.cache = os.path.join(cls.home, "cache")
        # Installed: the agentlint under test is on the job's PATH.
        cls.bindir = os.path.join(cls.home, "bin")
        os.makedirs(cls.bindir)
        os.symlink(AGENTLINT, os.path.join(cls.bindir, "agentlint"))
        try:
            cls.build_once()
        except BaseException:
            shutil.rmtree(cls.home, ignore_errors=True)
            raise

    @classmethod
    def build_once(cls):
        """The first job: a clean config on the default branch (from source,
        the one build; its cache directory seeds every later job's)."""
        repo = cls.make_repo({CFG: GOOD}, cache=False)
        try:
            cls.first = cls.run_job(repo, "agentlint-check")
            cls.first_repo_files = sorted(os.listdir(repo))
            if os.path.isdir(os.path.join(repo, CACHE)):
                shutil.copytree(os.path.join(repo, CACHE), cls.cache)
            cls.first_reports = {}
            for name in REPORTS:
                p = os.path.join(cls.first.artifacts, name)
                if os.path.exists(p):
                    with open(p, "rb") as f:
                        cls.first_reports[name] = f.read()
        finally:
            shutil.rmtree(repo, ignore_errors=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.home, ignore_errors=True)

    # -- helpers (class methods: setUpClass uses them too) --
    @classmethod
    def make_repo(cls, files, cache=True, origin=ORIGIN):
        """A throw-away agent configuration repository with the README's CI
        configuration and `files`, committed on main."""
        d = tempfile.mkdtemp(prefix="agentlint-ci-")
        try:
            cls.fill_repo(d, files, cache, origin)
        except BaseException:
            shutil.rmtree(d, ignore_errors=True)
            raise
        return d

    @classmethod
    def fill_repo(cls, d, files, cache, origin):
        git = lambda *a: subprocess.run(["git", "-C", d] + list(a), env=clean_env(), check=True,
                                        stdout=subprocess.DEVNULL)
        git("init", "-q", "-b", "main")
        git("remote", "add", "origin", origin)
        os.makedirs(os.path.join(d, "ci"), exist_ok=True)
        shutil.copy(TEMPLATE, os.path.join(d, "ci", "agentlint.gitlab-ci.yml"))
        with open(os.path.join(d, ".gitlab-ci.yml"), "w") as f:
            f.write(ci_config(source=cls.SOURCE))
        for rel, content in files.items():
            os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
            with open(os.path.join(d, rel), "w") as f:
                f.write(content)
        git("add", "-A")
        git("commit", "-q", "-m", "agents")
        if cache and os.path.isdir(cls.cache):
            shutil.copytree(cls.cache, os.path.join(d, CACHE))

    @classmethod
    def gcl(cls, repo, *args, variables=None, unset=(), installed=True):
        cmd = [GCL, "--home", cls.home, "--no-color",
               "--shell-executor-no-image"] + list(args)
        for k, v in (variables or {}).items():
            cmd += ["--variable", "%s=%s" % (k, v)]
        for k in unset:
            cmd += ["--unset-variable", k]
        path = path_without_agentlint()
        if installed and not cls.SOURCE:
            path = cls.bindir + os.pathsep + path
        env = clean_env({"PATH": path, "HOME": cls.home})
        for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "AGENTLINT"):
            env.pop(k, None)
        return subprocess.run(cmd, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env=env, timeout=600)

    @classmethod
    def run_job(cls, repo, name, variables=None, unset=(), installed=True):
        proc = cls.gcl(repo, "--json-schema-validation=false", name, variables=variables,
                        unset=unset, installed=installed)
        return Job(name, repo, proc)

    def jobs(self, repo, variables=None, unset=(), validate=False):
        """The jobs a pipeline would run (rules evaluated)."""
        args = ["--list-csv"]
        if validate:
            # The configuration users have, image and all, validated against
            # GitLab's schema.
            with open(os.path.join(repo, "validate.gitlab-ci.yml"), "w") as f:
                f.write(ci_config(shell_executor=False, source=self.SOURCE))
            args += ["--file", "validate.gitlab-ci.yml"]
        else:
            args.append("--json-schema-validation=false")
        proc = self.gcl(repo, *args, variables=variables, unset=unset)
        out = proc.stdout.decode()
        self.assertEqual(proc.returncode, 0, out)
        if validate:
            self.assertIn("json schema validated", out)
        rows = [line.split(";") for line in out.splitlines() if line.startswith('"agentlint')
                or line.startswith("agentlint")]
        return sorted(r[0].strip('"') for r in rows)

    def assert_clean_reports(self):
        """The first job's reports: all three, no finding, the one config."""
        self.assertEqual(sorted(self.first_reports), sorted(REPORTS), self.first)
        self.assertEqual(json.loads(self.first_reports["gl-code-quality-report.json"]), [])
        sarif = json.loads(self.first_reports["agentlint.sarif"])
        self.assertEqual(sarif["version"], "2.1.0")
        self.assertEqual(sarif["runs"][0]["results"], [])
        suites = ET.fromstring(self.first_reports["agentlint-junit.xml"])
        self.assertEqual(suites.get("failures"), "0")
        self.assertEqual([c.get("name") for c in suites.iter("testcase")], [CFG])

    def repo_for(self, files, **kw):
        d = self.make_repo(files, **kw)
        self.addCleanup(shutil.rmtree, d, True)
        return d

    def mr(self, base, extra=None):
        """Variables of a merge-request pipeline (CI_COMMIT_BRANCH is unset there)."""
        v = {"CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_IID": "7",
             "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
             "CI_MERGE_REQUEST_PROJECT_PATH": "acme/platform/agents",
             "CI_MERGE_REQUEST_PROJECT_URL": "https://gitlab.example.com/acme/platform/agents",
             "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "topic",
             "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}
        v.update(extra or {})
        return v



class CITemplate(TemplateCase):
    # -- check --
    def test_installed_agentlint_and_a_clean_config_passes(self):
        job = self.first
        self.assertEqual(job.status, 0, job)
        self.assertIn("agentlint " + makefile_version(), job.log)
        self.assertNotIn("building", job.log)
        self.assertNotIn("installing", job.log)
        self.assertNotIn(CACHE, self.first_repo_files)
        self.assert_clean_reports()

    def test_no_agentlint_and_no_way_to_get_it_says_what_to_set(self):
        repo = self.repo_for({CFG: GOOD})
        job = self.run_job(repo, "agentlint-check", installed=False)
        self.assertEqual(job.status, 2, job)
        self.assertIn("agentlint is not in this job's image; set AGENTLINT_IMAGE", job.log)
        self.assertNotIn("agentlint-junit.xml", os.listdir(job.artifacts)
                         if os.path.isdir(job.artifacts) else [])

    def test_readme_pins_one_release(self):
        # The include, the image and the package name the Makefile's release.
        version = makefile_version()
        config = yaml.safe_load(readme_snippet("gitlab-ci"))
        self.assertIn("/-/raw/v%s/" % version, config["include"][0]["remote"])
        self.assertTrue(config["variables"]["AGENTLINT_IMAGE"].endswith(":" + version))
        deb = yaml.safe_load(readme_snippet("gitlab-ci-deb"))["variables"]
        self.assertTrue(deb["AGENTLINT_DEB_URL"].endswith("/agentlint_%s_amd64.deb" % version))
        self.assertEqual(yaml.safe_load(readme_snippet("gitlab-ci-source"))["variables"]
                         ["AGENTLINT_REF"], "v" + version)
        with open(TEMPLATE) as f:
            template = yaml.safe_load(f)
        self.assertEqual(template["variables"]["AGENTLINT_IMAGE"],
                         config["variables"]["AGENTLINT_IMAGE"])
        self.assertEqual(template[".agentlint"]["image"],
                         {"name": "$AGENTLINT_IMAGE", "entrypoint": [""]})

    def test_typo_fails_with_the_finding_in_the_log_and_reports(self):
        repo = self.repo_for({CFG: TYPO})
        job = self.run_job(repo, "agentlint-check")
        self.assertEqual(job.status, 1, job)
        self.assertNotIn("building", job.log)  # the cached build
        self.assertIn(CFG + ':2:3: error: unknown key "project"', job.log)
        self.assertIn("[unknown-key]", job.log)
        cq = json.loads(job.artifact("gl-code-quality-report.json"))
        self.assertEqual(len(cq), 1, cq)
        self.assertEqual(cq[0]["check_name"], "unknown-key")
        self.assertEqual(cq[0]["severity"], "major")
        self.assertEqual(cq[0]["location"]["path"], CFG)
        self.assertEqual(cq[0]["location"]["lines"]["begin"], 2)
        suites = ET.fromstring(job.artifact("agentlint-junit.xml"))
        self.assertEqual(suites.get("failures"), "1")
        failure = next(suites.iter("failure"))
        self.assertIn("unknown key", failure.get("message") + (failure.text or ""))
        sarif = json.loads(job.artifact("agentlint.sarif"))
        result = sarif["runs"][0]["results"][0]
        self.assertEqual(result["ruleId"], "unknown-key")
        region = result["locations"][0]["physicalLocation"]["region"]
        self.assertEqual((region["startLine"], region["startColumn"]), (2, 3))
        self.assertEqual(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                         CFG)

    def test_merge_request_pipeline_fails_on_the_typo(self):
        repo = self.repo_for({CFG: GOOD})
        base = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], stdout=subprocess.PIPE,
                              check=True).stdout.decode().strip()
        with open(os.path.join(repo, CFG), "w") as f:
            f.write(TYPO)
        subprocess.run(["git", "-C", repo, "commit", "-qam", "typo"], env=clean_env(), check=True)
        job = self.run_job(repo, "agentlint-check", variables=self.mr(base),
                           unset=["CI_COMMIT_BRANCH"])
        self.assertEqual(job.status, 1, job)
        self.assertIn(CFG + ":2:3:", job.log)

    def test_check_args_and_warnings(self):
        # A warning does not fail the job, unless AGENTLINT_CHECK_ARGS says so.
        cfg = GOOD + "---\nci_access: {}\n"
        repo = self.repo_for({CFG: cfg})
        job = self.run_job(repo, "agentlint-check")
        self.assertEqual(job.status, 0, job)
        cq = json.loads(job.artifact("gl-code-quality-report.json"))
        self.assertEqual([i["check_name"] for i in cq], ["extra-document"], cq)
        self.assertEqual(cq[0]["severity"], "minor")
        job = self.run_job(repo, "agentlint-check",
                           variables={"AGENTLINT_CHECK_ARGS": "--fail-on warning"})
        self.assertEqual(job.status, 1, job)

    def test_configuration_project_of_a_fork_merge_request(self):
        """In a fork's pipeline CI_PROJECT_PATH is the fork's; agentlint takes
        the configuration project from CI_MERGE_REQUEST_PROJECT_PATH."""
        cfg = "ci_access:\n  projects:\n    - id: acme/app\n"
        repo = self.repo_for({CFG: cfg}, origin="git@gitlab.example.com:forker/agents.git")
        base = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], stdout=subprocess.PIPE,
                              check=True).stdout.decode().strip()
        job = self.run_job(repo, "agentlint-check", variables=self.mr(base),
                           unset=["CI_COMMIT_BRANCH"])
        self.assertEqual(job.status, 0, job)
        self.assertEqual(json.loads(job.artifact("gl-code-quality-report.json")), [])
        job = self.run_job(repo, "agentlint-check")  # the fork's own branch pipeline
        cq = json.loads(job.artifact("gl-code-quality-report.json"))
        self.assertEqual([i["check_name"] for i in cq], ["namespace"], cq)

    # -- which jobs run where --
    def test_rules(self):
        repo = self.repo_for({CFG: GOOD})
        self.assertEqual(self.jobs(repo, validate=True), ["agentlint-check"])
        self.assertEqual(self.jobs(repo, self.mr("0" * 40), unset=["CI_COMMIT_BRANCH"]),
                         ["agentlint-check", "agentlint-diff"])
        self.assertEqual(self.jobs(repo, self.mr("0" * 40), unset=["CI_COMMIT_BRANCH"],
                                   validate=True), ["agentlint-check", "agentlint-diff"])
        # A branch with an open merge request: its merge-request pipeline checks.
        self.assertEqual(self.jobs(repo, {"CI_OPEN_MERGE_REQUESTS": "acme/platform/agents!7"}),
                         [])
        # A tag pipeline: nothing to review.
        self.assertEqual(self.jobs(repo, {"CI_COMMIT_TAG": "v1"}, unset=["CI_COMMIT_BRANCH"]),
                         [])
        self.assertEqual(self.jobs(repo, {"AGENTLINT_DISABLED": "true"}), [])
        self.assertEqual(self.jobs(repo, self.mr("0" * 40, {"AGENTLINT_DISABLED": "true"}),
                                   unset=["CI_COMMIT_BRANCH"]), [])

    # -- diff --
    def shallow_mr(self, base_files, head_files):
        """A merge request's clone as a runner makes it: shallow (depth 1, the
        base commit absent), origin a repository that has the base."""
        upstream = self.repo_for(base_files)
        git = lambda d, *a: subprocess.run(["git", "-C", d] + list(a), env=clean_env(),
                                           check=True, stdout=subprocess.PIPE).stdout.decode()
        base = git(upstream, "rev-parse", "HEAD").strip()
        git(upstream, "checkout", "-q", "-b", "topic")
        for rel, content in head_files.items():
            with open(os.path.join(upstream, rel), "w") as f:
                f.write(content)
        git(upstream, "commit", "-qam", "head")
        git(upstream, "checkout", "-q", "main")
        clone = tempfile.mkdtemp(prefix="agentlint-ci-clone-")
        self.addCleanup(shutil.rmtree, clone, True)
        subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "topic",
                        "file://" + upstream, clone], env=clean_env(), check=True)
        # gitlab-ci-local takes the project's path from gcl-origin when there is one.
        git(clone, "remote", "add", "gcl-origin", ORIGIN)
        if os.path.isdir(self.cache):
            shutil.copytree(self.cache, os.path.join(clone, CACHE))
        return clone, base

    def test_diff_fetches_the_base_of_a_shallow_clone(self):
        clone, base = self.shallow_mr({CFG: GOOD}, {CFG: GOOD + "    - id: acme/web\n"})
        probe = subprocess.run(["git", "-C", clone, "cat-file", "-e", base + "^{commit}"],
                               stderr=subprocess.DEVNULL)
        self.assertNotEqual(probe.returncode, 0, "the base should be missing before the job")
        job = self.run_job(clone, "agentlint-diff", variables=self.mr(base),
                           unset=["CI_COMMIT_BRANCH"])
        self.assertNotIn("cannot fetch", job.log, job)
        probe = subprocess.run(["git", "-C", clone, "cat-file", "-e", base + "^{commit}"])
        self.assertEqual(probe.returncode, 0, job)
        self.assertEqual(job.status, 0, job)
        self.assertIn("acme/web", job.artifact("agentlint-access.md").decode())

    def test_diff_without_a_reachable_base_says_so(self):
        repo = self.repo_for({CFG: GOOD})
        # Nothing to fetch from: origin's ssh and the project's URL fail at once.
        mr = self.mr("1" * 40, {"CI_MERGE_REQUEST_PROJECT_URL": "file:///nonexistent",
                                "GIT_SSH_COMMAND": "false"})
        job = self.run_job(repo, "agentlint-diff", variables=mr, unset=["CI_COMMIT_BRANCH"])
        self.assertEqual(job.status, 2, job)
        self.assertIn("cannot fetch the merge request's base commit " + "1" * 40, job.log)
        self.assertIn("GIT_DEPTH: 0", job.log)

    def test_diff_summary_and_fail_on_widen(self):
        repo = self.repo_for({CFG: GOOD})
        git = lambda *a: subprocess.run(["git", "-C", repo] + list(a), env=clean_env(),
                                        check=True, stdout=subprocess.PIPE).stdout.decode()
        base = git("rev-parse", "HEAD").strip()
        with open(os.path.join(repo, CFG), "w") as f:
            f.write(GOOD + "    - id: acme/web\n")
        git("commit", "-qam", "widen")
        mr = self.mr(base)
        job = self.run_job(repo, "agentlint-diff", variables=mr, unset=["CI_COMMIT_BRANCH"])
        self.assertEqual(job.status, 0, job)
        summary = job.artifact("agentlint-access.md").decode()
        self.assertIn("acme/web", summary)
        self.assertIn("acme/web", job.log)
        mr["AGENTLINT_FAIL_ON_WIDEN"] = "true"
        job = self.run_job(repo, "agentlint-diff", variables=mr, unset=["CI_COMMIT_BRANCH"])
        self.assertEqual(job.status, 1, job)
        self.assertIn("acme/web", job.artifact("agentlint-access.md").decode())
        # Narrowing does not fail.
        with open(os.path.join(repo, CFG), "w") as f:
            f.write("ci_access:\n  projects:\n    - id: acme/app\n"
                    "      environments: [production]\n")
        git("commit", "-qam", "narrow")
        job = self.run_job(repo, "agentlint-diff", variables=self.mr(
            git("rev-parse", "HEAD~1").strip(), {"AGENTLINT_FAIL_ON_WIDEN": "true"}),
            unset=["CI_COMMIT_BRANCH"])
        self.assertEqual(job.status, 0, job)


class FromSource(TemplateCase):
    """The fallback: AGENTLINT_REPO and AGENTLINT_REF, built in the job."""
    SOURCE = True

    def test_builds_from_source_and_a_clean_config_passes(self):
        job = self.first
        self.assertEqual(job.status, 0, job)
        self.assertIn("building %s at %s" % (ROOT, source_commit()), job.log)
        self.assertIn("agentlint " + makefile_version(), job.log)
        self.assertNotIn("installing", job.log)  # dpkg says the packages are there
        self.assertIn(CACHE, self.first_repo_files)
        # What a job that finds the binary cached installs (Debian 12's names).
        with open(os.path.join(self.cache, "runtime-packages")) as f:
            runtime = f.read().split()
        for p in ("libfyaml0", "libyaml-0-2", "libgit2-1.5"):
            self.assertIn(p, runtime)
        self.assert_clean_reports()

    def test_cached_build_is_not_built_again(self):
        repo = self.repo_for({CFG: TYPO})
        job = self.run_job(repo, "agentlint-check")
        self.assertEqual(job.status, 1, job)
        self.assertNotIn("building", job.log)
        self.assertIn("[unknown-key]", job.log)

    def test_without_source_variables_it_says_what_to_set(self):
        repo = self.repo_for({CFG: GOOD}, cache=False)
        job = self.run_job(repo, "agentlint-check", unset=["AGENTLINT_REPO"])
        self.assertEqual(job.status, 2, job)
        self.assertIn("set both AGENTLINT_REPO", job.log)


if __name__ == "__main__":
    unittest.main()
