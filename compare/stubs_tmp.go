package compare

// TEMPORARY: signatures only, replaced by the real implementations in this
// session. Each file that implements one deletes its stub here.

import "errors"

var errTODO = errors.New("compare: not implemented yet")

// KolmogorovSmirnov is the two-sample KS test (placeholder).
func KolmogorovSmirnov(experiment, control []float64, opts Options) (Result, error) {
	return Result{}, errTODO
}
