"""What the tests share: the checkout, the command built once for the whole run, the command
run directly (to compare the package with), and the rule for missing tools.

The command is built once per test process into a temporary folder (go build), and
CHAOSSTAT points at it, so the package under test runs that binary rather than looking
for one; a CHAOSSTAT already set (make python-test sets none) is used as it is.

Under CI=true a missing tool (go, pandas) fails the tests that need it instead of skipping
them.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Any, List, Optional, Tuple

PYTHON_DIR = Path(__file__).resolve().parent.parent  # python/
ROOT = PYTHON_DIR.parent  # the checkout
CI = os.environ.get("CI") == "true"

_binary: Optional[str] = None


def missing(what: str) -> None:
    """Skips the calling test for a missing tool, or fails it under CI=true."""
    if CI:
        raise AssertionError(f"{what} is missing, and under CI=true nothing is skipped for a missing tool")
    raise unittest.SkipTest(f"{what} is missing")


def go() -> str:
    g = shutil.which("go")
    if g is None:
        missing("go (to build the chaosstat command)")
    return g


def binary() -> str:
    """The chaosstat command under test: $CHAOSSTAT, or built once into a temporary folder
    (and CHAOSSTAT set to it for the package)."""
    global _binary
    if _binary is None:
        if os.environ.get("CHAOSSTAT"):
            _binary = os.environ["CHAOSSTAT"]
        else:
            d = tempfile.mkdtemp(prefix="chaosstat-pytest-bin-")
            atexit.register(shutil.rmtree, d, ignore_errors=True)
            out = os.path.join(d, "chaosstat")
            p = subprocess.run([go(), "build", "-buildvcs=false", "-o", out, "./cmd/chaosstat"],
                               cwd=ROOT, capture_output=True, text=True)
            if p.returncode != 0:
                raise AssertionError(f"go build ./cmd/chaosstat failed:\n{p.stderr}")
            _binary = out
            os.environ["CHAOSSTAT"] = out
    return _binary


def pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:
        missing("pandas (Debian: python3-pandas)")
    return pd


def cli(command: str, *args: Any, json_lines: bool = False) -> Tuple[int, Any, str]:
    """Runs the command directly, from the checkout's root, with --format json: (exit
    code, parsed JSON or None, stderr)."""
    argv = [binary(), command, *map(str, args), "--format", "json"]
    p = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    out = p.stdout.strip()
    data = None
    if out:
        data = [json.loads(ln) for ln in out.splitlines()] if json_lines else json.loads(out)
    return p.returncode, data, p.stderr


def data(path: str) -> str:
    """A data file of the repository, as an absolute path."""
    p = ROOT / path
    if not p.is_file():
        raise AssertionError(f"{p} is missing from the checkout")
    return str(p)


def read_series(path: str) -> Any:
    """A repository CSV ("timestamp,value") as a pandas Series indexed by UTC time."""
    pd = pandas()
    df = pd.read_csv(data(path))
    ts = df["timestamp"]
    t = pd.to_datetime(ts, unit="s", utc=True) if pd.api.types.is_numeric_dtype(ts) else pd.to_datetime(ts, utc=True)
    return pd.Series(df["value"].to_numpy(dtype=float), index=pd.DatetimeIndex(t), name=path)


def chdir_root(case: unittest.TestCase) -> None:
    """Runs the rest of the test from the checkout's root, as the README's paths assume."""
    old = os.getcwd()
    os.chdir(ROOT)
    case.addCleanup(os.chdir, old)


def clean_env(**overrides: Optional[str]) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "CHAOSSTAT"}
    for k, v in overrides.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def python(code: str, *, cwd: str, env: dict, path: Optional[List[str]] = None) -> subprocess.CompletedProcess:
    """Runs code in a fresh interpreter (this one's executable) with path first on sys.path."""
    prelude = f"import sys; sys.path[:0] = {list(map(str, path or []))!r}\n"
    return subprocess.run([sys.executable, "-c", prelude + code], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
