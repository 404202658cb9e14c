# Reference values for compare/kolmogorov_test.go, from Debian's scipy 1.10.1.
# Run by hand from the repository root (not by CI):
#   /usr/bin/python3 compare/testdata/gen_ks_scipy.py
# It writes compare/testdata/ks_scipy.json.
import json
import numpy as np
import scipy
from scipy.stats import ks_2samp, kstwo

rng = np.random.default_rng(7)
out = {"scipy": scipy.__version__, "kstwo": [], "cases": {}, "ks_2samp": []}

# kstwo.sf(x, n) on a grid that reaches every branch of scipy's kolmogn:
# Ruben-Gambino near 1/n and near 1, smirnov for x >= 0.5, Durbin matrix,
# Pomeranz (n <= 140), smirnov for large n*x^2, Pelz-Good for large n.
for n in [1, 2, 5, 10, 50, 140, 141, 500, 5000, 100000, 200000]:
    for x in [0.001, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.45, 0.5, 0.6, 0.9, 0.99,
              0.6 / n, 0.9 / n, 1.0 / n, 1.5 / n, 3 / n, (n - 0.5) / n]:
        if 0 < x < 1:
            out["kstwo"].append({"n": n, "x": x, "sf": float(kstwo.sf(x, n)),
                                 "call": f"kstwo.sf({x!r}, {n})"})

def r6(a):
    return [float(v) for v in np.round(a, 6)]

cases = {
    "published": ([1.01, 2.01], [1.0, 2.0, 3.0, 4.0]),  # scipy's ks_2samp test vector: D = 0.5, p = 14/15
    "one-vs-three": ([3.0], [1.0, 2.0, 4.0]),
    "equal-sizes": (r6(rng.normal(size=30)), r6(rng.normal(0.5, 1, size=30))),
    "unequal-sizes": (r6(rng.normal(size=23)), r6(rng.normal(0.3, 2, size=41))),
    "tied-counts": ([float(v) for v in rng.poisson(50, 60)], [float(v) for v in rng.poisson(52, 45)]),
    "exact-overflows": (r6(rng.normal(size=700)), r6(rng.normal(0.1, 1, size=900))),
    "above-auto-limit": (r6(rng.normal(size=10500)), r6(rng.normal(0.03, 1, size=10100))),
    "identical": ([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]),
    "all-equal": ([5.0, 5.0, 5.0], [5.0, 5.0]),
}
out["cases"] = {k: {"experiment": e, "control": c} for k, (e, c) in cases.items()}
# chaosstat's Greater (experiment tends to be greater) is scipy's 'less' for
# ks_2samp(experiment, control); Less is 'greater'.
for name, (e, c) in cases.items():
    for alt, sci in [("two-sided", "two-sided"), ("greater", "less"), ("less", "greater")]:
        for m in ["exact", "asymp", "auto"]:
            if name == "above-auto-limit" and m == "exact":
                continue
            r = ks_2samp(e, c, alternative=sci, method=m)
            out["ks_2samp"].append({"case": name, "alternative": alt, "method": m,
                                    "statistic": float(r.statistic), "pvalue": float(r.pvalue),
                                    "call": f"ks_2samp(experiment, control, alternative='{sci}', method='{m}')"})
with open("compare/testdata/ks_scipy.json", "w") as f:
    json.dump(out, f, indent=1)
