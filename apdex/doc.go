// Package apdex computes Apdex, the Application Performance Index, as the
// Apdex Technical Specification 1.1 [1] defines it: a number from 0 to 1
// saying how many users were satisfied with the response times they got.
// Teams use it as the customer-satisfaction signal of a steady state, or as
// a steady-state metric itself.
//
// The definitions [1, §3, §4]: a target threshold T splits satisfied users
// from tolerating ones and a frustration threshold F = 4T splits tolerating
// from frustrated ones; a request that failed frustrates whatever its time.
// Thresholds are inclusive:
//
//	satisfied    t <= T
//	tolerating   T < t <= F
//	frustrated   t > F, or the request failed
//
//	Apdex_T = (satisfied + tolerating/2) / total
//
// Reporting [1, §5]: the score is shown with two decimals and T in seconds,
// "0.91 [0.5]"; a score from fewer than 100 samples carries a small-group
// mark, "0.91* [0.5]"; a group with no samples is "NS", never a number. The
// rounded score is rated on the specification's bands: Excellent 0.94 to
// 1.00, Good 0.85 to 0.93, Fair 0.70 to 0.84, Poor 0.50 to 0.69,
// Unacceptable below.
//
// The workflow:
//
//  1. Choose the thresholds: Thresholds{T: 0.5} (F defaults to 4T).
//  2. Score what you have. FromSamples scores raw requests (durations and
//     error flags; ReadCSV reads them from a "duration_seconds,error" file);
//     FromHistogram scores a Prometheus classic histogram whose buckets
//     include bounds at T and F, and agrees exactly with the raw score then;
//     Windows scores one window of time after another, and Series turns the
//     windows into a series.Series, NaN where a window had no requests, to
//     use as the satisfaction signal; HistogramSeries does the same from
//     bucket series read from Prometheus (sum by (le) (increase(...))).
//  3. Report: Score.Notation gives "0.91 [0.5]", Score.Rating the band,
//     Score.Rounded the two-decimal value the band is judged on; NewReport
//     scores requests overall and window by window into a Report, which
//     writes itself as `chaosstat apdex` does (WriteText, WriteJSON, and
//     WriteCSV for the series of window scores).
//  4. Compute it in Prometheus instead: Query.PromQL writes the histogram
//     form as a PromQL expression, with the le values spelt the way the
//     Prometheus version in use stores them.
//
// No samples is never a score: FromSamples and FromHistogram return an
// error wrapping ErrNoSamples, and an empty window is NS (Value NaN), not 1.
//
// # Choices where the specification leaves room
//
// Rounding: halves round up (0.845 is 0.85), on the exact ratio of the
// counts rather than on its nearest float64. Ratings are judged on the
// rounded score, as the bands' two-decimal ranges imply. A frustration
// threshold other than 4T (later Apdex practice allows one; the 1.1
// specification does not) is shown in the notation after T, so that such
// a score is not mistaken for a standard one:
//
//	0.91 [0.5/3.0]
//
// Histograms carry no error flag: pass the count of failed requests that
// the histogram does not observe in Histogram.Errors (and in
// Query.ErrorRate), or failures are scored by their time alone. A
// histogram without bounds at T and F is an error; HistogramOptions
// Interpolate gives an estimate instead, interpolated linearly within a
// bucket as histogram_quantile does, and marks the Score Estimated.
//
// [1] Apdex Alliance, Apdex Technical Specification, Version 1.1, 2007
// (apdex.org/documents/ApdexTechnicalSpecificationV11_000.pdf). Section
// numbers are those of the specification as Chris Loosley's Apdex-G and
// Apdex-R drafts (apdex.org, 2010) map them: §3 calculation inputs (§3.2
// report groups and their size), §4 calculating the index, §5 reporting
// ("The value of T must be clearly displayed in association with the
// Apdex score"). The rounding of halves is not settled by the text
// quoted there; this package rounds them up.
// [2] Prometheus documentation, "Histograms and summaries", the Apdex
// example: (bucket{le="0.3"} + bucket{le="1.2"}) / 2 / count.
package apdex
