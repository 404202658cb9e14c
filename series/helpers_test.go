package series

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"
)

// diff describes how got differs from want, or returns "" if they are the
// same: equal Name and Labels, T equal element by element (nil and empty
// both count as no timestamps only if want's T is nil and got's is too),
// and V equal bit for bit except that any NaN equals any NaN.
func diff(got, want Series) string {
	switch {
	case got.Name != want.Name:
		return fmt.Sprintf("Name = %q, want %q", got.Name, want.Name)
	case !maps.Equal(got.Labels, want.Labels):
		return fmt.Sprintf("Labels = %v, want %v", got.Labels, want.Labels)
	case (got.T == nil) != (want.T == nil):
		return fmt.Sprintf("T = %#v, want %#v", got.T, want.T)
	case !slices.Equal(got.T, want.T):
		return fmt.Sprintf("T = %v, want %v", got.T, want.T)
	case len(got.V) != len(want.V):
		return fmt.Sprintf("len(V) = %d, want %d: V = %v, want %v", len(got.V), len(want.V), got.V, want.V)
	}
	for i := range got.V {
		g, w := got.V[i], want.V[i]
		if math.IsNaN(g) && math.IsNaN(w) {
			continue
		}
		if math.Float64bits(g) != math.Float64bits(w) {
			return fmt.Sprintf("V[%d] = %v, want %v", i, g, w)
		}
	}
	return ""
}

// checkSyntaxError checks that err is a *SyntaxError whose text is want and
// that errors.Is(err, ErrEmpty) is wantEmpty.
func checkSyntaxError(t *testing.T, err error, want string, wantEmpty bool) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %q", want)
	}
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("error %q is a %T, want a *SyntaxError", err, err)
	}
	if err.Error() != want {
		t.Errorf("error:\n got %s\nwant %s", err, want)
	}
	if got := errors.Is(err, ErrEmpty); got != wantEmpty {
		t.Errorf("errors.Is(err, ErrEmpty) = %v, want %v", got, wantEmpty)
	}
}

var nan = math.NaN()

func posInf() float64 { return math.Inf(1) }
