# Reference values for compare/timeseries_test.go (TestTimeSeriesAgainstR),
# regenerated for issue 3's fix (the degrees of freedom with the Bartlett
# variance (2/m)Σk² and the AR-order selection inflation, and the level
# shift: CUSUM test, p by adaptive quadrature with integrate()), and for
# issue 14 (a segment that moved and came back: the range of the CUSUM,
# Kuiper's distribution, and the case segment-240),
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
arhac <- function(x, means, order = 0) {  # LRV of residuals x around `means` fitted levels
  n <- length(x)
  pmax <- max(1, min(floor(min(n / 10, 12 * (n / 100)^(1/4))), 24))
  p <- if (order == 0) select_order(x, pmax) else order
  fit <- arfit(x, p)
  sumraw <- sum(fit$phi)
  r <- max(-0.97, min(0.97, sumraw + means * (1 + 3 * sumraw) / n))
  bu <- bartlett(fit$u)
  lrv <- bu$lrv / (1 - r)^2
  v <- max(fit$varsum, (1 - r^2) / n)
  sel <- if (order == 0) max(1, min(2, 2 - r)) else 1  # AIC selection inflation
  j <- seq_len(max(0, ceiling(bu$bw) - 1)); j <- j[j < bu$bw]
  k2 <- 1 + 2 * sum((1 - j / bu$bw)^2)
  nu <- min(n - 1, 2 / (2 * k2 / length(fit$u) + sel * 4 * v / (1 - r)^2))
  list(order = p, sum_raw = sumraw, sum = r, bw_u = bu$bw, lrv = lrv, nu = nu, u = fit$u)
}
ksf <- function(x) {               # P(sup |Brownian bridge| > x)
  if (x <= 0) return(1)
  if (x < 1) { k <- 1:20; return(1 - sqrt(2 * pi) / x * sum(exp(-(2 * k - 1)^2 * pi^2 / (8 * x^2)))) }
  k <- 1:100; 2 * sum((-1)^(k - 1) * exp(-2 * k^2 * x^2))
}
cusum_p <- function(x, nu) {       # E_W[ksf(x sqrt(W))], W ~ chisq(nu)/nu, by adaptive quadrature
  # over l = log W (the density of W is singular at 0 for nu < 2; that of log W is smooth)
  f <- function(l) {
    v <- sapply(l, function(li) ksf(x * sqrt(exp(li)))) * exp(dchisq(exp(l) * nu, nu, log = TRUE) + log(nu) + l)
    ifelse(is.finite(v), v, 0)     # exp(l) * nu overflows or underflows far out in the tails, where the density is 0
  }
  integrate(f, -Inf, Inf, rel.tol = 1e-10, abs.tol = 0)$value
}
level_shift <- function(d) {       # least-squares break date, CUSUM test with the LRV around two levels
  n <- length(d); k0 <- max(5, ceiling(0.15 * n))
  if (n < 2 * k0) return(NULL)
  cs <- cumsum(d - mean(d))
  ks <- k0:(n - k0)
  k <- ks[which.max(cs[ks]^2 / (ks * (n - ks)))]
  x <- d - ifelse(seq_len(n) <= k, mean(d[1:k]), mean(d[(k + 1):n]))
  g0 <- sum(x^2) / n
  fit <- arhac(x, 2)                # around the two levels: the larger of the AR(p) and AR(1) estimates
  a1 <- arhac(x, 2, order = 1)
  if (a1$lrv > fit$lrv) fit <- a1
  list(k = k, before = mean(d[1:k]), after = mean(d[(k + 1):n]), g0 = g0,
       rho1 = sum(x[-1] * x[-n]) / n / g0, fit = fit,
       p = cusum_p(max(abs(cs[1:(n - 1)])) / sqrt(n * fit$lrv), fit$nu))
}
kuiper_sf <- function(x) {         # P(sup B - inf B > x), B a Brownian bridge (Kuiper 1960)
  if (x <= 0.4) return(1)
  k <- 1:100; min(1, max(0, 2 * sum((4 * k^2 * x^2 - 1) * exp(-2 * k^2 * x^2))))
}
mixed_p <- function(sf, x, nu) {   # E_W[sf(x sqrt(W))], as cusum_p
  f <- function(l) {
    v <- sapply(l, function(li) sf(x * sqrt(exp(li)))) * exp(dchisq(exp(l) * nu, nu, log = TRUE) + log(nu) + l)
    ifelse(is.finite(v), v, 0)
  }
  integrate(f, -Inf, Inf, rel.tol = 1e-10, abs.tol = 0)$value
}
epidemic <- function(d) {          # a segment that moved and came back: the CUSUM's extremes, its range tested
  n <- length(d); k0 <- max(5, ceiling(0.1 * n))
  if (n < 3 * k0) return(NULL)
  cs <- c(0, cumsum(d - mean(d)))  # cs[k + 1] = S_k, k = 0..n
  hi <- which.max(cs) - 1; lo <- which.min(cs) - 1   # first maximum and minimum, as the Go loop finds them
  k1 <- min(hi, lo); k2 <- max(hi, lo)
  if (k1 < k0 || n - k2 < k0 || k2 - k1 < k0) return(NULL)
  inside <- seq_len(n) > k1 & seq_len(n) <= k2        # 0-based [k1, k2) is 1-based k1+1..k2
  x <- d - ifelse(inside, mean(d[inside]), mean(d[!inside]))
  g0 <- sum(x^2) / n
  fit <- arhac(x, 2)
  a1 <- arhac(x, 2, order = 1)
  if (a1$lrv > fit$lrv) fit <- a1
  list(k1 = k1, k2 = k2, inside = mean(d[inside]), outside = mean(d[!inside]), g0 = g0,
       rho1 = sum(x[-1] * x[-n]) / n / g0, fit = fit,
       p = mixed_p(kuiper_sf, (max(cs) - min(cs)) / sqrt(n * fit$lrv), fit$nu))
}
timeseries <- function(d, conf = 0.95) {
  n <- length(d); dbar <- mean(d); x <- d - dbar
  g0 <- sum(x^2) / n
  rho1 <- sum(x[-1] * x[-n]) / n / g0
  fit <- arhac(x, 1)
  ls <- level_shift(d)
  shift <- !is.null(ls) && ls$p < 0.01
  ep <- epidemic(d)
  segment <- !is.null(ep) && ep$p <= 0.001 && (!shift || ep$g0 < ls$g0)
  if (segment) shift <- FALSE
  if (shift) { fit <- ls$fit; g0 <- ls$g0; rho1 <- ls$rho1 }
  if (segment) { fit <- ep$fit; g0 <- ep$g0; rho1 <- ep$rho1 }
  lrv <- fit$lrv; nu <- fit$nu
  se <- sqrt(lrv / n); t <- dbar / se; q <- qt(1 - (1 - conf) / 2, nu)
  list(mean = dbar, rho1 = rho1, order = fit$order, sum_raw = fit$sum_raw, sum = fit$sum, bw_u = fit$bw_u, lrv = lrv, nu = nu,
       t = t, p = 2 * pt(-abs(t), nu), p_greater = pt(-t, nu), p_less = pt(t, nu),
       low = dbar - q * se, high = dbar + q * se,
       low_greater = dbar - qt(conf, nu) * se, high_less = dbar + qt(conf, nu) * se,
       effective_n = n * g0 * n / (n - 1) / lrv,
       shift_p = if (is.null(ls)) NA else ls$p, shift = shift,
       shift_index = if (is.null(ls)) NA else ls$k, shift_before = if (is.null(ls)) NA else ls$before,
       shift_after = if (is.null(ls)) NA else ls$after,
       segment_p = if (is.null(ep)) NA else ep$p, segment = segment,
       segment_start = if (is.null(ep)) NA else ep$k1, segment_end = if (is.null(ep)) NA else ep$k2,
       segment_inside = if (is.null(ep)) NA else ep$inside, segment_outside = if (is.null(ep)) NA else ep$outside,
       u = fit$u)
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
  list(name = "ar2-1000", reason = "AR(2) over 1000 points: a larger maximum order", d = as.numeric(arima.sim(list(ar = c(1.2, -0.4)), n = 1000, n.start = 200)) + 0.05),
  list(name = "step-120", reason = "a level shift of -150 from point 61 on, AR(1) 0.5 noise: the variance is estimated around the two levels", d = 70 * ar1(120, 0.5) - 150 * (seq_len(120) > 60)),
  list(name = "step-240-late", reason = "a level shift of +40 at 80% of the window under AR(1) 0.8 noise", d = 30 * ar1(240, 0.8) + 40 * (seq_len(240) > 192)),
  list(name = "segment-240", reason = "a fault and a recovery: -150 from point 81 to 160, AR(1) 0.5 noise (issue 14)", d = 70 * ar1(240, 0.5) - 150 * (seq_len(240) > 80 & seq_len(240) <= 160))
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
