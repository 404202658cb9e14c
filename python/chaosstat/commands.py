"""One function per command. Each runs ``chaosstat COMMAND ... --format json`` and returns its
answer as a result (chaosstat.results).

Arguments are keyword arguments named after the command's flags in snake_case
(--max-drop is max_drop=); None leaves a flag out, so the command's default holds (the
defaults below are the command's). Data arguments take a path (CSV "timestamp,value" or a
single "value" column, or a saved Prometheus query_range .json response) or the data
itself, written to a temporary CSV file for the run:

- a pandas Series whose index holds the times (a DatetimeIndex; naive times are UTC; a
  default RangeIndex writes the values alone);
- a mapping {time: value} or a list of (time, value) pairs, times as datetimes, Unix
  seconds or RFC 3339 text;
- a list (or array) of values.

Missing values (None, NaN) are written as empty cells, which the command counts as
missing. Durations are Go durations ("30m", "1h30m") or datetime.timedelta; times are RFC
3339 text, Unix seconds, "now-1h", or datetimes (naive: UTC).

Exit 0, 1 and 3 are answers: the result's exit_code and meaning say which. Exit 2 raises
chaosstat.UsageError with the command's message, which names the flag and the keyword
argument, or the file and line.
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Optional, Sequence, Union

from . import _args
from ._run import Call, Prometheus
from .results import (AAResult, ApdexResult, BaselineResult, CompareResult, CriteriaResult, DemoResult,
                      JudgeResult, MonitorResult)

PathLike = Union[str, "os.PathLike[str]"]
Series = Any  # a path, a pandas Series, a mapping {time: value}, or a list
Duration = Any  # "30m" or a datetime.timedelta
Time = Any  # RFC 3339 text, Unix seconds, "now-1h" or a datetime
Server = Union[None, str, Prometheus]


def compare(control: Optional[Series] = None, experiment: Optional[Series] = None, *,
            test: Optional[str] = None, method: Optional[str] = None, alternative: Optional[str] = None,
            confidence: Optional[float] = None,
            control_query: Optional[str] = None, experiment_query: Optional[str] = None,
            prometheus: Server = None, start: Optional[Time] = None, end: Optional[Time] = None,
            step: Optional[Duration] = None, plot: Optional[PathLike] = None) -> CompareResult:
    """Does the experiment group's metric differ from the control's? ``chaosstat compare``.

    Only the values are compared, as independent samples (prefer values aggregated over
    windows to raw scrapes).

    Args:
        control, experiment: the two groups' data (paths or data, see the module's doc).
        test: "mannwhitney" (default): does one group tend to be larger; "welch": do the
            means differ; "ks": do the distributions differ at all.
        method: "auto" (default), "exact" or "asymptotic" p-value.
        alternative: "two-sided" (default), "greater" (the experiment is higher) or "less".
        confidence: the interval's level in (0, 1), default 0.95; alpha = 1 - confidence.
        control_query, experiment_query: PromQL range queries (one series each) instead
            of the files, read from prometheus over start..end at step (default 1m).
        prometheus: the server's URL, or a chaosstat.Prometheus with its connection settings.
        start, end: the range of the queries (end defaults to now).
        plot: also draw both groups and their distributions to this SVG or PNG file.

    Returns:
        CompareResult: exit_code 0 no significant difference, 1 significant difference,
        3 no data or too few points (no JSON).

    Raises:
        UsageError: exit 2, a bad argument (the flag and keyword named) or an unreadable
            file (file:line named).
    """
    with Call("compare") as c:
        c.data("--control", control, "control")
        c.data("--experiment", experiment, "experiment")
        c.flag("--control-query", control_query, "control_query")
        c.flag("--experiment-query", experiment_query, "experiment_query")
        c.flag("--test", test, "test")
        c.flag("--method", method, "method")
        c.flag("--alternative", alternative, "alternative")
        c.number("--confidence", confidence, "confidence")
        c.path("--plot", plot, "plot")
        c.prometheus(prometheus, start, end, step)
        return CompareResult._from(c.run())


def aa(control: Optional[Series] = None, experiment: Optional[Series] = None, *,
       window: Optional[Duration] = None, windows: Optional[Union[str, Sequence[Duration]]] = None,
       alpha: Optional[float] = None, test: Optional[str] = None, counts: Optional[bool] = None,
       ratio: Optional[Union[str, Sequence[float]]] = None, health: Optional[bool] = None,
       control_query: Optional[str] = None, experiment_query: Optional[str] = None,
       prometheus: Server = None, start: Optional[Time] = None, end: Optional[Time] = None,
       step: Optional[Duration] = None, plot: Optional[PathLike] = None) -> AAResult:
    """Before any fault: is the split valid at the planned window, and which window is?
    ``chaosstat aa``, an A/A replay on data from before the experiment.

    Args:
        control, experiment: the two groups' time series on the same grid (paths or data).
        window: the window length the experiment will use (default "30m").
        windows: candidate lengths, a list or "5m,10m,..." (default 5m, 10m, 30m, 1h, 2h,
            6h, 12h, 24h; window is added).
        alpha: significance level of each window's comparison (default 0.05).
        test: the experiment's comparison: "mannwhitney" (default), "welch" or "ks".
        counts: the values are counts (requests, downloads): also check the sample ratio.
        ratio: the planned split control:experiment, "1:1" (default) or a pair (2, 2).
        health: check the experiment period's sample ratio only (implies counts).
        control_query, experiment_query, prometheus, start, end, step: the PromQL form,
            as for compare.
        plot: also draw the false-positive rate per window length to this SVG or PNG file.

    Returns:
        AAResult: exit_code 0 valid at the planned window, 1 invalid or a sample-ratio
        mismatch, 3 too little history to judge it (or no data). to_frame(): the windows.
    """
    with Call("aa") as c:
        c.data("--control", control, "control")
        c.data("--experiment", experiment, "experiment")
        c.flag("--control-query", control_query, "control_query")
        c.flag("--experiment-query", experiment_query, "experiment_query")
        c.duration("--window", window, "window")
        c.flag("--windows", windows, "windows", _args.fmt_durations)
        c.number("--alpha", alpha, "alpha")
        c.flag("--test", test, "test")
        c.switch("--counts", counts, "counts")
        c.flag("--ratio", ratio, "ratio", _args.fmt_ratio)
        c.switch("--health", health, "health")
        c.path("--plot", plot, "plot")
        c.prometheus(prometheus, start, end, step)
        return AAResult._from(c.run())


def judge(hypothesis: PathLike, *, prometheus: Server = None, start: Optional[Time] = None,
          end: Optional[Time] = None, step: Optional[Duration] = None,
          history: Optional[Duration] = None) -> JudgeResult:
    """Does the steady-state hypothesis hold under the fault? ``chaosstat judge``.

    Args:
        hypothesis: the hypothesis file, YAML or JSON (examples/hypothesis/SCHEMA.md); its
            data files are relative to it.
        prometheus, start, end, step: where the file's {query: PROMQL} sources are read,
            and the window judged (step default 1m).
        history: read each metric's queries again over this long before start ("8h") as
            the groups' history, from which the time-series test takes the variance of slow
            swings an hour cannot show (--history; docs/commands/judge.md). A metric with
            history_control and history_experiment in the file keeps its own.

    Returns:
        JudgeResult: exit_code 0 held, 1 disproved, 3 inconclusive. to_frame(): the metrics.

    Raises:
        UsageError: exit 2; the message names the hypothesis file's line and field, or
            the data file's line.
    """
    if hypothesis is None:
        raise TypeError("judge() needs hypothesis=, the hypothesis file")
    with Call("judge") as c:
        c.path("--hypothesis", hypothesis, "hypothesis")
        c.prometheus(prometheus, start, end, step)
        c.duration("--history", history, "history")
        return JudgeResult._from(c.run())


def baseline(history: Optional[Series] = None, current: Optional[Series] = None, *,
             weeks: Optional[int] = None, min_weeks: Optional[int] = None, timezone: Optional[str] = None,
             level_adjust: Optional[bool] = None, model: Optional[str] = None, log_scale: Optional[bool] = None,
             pool_days: Optional[bool] = None, resolution: Optional[float] = None,
             z: Optional[float] = None, persistence: Optional[int] = None,
             history_query: Optional[str] = None, current_query: Optional[str] = None,
             prometheus: Server = None, start: Optional[Time] = None, end: Optional[Time] = None,
             step: Optional[Duration] = None, plot: Optional[PathLike] = None) -> BaselineResult:
    """Does the current series look like the same hours of past weeks? ``chaosstat baseline``.

    Args:
        history: past weeks of the metric (points at or after current's start are ignored,
            so one export can serve as both); its sampling interval must divide a day.
        current: the series to check.
        weeks: how many past weeks the baseline is built from (default 4).
        min_weeks: how many of them a slot needs values in to be judged (default 3).
        timezone: the IANA time zone whose wall clock the weekly cycle follows, such as
            "America/New_York" (default UTC).
        level_adjust: scale each past week to the level of the most recent one first.
        model: the band's model, "auto" (the default), "linear" or "counts". auto picks
            counts (log(1 + value/step), the spread pooled over the days, at least one step)
            when no value of either series is below 0, else linear; the result's model and
            model_reason say which and why.
        log_scale: without model, build the model by hand: judge log(1 + value/resolution).
        pool_days: without model: pool the spread over the same time of day on all seven days.
        resolution: the metric's smallest step (1 for counts): the least spread of a slot;
            for model "counts" it replaces the chosen one.
        z: half-width of the band in spreads (default 4).
        persistence: consecutive outside points a deviation needs (default 5).
        history_query, current_query: PromQL instead of the files: current over
            start..end, the history over the weeks before current's first point.
        prometheus, start, end, step: the PromQL form, as for compare.
        plot: also draw the band and the deviations to this SVG or PNG file.

    Returns:
        BaselineResult: exit_code 0 steady, 1 deviated, 3 too little history.
        to_frame(): the deviations.
    """
    with Call("baseline") as c:
        c.data("--history", history, "history")
        c.data("--current", current, "current")
        c.flag("--history-query", history_query, "history_query")
        c.flag("--current-query", current_query, "current_query")
        c.integer("--weeks", weeks, "weeks")
        c.integer("--min-weeks", min_weeks, "min_weeks")
        c.flag("--timezone", timezone, "timezone")
        c.switch("--level-adjust", level_adjust, "level_adjust")
        c.flag("--model", model, "model")
        c.switch("--log-scale", log_scale, "log_scale")
        c.switch("--pool-days", pool_days, "pool_days")
        c.number("--resolution", resolution, "resolution")
        c.number("--z", z, "z")
        c.integer("--persistence", persistence, "persistence")
        c.path("--plot", plot, "plot")
        c.prometheus(prometheus, start, end, step)
        return BaselineResult._from(c.run())


def criteria(satisfaction: Optional[Series] = None, metrics: Optional[Mapping[str, Series]] = None, *,
             metric_queries: Optional[Mapping[str, str]] = None, satisfaction_query: Optional[str] = None,
             max_lag: Optional[Duration] = None, resolution: Optional[Duration] = None,
             max_delay: Optional[Duration] = None, max_latency: Optional[Duration] = None,
             now: Optional[Time] = None, method: Optional[str] = None, differencing: Optional[str] = None,
             min_correlation: Optional[float] = None, alpha: Optional[float] = None,
             min_completeness: Optional[float] = None,
             prometheus: Server = None, start: Optional[Time] = None, end: Optional[Time] = None,
             step: Optional[Duration] = None, plot: Optional[PathLike] = None) -> CriteriaResult:
    """Which candidate metrics can define the steady state? ``chaosstat criteria`` judges
    each on correlation with customer satisfaction, real time and measurability.

    Args:
        satisfaction: the customer-satisfaction series (per-minute Apdex, conversion, ...).
        metrics: the candidates, {name: path or series} (the flag --metric NAME=FILE).
        metric_queries: candidates from PromQL, {name: query} (--metric-query NAME=Q);
            may be mixed with metrics.
        satisfaction_query: the satisfaction series from PromQL.
        max_lag: the largest lag searched, both ways (default "15m").
        resolution: the largest sampling interval that is real time (default "1m").
        max_delay: the largest delay behind satisfaction that is real time (default "5m").
        max_latency: the largest data latency that is real time (default "5m").
        now: the query time, which latency is measured from (not judged without it).
        method: "spearman" (default), "pearson" or "kendall".
        differencing: "deseasonalised" (default), "first", "seasonal" or "levels" (shown for contrast).
        min_correlation: the smallest |coefficient| that passes (default 0.5).
        alpha: significance level of the correlation (default 0.05).
        min_completeness: the smallest share of points present, in (0, 1] (default 0.99).
        prometheus, start, end, step: the PromQL form, as for compare.
        plot: also draw each metric's correlation against the lag to this SVG or PNG file.

    Returns:
        CriteriaResult: exit_code 0 every metric passes, 1 some fail, 3 no data.
        to_frame(): the metrics.
    """
    with Call("criteria") as c:
        c.data("--satisfaction", satisfaction, "satisfaction")
        c.named("--metric", metrics, "metrics", data=True)
        c.flag("--satisfaction-query", satisfaction_query, "satisfaction_query")
        c.named("--metric-query", metric_queries, "metric_queries", data=False)
        c.duration("--max-lag", max_lag, "max_lag")
        c.duration("--resolution", resolution, "resolution")
        c.duration("--max-delay", max_delay, "max_delay")
        c.duration("--max-latency", max_latency, "max_latency")
        c.time("--now", now, "now")
        c.flag("--method", method, "method")
        c.flag("--differencing", differencing, "differencing")
        c.number("--min-correlation", min_correlation, "min_correlation")
        c.number("--alpha", alpha, "alpha")
        c.number("--min-completeness", min_completeness, "min_completeness")
        c.path("--plot", plot, "plot")
        c.prometheus(prometheus, start, end, step)
        return CriteriaResult._from(c.run())


def monitor(control: Optional[Series] = None, experiment: Optional[Series] = None, *,
            feed: Optional[Any] = None, alpha: Optional[float] = None, direction: Optional[str] = None,
            max_drop: Optional[float] = None, sustain: Optional[int] = None,
            experiment_below: Optional[float] = None, experiment_above: Optional[float] = None,
            max_gap: Optional[Duration] = None, scale: Optional[str] = None, horizon: Optional[int] = None,
            min_points: Optional[int] = None, baseline: Optional[Series] = None,
            history_control: Optional[Series] = None, history_experiment: Optional[Series] = None,
            control_query: Optional[str] = None, experiment_query: Optional[str] = None,
            prometheus: Server = None, start: Optional[Time] = None, end: Optional[Time] = None,
            step: Optional[Duration] = None, plot: Optional[PathLike] = None) -> MonitorResult:
    """During the run: continue or stop now? ``chaosstat monitor`` replays the two groups
    look by look (an always-valid sequential test with guardrails) and returns every
    decision, the last one the stop if the run was stopped.

    Args:
        control, experiment: the two groups' series, merged by timestamp.
        feed: instead, a feed of "timestamp,control,experiment[,baseline]" lines: a path,
            or a DataFrame with columns control, experiment (and baseline) indexed by time
            (or with a timestamp column).
        alpha: the false-stop rate over the whole run (default 0.05).
        direction: the change that hurts: "either" (default), "decrease" or "increase".
        max_drop: guardrail: the experiment this much worse than the control (relative)
            for sustain points in a row (default 0.2; 0 turns it off).
        sustain: points in a row for max_drop and the value limits (default 3).
        experiment_below, experiment_above: guardrails on the experiment's value.
        max_gap: stop when a group has had no value for longer (default "5m").
        scale: "log_ratio" (default) or "difference" (metrics that can be zero).
        horizon: planned number of looks, for tuning the test (default 360).
        min_points: complete pairs before the test may stop (default 10).
        baseline: last weeks' waveform, for the report.
        history_control, history_experiment: the two groups before the experiment (at
            least 30 complete pairs): they prime the test's variance, so it is sharp from
            the first minutes. Recommended.
        control_query, experiment_query, prometheus, start, end, step: the PromQL form, as
            for compare.
        plot: at the end, also draw the p-value and the difference over time to this file.

    Returns:
        MonitorResult: exit_code 0 ran to the end, 1 stopped, 3 no data or too few pairs.
        decisions: one per look; to_frame(): them as a table.
    """
    with Call("monitor") as c:
        c.data("--control", control, "control")
        c.data("--experiment", experiment, "experiment")
        c.flag("--control-query", control_query, "control_query")
        c.flag("--experiment-query", experiment_query, "experiment_query")
        c.table("--feed", feed, "feed", ["timestamp", "control", "experiment", "baseline"])
        c.number("--alpha", alpha, "alpha")
        c.flag("--direction", direction, "direction")
        c.number("--max-drop", max_drop, "max_drop")
        c.integer("--sustain", sustain, "sustain")
        c.number("--experiment-below", experiment_below, "experiment_below")
        c.number("--experiment-above", experiment_above, "experiment_above")
        c.duration("--max-gap", max_gap, "max_gap")
        c.flag("--scale", scale, "scale")
        c.integer("--horizon", horizon, "horizon")
        c.integer("--min-points", min_points, "min_points")
        c.data("--baseline", baseline, "baseline")
        c.data("--history-control", history_control, "history_control")
        c.data("--history-experiment", history_experiment, "history_experiment")
        c.path("--plot", plot, "plot")
        c.prometheus(prometheus, start, end, step)
        return MonitorResult._from(c.run(json_lines=True))


def apdex(requests: Any, threshold: float, *, frustrated: Optional[float] = None,
          window: Optional[Duration] = None) -> ApdexResult:
    """The Apdex score by the Apdex 1.1 specification, overall or per window. ``chaosstat apdex``.

    Args:
        requests: a CSV path, or a pandas DataFrame (or a list of dicts) with the columns
            duration_seconds (empty on a failed request), error (True/False) and, for
            window, timestamp (or a DatetimeIndex).
        threshold: the target threshold T in seconds, such as 0.5.
        frustrated: the frustration threshold F in seconds (default 4T).
        window: score each window of this length, aligned to the clock ("1m").

    Returns:
        ApdexResult: exit_code 0 scored, 3 no requests (NS). With window, windows: one
        Record per window; to_frame(): them as a table.
    """
    if requests is None:
        raise TypeError("apdex() needs requests, a CSV path or a DataFrame of requests")
    with Call("apdex") as c:
        c.number("--threshold", threshold, "threshold")
        c.number("--frustrated", frustrated, "frustrated")
        c.duration("--window", window, "window")
        c.table(None, requests, "requests", ["timestamp", "duration_seconds", "error"])
        return ApdexResult._from(c.run())


def demo(*, out: Optional[PathLike] = None, unit_revenue: Optional[float] = None,
         engineering_hours: Optional[float] = None, hourly_cost: Optional[float] = None,
         slo: Optional[float] = None) -> DemoResult:
    """The whole method on the case study embedded in the command (synthetic data from a
    seeded generator). ``chaosstat demo``.

    Args:
        out: also write each step's JSON (and figures) into this folder.
        unit_revenue, engineering_hours, hourly_cost, slo: replace the scenario's
            assumptions for the cost step.

    Returns:
        DemoResult: each step as the result of its own command (r.judge.to_frame(), ...).
    """
    with Call("demo") as c:
        c.path("--out", out, "out")
        c.number("--unit-revenue", unit_revenue, "unit_revenue")
        c.number("--engineering-hours", engineering_hours, "engineering_hours")
        c.number("--hourly-cost", hourly_cost, "hourly_cost")
        c.number("--slo", slo, "slo")
        return DemoResult._from(c.run())
