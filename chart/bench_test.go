package chart

import (
	"path/filepath"
	"testing"

	"github.com/chaosstat/chaosstat/steadystate/baseline"
)

// BenchmarkBaselineDay draws a day of per-minute data (1440 points,
// steadystate/baseline/testdata drop_day.csv against four weeks of
// history) as SVG and as PNG: the largest figure the demo draws.
func BenchmarkBaselineDay(b *testing.B) {
	h := readSeries(b, "../steadystate/baseline/testdata/history.csv")
	cur := readSeries(b, "../steadystate/baseline/testdata/drop_day.csv")
	h = h.Window(-1<<62, cur.T[0])
	bl, err := baseline.New(h, baseline.Options{})
	if err != nil {
		b.Fatal(err)
	}
	rep, err := bl.Check(cur, baseline.DeviationRule{})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for _, ext := range []string{"svg", "png"} {
		b.Run(ext, func(b *testing.B) {
			file := filepath.Join(dir, "day."+ext)
			for b.Loop() {
				if err := Baseline(file, bl, cur, rep, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
