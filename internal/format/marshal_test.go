package format

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

// report stands for a library report whose MarshalJSON uses Marshal.
type report struct{ Reason string }

func (r report) MarshalJSON() ([]byte, error) {
	return Marshal(struct {
		Reason string `json:"reason"`
		N      Float  `json:"n"`
	}{r.Reason, Float(0.5)})
}

// TestMarshal checks that a reason's "<" reaches WriteJSON's output as is:
// json.Marshal would have written \u003c, which WriteJSON keeps.
func TestMarshal(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, report{Reason: "p = 0.01 < alpha 0.05 & more"}); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"reason\": \"p = 0.01 < alpha 0.05 & more\",\n  \"n\": 0.5\n}\n"
	if got := b.String(); got != want {
		t.Errorf("WriteJSON of a Marshal report:\n%s\nwant\n%s", got, want)
	}
	raw, err := Marshal([]string{"a"})
	if err != nil || strings.HasSuffix(string(raw), "\n") {
		t.Errorf("Marshal = %q, %v: want no trailing newline", raw, err)
	}
}

// TestDuration checks the JSON of window lengths as the A/A report writes
// them (cmd/chaosstat/testdata/golden/aa_wandering4w_24h_json.golden:
// "24h0m0s"; aa_mismatch_json.golden: "planned_window": "30m0s",
// "recommended_window": null).
func TestDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{30 * time.Minute, `"30m0s"`},
		{24 * time.Hour, `"24h0m0s"`},
		{0, "null"},
	} {
		got, err := Duration(c.d).MarshalJSON()
		if err != nil || string(got) != c.want {
			t.Errorf("Duration(%v) = %s, %v; want %s", c.d, got, err, c.want)
		}
	}
}

// TestMarshalCompact: a report's MarshalJSON keeps ">=" and "<" as they are (what
// WriteJSON writes), compact and without a final newline, like
// json.Marshal.
func TestMarshalCompact(t *testing.T) {
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
