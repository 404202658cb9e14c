"""chaosstat from Python: the statistics of chaos engineering, for notebooks.

One function per command of the chaosstat command-line tool. Each runs the command with
``--format json`` and returns its answer as a result whose attributes are the JSON's keys,
plus ``exit_code`` and ``meaning``; ``to_frame()`` gives a pandas DataFrame where the answer
is a table.

1. Find the command: $CHAOSSTAT, else chaosstat on PATH, else (inside a checkout of the
   repository) built from the checkout with go build, once, into ~/.cache/chaosstat.
2. Call a function with paths or data (pandas Series, lists): compare, aa, judge,
   baseline, criteria, monitor, apdex, demo.
3. Read the answer: exit 0 and 1 are the two answers of the question (held / disproved,
   valid / invalid, ...), 3 is inconclusive (no data is never a pass); exit 2, a usage or
   input error, raises UsageError naming the flag, or the file and line.

Example, on the repository's data::

    import chaosstat
    r = chaosstat.compare(control="testdata/taxi_control.csv",
                          experiment="testdata/taxi_experiment.csv")
    r.exit_code, r.meaning        # (1, 'significant difference')
    r.p_value, r.shift.estimate   # 1.7e-05, -3841.0 passengers per half hour
"""

from ._binary import binary, binary_version, cache_dir, find_checkout
from ._run import Prometheus
from ._version import __version__
from .commands import aa, apdex, baseline, compare, criteria, demo, judge, monitor
from .errors import BinaryNotFoundError, ChaosstatError, UsageError, VersionWarning
from .results import (AAResult, ApdexResult, BaselineResult, CompareResult, CriteriaResult, DemoResult,
                      JudgeResult, MonitorResult, Record, Result)

__all__ = [
    "compare", "aa", "judge", "baseline", "criteria", "monitor", "apdex", "demo",
    "Prometheus", "binary", "binary_version", "cache_dir", "find_checkout",
    "ChaosstatError", "UsageError", "BinaryNotFoundError", "VersionWarning",
    "Result", "Record", "CompareResult", "AAResult", "JudgeResult", "BaselineResult",
    "CriteriaResult", "MonitorResult", "ApdexResult", "DemoResult", "__version__",
]
