# Reference values for compare/timeseries_test.go (TestTimeSeriesAgainstR),
# from R 4.2.2 with sandwich 3.0.2. Run by hand from the repository root:
#   Rscript compare/testdata/gen_timeseries_r.R
# It writes compare/testdata/timeseries_r.json.
#
# Two kinds of expected values per case (d is the series of paired
# differences experiment - control):
#  * "formula": the test exactly as compare.TimeSeries documents it,
#    re-implemented here from the doc comment, independently of the Go code;
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
timeseries <- function(d, conf = 0.95) {
  n <- length(d); dbar <- mean(d); dm <- d - dbar
  g0 <- sum(dm^2) / n
  rho1 <- sum(dm[-1] * dm[-n]) / n / g0
  rhoraw <- ar1coef(dm)
  r <- max(-0.97, min(0.97, rhoraw + (1 + 3 * rhoraw) / n))
  u <- dm[-1] - r * dm[-n]
  bu <- bartlett(u)
  lrv <- bu$lrv / (1 - r)^2
  nu <- min(n - 1, 2 / (4/3 * bu$bw / (n - 1) + 4 * (1 + r) / (n * (1 - r))))
  se <- sqrt(lrv / n); t <- dbar / se; q <- qt(1 - (1 - conf) / 2, nu)
  list(mean = dbar, rho1 = rho1, rho_raw = rhoraw, rho = r, bw_u = bu$bw, lrv = lrv, nu = nu,
       t = t, p = 2 * pt(-abs(t), nu), p_greater = pt(-t, nu), p_less = pt(t, nu),
       low = dbar - q * se, high = dbar + q * se,
       low_greater = dbar - qt(conf, nu) * se, high_less = dbar + qt(conf, nu) * se,
       effective_n = n * g0 * n / (n - 1) / lrv, u = u)
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
  list(name = "min-pairs-10", reason = "the fewest pairs TimeSeries accepts", d = rnorm(10))
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
