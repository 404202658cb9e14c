package apdex

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// Bucket is one cumulative bucket of a Prometheus classic histogram: Count
// observations were at most Le seconds (the "le" label). The last bucket's
// Le is +Inf and its Count is the histogram's total.
type Bucket struct {
	Le    float64
	Count float64
}

// Histogram is a Prometheus classic histogram of response times, as
// scraped (cumulative counts) or as the increase or rate of each bucket over
// a time range.
type Histogram struct {
	// Buckets are the cumulative buckets in any order; one must be +Inf.
	Buckets []Bucket

	// Errors counts failed requests that are NOT in Buckets. Prometheus
	// histograms carry no error flag, so the specification's rule that a
	// failed request is frustrated whatever its time can only be applied
	// when the failures are counted apart: observe the histogram for
	// successful requests only (or select them, code!~"5.."), and pass the
	// failures' count here. They are added to Frustrated and to Total.
	// When the histogram observes failures too and Errors is 0, a fast
	// failure counts as satisfied: the score is then higher than the
	// specification's.
	Errors float64
}

// HistogramOptions are the per-call choices of FromHistogram.
type HistogramOptions struct {
	// Interpolate allows a score when T or F is not a bucket bound: the
	// count at the threshold is then estimated by linear interpolation
	// within the bucket that holds it, as Prometheus's
	// histogram_quantile interpolates (the first bucket starts at 0), and
	// the Score is marked Estimated. Without it such a histogram is an
	// error wrapping ErrNoBucket: the specification's score needs the
	// counts at T and F exactly.
	Interpolate bool
}

// ErrNoBucket is returned (wrapped) by FromHistogram when T or F is not a
// bucket bound and interpolation was not asked for.
var ErrNoBucket = errors.New("no bucket bound at the threshold")

// FromHistogram returns the Apdex score of a histogram of response times
// whose buckets include bounds at T and F:
//
//	satisfied  = bucket{le=T}
//	tolerating = bucket{le=F} - bucket{le=T}
//	frustrated = bucket{le=+Inf} - bucket{le=F} + Errors
//
// which for a histogram whose buckets sit at T and F gives exactly the
// score of the raw samples behind it. The counts may be raw cumulative
// counts, increases or rates; the small-group mark (fewer than 100
// samples) is meaningful only for counts and increases.
//
// Bounds are compared as numbers, so le="2" and le="2.0" are the same
// bound. It returns an error for a histogram without a +Inf bucket, with
// a negative, NaN or infinite count, with counts that decrease as le
// grows, with a bound twice, or without bounds at T and F (ErrNoBucket,
// unless opts.Interpolate); and an error wrapping ErrNoSamples when the
// total is zero.
func FromHistogram(h Histogram, th Thresholds, opts HistogramOptions) (Score, error) {
	if err := th.Validate(); err != nil {
		return Score{}, err
	}
	if !(h.Errors >= 0) || math.IsInf(h.Errors, 0) {
		return Score{}, fmt.Errorf("apdex: histogram: Errors = %v; want a count >= 0", h.Errors)
	}
	bs := slices.Clone(h.Buckets)
	slices.SortFunc(bs, func(a, b Bucket) int {
		switch {
		case a.Le < b.Le:
			return -1
		case a.Le > b.Le:
			return 1
		}
		return 0
	})
	for i, b := range bs {
		switch {
		case math.IsNaN(b.Le):
			return Score{}, errors.New("apdex: histogram: a bucket has le = NaN")
		case !(b.Count >= 0) || math.IsInf(b.Count, 0):
			return Score{}, fmt.Errorf("apdex: histogram: bucket le=%s has count %v; want a count >= 0", formatLe(b.Le, LeText), b.Count)
		case i > 0 && b.Le == bs[i-1].Le:
			return Score{}, fmt.Errorf("apdex: histogram: le=%s appears twice", formatLe(b.Le, LeText))
		case i > 0 && b.Count < bs[i-1].Count:
			return Score{}, fmt.Errorf("apdex: histogram: bucket le=%s has count %v, less than %v at le=%s; buckets are cumulative, so counts never decrease as le grows",
				formatLe(b.Le, LeText), b.Count, bs[i-1].Count, formatLe(bs[i-1].Le, LeText))
		}
	}
	if len(bs) == 0 || !math.IsInf(bs[len(bs)-1].Le, 1) {
		return Score{}, errors.New(`apdex: histogram: no le="+Inf" bucket; it holds the total count and every Prometheus histogram has one`)
	}
	f := th.Frustration()
	atT, exactT, err := countAt(bs, th.T, opts.Interpolate)
	if err != nil {
		return Score{}, fmt.Errorf("apdex: histogram: threshold T = %s s: %w", FormatSeconds(th.T), err)
	}
	atF, exactF, err := countAt(bs, f, opts.Interpolate)
	if err != nil {
		return Score{}, fmt.Errorf("apdex: histogram: frustration threshold F = %s s: %w", FormatSeconds(f), err)
	}
	total := bs[len(bs)-1].Count
	s := newScore(th, atT, atF-atT, total-atF+h.Errors, h.Errors)
	s.Estimated = !exactT || !exactF
	if s.NoSamples() {
		return s, fmt.Errorf("apdex: histogram: %w: the total count is 0", ErrNoSamples)
	}
	return s, nil
}

// countAt returns the cumulative count at x: the count of the bucket whose
// bound is x (exact), or, when interpolate is set, the linear
// interpolation within the bucket that holds x.
func countAt(bs []Bucket, x float64, interpolate bool) (c float64, exact bool, err error) {
	i, found := slices.BinarySearchFunc(bs, x, func(b Bucket, x float64) int {
		switch {
		case b.Le < x:
			return -1
		case b.Le > x:
			return 1
		}
		return 0
	})
	if found {
		return bs[i].Count, true, nil
	}
	// bs[i] is the first bucket with le > x; it exists, as the last is +Inf.
	if !interpolate {
		return 0, false, fmt.Errorf("%w: the bounds are %s; add a bucket at the threshold, or ask for an interpolated estimate", ErrNoBucket, bounds(bs))
	}
	if math.IsInf(bs[i].Le, 1) {
		return 0, false, fmt.Errorf("%w: it lies above the highest finite bound %s, in the +Inf bucket, where nothing can be interpolated",
			ErrNoBucket, formatLe(bs[i-1].Le, LeText))
	}
	lo, clo := 0.0, 0.0
	if i > 0 {
		lo, clo = bs[i-1].Le, bs[i-1].Count
	} else if bs[i].Le <= 0 {
		// histogram_quantile's rule: a first bucket with a bound <= 0
		// has nothing below it to interpolate from.
		return bs[i].Count, false, nil
	}
	if x <= lo {
		return clo, false, nil
	}
	frac := (x - lo) / (bs[i].Le - lo)
	return clo + frac*(bs[i].Count-clo), false, nil
}

// bounds lists the finite bucket bounds for an error message.
func bounds(bs []Bucket) string {
	s := ""
	n := 0
	for _, b := range bs {
		if math.IsInf(b.Le, 1) {
			continue
		}
		if n == 12 {
			s += ", ..."
			break
		}
		if n > 0 {
			s += ", "
		}
		s += formatLe(b.Le, LeText)
		n++
	}
	if n == 0 {
		return "only +Inf"
	}
	return s
}

// HistogramSeries scores a classic histogram over time, one score per
// timestamp: the satisfaction signal from Prometheus rather than from raw
// requests. buckets holds one series per bucket, with its bound in the
// "le" label (as "2", "2.0" or "+Inf": the label is read as a number), as
// a range query such as
//
//	sum by (le) (increase(http_request_duration_seconds_bucket[1m]))
//
// returns them (increase rather than rate keeps the counts, and with them
// the small-group mark, meaningful). errs, when it has points, holds the
// failures the histogram does not observe at the same timestamps (see
// Histogram.Errors); a zero Series means none.
//
// The result has a Window for every timestamp any bucket has, in time
// order, with Start the timestamp. A timestamp at which a bucket or errs
// has no value (no point, or NaN), or at which the total count is zero, is
// NS: no data is never a score. It returns an error for a bucket series
// without a numeric "le" label, for a bound given twice, for invalid
// series, and for counts at a timestamp that FromHistogram rejects (no
// bound at T or F without Interpolate, counts that decrease as le grows),
// naming the timestamp.
func HistogramSeries(buckets []series.Series, errs series.Series, th Thresholds, opts HistogramOptions) ([]Window, error) {
	if err := th.Validate(); err != nil {
		return nil, err
	}
	les := make([]float64, len(buckets))
	for i, b := range buckets {
		if err := b.Validate(); err != nil {
			return nil, fmt.Errorf("apdex: histogram series: %w", err)
		}
		if len(b.T) == 0 && len(b.V) > 0 {
			return nil, fmt.Errorf("apdex: histogram series: bucket %d is a plain sample; want timestamps", i)
		}
		s, ok := b.Labels["le"]
		if !ok {
			return nil, fmt.Errorf("apdex: histogram series: bucket %d (%s) has no \"le\" label; query the _bucket series by (le)", i, b)
		}
		le, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(le) {
			return nil, fmt.Errorf("apdex: histogram series: bucket %d has le=%q, not a number", i, s)
		}
		for j := range i {
			if les[j] == le {
				return nil, fmt.Errorf("apdex: histogram series: le=%q and le=%q are the same bound; keep one (sum by (le) after normalising, or select one spelling)",
					buckets[j].Labels["le"], s)
			}
		}
		les[i] = le
	}
	if err := errs.Validate(); err != nil {
		return nil, fmt.Errorf("apdex: histogram series: errors: %w", err)
	}
	var ts []int64
	for _, b := range buckets {
		ts = append(ts, b.T...)
	}
	slices.Sort(ts)
	ts = slices.Compact(ts)
	if len(ts) == 0 {
		return nil, fmt.Errorf("apdex: histogram series: %w: no points", ErrNoSamples)
	}

	pos := make([]int, len(buckets)) // next index into each bucket's T
	epos := 0
	out := make([]Window, len(ts))
	h := Histogram{Buckets: make([]Bucket, len(buckets))}
	for k, t := range ts {
		missing := false
		for i, b := range buckets {
			for pos[i] < len(b.T) && b.T[pos[i]] < t {
				pos[i]++
			}
			if pos[i] < len(b.T) && b.T[pos[i]] == t && !math.IsNaN(b.V[pos[i]]) {
				h.Buckets[i] = Bucket{Le: les[i], Count: b.V[pos[i]]}
			} else {
				missing = true
			}
		}
		h.Errors = 0
		if len(errs.T) > 0 {
			for epos < len(errs.T) && errs.T[epos] < t {
				epos++
			}
			if epos < len(errs.T) && errs.T[epos] == t && !math.IsNaN(errs.V[epos]) {
				h.Errors = errs.V[epos]
			} else {
				missing = true
			}
		}
		out[k] = Window{Start: t, Score: newScore(th, 0, 0, 0, 0)}
		if missing {
			continue
		}
		s, err := FromHistogram(h, th, opts)
		switch {
		case errors.Is(err, ErrNoSamples):
			out[k].Score = s
		case err != nil:
			return nil, fmt.Errorf("%w (at %s)", err, time.UnixMilli(t).UTC().Format(time.RFC3339Nano))
		default:
			out[k].Score = s
		}
	}
	return out, nil
}
