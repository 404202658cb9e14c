# Reference values from R 4.2.2 for chaosstat's Mann-Whitney / Hodges-Lehmann
# and Welch tests.
#
# Run by hand from the repository root, after gen_scipy.py has written
# cases.json (not by CI):
#
#     /usr/bin/python3 testdata/reference/gen_scipy.py && Rscript testdata/reference/gen_r.R
#
# Needs Debian's r-base-core (R 4.2.2) and r-cran-jsonlite.
#
# Reads testdata/reference/cases.json and writes testdata/reference/r.json with
#
#   wilcox.test(x, y, alternative=a, exact=e, correct=TRUE, conf.int=TRUE, conf.level=c)
#   t.test(x, y, alternative=a, var.equal=FALSE, conf.level=c)
#
# for every case, a in two.sided/greater/less, e in TRUE/FALSE/NULL (R's
# default: exact iff both n < 50 and no ties), c in 0.90/0.95/0.98.
# x is the experiment and y the control; R's alternatives mean the same as
# chaosstat's ("greater": x tends to be greater), recorded under chaosstat's
# spelling "two-sided". Non-finite numbers (the open end of a one-sided
# interval, NaN) are written as the strings "Inf", "-Inf", "NaN"; NA as null.
#
# jsonlite's toJSON prints at most 15 significant digits even with digits=NA,
# which does not round-trip, so every number is formatted here with the
# shortest of %.15g/%.16g/%.17g that reads back as the same double, and
# inserted verbatim.

suppressPackageStartupMessages(library(jsonlite))

if (!(R.version$major == "4" && R.version$minor == "2.2")) {
  stop("gen_r.R: want R 4.2.2 (Debian's r-base-core), got ", R.version.string)
}

here <- "testdata/reference"
if (!file.exists(file.path(here, "cases.json"))) {
  stop("gen_r.R: run from the repository root after gen_scipy.py (no ", file.path(here, "cases.json"), ")")
}
cases <- fromJSON(file.path(here, "cases.json"), simplifyVector = TRUE, simplifyDataFrame = FALSE)$cases

# ---------------------------------------------------------------------------
# Exact number formatting

fmt1 <- function(v) {
  if (is.na(v) && !is.nan(v)) return("null")
  if (is.nan(v)) return("\"NaN\"")
  if (is.infinite(v)) return(if (v > 0) "\"Inf\"" else "\"-Inf\"")
  for (d in 15:17) {
    s <- sprintf(paste0("%.", d, "g"), v)
    if (as.numeric(s) == v) return(s)
  }
  s  # %.17g always identifies a double
}
num <- function(v) structure(fmt1(as.numeric(v)), class = "json")
nums <- function(v) structure(paste0("[", paste(vapply(as.numeric(v), fmt1, ""), collapse = ","), "]"), class = "json")

# ---------------------------------------------------------------------------
# Running a call, keeping its warnings and error

run <- function(expr) {
  ws <- character(0)
  val <- withCallingHandlers(
    tryCatch(expr, error = function(e) e),
    warning = function(w) {
      ws <<- c(ws, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  list(value = val, warnings = unique(ws), failed = inherits(val, "error"))
}

alts <- c("two-sided", "greater", "less")       # chaosstat's spelling
ralt <- c("two-sided" = "two.sided", greater = "greater", less = "less")
levels <- c(0.90, 0.95, 0.98)
exacts <- list(exact = TRUE, asymptotic = FALSE, auto = NULL)

compact <- function(l) l[!vapply(l, is.null, TRUE)]

# The confidence level R's exact interval really achieves. R reports it in
# attr(conf.int, "conf.level") only when it falls short of the request by more
# than alpha/2 (with the warning "Requested conf.level not achievable");
# otherwise the attribute is the requested level. Same expressions as
# stats:::wilcox.test.default.
achieved_level <- function(alt, conf, m, n) {
  alpha <- 1 - conf
  if (alt == "two-sided") {
    qu <- qwilcox(alpha / 2, m, n)
    if (qu == 0) qu <- 1
    1 - 2 * pwilcox(trunc(qu) - 1, m, n)
  } else {
    qu <- qwilcox(alpha, m, n)
    if (qu == 0) qu <- 1
    1 - pwilcox(trunc(qu) - 1, m, n)
  }
}

wilcox_records <- function(cs) {
  x <- as.numeric(cs$experiment)
  y <- as.numeric(cs$control)
  out <- list()
  for (alt in alts) for (mname in names(exacts)) for (conf in levels) {
    e <- exacts[[mname]]
    estr <- if (is.null(e)) "NULL" else as.character(e)
    callstr <- sprintf("wilcox.test(x, y, alternative='%s', exact=%s, correct=TRUE, conf.int=TRUE, conf.level=%s)",
                       ralt[[alt]], estr, format(conf))
    r <- run(wilcox.test(x, y, alternative = ralt[[alt]], exact = e, correct = TRUE,
                         conf.int = TRUE, conf.level = conf))
    rec <- list(case = cs$name, test = "wilcox.test", alternative = alt, method = mname,
                conf_level = num(conf), call = callstr)
    if (r$failed) {
      # The interval could not be computed; the test itself may still run.
      rec$error <- conditionMessage(r$value)
      callstr2 <- sprintf("wilcox.test(x, y, alternative='%s', exact=%s, correct=TRUE)", ralt[[alt]], estr)
      r2 <- run(wilcox.test(x, y, alternative = ralt[[alt]], exact = e, correct = TRUE))
      rec$warnings <- as.list(unique(c(r$warnings, r2$warnings)))
      if (!r2$failed) {
        rec$test_call <- callstr2
        rec$r_method <- r2$value$method
        rec$method_used <- if (grepl("exact", r2$value$method)) "exact" else "asymptotic"
        rec$statistic <- num(r2$value$statistic)
        rec$p_value <- num(r2$value$p.value)
      }
      out[[length(out) + 1]] <- compact(rec)
      next
    }
    h <- r$value
    used <- if (grepl("exact", h$method)) "exact" else "asymptotic"
    rec$r_method <- h$method
    rec$method_used <- used
    rec$warnings <- as.list(r$warnings)
    rec$statistic <- num(h$statistic)
    rec$p_value <- num(h$p.value)
    rec$estimate <- num(h$estimate)
    rec$conf_int <- nums(h$conf.int)
    rec$conf_level_attr <- num(attr(h$conf.int, "conf.level"))
    if (used == "exact") {
      rec$achieved_conf_level <- num(achieved_level(alt, conf, length(x), length(y)))
    }
    out[[length(out) + 1]] <- compact(rec)
  }
  out
}

ttest_records <- function(cs) {
  x <- as.numeric(cs$experiment)
  y <- as.numeric(cs$control)
  out <- list()
  for (alt in alts) for (conf in levels) {
    callstr <- sprintf("t.test(x, y, alternative='%s', var.equal=FALSE, conf.level=%s)", ralt[[alt]], format(conf))
    r <- run(t.test(x, y, alternative = ralt[[alt]], var.equal = FALSE, conf.level = conf))
    rec <- list(case = cs$name, test = "t.test", alternative = alt, conf_level = num(conf), call = callstr,
                warnings = as.list(r$warnings))
    if (r$failed) {
      rec$error <- conditionMessage(r$value)
      out[[length(out) + 1]] <- compact(rec)
      next
    }
    h <- r$value
    est <- unname(h$estimate)
    rec$statistic <- num(h$statistic)
    rec$df <- num(h$parameter)
    rec$p_value <- num(h$p.value)
    rec$conf_int <- nums(h$conf.int)
    rec$conf_level_attr <- num(attr(h$conf.int, "conf.level"))
    rec$mean_x <- num(est[1])
    rec$mean_y <- num(est[2])
    rec$estimate_difference <- num(est[1] - est[2])
    out[[length(out) + 1]] <- compact(rec)
  }
  out
}

records <- list()
inputs <- list()
for (cs in cases) {
  records <- c(records, wilcox_records(cs), ttest_records(cs))
  # The inputs as R parsed them, so the Go test can check that R computed on
  # exactly the doubles in cases.json.
  inputs[[length(inputs) + 1]] <- list(case = cs$name, experiment = nums(cs$experiment), control = nums(cs$control))
  message(cs$name, ": done")
}

doc <- list(
  generator = "testdata/reference/gen_r.R",
  r_version = R.version.string,
  jsonlite_version = as.character(packageVersion("jsonlite")),
  conventions = list(
    arguments = "x = experiment, y = control, as listed in cases.json",
    alternative = "chaosstat's spelling (two-sided, greater, less); R's alternative means the same: greater = x tends to be greater",
    method = "exact = exact=TRUE, asymptotic = exact=FALSE, auto = exact=NULL (R's default: exact iff n.x < 50, n.y < 50 and no ties); method_used is what R did (r_method is R's own description): with ties R falls back to the normal approximation and warns",
    nonfinite = "one-sided intervals have an infinite end, written as the string \"Inf\" or \"-Inf\"; NaN as \"NaN\"",
    conf_level_attr = "attr(conf.int, 'conf.level'): the requested level, except for exact intervals that fall short of it by more than alpha/2, where R reports the achieved level and warns 'Requested conf.level not achievable'",
    achieved_conf_level = "exact intervals only: the level the exact interval really achieves, 1 - achieved.alpha as computed inside wilcox.test",
    error = "R refused to compute the interval (the message); statistic and p_value then come from test_call, the same test without conf.int",
    estimate = "wilcox.test: R's estimate of the location shift; exact branch: median of all x_i - y_j; asymptotic branch: a root of the standardized statistic found by uniroot(tol=1e-4)",
    inputs = "the cases' values as R read them from cases.json"
  ),
  inputs = inputs,
  records = records
)

writeLines(toJSON(doc, auto_unbox = TRUE, pretty = TRUE, json_verbatim = TRUE, digits = NA),
           file.path(here, "r.json"))
message("wrote ", length(cases), " cases, ", length(records), " R records")
