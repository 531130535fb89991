"""The layers of ARCHITECTURE.md hold: tools/layers.sh (run by `make check`)
passes on the repository and fails on an upward include or on a directory no
layer names."""
import os
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class Layers(unittest.TestCase):
    def run_in(self, root):
        return subprocess.run([os.path.join(root, "tools", "layers.sh")], cwd=root,
                              capture_output=True, text=True)

    def test_repository_has_no_upward_include(self):
        proc = self.run_in(ROOT)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("none upward", proc.stdout)

    def scratch(self, files):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        os.makedirs(os.path.join(d, "tools"))
        for name in ("layers", "layers.sh"):
            shutil.copy2(os.path.join(ROOT, "tools", name), os.path.join(d, "tools", name))
        for path, text in files.items():
            os.makedirs(os.path.join(d, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(d, path), "w") as f:
                f.write(text)
        subprocess.run(["git", "init", "-q", d], check=True)
        return d

    def test_upward_include_fails(self):
        d = self.scratch({"model/a.c": '#include "model/a.h"\n#include "checks/check.h"\n',
                          "model/a.h": "", "checks/check.h": '#include "model/a.h"\n'})
        proc = self.run_in(d)
        self.assertEqual(proc.returncode, 1, proc.stdout)
        self.assertIn("model/a.c: includes checks/check.h", proc.stdout)
        self.assertNotIn("checks/check.h: includes", proc.stdout)

    def test_unknown_directory_fails(self):
        d = self.scratch({"misc/x.c": '#include "common/buf.h"\n'})
        proc = self.run_in(d)
        self.assertEqual(proc.returncode, 1, proc.stdout)
        self.assertIn("misc/x.c: directory misc is in no layer", proc.stdout)

    def test_downward_and_test_includes_pass(self):
        d = self.scratch({"cli/m.c": '#include "views/v.h"\n#include "common/buf.h"\n',
                          "tests/unit/t.c": '#include "cli/m.h"\n'})
        proc = self.run_in(d)
        self.assertEqual(proc.returncode, 0, proc.stdout)


if __name__ == "__main__":
    unittest.main()
