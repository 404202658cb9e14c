package baseline

import (
	"testing"
)

// The baseline benchmarks use the synthetic per-minute stream starts of
// testdata/baseline: four weeks of history (40,380 points, the DST repeated
// hour included) and one day to check (1,440 points), in New York time.
// Results and the command are in BENCHMARKS.md.

// BenchmarkNewBaseline builds a four-week per-minute baseline.
func BenchmarkNewBaseline(b *testing.B) {
	ny := loadLocation(b, "America/New_York")
	h := readBaselineCSV(b, "history.csv")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(h, Options{Location: ny}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckDay checks one day of per-minute points against it.
func BenchmarkCheckDay(b *testing.B) {
	ny := loadLocation(b, "America/New_York")
	bl, err := New(readBaselineCSV(b, "history.csv"), Options{Location: ny})
	if err != nil {
		b.Fatal(err)
	}
	day := readBaselineCSV(b, "drop_day.csv")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bl.Check(day, DeviationRule{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCalibrate measures the leave-one-week-out false-alarm rate:
// four three-week baselines and four weeks checked.
func BenchmarkCalibrate(b *testing.B) {
	ny := loadLocation(b, "America/New_York")
	bl, err := New(readBaselineCSV(b, "history.csv"), Options{Location: ny})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bl.Calibrate(DeviationRule{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateBaseline is the whole check the CLI runs: build,
// check a day, calibrate.
func BenchmarkEvaluateBaseline(b *testing.B) {
	ny := loadLocation(b, "America/New_York")
	h := readBaselineCSV(b, "history.csv")
	day := readBaselineCSV(b, "drop_day.csv")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Evaluate(h, day, Options{Location: ny}, DeviationRule{}); err != nil {
			b.Fatal(err)
		}
	}
}
