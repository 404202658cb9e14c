package compare

import (
	"math"
	"sync"
)

// The statistics mixedCrit tabulates.
const (
	critCUSUM = iota // the shift test's: Kolmogorov's limit (cusumSF)
	critRange        // the segment test's: Kuiper's limit
)

// critTables caches mixedCrit's tables by statistic and level.
var critTables sync.Map // [2]float64{kind, alpha} → []float64

// critPrecomputed are mixedCrit's tables for the levels TimeSeries uses
// (LevelShiftAlpha, SegmentAlpha and calibrateLevel), computed by mixedCrit
// itself (bisection on mixedSF, 30 steps; TestMixedCritTables checks
// them), so that a process does not spend about a second on them.
var critPrecomputed = map[[2]float64][]float64{
	[2]float64{critCUSUM, 0.01}: {
		69.312372, 33.482730, 18.572640, 11.539834, 7.866820, 5.782827,
		4.517998, 3.707123, 3.163634, 2.785973, 2.515732, 2.317673,
		2.169626, 2.057136, 1.970481, 1.902952, 1.849814, 1.807656,
		1.773980, 1.746926, 1.725090, 1.707396, 1.693011, 1.681287,
		1.671709, 1.663871, 1.657446, 1.652174, 1.647844, 1.644284,
		1.641354, 1.638943, 1.636957, 1.635321, 1.633973, 1.632862,
		1.631945, 1.631189, 1.630566, 1.630051, 1.629627, 1.629277,
		1.628988, 1.628750, 1.628553, 1.628391, 1.628257, 1.628146,
		1.628055,
	},
	[2]float64{critCUSUM, 0.05}: {
		13.851208, 8.849250, 6.171883, 4.620896, 3.662479, 3.038112,
		2.613418, 2.314197, 2.097270, 1.936334, 1.814700, 1.721387,
		1.648932, 1.592116, 1.547200, 1.511449, 1.482828, 1.459802,
		1.441201, 1.426120, 1.413856, 1.403858, 1.395691, 1.389006,
		1.383528, 1.379032, 1.375339, 1.372303, 1.369806, 1.367750,
		1.366057, 1.364662, 1.363512, 1.362564, 1.361783, 1.361138,
		1.360607, 1.360168, 1.359807, 1.359508, 1.359262, 1.359059,
		1.358891, 1.358753, 1.358638, 1.358544, 1.358466, 1.358402,
		1.358349,
	},
	[2]float64{critRange, 0.001}: {
		999.999699, 321.839267, 127.513351, 59.946970, 32.439053, 19.701901,
		13.151336, 9.480982, 7.275272, 5.871725, 4.935972, 4.287966,
		3.825162, 3.486223, 3.232852, 3.040226, 2.891726, 2.775912,
		2.684714, 2.612323, 2.554475, 2.507991, 2.470465, 2.440054,
		2.415332, 2.395181, 2.378721, 2.365250, 2.354210, 2.345150,
		2.337709, 2.331591, 2.326558, 2.322415, 2.319003, 2.316192,
		2.313875, 2.311965, 2.310391, 2.309092, 2.308021, 2.307137,
		2.306408, 2.305807, 2.305311, 2.304901, 2.304563, 2.304284,
		2.304054,
	},
	[2]float64{critRange, 0.05}: {
		19.984964, 12.716674, 8.827935, 6.574673, 5.180693, 4.270503,
		3.649167, 3.209197, 2.888162, 2.648117, 2.465049, 2.323209,
		2.211924, 2.123743, 2.053324, 1.996745, 1.951067, 1.914047,
		1.883950, 1.859420, 1.839384, 1.822990, 1.809557, 1.798537,
		1.789486, 1.782046, 1.775927, 1.770891, 1.766744, 1.763328,
		1.760512, 1.758192, 1.756279, 1.754701, 1.753400, 1.752326,
		1.751441, 1.750710, 1.750107, 1.749610, 1.749199, 1.748861,
		1.748581, 1.748350, 1.748160, 1.748003, 1.747873, 1.747766,
		1.747678,
	},
}

func init() {
	for k, v := range critPrecomputed {
		critTables.Store(k, v)
	}
}

// critNu is the grid of degrees of freedom of mixedCrit's tables: 1 to
// 10⁴, 12 points a decade in log ν.
func critNu(i int) float64 { return math.Pow(10, float64(i)/12) }

const critNuPoints = 4*12 + 1

// mixedCrit returns the critical value x at which the mixed p-value
// (mixedSF) of the shift (critCUSUM) or segment (critRange) statistic with
// ν degrees of freedom equals alpha, interpolated linearly in log ν on a
// table computed once per statistic and level by bisection (ν clamped to
// [1, 10⁴]; above 10⁴ the mixture is within 0.1% of the limit). The
// decision x > mixedCrit agrees with mixedSF(x) ≤ alpha except within the
// interpolation error, far below the Monte Carlo error of calibrateScale,
// which uses it.
func mixedCrit(kind int, alpha, nu float64) float64 {
	sf := kolmogorovLimitSF
	if kind == critRange {
		sf = kuiperLimitSF
	}
	key := [2]float64{float64(kind), alpha}
	tab, ok := critTables.Load(key)
	if !ok {
		t := make([]float64, critNuPoints)
		for i := range t {
			lo, hi := 0.0, 1.0
			for mixedSF(sf, hi, critNu(i)) > alpha {
				lo, hi = hi, 2*hi
			}
			for range 30 {
				m := (lo + hi) / 2
				if mixedSF(sf, m, critNu(i)) > alpha {
					lo = m
				} else {
					hi = m
				}
			}
			t[i] = hi
		}
		tab, _ = critTables.LoadOrStore(key, t)
	}
	t := tab.([]float64)
	l := 12 * math.Log10(max(1, min(nu, 1e4)))
	i := min(int(l), critNuPoints-2)
	w := l - float64(i)
	return (1-w)*t[i] + w*t[i+1]
}
