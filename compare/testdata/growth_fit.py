"""Medians and fitted growth exponents of go test benchmark output whose
names end in n=<size> (and of series/testdata/pandas_read_csv.py output):
the least-squares slope of log(time) on log(n) and the slope of each step.

    /usr/bin/python3 compare/testdata/growth_fit.py bench.txt [pandas.txt]
"""
import re, sys, statistics, math, collections
def load(path, unit_re=r"([\d.]+) ns/op"):
    d = collections.defaultdict(list); b = {}
    for line in open(path):
        m = re.match(r"Benchmark(\S+?)/?n=(\d+)-2\s+\d+\s+(\d+) ns/op.*?(\d+) B/op", line)
        if m:
            d[(m[1], int(m[2]))].append(int(m[3])/1e6); b[(m[1], int(m[2]))] = int(m[4])
    return d, b
def pandas(path):
    d = collections.defaultdict(list)
    for line in open(path):
        m = re.match(r"n=(\d+): median ([\d.]+) ms", line)
        if m: d[("pandas", int(m[1]))].append(float(m[2]))
    return d, {}
def report(d, b):
    names = sorted(set(k[0] for k in d))
    for nm in names:
        ns = sorted(k[1] for k in d if k[0] == nm)
        med = [statistics.median(d[(nm, n)]) for n in ns]
        xs = [math.log10(n) for n in ns]; ys = [math.log10(t) for t in med]
        mx, my = sum(xs)/len(xs), sum(ys)/len(ys)
        slope = sum((x-mx)*(y-my) for x, y in zip(xs, ys))/sum((x-mx)**2 for x in xs)
        steps = [ (ys[i+1]-ys[i])/(xs[i+1]-xs[i]) for i in range(len(ns)-1)]
        print(nm, "fit n^%.2f" % slope, "decade steps", ["%.2f" % s for s in steps])
        for n, t in zip(ns, med):
            bb = b.get((nm, n))
            print("   n=%-9d median %10.3f ms  (%d runs)  %s" % (n, t, len(d[(nm, n)]), "" if bb is None else "%.1f B/point" % (bb/n)))
for p in sys.argv[1:]:
    print("==", p)
    report(*(pandas(p) if "pandas" in p else load(p)))
