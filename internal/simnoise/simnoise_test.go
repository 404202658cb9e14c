package simnoise

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestARMAMoments: over 200,000 values of φ 0.9, θ −0.5 the variance and
// lag-1 autocorrelation are the process's, (1 + 2φθ + θ²)/(1 − φ²) = 1.842
// and (1 + φθ)(φ + θ)/(1 + 2φθ + θ²) = 0.632, within 5% (the sampling
// error of such persistent noise at this length is about 1%).
func TestARMAMoments(t *testing.T) {
	const phi, theta, n = 0.9, -0.5, 200_000
	x := ARMA(rand.New(rand.NewPCG(1, 2)), n, phi, theta)
	if len(x) != n {
		t.Fatalf("%d values, want %d", len(x), n)
	}
	var m float64
	for _, v := range x {
		m += v
	}
	m /= n
	var g0, g1 float64
	for i, v := range x {
		g0 += (v - m) * (v - m)
		if i > 0 {
			g1 += (v - m) * (x[i-1] - m)
		}
	}
	g0 /= n
	g1 /= n
	wantVar := (1 + 2*phi*theta + theta*theta) / (1 - phi*phi)
	wantRho := (1 + phi*theta) * (phi + theta) / (1 + 2*phi*theta + theta*theta)
	if math.Abs(g0/wantVar-1) > 0.05 || math.Abs(g1/g0/wantRho-1) > 0.05 {
		t.Errorf("variance %.3f (want %.3f), lag-1 autocorrelation %.3f (want %.3f)", g0, wantVar, g1/g0, wantRho)
	}
}
