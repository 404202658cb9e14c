"""The results of the commands: their JSON as attributes, with the exit code and its meaning.

Every result is a Record: each key of the command's JSON object is an attribute
(``r.p_value``) and an item (``r["p_value"]``); nested objects are Records too
(``r.shift.low``) and lists of objects lists of Records. A key that is a Python keyword
gets an underscore after it as an attribute (criteria's ``pass`` is ``r.pass_``, and
``r["pass"]``). JSON null is None; numbers that are not finite are null in the JSON, so
None here. ``to_dict()`` gives the JSON as the command wrote it.

Keys are added to the commands' JSON, never renamed or removed: a key newer than this
package is an attribute all the same, only undocumented here.
"""

from __future__ import annotations

import keyword
import shlex
from typing import Any, Dict, Iterator, List, Mapping, Optional

from ._run import Outcome

_PANDAS_HINT = (
    "to_frame() needs pandas, which is not installed: pip install pandas "
    "(on Debian: apt-get install python3-pandas); the results' attributes and to_dict() work without it"
)


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as e:
        raise ImportError(_PANDAS_HINT, name="pandas") from e
    return pd


def _attr(key: str) -> str:
    return key + "_" if keyword.iskeyword(key) else key


def _wrap(v: Any) -> Any:
    if isinstance(v, dict):
        return Record(v)
    if isinstance(v, list):
        return [_wrap(x) for x in v]
    return v


def _short(v: Any) -> str:
    if isinstance(v, Record):
        return f"{type(v).__name__}({len(v.keys())} keys)"
    if isinstance(v, list):
        if v and isinstance(v[0], Record):
            return f"[{len(v)} record{'s' if len(v) != 1 else ''}]"
        r = repr(v)
        return r if len(r) <= 60 else f"[{len(v)} item{'s' if len(v) != 1 else ''}]"
    r = repr(v)
    return r if len(r) <= 80 else r[:77] + "...'"


class Record:
    """A JSON object whose keys are attributes and items. See the module's doc."""

    def __init__(self, data: Mapping[str, Any]):
        object.__setattr__(self, "_json", dict(data))
        for k, v in data.items():
            if isinstance(k, str) and _attr(k).isidentifier() and not hasattr(type(self), _attr(k)):
                self.__dict__[_attr(k)] = _wrap(v)

    def __getitem__(self, key: str) -> Any:
        if key not in self._json:
            raise KeyError(key)
        a = _attr(key)
        return self.__dict__[a] if a in self.__dict__ else _wrap(self._json[key])

    def __contains__(self, key: object) -> bool:
        return key in self._json

    def __iter__(self) -> Iterator[str]:
        return iter(self._json)

    def keys(self) -> List[str]:
        """The JSON keys, in the command's order."""
        return list(self._json)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self._json else default

    def to_dict(self) -> Dict[str, Any]:
        """The JSON object as the command wrote it (nested dicts and lists)."""
        import copy

        return copy.deepcopy(self._json)

    def __getattr__(self, name: str) -> Any:
        # Only called when the attribute is missing: a keyword's plain spelling
        # (getattr(r, "pass")), or a key the JSON does not have.
        if name.startswith("_"):
            raise AttributeError(name)
        if keyword.iskeyword(name) and name in self._json:
            return self[name]
        raise AttributeError(f"{type(self).__name__} has no key {name!r}; its keys: {', '.join(self._json)}")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Record):
            return self._json == other._json
        if isinstance(other, dict):
            return self._json == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | set(self.__dict__))

    def __repr__(self) -> str:
        inner = ", ".join(f"{_attr(k)}={_short(self[k])}" for k in self._json)
        return f"Record({inner})"


class Result(Record):
    """The answer of one command: its JSON keys as attributes (see Record), and

    Attributes:
        exit_code: the command's exit code: 0, 1 or 3 (2 raises UsageError).
        meaning: what the exit code means for this command, as the command's page in docs/commands says
            ("significant difference", "held", "too little history", ...).
        stderr: what the command wrote on stderr: the reason of an exit 3 without JSON,
            or notes (empty when none).
        argv: the command line that ran (temporary files shown as <keyword>).
        command_line: the same as one line a shell would run, the binary shown as
            "chaosstat".

    Exit 3, inconclusive, may come without JSON (compare, baseline, criteria, monitor and
    apdex with no data): then the result has no keys, and reading one raises an
    AttributeError that gives the reason.
    """

    MEANINGS: Dict[int, str] = {0: "", 1: "", 3: "inconclusive"}

    exit_code: int
    meaning: str
    stderr: str
    argv: List[str]
    command_line: str

    def __init__(self, data: Optional[Mapping[str, Any]], exit_code: Optional[int] = None,
                 stderr: str = "", argv: Optional[List[str]] = None, command: str = ""):
        super().__init__(data or {})
        self.__dict__["_has_json"] = data is not None
        self.__dict__["_command"] = command
        self.__dict__["exit_code"] = exit_code
        self.__dict__["meaning"] = self.MEANINGS.get(exit_code, "") if exit_code is not None else ""
        self.__dict__["stderr"] = stderr
        self.__dict__["argv"] = list(argv or [])
        self.__dict__["command_line"] = shlex.join(["chaosstat", *self.argv[1:]]) if argv else ""

    @classmethod
    def _from(cls, o: Outcome) -> "Result":
        return cls(o.data, o.exit_code, o.stderr, o.argv, o.command)

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_") and not self.__dict__.get("_has_json", True):
            raise AttributeError(
                f"chaosstat {self._command} printed no JSON, so no {name!r}: exit {self.exit_code} "
                f"({self.meaning}): {self.stderr.strip()}")
        return super().__getattr__(name)

    def __repr__(self) -> str:
        head = f"exit_code={self.exit_code!r}, meaning={self.meaning!r}"
        if not self._has_json:
            return f"{type(self).__name__}({head}, stderr={self.stderr.strip()!r})"
        inner = ", ".join(f"{_attr(k)}={_short(self[k])}" for k in self._json)
        return f"{type(self).__name__}({head}, {inner})"

    def _frame(self, rows: List[Dict[str, Any]], index: Optional[str] = None,
               times: tuple = (), tz: Optional[str] = None) -> Any:
        """A DataFrame of a list of JSON objects: nested objects flattened to dotted columns
        (effect.estimate), the time columns parsed (UTC, or tz), index set."""
        pd = _pandas()
        if not self._has_json:
            raise ValueError(f"chaosstat {self._command} printed no JSON (exit {self.exit_code}, "
                             f"{self.meaning}): {self.stderr.strip()}")
        df = pd.json_normalize(rows) if rows else pd.DataFrame()
        for c in times:
            if c in df.columns:
                df[c] = pd.to_datetime(df[c], utc=True)
                if tz:
                    df[c] = df[c].dt.tz_convert(tz)
        if index is not None and index in df.columns:
            df = df.set_index(index)
        return df


class CompareResult(Result):
    """The answer of compare: does the experiment group's metric differ from the control's?

    exit_code: 0 no significant difference (p > alpha), 1 significant difference
    (p <= alpha), 3 inconclusive: no data or too few points (no JSON; stderr says why).

    Attributes:
        test: "mannwhitney", "welch" or "ks".
        method: the method used, "exact" or "asymptotic" (ties force asymptotic).
        alternative: "two-sided", "greater" or "less", about the experiment relative to
            the control.
        statistic: U of the experiment sample (Mann-Whitney, as scipy's
            mannwhitneyu(experiment, control)), t (Welch) or D (Kolmogorov-Smirnov).
        df: Welch's degrees of freedom; None for the other tests.
        p_value: the p-value, in [0, 1].
        alpha: the significance level, 1 - confidence.
        significant: p_value <= alpha; the exit code says the same.
        n_experiment, n_control: values used (missing ones not counted).
        shift: the size of the difference, experiment - control, in the data's units:
            shift.estimate (Hodges-Lehmann for mannwhitney and ks, difference in means
            for welch), shift.low and shift.high (the interval; None when infinite, as
            for a one-sided alternative), shift.confidence (the level the interval
            achieves).
        warnings: where the test ran but its answer is weak, each saying what to do.
    """

    MEANINGS = {0: "no significant difference", 1: "significant difference",
                3: "inconclusive: no data or too few points"}

    test: str
    method: str
    alternative: str
    statistic: float
    df: Optional[float]
    p_value: float
    alpha: float
    significant: bool
    n_experiment: int
    n_control: int
    shift: Record
    warnings: List[str]


class AAResult(Result):
    """The answer of aa: before any fault, is the split valid at the planned window, and
    which window is?

    exit_code: 0 valid at the planned window (with health=True: no sample-ratio
    mismatch), 1 invalid or a sample-ratio mismatch, 3 not enough history to judge the
    planned window (JSON with status "too-few-windows"), or no data (no JSON).

    Attributes:
        valid: the planned window is valid; the exit code says the same.
        status: the planned window's verdict: "valid", "invalid" or "too-few-windows".
        planned_window: the planned window as a Go duration ("30m0s").
        recommended_window: the shortest valid length, or None when none is.
        alpha: the significance level of each window's comparison and of the binomial check.
        test: the comparison replayed.
        min_windows: the windows a length needs to be judged.
        windows: one Record per window length, shortest first (to_frame() makes them a
            table): window (the length), windows and windows_tested (windows in the
            period, and those tested), false_positives and false_positive_rate, fpr_low
            and fpr_high (its Clopper-Pearson interval), p_value (one-sided exact binomial
            p of the count against alpha), valid and status (the length's verdict),
            split_sd and split_sd_binomial (how much the per-window split wanders, and what
            a random split gives; counts only), dispersion (mean per-window sample-ratio
            chi-square; counts only), mde_relative (the smallest relative drop the
            comparison detects in 80% of the windows; 1 when not even 95%), mde_totals
            (the same for a comparison of window totals).
        srm: with counts=True the sample-ratio check: chi_square, p_value, mismatch,
            dispersion, dispersion_p_value, alpha, ratio, experiment_total,
            control_total, experiment_share, expected_share, window, windows; else None.
        warnings: what to act on, phrased as what to do.

    With health=True the keys are instead healthy (bool), srm, flagged_windows (Records
    of start, experiment, control, chi_square, p_value; to_frame() makes them a table)
    and warnings.
    """

    MEANINGS = {0: "valid at the planned window", 1: "invalid",
                3: "inconclusive: too little history to judge the planned window"}
    HEALTH_MEANINGS = {0: "no sample-ratio mismatch", 1: "sample-ratio mismatch", 3: "inconclusive: no data"}

    valid: bool
    status: str
    planned_window: str
    recommended_window: Optional[str]
    alpha: float
    test: str
    min_windows: int
    windows: List[Record]
    srm: Optional[Record]
    warnings: List[str]

    def __init__(self, data: Optional[Mapping[str, Any]], exit_code: Optional[int] = None,
                 stderr: str = "", argv: Optional[List[str]] = None, command: str = ""):
        super().__init__(data, exit_code, stderr, argv, command)
        if "--health" in self.argv or (data is not None and "healthy" in data):
            self.__dict__["meaning"] = self.HEALTH_MEANINGS.get(exit_code, "") if exit_code is not None else ""

    def to_frame(self) -> Any:
        """The window lengths as a DataFrame indexed by window ("30m0s"), one column per key
        of windows[] (pd.to_timedelta(df.index) gives the lengths); with health=True the
        flagged windows, indexed by start."""
        if "flagged_windows" in self._json:
            return self._frame(self._json["flagged_windows"], index="start", times=("start",))
        return self._frame(self._json.get("windows", []), index="window")


class JudgeResult(Result):
    """The answer of judge: does the steady-state hypothesis hold under the fault?

    exit_code: 0 held, 1 disproved, 3 inconclusive (no data, a marginal score).

    Attributes:
        hypothesis: the hypothesis's name.
        verdict: "held", "disproved" or "inconclusive".
        reason: the rule that decided it.
        score: passing over judged metrics, groups averaged by weight; None when nothing
            was judged.
        confidence, alpha: the level, and 1 - level.
        correction: "holm", "benjamini-hochberg" or "none", across the metrics.
        thresholds: pass and marginal, the score thresholds.
        groups: Records of name, weight, score, passing, judged.
        metrics: one Record per metric in the file's order (to_frame() makes them a
            table): name, kind, unit, group, critical, direction, tolerance,
            absolute_tolerance (as the file defines them); test (the test that ran, "" when
            none did); classification ("pass", "high", "low", "nodata" or "error") and
            reason; p_value and adjusted_p_value (two-sided, and adjusted across the
            metrics; None when no test ran); effect (estimate, low, high: experiment -
            control in the metric's units with its interval; relative, relative_low,
            relative_high: divided by the control's level; relative_infinite: +1 or -1
            when the change over a zero control is infinite; control_level; measure);
            n_control, n_experiment, missing_control, missing_experiment; autocorrelation
            and effective_n (timeseries only); level_shift and segment (timeseries only,
            else None: where the difference shifted level, or moved and came back, with
            the mean difference on each side and the test's p_value); control and
            experiment (the files read, or the queries); warnings.
    """

    MEANINGS = {0: "held", 1: "disproved", 3: "inconclusive"}

    hypothesis: str
    verdict: str
    reason: str
    score: Optional[float]
    confidence: float
    alpha: float
    correction: str
    thresholds: Record
    groups: List[Record]
    metrics: List[Record]

    def to_frame(self) -> Any:
        """The metrics as a DataFrame indexed by name; nested keys flattened (effect.estimate,
        effect.low, ...)."""
        return self._frame(self._json.get("metrics", []), index="name")


class BaselineResult(Result):
    """The answer of baseline: does the current series look like the same hours of past weeks?

    exit_code: 0 steady, 1 deviated, 3 inconclusive: too little history (fewer than
    min_weeks weeks with data) or no point could be judged (no JSON).

    Attributes:
        verdict: "steady" or "deviated"; the exit code says the same.
        deviations: Records of start (the first outside point), end (the last plus one
            step), RFC 3339 in the timezone; direction ("below" or "above"); worst_ratio
            (value/centre farthest from 1; None where the centre is 0); points (outside in
            the interval). to_frame() makes them a table.
        fraction_outside: judged points outside the band / judged points.
        false_alarm_rate_per_day: deviations raised on the history by leaving one week
            out, per judged day; None with fewer than 3 weeks of history.
        false_alarm_rate_upper_95: its one-sided 95% Poisson upper bound.
        false_alarm_days: the judged days of history behind the rate.
        judged, outside, missing, unjudged: current points compared with the band; outside
            it; missing; in slots with fewer than min_weeks weeks of history.
        weeks, weeks_with_data: weeks asked for, and how many hold data.
        step_seconds: the resolution, the history's sampling interval.
        timezone, z, persistence: the settings used.
        model: the band's model, "counts", "linear" or "custom" (log_scale or pool_days by
            hand); never "auto", which picks one of the first two.
        model_reason: why: "given", or "auto: ..." with what in the data decided it.
        level_adjust, log_scale, pool_days, resolution: the options that shaped the band, as
            the model set them.
        warnings: weak spots, phrased as what to do.
    """

    MEANINGS = {0: "steady", 1: "deviated", 3: "inconclusive: too little history"}

    verdict: str
    deviations: List[Record]
    fraction_outside: float
    false_alarm_rate_per_day: Optional[float]
    false_alarm_rate_upper_95: Optional[float]
    false_alarm_days: Optional[float]
    judged: int
    outside: int
    missing: int
    unjudged: int
    weeks: int
    weeks_with_data: int
    step_seconds: float
    timezone: str
    z: float
    persistence: int
    model: str
    model_reason: str
    level_adjust: bool
    log_scale: bool
    pool_days: bool
    resolution: float
    warnings: List[str]

    def to_frame(self) -> Any:
        """The deviations as a DataFrame, start and end as times in the result's timezone."""
        pd = _pandas()
        df = self._frame(self._json.get("deviations", []), times=("start", "end"), tz=self._json.get("timezone"))
        if df.empty:
            df = pd.DataFrame(columns=["start", "end", "direction", "worst_ratio", "points"])
        return df


class CriteriaResult(Result):
    """The answer of criteria: which candidate metrics can define the steady state?

    exit_code: 0 every metric passes every criterion, 1 some fail, 3 no data or too few
    points (no JSON).

    Attributes:
        pass_: every metric passes every criterion (the JSON key "pass": r.pass_ or
            r["pass"]).
        now: the now= time, RFC 3339 UTC, or None.
        criteria: the thresholds used: method, differencing, season_seconds,
            max_lag_seconds, min_correlation, alpha, max_resolution_seconds,
            max_delay_seconds, max_latency_seconds, min_completeness.
        metrics: one Record per metric, in the order given (to_frame() makes them a
            table): name; pass_; correlation (method, differencing, coefficient at the best
            lag, direction, p_value corrected for autocorrelation and the lag search,
            lag_seconds (positive: the metric follows satisfaction), n, effective_n,
            lags_searched, step_seconds, level_coefficient (the undifferenced correlation,
            for contrast), methods (Spearman, Pearson and Kendall at the best lag), pass);
            realtime (resolution_seconds, lag_seconds, latency_seconds, pass);
            measurability (completeness in [0, 1], longest_gap_seconds, expected_points,
            missing_points, expected_step_seconds, series and query_samples for a query,
            pass).
    """

    MEANINGS = {0: "every metric passes", 1: "some metrics fail", 3: "inconclusive: no data"}

    pass_: bool
    now: Optional[str]
    criteria: Record
    metrics: List[Record]

    def to_frame(self) -> Any:
        """The metrics as a DataFrame indexed by name: pass, correlation.coefficient,
        correlation.p_value, realtime.pass, measurability.completeness, ..."""
        return self._frame(self._json.get("metrics", []), index="name")


class MonitorResult(Result):
    """The answer of monitor: during the run, continue or stop?

    exit_code: 0 the run ended without a stop, 1 stopped, 3 no data or fewer than
    min_points complete pairs (the test never judged; decisions may be empty).

    Attributes:
        decisions: one Record per look, in time order, the last one the stop if any
            (to_frame() makes them a table): time (RFC 3339 UTC); action ("continue" or
            "stop"); cause ("none", "test", "guardrail" or "no_data"); reason; looks
            (points read) and n (complete pairs used); p_value (always-valid, running
            minimum; stop when <= alpha); alpha; difference (estimate, low, high,
            confidence: experiment - control per point with the always-valid confidence
            sequence; bounds None during the burn-in); relative (the same as a relative
            change); control_mean, experiment_mean; variance_factor (long-run variance /
            variance of the differences); baseline; window (the restarted test that gave
            p_value: start, n, estimate, low, high, confidence); warnings.
        stopped: the run was stopped (exit_code == 1).
        stop: the stop decision (the last one), or None.
    """

    MEANINGS = {0: "ran to the end", 1: "stopped", 3: "inconclusive: no data"}

    decisions: List[Record]
    stopped: bool
    stop: Optional[Record]

    def __init__(self, data: Any, exit_code: Optional[int] = None, stderr: str = "",
                 argv: Optional[List[str]] = None, command: str = ""):
        if not isinstance(data, dict):  # the command's JSON lines
            data = {"decisions": list(data or [])}
        super().__init__(data, exit_code, stderr, argv, command)
        decisions = self.__dict__.get("decisions", [])
        last = decisions[-1] if decisions else None
        self.__dict__.setdefault("stopped", exit_code == 1 if exit_code is not None else
                                 last is not None and last.get("action") == "stop")
        self.__dict__["stop"] = last if last is not None and last.get("action") == "stop" else None

    def to_frame(self) -> Any:
        """The decisions as a DataFrame indexed by time (UTC); nested keys flattened
        (difference.estimate, relative.low, window.start, ...)."""
        return self._frame(self._json.get("decisions", []), index="time", times=("time", "window.start"))


class ApdexResult(Result):
    """The answer of apdex: the Apdex score, overall or per window.

    exit_code: 0 scored, 3 no requests (NS; no JSON). Apdex has no exit 1.

    Attributes (without window=):
        score: (satisfied + tolerating/2) / total, unrounded; None when NS.
        rounded: the score to two decimals, halves up; None when NS.
        notation: "0.91 [0.5]", "0.54* [0.5]" (fewer than 100 requests), "NS [0.5]".
        rating: "Excellent", "Good", "Fair", "Poor", "Unacceptable" or "NS".
        satisfied, tolerating, frustrated: requests in each zone (frustrated includes
            the failures).
        errors: failed requests.
        total: all requests.
        threshold, frustration: T and F in seconds.
        small_sample: fewer than 100 requests (and at least one).

    With window=, the JSON is a list: the result's one key is windows, a Record per
    window with the keys above and timestamp (the window's start, RFC 3339 UTC) first;
    to_frame() makes them a table.
    """

    MEANINGS = {0: "scored", 1: "", 3: "inconclusive: no requests (NS)"}

    score: Optional[float]
    rounded: Optional[float]
    notation: str
    rating: str
    satisfied: float
    tolerating: float
    frustrated: float
    errors: float
    total: float
    threshold: float
    frustration: float
    small_sample: bool
    windows: List[Record]

    def __init__(self, data: Any, exit_code: Optional[int] = None, stderr: str = "",
                 argv: Optional[List[str]] = None, command: str = ""):
        if isinstance(data, list):
            data = {"windows": data}
        super().__init__(data, exit_code, stderr, argv, command)

    def to_frame(self) -> Any:
        """The windows as a DataFrame indexed by timestamp (UTC); without window=, one row."""
        rows = self._json["windows"] if "windows" in self._json else [self._json] if self._has_json else []
        return self._frame(rows, index="timestamp", times=("timestamp",))


class DemoResult(Result):
    """The answer of demo: the whole method on the embedded case study (synthetic data).

    exit_code: 0, the demo ran (whatever its steps found).

    Attributes:
        synthetic: True: the data is synthetic.
        judge_window: the window the hypothesis was judged at.
        criteria: step 1, a CriteriaResult (without exit code).
        aa_downloads, aa_availability, aa_apdex: step 2, AAResults.
        baseline: step 3, a BaselineResult.
        judge: step 4, a JudgeResult.
        monitor_downloads, monitor_availability, monitor_apdex: step 5, MonitorResults
            with the keys metric, stopped, history_days, history_false_stops,
            history_false_stop_p_value besides decisions.
        cost: step 6, the run's cost and the error budget it used (currency, loss_from,
            loss_to, total, budget_share, ...).
    """

    MEANINGS = {0: "the demo ran"}
    STEPS = {"criteria": CriteriaResult, "aa_downloads": AAResult, "aa_availability": AAResult,
             "aa_apdex": AAResult, "baseline": BaselineResult, "judge": JudgeResult}

    synthetic: bool
    judge_window: str
    criteria: CriteriaResult
    aa_downloads: AAResult
    aa_availability: AAResult
    aa_apdex: AAResult
    baseline: BaselineResult
    judge: JudgeResult
    monitor_downloads: MonitorResult
    monitor_availability: MonitorResult
    monitor_apdex: MonitorResult
    cost: Record

    def __init__(self, data: Any, exit_code: Optional[int] = None, stderr: str = "",
                 argv: Optional[List[str]] = None, command: str = ""):
        super().__init__(data, exit_code, stderr, argv, command)
        for key, cls in self.STEPS.items():
            if isinstance(self._json.get(key), dict):
                self.__dict__[key] = cls(self._json[key], command=f"demo {key}")
        for key, value in self._json.items():
            if key.startswith("monitor_") and isinstance(value, dict):
                self.__dict__[key] = MonitorResult(value, command=f"demo {key}")
