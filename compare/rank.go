package compare

// rankStats are what a rank test needs from the pooled sample: the
// experiment's rank sum (with average ranks for ties) and the tie term.
type rankStats struct {
	// U is the Mann-Whitney U of the experiment: R1 − n1(n1+1)/2, the number
	// of (experiment, control) pairs with the experiment greater, ties
	// counting one half.
	U float64
	// TieTerm is Σ(t³ − t) over the groups of tied values in the pooled
	// sample.
	TieTerm float64
	// Ties reports whether any two pooled values are equal.
	Ties bool
}

// mergeRanks computes U and the tie term of the pooled sample (x, y) in one
// merge pass. x and y must be sorted ascending.
func mergeRanks(x, y []float64) rankStats {
	var st rankStats
	n1, n2 := len(x), len(y)
	i, j := 0, 0
	// twiceU accumulates 2·U exactly: each x value contributes 2·(number of
	// smaller y) + (number of equal y).
	var twiceU float64
	for i < n1 || j < n2 {
		var v float64
		switch {
		case j == n2:
			v = x[i]
		case i == n1:
			v = y[j]
		default:
			v = min(x[i], y[j])
		}
		i0, j0 := i, j
		for i < n1 && x[i] == v {
			i++
		}
		for j < n2 && y[j] == v {
			j++
		}
		cx, cy := i-i0, j-j0
		twiceU += float64(cx) * float64(2*j0+cy)
		if t := cx + cy; t > 1 {
			ft := float64(t)
			st.TieTerm += ft*ft*ft - ft
			st.Ties = true
		}
	}
	st.U = twiceU / 2
	return st
}
