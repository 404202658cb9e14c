#!/usr/bin/python3
"""Growth table of the baseline's scale benchmarks (BENCHMARKS.md).

Reads `go test -bench Scale` output (several -count runs) on stdin and prints,
for BenchmarkScalePoints and BenchmarkScaleWeeks, the median time of New and
Calibrate at each size, the exponent between consecutive sizes
(log(t2/t1) / log(x2/x1)) and the least-squares exponent over all sizes, with
what n log n would give for comparison (for the weeks, n = 10,080 points a
week):

    go test ./steadystate/baseline -run '^$' -bench Scale -count 5 | /usr/bin/python3 steadystate/baseline/testdata/fitgrowth.py
"""
import math
import re
import statistics
import sys

PAT = re.compile(r"^BenchmarkScale(Points|Weeks)/(n|weeks)=(\d+)/(New|Calibrate)-\d+\s+\d+\s+([\d.]+) ns/op")


def fmt(ns):
    for unit, f in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= f:
            return "%.3g %s" % (ns / f, unit)
    return "%.3g ns" % ns


def slope(xs, ys):
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def main():
    runs = {}
    for line in sys.stdin:
        m = PAT.match(line)
        if m:
            kind, _, x, phase, ns = m.groups()
            runs.setdefault((kind, phase), {}).setdefault(int(x), []).append(float(ns))
    for kind in ("Points", "Weeks"):
        var = "n" if kind == "Points" else "weeks"
        for phase in ("New", "Calibrate"):
            data = runs.get((kind, phase))
            if not data:
                continue
            xs = sorted(data)
            med = [statistics.median(data[x]) for x in xs]
            print("%s %s (medians of %s runs)" % (kind, phase, "/".join(str(len(data[x])) for x in xs)))
            print("| %s | time | exponent from the previous size | n log n would give |" % var)
            print("|---|---|---|---|")
            for i, x in enumerate(xs):
                e = r = ""
                if i > 0:
                    e = "%.2f" % (math.log(med[i] / med[i - 1]) / math.log(x / xs[i - 1]))
                    # points: n itself; weeks: n = 10,080 per-minute slots a week
                    n1, n2 = (xs[i - 1], x) if kind == "Points" else (10080 * xs[i - 1], 10080 * x)
                    r = "%.2f" % (1 + math.log(math.log(n2) / math.log(n1)) / math.log(x / xs[i - 1]))
                print("| %s | %s | %s | %s |" % (f"{x:,}", fmt(med[i]), e, r))
            print("least-squares exponent over all sizes: %.2f" % slope(xs, med))
            print()


main()
