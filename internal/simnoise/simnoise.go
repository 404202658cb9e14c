// Package simnoise holds the noise generators that tests in several
// packages and the testdata generators share, so that a figure measured in
// one package and a file written for another come from one definition.
package simnoise

import "math/rand/v2"

// Burn is the number of values ARMA draws and drops before the ones it
// returns, so that they start near the process's stationary law.
const Burn = 300

// ARMA returns n values of ARMA(1,1) noise x_t = φ x_{t−1} + e_t + θ e_{t−1}
// with standard normal innovations e drawn from rng, after Burn values
// from x = 0. The judge's simulations use φ 0.9, θ −0.5: noise whose
// minutes look nearly independent (lag-1 autocorrelation about 0.6) but
// which wanders for tens of minutes (long-run variance 13.6 times the
// variance).
func ARMA(rng *rand.Rand, n int, phi, theta float64) []float64 {
	x := make([]float64, n+Burn)
	prev := 0.0
	for i := 1; i < len(x); i++ {
		e := rng.NormFloat64()
		x[i] = phi*x[i-1] + e + theta*prev
		prev = e
	}
	return x[Burn:]
}
