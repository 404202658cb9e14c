# Reference values for compare/correlation_test.go, from Debian's scipy 1.10.1
# (python3-scipy). Run by hand from the repository root (not by CI):
#   /usr/bin/python3 compare/testdata/corr/gen_corr_scipy.py
# It writes compare/testdata/corr/corr_scipy.json: the input vectors of every
# case and, for each case, alternative and method, the statistic and p-value
# of scipy.stats.pearsonr, spearmanr and kendalltau, with the call that
# produced them. NaN (constant input, scipy's ConstantInputWarning) is
# written as the string "NaN".
import json
import math
import warnings

import numpy as np
import scipy
from scipy.stats import kendalltau, pearsonr, spearmanr

warnings.simplefilter("ignore")
rng = np.random.default_rng(20261127)


def r6(a):
    return [float(v) for v in np.round(a, 6)]


def num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    return v


x40 = r6(rng.normal(size=40))
# one discordant pair among 50 untied points: scipy's auto takes the exact
# branch although n > 33 (min(dis, tot - dis) <= 1)
one_swap_50 = list(range(1, 51))
one_swap_50[20], one_swap_50[21] = one_swap_50[21], one_swap_50[20]
z180 = r6(rng.normal(size=180))

cases = {
    # from scipy's own docs and tests
    "pearson_published": (list(range(1, 8)), [10, 9, 2.5, 6, 4, 3, 2]),
    "spearman_published": ([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]),
    "kendall_published_ties": ([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]),
    "n2_increasing": ([1, 2], [3, 5]),
    "n2_decreasing": ([1, 2], [5, 3]),
    "n3": ([1, 2, 3], [1, 3, 2]),
    "n3_tie_in_y": ([1, 2, 3], [1, 1, 2]),
    "n4_perfect": ([1, 2, 3, 4], [2, 4, 6, 8]),
    "small_untied_10": (r6(rng.normal(size=10)), r6(rng.normal(size=10))),
    "untied_33_exact": (r6(rng.normal(size=33)), r6(rng.normal(size=33))),
    "untied_34_asymptotic": (r6(rng.normal(size=34)), r6(rng.normal(size=34))),
    "one_swap_50": (list(range(1, 51)), one_swap_50),
    "correlated_40": (x40, r6(0.6 * np.array(x40) + 0.8 * rng.normal(size=40))),
    "negative_40": (x40, r6(-0.4 * np.array(x40) + rng.normal(size=40))),
    "ties_poisson_60": ([float(v) for v in rng.poisson(3, 60)], [float(v) for v in rng.poisson(3, 60)]),
    "ties_both_dependent_80": None,  # filled below
    "ties_x_only_30": ([float(v) for v in rng.integers(0, 4, 30)], r6(rng.normal(size=30))),
    "exact_scaled_180": (z180, r6(0.15 * np.array(z180) + rng.normal(size=180))),
    "strong_500": None,  # filled below
    "constant_x": ([2, 2, 2, 2], [1, 2, 3, 4]),
    "constant_y": ([1, 2, 3, 4], [7, 7, 7, 7]),
}
a = rng.poisson(4, 80)
cases["ties_both_dependent_80"] = ([float(v) for v in a], [float(v) for v in np.minimum(a + rng.poisson(1, 80), 7)])
s = rng.normal(size=500)
cases["strong_500"] = (r6(s), r6(s + 0.05 * rng.normal(size=500)))

out = {"scipy": scipy.__version__, "cases": {}, "results": []}
for name, (x, y) in cases.items():
    x = [float(v) for v in x]
    y = [float(v) for v in y]
    out["cases"][name] = {"x": x, "y": y}
    for alt in ["two-sided", "greater", "less"]:
        r = pearsonr(x, y, alternative=alt)
        out["results"].append({"case": name, "test": "pearson", "alternative": alt, "method": "auto",
                               "statistic": num(r.statistic), "pvalue": num(r.pvalue),
                               "call": f"pearsonr(x, y, alternative='{alt}')"})
        r = spearmanr(x, y, alternative=alt)
        out["results"].append({"case": name, "test": "spearman", "alternative": alt, "method": "auto",
                               "statistic": num(r.statistic), "pvalue": num(r.pvalue),
                               "call": f"spearmanr(x, y, alternative='{alt}')"})
        for m in ["auto", "exact", "asymptotic"]:
            try:
                r = kendalltau(x, y, method=m, alternative=alt)
            except ValueError as e:  # exact with ties
                out["results"].append({"case": name, "test": "kendall", "alternative": alt, "method": m,
                                       "error": str(e),
                                       "call": f"kendalltau(x, y, method='{m}', alternative='{alt}')"})
                continue
            out["results"].append({"case": name, "test": "kendall", "alternative": alt, "method": m,
                                   "statistic": num(r.statistic), "pvalue": num(r.pvalue),
                                   "call": f"kendalltau(x, y, method='{m}', alternative='{alt}')"})

with open("compare/testdata/corr/corr_scipy.json", "w") as f:
    json.dump(out, f, indent=1)
