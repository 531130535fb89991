"""The README's worked example (snippet readme-permissions) run as written:
the files of testdata/example/ committed in a fresh repository, every
`$ agentlint ...` line of the snippet run there, and its standard output and
exit status compared with what the README shows, so the README cannot rot."""

import os
import shlex

from util import TESTDATA, TestCase, readme_snippet

EX = os.path.join(TESTDATA, "example")
DATES = {"GIT_AUTHOR_DATE": "2026-12-01T12:00:00Z", "GIT_COMMITTER_DATE": "2026-12-01T12:00:00Z"}


def example(name):
    with open(os.path.join(EX, name), encoding="utf-8") as f:
        return f.read()


def steps(snippet):
    """(argv, expected stdout, expected exit status) per `$ agentlint` line;
    `# exit N` after a command gives its status (default 0)."""
    out, cur = [], None
    for line in snippet.splitlines():
        if line.startswith("$ "):
            cmd, _, note = line[2:].partition("  # exit ")
            cur = [shlex.split(cmd)[1:], [], int(note) if note else 0]
            out.append(cur)
        elif cur is not None:
            cur[1].append(line)
    return [(a, "\n".join(o) + "\n", rc) for a, o, rc in out]


class ReadmeExample(TestCase):
    def setUp(self):
        super().setUp()
        saved = {k: os.environ.get(k) for k in DATES}
        os.environ.update(DATES)  # fixed commit ids: the README shows them

        def restore():
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self.addCleanup(restore)

    def test_commands_print_what_the_readme_shows(self):
        r = self.repo()
        r.commit_files({".gitlab/agents/prod/config.yaml": example("config.yaml"),
                        "k8s/cluster-dump.yaml": example("cluster-dump.yaml"),
                        "ids.yaml": example("ids.yaml")}, message="base")
        r.git("checkout", "-q", "-b", "widen")
        r.commit_files({"k8s/cluster-dump.yaml": example("cluster-dump-mr.yaml")},
                       message="every CI job may edit")
        cmds = steps(readme_snippet("readme-permissions"))
        self.assertGreaterEqual(len(cmds), 4)
        for argv, want, rc in cmds:
            res = r.agentlint(*argv)
            self.assertEqual(res.out.rstrip("\n") + "\n", want, "agentlint %s\n%r" % (" ".join(argv), res))
            self.assertEqual(res.rc, rc, res)
