"""Shell completion: bash (COMPREPLY from the sourced script), zsh (a real
interactive zsh driven through zpty), the hidden `--list-options` they read
against `--help`, and `make install`."""

import os
import re
import shlex
import subprocess
import tempfile

from util import AGENTLINT, ROOT, TestCase, clean_env, formats, path_without_agentlint, run

BASH_SCRIPT = os.path.join(ROOT, "completions", "agentlint.bash")
ZSH_DIR = os.path.join(ROOT, "completions")


def help_options(command):
    """The options `agentlint COMMAND --help` lists, with their argument."""
    res = run([command, "--help"])
    opts = set()
    for line in res.out.splitlines():
        m = re.match(r"^  (?:-(\w), )?\s*--([\w-]+)(?: (\S+))?  ", line)
        if m:
            short, name, arg = m.groups()
            opts.add("--%s%s" % (name, " " + arg if arg else ""))
            if short:
                opts.add("-%s%s" % (short, " " + arg if arg else ""))
    return opts


class Completion(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.bindir = tempfile.mkdtemp(prefix="agentlint-completion-")
        os.symlink(AGENTLINT, os.path.join(cls.bindir, "agentlint"))
        cls.env = {"PATH": cls.bindir + os.pathsep + path_without_agentlint()}

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.bindir, ignore_errors=True)

    def commands(self):
        return run(["--list-options"]).out.split()

    # -- bash --
    def bash(self, line, cwd=None):
        """COMPREPLY for `line` (completing its last word; a trailing space
        starts an empty word), with the completion script sourced."""
        words = shlex.split(line) + ([""] if line.endswith(" ") else [])
        script = ("source %s\nCOMP_WORDS=(%s)\nCOMP_CWORD=%d\nCOMP_LINE=%s\nCOMP_POINT=%d\n"
                  "_agentlint agentlint\nprintf '%%s\\n' \"${COMPREPLY[@]}\"\n"
                  % (shlex.quote(BASH_SCRIPT), " ".join(shlex.quote(w) for w in words),
                     len(words) - 1, shlex.quote(line), len(line)))
        proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], cwd=cwd,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=clean_env(self.env), timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, b"")
        return sorted(w for w in proc.stdout.decode().splitlines() if w)

    def test_bash_commands_and_options(self):
        self.assertEqual(self.bash("agentlint ch"), ["check"])
        self.assertEqual(self.bash("agentlint check --st"), ["--staged"])
        self.assertEqual(self.bash("agentlint --st"), ["--staged"])  # check is the default
        self.assertEqual(self.bash("agentlint install-hook --f"), ["--force"])
        self.assertEqual(self.bash("agentlint check --fo"), ["--format"])
        self.assertEqual(self.bash("agentlint diff --fail"), ["--fail-on-widen"])
        self.assertEqual(self.bash("agentlint check --fail"), ["--fail-on"])
        self.assertEqual(self.bash("agentlint "), sorted(self.commands()))

    def test_bash_every_option_of_every_command(self):
        for cmd in self.commands():
            want = sorted({o.split()[0] for o in help_options(cmd) if o.startswith("--")})
            self.assertEqual(self.bash("agentlint %s --" % cmd), want, cmd)

    def test_bash_option_values(self):
        self.assertEqual(self.bash("agentlint check -f "),
                         ["codequality", "json", "junit", "sarif", "text"])
        self.assertEqual(self.bash("agentlint explain --format "),
                         ["dot", "json", "markdown", "text"])
        self.assertEqual(self.bash("agentlint report -f "), ["html", "markdown"])
        self.assertEqual(self.bash("agentlint check --format=s"), ["sarif"])
        self.assertEqual(self.bash("agentlint check --color n"), ["never"])
        self.assertEqual(self.bash("agentlint check --fail-on w"), ["warning"])
        self.assertEqual(self.bash("agentlint rules unknown-"), ["unknown-ignore", "unknown-key"])
        r = self.repo()
        r.commit_files({"README.md": "x\n"}, "start")
        r.git("tag", "v1")
        self.assertEqual(self.bash("agentlint check --rev ", cwd=r.dir), ["HEAD", "main", "v1"])
        self.assertEqual(self.bash("agentlint diff v", cwd=r.dir), ["v1"])
        os.makedirs(os.path.join(r.dir, "sub", "deeper"))
        self.assertEqual(self.bash("agentlint -C s", cwd=r.dir), ["sub"])

    # -- zsh --
    def zsh(self, lines, cwd=None):
        """The matches a real interactive zsh (compinit, completions/ on fpath)
        offers for each line, on <Tab>: compadd is wrapped to record them."""
        out = os.path.join(self.tmpdir(), "matches")
        driver = os.path.join(self.tmpdir(), "driver.zsh")
        with open(driver, "w") as f:
            f.write(r"""
zmodload zsh/zpty
out=$1; shift
zpty z zsh -f -i
zpty -w z "PS1='' RPS1=''; fpath=(%(dir)s \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi; local -a h; builtin compadd -A h "$@"; (( $#h )) && print -rl -- $h >> %(out)s; builtin compadd "$@"; }'
for line; do
  zpty -n -w z "$line"$'\t'
  zpty -n -w z $'\C-a\C-k'
  zpty -w z "print -r -- @@END >> %(out)s"
done
zpty -w z 'print -r -- @@DONE >> %(out)s'
for i in {1..200}; do
  [[ -f %(out)s ]] && grep -q '^@@DONE$' %(out)s && break
  sleep 0.05
done
zpty -d z
""" % {"dir": shlex.quote(ZSH_DIR), "out": shlex.quote(out)})
        proc = subprocess.run(["zsh", "-f", driver, out] + lines, cwd=cwd, env=clean_env(self.env),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stdout)
        with open(out) as f:
            text = f.read()
        self.assertIn("@@DONE", text)
        groups = text.split("@@END\n")[:len(lines)]
        return [sorted(set(g.split())) for g in groups]

    def test_zsh(self):
        r = self.repo()
        r.commit_files({"README.md": "x\n"}, "start")
        got = self.zsh(["agentlint ch", "agentlint check --st", "agentlint --st",
                        "agentlint check -f ", "agentlint explain --format=",
                        "agentlint install-hook --", "agentlint rules unknown-",
                        "agentlint diff --fail", "agentlint check --rev "], cwd=r.dir)
        self.assertEqual(got, [
            ["check"], ["--staged"], ["--staged"],
            ["codequality", "json", "junit", "sarif", "text"],
            ["dot", "json", "markdown", "text"],
            sorted(o.split()[0] for o in help_options("install-hook") if o.startswith("--")),
            ["unknown-ignore", "unknown-key"], ["--fail-on-widen"], ["HEAD", "main"]])

    # -- the table they read --
    def test_list_options_is_the_help(self):
        commands = self.commands()
        self.assertIn("check", commands)
        self.assertIn("install-hook", commands)
        for cmd in commands:
            listed = set(run(["--list-options", cmd]).out.splitlines())
            self.assertEqual(listed, help_options(cmd), cmd)
        self.assertNotIn("list-options", run(["--help"]).out)
        res = run(["--list-options", "nope"])
        self.assertEqual(res.rc, 2, res)

    def test_both_scripts_know_the_contract_values(self):
        with open(BASH_SCRIPT) as f:
            bash = f.read()
        with open(os.path.join(ZSH_DIR, "_agentlint")) as f:
            zsh = f.read()
        for values in ("auto always never", "error warning note", "anchored legacy"):
            self.assertIn(values, bash)
            self.assertIn(values, zsh)
        # Formats are the binary's (--list-formats), never a copy in a script.
        for script in (bash, zsh):
            self.assertIn("--list-formats", script)
            self.assertNotIn("codequality", script)

    def test_bash_formats_are_the_binarys(self):
        for cmd in self.commands():
            if "--format FORMAT" not in run(["--list-options", cmd]).out.splitlines():
                self.assertEqual(self.bash("agentlint %s -f " % cmd), [], cmd)
                continue
            self.assertEqual(self.bash("agentlint %s -f " % cmd), sorted(formats(cmd)), cmd)
            self.assertEqual(self.bash("agentlint %s --format=" % cmd), sorted(formats(cmd)),
                             cmd)


class Install(TestCase):
    def test_make_install(self):
        prefix = self.tmpdir()
        build = os.path.dirname(os.path.abspath(AGENTLINT))
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
        # -o: the binary under test is installed as it is, never rebuilt here.
        proc = subprocess.run(["make", "-s", "-C", ROOT, "install", "PREFIX=" + prefix,
                               "BUILD=" + build, "-o", os.path.join(build, "agentlint")],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                              timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stdout.decode())
        files = {os.path.relpath(os.path.join(top, n), prefix)
                 for top, _, names in os.walk(prefix) for n in names}
        self.assertEqual(files, {"bin/agentlint", "share/man/man1/agentlint.1",
                                 "share/bash-completion/completions/agentlint",
                                 "share/zsh/vendor-completions/_agentlint",
                                 "share/agentlint/agentlint.gitlab-ci.yml",
                                 "share/agentlint/pre-commit-config.yaml"})
        self.assertTrue(os.access(os.path.join(prefix, "bin", "agentlint"), os.X_OK))
        with open(os.path.join(prefix, "share/bash-completion/completions/agentlint")) as f, \
                open(BASH_SCRIPT) as g:
            self.assertEqual(f.read(), g.read())
        res = subprocess.run([os.path.join(prefix, "bin", "agentlint"), "--version"],
                             stdout=subprocess.PIPE)
        self.assertTrue(res.stdout.startswith(b"agentlint "))
        # The installed completion works from its installed place.
        script = ("source %s/share/bash-completion/completions/agentlint\n"
                  "COMP_WORDS=(agentlint check --st); COMP_CWORD=2; _agentlint\n"
                  "echo \"${COMPREPLY[*]}\"\n" % shlex.quote(prefix))
        proc = subprocess.run(["bash", "--norc", "-c", script], stdout=subprocess.PIPE,
                              env=clean_env({"PATH": os.path.join(prefix, "bin") + os.pathsep
                                             + path_without_agentlint()}))
        self.assertEqual(proc.stdout.decode().strip(), "--staged")
