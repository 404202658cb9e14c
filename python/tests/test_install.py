"""The install python/README.md documents works without a network, and its example prints what
the README says it prints.

A fresh virtual environment that sees Debian's setuptools (python3 -m venv
--system-site-packages) installs a copy of python/ with the README's command, pip's index
and configuration turned off, and runs the README's first Python block from the checkout's root,
importing the installed package.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from . import support

README = support.PYTHON_DIR / "README.md"


def readme_example() -> tuple:
    """The first ```python block of the README, and the ``` block after it (its output)."""
    text = README.read_text(encoding="utf-8")
    m = re.search(r"```python\n(.*?)```\n\nprints\n\n```\n(.*?)```", text, re.S)
    if m is None:
        raise AssertionError(f"{README}: no ```python block followed by 'prints' and its output")
    return m.group(1), m.group(2)


class TestInstall(unittest.TestCase):
    def test_offline_install_runs_the_readme_example(self) -> None:
        code, want = readme_example()
        self.assertLessEqual(len([ln for ln in code.splitlines() if ln.strip()]), 10, "ten lines, as promised")
        binary = support.binary()
        support.pandas()
        tmp = Path(tempfile.mkdtemp(prefix="chaosstat-venv-"))
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        shutil.copytree(support.PYTHON_DIR, tmp / "python",
                        ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "tests"))

        venv = subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", ".venv"], cwd=tmp,
                              capture_output=True, text=True)
        if venv.returncode != 0:
            support.missing(f"python3-venv ({sys.executable} -m venv: {venv.stderr.strip()[-200:]})")
        # Offline, and Debian's packages alone: no index, and none of this machine's pip
        # configuration (a find-links folder could bring a setuptools of its own).
        env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
        env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
        pip = subprocess.run([str(tmp / ".venv/bin/pip"), "install", "./python"],
                             cwd=tmp, env=env, capture_output=True, text=True)
        self.assertEqual(pip.returncode, 0, f"{pip.stdout}\n{pip.stderr}")
        self.assertIn("Successfully installed chaosstat-", pip.stdout)

        python = str(tmp / ".venv/bin/python")
        where = subprocess.run([python, "-c", "import chaosstat; print(chaosstat.__file__)"], cwd=support.ROOT,
                               capture_output=True, text=True)
        self.assertTrue(where.stdout.startswith(str(tmp / ".venv")), f"imported {where.stdout} {where.stderr}")

        run = subprocess.run([python, "-c", code], cwd=support.ROOT, env=dict(os.environ, CHAOSSTAT=binary),
                             capture_output=True, text=True, timeout=300)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.stdout, want, "the README's example output")


if __name__ == "__main__":
    unittest.main()
