"""Times pandas.read_csv on the files of series' BenchmarkReadCSVRows.

Write the files first (the same bytes the Go benchmark reads):

    go test ./series -run TestWriteCSVBenchData -benchcsv /tmp/csvrows

then, with Debian's python3 (apt-get install python3-pandas):

    /usr/bin/python3 series/testdata/pandas_read_csv.py /tmp/csvrows [repeats]

For each rows<n>.csv it prints the median of `repeats` (default 5) calls of
pd.read_csv(path) (the C parser; int64 timestamps and float64 values), in
the units of Go's benchmark output, ns/row, so benchstat-style tables can sit
side by side (BENCHMARKS.md).
"""
import glob
import os
import re
import statistics
import sys
import time

import pandas as pd

directory = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
files = sorted(glob.glob(os.path.join(directory, "rows*.csv")),
               key=lambda p: int(re.search(r"rows(\d+)", p).group(1)))
print(f"pandas {pd.__version__}")
for path in files:
    n = int(re.search(r"rows(\d+)", path).group(1))
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        df = pd.read_csv(path)
        times.append(time.perf_counter() - t)
        assert len(df) == n, (path, len(df))
    med = statistics.median(times)
    print(f"n={n}: median {med * 1e3:.2f} ms of {repeats}, {med * 1e9 / n:.1f} ns/row, runs (ms) {[round(x * 1e3, 2) for x in times]}")
