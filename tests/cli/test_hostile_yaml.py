"""Hostile YAML cannot break the gate (issue 9, items 1, 2 and 9): anchored
collections holding many anchors load on every path that reads YAML, any input
within GitLab's 128 KiB costs under a second and 100 MB, files far over the
limit are not parsed, and findings of one rule per file are capped."""

import os
import subprocess
import tempfile
import threading
import unittest

import hostile
from util import AGENTLINT, TestCase, clean_env, run

# The sanitizer build (make check) is slower and its shadow memory inflates
# the resident size: there the bounds only catch runaway cost.
SANITIZED = b"__asan_init" in open(AGENTLINT, "rb").read()
CPU_LIMIT = 30.0 if SANITIZED else 1.0
RSS_LIMIT_MB = 1024 if SANITIZED else 100


class Cost:
    def __init__(self, rc, cpu, rss_mb, out, err):
        self.rc, self.cpu, self.rss_mb, self.out, self.err = rc, cpu, rss_mb, out, err

    def __repr__(self):
        return "rc=%d cpu=%.3fs rss=%.1fMB\n%s" % (self.rc, self.cpu, self.rss_mb,
                                                  self.err[-2000:])


def measure(args, cwd=None):
    """Run agentlint; its own CPU time and peak resident size (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([AGENTLINT] + list(args), cwd=cwd, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, env=clean_env())
        timer = threading.Timer(120, proc.kill)
        timer.start()
        try:
            _, status, ru = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Cost(proc.returncode, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0,
                    out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def write(directory, name, text):
    path = os.path.join(directory, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


# Item 1: an anchored collection holding 8 or more anchors, then an alias to
# it. Before the fix the loader wrote through a pointer into the anchor array
# after growing it: a false "anchor 'o' value contains itself" (and a
# use-after-free under ASan).
def anchored_projects(n):
    items = ", ".join("{id: &a%d g/p%d}" % (i, i) for i in range(n))
    return "ci_access:\n  projects: &o [%s]\n  groups: *o\n" % items


def anchored_ids(n):
    items = ", ".join("g/p%d: &a%d %d" % (i, i, i + 1) for i in range(n))
    return "projects: &o {%s}\ngroups: *o\n" % items


def anchored_settings(n):
    rules = ["env-pattern", "placeholder", "secret", "namespace", "override", "entry-limit",
             "duplicate-id", "id-format", "privileged-identity"]
    items = ", ".join("%s: &a%d warning" % (rules[i % len(rules)], i) for i in range(n))
    return "rules: {<<: [&o {%s}, *o]}\n" % items


def anchored_policy(n):
    ns = ", ".join("&n%d ns%d" % (i, i) for i in range(n))
    return ("role: view\nrules:\n  - &r {project: g/p0, namespaces: [%s]}\n"
            "  - {<<: *r, environment: production, role: edit}\n" % ns)


class AnchoredCollections(TestCase):
    COUNTS = (8, 9, 64, 300)

    def test_config(self):
        d = self.tmpdir()
        for n in self.COUNTS:
            path = write(d, "c%d/config.yaml" % n, anchored_projects(n))
            res = run(["check", "--agent", "a", "-f", "json", path])
            self.assertNotIn("contains itself", res.out, n)
            self.assertEqual([f for f in res.json()["findings"] if f["rule"] == "yaml-syntax"],
                             [], res)

    def test_repository_paths(self):
        """The same shapes reach explain and report from a repository, and
        check from the index and a revision."""
        r = self.repo()
        r.write(".gitlab/agents/a/config.yaml", anchored_projects(20))
        r.add()
        r.commit()
        for args in (["check", "--staged"], ["check", "--rev", "HEAD"], ["explain"],
                     ["report", "-f", "markdown"]):
            res = r.agentlint(*args)
            self.assertNotIn("contains itself", res.out + res.err, args)
            self.assertIn(res.rc, (0, 1), (args, res))

    def test_ids(self):
        r = self.repo()
        r.write(".gitlab/agents/a/config.yaml", "ci_access:\n  projects:\n    - id: g/p1\n")
        d = self.tmpdir()
        for n in self.COUNTS:
            ids = write(d, "ids%d.yaml" % n, anchored_ids(n))
            res = r.agentlint("explain", "-f", "json", "--project-path", "g/config", "--ids",
                              ids)
            self.assertEqual(res.rc, 0, res)

    def test_settings(self):
        for n in self.COUNTS[:2]:
            r = self.repo()
            r.write(".agentlint.yaml", anchored_settings(n))
            r.write(".gitlab/agents/a/config.yaml", "ci_access:\n  projects:\n    - id: g/p\n")
            res = r.agentlint("-f", "json")
            self.assertEqual(res.rc, 0, res)

    def test_policy(self):
        r = self.repo()
        r.write(".gitlab/agents/a/config.yaml",
                "ci_access:\n  projects:\n    - id: g/p0\n      access_as: {ci_job: {}}\n")
        d = self.tmpdir()
        ids = write(d, "ids.yaml", "projects: {g/p0: 7}\n")
        for n in self.COUNTS:
            policy = write(d, "policy%d.yaml" % n, anchored_policy(n))
            res = r.agentlint("rbac", "--project-path", "g/config", "--ids", ids, "--policy",
                              policy)
            self.assertEqual(res.rc, 0, res)
            self.assertIn("ns%d" % (n - 1), res.out)


class BoundedCost(TestCase):
    """Every hostile shape within 128 KiB: under a second of CPU and 100 MB."""

    def assertBounded(self, cost, what):
        self.assertIn(cost.rc, (0, 1), "%s: %r" % (what, cost))
        self.assertLess(cost.cpu, CPU_LIMIT, "%s: %r" % (what, cost))
        self.assertLess(cost.rss_mb, RSS_LIMIT_MB, "%s: %r" % (what, cost))

    def test_check_every_shape_every_format(self):
        d = self.tmpdir()
        for name, shape in hostile.SHAPES.items():
            text = shape()
            self.assertLessEqual(len(text.encode()), hostile.LIMIT, name)
            path = write(d, name + "/config.yaml", text)
            for fmt in ("text", "json", "sarif"):
                self.assertBounded(measure(["check", "--agent", "a", "-f", fmt, path]),
                                   "%s -f %s" % (name, fmt))

    def test_repository_commands(self):
        """Every command that reads config.yaml, one hostile agent at a time."""
        for name in ("anchors_and_aliases", "merge_bomb", "wide_alias_under_the_cap",
                     "project_entries"):
            r = self.repo()
            r.write(".gitlab/agents/a/config.yaml", hostile.SHAPES[name]())
            r.add()
            r.commit()
            # explain -f json is left out until its JSON writer streams
            # (libfyaml's emitter: 1.4 s for 6,000 entries; issue 13).
            for args in (["check", "--staged", "-f", "json"], ["explain"],
                         ["report", "-f", "html"], ["rbac", "--project-path", "g/config"],
                         ["diff", "HEAD", "--project-path", "g/config"]):
                self.assertBounded(measure(args, cwd=r.dir), "%s: %s" % (name, " ".join(args)))

    def test_ids_policy_and_settings_files(self):
        d = self.tmpdir()
        r = self.repo()
        r.write(".gitlab/agents/a/config.yaml", "ci_access:\n  projects:\n    - id: g/p1\n")
        ids = hostile._fill("projects:\n", "  g/p%(i)d: &a%(i)d 1%(i)d\n", "groups:\n")
        ids += "".join("  g%d: *a%d\n" % (i, i) for i in range(10))
        merge = hostile.merge_bomb()
        for text in (ids, merge, anchored_ids(5000)):
            path = write(d, "ids.yaml", text)
            cost = measure(["explain", "--project-path", "g/c", "--ids", path], cwd=r.dir)
            self.assertLess(cost.cpu, CPU_LIMIT, cost)
            self.assertLess(cost.rss_mb, RSS_LIMIT_MB, cost)
            # the merge bomb is refused with one sentence
            self.assertEqual(cost.rc, 2 if text is merge else 0, cost)
        for text in (merge, anchored_policy(12000)[:hostile.LIMIT - 100] + "]}\n"):
            path = write(d, "policy.yaml", text)
            cost = measure(["rbac", "--project-path", "g/c", "--policy", path], cwd=r.dir)
            self.assertLess(cost.cpu, CPU_LIMIT, cost)
            self.assertIn(cost.rc, (0, 1, 2), cost)
        for text in (merge, anchored_settings(3000)):
            r.write(".agentlint.yaml", text)
            cost = measure(["check"], cwd=r.dir)
            self.assertLess(cost.cpu, CPU_LIMIT, cost)
            self.assertLess(cost.rss_mb, RSS_LIMIT_MB, cost)

    def test_cost_grows_linearly(self):
        """Twice the input, at most about twice the time (quadratic: four times).
        The smallest of three runs, plus a margin for process start-up."""
        d = self.tmpdir()
        for name in ("anchors_and_aliases", "anchored_list_of_anchors", "unknown_keys",
                     "duplicate_keys", "project_entries", "env_patterns"):
            cpu = []
            for limit in (hostile.LIMIT, 2 * hostile.LIMIT):
                path = write(d, "%s-%d/config.yaml" % (name, limit),
                             hostile.SHAPES[name](limit=limit))
                # 2 x 128 KiB is over GitLab's limit but still parsed (see below).
                cpu.append(min(measure(["check", "--agent", "a", "-f", "json", path]).cpu
                               for _ in range(3)))
            self.assertLess(cpu[1], 3 * cpu[0] + 0.1, "%s: %s" % (name, cpu))


class OverTheLimit(TestCase):
    def test_far_over_the_limit_is_not_parsed(self):
        d = self.tmpdir()
        big = write(d, "big/config.yaml", hostile.unknown_keys(limit=2 * 1024 * 1024))
        cost = measure(["check", "--agent", "a", "-f", "json", big])
        self.assertEqual(cost.rc, 1, cost)
        import json
        findings = json.loads(cost.out)["findings"]
        self.assertEqual([f["rule"] for f in findings], ["file-size"], findings)
        self.assertIn("not checked further", findings[0]["message"])
        self.assertLess(cost.cpu, CPU_LIMIT, cost)

    def test_just_over_the_limit_is_still_checked(self):
        d = self.tmpdir()
        path = write(d, "c/config.yaml", hostile.unknown_keys(limit=200 * 1024))
        res = run(["check", "--agent", "a", "-f", "json", path])
        rules = {f["rule"] for f in res.json()["findings"]}
        self.assertLessEqual({"file-size", "unknown-key"}, rules, res)
        size = [f for f in res.json()["findings"] if f["rule"] == "file-size"][0]
        self.assertNotIn("not checked further", size["message"])

    def test_settings_file_over_128_kib_is_refused(self):
        r = self.repo()
        r.write(".gitlab/agents/a/config.yaml", "ci_access:\n  projects:\n    - id: g/p\n")
        r.write(".agentlint.yaml", "# padding\n" * 14000)
        res = r.agentlint()
        self.assertEqual(res.rc, 2, res)
        self.assertIn(".agentlint.yaml", res.err)
        self.assertIn("128 KiB", res.err)


class FindingCaps(TestCase):
    """After 50 findings of one rule in one file, one finding says how many more."""

    def check(self, path, *extra, fmt="json"):
        return run(["check", "--agent", "a", "-f", fmt, *extra, path])

    def test_unknown_key_flood(self):
        d = self.tmpdir()
        text = "ci_access:\n  projects:\n    - id: g/p\n" + "".join(
            "k%d: 1\n" % i for i in range(8000))
        path = write(d, "c/config.yaml", text)
        res = self.check(path)
        unknown = [f for f in res.json()["findings"] if f["rule"] == "unknown-key"]
        self.assertEqual(len(unknown), 51)
        more = unknown[-1]
        self.assertIn("7950 more unknown-key findings", more["message"])
        self.assertEqual(more["line"], 4 + 50)  # the first one left out
        self.assertEqual(more["severity"], "error")
        self.assertLess(len(res.out), 100 * 1024)  # was 3.4 MB
        self.assertEqual(res.rc, 1)

    def test_env_pattern_flood_and_per_file(self):
        d = self.tmpdir()
        # One env-pattern note per environments list: 300 lists.
        text = "ci_access:\n  projects:\n" + "".join(
            "    - id: g/p%d\n      environments: [review/*]\n" % i for i in range(300))
        a = write(d, "a/config.yaml", text)
        b = write(d, "b/config.yaml", text)
        res = run(["check", "--agent", "a", "-f", "json", a, b])
        for path in (a, b):
            env = [f for f in res.json()["findings"]
                   if f["rule"] == "env-pattern" and f["path"].endswith(path[-15:])]
            self.assertEqual(len(env), 51, env[-1:])
            self.assertRegex(env[-1]["message"], r"^\d+ more env-pattern findings")

    def test_fingerprint_has_no_count(self):
        """A baseline keeps matching the summary as the count changes."""
        d = self.tmpdir()
        fps = []
        for n in (100, 200):
            text = "ci_access:\n  projects:\n    - id: g/p\n" + "".join(
                "k%d: 1\n" % i for i in range(n))
            path = write(d, "c/config.yaml", text)
            cq = self.check(path, fmt="codequality").json()
            more = [i for i in cq if "more unknown-key" in i["description"]]
            self.assertEqual(len(more), 1)
            fps.append(more[0]["fingerprint"])
        self.assertEqual(fps[0], fps[1])

    def test_max_per_rule(self):
        d = self.tmpdir()
        text = "".join("k%d: 1\n" % i for i in range(120))
        path = write(d, "c/config.yaml", text)
        count = lambda res: len([f for f in res.json()["findings"] if f["rule"] == "unknown-key"])
        self.assertEqual(count(self.check(path, "--max-per-rule", "0")), 120)
        self.assertEqual(count(self.check(path, "--max-per-rule", "5")), 6)
        self.assertEqual(count(self.check(path, "--max-per-rule", "119")), 120)
        self.assertEqual(count(self.check(path, "--max-per-rule", "120")), 120)
        self.assertEqual(count(self.check(path)), 51)
        for bad in ("-1", "x", "", "5x"):
            res = self.check(path, "--max-per-rule", bad)
            self.assertEqual(res.rc, 2, res)
            self.assertIn("--max-per-rule", res.err)

    def test_below_the_cap_nothing_changes(self):
        d = self.tmpdir()
        path = write(d, "c/config.yaml", "".join("k%d: 1\n" % i for i in range(50)))
        res = self.check(path)
        self.assertEqual(len(res.json()["findings"]), 50)
        self.assertNotIn("more", res.out)



class ThirdPartyLeaks(TestCase):
    """Issue 9, item 10: in the sanitizer build (make check), a leak inside
    libfyaml 0.7.12 (tests/lsan.supp says which and why) turned exit 0 into
    exit 1 for any JSON output holding a string that starts with many escaped
    characters. The suppression file keeps it out; the release build is
    unaffected either way."""

    CONFIG = ("ci_access:\n  projects:\n    - id: g/p\n      environments:\n"
              "        - \"" + "\\n" * 18 + "x\"\n")

    def test_json_outputs_keep_their_exit_status(self):
        r = self.repo()
        r.write(".gitlab/agents/a/config.yaml", self.CONFIG)
        for args in (["check", "-f", "json"], ["check", "-f", "sarif"],
                     ["check", "-f", "codequality"], ["explain", "-f", "json"]):
            res = r.agentlint(*args)
            self.assertNotIn("LeakSanitizer", res.err, args)
            self.assertEqual(res.rc, 0, (args, res))

    def test_revision_search_keeps_its_exit_status(self):
        """libgit2 1.5.1 leaks PCRE2 match data when a :/text search fails."""
        r = self.repo()
        r.write(".gitlab/agents/a/config.yaml", "ci_access:\n  projects:\n    - id: g/p\n")
        r.add()
        r.commit("first")
        for rev, rc in ((":/first", 0), (":/nomatch", 2), ("HEAD^{/nomatch}", 2)):
            res = r.agentlint("check", "--rev", rev, "--project-path", "g/c")
            self.assertNotIn("LeakSanitizer", res.err, rev)
            self.assertEqual(res.rc, rc, (rev, res))

    def test_every_suppression_has_its_reason(self):
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lsan.supp")
        with open(path) as f:
            lines = [l.rstrip("\n") for l in f]
        for i, line in enumerate(lines):
            if line and not line.startswith("#"):
                self.assertRegex(line, r"^leak:[a-z_0-9]+$")
                self.assertTrue(i > 0 and lines[i - 1].startswith("#"),
                                "%s needs a comment saying why" % line)
        options = os.environ.get("LSAN_OPTIONS", "") + os.environ.get("ASAN_OPTIONS", "")
        self.assertNotIn("detect_leaks=0", options)

if __name__ == "__main__":
    unittest.main()
