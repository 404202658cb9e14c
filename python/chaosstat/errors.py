"""The exceptions and the warning the package raises.

Exit codes 0, 1 and 3 of the command are answers and come back as results;
only what keeps the command from answering raises:

- UsageError: exit 2, a usage or input error. The message is the command's,
  naming the flag (with the keyword argument it came from) or the file and
  line.
- BinaryNotFoundError: no chaosstat command to run; the message says how to
  install it.
- ChaosstatError: the base of both, and what anything else raises (a build
  that fails, an exit code the command does not document, output that is not
  JSON).
"""

from __future__ import annotations

from typing import Optional, Sequence

INSTALL_HINT = (
    "install the command with `go install github.com/chaosstat/chaosstat/cmd/chaosstat@latest` "
    "(Go 1.26; it lands in $(go env GOPATH)/bin, which must be on PATH), "
    "or set the environment variable CHAOSSTAT to a chaosstat binary"
)


class ChaosstatError(RuntimeError):
    """The chaosstat command could not give an answer.

    Attributes:
        exit_code: the command's exit code, or None when it did not run.
        stderr: what the command wrote on stderr ("" when it did not run).
        argv: the command line that ran (the binary's path first), or [].
    """

    def __init__(self, message: str, *, exit_code: Optional[int] = None, stderr: str = "",
                 argv: Sequence[str] = ()):
        super().__init__(message)
        self.exit_code = exit_code
        self.stderr = stderr
        self.argv = list(argv)


class UsageError(ChaosstatError, ValueError):
    """Exit 2: a usage or input error, such as a bad flag value, a file that
    cannot be read, a malformed line in it, or an unreachable Prometheus.

    The message is the command's own, which names the flag (--alpha) or the
    file and line (hypothesis.yaml:12: ...), followed by the keyword argument
    the flag came from (alpha=) when there is one. It is also a ValueError.

    Attributes:
        flag: the flag the message names ("--alpha"), or None.
        keyword: the keyword argument of that flag ("alpha"), or None.
    """

    def __init__(self, message: str, *, flag: Optional[str] = None, keyword: Optional[str] = None,
                 **kw):
        super().__init__(message, **kw)
        self.flag = flag
        self.keyword = keyword


class BinaryNotFoundError(ChaosstatError, FileNotFoundError):
    """No chaosstat command was found: not at $CHAOSSTAT, not on PATH, and no
    checkout of the repository to build it from. The message says how to
    install it. It is also a FileNotFoundError."""

    def __str__(self) -> str:  # FileNotFoundError would print "[Errno None]"
        return str(self.args[0]) if self.args else ""


class VersionWarning(UserWarning):
    """The chaosstat command is a release other than the package's: results
    may lack keys the package documents, or have keys it does not."""
