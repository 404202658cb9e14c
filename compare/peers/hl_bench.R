#!/usr/bin/Rscript
# Times R's Hodges-Lehmann estimate and asymptotic interval,
# wilcox.test(x, y, conf.int = TRUE, exact = FALSE), on the samples of
# compare's BenchmarkHodgesLehmann100k (continuous100k) and on their first n
# values. The asymptotic branch finds the bounds and the estimate with
# uniroot() over rank() calls; only the exact branch forms outer(x, y, "-").
#
#   go test ./compare -run TestWriteBenchData -benchdata /tmp/chaosbench
#   Rscript compare/peers/hl_bench.R [DIR]
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else Sys.getenv("CHAOSSTAT_BENCHDATA", "/tmp/chaosbench")
load <- function(side) {
  f <- file.path(dir, paste0("continuous100k.", side, ".f64"))
  readBin(f, "double", n = file.size(f) / 8, size = 8, endian = "little")
}
x <- load("x")
y <- load("y")
repeats <- 5
timeout <- 300 # seconds for one call
cat(R.version.string, "\n")
for (n in c(1000, 10000, 100000)) {
  times <- c()
  for (i in seq_len(repeats)) {
    setTimeLimit(elapsed = timeout, transient = TRUE)
    t <- tryCatch(system.time(r <- wilcox.test(x[1:n], y[1:n], conf.int = TRUE, exact = FALSE))[["elapsed"]],
                  error = function(e) NA)
    setTimeLimit(elapsed = Inf)
    if (is.na(t)) {
      cat(sprintf("%d vs %d: not finished in %d s\n", n, n, timeout))
      quit(status = 0)
    }
    times <- c(times, t)
    if (t * repeats > timeout) break # too slow for 5 repeats: report what ran
  }
  cat(sprintf("%d vs %d: W=%.0f p=%.6g estimate %.9g CI [%.9g, %.9g]; median %.3f s of %d [%s] s\n",
              n, n, r$statistic, r$p.value, r$estimate, r$conf.int[1], r$conf.int[2],
              median(times), length(times), paste(sprintf("%.3f", times), collapse = ", ")))
}
