package apdex

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
	"github.com/chaosstat/chaosstat/series"
)

var inf = math.Inf(1)

// histogramOf builds the cumulative histogram of durations with the given
// finite bounds (and +Inf), as a Prometheus client library would observe
// them: a value v goes into every bucket with le >= v.
func histogramOf(ds []float64, bounds []float64) Histogram {
	bs := make([]Bucket, 0, len(bounds)+1)
	for _, le := range bounds {
		n := 0
		for _, d := range ds {
			if d <= le {
				n++
			}
		}
		bs = append(bs, Bucket{Le: le, Count: float64(n)})
	}
	bs = append(bs, Bucket{Le: inf, Count: float64(len(ds))})
	return Histogram{Buckets: bs}
}

// TestHistogramAgreesWithRaw is the property the issue asks for: on random
// data, a histogram with buckets at T and 4T gives exactly the counts, and
// so the score, of the raw samples, whatever the other buckets are. The
// durations are drawn to land on T and 4T exactly now and then, where an
// off-by-one in the inclusive bounds would show.
func TestHistogramAgreesWithRaw(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 500 {
		T := []float64{0.1, 0.25, 0.3, 0.5, 1, 1.2, 2.5}[rng.IntN(7)]
		th := Thresholds{T: T}
		if rng.IntN(4) == 0 {
			th.F = T * (1.5 + 4*rng.Float64()) // a custom F now and then
		}
		F := th.Frustration()
		n := 1 + rng.IntN(300)
		ds := make([]float64, n)
		errs := rng.IntN(5)
		for i := range ds {
			switch rng.IntN(10) {
			case 0:
				ds[i] = T
			case 1:
				ds[i] = F
			default:
				ds[i] = rng.ExpFloat64() * T * 1.5
			}
		}
		bounds := []float64{T, F}
		for range rng.IntN(8) {
			bounds = append(bounds, rng.Float64()*6*T)
		}
		slices.Sort(bounds)
		bounds = slices.Compact(bounds)
		h := histogramOf(ds, bounds)
		h.Errors = float64(errs)
		rng.Shuffle(len(h.Buckets), func(i, j int) { h.Buckets[i], h.Buckets[j] = h.Buckets[j], h.Buckets[i] })

		samples := make([]Sample, 0, n+errs)
		for _, d := range ds {
			samples = append(samples, Sample{Duration: d})
		}
		for range errs {
			samples = append(samples, Sample{Duration: rng.Float64() * T, Error: true})
		}
		raw, err := FromSamples(samples, th)
		if err != nil {
			t.Fatal(err)
		}
		hs, err := FromHistogram(h, th, HistogramOptions{})
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if hs.Satisfied != raw.Satisfied || hs.Tolerating != raw.Tolerating || hs.Frustrated != raw.Frustrated ||
			hs.Total != raw.Total || hs.Errors != raw.Errors || hs.Value != raw.Value || hs.Estimated {
			t.Fatalf("trial %d (T=%v, n=%d, bounds %v): histogram %v, raw %v", trial, T, n, bounds, hs, raw)
		}
		if hs.Notation() != raw.Notation() || hs.Rating() != raw.Rating() {
			t.Fatalf("trial %d: notation %q / %q", trial, hs.Notation(), raw.Notation())
		}
	}
}

// TestHistogramInterpolated checks the estimate when T or F is not a bucket
// bound, against counts interpolated by hand.
func TestHistogramInterpolated(t *testing.T) {
	// Buckets: 10 at <= 0.25, 60 at <= 1, 90 at <= 4, 100 in all.
	h := Histogram{Buckets: []Bucket{{0.25, 10}, {1, 60}, {4, 90}, {inf, 100}}}
	th := Thresholds{T: 0.5} // F = 2: neither is a bound

	_, err := FromHistogram(h, th, HistogramOptions{})
	if !errors.Is(err, ErrNoBucket) {
		t.Fatalf("no bound at T: err = %v, want ErrNoBucket", err)
	}
	want := "apdex: histogram: threshold T = 0.5 s: no bucket bound at the threshold: the bounds are 0.25, 1, 4; add a bucket at the threshold, or ask for an interpolated estimate"
	if err.Error() != want {
		t.Errorf("error\n got %q\nwant %q", err, want)
	}

	s, err := FromHistogram(h, th, HistogramOptions{Interpolate: true})
	if err != nil {
		t.Fatal(err)
	}
	// At T = 0.5, in (0.25, 1]: 10 + (0.5-0.25)/(1-0.25) * (60-10) = 26.666...
	// At F = 2, in (1, 4]:      60 + (2-1)/(4-1) * (90-60)         = 70.
	atT, atF := 10+50.0/3, 70.0
	approx.Close(t, "Satisfied", s.Satisfied, atT, 1e-14, 0)
	approx.Close(t, "Tolerating", s.Tolerating, atF-atT, 1e-14, 0)
	approx.Close(t, "Frustrated", s.Frustrated, 30, 1e-14, 0)
	approx.Close(t, "Value", s.Value, (atT+(atF-atT)/2)/100, 1e-14, 0) // 0.48333...
	if !s.Estimated {
		t.Error("Estimated = false for an interpolated score")
	}
	if !strings.Contains(s.String(), "(estimated)") {
		t.Errorf("String() = %q does not say it is an estimate", s.String())
	}

	// T below the first bound interpolates from 0, as histogram_quantile
	// does: 0.1 in (0, 0.25]: 10 * 0.1/0.25 = 4; F = 0.4 in (0.25, 1]:
	// 10 + 0.15/0.75*50 = 20.
	s, err = FromHistogram(h, Thresholds{T: 0.1}, HistogramOptions{Interpolate: true})
	if err != nil {
		t.Fatal(err)
	}
	approx.Close(t, "Satisfied below the first bound", s.Satisfied, 4, 1e-14, 0)
	approx.Close(t, "Tolerating", s.Tolerating, 16, 1e-14, 0)

	// One threshold on a bound, the other not: still an estimate.
	s, err = FromHistogram(h, Thresholds{T: 1}, HistogramOptions{Interpolate: true}) // F = 4 is a bound too
	if err != nil || s.Estimated {
		t.Errorf("both on bounds with Interpolate: %v, %v; want exact", s, err)
	}
	s, err = FromHistogram(h, Thresholds{T: 0.25}, HistogramOptions{Interpolate: true}) // F = 1: bound
	if err != nil || s.Estimated {
		t.Errorf("T 0.25, F 1: %v, %v; want exact", s, err)
	}
	s, err = FromHistogram(h, Thresholds{T: 0.25, F: 2}, HistogramOptions{Interpolate: true})
	if err != nil || !s.Estimated {
		t.Errorf("T on a bound, F not: %v, %v; want estimated", s, err)
	}

	// F above the highest finite bound: nothing to interpolate in +Inf.
	_, err = FromHistogram(h, Thresholds{T: 2}, HistogramOptions{Interpolate: true}) // F = 8 > 4
	if !errors.Is(err, ErrNoBucket) || !strings.Contains(err.Error(), "above the highest finite bound 4") {
		t.Errorf("F in the +Inf bucket: err = %v", err)
	}
}

// TestHistogramErrors checks the bad histograms each give a clear error.
func TestHistogramErrors(t *testing.T) {
	th := Thresholds{T: 0.5}
	for _, tc := range []struct {
		name string
		h    Histogram
		want string
	}{
		{"no_buckets", Histogram{}, `no le="+Inf" bucket`},
		{"no_inf", Histogram{Buckets: []Bucket{{0.5, 1}, {2, 2}}}, `no le="+Inf" bucket`},
		{"decreasing", Histogram{Buckets: []Bucket{{0.5, 5}, {2, 4}, {inf, 6}}}, "bucket le=2 has count 4, less than 5 at le=0.5; buckets are cumulative"},
		{"negative", Histogram{Buckets: []Bucket{{0.5, -1}, {2, 4}, {inf, 6}}}, "bucket le=0.5 has count -1"},
		{"nan_count", Histogram{Buckets: []Bucket{{0.5, math.NaN()}, {2, 4}, {inf, 6}}}, "bucket le=0.5 has count NaN"},
		{"inf_count", Histogram{Buckets: []Bucket{{0.5, 1}, {2, 4}, {inf, inf}}}, "bucket le=+Inf has count +Inf"},
		{"twice", Histogram{Buckets: []Bucket{{0.5, 1}, {0.5, 1}, {2, 4}, {inf, 6}}}, "le=0.5 appears twice"},
		{"nan_le", Histogram{Buckets: []Bucket{{math.NaN(), 1}, {0.5, 1}, {2, 4}, {inf, 6}}}, "le = NaN"},
		{"negative_errors", Histogram{Buckets: []Bucket{{0.5, 1}, {2, 4}, {inf, 6}}, Errors: -1}, "Errors = -1"},
		{"no_F", Histogram{Buckets: []Bucket{{0.5, 1}, {1, 4}, {inf, 6}}}, "frustration threshold F = 2.0 s: no bucket bound at the threshold: the bounds are 0.5, 1"},
		{"only_inf", Histogram{Buckets: []Bucket{{inf, 6}}}, "the bounds are only +Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromHistogram(tc.h, th, HistogramOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestHistogramErrorsCount checks that Errors are added as frustrated:
// 60 at <= 0.5, 90 at <= 2, 100 in all, plus 20 failures:
// (60 + 30/2) / 120 = 0.625.
func TestHistogramErrorsCount(t *testing.T) {
	h := Histogram{Buckets: []Bucket{{0.5, 60}, {2, 90}, {inf, 100}}, Errors: 20}
	s, err := FromHistogram(h, Thresholds{T: 0.5}, HistogramOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Satisfied != 60 || s.Tolerating != 30 || s.Frustrated != 30 || s.Total != 120 || s.Errors != 20 {
		t.Errorf("counts %v", s)
	}
	approx.Close(t, "Value", s.Value, 0.625, 1e-15, 0)
	// Only failures, an empty histogram: 0, not NS.
	s, err = FromHistogram(Histogram{Buckets: []Bucket{{0.5, 0}, {2, 0}, {inf, 0}}, Errors: 3}, Thresholds{T: 0.5}, HistogramOptions{})
	if err != nil || s.Value != 0 || s.Total != 3 {
		t.Errorf("only failures: %v, %v; want 0 of 3", s, err)
	}
	// Rates rather than counts: 1.5/s within T, 2/s within F, 2.5/s in
	// all: (1.5 + 0.5/2)/2.5 = 0.7.
	s, err = FromHistogram(Histogram{Buckets: []Bucket{{0.5, 1.5}, {2, 2}, {inf, 2.5}}}, Thresholds{T: 0.5}, HistogramOptions{})
	if err != nil {
		t.Fatal(err)
	}
	approx.Close(t, "Value from rates", s.Value, 0.7, 1e-15, 0)
}

// TestHistogramSeries checks scores over time from bucket series as a
// Prometheus range query returns them.
func TestHistogramSeries(t *testing.T) {
	th := Thresholds{T: 0.5}
	t0 := int64(1_700_000_040_000)
	ts := []int64{t0, t0 + minute, t0 + 2*minute, t0 + 3*minute}
	nan := math.NaN()
	bucket := func(le string, v ...float64) series.Series {
		return series.Series{Name: "x_bucket", Labels: map[string]string{"le": le}, T: ts, V: v}
	}
	buckets := []series.Series{
		bucket("+Inf", 100, 40, 0, 50),
		bucket("2.0", 90, nan, 0, 50), // Prometheus 3 spelling; missing at t0+1m
		bucket("0.5", 60, 10, 0, 50),
	}
	errs := series.Series{Name: "x_failures", T: ts, V: []float64{20, 0, 0, 1}}
	ws, err := HistogramSeries(buckets, errs, th, HistogramOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 4 {
		t.Fatalf("%d windows, want 4", len(ws))
	}
	// t0: 60 satisfied, 30 tolerating, 10 + 20 frustrated of 120:
	// (60 + 15)/120 = 0.625, as in TestHistogramErrorsCount.
	if w := ws[0]; w.Start != t0 || w.Satisfied != 60 || w.Tolerating != 30 || w.Frustrated != 30 || w.Total != 120 || w.Value != 0.625 {
		t.Errorf("t0: %+v", w)
	}
	// t0+1m: the le=2 bucket is missing: NS, not a score.
	// t0+2m: no requests: NS.
	for _, k := range []int{1, 2} {
		if w := ws[k]; w.Start != ts[k] || !w.NoSamples() || !math.IsNaN(w.Value) {
			t.Errorf("window %d: %+v, want NS", k, w)
		}
	}
	// t0+3m: 50 satisfied and 1 failure: 50/51, a small group.
	if w := ws[3]; w.Total != 51 || w.Notation() != "0.98* [0.5]" {
		t.Errorf("t0+3m: %+v %s", w, w.Notation())
	}
	// Without errors.
	ws, err = HistogramSeries(buckets, series.Series{}, th, HistogramOptions{})
	if err != nil || ws[0].Total != 100 || ws[0].Value != 0.75 { // (60 + 15)/100
		t.Errorf("no errors: %+v, %v", ws[0], err)
	}
	// A missing error point makes the window NS too.
	short := series.Series{T: ts[:1], V: []float64{0}}
	ws, err = HistogramSeries(buckets, short, th, HistogramOptions{})
	if err != nil || ws[0].NoSamples() || !ws[3].NoSamples() {
		t.Errorf("errors only at t0: %v, %v", ws, err)
	}

	for _, tc := range []struct {
		name    string
		buckets []series.Series
		want    string
	}{
		{"no_le", []series.Series{{Name: "x_bucket", T: ts, V: []float64{1, 1, 1, 1}}}, `has no "le" label`},
		{"bad_le", []series.Series{bucket("fast", 1, 1, 1, 1)}, `le="fast", not a number`},
		{"same_bound", []series.Series{bucket("2", 1, 1, 1, 1), bucket("2.0", 1, 1, 1, 1)}, `le="2" and le="2.0" are the same bound`},
		{"no_T", []series.Series{bucket("+Inf", 5, 5, 5, 5), bucket("2", 4, 4, 4, 4)}, "threshold T = 0.5 s: no bucket bound at the threshold"},
		{"decreasing", []series.Series{bucket("+Inf", 5, 5, 5, 5), bucket("2", 4, 4, 4, 4), bucket("0.5", 1, 1, 6, 1)},
			"bucket le=2 has count 4, less than 6 at le=0.5; buckets are cumulative, so counts never decrease as le grows (at 2023-11-14T22:16:00Z)"},
		{"no_points", []series.Series{{Labels: map[string]string{"le": "+Inf"}}}, "no samples (NS)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := HistogramSeries(tc.buckets, series.Series{}, th, HistogramOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
