# Reference values for compare/exact_ties_test.go, correct_test.go (BY) and the
# Mann-Whitney test without continuity correction, from R 4.2.2 (Debian's
# r-base-core) with r-cran-jsonlite and r-cran-coin 1.4-2. Run by hand from the
# repository root after gen_exact_scipy.py (not by CI):
#   Rscript compare/testdata/gen_exact_r.R
# It reads compare/testdata/exact_cases.json and writes compare/testdata/exact_r.json.
#
# - ks.test(x, y, exact = TRUE): R 4.2.2's psmirnov, exact with ties. For
#   chaosstat's "greater" (experiment tends to be greater: D = max(F_y - F_x))
#   it runs ks.test(-x, -y, alternative = "greater"), the same statistic on
#   the mirrored data: R 4.2.2's alternative = "less" with ties evaluates the
#   distribution of max(F_x - F_y) instead (ks_r_example_swapped: 0.0644 where
#   the enumeration of all arrangements gives 0.1780).
# - coin::wilcox_test(distribution = "exact"): the exact conditional
#   distribution of the rank sum given the ties (shift algorithm), one-sided.
# - wilcox.test(exact = FALSE, correct = FALSE, conf.int = TRUE).
library(jsonlite)
library(coin)
stopifnot(startsWith(R.version.string, "R version 4.2.2"))
cases <- fromJSON("compare/testdata/exact_cases.json", simplifyVector = FALSE)$cases
num <- function(v) if (is.null(v) || is.na(v)) "NaN" else if (is.infinite(v)) (if (v > 0) "Inf" else "-Inf") else v
recs <- list()
add <- function(r) recs[[length(recs) + 1]] <<- r
for (c in cases) {
  x <- unlist(c$experiment); y <- unlist(c$control)
  # Kolmogorov-Smirnov, exact with ties.
  r <- ks.test(x, y, exact = TRUE)
  add(list(case = c$name, test = "ks", alternative = "two-sided", statistic = num(unname(r$statistic)),
           pvalue = num(r$p.value), call = "ks.test(x, y, exact = TRUE)"))
  r <- ks.test(-x, -y, exact = TRUE, alternative = "greater")
  add(list(case = c$name, test = "ks", alternative = "greater", statistic = num(unname(r$statistic)),
           pvalue = num(r$p.value), call = "ks.test(-x, -y, exact = TRUE, alternative = 'greater')"))
  r <- ks.test(x, y, exact = TRUE, alternative = "greater")
  add(list(case = c$name, test = "ks", alternative = "less", statistic = num(unname(r$statistic)),
           pvalue = num(r$p.value), call = "ks.test(x, y, exact = TRUE, alternative = 'greater')"))
  # The exact conditional Mann-Whitney tails with ties.
  d <- data.frame(v = c(x, y), g = factor(rep(c("e", "c"), c(length(x), length(y))), levels = c("e", "c")))
  for (a in c("greater", "less")) {
    p <- pvalue(wilcox_test(v ~ g, data = d, distribution = "exact", alternative = a))
    add(list(case = c$name, test = "mannwhitney-exact", alternative = a, pvalue = num(as.numeric(p)),
             call = sprintf("coin::wilcox_test(v ~ g, distribution = 'exact', alternative = '%s')", a)))
  }
  # Without continuity correction.
  for (a in c("two.sided", "greater", "less")) {
    alt <- if (a == "two.sided") "two-sided" else a
    r <- tryCatch(suppressWarnings(wilcox.test(x, y, alternative = a, exact = FALSE, correct = FALSE, conf.int = TRUE)),
                  error = function(e) NULL)
    if (is.null(r)) next
    add(list(case = c$name, test = "wilcox.test", alternative = alt, statistic = num(unname(r$statistic)),
             pvalue = num(r$p.value), estimate = num(unname(r$estimate)),
             conf_int = lapply(as.numeric(r$conf.int), num),
             call = sprintf("wilcox.test(x, y, alternative = '%s', exact = FALSE, correct = FALSE, conf.int = TRUE)", a)))
  }
}
by <- list(
  list(name = "one-to-five-percent", p = c(.01, .02, .03, .04, .05)),
  list(name = "unsorted", p = c(0.04, 0.001, 0.3, 0.012, 0.9, 0.0005)),
  list(name = "ties", p = c(0.02, 0.01, 0.02, 0.02, 0.5, 0.01)),
  list(name = "with-nan", p = c(0.01, NA, 0.04, NA, 0.03)),
  list(name = "m1", p = c(0.03)),
  list(name = "near-one", p = c(0.999, 0.98, 0.6, 0.9999999, 1, 0.45)),
  list(name = "random-20", p = local({ set.seed(3); c(runif(15), rbeta(5, 0.2, 5)) }))
)
by <- lapply(by, function(b) list(name = b$name, p = lapply(b$p, num), by = lapply(p.adjust(b$p, "BY"), num),
                                  call = "p.adjust(p, method = 'BY')"))
writeLines(toJSON(list(r = R.version.string, coin = as.character(packageVersion("coin")), records = recs, padjust_by = by),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE), "compare/testdata/exact_r.json")
