"""Every flag of every command has its keyword in the package.

A flag the command gained and the package did not is a feature a notebook cannot reach (judge's
--history was one). The flags are read from the command's own usage (chaosstat CMD -h), the
keywords from the function's source: each c.<kind>("--flag", ...) call, and c.prometheus(...),
which passes --prometheus, --start, --end, --step and the Prometheus class's options.
"""

from __future__ import annotations

import inspect
import re
import subprocess
import unittest

import chaosstat
from chaosstat import _run, commands

from . import support

# Flags the package passes on its own rather than through a keyword, with the reason.
NOT_KEYWORDS = {
    "--format": "the package always reads the command's JSON",
}


def package_flags(fn) -> set:
    src = inspect.getsource(fn)
    flags = set(re.findall(r'c\.\w+\(\s*"(--[a-z][a-z-]*)"', src))
    if "c.prometheus(" in src:
        flags |= set(re.findall(r'"(--[a-z][a-z-]*)"', inspect.getsource(_run.Call.prometheus)))
    return flags


class TestEveryFlagHasAKeyword(unittest.TestCase):
    def setUp(self) -> None:
        self.bin = support.binary()

    def test_commands(self) -> None:
        names = ["compare", "aa", "apdex", "judge", "baseline", "criteria", "monitor", "demo"]
        for name in names:
            with self.subTest(name):
                fn = getattr(commands, name)
                self.assertIs(getattr(chaosstat, name), fn, f"chaosstat.{name} is the package's function")
                p = subprocess.run([self.bin, name, "-h"], capture_output=True, text=True)
                usage = p.stdout + p.stderr
                cli = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", usage)) - {"--help"}
                self.assertTrue(cli, f"chaosstat {name} -h lists no flag:\n{usage}")
                missing = sorted(cli - package_flags(fn) - set(NOT_KEYWORDS))
                self.assertEqual(missing, [], f"chaosstat {name} has flags the package's {name}() cannot pass")


if __name__ == "__main__":
    unittest.main()
