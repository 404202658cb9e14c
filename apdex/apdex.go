package apdex

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/chaosstat/chaosstat/series"
)

// DefaultFrustrationFactor is F/T when Thresholds.F is zero: the
// specification fixes the frustration threshold at four times the target
// threshold, F = 4T [1, §3].
const DefaultFrustrationFactor = 4

// DefaultSmallGroup is the sample count below which a score is marked as
// coming from a small group: the specification asks for a mark when a
// report group holds fewer than 100 samples [1, §3.2, §5].
const DefaultSmallGroup = 100

// ErrNoSamples is returned (wrapped) when there is nothing to score: no
// samples, or a histogram whose total count is zero. The specification
// reports such a group as "NS", never as a number [1, §5]; callers that
// treat "no data" as inconclusive branch on it with errors.Is. It wraps
// series.ErrTooLittleData.
var ErrNoSamples = series.TooLittleData("no samples (NS)")

// Thresholds are the two times, in seconds, that split response times into
// the three zones of the specification [1, §3]:
//
//	satisfied    t <= T
//	tolerating   T < t <= F
//	frustrated   t > F, and every failed request whatever its time
type Thresholds struct {
	// T is the target threshold in seconds; it must be positive and
	// finite.
	T float64

	// F is the frustration threshold in seconds. Zero means
	// DefaultFrustrationFactor * T, as the specification fixes it; a
	// different F (which later Apdex practice allows) must be greater
	// than T. A score computed with a non-default F is not an Apdex
	// score in the 1.1 sense: its String says so by showing F too.
	F float64
}

// Frustration returns F, with the default applied.
func (th Thresholds) Frustration() float64 {
	if th.F == 0 {
		return DefaultFrustrationFactor * th.T
	}
	return th.F
}

// The keys a *series.OptionError names the thresholds by: T is
// "threshold" and F "frustrated", chaosstat's server's JSON keys and, with
// dashes, its command's flags (--threshold, --frustrated).
const (
	OptionThreshold  = "threshold"
	OptionFrustrated = "frustrated"
)

// Validate reports whether th can be used: T positive and finite, F zero
// or finite and greater than T. Its error wraps a *series.OptionError
// naming OptionThreshold or OptionFrustrated.
func (th Thresholds) Validate() error {
	var err error
	switch {
	case !(th.T > 0) || math.IsInf(th.T, 0):
		err = &series.OptionError{Option: OptionThreshold, Value: th.T, Want: "a positive number of seconds, such as 0.5"}
	case th.F != 0 && (!(th.F > th.T) || math.IsInf(th.F, 0)):
		err = &series.OptionError{Option: OptionFrustrated, Value: th.F, Want: fmt.Sprintf("a number of seconds above threshold %v (or leave it out for 4T = %v)",
			th.T, DefaultFrustrationFactor*th.T)}
	}
	if err != nil {
		return fmt.Errorf("apdex: %w", err)
	}
	return nil
}

// isDefaultF reports whether F is the specification's 4T.
func (th Thresholds) isDefaultF() bool {
	return th.F == 0 || th.F == DefaultFrustrationFactor*th.T
}

// Zone is one of the three performance zones of the specification.
type Zone int

const (
	Satisfied  Zone = iota // t <= T
	Tolerating             // T < t <= F
	Frustrated             // t > F, or the request failed
)

func (z Zone) String() string {
	switch z {
	case Satisfied:
		return "satisfied"
	case Tolerating:
		return "tolerating"
	case Frustrated:
		return "frustrated"
	}
	return fmt.Sprintf("Zone(%d)", int(z))
}

// Classify returns the zone of one request that took d seconds; failed
// requests are frustrated whatever their time [1, §4]. Thresholds are
// inclusive: exactly T is satisfied, exactly F tolerating. th must be
// valid; a NaN d is frustrated.
func (th Thresholds) Classify(d float64, failed bool) Zone {
	switch {
	case failed:
		return Frustrated
	case d <= th.T:
		return Satisfied
	case d <= th.Frustration():
		return Tolerating
	}
	return Frustrated
}

// Sample is one request: how long it took and whether it failed.
type Sample struct {
	// Duration is the response time in seconds. A failed request may have
	// none (NaN): it is frustrated either way.
	Duration float64

	// Error marks a failed request, which counts as frustrated whatever
	// its Duration.
	Error bool

	// Time is when the request happened, in Unix milliseconds; only
	// Windows uses it.
	Time int64
}

// Score is an Apdex score with the counts it was computed from.
//
// The counts are float64 so that scores from histograms (whose counts may
// be rates or increases) and from raw samples share one type; from raw
// samples they are whole numbers.
type Score struct {
	Thresholds

	// Satisfied, Tolerating and Frustrated count the requests in each
	// zone; Frustrated includes Errors. Total is their sum.
	Satisfied, Tolerating, Frustrated, Total float64

	// Errors counts the failed requests (all of them frustrated).
	Errors float64

	// Value is (Satisfied + Tolerating/2) / Total, unrounded, in [0, 1];
	// NaN when Total is 0 (NS).
	Value float64

	// Estimated is true when the counts were interpolated within
	// histogram buckets because T or F is not a bucket bound: the score
	// is then an estimate, not the specification's count (see
	// HistogramOptions.Interpolate).
	Estimated bool
}

// NoSamples reports whether the score has no samples behind it, which the
// specification writes "NS".
func (s Score) NoSamples() bool { return !(s.Total > 0) }

// SmallGroup reports whether the score comes from fewer than
// DefaultSmallGroup samples (and at least one), which the notation marks.
func (s Score) SmallGroup() bool { return s.Total > 0 && s.Total < DefaultSmallGroup }

// Rounded returns the score rounded to two decimals, as the specification
// displays it [1, §5]: halves round up (0.845 is 0.85). When the counts are
// whole numbers the rounding is exact, done on the ratio of the counts, so
// that a score of exactly 0.845 is not taken for 0.84499999999999997 (its
// nearest float64). Rounded is NaN for NS.
func (s Score) Rounded() float64 {
	if s.NoSamples() {
		return math.NaN()
	}
	if h, n, ok := s.halfUnits(); ok {
		// Value = h / (2n); rounded = floor(100*h/(2n) + 1/2)
		//                           = floor((100*h + n) / (2n)).
		return float64((100*h+n)/(2*n)) / 100
	}
	return math.Floor(s.Value*100+0.5) / 100
}

// halfUnits returns the numerator h = 2*Satisfied + Tolerating and the
// total n as integers, when the counts are whole numbers small enough for
// exact integer arithmetic.
func (s Score) halfUnits() (h, n int64, ok bool) {
	const limit = 1 << 50 // 100*h + n stays far below 2^63
	whole := func(x float64) bool { return x >= 0 && x < limit && x == math.Trunc(x) }
	if !whole(s.Satisfied) || !whole(s.Tolerating) || !whole(s.Total) {
		return 0, 0, false
	}
	return 2*int64(s.Satisfied) + int64(s.Tolerating), int64(s.Total), true
}

// Rating returns the specification's rating of the score, judged on the
// rounded score [1, §5]: the bands are written as two-decimal ranges
// (Good is 0.85 to 0.93), which only rounded scores fill without gaps.
func (s Score) Rating() Rating {
	if s.NoSamples() {
		return NoRating
	}
	return RatingOf(s.Rounded())
}

// Notation returns the score as the specification writes it [1, §5]: the
// rounded score with two decimals, a "*" when it comes from a small group,
// and T in seconds in brackets:
//
//	0.91 [0.5]
//	0.67* [4.0]
//	NS [0.5]
//
// A frustration threshold other than 4T is shown after T, because the
// score is then not comparable with the specification's:
//
//	0.91 [0.5/3.0]
func (s Score) Notation() string {
	var b strings.Builder
	if s.NoSamples() {
		b.WriteString("NS")
	} else {
		b.WriteString(strconv.FormatFloat(s.Rounded(), 'f', 2, 64))
		if s.SmallGroup() {
			b.WriteByte('*')
		}
	}
	b.WriteString(" [")
	b.WriteString(FormatSeconds(s.T))
	if !s.isDefaultF() {
		b.WriteByte('/')
		b.WriteString(FormatSeconds(s.Frustration()))
	}
	b.WriteByte(']')
	return b.String()
}

// String returns the notation, the rating and the counts, e.g.
//
//	0.91 [0.5] Excellent: 850 satisfied, 125 tolerating, 25 frustrated (3 errors) of 1000
func (s Score) String() string {
	var b strings.Builder
	b.WriteString(s.Notation())
	if !s.NoSamples() {
		b.WriteByte(' ')
		b.WriteString(s.Rating().String())
	}
	if s.Estimated {
		b.WriteString(" (estimated)")
	}
	fmt.Fprintf(&b, ": %s satisfied, %s tolerating, %s frustrated", count(s.Satisfied), count(s.Tolerating), count(s.Frustrated))
	switch {
	case s.Errors == 1:
		b.WriteString(" (1 error)")
	case s.Errors > 0:
		fmt.Fprintf(&b, " (%s errors)", count(s.Errors))
	}
	fmt.Fprintf(&b, " of %s", count(s.Total))
	return b.String()
}

// count formats a count: whole numbers without a fraction, others with up
// to six significant digits.
func count(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

// FormatSeconds formats a threshold in seconds for the notation: the
// shortest decimal that reads back to the same number, with at least one
// digit after the point, as the specification's examples write T
// ("[4.0]", "[0.5]"); a threshold finer than that keeps its digits
// ("[0.25]") rather than being rounded to a different T.
func FormatSeconds(t float64) string {
	s := strconv.FormatFloat(t, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// Rating is the specification's word for a range of scores [1, §5].
type Rating int

const (
	NoRating     Rating = iota // NS: no samples, no rating
	Unacceptable               // below 0.50
	Poor                       // 0.50 to 0.69
	Fair                       // 0.70 to 0.84
	Good                       // 0.85 to 0.93
	Excellent                  // 0.94 to 1.00
)

// Band lower bounds, in rounded-score units [1, §5].
const (
	ExcellentMin = 0.94
	GoodMin      = 0.85
	FairMin      = 0.70
	PoorMin      = 0.50
)

// RatingOf returns the rating of a rounded score (see Score.Rounded); NaN
// has NoRating. The comparison is made in hundredths, so that a rounded
// 0.94 computed as 0.9400000000000001 or 0.9399999999999999 is Excellent.
func RatingOf(rounded float64) Rating {
	if math.IsNaN(rounded) {
		return NoRating
	}
	h := math.Round(rounded * 100)
	switch {
	case h >= 94:
		return Excellent
	case h >= 85:
		return Good
	case h >= 70:
		return Fair
	case h >= 50:
		return Poor
	}
	return Unacceptable
}

var ratingNames = [...]string{"NS", "Unacceptable", "Poor", "Fair", "Good", "Excellent"}

func (r Rating) String() string {
	if r >= 0 && int(r) < len(ratingNames) {
		return ratingNames[r]
	}
	return fmt.Sprintf("Rating(%d)", int(r))
}

// Counter accumulates requests into an Apdex score one at a time, for
// callers that stream samples rather than holding them all. The zero
// Counter is not usable: make one with NewCounter.
type Counter struct {
	th     Thresholds
	f      float64
	s, tol int64
	fr     int64
	errs   int64
}

// NewCounter returns a Counter for th, or th's validation error.
func NewCounter(th Thresholds) (*Counter, error) {
	if err := th.Validate(); err != nil {
		return nil, err
	}
	return &Counter{th: th, f: th.Frustration()}, nil
}

// Add counts one request that took d seconds and failed or not. A request
// that did not fail must have a duration that is not negative and not NaN;
// Add returns an error for such a duration and counts nothing.
func (c *Counter) Add(d float64, failed bool) error {
	switch {
	case failed:
		c.fr++
		c.errs++
	case math.IsNaN(d) || d < 0:
		return fmt.Errorf("apdex: duration %v s; want a duration >= 0 (a failed request may have none)", d)
	case d <= c.th.T:
		c.s++
	case d <= c.f:
		c.tol++
	default:
		c.fr++
	}
	return nil
}

// Score returns the score of the requests counted so far. With none it
// returns an NS score (Value NaN), not an error: use Score.NoSamples.
func (c *Counter) Score() Score {
	return newScore(c.th, float64(c.s), float64(c.tol), float64(c.fr), float64(c.errs))
}

// newScore fills in Total and Value.
func newScore(th Thresholds, sat, tol, fr, errs float64) Score {
	s := Score{Thresholds: th, Satisfied: sat, Tolerating: tol, Frustrated: fr, Errors: errs}
	s.Total = sat + tol + fr
	s.Value = math.NaN()
	if s.Total > 0 {
		s.Value = (sat + tol/2) / s.Total
	}
	return s
}

// FromSamples returns the Apdex score of the samples [1, §4]:
//
//	Apdex_T = (satisfied + tolerating/2) / total
//
// with satisfied t <= T, tolerating T < t <= F, frustrated t > F or
// failed. It returns an error wrapping ErrNoSamples for no samples (the
// specification's NS, never a score), and an error naming the sample for
// a duration that is negative or NaN on a request that did not fail.
func FromSamples(samples []Sample, th Thresholds) (Score, error) {
	c, err := NewCounter(th)
	if err != nil {
		return Score{}, err
	}
	for i, sm := range samples {
		if err := c.Add(sm.Duration, sm.Error); err != nil {
			return Score{}, fmt.Errorf("apdex: sample %d: duration %v s; want a duration >= 0 (a failed request may have none)", i, sm.Duration)
		}
	}
	s := c.Score()
	if s.NoSamples() {
		return s, fmt.Errorf("apdex: %w: an empty group has no score", ErrNoSamples)
	}
	return s, nil
}

// FromDurations is FromSamples for requests that all succeeded: durations
// in seconds.
func FromDurations(durations []float64, th Thresholds) (Score, error) {
	c, err := NewCounter(th)
	if err != nil {
		return Score{}, err
	}
	for i, d := range durations {
		if err := c.Add(d, false); err != nil {
			return Score{}, fmt.Errorf("apdex: durations[%d] = %v s; want a duration >= 0", i, d)
		}
	}
	s := c.Score()
	if s.NoSamples() {
		return s, fmt.Errorf("apdex: %w: an empty group has no score", ErrNoSamples)
	}
	return s, nil
}
