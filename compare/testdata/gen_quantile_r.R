# Reference values for compare/quantile_test.go (TestQuantileEstimatorAgainstR),
# from R 4.2.2's quantile(x, q, type = 7). Run by hand from the repository root:
#   Rscript compare/testdata/gen_quantile_r.R
# It writes compare/testdata/quantile_r.json.
library(jsonlite)
set.seed(20261127)
cases <- list(
  list(name = "small", reason = "interpolation between two order statistics", x = c(3, 1, 4, 1, 5, 9, 2, 6)),
  list(name = "ties", reason = "tied values around the quantile (latencies in whole ms)", x = c(12, 12, 12, 15, 15, 20, 20, 20, 20, 31, 45)),
  list(name = "lognormal-1000", reason = "a latency-like sample", x = round(rlnorm(1000, log(0.2), 0.5), 6)),
  list(name = "n-101", reason = "(n-1)q is a whole number for q = .5, .95, .99: no interpolation", x = round(rnorm(101), 6))
)
qs <- c(0.01, 0.05, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999)
out <- list(r = R.version.string, q = qs, cases = lapply(cases, function(c) {
  list(name = c$name, reason = c$reason, x = c$x, quantile = unname(quantile(c$x, qs, type = 7)),
       call = "quantile(x, q, type = 7)")
}))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "compare/testdata/quantile_r.json")
