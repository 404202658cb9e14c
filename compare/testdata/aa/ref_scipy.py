# Reference values for compare/aa_test.go, from Debian's scipy 1.10:
#   /usr/bin/python3 compare/testdata/aa/ref_scipy.py
# Run by hand; the tests quote its output.
from scipy.stats import beta, binom, chi2, chisquare, norm

print("chisquare([600, 400])", chisquare([600, 400]))
print("chisquare([502, 498])", chisquare([502, 498]))
print("chisquare([700, 300], [2000/3, 1000/3])", chisquare([700, 300], [2000 / 3, 1000 / 3]))
print("chisquare([1900000, 2000000])", chisquare([1_900_000, 2_000_000]))

for r, n in [(7, 672), (0, 14), (14, 14), (534, 672)]:
    lo = beta.ppf(0.025, r, n - r + 1) if r > 0 else 0.0
    hi = beta.ppf(0.975, r + 1, n - r) if r < n else 1.0
    print("Clopper-Pearson 95%%, %d of %d: [%r, %r]" % (r, n, lo, hi))

print("binom.sf(2, 14, .05)", repr(binom.sf(2, 14, 0.05)))
print("binom.sf(33, 672, .05)", repr(binom.sf(33, 672, 0.05)))
print("binom.sf(0, 14, .05)", repr(binom.sf(0, 14, 0.05)))
print("z.975 + z.8", repr(norm.ppf(0.975) + norm.ppf(0.8)))
print("z.95 + z.8", repr(norm.ppf(0.95) + norm.ppf(0.8)))
print("chi2.ppf(.999, 14)", repr(chi2.ppf(0.999, 14)))

# MinAAWindows: the smallest n at which the one-sided exact binomial test at
# level alpha (reject when P(X >= r | n, alpha) < alpha) rejects with
# probability >= power when the false-positive rate is rho.
alpha, power = 0.05, 0.8
for rho in [0.1, 0.15, 0.2, 0.25, 0.3, 0.4]:
    for n in range(1, 2000):
        r = next((r for r in range(n + 1) if binom.sf(r - 1, n, alpha) < alpha), None)
        if r is not None and binom.sf(r - 1, n, rho) >= power:
            print("MinAAWindows(.05, %g, .8) = %d (critical count %d, power %.3f)" % (rho, n, r, binom.sf(r - 1, n, rho)))
            break

# The power of the check with 14 windows (two weeks of 24h windows): it
# rejects at 3 or more false positives.
for rho in [0.1, 0.15, 0.2, 0.25, 0.3]:
    print("14 windows, rate %g: power %.3f" % (rho, binom.sf(2, 14, rho)))
