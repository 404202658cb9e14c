"""Data given as Python objects (pandas Series, lists, mappings, DataFrames) gives the same
answer as the repository's files it was read from; arguments are spelt as the command
wants them; results read as documented; to_frame() gives the tables."""

from __future__ import annotations

import datetime as dt
import math
import sys
import unittest
from unittest import mock

import chaosstat
from chaosstat import _args
from chaosstat.results import Record

from . import support

A = "compare/testdata/aa/"
C = "steadystate/criteria/testdata/"
M = "steadystate/monitor/testdata/"
B = "steadystate/baseline/testdata/"


class TestSeriesInputs(unittest.TestCase):
    """The same data as a file and as Python objects: the same JSON."""

    def setUp(self) -> None:
        support.binary()
        self.pd = support.pandas()
        support.chdir_root(self)

    def same(self, got: chaosstat.Result, *cli: str, json_lines: bool = False) -> None:
        code, want, stderr = support.cli(*cli, json_lines=json_lines)
        self.assertEqual(got.exit_code, code, stderr)
        if json_lines:
            want = {"decisions": want}
        elif isinstance(want, list):  # apdex --window
            want = {"windows": want}
        self.assertEqual(got.to_dict(), want)

    def test_compare_series(self) -> None:
        ctl, exp = support.read_series("testdata/taxi_control.csv"), support.read_series("testdata/taxi_experiment.csv")
        self.same(chaosstat.compare(control=ctl, experiment=exp),
                  "compare", "--control", "testdata/taxi_control.csv", "--experiment", "testdata/taxi_experiment.csv")

    def test_compare_lists(self) -> None:
        """compare uses the values only: lists of values, a numpy array and (time, value)
        pairs give what the files give."""
        ctl, exp = support.read_series("testdata/taxi_control.csv"), support.read_series("testdata/taxi_experiment.csv")
        cli = ("compare", "--control", "testdata/taxi_control.csv", "--experiment", "testdata/taxi_experiment.csv")
        self.same(chaosstat.compare(ctl.tolist(), exp.to_numpy()), *cli)
        pairs = [(t.to_pydatetime(), v) for t, v in exp.items()]
        self.same(chaosstat.compare(dict(ctl.items()), pairs), *cli)

    def test_missing_values(self) -> None:
        """NaN and None are written as empty cells, which the command leaves out with a warning."""
        ctl = support.read_series("testdata/taxi_control.csv")
        ctl.iloc[3] = math.nan
        r = chaosstat.compare(ctl, [*support.read_series("testdata/taxi_experiment.csv").tolist()[:-1], None])
        self.assertEqual((r.n_control, r.n_experiment), (47, 11))
        self.assertTrue(any("missing" in w for w in r.warnings), r.warnings)

    def test_naive_times_are_utc(self) -> None:
        ctl, exp = support.read_series(M + "aa_control.csv"), support.read_series(M + "aa_experiment.csv")
        naive = chaosstat.monitor(ctl.tz_localize(None), exp.tz_localize(None))
        tokyo = chaosstat.monitor(ctl.tz_convert("Asia/Tokyo"), exp)
        want = chaosstat.monitor(M + "aa_control.csv", M + "aa_experiment.csv")
        self.assertEqual(naive.to_dict(), want.to_dict())
        self.assertEqual(tokyo.to_dict(), want.to_dict())

    def test_aa_series(self) -> None:
        s = {k: support.read_series(f"{A}clean_{k}.csv") for k in ("control", "experiment")}
        self.same(chaosstat.aa(s["control"], s["experiment"], counts=True, window=dt.timedelta(minutes=30)),
                  "aa", "--counts", "--window", "30m", "--control", A + "clean_control.csv",
                  "--experiment", A + "clean_experiment.csv")

    def test_baseline_series(self) -> None:
        history, current = support.read_series(B + "history.csv"), support.read_series(B + "drop_day.csv")
        self.same(chaosstat.baseline(history, current, timezone="America/New_York"),
                  "baseline", "--history", B + "history.csv", "--current", B + "drop_day.csv",
                  "--timezone", "America/New_York")

    def test_criteria_series(self) -> None:
        metrics = {n: support.read_series(f"{C}{f}.csv") for n, f in (("good", "good"), ("gappy", "good_gappy"))}
        self.same(chaosstat.criteria(support.read_series(C + "satisfaction.csv"), metrics,
                                     now=dt.datetime(2025, 11, 8, 23, 59, 30, tzinfo=dt.timezone.utc)),
                  "criteria", "--satisfaction", C + "satisfaction.csv", "--metric", f"good={C}good.csv",
                  "--metric", f"gappy={C}good_gappy.csv", "--now", "2025-11-08T23:59:30Z")

    def test_monitor_series(self) -> None:
        r = chaosstat.monitor(*(support.read_series(f"{M}{f}.csv") for f in ("drop_control", "drop_experiment")),
                              direction="decrease", max_gap=dt.timedelta(minutes=5),
                              history_control=support.read_series(M + "history_control.csv"),
                              history_experiment=support.read_series(M + "history_experiment.csv"))
        self.same(r, "monitor", "--control", M + "drop_control.csv", "--experiment", M + "drop_experiment.csv",
                  "--direction", "decrease", "--max-gap", "5m", "--history-control", M + "history_control.csv",
                  "--history-experiment", M + "history_experiment.csv", json_lines=True)
        self.assertTrue(r.stopped)
        self.assertEqual(r.stop, r.decisions[-1])
        self.assertEqual(r.stop.action, "stop")

    def test_monitor_feed_frame(self) -> None:
        """A feed as a DataFrame indexed by time, with a missing value, is the feed file."""
        pd = self.pd
        df = pd.read_csv(support.data(M + "feed.csv"))
        df.index = pd.to_datetime(df.pop("timestamp"), unit="s", utc=True)
        self.same(chaosstat.monitor(feed=df, direction="decrease"),
                  "monitor", "--feed", M + "feed.csv", "--direction", "decrease", json_lines=True)

    def test_apdex_frame(self) -> None:
        pd = self.pd
        df = pd.read_csv(support.data("cmd/chaosstat/testdata/apdex_timed.csv"))
        df["error"] = df["error"].astype(bool)
        df.index = pd.to_datetime(df.pop("timestamp"), unit="s", utc=True)
        self.same(chaosstat.apdex(df, 0.5, window="1m"),
                  "apdex", "--threshold", "0.5", "--window", "1m", "cmd/chaosstat/testdata/apdex_timed.csv")


class TestArguments(unittest.TestCase):
    def test_durations(self) -> None:
        for value, want in [("30m", "30m"), (dt.timedelta(hours=1, minutes=30), "90m"), (dt.timedelta(days=1), "24h"),
                            (dt.timedelta(seconds=90), "90s"), (dt.timedelta(milliseconds=1500), "1500ms")]:
            self.assertEqual(_args.fmt_duration("window", value), want)
        with self.assertRaisesRegex(ValueError, "window=.*milliseconds"):
            _args.fmt_duration("window", dt.timedelta(microseconds=1))
        with self.assertRaisesRegex(TypeError, "window=5"):
            _args.fmt_duration("window", 5)

    def test_times(self) -> None:
        utc = dt.timezone.utc
        self.assertEqual(_args.fmt_time("start", dt.datetime(2026, 2, 1, 12, tzinfo=utc)), "2026-02-01T12:00:00+00:00")
        self.assertEqual(_args.fmt_time("start", dt.datetime(2026, 2, 1, 12)), "2026-02-01T12:00:00+00:00")
        self.assertEqual(_args.fmt_time("start", 1700000000), "1700000000")
        self.assertEqual(_args.fmt_time("start", "now-1h"), "now-1h")

    def test_time_cells(self) -> None:
        """Times are written as Unix seconds to the millisecond, the command's resolution."""
        t = dt.datetime(2023, 11, 14, 22, 13, 20, 123456, tzinfo=dt.timezone.utc)
        self.assertEqual(_args._time_cell(t), "1700000000.123")
        self.assertEqual(_args._time_cell(t.replace(microsecond=0)), "1700000000")

    def test_ratio(self) -> None:
        self.assertEqual(_args.fmt_ratio("ratio", (2, 2)), "2:2")
        self.assertEqual(_args.fmt_ratio("ratio", "96:2"), "96:2")


class TestResults(unittest.TestCase):
    def setUp(self) -> None:
        support.binary()
        support.chdir_root(self)

    def test_record(self) -> None:
        r = Record({"pass": True, "p_value": None, "shift": {"low": -1.5}, "metrics": [{"name": "a"}], "2x": 1})
        self.assertIs(r.pass_, True)
        self.assertIs(getattr(r, "pass"), True)
        self.assertIs(r["pass"], True)
        self.assertIsNone(r.p_value)
        self.assertEqual(r.shift.low, -1.5)
        self.assertEqual(r.metrics[0].name, "a")
        self.assertEqual(r["2x"], 1)
        self.assertIn("shift", dir(r))
        self.assertEqual(r, {"pass": True, "p_value": None, "shift": {"low": -1.5}, "metrics": [{"name": "a"}], "2x": 1})
        d = r.to_dict()
        d["shift"]["low"] = 0
        self.assertEqual(r.shift.low, -1.5, "to_dict is a copy")
        with self.assertRaisesRegex(AttributeError, "no key 'p_valeu'.*p_value"):
            r.p_valeu
        self.assertIn("pass_=True", repr(r))

    def test_to_frame(self) -> None:
        pd = support.pandas()
        aa = chaosstat.aa(A + "clean_control.csv", A + "clean_experiment.csv", counts=True)
        f = aa.to_frame()
        self.assertEqual(list(f.index), [w.window for w in aa.windows])
        self.assertEqual(f.loc["30m0s", "status"], "valid")

        crit = chaosstat.criteria(C + "satisfaction.csv", {"good": C + "good.csv", "walk": C + "random_walk.csv"})
        f = crit.to_frame()
        self.assertEqual(list(f.index), ["good", "walk"])
        self.assertEqual(f.loc["good", "correlation.lag_seconds"], 120)
        self.assertEqual(list(f["pass"]), [True, False])

        j = chaosstat.judge("examples/hypothesis/hypothesis.yaml")
        f = j.to_frame()
        self.assertEqual(f.loc["errors_per_minute", "classification"], "high")
        self.assertEqual(f.loc["errors_per_minute", "effect.estimate"], j.metrics[1].effect.estimate)

        b = chaosstat.baseline(B + "history.csv", B + "drop_day.csv", timezone="America/New_York")
        f = b.to_frame()
        self.assertEqual(len(f), len(b.deviations))
        self.assertEqual(f["start"].iloc[0], pd.Timestamp(b.deviations[0].start))
        self.assertEqual(str(f["start"].dt.tz), "America/New_York")
        steady = chaosstat.baseline(B + "history.csv", B + "normal_day.csv", timezone="America/New_York").to_frame()
        self.assertEqual((len(steady), list(steady.columns)), (0, ["start", "end", "direction", "worst_ratio", "points"]))

        m = chaosstat.monitor(M + "drop_control.csv", M + "drop_experiment.csv", direction="decrease")
        f = m.to_frame()
        self.assertIsInstance(f.index, pd.DatetimeIndex)
        self.assertEqual(f.index[-1], pd.Timestamp(m.stop.time))
        self.assertEqual(f["action"].iloc[-1], "stop")
        self.assertIn("difference.estimate", f.columns)

        a = chaosstat.apdex("cmd/chaosstat/testdata/apdex_timed.csv", 0.5, window="1m")
        f = a.to_frame()
        self.assertEqual(len(f), len(a.windows))
        self.assertTrue(math.isnan(f["score"].iloc[4]) and a.windows[4].score is None, "NS is NaN in the frame")

        h = chaosstat.aa(A + "health_control.csv", A + "health_outage_experiment.csv", health=True)
        self.assertEqual(list(h.to_frame().index), [pd.Timestamp(w.start) for w in h.flagged_windows])

    def test_to_frame_without_pandas(self) -> None:
        r = chaosstat.judge("examples/hypothesis/hypothesis.yaml")
        with mock.patch.dict(sys.modules, {"pandas": None}):
            with self.assertRaisesRegex(ImportError, r"to_frame\(\) needs pandas.*pip install pandas.*python3-pandas"):
                r.to_frame()
            self.assertEqual(r.verdict, "disproved", "attributes need no pandas")

    def test_repr(self) -> None:
        r = chaosstat.compare("testdata/taxi_control.csv", "testdata/taxi_experiment.csv")
        self.assertEqual(r.command_line, "chaosstat compare --control testdata/taxi_control.csv "
                                         "--experiment testdata/taxi_experiment.csv --format json")
        self.assertTrue(repr(r).startswith("CompareResult(exit_code=1, meaning='significant difference', test='mannwhitney'"), repr(r))


if __name__ == "__main__":
    unittest.main()
