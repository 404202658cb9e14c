package compare

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Correction is a multiple-comparison correction: how the p-values of
// several tests judged together (the metrics of one hypothesis) are adjusted
// so that the error rate holds for the family, not for each test alone. The
// zero value is Holm, the safe default.
type Correction int

const (
	// Holm controls the family-wise error rate (the chance of at least one
	// false alarm among all the tests) at alpha, with no assumption about
	// how the tests depend on each other [1]. It is uniformly more powerful
	// than Bonferroni. The default.
	Holm Correction = iota
	// BenjaminiHochberg controls the false discovery rate (the expected
	// share of false alarms among the tests called significant) at alpha,
	// for independent or positively dependent tests [2]. More powerful than
	// Holm when many metrics move; weaker protection against any one false
	// alarm.
	BenjaminiHochberg
	// NoCorrection leaves the p-values as they are: each test keeps its own
	// error rate and the family's grows with the number of tests.
	NoCorrection
	// BenjaminiYekutieli controls the false discovery rate at alpha under
	// any dependence between the tests [4] — metrics of one service that
	// move together, such as errors and latency — at the price of
	// Benjamini-Hochberg's p-values times Σ_{k=1..m} 1/k (2.28 for 5
	// metrics).
	BenjaminiYekutieli
)

// DefaultCorrection is the correction used across the metrics of a
// hypothesis unless it asks for another: Holm.
var DefaultCorrection = Holm

// String returns "holm", "benjamini-hochberg", "none" or
// "benjamini-yekutieli".
func (c Correction) String() string {
	switch c {
	case Holm:
		return "holm"
	case BenjaminiHochberg:
		return "benjamini-hochberg"
	case NoCorrection:
		return "none"
	case BenjaminiYekutieli:
		return "benjamini-yekutieli"
	}
	return fmt.Sprintf("Correction(%d)", int(c))
}

// ParseCorrection parses a correction name, ignoring case: "holm";
// "benjamini-hochberg", "bh" or "fdr"; "benjamini-yekutieli" or "by";
// "none".
func ParseCorrection(s string) (Correction, error) {
	switch strings.ToLower(s) {
	case "holm":
		return Holm, nil
	case "benjamini-hochberg", "bh", "fdr":
		return BenjaminiHochberg, nil
	case "benjamini-yekutieli", "by":
		return BenjaminiYekutieli, nil
	case "none":
		return NoCorrection, nil
	}
	return 0, fmt.Errorf("unknown correction %q: want holm, bh (benjamini-hochberg, fdr), by (benjamini-yekutieli) or none", s)
}

// MarshalText implements encoding.TextMarshaler.
func (c Correction) MarshalText() ([]byte, error) {
	if c < Holm || c > BenjaminiYekutieli {
		return nil, fmt.Errorf("compare: invalid %v", c)
	}
	return []byte(c.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseCorrection.
func (c *Correction) UnmarshalText(b []byte) error {
	v, err := ParseCorrection(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Adjust returns the p-values p adjusted for multiple comparisons by c, with
// the semantics of R's p.adjust(p, method) [3]: element i of the result is
// the adjusted p-value of p[i], and a test is significant at family level
// alpha when its adjusted p-value is at most alpha (Significant). With m
// the number of p-values that are not NaN and p_(1) ≤ … ≤ p_(m) the sorted
// ones,
//
//	Holm:               p̃_(i) = max_{j≤i} min(1, (m−j+1)·p_(j))
//	Benjamini-Hochberg: p̃_(i) = min_{j≥i} min(1, m·p_(j)/j)
//	Benjamini-Yekutieli: p̃_(i) = min_{j≥i} min(1, q·m·p_(j)/j),  q = Σ_{k=1..m} 1/k
//	NoCorrection:       p̃_(i) = p_(i)
//
// NaN entries (tests that could not run: no data) stay NaN and are not
// counted in m, as R's p.adjust does with NA. With m ≤ 1 nothing changes.
// Each adjusted p-value is in [p, 1]. The input is not modified; the result
// is a new slice.
//
// Adjust panics if a p-value is outside [0, 1] or c is not a Correction:
// p-values come from tests, so either is a programming error.
//
// [1] Holm, S. (1979). A simple sequentially rejective multiple test
// procedure. Scandinavian Journal of Statistics 6, 65–70.
// [2] Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery
// rate: a practical and powerful approach to multiple testing. JRSS B 57,
// 289–300.
// [3] R 4.2.2, stats::p.adjust.
// [4] Benjamini, Y. and Yekutieli, D. (2001). The control of the false
// discovery rate in multiple testing under dependency. Annals of
// Statistics 29, 1165–1188.
func Adjust(p []float64, c Correction) []float64 {
	if c < Holm || c > BenjaminiYekutieli {
		panic(fmt.Sprintf("compare.Adjust: invalid %v", c))
	}
	out := slices.Clone(p)
	idx := make([]int, 0, len(p)) // indices of the p-values that are not NaN
	for i, v := range p {
		if math.IsNaN(v) {
			continue
		}
		if !(v >= 0 && v <= 1) {
			panic(fmt.Sprintf("compare.Adjust: p[%d] = %v is not a p-value in [0, 1]", i, v))
		}
		idx = append(idx, i)
	}
	m := len(idx)
	if m <= 1 || c == NoCorrection {
		return out
	}
	// Sort stably by p, as R's order() does; tied p-values get equal
	// adjusted values either way.
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	fm := float64(m)
	switch c {
	case Holm:
		run := 0.0
		for j, i := range idx {
			run = max(run, min(1, (fm-float64(j))*p[i]))
			out[i] = run
		}
	case BenjaminiHochberg, BenjaminiYekutieli:
		// R: pmin(1, cummin(q * n / i * p[o])), q = 1 for BH.
		q := 1.0
		if c == BenjaminiYekutieli {
			q = 0
			for k := 1; k <= m; k++ {
				q += 1 / float64(k)
			}
		}
		run := 1.0
		for j := m - 1; j >= 0; j-- {
			i := idx[j]
			run = min(run, q*fm/float64(j+1)*p[i])
			out[i] = run
		}
	}
	return out
}
