package compare_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/approx"
)

// padjustTol is the relative tolerance against R: jsonlite writes 15
// significant digits, and Adjust does the same multiplications as p.adjust.
const padjustTol = 1e-13

// TestAdjustAgainstR checks Adjust against R 4.2.2's p.adjust on the named
// cases of testdata/padjust_r.json, written by testdata/gen_padjust.R (each
// case says why it exists).
func TestAdjustAgainstR(t *testing.T) {
	b, err := os.ReadFile("testdata/padjust_r.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		R     string `json:"r"`
		Cases []struct {
			Name   string   `json:"name"`
			Reason string   `json:"reason"`
			P      []refNum `json:"p"`
			Holm   []refNum `json:"holm"`
			BH     []refNum `json:"bh"`
			None   []refNum `json:"none"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ref.R, "4.2.2") {
		t.Errorf("reference file from %q, want R 4.2.2", ref.R)
	}
	if len(ref.Cases) < 12 {
		t.Fatalf("%d reference cases, want the 12 gen_padjust.R writes", len(ref.Cases))
	}
	floats := func(r []refNum) []float64 {
		out := make([]float64, len(r))
		for i, v := range r {
			out[i] = v.f()
		}
		return out
	}
	for _, c := range ref.Cases {
		t.Run(c.Name, func(t *testing.T) {
			p := floats(c.P)
			orig := slices.Clone(p)
			for _, m := range []struct {
				c    compare.Correction
				want []refNum
			}{{compare.Holm, c.Holm}, {compare.BenjaminiHochberg, c.BH}, {compare.NoCorrection, c.None}} {
				got := compare.Adjust(p, m.c)
				if len(got) != len(m.want) {
					t.Fatalf("%v: %d values, want %d (%s)", m.c, len(got), len(m.want), c.Reason)
				}
				for i := range got {
					approx.Close(t, m.c.String()+" ["+c.Name+"]", got[i], m.want[i].f(), padjustTol, 0)
				}
			}
			for i := range p {
				if !approx.Equal(p[i], orig[i], 0, 0) {
					t.Fatalf("Adjust modified its input: p[%d] = %v, was %v", i, p[i], orig[i])
				}
			}
		})
	}
}

// TestAdjustProperties checks, on random inputs, what any correct
// adjustment satisfies: p ≤ adjusted ≤ 1, the order of the p-values is kept,
// Holm is at least as large as BH (FWER control is stricter than FDR), and
// NaN stays NaN in place.
func TestAdjustProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for rep := range 500 {
		n := 1 + r.IntN(30)
		p := make([]float64, n)
		for i := range p {
			switch r.IntN(10) {
			case 0:
				p[i] = math.NaN()
			case 1:
				p[i] = p[r.IntN(i+1)] // a tie (or a NaN) with an earlier value
			default:
				p[i] = math.Pow(r.Float64(), 3)
			}
		}
		holm := compare.Adjust(p, compare.Holm)
		bh := compare.Adjust(p, compare.BenjaminiHochberg)
		for i := range p {
			if math.IsNaN(p[i]) {
				if !math.IsNaN(holm[i]) || !math.IsNaN(bh[i]) {
					t.Fatalf("rep %d: NaN p[%d] adjusted to %v (holm), %v (bh)", rep, i, holm[i], bh[i])
				}
				continue
			}
			for _, a := range []float64{holm[i], bh[i]} {
				if a < p[i] || a > 1 {
					t.Fatalf("rep %d: p[%d] = %v adjusted to %v, outside [p, 1]", rep, i, p[i], a)
				}
			}
			if holm[i] < bh[i] {
				t.Fatalf("rep %d: holm %v < bh %v for p %v", rep, holm[i], bh[i], p[i])
			}
			for j := range p {
				if p[j] <= p[i] && (holm[j] > holm[i] || bh[j] > bh[i]) {
					t.Fatalf("rep %d: p[%d]=%v <= p[%d]=%v but adjusted order reversed", rep, j, p[j], i, p[i])
				}
			}
		}
	}
}

func TestAdjustPanicsOnNonPValue(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    []float64
		c    compare.Correction
	}{
		{"negative", []float64{0.1, -0.01}, compare.Holm},
		{"above one", []float64{1.5, 0.2}, compare.BenjaminiHochberg},
		{"infinity", []float64{math.Inf(1), 0.2}, compare.NoCorrection},
		{"bad correction", []float64{0.1, 0.2}, compare.Correction(7)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Adjust(%v, %v) did not panic", tc.p, tc.c)
				}
			}()
			compare.Adjust(tc.p, tc.c)
		})
	}
}

func TestParseCorrection(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want compare.Correction
	}{
		{"holm", compare.Holm}, {"Holm", compare.Holm},
		{"bh", compare.BenjaminiHochberg}, {"BH", compare.BenjaminiHochberg},
		{"benjamini-hochberg", compare.BenjaminiHochberg}, {"fdr", compare.BenjaminiHochberg},
		{"none", compare.NoCorrection},
	} {
		got, err := compare.ParseCorrection(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseCorrection(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "hom", "bonferroni", "holm "} {
		if _, err := compare.ParseCorrection(bad); err == nil || !strings.Contains(err.Error(), "want holm") {
			t.Errorf("ParseCorrection(%q) error = %v, want one listing the choices", bad, err)
		}
	}
	if compare.DefaultCorrection != compare.Holm || compare.Correction(0) != compare.Holm {
		t.Errorf("the default and the zero value must be Holm")
	}
	// Text round trip, the way a YAML or JSON field uses it.
	for _, c := range []compare.Correction{compare.Holm, compare.BenjaminiHochberg, compare.NoCorrection} {
		b, err := c.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back compare.Correction
		if err := back.UnmarshalText(b); err != nil || back != c {
			t.Errorf("round trip of %v via %q gave %v, %v", c, b, back, err)
		}
	}
	if _, err := compare.Correction(9).MarshalText(); err == nil {
		t.Errorf("MarshalText of an invalid correction succeeded")
	}
	var c compare.Correction = compare.NoCorrection
	if err := c.UnmarshalText([]byte("bonferroni")); err == nil || c != compare.NoCorrection {
		t.Errorf("UnmarshalText(bonferroni) = %v and left %v; want an error and no change", err, c)
	}
}
