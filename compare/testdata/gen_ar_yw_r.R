# Reference values for compare/longrun_ar_internal_test.go, from R's ar.yw.
# Run by hand from the repository root (not by CI):
#   Rscript compare/testdata/gen_ar_yw_r.R
# It writes compare/testdata/ar_yw_r.json: for each named case the series x
# (written with 17 significant digits), order.max (Go's maxAROrder(n),
# passed explicitly), and from ar.yw(x, aic = TRUE, order.max, demean =
# TRUE): the chosen order, the coefficients, and the long-run variance
# factor of the fitted model over the variance,
#   factor = s2 / (r0 * (1 - sum(ar))^2),
# s2 = var.pred * (n - (order + 1)) / n (ar.yw's innovations variance
# before its small-sample factor n/(n - order - 1)), r0 the variance
# (divisor n) that acf(type = "covariance") gives.
library(jsonlite)
maxAROrder <- function(n) max(1, min(floor(min(n / 10, 12 * (n / 100)^0.25)), 24))
cases <- list(
  list(name = "white-60", reason = "independent normal points: AIC picks order 0 or a small one",
       x = local({ set.seed(1); rnorm(60) })),
  list(name = "ar1-0.5-200", reason = "AR(1) with phi 0.5: order 1, factor near 3",
       x = local({ set.seed(2); as.numeric(arima.sim(list(ar = 0.5), 200)) })),
  list(name = "drift-under-noise-120", reason = "AR(1) 0.8 plus white noise of the same variance: lag-1 about 0.4, slow decay, order above 1",
       x = local({ set.seed(3); as.numeric(arima.sim(list(ar = 0.8), 120)) * 0.6 + rnorm(120) })),
  list(name = "arma11-300", reason = "ARMA(1,1), phi 0.9, theta -0.5: a long AR approximation",
       x = local({ set.seed(4); as.numeric(arima.sim(list(ar = 0.9, ma = -0.5), 300)) })),
  list(name = "ar2-400", reason = "AR(2) 0.5, 0.3: order 2 (or near), sum 0.8",
       x = local({ set.seed(5); as.numeric(arima.sim(list(ar = c(0.5, 0.3)), 400)) })),
  list(name = "negative-100", reason = "AR(1) with phi -0.6: factor below 1",
       x = local({ set.seed(6); as.numeric(arima.sim(list(ar = -0.6), 100)) }))
)
out <- lapply(cases, function(cs) {
  x <- cs$x
  n <- length(x)
  om <- maxAROrder(n)
  fit <- ar.yw(x, aic = TRUE, order.max = om, demean = TRUE)
  r0 <- acf(x, type = "covariance", lag.max = 0, plot = FALSE, demean = TRUE)$acf[1]
  s2 <- fit$var.pred * (n - (fit$order + 1)) / n
  sumar <- if (fit$order > 0) sum(fit$ar) else 0
  list(name = cs$name, reason = cs$reason, x = x, order_max = om, order = fit$order,
       ar = if (fit$order > 0) as.numeric(fit$ar) else numeric(0),
       factor = s2 / (r0 * (1 - sumar)^2),
       call = sprintf("ar.yw(x, aic = TRUE, order.max = %d, demean = TRUE)", om))
})
writeLines(toJSON(list(r = R.version.string, cases = out), auto_unbox = TRUE, digits = 17, pretty = TRUE),
           "compare/testdata/ar_yw_r.json")
