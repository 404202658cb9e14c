package compare

import "math"

// The distribution of the one-sample two-sided Kolmogorov-Smirnov statistic
// D_n, which the asymptotic two-sample test evaluates at n = round(n1n2/(n1+n2)).
// A port of scipy 1.10's scipy/stats/_ksstats.py (kolmogn with cdf=False),
// which follows Simard & L'Ecuyer (2011) in choosing among exact formulas,
// the Durbin matrix (Marsaglia, Tsang & Wang 2003), Pomeranz's recursion
// (1974) and the Pelz-Good expansion (1976) by n and n·x².

const (
	ks2p128  = 0x1p128
	ks2m128  = 0x1p-128
	ksMinLog = -708
)

// kolmogorovSF returns P(D_n ≥ x).
func kolmogorovSF(n int, x float64) float64 {
	if n <= 0 || math.IsNaN(x) {
		return math.NaN()
	}
	if x >= 1 {
		return 0
	}
	if x <= 0 {
		return 1
	}
	fn := float64(n)
	t := fn * x
	if t <= 1 { // Ruben-Gambino: 1/2n <= x <= 1/n
		if t <= 0.5 {
			return 1
		}
		var p float64
		if n <= 140 {
			p = 1
			for i := 1; i <= n; i++ {
				p *= float64(i) * (1 / fn) * (2*t - 1)
			}
		} else {
			p = math.Exp(logNFactorialDivNPowN(fn) + fn*math.Log(2*t-1))
		}
		return clamp01(1 - p)
	}
	if t >= fn-1 { // Ruben-Gambino
		return clamp01(2 * math.Pow(1-x, fn))
	}
	if x >= 0.5 {
		return clamp01(2 * smirnovSF(n, x))
	}
	nx2 := t * x
	if n <= 140 {
		switch {
		case nx2 <= 0.754693:
			return clamp01(1 - kolmognDMTW(n, x))
		case nx2 <= 4:
			return clamp01(1 - kolmognPomeranz(n, x))
		}
		return clamp01(2 * smirnovSF(n, x))
	}
	if nx2 >= 370 {
		return 0
	}
	if nx2 >= 2.2 {
		return clamp01(2 * smirnovSF(n, x))
	}
	var cdf float64
	switch {
	case nx2 >= 18:
		cdf = 1
	case n <= 100000 && fn*math.Pow(x, 1.5) <= 1.4:
		cdf = kolmognDMTW(n, x)
	default:
		cdf = kolmognPelzGood(n, x)
	}
	return clamp01(1 - cdf)
}

// logNFactorialDivNPowN is log(n!/n^n) by Stirling's series.
func logNFactorialDivNPowN(n float64) float64 {
	coeffs := [...]float64{-2.955065359477124183e-2, 6.4102564102564102564e-3,
		-1.9175269175269175269e-3, 8.4175084175084175084e-4,
		-5.952380952380952381e-4, 7.9365079365079365079e-4,
		-2.7777777777777777778e-3, 8.3333333333333333333e-2}
	rn := 1 / n
	var poly float64
	for _, c := range coeffs {
		poly = poly*(rn/n) + c
	}
	return math.Log(n)/2 - n + math.Log(2*math.Pi)/2 + rn*poly
}

// smirnovSF returns the one-sided P(D_n+ ≥ x) by the Birnbaum-Tingey sum
//
//	x · Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (1 − x − j/n)^(n−j) (x + j/n)^(j−1),
//
// whose terms are all positive, summed in log space (scipy calls cephes'
// smirnov, which sums the same series in double-double arithmetic).
func smirnovSF(n int, x float64) float64 {
	if x <= 0 {
		return 1
	}
	if x >= 1 {
		return 0
	}
	fn := float64(n)
	nx := fn * x
	jmax := int(math.Floor(fn - nx))
	lgn, _ := math.Lgamma(fn + 1)
	logx := math.Log(x)
	var sum, comp float64 // Kahan summation
	for j := 0; j <= jmax; j++ {
		fj := float64(j)
		lgj, _ := math.Lgamma(fj + 1)
		lgnj, _ := math.Lgamma(fn - fj + 1)
		lt := lgn - lgj - lgnj + logx
		if n-j > 0 {
			base := (fn - fj - nx) / fn
			if base <= 0 {
				continue
			}
			lt += (fn - fj) * math.Log(base)
		}
		lt += (fj - 1) * math.Log((nx+fj)/fn)
		term := math.Exp(lt)
		yk := term - comp
		tk := sum + yk
		comp = (tk - sum) - yk
		sum = tk
	}
	return sum
}

// kolmognDMTW returns P(D_n ≤ d) by the Durbin matrix method as
// implemented by Marsaglia, Tsang & Wang (2003).
func kolmognDMTW(n int, d float64) float64 {
	if d >= 1 {
		return 1
	}
	nd := float64(n) * d
	if nd <= 0.5 {
		return 0
	}
	k := int(math.Ceil(nd))
	h := float64(k) - nd
	m := 2*k - 1
	H := make([]float64, m*m)
	v := make([]float64, m)
	w := make([]float64, m)
	fac := 1.0
	for j := 1; j <= m; j++ {
		w[j-1] = fac
		fac /= float64(j)
		v[j-1] = (1 - math.Pow(h, float64(j))) * fac
	}
	tt := math.Pow(math.Max(2*h-1, 0), float64(m)) - 2*math.Pow(h, float64(m))
	v[m-1] = (1 + tt) * fac
	for i := 1; i < m; i++ {
		for r := i - 1; r < m; r++ {
			H[r*m+i] = w[r-i+1]
		}
	}
	for r := range m {
		H[r*m] = v[r]
	}
	for c := range m {
		H[(m-1)*m+c] = v[m-1-c]
	}
	P := make([]float64, m*m)
	for i := range m {
		P[i*m+i] = 1
	}
	tmp := make([]float64, m*m)
	matmul := func(dst, a, b []float64) {
		for i := range dst {
			dst[i] = 0
		}
		for i := range m {
			for l := range m {
				ail := a[i*m+l]
				if ail == 0 {
					continue
				}
				row := b[l*m : l*m+m]
				out := dst[i*m : i*m+m]
				for j, bv := range row {
					out[j] += ail * bv
				}
			}
		}
	}
	expnt, hexpnt := 0, 0
	for nn := n; nn > 0; nn /= 2 {
		if nn%2 == 1 {
			matmul(tmp, P, H)
			P, tmp = tmp, P
			expnt += hexpnt
		}
		matmul(tmp, H, H)
		H, tmp = tmp, H
		hexpnt *= 2
		if math.Abs(H[(k-1)*m+k-1]) > ks2p128 {
			for i := range H {
				H[i] /= ks2p128
			}
			hexpnt += 128
		}
	}
	p := P[(k-1)*m+k-1]
	for i := 1; i <= n; i++ {
		p = float64(i) * p / float64(n)
		if math.Abs(p) < ks2m128 {
			p *= ks2p128
			expnt -= 128
		}
	}
	if expnt != 0 {
		p = math.Ldexp(p, expnt)
	}
	return clamp01(p)
}

// kolmognPomeranz returns P(D_n ≤ x) by Pomeranz's recursion (1974).
func kolmognPomeranz(n int, x float64) float64 {
	fn := float64(n)
	t := fn * x
	ll := int(math.Floor(t))
	f := t - float64(ll)
	g := math.Min(f, 1-f)
	ceilf, roundf := 0, 0
	if f > 0 {
		ceilf = 1
	}
	if f > 0.5 {
		roundf = 1
	}
	npwrs := 2 * (ll + 1)
	gpower := make([]float64, npwrs)
	twogpower := make([]float64, npwrs)
	onem2gpower := make([]float64, npwrs)
	gpower[0], twogpower[0], onem2gpower[0] = 1, 1, 1
	gn, twogn, onem2gn := g/fn, 2*g/fn, (1-2*g)/fn
	for m := 1; m < npwrs; m++ {
		gpower[m] = gpower[m-1] * gn / float64(m)
		twogpower[m] = twogpower[m-1] * twogn / float64(m)
		onem2gpower[m] = onem2gpower[m-1] * onem2gn / float64(m)
	}
	V0 := make([]float64, npwrs)
	V1 := make([]float64, npwrs)
	V1[0] = 1
	V0s, V1s := 0, 0
	expnt := 0
	j1, j2 := pomeranzJ1J2(0, n, ll, ceilf, roundf)
	for i := 1; i < 2*n+2; i++ {
		k1 := j1
		V0, V1 = V1, V0
		V0s, V1s = V1s, V0s
		for c := range V1 {
			V1[c] = 0
		}
		j1, j2 = pomeranzJ1J2(i, n, ll, ceilf, roundf)
		var pwrs []float64
		switch {
		case i == 1 || i == 2*n+1:
			pwrs = gpower
		case i%2 == 1:
			pwrs = twogpower
		default:
			pwrs = onem2gpower
		}
		ln2 := j2 - k1 + 1
		if ln2 > 0 {
			// conv = np.convolve(V0[k1−V0s : k1−V0s+ln2], pwrs[:ln2]); keep
			// conv[j1−k1 : j1−k1+(j2−j1+1)].
			src := V0[k1-V0s : k1-V0s+ln2]
			start, length := j1-k1, j2-j1+1
			maxv := 0.0
			for c := range length {
				idx := start + c
				var sum float64
				for a := max(0, idx-ln2+1); a <= min(idx, ln2-1); a++ {
					sum += src[a] * pwrs[idx-a]
				}
				V1[c] = sum
				maxv = math.Max(maxv, sum)
			}
			if maxv > 0 && maxv < ks2m128 {
				for c := range V1 {
					V1[c] *= ks2p128
				}
				expnt -= 128
			}
			V1s = V0s + j1 - k1
		}
	}
	ans := V1[n-V1s]
	for m := 1; m <= n; m++ {
		if math.Abs(ans) > ks2p128 {
			ans *= ks2m128
			expnt += 128
		}
		ans *= float64(m)
	}
	if expnt != 0 {
		ans = math.Ldexp(ans, expnt)
	}
	return clamp01(ans)
}

func pomeranzJ1J2(i, n, ll, ceilf, roundf int) (int, int) {
	var j1, j2 int
	if i == 0 {
		j1, j2 = -ll-ceilf-1, ll+ceilf-1
	} else {
		ip1div2, ip1mod2 := (i+1)/2, (i+1)%2
		if ip1mod2 == 0 { // i is odd
			if ip1div2 == n+1 {
				j1, j2 = n-ll-ceilf-1, n+ll+ceilf-1
			} else {
				j1, j2 = ip1div2-1-ll-roundf-1, ip1div2+ll-1+ceilf-1
			}
		} else {
			j1, j2 = ip1div2-1-ll-1, ip1div2+ll+roundf-1
		}
	}
	return max(j1+2, 0), min(j2, n)
}

// kolmognPelzGood returns the Pelz-Good approximation of P(D_n ≤ x).
func kolmognPelzGood(n int, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	fn := float64(n)
	z := math.Sqrt(fn) * x
	z2, z3, z4, z6 := z*z, z*z*z, z*z*z*z, math.Pow(z, 6)
	pi2, pi4, pi6 := math.Pi*math.Pi, math.Pow(math.Pi, 4), math.Pow(math.Pi, 6)
	qlog := -pi2 / 8 / z2
	if qlog < ksMinLog {
		return 0
	}
	q := math.Exp(qlog)
	k1a, k1b := -z2, pi2/4
	k2a := 6*z6 + 2*z4
	k2b := (2*z4 - 5*z2) * pi2 / 4
	k2c := pi4 * (1 - 2*z2) / 16
	k3d := pi6 * (5 - 30*z2) / 64
	k3c := pi4 * (-60*z2 + 212*z4) / 16
	k3b := pi2 * (135*z4 - 96*z6) / 4
	k3a := -30*z6 - 90*math.Pow(z, 8)
	var K [4]float64
	maxk := int(math.Ceil(16 * z / math.Pi))
	for k := maxk; k > 0; k-- {
		m := float64(2*k - 1)
		m2, m4, m6 := m*m, m*m*m*m, math.Pow(m, 6)
		qp := math.Pow(q, float64(8*k))
		c := [4]float64{1, k1a + k1b*m2, k2a + k2b*m2 + k2c*m4, k3a + k3b*m2 + k3c*m4 + k3d*m6}
		for i := range K {
			K[i] = K[i]*qp + c[i]
		}
	}
	sqrt2pi := math.Sqrt(2 * math.Pi)
	div := [4]float64{z, 6 * z4, 72 * math.Pow(z, 7), 6480 * math.Pow(z, 10)}
	for i := range K {
		K[i] = K[i] * q * sqrt2pi / div[i]
	}
	q = math.Exp(-pi2 / 2 / z2)
	var k2extra, k3extra float64
	sqrt3z := math.Sqrt(3) * z
	for k := maxk; k > 0; k-- {
		fk := float64(k)
		qp := math.Pow(q, fk*fk)
		k2extra += fk * fk * qp
		kspi := math.Pi * fk
		k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * fk * fk * qp
	}
	K[2] += k2extra * pi2 * sqrt2pi / (-36 * z3)
	K[3] += k3extra * pi2 * sqrt2pi / (216 * z6)
	var sum float64
	for i := range K {
		sum += K[i] / math.Pow(fn, float64(i)/2)
	}
	return sum
}
