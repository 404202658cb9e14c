"""Finding the chaosstat command, building it from a checkout, and checking its version."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
import warnings
from pathlib import Path
from typing import Dict, Iterable, Optional, Tuple

from . import _version
from .errors import INSTALL_HINT, BinaryNotFoundError, ChaosstatError, VersionWarning

MODULE = "github.com/chaosstat/chaosstat"
ENV = "CHAOSSTAT"

_lock = threading.Lock()
_built: Dict[Path, str] = {}  # checkout root -> the binary built from it in this process
_versions: Dict[Tuple[str, int, int], str] = {}  # (path, mtime_ns, size) -> its version


def binary() -> str:
    """Returns the path of the chaosstat command the functions run.

    It is, in this order:

    1. the environment variable CHAOSSTAT, a path or a command name (an error
       when it names nothing executable: a setting that is wrong is not
       passed over);
    2. ``chaosstat`` on PATH;
    3. inside a checkout of the repository (the nearest folder above this
       package's own files, or else above the working directory, whose
       go.mod declares the module github.com/chaosstat/chaosstat): the
       command built from it with ``go build`` into a cache folder,
       ``$XDG_CACHE_HOME/chaosstat/<hash of the checkout's path>`` (by
       default ``~/.cache/chaosstat/...``), said once on stderr. Go rebuilds
       it when the checkout's code has changed, and does nothing otherwise
       (a fraction of a second).

    The command's version is checked against the package's once per binary
    (see binary_version).

    Raises:
        BinaryNotFoundError: none of the three, with the command that
            installs it; or a checkout but no ``go`` to build it with.
        ChaosstatError: the build failed, or the file does not answer
            ``version`` as chaosstat does.
    """
    path = _find()
    binary_version(path)
    return path


def _find() -> str:
    env = os.environ.get(ENV)
    if env:
        found = shutil.which(env)
        if found is None:
            raise BinaryNotFoundError(
                f"{ENV}={env}: no executable file there; point {ENV} at a chaosstat binary, or unset "
                f"it to use chaosstat on PATH; to install the command: go install {MODULE}/cmd/chaosstat@latest")
        return found
    found = shutil.which("chaosstat")
    if found is not None:
        return found
    root = find_checkout([Path(__file__).resolve().parent, Path.cwd()])
    if root is None:
        raise BinaryNotFoundError(
            f"no chaosstat command: ${ENV} is not set, chaosstat is not on PATH, and neither this "
            f"package ({Path(__file__).resolve().parent}) nor the working directory ({Path.cwd()}) "
            f"is inside a checkout of {MODULE} to build it from; {INSTALL_HINT}")
    return _build(root)


def find_checkout(starts: Iterable[Path]) -> Optional[Path]:
    """The nearest folder at or above one of starts (tried in order) whose go.mod declares
    the module github.com/chaosstat/chaosstat, or None."""
    for start in starts:
        for d in [start, *start.parents]:
            gomod = d / "go.mod"
            try:
                first = gomod.read_text(encoding="utf-8").lstrip().split("\n", 1)[0].split("//")[0]
            except OSError:
                continue
            if first.split() == ["module", MODULE]:
                return d
    return None


def cache_dir() -> Path:
    """Where binaries built from checkouts are kept: $XDG_CACHE_HOME/chaosstat, by default
    ~/.cache/chaosstat."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "chaosstat"


def _build(root: Path) -> str:
    with _lock:
        if root in _built:
            return _built[root]
        go = shutil.which("go")
        if go is None:
            raise BinaryNotFoundError(
                f"no chaosstat command: ${ENV} is not set and chaosstat is not on PATH; the checkout "
                f"{root} could be built, but go is not on PATH (Go 1.26: https://go.dev/dl/); "
                f"or {INSTALL_HINT}")
        digest = hashlib.sha256(str(root).encode("utf-8")).hexdigest()[:16]
        out_dir = cache_dir() / digest
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir / ("chaosstat.exe" if os.name == "nt" else "chaosstat")
        print(f"chaosstat: building the command of the checkout {root} into {out} "
              f"(go build; set {ENV} to run another binary)", file=sys.stderr, flush=True)
        # -buildvcs=false: the version is "devel" whatever the checkout's git
        # state, and git need not be installed. GOTMPDIR in the cache folder:
        # go moves the linked binary into place by a rename on the same file
        # system, so another process never runs a half-written file.
        env = dict(os.environ, GOTMPDIR=str(out_dir))
        p = subprocess.run([go, "build", "-buildvcs=false", "-o", str(out), "./cmd/chaosstat"],
                           cwd=root, env=env, capture_output=True, text=True)
        if p.returncode != 0:
            raise ChaosstatError(
                f"go build ./cmd/chaosstat in {root} failed (exit {p.returncode}):\n{p.stderr.strip()}",
                exit_code=p.returncode, stderr=p.stderr)
        _built[root] = str(out)
        return str(out)


_RELEASE_GO = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")
_RELEASE_PY = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def binary_version(path: Optional[str] = None) -> str:
    """Returns the version the chaosstat command at path (by default binary()) prints:
    a release tag such as "v1.2.3", a Go pseudo-version, or "devel" for a command built
    from a checkout.

    A release other than the package's own (chaosstat.__version__, "1.2.3" for the tag
    v1.2.3) gives a VersionWarning: its JSON may lack keys this package documents. A
    "devel" or pseudo-version command, or a development version of the package (from a
    checkout), is accepted silently. Asked once per binary file.

    Raises:
        ChaosstatError: the file does not answer ``version`` as chaosstat does.
    """
    if path is None:
        path = _find()
    try:
        st = os.stat(path)
        key = (path, st.st_mtime_ns, st.st_size)
    except OSError as e:
        raise BinaryNotFoundError(f"{path}: {e.strerror}; {INSTALL_HINT}") from e
    if key in _versions:
        return _versions[key]
    try:
        p = subprocess.run([path, "version"], capture_output=True, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
    except OSError as e:
        raise ChaosstatError(f"{path} cannot be run ({e}): is it a chaosstat binary? {INSTALL_HINT}") from e
    words = p.stdout.split()
    if p.returncode != 0 or len(words) != 2 or words[0] != "chaosstat":
        raise ChaosstatError(
            f"{path} version: exit {p.returncode}, printed {p.stdout.strip()[:80]!r}, not "
            f"\"chaosstat VERSION\": it is not a chaosstat binary; {INSTALL_HINT}",
            exit_code=p.returncode, stderr=p.stderr, argv=[path, "version"])
    version = words[1]
    package = _version.__version__
    if _RELEASE_GO.match(version) and _RELEASE_PY.match(package) and version[1:] != package:
        warnings.warn(
            f"the chaosstat command {path} is {version}, this Python package {package}: results "
            f"may lack keys the package documents; install the same release: go install "
            f"{MODULE}/cmd/chaosstat@v{package}, or set {ENV} to it", VersionWarning, stacklevel=4)
    _versions[key] = version
    return version
