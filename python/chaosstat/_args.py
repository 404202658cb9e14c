"""Turning keyword arguments into the command's flags, and data into the CSV files it reads."""

from __future__ import annotations

import csv
import datetime as _dt
import math
import numbers
import os
from typing import Any, List, Mapping, Optional, Sequence, Tuple

# What a data argument may be: a path, or data written to a temporary CSV file.
Data = Any


def is_path(x: Any) -> bool:
    return isinstance(x, (str, os.PathLike))


def fmt_number(keyword: str, x: Any) -> str:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{keyword}={x!r}: want a number")
    if isinstance(x, numbers.Integral):
        return str(int(x))
    return repr(float(x))


def fmt_int(keyword: str, x: Any) -> str:
    if isinstance(x, bool) or not isinstance(x, numbers.Integral):
        raise TypeError(f"{keyword}={x!r}: want an integer")
    return str(int(x))


def fmt_duration(keyword: str, x: Any) -> str:
    """A Go duration: a string as given ("30m", "1h30m"), or a datetime.timedelta /
    pandas Timedelta (whole milliseconds) written as one."""
    if isinstance(x, str):
        return x
    if isinstance(x, _dt.timedelta):
        us = (x.days * 86400 + x.seconds) * 1_000_000 + x.microseconds
        nanos = getattr(x, "nanoseconds", 0)  # pandas Timedelta
        if us % 1000 or nanos:
            raise ValueError(f"{keyword}={x!r}: want a whole number of milliseconds")
        ms = us // 1000
        for unit, size in (("h", 3_600_000), ("m", 60_000), ("s", 1000)):
            if ms % size == 0:
                return f"{ms // size}{unit}"
        return f"{ms}ms"
    raise TypeError(f"{keyword}={x!r}: want a duration such as '30m' or a datetime.timedelta")


def fmt_durations(keyword: str, x: Any) -> str:
    if isinstance(x, str):
        return x
    return ",".join(fmt_duration(keyword, d) for d in x)


def fmt_time(keyword: str, x: Any) -> str:
    """A time flag: a string as given (RFC 3339, Unix seconds, "now", "now-1h"), Unix
    seconds as a number, or a datetime / pandas Timestamp (naive: UTC)."""
    if isinstance(x, str):
        return x
    if isinstance(x, _dt.datetime):
        if x.tzinfo is None:
            x = x.replace(tzinfo=_dt.timezone.utc)
        return x.isoformat()
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return fmt_number(keyword, x)
    raise TypeError(f"{keyword}={x!r}: want a time: RFC 3339 text, Unix seconds, 'now-1h' or a datetime")


def fmt_ratio(keyword: str, x: Any) -> str:
    if isinstance(x, str):
        return x
    if isinstance(x, (tuple, list)) and len(x) == 2:
        return f"{fmt_number(keyword, x[0])}:{fmt_number(keyword, x[1])}"
    raise TypeError(f"{keyword}={x!r}: want 'CONTROL:EXPERIMENT' such as '1:1', or a pair (1, 1)")


# --- data written to temporary CSV files -------------------------------------------------


def _cell(v: Any) -> str:
    """A value cell: empty when missing (None, NaN)."""
    if v is None:
        return ""
    if hasattr(v, "item") and callable(v.item) and getattr(v, "ndim", 1) == 0:
        v = v.item()  # a numpy scalar: the Python number or bool
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        f = float(v)
        return "" if math.isnan(f) else repr(f)
    if isinstance(v, str):
        return v
    try:  # numpy scalars, pandas NA
        import pandas as pd  # noqa: F401

        if pd.isna(v):
            return ""
    except (ImportError, TypeError, ValueError):
        pass
    return str(v)


def _time_cell(t: Any) -> str:
    """A timestamp cell: Unix seconds (to the millisecond) for datetimes, as given otherwise."""
    if t is None:
        return ""
    if isinstance(t, str):
        return t
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=_dt.timezone.utc)
        delta = t - _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
        ms = (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000
        return _unix_ms(ms)
    if isinstance(t, numbers.Real) and not isinstance(t, bool):
        return _cell(t)
    raise TypeError(f"timestamp {t!r}: want a datetime, Unix seconds or RFC 3339 text")


def _unix_ms(ms: int) -> str:
    s, frac = divmod(int(ms), 1000)
    return str(s) if frac == 0 else f"{s}.{frac:03d}"


def _pandas_times(index: Any) -> Optional[List[str]]:
    """The timestamp cells of a pandas index, or None when it holds no times (a default
    RangeIndex: the values alone are written)."""
    import pandas as pd

    if isinstance(index, pd.DatetimeIndex):
        if index.tz is not None:
            index = index.tz_convert("UTC").tz_localize(None)
        ns = index.asi8
        nat = index.isna()
        return ["" if bad else _unix_ms(v // 1_000_000) for v, bad in zip(ns.tolist(), nat.tolist())]
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return None
    return [_time_cell(t) for t in index.tolist()]


def _rows_of(data: Data, keyword: str) -> Tuple[List[str], List[List[str]]]:
    """The header and rows of one series: pandas Series (index: the times), a one-column
    or "value"-column DataFrame, a mapping {time: value}, a sequence of (time, value)
    pairs, or a sequence of values (a single "value" column)."""
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None and isinstance(data, pd.DataFrame):
        if "value" in data.columns:
            s = data["value"]
            if "timestamp" in data.columns:
                s = pd.Series(s.to_numpy(), index=pd.Index(data["timestamp"]))
        elif len(data.columns) == 1:
            s = data.iloc[:, 0]
        else:
            raise ValueError(f"{keyword}: a DataFrame needs a 'value' column (and 'timestamp' or a "
                             f"DatetimeIndex), or a single column; got {list(data.columns)}")
        data = s
    if pd is not None and isinstance(data, pd.Series):
        values = [_cell(v) for v in data.tolist()]
        times = _pandas_times(data.index)
        if times is None:
            return ["value"], [[v] for v in values]
        return ["timestamp", "value"], [[t, v] for t, v in zip(times, values)]
    if isinstance(data, Mapping):
        return ["timestamp", "value"], [[_time_cell(t), _cell(v)] for t, v in data.items()]
    if isinstance(data, (str, bytes)) or not hasattr(data, "__iter__"):
        raise TypeError(f"{keyword}={data!r}: want a path, a pandas Series, a mapping "
                        f"{{time: value}}, or a list of values or of (time, value) pairs")
    items = list(data)
    if items and all(isinstance(x, (tuple, list)) and len(x) == 2 for x in items):
        return ["timestamp", "value"], [[_time_cell(t), _cell(v)] for t, v in items]
    return ["value"], [[_cell(v)] for v in items]


def write_series(data: Data, path: str, keyword: str) -> None:
    header, rows = _rows_of(data, keyword)
    _write(path, header, rows)


def write_table(data: Any, path: str, keyword: str, columns: Sequence[str], time_column: str = "timestamp") -> None:
    """Writes a pandas DataFrame with the given columns (those present, in that order), or
    a list of dicts; a DatetimeIndex becomes time_column when the frame has none."""
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None and isinstance(data, pd.DataFrame):
        frame = data
        if time_column not in frame.columns and isinstance(frame.index, pd.DatetimeIndex):
            frame = frame.assign(**{time_column: frame.index})
        records = frame.to_dict("records")
        present = [c for c in columns if c in frame.columns]
    elif isinstance(data, Sequence) and not isinstance(data, (str, bytes)) and all(isinstance(r, Mapping) for r in data):
        records = list(data)
        present = [c for c in columns if any(c in r for r in records)]
    else:
        raise TypeError(f"{keyword}: want a path, a pandas DataFrame or a list of dicts, got {type(data).__name__}")
    if not present:
        raise ValueError(f"{keyword}: none of the columns {list(columns)}")
    rows = []
    for r in records:
        rows.append([_time_cell(_pd_time(r.get(c))) if c == time_column else _cell(r.get(c)) for c in present])
    _write(path, present, rows)


def _pd_time(t: Any) -> Any:
    try:
        import pandas as pd

        if t is not None and not isinstance(t, str) and pd.isna(t):
            return None
    except (ImportError, TypeError, ValueError):
        pass
    return t


def _write(path: str, header: List[str], rows: List[List[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
