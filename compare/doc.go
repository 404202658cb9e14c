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
//     a change of spread or shape at an unchanged median).
//  2. Call the test with the two samples (NaN values are missing and left
//     out, with a warning).
//  3. Read Result.P against Result.Alpha() for significance and Result.Shift
//     for size. Statistically significant is not the same as large.
//
// The numbers match scipy 1.10 (mannwhitneyu, ttest_ind with
// equal_var=False, ks_2samp) and R 4.2.2 (wilcox.test with conf.int=TRUE for
// the Hodges-Lehmann interval); the reference vectors and the scripts that
// produced them are in testdata/reference.
//
// These tests assume independent observations. Per-minute samples of a
// service metric are autocorrelated, and then a nominal 5% test rejects far
// more often; aggregate to windows first or use the autocorrelation-aware
// comparisons.
package compare
