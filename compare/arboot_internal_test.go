package compare

import (
	"math"
	"math/rand/v2"
)

// arBoot is the parametric AR bootstrap that the two test-only designs of
// the ARMA(1,1) work share (the calibration candidate,
// timeseries_calibrate_candidate_test.go, and the design report's
// bootstrapP, timeseries_armadesign_internal_test.go): paths of an AR
// model driven by innovations resampled from centred residuals, after a
// burn-in, and Kilian's (1998) bias correction of the coefficients.
type arBoot struct {
	r    *rand.Rand
	uc   []float64 // the residuals, centred
	buf  []float64 // a path and its burn-in
	burn int
	dm   []float64 // a centred path, for biasCorrected
}

// newARBoot returns a bootstrap of paths of n points after burn points,
// its innovations drawn from u centred, from r.
func newARBoot(r *rand.Rand, u []float64, n, burn int) *arBoot {
	var um float64
	for _, v := range u {
		um += v
	}
	um /= float64(len(u))
	uc := make([]float64, len(u))
	for i, v := range u {
		uc[i] = v - um
	}
	return &arBoot{r: r, uc: uc, buf: make([]float64, n+burn), burn: burn, dm: make([]float64, n)}
}

// path draws a path of the AR(c) model and returns its last n points (a
// view of the bootstrap's buffer, valid until the next draw) and whether
// they are all finite.
func (b *arBoot) path(c []float64) ([]float64, bool) {
	for i := range b.buf {
		v := b.uc[b.r.IntN(len(b.uc))]
		for j, cj := range c {
			if i-1-j >= 0 {
				v += cj * b.buf[i-1-j]
			}
		}
		b.buf[i] = v
	}
	y := b.buf[b.burn:]
	for _, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return y, false
		}
	}
	return y, true
}

// biasCorrected returns 2φ − the mean of φ̂* over draws paths of AR(φ),
// each centred and refitted by fitAR at φ's order (a path that is not
// finite or cannot be fitted is left out), and false when none could be.
func (b *arBoot) biasCorrected(phi []float64, draws int) ([]float64, bool) {
	mean := make([]float64, len(phi))
	got := 0
	for range draws {
		y, ok := b.path(phi)
		if !ok {
			continue
		}
		var s float64
		for _, v := range y {
			s += v
		}
		for i, v := range y {
			b.dm[i] = v - s/float64(len(y))
		}
		a, ok := fitAR(b.dm, len(phi))
		if !ok {
			continue
		}
		for j := range mean {
			mean[j] += a.phi[j]
		}
		got++
	}
	if got == 0 {
		return nil, false
	}
	bc := make([]float64, len(phi))
	for j := range bc {
		bc[j] = 2*phi[j] - mean[j]/float64(got)
	}
	return bc, true
}
