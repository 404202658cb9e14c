"""Exit 2 raises with the flag and the keyword named, exit 3 is an answer, and the command is
found, built or explained as documented."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
import textwrap
import unittest
import warnings
from pathlib import Path
from unittest import mock

import chaosstat
from chaosstat import _binary, _version

from . import support

HINT = "go install github.com/chaosstat/chaosstat/cmd/chaosstat@latest"


class TestUsageErrors(unittest.TestCase):
    def setUp(self) -> None:
        support.binary()
        support.chdir_root(self)

    def test_bad_value_names_flag_and_keyword(self) -> None:
        cases = [
            ("alpha out of range", lambda: chaosstat.aa("compare/testdata/aa/clean_control.csv",
                                                        "compare/testdata/aa/clean_experiment.csv", alpha=2),
             "--alpha", "alpha"),
            ("confidence out of range", lambda: chaosstat.compare("testdata/taxi_control.csv",
                                                                  "testdata/taxi_experiment.csv", confidence=1.5),
             "--confidence", "confidence"),
            ("unknown test", lambda: chaosstat.compare("testdata/taxi_control.csv", "testdata/taxi_experiment.csv",
                                                       test="ttest"), "--test", "test"),
            ("min_weeks above weeks", lambda: chaosstat.baseline("steadystate/baseline/testdata/history.csv",
                                                                 "steadystate/baseline/testdata/drop_day.csv",
                                                                 weeks=2, min_weeks=3), "--min-weeks", "min_weeks"),
            ("a window that is no duration", lambda: chaosstat.aa("compare/testdata/aa/clean_control.csv",
                                                                  "compare/testdata/aa/clean_experiment.csv",
                                                                  window="half an hour"), "--window", "window"),
            ("a history for a plan of files", lambda: chaosstat.judge(
                "cmd/chaosstat/testdata/judge/history/history.yaml", history="8h"), "--history", "history"),
            ("a Prometheus option", lambda: chaosstat.compare(
                prometheus=chaosstat.Prometheus("http://127.0.0.1:9", timeout="soon"), control_query="up",
                experiment_query="up", start="now-1h"), "--timeout", "prometheus.timeout"),
        ]
        for name, call, flag, keyword in cases:
            with self.subTest(name):
                with self.assertRaises(chaosstat.UsageError) as e:
                    call()
                err = e.exception
                self.assertIsInstance(err, ValueError)
                self.assertIsInstance(err, chaosstat.ChaosstatError)
                self.assertEqual((err.exit_code, err.flag, err.keyword), (2, flag, keyword))
                self.assertIn(flag, str(err))
                self.assertIn(f"{keyword}=", str(err))
                self.assertNotIn("for usage", str(err), "the CLI's -h hint is for the CLI")

    def test_input_errors_name_the_file(self) -> None:
        with self.assertRaisesRegex(chaosstat.UsageError, "testdata/no_such_file.csv"):
            chaosstat.compare("testdata/no_such_file.csv", "testdata/taxi_experiment.csv")
        tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, tmp)
        (tmp / "hypothesis.yaml").write_text(textwrap.dedent("""\
            name: typo
            metrics:
              - name: latency
                control: a.csv
                experiment: b.csv
                tolerence: 0.1
            """))
        with self.assertRaisesRegex(chaosstat.UsageError, r'hypothesis\.yaml:6: .*"tolerence"'):
            chaosstat.judge(tmp / "hypothesis.yaml")

    def test_bad_data_names_the_keyword(self) -> None:
        """A bad cell in data given as a list names the keyword and the line, not a temporary file."""
        with self.assertRaises(chaosstat.UsageError) as e:
            chaosstat.compare(control=[1.0, 2.0, "lots"], experiment="testdata/taxi_experiment.csv")
        self.assertRegex(str(e.exception), r"<control>:4\b")
        self.assertNotIn(tempfile.gettempdir(), str(e.exception))

    def test_python_side_errors(self) -> None:
        with self.assertRaisesRegex(TypeError, "windw"):
            chaosstat.aa("a.csv", "b.csv", windw="30m")  # type: ignore[call-arg]
        with self.assertRaisesRegex(TypeError, "window=5"):
            chaosstat.aa("a.csv", "b.csv", window=5)
        with self.assertRaisesRegex(TypeError, "counts='yes'"):
            chaosstat.aa("a.csv", "b.csv", counts="yes")  # type: ignore[arg-type]
        with self.assertRaisesRegex(TypeError, "metrics="):
            chaosstat.criteria("s.csv", ["good.csv"])  # type: ignore[arg-type]
        with self.assertRaisesRegex(ValueError, "tls_cert and tls_key"):
            chaosstat.Prometheus("http://p:9090", tls_cert="c.pem")

    def test_exit_3_is_an_answer(self) -> None:
        r = chaosstat.criteria("steadystate/criteria/testdata/satisfaction_short.csv",
                               {"good": "steadystate/criteria/testdata/good.csv"})
        self.assertEqual((r.exit_code, r.meaning), (3, "inconclusive: no data"))
        self.assertIn("need at least 10", r.stderr)
        with self.assertRaisesRegex(AttributeError, "printed no JSON.*need at least 10"):
            r.metrics


def fake_binary(folder: Path, version_line: str) -> str:
    p = folder / "chaosstat"
    p.write_text(f"#!/bin/sh\necho '{version_line}'\n")
    p.chmod(p.stat().st_mode | stat.S_IXUSR)
    return str(p)


class TestFindingTheCommand(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="chaosstat-find-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def test_chaosstat_pointing_nowhere(self) -> None:
        with mock.patch.dict(os.environ, {"CHAOSSTAT": str(self.tmp / "nowhere")}):
            with self.assertRaises(chaosstat.BinaryNotFoundError) as e:
                chaosstat.compare("a.csv", "b.csv")
        self.assertIsInstance(e.exception, FileNotFoundError)
        self.assertIn("CHAOSSTAT=", str(e.exception))
        self.assertIn(HINT, str(e.exception))

    def test_no_binary_no_path_no_checkout(self) -> None:
        """The package outside any checkout, CHAOSSTAT unset, nothing on PATH: the install hint."""
        shutil.copytree(support.PYTHON_DIR / "chaosstat", self.tmp / "pkg" / "chaosstat")
        code = textwrap.dedent("""\
            import chaosstat
            try:
                chaosstat.compare("a.csv", "b.csv")
            except chaosstat.BinaryNotFoundError as e:
                print(e)
            else:
                print("no error")
            """)
        p = support.python(code, cwd=str(self.tmp), env=support.clean_env(PATH=""), path=[self.tmp / "pkg"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("no chaosstat command", p.stdout)
        self.assertIn(HINT, p.stdout)

    def test_build_from_checkout(self) -> None:
        """CHAOSSTAT unset and no chaosstat on PATH, inside the checkout: built once into the
        cache folder, said once on stderr, version devel."""
        support.go()
        support.binary()  # warms Go's build cache
        # PATH as it is (go, and the C compiler: without one go would build
        # without cgo, recompiling everything) less any folder with a chaosstat.
        path = os.pathsep.join(d for d in os.environ.get("PATH", "").split(os.pathsep)
                               if d and not os.path.exists(os.path.join(d, "chaosstat")))
        code = textwrap.dedent("""\
            import chaosstat
            a = chaosstat.compare("testdata/taxi_control.csv", "testdata/taxi_experiment.csv")
            b = chaosstat.compare("testdata/taxi_control.csv", "testdata/taxi_experiment.csv")
            print(a.exit_code, b.exit_code, chaosstat.binary_version(), chaosstat.binary())
            """)
        # XDG_CACHE_HOME moves Go's build cache too, unless GOCACHE says where it is.
        gocache = subprocess.run([support.go(), "env", "GOCACHE"], capture_output=True, text=True).stdout.strip()
        env = support.clean_env(PATH=path, XDG_CACHE_HOME=str(self.tmp / "cache"), GOCACHE=gocache)
        p = support.python(code, cwd=str(support.ROOT), env=env, path=[support.PYTHON_DIR])
        self.assertEqual(p.returncode, 0, p.stderr)
        codes = p.stdout.split()
        self.assertEqual(codes[:3], ["1", "1", "devel"], p.stdout)
        self.assertTrue(codes[3].startswith(str(self.tmp / "cache" / "chaosstat")), codes[3])
        self.assertEqual(p.stderr.count("building"), 1, p.stderr)
        self.assertIn(str(support.ROOT), p.stderr)

    def test_path_before_checkout(self) -> None:
        fake = fake_binary(self.tmp, "chaosstat devel")
        with mock.patch.dict(os.environ, {"PATH": str(self.tmp)}):
            os.environ.pop("CHAOSSTAT", None)
            self.assertEqual(chaosstat.binary(), fake)

    def test_version_check(self) -> None:
        cases = [
            ("a release other than the package's", "chaosstat v9.9.9", "1.0.0", True),
            ("the same release", "chaosstat v1.0.0", "1.0.0", False),
            ("a checkout build", "chaosstat devel", "1.0.0", False),
            ("a pseudo-version", "chaosstat v0.0.0-20260101000000-0123456789ab", "1.0.0", False),
            ("a development package", "chaosstat v1.0.0", "0.0.0.dev0", False),
        ]
        for i, (name, line, package, warns) in enumerate(cases):
            with self.subTest(name):
                d = self.tmp / str(i)
                d.mkdir()
                path = fake_binary(d, line)
                with mock.patch.object(_version, "__version__", package), warnings.catch_warnings(record=True) as w:
                    warnings.simplefilter("always")
                    self.assertEqual(chaosstat.binary_version(path), line.split()[1])
                got = [x for x in w if issubclass(x.category, chaosstat.VersionWarning)]
                self.assertEqual(len(got), 1 if warns else 0, [str(x.message) for x in w])
                if warns:
                    self.assertIn("@v1.0.0", str(got[0].message))

    def test_not_chaosstat(self) -> None:
        path = fake_binary(self.tmp, "something else")
        with self.assertRaisesRegex(chaosstat.ChaosstatError, "not a chaosstat binary"):
            _binary.binary_version(path)


if __name__ == "__main__":
    unittest.main()
