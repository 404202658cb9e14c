package compare

import (
	"fmt"
	"math"
	"slices"
)

// samples holds the two cleaned samples of a test and the warnings found
// while cleaning them.
type samples struct {
	x, y     []float64 // experiment, control: copies without NaN
	warnings []error
}

// begin is the start every test shares: it applies the defaults to opts and
// validates them, cleans the samples (keeping at least min values on each
// side) and returns a Result with the fields known before any computing.
func begin(test string, experiment, control []float64, opts Options, min int) (Options, samples, Result, error) {
	return beginTest(test, experiment, control, opts, min, false)
}

// beginView is begin for a test that only reads its samples (WelchT): a
// sample without missing values is used as given, not copied, which at 10^7
// values was most of Welch's time and all of its memory.
func beginView(test string, experiment, control []float64, opts Options, min int) (Options, samples, Result, error) {
	return beginTest(test, experiment, control, opts, min, true)
}

func beginTest(test string, experiment, control []float64, opts Options, min int, view bool) (Options, samples, Result, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return opts, samples{}, Result{}, err
	}
	s, err := prepareSamples(experiment, control, min, view)
	if err != nil {
		return opts, s, Result{}, err
	}
	res := Result{
		Test:            test,
		Alternative:     opts.Alternative,
		DF:              math.NaN(),
		Autocorrelation: math.NaN(),
		EffectiveN:      math.NaN(),
		NExperiment:     len(s.x),
		NControl:        len(s.y),
		Confidence:      opts.Confidence,
		Warnings:        s.warnings,
	}
	return opts, s, res, nil
}

// prepare copies experiment and control without their missing values (NaN),
// rejects infinities, and checks that each side keeps at least min values.
// The inputs are never modified: a sample already sorted, without missing
// values, is returned as given, so a test may sort its samples (which
// leaves sorted input untouched: sortFloats) but must not write to them
// otherwise.
func prepare(experiment, control []float64, min int) (samples, error) {
	return prepareSamples(experiment, control, min, false)
}

// prepareSamples is prepare; view returns a sample without missing values
// as given instead of a copy, for callers that only read it.
func prepareSamples(experiment, control []float64, min int, view bool) (samples, error) {
	var s samples
	var err error
	if s.x, err = clean("experiment", experiment, min, &s.warnings, view); err != nil {
		return s, err
	}
	if s.y, err = clean("control", control, min, &s.warnings, view); err != nil {
		return s, err
	}
	return s, nil
}

func clean(side string, xs []float64, min int, warnings *[]error, view bool) ([]float64, error) {
	// One pass finds the missing and the infinite values: without missing
	// ones, a view is xs itself and a copy is made in one piece.
	nan := 0
	for i, v := range xs {
		switch {
		case math.IsNaN(v):
			nan++
		case math.IsInf(v, 0):
			return nil, fmt.Errorf("compare: %s[%d] is %v: %w", side, i, v, ErrNonFinite)
		}
	}
	var out []float64
	switch {
	case nan == 0 && (view || slices.IsSorted(xs)):
		// The tests only sort their samples, and sortFloats writes
		// nothing to sorted input: a sorted sample needs no copy either
		// (the A/A drop search tests sorted windows again and again).
		out = xs
	case nan == 0:
		out = slices.Clone(xs)
	default:
		out = make([]float64, 0, len(xs)-nan)
		for _, v := range xs {
			if !math.IsNaN(v) {
				out = append(out, v)
			}
		}
	}
	if missing := len(xs) - len(out); missing > 0 {
		*warnings = append(*warnings, fmt.Errorf("%d of %d %s values are missing (NaN) and were left out; check the data source for gaps", missing, len(xs), side))
	}
	if len(out) < min {
		if len(out) == 0 && len(xs) > 0 {
			return nil, fmt.Errorf("compare: %s has no values, all %d are missing (NaN): %w", side, len(xs), ErrSampleSize)
		}
		return nil, fmt.Errorf("compare: %s has %d values, need at least %d: %w", side, len(out), min, ErrSampleSize)
	}
	return out, nil
}
