package apdex

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
	"github.com/chaosstat/chaosstat/series"
)

// durations returns n copies of d.
func durations(n int, d float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = d
	}
	return out
}

// mix returns s satisfied (0.1 s), t tolerating (1 s) and f frustrated
// (5 s) requests for T = 0.5, F = 2, and e failed ones (0.1 s: fast, but
// failed).
func mix(s, t, f, e int) []Sample {
	var out []Sample
	for _, d := range durations(s, 0.1) {
		out = append(out, Sample{Duration: d})
	}
	for _, d := range durations(t, 1) {
		out = append(out, Sample{Duration: d})
	}
	for _, d := range durations(f, 5) {
		out = append(out, Sample{Duration: d})
	}
	for range e {
		out = append(out, Sample{Duration: 0.1, Error: true})
	}
	return out
}

// TestDefinitions checks scores computed by hand from the specification's
// formula [1, §4], Apdex_T = (satisfied + tolerating/2) / total, on counts
// chosen to exercise each part of it.
func TestDefinitions(t *testing.T) {
	half := Thresholds{T: 0.5}
	tests := []struct {
		name, reason     string
		samples          []Sample
		s, tol, fr, errs float64
		value            float64 // by hand, in the comment
		rounded          float64
		rating           Rating
		notation         string
	}{
		{
			name: "all_satisfied", reason: "every request within T scores 1.00",
			samples: mix(100, 0, 0, 0), s: 100,
			value: 1, rounded: 1, rating: Excellent, notation: "1.00 [0.5]", // 100/100
		},
		{
			name: "all_tolerating", reason: "tolerating requests count half",
			samples: mix(0, 100, 0, 0), tol: 100,
			value: 0.5, rounded: 0.5, rating: Poor, notation: "0.50 [0.5]", // (0 + 100/2)/100
		},
		{
			name: "all_frustrated", reason: "frustrated requests count nothing",
			samples: mix(0, 0, 100, 0), fr: 100,
			value: 0, rounded: 0, rating: Unacceptable, notation: "0.00 [0.5]", // 0/100
		},
		{
			name: "60_30_10", reason: "the textbook mix: (60 + 30/2)/100",
			samples: mix(60, 30, 10, 0), s: 60, tol: 30, fr: 10,
			value: 0.75, rounded: 0.75, rating: Fair, notation: "0.75 [0.5]", // (60 + 15)/100 = 0.75
		},
		{
			name: "errors_frustrate", reason: "failed requests are frustrated however fast they were [1, §4]",
			samples: mix(80, 10, 0, 10), s: 80, tol: 10, fr: 10, errs: 10,
			value: 0.85, rounded: 0.85, rating: Good, notation: "0.85 [0.5]", // (80 + 5)/100
		},
		{
			name: "all_errors", reason: "all requests failed: 0, not NS and not 1",
			samples: mix(0, 0, 0, 150), fr: 150, errs: 150,
			value: 0, rounded: 0, rating: Unacceptable, notation: "0.00 [0.5]", // 0/150
		},
		{
			name: "170_20_10", reason: "a score that needs rounding: (170 + 10)/200 = 0.9",
			samples: mix(170, 20, 10, 0), s: 170, tol: 20, fr: 10,
			value: 0.9, rounded: 0.9, rating: Good, notation: "0.90 [0.5]",
		},
		{
			name: "third", reason: "a repeating decimal: (1 + 0)/3 = 0.333..., a small group",
			samples: mix(1, 0, 2, 0), s: 1, fr: 2,
			value: 1.0 / 3, rounded: 0.33, rating: Unacceptable, notation: "0.33* [0.5]",
		},
		{
			name: "site24x7", reason: "Site24x7's worked example, 40 satisfied, 200 tolerating, 48 frustrated of 288: (40 + 100)/288 = 0.48611 (their page prints 0.47, a slip)",
			samples: mix(40, 200, 48, 0), s: 40, tol: 200, fr: 48,
			value: 140.0 / 288, rounded: 0.49, rating: Unacceptable, notation: "0.49 [0.5]",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromSamples(tc.samples, half)
			if err != nil {
				t.Fatalf("%s: %v", tc.reason, err)
			}
			if got.Satisfied != tc.s || got.Tolerating != tc.tol || got.Frustrated != tc.fr || got.Errors != tc.errs {
				t.Errorf("%s: counts %v/%v/%v errors %v, want %v/%v/%v errors %v", tc.reason,
					got.Satisfied, got.Tolerating, got.Frustrated, got.Errors, tc.s, tc.tol, tc.fr, tc.errs)
			}
			if got.Total != float64(len(tc.samples)) {
				t.Errorf("Total = %v, want %d", got.Total, len(tc.samples))
			}
			approx.Close(t, "Value", got.Value, tc.value, 1e-15, 0)
			if r := got.Rounded(); r != tc.rounded {
				t.Errorf("%s: Rounded = %v, want %v", tc.reason, r, tc.rounded)
			}
			if got.Rating() != tc.rating {
				t.Errorf("%s: Rating = %v, want %v", tc.reason, got.Rating(), tc.rating)
			}
			if got.Notation() != tc.notation {
				t.Errorf("%s: Notation = %q, want %q", tc.reason, got.Notation(), tc.notation)
			}
		})
	}
}

// TestZoneBoundaries checks that the thresholds are inclusive, as the
// specification defines them [1, §3]: exactly T is satisfied, exactly F
// tolerating, and the next float64 above each is in the next zone.
func TestZoneBoundaries(t *testing.T) {
	tests := []struct {
		name string
		th   Thresholds
		d    float64
		want Zone
	}{
		{"zero", Thresholds{T: 0.5}, 0, Satisfied},
		{"exactly_T", Thresholds{T: 0.5}, 0.5, Satisfied},
		{"just_above_T", Thresholds{T: 0.5}, math.Nextafter(0.5, 1), Tolerating},
		{"exactly_4T", Thresholds{T: 0.5}, 2, Tolerating},
		{"just_above_4T", Thresholds{T: 0.5}, math.Nextafter(2, 3), Frustrated},
		{"T_0.3_exactly_4T", Thresholds{T: 0.3}, 4 * 0.3, Tolerating}, // F is computed as 4*T, so 4*0.3 is F itself
		{"custom_F_exactly", Thresholds{T: 0.5, F: 3}, 3, Tolerating},
		{"custom_F_above", Thresholds{T: 0.5, F: 3}, math.Nextafter(3, 4), Frustrated},
		{"custom_F_4T_is_tolerating", Thresholds{T: 0.5, F: 3}, 2.5, Tolerating},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.th.Classify(tc.d, false); got != tc.want {
				t.Errorf("Classify(%v) with %+v = %v, want %v", tc.d, tc.th, got, tc.want)
			}
			if got := tc.th.Classify(tc.d, true); got != Frustrated {
				t.Errorf("Classify(%v, failed) = %v, want frustrated", tc.d, got)
			}
			// The same through the scoring path.
			s, err := FromSamples([]Sample{{Duration: tc.d}}, tc.th)
			if err != nil {
				t.Fatal(err)
			}
			got := [3]float64{s.Satisfied, s.Tolerating, s.Frustrated}
			want := [3]float64{}
			want[tc.want] = 1
			if got != want {
				t.Errorf("FromSamples counts %v, want %v", got, want)
			}
		})
	}
}

// TestNoSamples checks that no samples is never a score.
func TestNoSamples(t *testing.T) {
	th := Thresholds{T: 0.5}
	for _, tc := range []struct {
		name string
		run  func() (Score, error)
	}{
		{"FromSamples_nil", func() (Score, error) { return FromSamples(nil, th) }},
		{"FromSamples_empty", func() (Score, error) { return FromSamples([]Sample{}, th) }},
		{"FromDurations_empty", func() (Score, error) { return FromDurations(nil, th) }},
		{"FromHistogram_zero_total", func() (Score, error) {
			return FromHistogram(Histogram{Buckets: []Bucket{{0.5, 0}, {2, 0}, {math.Inf(1), 0}}}, th, HistogramOptions{})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := tc.run()
			if !errors.Is(err, ErrNoSamples) {
				t.Fatalf("err = %v, want ErrNoSamples", err)
			}
			if !math.IsNaN(s.Value) || !math.IsNaN(s.Rounded()) {
				t.Errorf("Value %v, Rounded %v; want NaN, never a score", s.Value, s.Rounded())
			}
			if !s.NoSamples() || s.Rating() != NoRating || s.SmallGroup() {
				t.Errorf("NoSamples %v Rating %v SmallGroup %v; want true, NS, false", s.NoSamples(), s.Rating(), s.SmallGroup())
			}
			if got := s.Notation(); got != "NS [0.5]" {
				t.Errorf("Notation = %q, want %q", got, "NS [0.5]")
			}
		})
	}
	// A Counter that saw nothing reports NS too.
	c, _ := NewCounter(th)
	if s := c.Score(); !s.NoSamples() || !math.IsNaN(s.Value) {
		t.Errorf("empty Counter: %v", s)
	}
}

// TestSmallGroup checks the small-group mark at the specification's
// boundary: fewer than 100 samples [1, §3.2].
func TestSmallGroup(t *testing.T) {
	th := Thresholds{T: 0.5}
	s99, _ := FromSamples(mix(99, 0, 0, 0), th)
	s100, _ := FromSamples(mix(100, 0, 0, 0), th)
	if !s99.SmallGroup() || s99.Notation() != "1.00* [0.5]" {
		t.Errorf("99 samples: SmallGroup %v, Notation %q; want true, %q", s99.SmallGroup(), s99.Notation(), "1.00* [0.5]")
	}
	if s100.SmallGroup() || s100.Notation() != "1.00 [0.5]" {
		t.Errorf("100 samples: SmallGroup %v, Notation %q; want false, %q", s100.SmallGroup(), s100.Notation(), "1.00 [0.5]")
	}
	s1, _ := FromSamples(mix(0, 1, 0, 0), th)
	if got := s1.Notation(); got != "0.50* [0.5]" {
		t.Errorf("1 sample: Notation %q", got)
	}
}

// TestRounding checks half-up rounding to two decimals on the exact ratio,
// and that ratings are judged on the rounded score.
func TestRounding(t *testing.T) {
	th := Thresholds{T: 0.5}
	tests := []struct {
		name       string
		s, tol, fr int
		rounded    float64
		rating     Rating
		reason     string
	}{
		// 169/200 = 0.845 exactly -> 0.85, into Good.
		{"0.845_up", 169, 0, 31, 0.85, Good, "a half rounds up"},
		// 115/200 = 0.575 exactly -> 0.58. Its float64 is
		// 0.57499999999999995559 and 100 times it 57.49999999999999:
		// math.Round(v*100)/100 gives 0.57. The exact rounding on the
		// counts does not (160 such halves for totals up to 2000 go
		// wrong in float arithmetic; 0.145 and 0.285 of 100 are two).
		{"0.575_exact", 115, 0, 85, 0.58, Poor, "a half rounds up, on the exact ratio, not its nearest float64"},
		// 29/200 = 0.145 exactly -> 0.15 (float: 0.14).
		{"0.145_exact", 29, 0, 171, 0.15, Unacceptable, "another half that float arithmetic rounds down"},
		// (168 + 1/2)/200 = 0.8425 -> 0.84.
		{"0.8425_down", 168, 1, 31, 0.84, Fair, "below the half rounds down"},
		// 187/200 = 0.935 -> 0.94: Excellent, although 0.935 < 0.94.
		{"0.935_excellent", 187, 0, 13, 0.94, Excellent, "the band is judged on the rounded score"},
		// (186 + 1/2)/200 = 0.9325 -> 0.93: Good.
		{"0.9325_good", 186, 1, 13, 0.93, Good, "just below the Excellent band after rounding"},
		// 139/200 = 0.695 -> 0.70: Fair.
		{"0.695_fair", 139, 0, 61, 0.70, Fair, "0.695 rounds into Fair"},
		// 99/200 = 0.495 -> 0.50: Poor.
		{"0.495_poor", 99, 0, 101, 0.50, Poor, "0.495 rounds into Poor"},
		// 1/200 = 0.005 -> 0.01.
		{"0.005_up", 1, 0, 199, 0.01, Unacceptable, "the smallest half"},
		// (0 + 1/2)/200 = 0.0025 -> 0.00.
		{"0.0025_down", 0, 1, 199, 0, Unacceptable, "rounds to zero"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := FromSamples(mix(tc.s, tc.tol, tc.fr, 0), th)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Rounded(); got != tc.rounded {
				t.Errorf("%s: Rounded(%v) = %v, want %v", tc.reason, s.Value, got, tc.rounded)
			}
			if got := s.Rating(); got != tc.rating {
				t.Errorf("%s: Rating = %v, want %v", tc.reason, got, tc.rating)
			}
		})
	}
	// Non-integer counts (rates from a histogram) round on the float:
	// (1.5 + 0.5/2)/2.5 = 0.7.
	s := newScore(th, 1.5, 0.5, 0.5, 0)
	if got := s.Rounded(); got != 0.7 {
		t.Errorf("float counts: Rounded = %v, want 0.7", got)
	}
}

// TestRatingOf checks every band edge of the specification's table
// [1, §5]: Excellent 0.94-1.00, Good 0.85-0.93, Fair 0.70-0.84, Poor
// 0.50-0.69, Unacceptable 0.00-0.49.
func TestRatingOf(t *testing.T) {
	for _, tc := range []struct {
		r    float64
		want Rating
	}{
		{1, Excellent}, {0.94, Excellent}, {0.93, Good}, {0.85, Good}, {0.84, Fair},
		{0.70, Fair}, {0.69, Poor}, {0.50, Poor}, {0.49, Unacceptable}, {0, Unacceptable},
		{0.9400000000000001, Excellent}, {0.9399999999999999, Excellent}, // float noise in a rounded value
		{math.NaN(), NoRating},
	} {
		if got := RatingOf(tc.r); got != tc.want {
			t.Errorf("RatingOf(%v) = %v, want %v", tc.r, got, tc.want)
		}
	}
}

// TestThresholds checks validation and the notation of T and F.
func TestThresholds(t *testing.T) {
	for _, tc := range []struct {
		th     Thresholds
		option string // the OptionError's key, "" for valid
		err    string
	}{
		{Thresholds{T: 0.5}, "", ""},
		{Thresholds{T: 0.5, F: 2}, "", ""},
		{Thresholds{T: 0.5, F: 0.6}, "", ""},
		{Thresholds{T: 0}, OptionThreshold, "apdex: threshold 0: want a positive number of seconds, such as 0.5"},
		{Thresholds{T: -1}, OptionThreshold, "threshold -1: want"},
		{Thresholds{T: math.NaN()}, OptionThreshold, "threshold NaN: want"},
		{Thresholds{T: math.Inf(1)}, OptionThreshold, "threshold +Inf: want"},
		{Thresholds{T: 0.5, F: 0.5}, OptionFrustrated, "apdex: frustrated 0.5: want a number of seconds above threshold 0.5 (or leave it out for 4T = 2)"},
		{Thresholds{T: 0.5, F: 0.4}, OptionFrustrated, "frustrated 0.4: want"},
		{Thresholds{T: 0.5, F: -1}, OptionFrustrated, "frustrated -1: want"},
		{Thresholds{T: 0.5, F: math.Inf(1)}, OptionFrustrated, "frustrated +Inf: want"},
	} {
		err := tc.th.Validate()
		var oe *series.OptionError
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%+v: %v", tc.th, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%+v: err = %v, want it to mention %q", tc.th, err, tc.err)
		case tc.err != "" && (!errors.As(err, &oe) || oe.Option != tc.option):
			t.Errorf("%+v: err = %v, want a *series.OptionError naming %s, for the command's and the server's messages", tc.th, err, tc.option)
		}
		if tc.err != "" {
			if _, err := FromSamples(mix(1, 0, 0, 0), tc.th); err == nil {
				t.Errorf("FromSamples with %+v: no error", tc.th)
			}
		}
	}
	for _, tc := range []struct {
		t    float64
		want string
	}{{0.5, "0.5"}, {4, "4.0"}, {0.25, "0.25"}, {12, "12.0"}, {0.1, "0.1"}, {1.5, "1.5"}} {
		if got := FormatSeconds(tc.t); got != tc.want {
			t.Errorf("FormatSeconds(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
	s, _ := FromSamples(mix(100, 0, 0, 0), Thresholds{T: 0.5, F: 3})
	if got := s.Notation(); got != "1.00 [0.5/3.0]" {
		t.Errorf("custom F notation = %q", got)
	}
	s, _ = FromSamples(mix(100, 0, 0, 0), Thresholds{T: 0.5, F: 2})
	if got := s.Notation(); got != "1.00 [0.5]" {
		t.Errorf("F = 4T given explicitly: notation = %q, want the standard one", got)
	}
}

// TestBadDurations checks that a bad duration on a successful request is an
// error naming the sample, and is fine on a failed one.
func TestBadDurations(t *testing.T) {
	th := Thresholds{T: 0.5}
	for _, d := range []float64{-0.1, math.NaN()} {
		_, err := FromSamples([]Sample{{Duration: 0.1}, {Duration: d}}, th)
		if err == nil || !strings.Contains(err.Error(), "sample 1") {
			t.Errorf("duration %v: err = %v, want one naming sample 1", d, err)
		}
		_, err = FromDurations([]float64{0.1, d}, th)
		if err == nil || !strings.Contains(err.Error(), "durations[1]") {
			t.Errorf("FromDurations %v: err = %v", d, err)
		}
		s, err := FromSamples([]Sample{{Duration: d, Error: true}}, th)
		if err != nil || s.Frustrated != 1 {
			t.Errorf("failed request with duration %v: %v, %v; want frustrated", d, s, err)
		}
	}
}

func TestString(t *testing.T) {
	s, _ := FromSamples(mix(850, 125, 22, 3), Thresholds{T: 0.5})
	// (850 + 62.5)/1000 = 0.9125 -> 0.91, Good.
	want := "0.91 [0.5] Good: 850 satisfied, 125 tolerating, 25 frustrated (3 errors) of 1000"
	if got := s.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	ns := newScore(Thresholds{T: 0.5}, 0, 0, 0, 0)
	if got := ns.String(); got != "NS [0.5]: 0 satisfied, 0 tolerating, 0 frustrated of 0" {
		t.Errorf("NS String() = %q", got)
	}
}
