# Reference values for compare/timeseries_test.go (TestTimeSeriesAgainstR),
# from R 4.2.2 with sandwich 3.0.2. Run by hand from the repository root:
#   Rscript compare/testdata/gen_timeseries_r.R
# It writes compare/testdata/timeseries_r.json.
#
# Two kinds of expected values per case (d is the series of paired
# differences experiment - control):
#  * "formula": the test exactly as compare.TimeSeries documents it (AR(p)
#    prewhitening with the order by AIC, Bartlett kernel, Andrews bandwidth),
#    re-implemented here from the doc comment with lm.fit and solve,
#    independently of the Go code;
#  * "sandwich": the parts an established package computes:
#    sandwich::lrvar with the Bartlett kernel at the same bandwidth (the
#    kernel sum of the prewhitened residuals, and of d itself), and
#    sandwich::bwAndrews (AR(1) approximation; its ar() fit has an
#    intercept, so its bandwidth differs a little from the no-intercept
#    fit on demeaned data that the doc specifies).
library(jsonlite)
library(sandwich)

ar1coef <- function(x) { n <- length(x); sum(x[-1] * x[-n]) / sum(x[-n]^2) }
bartlett <- function(x) {          # Newey-West Bartlett LRV with Andrews' AR(1) bandwidth
  n <- length(x); xm <- x - mean(x)
  g <- function(j) sum(xm[(j + 1):n] * xm[1:(n - j)]) / n
  r <- max(-0.97, min(0.97, ar1coef(xm)))
  a1 <- 4 * r^2 / ((1 - r)^2 * (1 + r)^2)
  S <- min(1.1447 * (a1 * n)^(1/3), n)
  lrv <- g(0); j <- 1
  while (j < S) { lrv <- lrv + 2 * (1 - j / S) * g(j); j <- j + 1 }
  list(lrv = lrv * n / (n - 1), bw = S)
}
lagmat <- function(x, p, from) {   # rows t = from..n (1-based), columns lags 1..p
  n <- length(x); sapply(1:p, function(j) x[(from - j):(n - j)])
}
arfit <- function(x, p) {          # least squares without intercept, t = p+1..n
  n <- length(x); X <- matrix(lagmat(x, p, p + 1), ncol = p); y <- x[(p + 1):n]
  fit <- lm.fit(X, y); u <- as.numeric(fit$residuals)
  s2 <- sum(u^2) / (n - p)
  list(phi = as.numeric(fit$coefficients), u = u, varsum = s2 * sum(solve(crossprod(X))))
}
select_order <- function(x, pmax) {  # AIC on the common sample t = pmax+1..n
  n <- length(x); m <- n - pmax; y <- x[(pmax + 1):n]
  aic <- sapply(1:pmax, function(p) {
    X <- matrix(lagmat(x, p, pmax + 1), ncol = p)
    rss <- sum(lm.fit(X, y)$residuals^2)
    m * log(rss / m) + 2 * p
  })
  which.min(aic)
}
timeseries <- function(d, conf = 0.95) {
  n <- length(d); dbar <- mean(d); x <- d - dbar
  g0 <- sum(x^2) / n
  rho1 <- sum(x[-1] * x[-n]) / n / g0
  pmax <- max(1, min(floor(min(n / 10, 12 * (n / 100)^(1/4))), 24))
  p <- select_order(x, pmax)
  fit <- arfit(x, p)
  sumraw <- sum(fit$phi)
  r <- max(-0.97, min(0.97, sumraw + (1 + 3 * sumraw) / n))
  bu <- bartlett(fit$u)
  lrv <- bu$lrv / (1 - r)^2
  v <- max(fit$varsum, (1 - r^2) / n)
  nu <- min(n - 1, 2 / (4/3 * bu$bw / length(fit$u) + 4 * v / (1 - r)^2))
  se <- sqrt(lrv / n); t <- dbar / se; q <- qt(1 - (1 - conf) / 2, nu)
  list(mean = dbar, rho1 = rho1, order = p, sum_raw = sumraw, sum = r, bw_u = bu$bw, lrv = lrv, nu = nu,
       t = t, p = 2 * pt(-abs(t), nu), p_greater = pt(-t, nu), p_less = pt(t, nu),
       low = dbar - q * se, high = dbar + q * se,
       low_greater = dbar - qt(conf, nu) * se, high_less = dbar + qt(conf, nu) * se,
       effective_n = n * g0 * n / (n - 1) / lrv, u = fit$u)
}
ar1 <- function(n, rho) as.numeric(arima.sim(list(ar = rho), n = n, n.start = 200))
set.seed(20261127)
cases <- list(
  list(name = "independent-240", reason = "no autocorrelation: close to the paired t test", d = rnorm(240, 0.1, 1)),
  list(name = "ar05-60", reason = "moderate autocorrelation, short", d = ar1(60, 0.5) + 0.3),
  list(name = "ar08-240", reason = "the issue's setting: rho 0.8, 240 points", d = 70 * ar1(240, 0.8)),
  list(name = "ar08-240-shift", reason = "a level shift under rho 0.8", d = 100 + 70 * ar1(240, 0.8)),
  list(name = "ar095-120", reason = "strong autocorrelation: large bandwidth", d = ar1(120, 0.95)),
  list(name = "negative-ar-100", reason = "negative autocorrelation (an alternating pattern)", d = ar1(100, -0.6)),
  list(name = "random-walk-300", reason = "a random walk: the prewhitening coefficient is clipped at 0.97", d = cumsum(rnorm(300)) + 0.5),
  list(name = "min-pairs-10", reason = "the fewest pairs TimeSeries accepts", d = rnorm(10)),
  list(name = "arma-240", reason = "ARMA(1,1) phi 0.9 theta -0.5: AIC picks an order above 1", d = as.numeric(arima.sim(list(ar = 0.9, ma = -0.5), n = 240, n.start = 200))),
  list(name = "ar2-1000", reason = "AR(2) over 1000 points: a larger maximum order", d = as.numeric(arima.sim(list(ar = c(1.2, -0.4)), n = 1000, n.start = 200)) + 0.05)
)
out <- list(r = R.version.string, sandwich = as.character(packageVersion("sandwich")),
  cases = lapply(cases, function(c) {
    d <- round(c$d, 6)
    f <- timeseries(d)
    bd <- bartlett(d)
    list(name = c$name, reason = c$reason, d = d,
         formula = f[names(f) != "u"],
         # sandwich's kernel sum at our bandwidth, on the prewhitened
         # residuals u and on d: lrvar returns the variance of the mean, so
         # times n.
         sandwich_lrv_u = length(f$u) * lrvar(f$u, type = "Andrews", kernel = "Bartlett", bw = f$bw_u, prewhite = FALSE, adjust = TRUE),
         sandwich_lrv_d = length(d) * lrvar(d, type = "Andrews", kernel = "Bartlett", bw = bd$bw, prewhite = FALSE, adjust = TRUE),
         bartlett_d = bd,
         sandwich_bw_d = bwAndrews(lm(d ~ 1), kernel = "Bartlett", approx = "AR(1)", prewhite = 0),
         call = "timeseries(d) as in this script; sandwich::lrvar(x, type='Andrews', kernel='Bartlett', bw, prewhite=FALSE, adjust=TRUE); sandwich::bwAndrews(lm(d~1), kernel='Bartlett', approx='AR(1)', prewhite=0)")
  }))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "compare/testdata/timeseries_r.json")
