package format

import (
	"math"
	"testing"
)

// TestMarshal: a report's MarshalJSON keeps ">=" and "<" as they are (what
// WriteJSON writes), compact and without a final newline, like
// json.Marshal.
func TestMarshal(t *testing.T) {
	b, err := Marshal(struct {
		Reason string `json:"reason"`
		P      Float  `json:"p"`
	}{"adjusted p = 1 >= alpha 0.05 & n < 8", Float(math.NaN())})
	want := `{"reason":"adjusted p = 1 >= alpha 0.05 & n < 8","p":null}`
	if err != nil || string(b) != want {
		t.Errorf("%s, %v; want %s", b, err, want)
	}
	if _, err := Marshal(math.Inf(1)); err == nil {
		t.Error("+Inf as a plain float64: no error")
	}
}
