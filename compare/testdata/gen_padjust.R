# Reference values for compare/correct_test.go, from R 4.2.2's p.adjust.
# Run by hand from the repository root (not by CI):
#   Rscript compare/testdata/gen_padjust.R
# It writes compare/testdata/padjust_r.json: for each named case the input p
# (NA written as "NaN") and p.adjust(p, method) for holm, BH and none.
library(jsonlite)
cases <- list(
  list(name = "one-to-five-percent", reason = "p = .01 to .05 in steps of .01: Holm .05 .08 .09 .09 .09, BH all .05",
       p = c(.01, .02, .03, .04, .05)),
  list(name = "unsorted", reason = "the result is in input order, not sorted order",
       p = c(0.04, 0.001, 0.3, 0.012, 0.9, 0.0005)),
  list(name = "ties", reason = "tied p-values get equal adjusted values whatever the sort order",
       p = c(0.02, 0.01, 0.02, 0.02, 0.5, 0.01)),
  list(name = "with-nan", reason = "NA (a metric without data) stays NA and does not count in m",
       p = c(0.01, NA, 0.04, NA, 0.03)),
  list(name = "m1", reason = "a single p-value is returned unchanged",
       p = c(0.03)),
  list(name = "m1-with-nan", reason = "one p-value and NAs: m = 1, unchanged",
       p = c(NA, 0.03, NA)),
  list(name = "near-one", reason = "values near 1 are capped at 1 and the monotone step still holds",
       p = c(0.999, 0.98, 0.6, 0.9999999, 1, 0.45)),
  list(name = "zeros", reason = "p = 0 stays 0 under every method",
       p = c(0, 0, 0.2, 1e-300)),
  list(name = "tiny", reason = "p-values that differ only far in the tail",
       p = c(1e-12, 3e-12, 2e-10, 5e-9, 0.04)),
  list(name = "random-20", reason = "20 metrics, a mix of nulls and effects (set.seed(3))",
       p = local({ set.seed(3); c(runif(15), rbeta(5, 0.2, 5)) })),
  list(name = "empty", reason = "no p-values at all", p = numeric(0)),
  list(name = "all-nan", reason = "only NA: nothing to adjust", p = c(NA_real_, NA_real_))
)
num <- function(v) lapply(v, function(x) if (is.na(x)) "NaN" else x)
out <- list(r = R.version.string, cases = lapply(cases, function(c) {
  list(name = c$name, reason = c$reason, p = num(c$p),
       holm = num(p.adjust(c$p, "holm")),
       bh = num(p.adjust(c$p, "BH")),
       none = num(p.adjust(c$p, "none")),
       call = "p.adjust(p, method) for method in holm, BH, none")
}))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "compare/testdata/padjust_r.json")
