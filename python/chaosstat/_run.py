"""One run of the command: flags from keyword arguments, data to temporary files, exit codes
to results and exceptions."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Union

from . import _args
from ._binary import binary
from .errors import ChaosstatError, UsageError

PASSWORD_ENV = "CHAOSSTAT_PROMETHEUS_PASSWORD"


@dataclass(frozen=True)
class Prometheus:
    """A Prometheus-compatible server (Prometheus, Thanos, Mimir, Cortex, VictoriaMetrics)
    and how to reach it: pass it as ``prometheus=`` to any function with a PromQL form,
    where a plain URL string also works.

    Attributes:
        url: the server's base URL with its path prefix, without /api/v1
            (http://prometheus:9090, http://mimir:8080/prometheus).
        headers: HTTP headers for every request ({"X-Scope-OrgID": "tenant"} for Mimir).
        bearer_token_file: a file whose token is sent as "Authorization: Bearer",
            re-read at each request.
        basic_auth_user: HTTP basic auth user; the password comes from
            basic_auth_password_file, basic_auth_password, or the environment variable
            CHAOSSTAT_PROMETHEUS_PASSWORD.
        basic_auth_password_file: a file holding the password.
        basic_auth_password: the password itself, handed to the command in its
            environment (never on its command line, which other users can see); not shown
            in repr.
        tls_ca: PEM certificate authorities for the server's certificate.
        tls_cert, tls_key: a PEM client certificate and its key.
        timeout: limit for each request, a duration ("30s", the default) or timedelta.
        max_points: points per series per request (11000 by default; 30000 for
            VictoriaMetrics).
        max_response_bytes: the largest answer read (64 MiB by default); a larger one
            fails rather than filling the memory.
        allow_partial: go on when the server says its answer is partial (Thanos,
            VictoriaMetrics); by default such a read is exit 3, inconclusive.
    """

    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    bearer_token_file: Optional[Union[str, os.PathLike]] = None
    basic_auth_user: Optional[str] = None
    basic_auth_password_file: Optional[Union[str, os.PathLike]] = None
    basic_auth_password: Optional[str] = field(default=None, repr=False)
    tls_ca: Optional[Union[str, os.PathLike]] = None
    tls_cert: Optional[Union[str, os.PathLike]] = None
    tls_key: Optional[Union[str, os.PathLike]] = None
    timeout: Any = None
    max_points: Optional[int] = None
    allow_partial: bool = False
    max_response_bytes: Optional[int] = None

    def __post_init__(self) -> None:
        if not isinstance(self.url, str) or not self.url:
            raise ValueError(f"Prometheus(url={self.url!r}): want the server's base URL, such as http://prometheus:9090")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("Prometheus: tls_cert and tls_key go together")
        if self.basic_auth_password is not None and self.basic_auth_password_file is not None:
            raise ValueError("Prometheus: basic_auth_password or basic_auth_password_file, not both")


class Call:
    """Builds one command line; run() runs it."""

    def __init__(self, command: str, function: Optional[str] = None):
        self.command = command
        self.function = function or command
        self.args: List[str] = []
        self.positional: List[str] = []  # after the flags
        self.keywords: Dict[str, str] = {}  # flag -> keyword, for messages
        self.env: Dict[str, str] = {}
        self.tmp: Optional[str] = None
        self.renames: Dict[str, str] = {}  # temporary path -> what the user gave

    # Flags. Each registers its keyword, passed or not, so that a message naming the
    # flag can name the keyword too.

    def flag(self, flag: str, value: Any, keyword: str, fmt: Callable[[str, Any], str] = lambda k, v: str(v)) -> None:
        self.keywords[flag] = keyword
        if value is not None:
            self.args += [flag, fmt(keyword, value)]

    def number(self, flag: str, value: Any, keyword: str) -> None:
        self.flag(flag, value, keyword, _args.fmt_number)

    def integer(self, flag: str, value: Any, keyword: str) -> None:
        self.flag(flag, value, keyword, _args.fmt_int)

    def duration(self, flag: str, value: Any, keyword: str) -> None:
        self.flag(flag, value, keyword, _args.fmt_duration)

    def time(self, flag: str, value: Any, keyword: str) -> None:
        self.flag(flag, value, keyword, _args.fmt_time)

    def switch(self, flag: str, value: Optional[bool], keyword: str) -> None:
        self.keywords[flag] = keyword
        if value is not None and not isinstance(value, bool):
            raise TypeError(f"{keyword}={value!r}: want True or False")
        if value:
            self.args.append(flag)

    def path(self, flag: str, value: Any, keyword: str) -> None:
        self.keywords[flag] = keyword
        if value is not None:
            if not _args.is_path(value):
                raise TypeError(f"{keyword}={value!r}: want a path")
            self.args += [flag, os.fspath(value)]

    def data(self, flag: Optional[str], value: Any, keyword: str, name: Optional[str] = None,
             prefix: str = "") -> None:
        """A series: a path as given, or data written to a temporary CSV file. flag None:
        a positional argument."""
        if flag is not None:
            self.keywords[flag] = keyword
        if value is None:
            return
        if _args.is_path(value):
            p = os.fspath(value)
            if p == "-":
                raise ValueError(f"{keyword}='-': pass the data itself (a Series or a list) instead of stdin")
        else:
            p = self._temp(name or keyword)
            _args.write_series(value, p, keyword)
            self.renames[p] = f"<{keyword}>"
        self._add(flag, prefix + p)

    def table(self, flag: Optional[str], value: Any, keyword: str, columns: List[str]) -> None:
        if flag is not None:
            self.keywords[flag] = keyword
        if value is None:
            return
        if _args.is_path(value):
            p = os.fspath(value)
        else:
            p = self._temp(keyword)
            _args.write_table(value, p, keyword, columns)
            self.renames[p] = f"<{keyword}>"
        self._add(flag, p)

    def named(self, flag: str, value: Optional[Mapping[str, Any]], keyword: str, data: bool) -> None:
        """A repeatable NAME=VALUE flag from a mapping; data: the values are series."""
        self.keywords[flag] = keyword
        if value is None:
            return
        if not isinstance(value, Mapping):
            raise TypeError(f"{keyword}={value!r}: want a dict {{name: {'path or series' if data else 'value'}}}")
        for i, (name, v) in enumerate(value.items()):
            if not isinstance(name, str) or not name:
                raise TypeError(f"{keyword}: name {name!r}: want a non-empty string")
            if data and not _args.is_path(v):
                p = self._temp(f"{keyword}-{i}")
                _args.write_series(v, p, f"{keyword}[{name!r}]")
                self.renames[p] = f"<{keyword}[{name!r}]>"
                v = p
            self.args += [flag, f"{name}={os.fspath(v) if data else v}"]

    def prometheus(self, server: Union[None, str, Prometheus], start: Any = None, end: Any = None,
                   step: Any = None) -> None:
        self.keywords["--prometheus"] = "prometheus"
        self.time("--start", start, "start")
        self.time("--end", end, "end")
        self.duration("--step", step, "step")
        if server is None:
            return
        if isinstance(server, str):
            server = Prometheus(server)
        if not isinstance(server, Prometheus):
            raise TypeError(f"prometheus={server!r}: want a URL or a chaosstat.Prometheus")
        self.args += ["--prometheus", server.url]
        for k, v in server.headers.items():
            self.args += ["--header", f"{k}={v}"]
        k = "prometheus"
        self.path("--bearer-token-file", server.bearer_token_file, k + ".bearer_token_file")
        self.flag("--basic-auth-user", server.basic_auth_user, k + ".basic_auth_user")
        self.path("--basic-auth-password-file", server.basic_auth_password_file, k + ".basic_auth_password_file")
        if server.basic_auth_password is not None:
            self.env[PASSWORD_ENV] = server.basic_auth_password
        self.path("--tls-ca", server.tls_ca, k + ".tls_ca")
        self.path("--tls-cert", server.tls_cert, k + ".tls_cert")
        self.path("--tls-key", server.tls_key, k + ".tls_key")
        self.duration("--timeout", server.timeout, k + ".timeout")
        self.integer("--max-points", server.max_points, k + ".max_points")
        self.integer("--max-response-bytes", server.max_response_bytes, k + ".max_response_bytes")
        self.switch("--allow-partial", server.allow_partial, k + ".allow_partial")

    def _add(self, flag: Optional[str], p: str) -> None:
        if flag is None:
            self.positional.append(p)
        else:
            self.args += [flag, p]

    def _temp(self, name: str) -> str:
        if self.tmp is None:
            self.tmp = tempfile.mkdtemp(prefix=f"chaosstat-{self.command}-")
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        return os.path.join(self.tmp, safe + ".csv")

    def cleanup(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __enter__(self) -> "Call":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cleanup()

    def run(self, json_lines: bool = False) -> "Outcome":
        """Runs the command with --format json. Exit 0, 1 and 3 return; exit 2 raises
        UsageError, anything else ChaosstatError."""
        argv = [binary(), self.command, *self.args, "--format", "json", *self.positional]
        env = dict(os.environ, **self.env) if self.env else None
        try:
            p = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env)
        except OSError as e:
            raise ChaosstatError(f"{argv[0]} cannot be run: {e}", argv=argv) from e
        stderr = self._rename(p.stderr)
        if p.returncode == 2:
            raise self._usage_error(stderr, argv)
        if p.returncode in (130, 143, -2, -15):
            # 130/143: chaosstat's exit after SIGINT/SIGTERM (-2/-15: the
            # signal ended the process before it could answer).
            raise ChaosstatError(
                f"chaosstat {self.command} was interrupted by a signal (exit {p.returncode}); it gave no answer: {stderr.strip()}",
                exit_code=p.returncode, stderr=stderr, argv=argv)
        if p.returncode not in (0, 1, 3):
            raise ChaosstatError(
                f"chaosstat {self.command} exited {p.returncode}, which it does not document: {stderr.strip()}",
                exit_code=p.returncode, stderr=stderr, argv=argv)
        data: Any = None
        text = p.stdout.strip()
        if text:
            try:
                data = [json.loads(line) for line in text.splitlines() if line.strip()] if json_lines else json.loads(text)
            except json.JSONDecodeError as e:
                raise ChaosstatError(
                    f"chaosstat {self.command} exited {p.returncode} but its output is not JSON ({e}): {text[:200]!r}",
                    exit_code=p.returncode, stderr=stderr, argv=argv) from e
        return Outcome(self.command, p.returncode, data, stderr, [self._rename(a) for a in argv])

    def _rename(self, text: str) -> str:
        for path, shown in self.renames.items():
            text = text.replace(path, shown)
        return text

    def _usage_error(self, stderr: str, argv: List[str]) -> UsageError:
        lines = [ln for ln in stderr.strip().splitlines()
                 if not re.match(r"^Run 'chaosstat (help )?\S+( -h)?' for usage\.$", ln)]
        message = "\n".join(lines) or f"chaosstat {self.command}: exit 2 (usage or input error)"
        flag = keyword = None
        for m in re.finditer(r"--[a-z][a-z0-9-]*", message):
            if m.group(0) in self.keywords:
                flag = m.group(0)
                keyword = self.keywords[flag]
                break
        if keyword is not None:
            message += f" (chaosstat.{self.function}'s {keyword}=)"
        return UsageError(message, flag=flag, keyword=keyword, exit_code=2, stderr=stderr, argv=argv)


@dataclass
class Outcome:
    command: str
    exit_code: int
    data: Any
    stderr: str
    argv: List[str]
