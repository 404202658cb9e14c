"""Every function on the repository's example data gives what the command gives: the same
JSON, key for key (as attributes and items), the same exit code, and the meaning the
README's table gives that code.

Each case runs the command directly (support.cli, from the checkout's root) and the
package's function with the same arguments in Python's spelling.
"""

from __future__ import annotations

import tempfile
import textwrap
import unittest
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, List, NamedTuple

import chaosstat
from chaosstat.results import Record, Result

from . import support

# The meanings of the exit codes, in the words of the README's table of commands
# (exit 0 / exit 1 / exit 3), and of aa --health's (README, "Exit codes" under aa).
MEANINGS: Dict[str, Dict[int, str]] = {
    "compare": {0: "no significant difference", 1: "significant difference", 3: "inconclusive: no data or too few points"},
    "aa": {0: "valid at the planned window", 1: "invalid", 3: "inconclusive: too little history to judge the planned window"},
    "aa --health": {0: "no sample-ratio mismatch", 1: "sample-ratio mismatch", 3: "inconclusive: no data"},
    "judge": {0: "held", 1: "disproved", 3: "inconclusive"},
    "baseline": {0: "steady", 1: "deviated", 3: "inconclusive: too little history"},
    "criteria": {0: "every metric passes", 1: "some metrics fail", 3: "inconclusive: no data"},
    "monitor": {0: "ran to the end", 1: "stopped", 3: "inconclusive: no data"},
    "apdex": {0: "scored", 3: "inconclusive: no requests (NS)"},
    "demo": {0: "the demo ran"},
}

A = "compare/testdata/aa/"
C = "steadystate/criteria/testdata/"
M = "steadystate/monitor/testdata/"
B = "steadystate/baseline/testdata/"
H = "examples/hypothesis/"


class Case(NamedTuple):
    name: str
    reason: str  # why the case exists
    call: Callable[[], Result]
    cli: List[Any]  # the command and its arguments
    exit_code: int
    meanings: str = ""  # key into MEANINGS, by default the command


def assert_same(t: unittest.TestCase, got: Any, want: Any, where: str) -> None:
    """got (a Record, list or value) holds want (the command's JSON) key for key, as
    attributes and as items."""
    if isinstance(want, dict):
        t.assertIsInstance(got, Record, where)
        t.assertEqual(got.keys(), list(want), f"{where}: keys")
        for k, v in want.items():
            attr = k + "_" if k in ("pass",) else k
            assert_same(t, getattr(got, attr), v, f"{where}.{attr}")
            assert_same(t, got[k], v, f"{where}[{k!r}]")
    elif isinstance(want, list):
        t.assertIsInstance(got, list, where)
        t.assertEqual(len(got), len(want), f"{where}: length")
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same(t, g, w, f"{where}[{i}]")
    else:
        t.assertEqual(got, want, where)
        t.assertIs(type(got), type(want), f"{where}: type")


class TestCommandsMatchTheCLI(unittest.TestCase):
    tmp: Path

    @classmethod
    def setUpClass(cls) -> None:
        support.binary()
        cls.tmp = Path(tempfile.mkdtemp(prefix="chaosstat-test-"))
        (cls.tmp / "empty.csv").write_text("timestamp,value\n")
        (cls.tmp / "requests_empty.csv").write_text("timestamp,duration_seconds,error\n")
        data = support.ROOT / H / "data"
        held = textwrap.dedent(f"""\
            # examples/hypothesis without its failing metric: held.
            name: held
            metrics:
              - name: latency_p99_seconds
                control: {data}/latency-control.csv
                experiment: {data}/latency-experiment.csv
                direction: increase
                tolerance: 0.10
              - name: downloads_per_minute
                control: {data}/downloads-control.csv
                experiment: {data}/downloads-experiment.csv
                direction: decrease
                tolerance: 0.05
            """)
        (cls.tmp / "held.yaml").write_text(held)
        nodata = textwrap.dedent(f"""\
            # a metric whose files hold no data: inconclusive, never held.
            name: nodata
            metrics:
              - name: latency
                control: {cls.tmp}/empty.csv
                experiment: {cls.tmp}/empty.csv
                direction: increase
                tolerance: 0.10
            """)
        (cls.tmp / "nodata.yaml").write_text(nodata)

    @classmethod
    def tearDownClass(cls) -> None:
        import shutil

        shutil.rmtree(cls.tmp, ignore_errors=True)

    def cases(self) -> List[Case]:
        t = self.tmp
        cs = chaosstat
        crit4 = {"good": C + "good.csv", "random_walk": C + "random_walk.csv",
                 "good_hourly": C + "good_hourly.csv", "good_gappy": C + "good_gappy.csv"}
        return [
            Case("compare taxi", "the README's first comparison: Thanksgiving differs",
                 lambda: cs.compare(control="testdata/taxi_control.csv", experiment="testdata/taxi_experiment.csv"),
                 ["compare", "--control", "testdata/taxi_control.csv", "--experiment", "testdata/taxi_experiment.csv"], 1),
            Case("compare thursdays", "two ordinary Thursdays do not differ: exit 0",
                 lambda: cs.compare("testdata/taxi_2014-11-13.csv", "testdata/taxi_2014-11-20.csv"),
                 ["compare", "--control", "testdata/taxi_2014-11-13.csv", "--experiment", "testdata/taxi_2014-11-20.csv"], 0),
            Case("compare welch less 90%", "test, alternative, confidence and method reach their flags",
                 lambda: cs.compare(control="testdata/taxi_control.csv", experiment="testdata/taxi_experiment.csv",
                                    test="welch", alternative="less", confidence=0.9, method="asymptotic"),
                 ["compare", "--control", "testdata/taxi_control.csv", "--experiment", "testdata/taxi_experiment.csv",
                  "--test", "welch", "--alternative", "less", "--confidence", "0.9", "--method", "asymptotic"], 1),
            Case("compare no data", "no data is exit 3, not an error, and comes without JSON",
                 lambda: cs.compare(control=t / "empty.csv", experiment="testdata/taxi_experiment.csv"),
                 ["compare", "--control", t / "empty.csv", "--experiment", "testdata/taxi_experiment.csv"], 3),
            Case("aa clean", "a clean random split is valid at 30 minutes",
                 lambda: cs.aa(A + "clean_control.csv", A + "clean_experiment.csv", counts=True, window="30m"),
                 ["aa", "--counts", "--window", "30m", "--control", A + "clean_control.csv", "--experiment", A + "clean_experiment.csv"], 0),
            Case("aa wandering", "a DNS-like split is invalid at 30 minutes",
                 lambda: cs.aa(A + "wandering_control.csv", A + "wandering_experiment.csv", counts=True, window="30m"),
                 ["aa", "--counts", "--window", "30m", "--control", A + "wandering_control.csv", "--experiment", A + "wandering_experiment.csv"], 1),
            Case("aa too few days", "two weeks cannot vouch for 24h: exit 3 with JSON",
                 lambda: cs.aa(A + "wandering_control.csv", A + "wandering_experiment.csv", window="24h"),
                 ["aa", "--window", "24h", "--control", A + "wandering_control.csv", "--experiment", A + "wandering_experiment.csv"], 3),
            Case("aa options", "windows, alpha, test and ratio reach their flags",
                 lambda: cs.aa(A + "clean_control.csv", A + "clean_experiment.csv", windows=["10m", "1h"], window="2h",
                               alpha=0.01, test="welch", counts=True, ratio=(2, 2)),
                 ["aa", "--windows", "10m,1h", "--window", "2h", "--alpha", "0.01", "--test", "welch", "--counts",
                  "--ratio", "2:2", "--control", A + "clean_control.csv", "--experiment", A + "clean_experiment.csv"], 0),
            Case("aa health", "--health has its own keys and meanings",
                 lambda: cs.aa(A + "health_control.csv", A + "health_outage_experiment.csv", health=True),
                 ["aa", "--health", "--control", A + "health_control.csv", "--experiment", A + "health_outage_experiment.csv"], 1,
                 "aa --health"),
            Case("judge example", "examples/hypothesis is disproved by errors_per_minute",
                 lambda: cs.judge(H + "hypothesis.yaml"),
                 ["judge", "--hypothesis", H + "hypothesis.yaml"], 1),
            Case("judge held", "the same data without the failing metric holds",
                 lambda: cs.judge(hypothesis=t / "held.yaml"),
                 ["judge", "--hypothesis", t / "held.yaml"], 0),
            Case("judge no data", "no data is inconclusive, with the verdict's JSON",
                 lambda: cs.judge(t / "nodata.yaml"),
                 ["judge", "--hypothesis", t / "nodata.yaml"], 3),
            Case("judge history", "history_control and history_experiment: the hour is nodata, not a false alarm",
                 lambda: cs.judge("cmd/chaosstat/testdata/judge/history/history.yaml"),
                 ["judge", "--hypothesis", "cmd/chaosstat/testdata/judge/history/history.yaml"], 3),
            Case("baseline drop", "the README's baseline finds the planted drop",
                 lambda: cs.baseline(B + "history.csv", B + "drop_day.csv", timezone="America/New_York"),
                 ["baseline", "--history", B + "history.csv", "--current", B + "drop_day.csv", "--timezone", "America/New_York"], 1),
            Case("baseline normal", "a normal day is steady",
                 lambda: cs.baseline(history=B + "history.csv", current=B + "normal_day.csv", timezone="America/New_York"),
                 ["baseline", "--history", B + "history.csv", "--current", B + "normal_day.csv", "--timezone", "America/New_York"], 0),
            Case("baseline options", "weeks, min_weeks, z, persistence, level_adjust reach their flags",
                 lambda: cs.baseline(B + "history.csv", B + "drop_day.csv", timezone="America/New_York", weeks=3,
                                     min_weeks=2, z=3.5, persistence=4, level_adjust=True),
                 ["baseline", "--history", B + "history.csv", "--current", B + "drop_day.csv", "--timezone", "America/New_York",
                  "--weeks", "3", "--min-weeks", "2", "--z", "3.5", "--persistence", "4", "--level-adjust"], 1),
            Case("baseline counts", "log_scale, pool_days and resolution reach their flags",
                 lambda: cs.baseline(B + "history.csv", B + "drop_day.csv", timezone="America/New_York",
                                     log_scale=True, pool_days=True, resolution=1),
                 ["baseline", "--history", B + "history.csv", "--current", B + "drop_day.csv", "--timezone", "America/New_York",
                  "--log-scale", "--pool-days", "--resolution", "1"], 1),
            Case("baseline model", "model reaches --model",
                 lambda: cs.baseline(B + "history.csv", B + "drop_day.csv", timezone="America/New_York", model="linear"),
                 ["baseline", "--history", B + "history.csv", "--current", B + "drop_day.csv", "--timezone", "America/New_York",
                  "--model", "linear"], 1),
            Case("baseline one day of history", "too little history is exit 3",
                 lambda: cs.baseline(B + "normal_day.csv", B + "drop_day.csv"),
                 ["baseline", "--history", B + "normal_day.csv", "--current", B + "drop_day.csv"], 3),
            Case("criteria four", "the README's four candidates: some fail",
                 lambda: cs.criteria(C + "satisfaction.csv", crit4, now="2025-11-08T23:59:30Z"),
                 ["criteria", "--satisfaction", C + "satisfaction.csv",
                  *[a for n, f in crit4.items() for a in ("--metric", f"{n}={f}")], "--now", "2025-11-08T23:59:30Z"], 1),
            Case("criteria good", "the good metric alone passes",
                 lambda: cs.criteria(satisfaction=C + "satisfaction.csv", metrics={"good": C + "good.csv"}),
                 ["criteria", "--satisfaction", C + "satisfaction.csv", "--metric", "good=" + C + "good.csv"], 0),
            Case("criteria options", "the thresholds and methods reach their flags",
                 lambda: cs.criteria(C + "satisfaction.csv", {"good": C + "good.csv"}, method="kendall",
                                     differencing="seasonal", max_lag="10m", resolution="2m", max_delay="3m",
                                     max_latency="10m", now="2025-11-08T23:59:30Z", min_correlation=0.3,
                                     alpha=0.01, min_completeness=0.95),
                 ["criteria", "--satisfaction", C + "satisfaction.csv", "--metric", "good=" + C + "good.csv",
                  "--method", "kendall", "--differencing", "seasonal", "--max-lag", "10m", "--resolution", "2m",
                  "--max-delay", "3m", "--max-latency", "10m", "--now", "2025-11-08T23:59:30Z",
                  "--min-correlation", "0.3", "--alpha", "0.01", "--min-completeness", "0.95"], None),
            Case("criteria short", "nine points of satisfaction are too few: exit 3 without JSON",
                 lambda: cs.criteria(C + "satisfaction_short.csv", {"good": C + "good.csv"}),
                 ["criteria", "--satisfaction", C + "satisfaction_short.csv", "--metric", "good=" + C + "good.csv"], 3),
            Case("monitor drop", "the README's emergency stop: the drop is stopped",
                 lambda: cs.monitor(M + "drop_control.csv", M + "drop_experiment.csv", direction="decrease",
                                    history_control=M + "history_control.csv", history_experiment=M + "history_experiment.csv"),
                 ["monitor", "--control", M + "drop_control.csv", "--experiment", M + "drop_experiment.csv",
                  "--direction", "decrease", "--history-control", M + "history_control.csv",
                  "--history-experiment", M + "history_experiment.csv"], 1),
            Case("monitor aa", "an A/A run runs to the end",
                 lambda: cs.monitor(control=M + "aa_control.csv", experiment=M + "aa_experiment.csv"),
                 ["monitor", "--control", M + "aa_control.csv", "--experiment", M + "aa_experiment.csv"], 0),
            Case("monitor feed", "a feed file, with its baseline column",
                 lambda: cs.monitor(feed=M + "feed.csv", direction="decrease"),
                 ["monitor", "--feed", M + "feed.csv", "--direction", "decrease"], 1),
            Case("monitor guardrails", "the guardrail and test settings reach their flags",
                 lambda: cs.monitor(M + "aa_control.csv", M + "gap_experiment.csv", alpha=0.01, max_drop=0.1, sustain=2,
                                    experiment_below=100, experiment_above=1e9, max_gap="10m", scale="difference",
                                    horizon=120, min_points=5, baseline=M + "aa_control.csv"),
                 ["monitor", "--control", M + "aa_control.csv", "--experiment", M + "gap_experiment.csv", "--alpha", "0.01",
                  "--max-drop", "0.1", "--sustain", "2", "--experiment-below", "100", "--experiment-above", "1e9",
                  "--max-gap", "10m", "--scale", "difference", "--horizon", "120", "--min-points", "5",
                  "--baseline", M + "aa_control.csv"], 1),
            Case("monitor no data", "no data is exit 3 with no decisions",
                 lambda: cs.monitor(t / "empty.csv", t / "empty.csv"),
                 ["monitor", "--control", t / "empty.csv", "--experiment", t / "empty.csv"], 3),
            Case("apdex", "the score of the README's requests",
                 lambda: cs.apdex("cmd/chaosstat/testdata/apdex_timed.csv", 0.5),
                 ["apdex", "--threshold", "0.5", "cmd/chaosstat/testdata/apdex_timed.csv"], 0),
            Case("apdex window", "per window: a list of objects, NS windows included",
                 lambda: cs.apdex("cmd/chaosstat/testdata/apdex_timed.csv", threshold=0.5, window="1m"),
                 ["apdex", "--threshold", "0.5", "--window", "1m", "cmd/chaosstat/testdata/apdex_timed.csv"], 0),
            Case("apdex frustrated", "another F reaches --frustrated",
                 lambda: cs.apdex("cmd/chaosstat/testdata/apdex_timed.csv", 0.5, frustrated=3.0),
                 ["apdex", "--threshold", "0.5", "--frustrated", "3.0", "cmd/chaosstat/testdata/apdex_timed.csv"], 0),
            Case("apdex no requests", "NS is exit 3",
                 lambda: cs.apdex(t / "requests_empty.csv", 0.5),
                 ["apdex", "--threshold", "0.5", t / "requests_empty.csv"], 3),
            Case("demo", "the whole method on the embedded case study",
                 lambda: cs.demo(), ["demo"], 0),
        ]

    def test_cases(self) -> None:
        support.chdir_root(self)
        cases = self.cases()
        # The command's own answers are computed alongside the package's (two cores).
        with ThreadPoolExecutor(max_workers=1) as pool:
            direct = [pool.submit(support.cli, *c.cli, json_lines=c.cli[0] == "monitor") for c in cases]
            for c, answer in zip(cases, direct):
                with self.subTest(c.name, reason=c.reason):
                    self.check(c, *answer.result())

    def check(self, c: Case, code: int, want: Any, stderr: str) -> None:
        command = c.cli[0]
        lines = command == "monitor"
        if c.exit_code is not None:
            self.assertEqual(code, c.exit_code, f"the command itself: {stderr}")
        got = c.call()
        self.assertIsInstance(got, Result)
        self.assertEqual(got.exit_code, code)
        self.assertEqual(got.meaning, MEANINGS[c.meanings or command][code])
        self.assertEqual(got.stderr, stderr)
        if lines:
            want = {"decisions": want or []}
        elif command == "apdex" and isinstance(want, list):
            want = {"windows": want}
        if want is None:
            self.assertEqual(got.keys(), [])
            with self.assertRaises(AttributeError) as e:
                got.warnings
            self.assertIn(stderr.strip().splitlines()[0].split(": ", 1)[1][:40], str(e.exception))
            return
        self.assertEqual(got.to_dict(), want)
        assert_same(self, got, want, command)

    def test_demo_steps_are_results(self) -> None:
        """The demo's steps are results of their own commands, with to_frame()."""
        support.pandas()
        r = chaosstat.demo()
        self.assertIsInstance(r.judge, chaosstat.JudgeResult)
        self.assertIsInstance(r.aa_downloads, chaosstat.AAResult)
        self.assertIsInstance(r.monitor_downloads, chaosstat.MonitorResult)
        self.assertEqual(list(r.judge.to_frame().index), [m["name"] for m in r.to_dict()["judge"]["metrics"]])
        self.assertEqual(r.monitor_downloads.stopped, r.to_dict()["monitor_downloads"]["stopped"])
        self.assertEqual(len(r.monitor_downloads.to_frame()), len(r.to_dict()["monitor_downloads"]["decisions"]))


if __name__ == "__main__":
    unittest.main()
