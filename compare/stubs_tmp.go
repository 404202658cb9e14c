package compare

// TEMPORARY: signatures only, replaced by the real implementations in this
// session. Each file that implements one deletes its stub here.

import "errors"

var errTODO = errors.New("compare: not implemented yet")

// MannWhitneyU is the Mann-Whitney U test (placeholder).
func MannWhitneyU(experiment, control []float64, opts Options) (Result, error) {
	return Result{}, errTODO
}

// WelchT is Welch's t test (placeholder).
func WelchT(experiment, control []float64, opts Options) (Result, error) { return Result{}, errTODO }

// HodgesLehmann is the Hodges-Lehmann shift (placeholder).
func HodgesLehmann(experiment, control []float64, opts Options) (Shift, []error, error) {
	return Shift{}, nil, errTODO
}

// KolmogorovSmirnov is the two-sample KS test (placeholder).
func KolmogorovSmirnov(experiment, control []float64, opts Options) (Result, error) {
	return Result{}, errTODO
}
