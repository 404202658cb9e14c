# Reference values for compare/exact_ties_test.go and brunnermunzel_test.go:
# the exact permutation p-values of small tied samples by enumerating every
# arrangement, and Debian's scipy 1.10.1 (mannwhitneyu without continuity
# correction, brunnermunzel). Run by hand from the repository root (not by CI):
#   /usr/bin/python3 compare/testdata/gen_exact_scipy.py && Rscript compare/testdata/gen_exact_r.R
# It writes compare/testdata/exact_cases.json (the samples) and
# compare/testdata/exact_scipy.json; gen_exact_r.R reads the cases and writes
# exact_r.json.
import itertools
import json
from fractions import Fraction as F
from math import comb

import numpy as np
import scipy
from scipy.stats import brunnermunzel, mannwhitneyu, t as tdist, norm

assert scipy.__version__.startswith("1.10."), scipy.__version__

rng = np.random.default_rng(15)


def counts(lam, n):
    return [float(v) for v in rng.poisson(lam, n)]


def r6(a):
    return [float(v) for v in np.round(a, 6)]


cases = [
    ("gameday_3v3", "issue 15: {-1}x3 against {1}x3, exact p = 0.1, the least any 3+3 arrangement reaches (scipy 1.10 asymptotic: 0.046854)",
     [-1.0] * 3, [1.0] * 3),
    ("gameday_4v4", "issue 15: {-1}x4 against {1}x4, exact p = 2/70 = 0.028571 (scipy 1.10 asymptotic: 0.013124)",
     [-1.0] * 4, [1.0] * 4),
    ("ks_r_example", "issue 15: R's ks.test(c(1,2,2,3,3), c(1,2,3,3,4,5,6)) gives 8/33 = 0.2424",
     [1.0, 2.0, 2.0, 3.0, 3.0], [1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 6.0]),
    ("ks_r_example_swapped", "the same samples the other way round: R 4.2.2's one-sided 'less' with ties uses the distribution of D+ and is wrong here",
     [1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 6.0], [1.0, 2.0, 2.0, 3.0, 3.0]),
    ("ties_1234_vs_12345", "scipy's tied test vector: asymptotic p 0.7086, exact with ties by enumeration",
     [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0, 5.0]),
    ("no_ties_123_vs_456", "no ties: the exact p-values are the untied ones (one-sided 1/20 = 0.05)",
     [1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),
    ("asymmetric_ties", "a tie pattern that is not symmetric: the two tails of U differ",
     [0.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 1.0, 2.0, 2.0]),
    ("zeros_errors_6v7", "error counts, mostly zeros",
     [0.0, 0.0, 1.0, 0.0, 3.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]),
    ("counts_0to3_5v5", "counts drawn from 0..3, 5+5",
     [float(v) for v in rng.integers(0, 4, 5)], [float(v) for v in rng.integers(0, 4, 5)]),
    ("counts_0to3_8v8", "counts drawn from 0..3, 8+8",
     [float(v) for v in rng.integers(0, 4, 8)], [float(v) for v in rng.integers(1, 5, 8)]),
    ("counts_poisson2_9v7", "Poisson(2) counts, 9+7",
     counts(2, 9), counts(3, 7)),
    ("all_tied_3v4", "every value equal: p = 1",
     [2.0] * 3, [2.0] * 4),
    ("counts_poisson3_50v50", "Poisson(3) counts 50+50: too many arrangements to enumerate; R's coin gives the exact tails",
     counts(3, 50), counts(3.6, 50)),
    ("latency_ms_50v50", "latencies rounded to whole ms, 50+50: a few ties among many distinct values",
     [float(v) for v in np.round(rng.normal(200, 15, 50))], [float(v) for v in np.round(rng.normal(205, 15, 50))]),
    ("counts_poisson20_30v40", "Poisson(20) counts, 30+40",
     counts(20, 30), counts(21, 40)),
    ("normal_20v25", "continuous, no ties",
     r6(rng.normal(0, 1, 20)), r6(rng.normal(0.4, 1.5, 25))),
    ("wider_spread_30v30", "the same median, a wider spread: Brunner-Munzel's case",
     r6(rng.normal(0, 3, 30)), r6(rng.normal(0, 1, 30))),
    ("separated_5v5", "completely separated: Brunner-Munzel's variance estimate is zero",
     [6.0, 7.0, 8.0, 9.0, 10.0], [1.0, 2.0, 3.0, 4.0, 5.0]),
]

out_cases = [{"name": n, "reason": r, "experiment": e, "control": c} for n, r, e, c in cases]
with open("compare/testdata/exact_cases.json", "w") as f:
    json.dump({"cases": out_cases}, f, indent=1)


def u_twice(x, y):
    s = 0
    for a in x:
        for b in y:
            s += 2 if a > b else (1 if a == b else 0)
    return s


def ks_stats(x, y):
    """D of chaosstat's alternatives: two-sided, greater (max F_c - F_e), less (max F_e - F_c)."""
    m, n = len(x), len(y)
    up = down = F(0)
    for v in sorted(set(x + y)):
        fe = F(sum(a <= v for a in x), m)
        fc = F(sum(b <= v for b in y), n)
        up = max(up, fc - fe)
        down = max(down, fe - fc)
    return {"two-sided": max(up, down), "greater": up, "less": down}


records = []
for name, _, e, c in cases:
    n1, n2 = len(e), len(c)
    if comb(n1 + n2, n1) > 60000:
        continue
    w = e + c
    u_obs = u_twice(e, c)
    d_obs = ks_stats(e, c)
    le = ge = 0
    ks_ge = {a: 0 for a in d_obs}
    total = 0
    for idx in itertools.combinations(range(n1 + n2), n1):
        s = set(idx)
        x = [w[i] for i in idx]
        y = [w[i] for i in range(n1 + n2) if i not in s]
        u = u_twice(x, y)
        le += u <= u_obs
        ge += u >= u_obs
        d = ks_stats(x, y)
        for a in d:
            ks_ge[a] += d[a] >= d_obs[a]
        total += 1
    pl, pg = F(le, total), F(ge, total)
    mw = {"less": pl, "greater": pg, "two-sided": min(F(1), 2 * min(pl, pg))}
    for alt in ["two-sided", "greater", "less"]:
        records.append({"case": name, "test": "mannwhitney", "alternative": alt, "statistic": u_obs / 2,
                        "pvalue": float(mw[alt]), "fraction": str(mw[alt]),
                        "how": f"enumeration of all {total} arrangements; two-sided = min(1, 2 min(P(U <= u), P(U >= u)))"})
        p = F(ks_ge[alt], total)
        records.append({"case": name, "test": "ks", "alternative": alt, "statistic": float(d_obs[alt]),
                        "pvalue": float(p), "fraction": str(p),
                        "how": f"enumeration of all {total} arrangements: P(D >= d)"})

def num(v):
    """JSON has no non-finite numbers: "NaN", "Inf" and "-Inf" as strings."""
    v = float(v)
    if np.isnan(v):
        return "NaN"
    if np.isinf(v):
        return "Inf" if v > 0 else "-Inf"
    return v


scipy_records = []
for name, _, e, c in cases:
    for alt in ["two-sided", "greater", "less"]:
        r = mannwhitneyu(e, c, alternative=alt, method="asymptotic", use_continuity=False)
        scipy_records.append({"case": name, "test": "mannwhitneyu", "alternative": alt,
                              "statistic": num(r.statistic), "pvalue": num(r.pvalue),
                              "call": f"mannwhitneyu(x, y, alternative='{alt}', method='asymptotic', use_continuity=False)"})
        for dist in ["t", "normal"]:
            with np.errstate(all="ignore"):
                import warnings
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    r = brunnermunzel(e, c, alternative=alt, distribution=dist)
            scipy_records.append({"case": name, "test": "brunnermunzel", "alternative": alt, "distribution": dist,
                                  "statistic": num(r.statistic), "pvalue": num(r.pvalue),
                                  "call": f"brunnermunzel(x, y, alternative='{alt}', distribution='{dist}')"})

# The relative effect p = P(experiment > control) + P(equal)/2 and its
# interval p ± q·se, from scipy's own statistic: W = (1/2 − p)/se in scipy's
# orientation, so se = (1/2 − p)/W (defined when W ≠ 0).
effects = []
for name, _, e, c in cases:
    n1, n2 = len(e), len(c)
    p = u_twice(e, c) / 2 / (n1 * n2)
    r = brunnermunzel(e, c, distribution="normal")
    W = float(r.statistic)
    if not np.isfinite(W) or W == 0:
        continue
    se = (0.5 - p) / W
    effects.append({"case": name, "estimate": p, "se": se,
                    "how": "p = U/(n1 n2) (U of mannwhitneyu); se = (1/2 - p)/W with W of brunnermunzel(x, y, distribution='normal')"})

with open("compare/testdata/exact_scipy.json", "w") as f:
    json.dump({"scipy": scipy.__version__, "enumerated": records, "scipy_records": scipy_records,
               "brunnermunzel_effects": effects}, f, indent=1)
