#!/usr/bin/python3
"""Time scipy.stats.mannwhitneyu on the samples of compare's benchmarks.

Run with Debian's interpreter, which has scipy 1.10.1:

    go test ./compare -run TestWriteBenchData -benchdata /tmp/chaosbench
    /usr/bin/python3 compare/peers/scipy_bench.py [DIR]

DIR defaults to $CHAOSSTAT_BENCHDATA or /tmp/chaosbench. Prints, per data
set, the median of 5 timings of one asymptotic call (timeit, number=1), its
statistic and p-value for the cross-check against compare and go-moremath,
and the memory one call adds in a fresh process (growth of the peak RSS,
VmHWM, and the tracemalloc peak of numpy's allocations). Then the exact test
on the first n values of each sample of continuous200 for growing n, each
call cold (scipy memoizes the exact distribution in a module-level table; it
is reset before every call, as a fresh process would see it), in a child
process under a timeout and an address-space limit.

Options: --asymptotic, --memory, --exact run only those parts; --repeat N
times N calls instead of 5.
"""

import os
import resource
import statistics
import subprocess
import sys
import time
import timeit
import tracemalloc

import numpy as np
import scipy
import scipy.stats
import scipy.stats._mannwhitneyu as _mwu

REPEAT = 5  # --repeat N changes it
EXACT_SIZES = (10, 25, 50, 75, 100, 150, 200)
EXACT_TIMEOUT = 120.0  # seconds for one cold exact call
EXACT_MEMORY = 4 << 30  # address-space limit of an exact run: scipy's memo
# table is (n+1)^2 (k+1) float64, 5.4 GB for 200 vs 200 on these data


def data_dir():
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        return sys.argv[1]
    return os.environ.get("CHAOSSTAT_BENCHDATA", "/tmp/chaosbench")


def load(d, name):
    x = np.fromfile(os.path.join(d, name + ".x.f64"), dtype="<f8")
    y = np.fromfile(os.path.join(d, name + ".y.f64"), dtype="<f8")
    return x, y


def maxrss():
    """Peak resident set size of this process in bytes (VmHWM)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def reset_peak():
    """Reset VmHWM to the current RSS (Linux >= 4.0), so the peak measured
    is this process's own, not one inherited through fork."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def asymptotic(d, name):
    x, y = load(d, name)
    res = scipy.stats.mannwhitneyu(x, y, method="asymptotic")
    times = timeit.repeat(lambda: scipy.stats.mannwhitneyu(x, y, method="asymptotic"),
                          repeat=REPEAT, number=1)
    print(f"{name}: asymptotic U={res.statistic:.1f} p={res.pvalue:.17g} "
          f"median {statistics.median(times) * 1e3:.1f} ms of {REPEAT} "
          f"[{', '.join(f'{t * 1e3:.1f}' for t in times)}] ms", flush=True)


def memory(d, name):
    """One call in this (fresh) process: RSS growth, then tracemalloc peak."""
    x, y = load(d, name)
    inp = x.nbytes + y.nbytes
    reset_peak()
    before = maxrss()
    scipy.stats.mannwhitneyu(x, y, method="asymptotic")
    after = maxrss()
    tracemalloc.start()
    scipy.stats.mannwhitneyu(x, y, method="asymptotic")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{name}: input {inp / 1e6:.1f} MB; one call: peak RSS +{(after - before) / 1e6:.1f} MB "
          f"({(after - before) / inp:.2f}x input), tracemalloc peak {peak / 1e6:.1f} MB "
          f"({peak / inp:.2f}x input)", flush=True)


def exact_one(d, n, repeat):
    resource.setrlimit(resource.RLIMIT_AS, (EXACT_MEMORY, EXACT_MEMORY))
    x, y = load(d, "continuous200")
    x, y = x[:n], y[:n]
    reset_peak()
    times = []
    for _ in range(repeat):
        _mwu._mwu_state = _mwu._MWU()  # cold: forget the memoized distribution
        t0 = time.perf_counter()
        res = scipy.stats.mannwhitneyu(x, y, method="exact")
        times.append(time.perf_counter() - t0)
    print(f"exact {n} vs {n}: U={res.statistic:.0f} p={res.pvalue:.17g} "
          f"median {statistics.median(times) * 1e3:.1f} ms of {repeat} cold calls "
          f"[{', '.join(f'{t * 1e3:.1f}' for t in times)}] ms; peak RSS {maxrss() / 1e6:.0f} MB",
          flush=True)


def exact(d):
    for n in EXACT_SIZES:
        # One cold call first, to decide whether 5 fit in the timeout.
        for repeat in (1, REPEAT):
            cmd = [sys.executable, os.path.abspath(__file__), d, "--exact-one", str(n), str(repeat)]
            t0 = time.perf_counter()
            try:
                out = subprocess.run(cmd, capture_output=True, text=True,
                                     timeout=EXACT_TIMEOUT * repeat)
            except subprocess.TimeoutExpired:
                print(f"exact {n} vs {n}: not finished after {EXACT_TIMEOUT * repeat:.0f} s "
                      f"(killed); larger n not tried", flush=True)
                return
            wall = time.perf_counter() - t0
            if out.returncode != 0:
                print(f"exact {n} vs {n}: failed after {wall:.1f} s under the "
                      f"{EXACT_MEMORY >> 30} GB address-space limit: "
                      f"{out.stderr.strip().splitlines()[-1]}", flush=True)
                return
            if repeat == REPEAT or wall * REPEAT > EXACT_TIMEOUT:
                print(out.stdout, end="", flush=True)
                break


def main():
    global REPEAT
    d = data_dir()
    if "--repeat" in sys.argv:
        REPEAT = int(sys.argv[sys.argv.index("--repeat") + 1])
    if "--exact-one" in sys.argv:
        i = sys.argv.index("--exact-one")
        exact_one(d, int(sys.argv[i + 1]), int(sys.argv[i + 2]))
        return
    if "--memory-one" in sys.argv:
        memory(d, sys.argv[sys.argv.index("--memory-one") + 1])
        return
    what = [a for a in sys.argv[1:] if a in ("--asymptotic", "--memory", "--exact")] or \
        ["--asymptotic", "--memory", "--exact"]
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}",
          flush=True)
    for name in ("ties1m", "continuous1m"):
        if "--asymptotic" in what:
            asymptotic(d, name)
        if "--memory" in what:
            subprocess.run([sys.executable, os.path.abspath(__file__), d, "--memory-one", name],
                           check=True)
    if "--exact" in what:
        exact(d)


if __name__ == "__main__":
    main()
