// Package compare holds the two-sample tests chaosstat judges experiments
// with: each asks whether the experiment group's metric differs from the
// control group's, and says by how much.
//
// Every test is called as Test(experiment, control, opts) and returns a
// Result: the statistic, the p-value, the number of points on each side, the
// method actually used, the effect (Shift) with its confidence interval, and
// Warnings for answers that are weak. A positive shift means the experiment
// is higher; Greater means "the experiment tends to be greater than the
// control". The zero Options are the safe defaults: two-sided, Auto method,
// 95% confidence.
//
// The workflow:
//
//  1. Pick the question. MannWhitneyU asks whether one group tends to be
//     larger (location; robust to outliers and skew, the default for
//     per-minute counts). WelchT asks whether the means differ.
//     KolmogorovSmirnov asks whether the distributions differ at all (it sees
//     a change of spread or shape at an unchanged median). BrunnerMunzel
//     asks whether one group tends to be larger without assuming equal
//     shapes (a wider spread alone does not reject it).
//  2. Call the test with the two samples (NaN values are missing and left
//     out, with a warning).
//  3. Read Result.Significant() (Significant(P, Alpha()): p <= alpha, the
//     one rule of chaosstat) for significance and Result.Shift for size.
//     Statistically significant is not the same as large.
//
// The numbers match scipy 1.10 (mannwhitneyu, ttest_ind with
// equal_var=False, ks_2samp) and R 4.2.2 (wilcox.test with conf.int=TRUE for
// the Hodges-Lehmann interval); the reference vectors and the scripts that
// produced them are in testdata/reference. Small tied samples (a game day
// of five runs, error counts with many zeros) are judged exactly:
// Mann-Whitney and Kolmogorov-Smirnov use the permutation distribution given
// the ties (checked against the enumeration of every arrangement, R 4.2.2's
// ks.test and coin, in testdata/exact_*.json), where scipy falls back to the
// normal approximation or ignores the ties.
//
// These tests assume independent observations. Per-minute samples of a
// service metric are autocorrelated, and then a nominal 5% test rejects far
// more often; aggregate to windows first or use the autocorrelation-aware
// comparisons.
//
// # Reports: Run, RunAA, RunHealth
//
// Run picks a test of Tests by name (ParseTest) and returns a Report: the
// Result with the two Groups it compared, alpha and the decision, and the
// verdict in words. RunAA and RunHealth do the same for the A/A replay
// (AAReport, with the recommended window in words) and the sample-ratio
// check of an experiment period (HealthReport). Each report writes itself
// with WriteText and WriteJSON: the bytes `chaosstat compare` and
// `chaosstat aa` print, from one call.
//
// # Correlation: PearsonR, SpearmanRho, KendallTauB
//
// The correlation tests ask whether two paired variables move together,
// as a candidate steady-state metric should with customer satisfaction.
// PearsonR measures a linear relation, SpearmanRho (the default
// CorrelationMethod) any monotone one, KendallTauB the same through
// concordant pairs, corrected for ties (gonum's stat.Kendall is tau-a).
// Their coefficients and p-values match scipy 1.10's pearsonr, spearmanr
// and kendalltau (method='auto': exact for small untied samples) to a
// relative 1e-9 (testdata/corr); a constant variable is ErrConstantInput,
// not NaN. They too assume independent pairs: for autocorrelated series set
// CorrelationOptions.EffectiveN, and correlate changes, not levels
// (steadystate's correlation criterion does both).
//
// # Time series: TimeSeries
//
// When both groups are time series over the same period, TimeSeries pairs
// them minute by minute and tests the mean of the differences with an
// AR(p)-prewhitened Newey-West long-run variance and a t reference
// distribution whose degrees of freedom follow from the data. With lag-1
// autocorrelation 0.8 and 240 points per group, a nominal 5% Mann-Whitney
// raises a false alarm in about half of A/A comparisons; TimeSeries in
// about 4% (TestTimeSeriesFalseAlarms), and its far tail is calibrated too:
// P(p < 0.01) is 0.01 within binomial error from 60 to 1000 pairs,
// independent or AR(1) 0.5 (TestTimeSeriesTail), so Holm's correction
// across many metrics holds its level. Result.Autocorrelation and
// Result.EffectiveN say how much independent evidence the data held.
//
// A fault usually moves the experiment's level when it lands and leaves it
// there. TimeSeries looks for such a level shift of the differences (a
// CUSUM test with the variance around the two levels) and, when it finds
// one, reports it as a LevelShift warning — "shifted level at 13:00 …
// −155.6 from then on (−16.0%)" — and estimates the variance around the two
// levels; around one mean the step would look like a random walk and hide
// the loss behind a useless interval (TestTimeSeriesLevelShift). The
// groups must share a time grid: resample them with series.Resample first
// when they do not (ErrNotAligned).
//
// An hour of a metric that swings slowly cannot show its own long-run
// variance: on ARMA(1,1) noise (φ 0.9, θ −0.5) TimeSeries rejects about
// 20% of A/A runs of 60 pairs. Options.History takes the two groups' A/A
// time before the window (the hours before the fault) and lets its
// autocorrelation raise the window's variance: 3.1% with eight hours of it
// (MinHistoryChecked; TestTimeSeriesHistoryFalseAlarms,
// ExampleTimeSeries_history).
//
// The Newey-West long-run variance itself is LongRunVariance, and
// LongRunStream computes it point by point for a monitor (steadystate/monitor
// uses it); every AR(1) coefficient they plug in is clipped by one rule,
// ClipAR1. LongRunStream.ARFactor gives the autoregressive spectral
// estimate beside it (Yule-Walker, the order by AIC, as R's ar.yw), which
// sees autocorrelation that decays slowly after a small lag-1 value.
//
// # Tails: Quantile
//
// Quantile compares a quantile of the two samples, such as p95 or p99 of
// latencies, with a percentile bootstrap (Options.Seed makes it
// reproducible, Options.Resamples sets its size). It sees a slower tail at
// an unchanged median, which Mann-Whitney cannot. Each sample needs at least
// MinQuantileTail points beyond the quantile (500 for p99).
//
// # Many metrics: Adjust
//
// A hypothesis judges several metrics at once, and the chance that one of
// them raises a false alarm grows with their number. Adjust corrects the
// p-values as R's p.adjust does: Holm (the default, DefaultCorrection)
// keeps the chance of any false alarm at alpha; BenjaminiHochberg keeps
// the expected share of false alarms among the flagged metrics at alpha.
// Result.ControlLevel, the control's level on the scale of the shift,
// turns a shift into a relative change for tolerances such as "at most 5%
// fewer downloads".
//
// CUPED reduces the noise before any of these tests: it adjusts each
// group's values by a covariate measured before the experiment, such as the
// same minutes last week, with θ = cov(Y, X)/var(X) pooled over both groups
// (Deng, Xu, Kohavi & Walker, WSDM 2013). The difference in means is
// unchanged in expectation and its variance shrinks by 1 − ρ²; run the test
// on the adjusted values.
//
// # Before the experiment: is the split valid?
//
// A split that is fair over a day can be noisy over 30 minutes (weighted
// DNS is), and then every 30-minute comparison finds a difference that the
// fault did not cause. AA replays an A/A test on data from before the
// experiment: for each candidate window length (DefaultAAWindows) it runs
// the experiment's comparison in every clock-aligned window, counts the
// false positives, and calls the length Valid, Invalid (more than alpha
// allows, by an exact binomial test) or TooFewWindows (fewer than
// MinAAWindows, the windows needed to catch a split that makes 4·alpha of
// them false alarms). The recommended window is the shortest valid one;
// each length reports the dispersion of its per-window split and the
// smallest drop the comparison detects in 80% of the windows (AAWindow.MDE,
// by injecting the drop into the A/A data; MinDetectableEffect gives the
// normal-approximation bound for window totals). For counts, CheckSRM
// tests the sample ratio against the plan (SampleRatioTest, alpha
// DefaultSRMAlpha = 0.001), and ExperimentHealth applies the same check to
// the experiment period, so a run whose traffic stopped reaching a group is
// flagged rather than judged.
package compare
