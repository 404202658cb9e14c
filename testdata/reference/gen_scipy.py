#!/usr/bin/python3
"""Reference values from scipy 1.10 for chaosstat's two-sample tests.

Run by hand from the repository root, with Debian's python3 (which carries
Debian's python3-scipy 1.10.1), not CI:

    /usr/bin/python3 testdata/reference/gen_scipy.py && Rscript testdata/reference/gen_r.R

It writes

    testdata/reference/cases.json  the named inputs (experiment, control), shared with gen_r.R
    testdata/reference/scipy.json  mannwhitneyu, ttest_ind(equal_var=False), ks_2samp results

Every test is called as test(experiment, control); in the call strings x is the
experiment and y the control. Alternatives are recorded under chaosstat's names
("greater" = the experiment tends to be greater). For mannwhitneyu and
ttest_ind scipy's alternative means the same thing. For ks_2samp it is the
other way round: scipy's 'less' means the CDF of x lies below that of y, i.e.
x tends to be greater, so chaosstat Greater = ks_2samp(x, y, alternative='less')
and chaosstat Less = ks_2samp(x, y, alternative='greater'). The call string
of every record says which scipy call produced it.

Non-finite numbers are written as the strings "NaN", "Inf" and "-Inf" (JSON has
no such numbers). Everything else is a JSON number printed with Python's repr,
which round-trips exactly.
"""

import json
import math
import os
import platform
import sys
import warnings

import numpy as np
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))

if scipy.__version__.split(".")[:2] != ["1", "10"]:
    sys.exit(f"gen_scipy.py: want scipy 1.10 (Debian's python3-scipy, run /usr/bin/python3), got {scipy.__version__}")


# ---------------------------------------------------------------------------
# Cases

def fl(xs):
    """Plain Python floats (repr-exact in JSON)."""
    return [float(v) for v in xs]


def normal(seed, n, mu, sd, dec=6):
    rng = np.random.default_rng(seed)
    return fl(np.round(rng.normal(mu, sd, n), dec))


def lognormal(seed, n, mu, sigma, dec=6):
    rng = np.random.default_rng(seed)
    return fl(np.round(rng.lognormal(mu, sigma, n), dec))


def exponential(seed, n, scale, dec=6):
    rng = np.random.default_rng(seed)
    return fl(np.round(rng.exponential(scale, n), dec))


def poisson(seed, n, lam):
    rng = np.random.default_rng(seed)
    return fl(rng.poisson(lam, n))


def small_counts(seed, n, p):
    rng = np.random.default_rng(seed)
    return fl(rng.choice([0, 1, 2, 3], size=n, p=p))


def has_ties(x, y):
    z = np.concatenate([x, y])
    return len(np.unique(z)) != len(z)


_identical = normal(1101, 12, 100.0, 15.0)

CASES = [
    # Published vectors (scipy's tests, R's examples).
    dict(name="scipy_x_y_3v13",
         reason="scipy's mannwhitneyu test vector (agrees with R): U=16, asymptotic two-sided p=0.6865041817876, exact 0.7035714285714",
         experiment=[210.05, 110.19, 307.92],
         control=[436.09, 416.37, 179.97, 197.81, 34.04, 138.54, 128.78, 265.93, 275.66, 592.34, 448.73, 300.61, 187.98]),
    dict(name="males_females",
         reason="scipy's mannwhitneyu docs example: U=17, exact p=0.1111111111111111, asymptotic 0.11134688653314041; R exact HL 7 [-1, 17], asymptotic 98% 7 [-4, 18]",
         experiment=[19.0, 22.0, 16.0, 29.0, 24.0],
         control=[20.0, 11.0, 17.0, 12.0]),
    dict(name="ties_1234_vs_12345",
         reason="published tied vector: [1,2,3,4] vs [1,2,3,4,5], asymptotic U=8 p=0.7086240584439; exact requests must fall back to asymptotic",
         experiment=[1.0, 2.0, 3.0, 4.0],
         control=[1.0, 2.0, 3.0, 4.0, 5.0]),
    dict(name="welch_123_vs_11_29_42",
         reason="published Welch vector: t=-0.686495127355726 df=3.410443164346377 p=0.536194907531267, R 95% CI [-3.912777195645218, 2.446110528978551]",
         experiment=[1.0, 2.0, 3.0],
         control=[1.1, 2.9, 4.2]),
    dict(name="ks_101_201_vs_1234",
         reason="published ks_2samp vector: D=0.5, exact two-sided p=14/15",
         experiment=[1.01, 2.01],
         control=[1.0, 2.0, 3.0, 4.0]),
    # Tiny samples.
    dict(name="tiny_1v1",
         reason="smallest possible samples: U in {0,1}, exact p=1; Welch undefined (n=1); KS asymptotic uses round(0.5)=0 and is NaN in scipy",
         experiment=[3.5], control=[1.25]),
    dict(name="tiny_1v3",
         reason="one experiment point against three control points, no ties",
         experiment=[2.0], control=[1.5, 3.25, 4.0]),
    dict(name="tiny_2v2",
         reason="2 vs 2, complete separation: exact two-sided p=1/3, the smallest attainable; Welch on 2 points each",
         experiment=[0.5, 2.75], control=[1.0, 1.5]),
    dict(name="tiny_3v2",
         reason="3 vs 2, no ties, partial overlap",
         experiment=[4.1, 2.2, 5.3], control=[1.7, 3.6]),
    dict(name="ks_rounding_5v5",
         reason="ks_2samp asymptotic uses numpy's round-half-to-even: mn/(m+n)=2.5 rounds to 2, not 3",
         experiment=[0.3, 1.4, 2.2, 5.1, 6.6], control=[0.9, 1.7, 3.8, 4.4, 7.2]),
    # Unequal sizes.
    dict(name="lognormal_7v40",
         reason="unequal sizes 7 vs 40, skewed latency-like values (lognormal), no ties: scipy auto picks exact (min n <= 8)",
         experiment=lognormal(701, 7, 5.0, 0.6),
         control=lognormal(702, 40, 4.8, 0.6)),
    dict(name="exponential_60v9",
         reason="unequal sizes 60 vs 9 (both > 8: scipy auto picks asymptotic), exponential values, no ties",
         experiment=exponential(601, 60, 2.0),
         control=exponential(602, 9, 2.5)),
    # Heavy ties: per-minute counts.
    dict(name="counts_poisson50_60v60",
         reason="per-minute counts around 50 (Poisson(50), seeded), 60 vs 60, no real difference: heavy ties, exact requests fall back",
         experiment=poisson(5001, 60, 50.0),
         control=poisson(5002, 60, 50.0)),
    dict(name="counts_poisson50_shift_60v60",
         reason="per-minute counts, the experiment lowered by a fault: Poisson(44) vs Poisson(50), heavy ties",
         experiment=poisson(5003, 60, 44.0),
         control=poisson(5004, 60, 50.0)),
    dict(name="counts_0to3_40v35",
         reason="small-range counts 0..3 (massive ties: 4 distinct values in 75 points), experiment skewed up",
         experiment=small_counts(301, 40, [0.2, 0.3, 0.3, 0.2]),
         control=small_counts(302, 35, [0.35, 0.35, 0.2, 0.1])),
    # Degenerate inputs.
    dict(name="identical_samples",
         reason="the experiment is an exact copy of the control: U=n1n2/2, t=0, D=0, p=1; every value tied once",
         experiment=list(_identical), control=list(_identical)),
    dict(name="all_equal",
         reason="both groups constant at the same value: no information; R refuses the interval, Welch t is 0/0",
         experiment=[7.0] * 8, control=[7.0] * 6),
    dict(name="constant_vs_constant",
         reason="each group constant, different constants (5 vs 3): complete separation with zero variance; Welch t is infinite in scipy, R refuses",
         experiment=[5.0] * 6, control=[3.0] * 7),
    dict(name="constant_vs_varying",
         reason="experiment constant (a stuck metric), control varying around it: Welch rests on the control's variance alone (df = n2-1)",
         experiment=[10.0] * 8, control=normal(1801, 10, 10.0, 1.0)),
    # Continuous, no ties.
    dict(name="normal_20v25",
         reason="continuous, no ties, moderate sizes 20 vs 25 (R exact by default, n < 50), modest shift",
         experiment=normal(2001, 20, 10.5, 2.0),
         control=normal(2002, 25, 10.0, 2.0)),
    dict(name="normal_45v49",
         reason="continuous, no ties, 45 vs 49: the largest sizes where R's default is still exact",
         experiment=normal(4501, 45, 100.0, 10.0),
         control=normal(4502, 49, 103.0, 12.0)),
    dict(name="normal_120v150",
         reason="larger continuous samples 120 vs 150: asymptotic by default everywhere; exact still requested to test big exact distributions",
         experiment=normal(12001, 120, 0.2, 1.0),
         control=normal(12002, 150, 0.0, 1.3)),
    # Far tails.
    dict(name="negative_far_tail_70v65",
         reason="negative values, large shift, complete separation: asymptotic Mann-Whitney p ~1e-23, exact ~1e-39, Welch and KS p far below 1e-20 (tail accuracy)",
         experiment=normal(7001, 70, -440.0, 8.0),
         control=normal(7002, 65, -500.0, 8.0)),
    dict(name="separated_underflow_30v30",
         reason="groups a million standard deviations apart: Welch p (~t^-58) underflows to 0 in double precision; rank tests hit their smallest attainable p, 2/C(60,30)",
         experiment=normal(3001, 30, 1e6, 1.0),
         control=normal(3002, 30, 0.0, 1.0)),
]


def check_cases():
    names = set()
    for c in CASES:
        assert c["name"] not in names, c["name"]
        names.add(c["name"])
        for side in ("experiment", "control"):
            assert all(math.isfinite(v) for v in c[side]), (c["name"], side)
            assert all(isinstance(v, float) for v in c[side]), (c["name"], side)
    notie = ["scipy_x_y_3v13", "males_females", "welch_123_vs_11_29_42", "ks_101_201_vs_1234",
             "tiny_1v1", "tiny_1v3", "tiny_2v2", "tiny_3v2", "ks_rounding_5v5", "lognormal_7v40",
             "exponential_60v9", "normal_20v25", "normal_45v49", "normal_120v150",
             "negative_far_tail_70v65", "separated_underflow_30v30"]
    for c in CASES:
        if c["name"] in notie:
            assert not has_ties(c["experiment"], c["control"]), c["name"]
    far = next(c for c in CASES if c["name"] == "negative_far_tail_70v65")
    assert max(far["control"]) < min(far["experiment"]) < 0, "far-tail case must separate completely"


# ---------------------------------------------------------------------------
# Helpers

def num(v):
    """A float for JSON: non-finite values become strings."""
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Inf" if v > 0 else "-Inf"
    return v


def call(f, *args, **kw):
    """Calls f, returning (result, warning messages)."""
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        with np.errstate(all="warn"):
            res = f(*args, **kw)
    msgs = []
    for w in ws:
        m = f"{w.category.__name__}: {w.message}"
        if m not in msgs:
            msgs.append(m)
    return res, msgs


ALTS = ["two-sided", "greater", "less"]  # chaosstat's names, in this order everywhere
KS_SCIPY_ALT = {"two-sided": "two-sided", "greater": "less", "less": "greater"}


def welch_df(x, y):
    # scipy 1.10's ttest_ind returns only (statistic, pvalue); its df is the
    # Welch-Satterthwaite value computed by the private
    # scipy.stats._stats_py._unequal_var_ttest_denom, which this repeats:
    #   df = (v1/n1 + v2/n2)^2 / [(v1/n1)^2/(n1-1) + (v2/n2)^2/(n2-1)]
    # with v the variance with ddof=1.
    x, y = np.asarray(x), np.asarray(y)
    n1, n2 = len(x), len(y)
    if n1 < 2 or n2 < 2:
        return float("nan")
    vn1 = np.var(x, ddof=1) / n1
    vn2 = np.var(y, ddof=1) / n2
    with np.errstate(divide="ignore", invalid="ignore"):
        return float((vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1)))


def undefined_reason(rec):
    bad = [k for k in ("statistic", "pvalue", "df") if k in rec and isinstance(rec[k], str)]
    if bad:
        return "scipy returns a non-finite " + " and ".join(bad) + ": chaosstat must return an error or warn"
    return None


# ---------------------------------------------------------------------------
# Records

def mwu_records(case):
    x, y = case["experiment"], case["control"]
    ties = has_ties(x, y)
    out = []
    for alt in ALTS:
        asym_call = f"mannwhitneyu(x, y, alternative='{alt}', method='asymptotic', use_continuity=True)"
        asym, asym_w = call(stats.mannwhitneyu, x, y, alternative=alt, method="asymptotic", use_continuity=True)
        for method in ("exact", "asymptotic", "auto"):
            rec = dict(case=case["name"], test="mannwhitneyu", alternative=alt, method=method)
            if method == "asymptotic":
                rec.update(call=asym_call, method_used="asymptotic", statistic=num(asym.statistic),
                           pvalue=num(asym.pvalue), scipy_warnings=asym_w, expect_warning=False)
            elif method == "exact":
                if ties:
                    # chaosstat's rule: exact with ties falls back to the
                    # asymptotic test (with tie correction) and warns;
                    # scipy's exact branch would silently ignore the ties.
                    ign, _ = call(stats.mannwhitneyu, x, y, alternative=alt, method="exact", use_continuity=True)
                    rec.update(call=asym_call, method_used="asymptotic", statistic=num(asym.statistic),
                               pvalue=num(asym.pvalue), scipy_warnings=asym_w, expect_warning=True,
                               note="ties: chaosstat falls back to asymptotic and warns, so the values are scipy's "
                                    "asymptotic answer; scipy's method='exact' would ignore the ties and give "
                                    f"p={float(ign.pvalue)!r}")
                else:
                    c = f"mannwhitneyu(x, y, alternative='{alt}', method='exact', use_continuity=True)"
                    r, w = call(stats.mannwhitneyu, x, y, alternative=alt, method="exact", use_continuity=True)
                    rec.update(call=c, method_used="exact", statistic=num(r.statistic), pvalue=num(r.pvalue),
                               scipy_warnings=w, expect_warning=False)
            else:
                c = f"mannwhitneyu(x, y, alternative='{alt}', method='auto', use_continuity=True)"
                r, w = call(stats.mannwhitneyu, x, y, alternative=alt, method="auto", use_continuity=True)
                used = "exact" if (not ties and min(len(x), len(y)) <= 8) else "asymptotic"
                # Confirm the rule against scipy's own choice.
                ref, _ = call(stats.mannwhitneyu, x, y, alternative=alt, method=used, use_continuity=True)
                assert float(ref.pvalue) == float(r.pvalue) or (math.isnan(ref.pvalue) and math.isnan(r.pvalue)), (case["name"], alt)
                rec.update(call=c, method_used=used, statistic=num(r.statistic), pvalue=num(r.pvalue),
                           scipy_warnings=w, expect_warning=False,
                           note="scipy 1.10 auto: exact iff no ties and min(n1, n2) <= 8")
            u = undefined_reason(rec)
            if u:
                rec["undefined"] = u
            out.append(rec)
    return out


def welch_records(case):
    x, y = case["experiment"], case["control"]
    out = []
    df = welch_df(x, y)
    for alt in ALTS:
        c = f"ttest_ind(x, y, equal_var=False, alternative='{alt}')"
        r, w = call(stats.ttest_ind, x, y, equal_var=False, alternative=alt)
        rec = dict(case=case["name"], test="ttest_ind", alternative=alt, call=c,
                   statistic=num(r.statistic), df=num(df), pvalue=num(r.pvalue), scipy_warnings=w,
                   df_source="Welch-Satterthwaite formula computed in gen_scipy.py (scipy 1.10's ttest_ind does not return df)")
        if math.isfinite(df) and math.isfinite(r.statistic):
            # The p-value must follow from t and our df, or our df is not scipy's.
            t = float(r.statistic)
            p = {"two-sided": 2 * stats.t.sf(abs(t), df), "greater": stats.t.sf(t, df),
                 "less": stats.t.cdf(t, df)}[alt]
            p = min(p, 1.0)
            assert math.isclose(p, r.pvalue, rel_tol=1e-12, abs_tol=1e-300), (case["name"], alt, p, r.pvalue)
        u = undefined_reason(rec)
        if u:
            rec["undefined"] = u
        out.append(rec)
    return out


def ks_exact_bruteforce(x, y, alt):
    """Exact ks_2samp p-value (scipy's alternative names) by enumerating every
    split of the pooled, tie-free sample; None when that is too many splits."""
    import itertools
    n1, n2 = len(x), len(y)
    if math.comb(n1 + n2, n1) > 200000 or has_ties(x, y):
        return None

    def stat(is_x):
        # is_x: booleans over the pooled sample in increasing order.
        a = b = 0
        dplus = dminus = 0.0
        for v in is_x:
            if v:
                a += 1
            else:
                b += 1
            dplus = max(dplus, a / n1 - b / n2)
            dminus = max(dminus, b / n2 - a / n1)
        return {"two-sided": max(dplus, dminus), "greater": dplus, "less": dminus}[alt]

    pooled = sorted([(v, True) for v in x] + [(v, False) for v in y])
    d0 = stat([v for _, v in pooled])
    hits = total = 0
    for pos in itertools.combinations(range(n1 + n2), n1):
        mask = [False] * (n1 + n2)
        for i in pos:
            mask[i] = True
        total += 1
        if stat(mask) >= d0 - 1e-12:
            hits += 1
    return hits / total


def ks_records(case, skipped):
    x, y = case["experiment"], case["control"]
    out = []
    for alt in ALTS:
        salt = KS_SCIPY_ALT[alt]
        for method, smethod in (("exact", "exact"), ("asymptotic", "asymp"), ("auto", "auto")):
            c = f"ks_2samp(x, y, alternative='{salt}', method='{smethod}')"
            r, w = call(stats.ks_2samp, x, y, alternative=salt, method=smethod)
            if method != "asymptotic" and any("Exact calculation unsuccessful" in m or "calculation not possible" in m for m in w):
                # scipy gave up on its exact computation (a rounding error
                # pushed the probability outside [0, 1]) and answered with
                # the asymptotic formula: not a reference for an exact
                # request. Record why, with the true exact value.
                bf = ks_exact_bruteforce(x, y, salt)
                skipped.append(dict(
                    case=case["name"], test="ks_2samp", alternative=alt, method=method, call=c,
                    scipy_warnings=w,
                    reason="scipy 1.10 refused the exact computation (it came out outside [0, 1] by rounding) and "
                           f"silently answered with method='asymp': D={float(r.statistic)!r}, p={float(r.pvalue)!r}"
                           + ("" if bf is None else
                              f"; enumerating all {math.comb(len(x) + len(y), len(x))} splits gives the exact p={bf!r}")))
                if bf is not None:
                    # Not scipy's number: the exact p-value by enumeration,
                    # for checking chaosstat's exact answer where scipy has none.
                    skipped[-1]["enumerated_exact_pvalue"] = bf
                continue
            if method == "asymptotic":
                used = "asymptotic"
            else:
                used = "exact"  # auto: exact when max(n1, n2) <= 10000, always here
            rec = dict(case=case["name"], test="ks_2samp", alternative=alt, method=method, call=c,
                       method_used=used, statistic=num(r.statistic), pvalue=num(r.pvalue),
                       scipy_warnings=w, expect_warning=False)
            if alt != "two-sided":
                rec["note"] = f"chaosstat {alt} = scipy alternative='{salt}' (direction mapping)"
            u = undefined_reason(rec)
            if u:
                rec["undefined"] = u
            out.append(rec)
    return out


def main():
    check_cases()
    cases_doc = dict(
        generator="testdata/reference/gen_scipy.py",
        note="Inputs shared by gen_scipy.py and gen_r.R. Every test is test(experiment, control). "
             "Continuous values are rounded to 6 decimals; every number is printed repr-exact.",
        cases=[dict(name=c["name"], reason=c["reason"], experiment=c["experiment"], control=c["control"])
               for c in CASES],
    )
    records, skipped = [], []
    for c in CASES:
        records += mwu_records(c)
        records += welch_records(c)
        records += ks_records(c, skipped)
        print(f"{c['name']}: done", file=sys.stderr)
    doc = dict(
        generator="testdata/reference/gen_scipy.py",
        scipy_version=scipy.__version__,
        numpy_version=np.__version__,
        python_version=platform.python_version(),
        conventions=dict(
            arguments="x = experiment, y = control, as listed in cases.json",
            alternative="chaosstat's name: greater = the experiment tends to be greater. "
                        "mannwhitneyu and ttest_ind use scipy's alternative as is; ks_2samp maps "
                        "greater -> scipy 'less' and less -> scipy 'greater' (see call)",
            method="the method asked of chaosstat; method_used is the one chaosstat must report "
                   "(exact Mann-Whitney with ties falls back to asymptotic with a warning, expect_warning)",
            nonfinite="NaN, Inf and -Inf are written as the strings \"NaN\", \"Inf\", \"-Inf\"",
            undefined="records with an 'undefined' field have a non-finite reference value: "
                      "chaosstat must return an error or a warning there, not a silent number",
            statistic="mannwhitneyu: U of x; ttest_ind: Welch t; ks_2samp: D of the scipy call",
            df="ttest_ind only: Welch-Satterthwaite df computed by gen_scipy.py, since scipy 1.10 does "
               "not return it; the script checks that scipy's p-value follows from t and this df",
        ),
        records=records,
        skipped=skipped,
    )
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        json.dump(cases_doc, f, indent=1, allow_nan=False)
        f.write("\n")
    with open(os.path.join(HERE, "scipy.json"), "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {len(CASES)} cases, {len(records)} scipy records", file=sys.stderr)


if __name__ == "__main__":
    main()
