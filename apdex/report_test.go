package apdex

import (
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/internal/golden"
)

// readCmdCSV reads a request file of cmd/chaosstat/testdata, where the
// command's golden cases keep them.
func readCmdCSV(t *testing.T, name string) []Sample {
	t.Helper()
	f, err := os.Open("../cmd/chaosstat/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	samples, _, err := ReadCSV(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return samples
}

// TestReportWritesCommandOutput checks that a Report gives the bytes
// `chaosstat apdex` prints: the expected output is each case's golden
// file, whose command line the case repeats with the library's arguments.
// The report is named by the path the command was given.
func TestReportWritesCommandOutput(t *testing.T) {
	for _, c := range []struct {
		golden, file string
		th           Thresholds
		window       time.Duration
		json, csv    bool
	}{
		{"apdex_small_text", "apdex_small.csv", Thresholds{T: 0.5}, 0, false, false},
		{"apdex_small_json", "apdex_small.csv", Thresholds{T: 0.5}, 0, true, false},
		{"apdex_small_frustrated", "apdex_small.csv", Thresholds{T: 0.5, F: 3}, 0, false, false},
		{"apdex_timed_text", "apdex_timed.csv", Thresholds{T: 0.5}, 0, false, false},
		{"apdex_window_text", "apdex_timed.csv", Thresholds{T: 0.5}, time.Minute, false, false},
		{"apdex_window_json", "apdex_timed.csv", Thresholds{T: 0.5}, time.Minute, true, false},
		{"apdex_window_5m", "apdex_timed.csv", Thresholds{T: 0.5}, 5 * time.Minute, false, false},
		{"apdex_window_csv", "apdex_timed.csv", Thresholds{T: 0.5}, time.Minute, false, true},
	} {
		t.Run(c.golden, func(t *testing.T) {
			r, err := NewReport(readCmdCSV(t, c.file), c.th, c.window)
			if err != nil {
				t.Fatal(err)
			}
			r.Name = "testdata/" + c.file
			write := r.WriteText
			if c.json {
				write = r.WriteJSON
			}
			if c.csv {
				write = r.WriteCSV
			}
			golden.Check(t, "..", c.golden, write)
		})
	}
}

// TestScoreMarshalJSON checks the JSON of a score counted by hand: mix
// gives 5 satisfied, 4 tolerating, 2 frustrated and 2 failed requests for
// T = 0.5, so (5 + 4/2)/13 = 7/13 = 0.538..., rounded 0.54, rated Poor
// (0.50 to 0.69), from a small group (13 < 100); F = 4T = 2. An empty
// window is NS: null score, rating "NS".
func TestScoreMarshalJSON(t *testing.T) {
	s, err := FromSamples(mix(5, 4, 2, 2), Thresholds{T: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	score := strconv.FormatFloat(float64(7)/13, 'g', -1, 64) // encoding/json writes the shortest form too
	want := `{"score":` + score + `,"rounded":0.54,"notation":"0.54* [0.5]","rating":"Poor",` +
		`"satisfied":5,"tolerating":4,"frustrated":4,"errors":2,"total":13,"threshold":0.5,"frustration":2,"small_sample":true}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}

	ns := Window{Start: 1700000040000, Score: newScore(Thresholds{T: 0.5}, 0, 0, 0, 0)}
	b, err = json.Marshal(ns)
	if err != nil {
		t.Fatal(err)
	}
	want = `{"timestamp":"2023-11-14T22:14:00Z","score":null,"rounded":null,"notation":"NS [0.5]","rating":"NS",` +
		`"satisfied":0,"tolerating":0,"frustrated":0,"errors":0,"total":0,"threshold":0.5,"frustration":2,"small_sample":false}`
	if string(b) != want {
		t.Errorf("NS window:\ngot  %s\nwant %s", b, want)
	}
}

// TestNewReport checks what NewReport scores and the errors it passes on.
func TestNewReport(t *testing.T) {
	// Two requests a minute apart: two windows of one request each.
	samples := []Sample{{Duration: 0.1, Time: 0}, {Duration: 5, Time: 60_000}}
	r, err := NewReport(samples, Thresholds{T: 0.5}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if r.Overall.Total != 2 || r.Overall.Value != 0.5 || len(r.Windows) != 2 || r.Windows[0].Value != 1 || r.Windows[1].Value != 0 {
		t.Errorf("overall %v, windows %v; want 1 of 2 satisfied, windows 1 and 0", r.Overall, r.Windows)
	}
	r, err = NewReport(samples, Thresholds{T: 0.5}, 0)
	if err != nil || r.Windows != nil || r.Overall.Total != 2 {
		t.Errorf("without windows: %+v, %v; want the overall score alone", r, err)
	}
	for _, c := range []struct {
		name    string
		samples []Sample
		window  time.Duration
		want    error
	}{
		{"no samples", nil, 0, ErrNoSamples},
		{"no samples, windows", nil, time.Minute, ErrNoSamples},
		{"negative duration", []Sample{{Duration: -1}}, 0, nil},
		{"window not whole milliseconds", samples, time.Microsecond, nil},
	} {
		_, err := NewReport(c.samples, Thresholds{T: 0.5}, c.window)
		if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: error %v, want one (wrapping %v)", c.name, err, c.want)
		}
	}
}

// TestWriteCSVWithoutWindows checks that a report of one group, which has
// no series of window scores, is an error and writes nothing.
func TestWriteCSVWithoutWindows(t *testing.T) {
	r, err := NewReport([]Sample{{Duration: 0.1}}, Thresholds{T: 0.5}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := r.WriteCSV(&b); err == nil || b.Len() != 0 {
		t.Errorf("WriteCSV without windows: error %v, wrote %q; want an error and nothing", err, b.String())
	}
}

// TestCheckWindow: windows need timed requests; without windows the
// times do not matter. The command and the server both refuse with this
// error (their goldens and server_test's apdex_window_untimed).
func TestCheckWindow(t *testing.T) {
	for _, c := range []struct {
		window time.Duration
		timed  bool
		want   error
	}{
		{0, false, nil},
		{0, true, nil},
		{time.Minute, true, nil},
		{time.Minute, false, ErrUntimed},
	} {
		if got := CheckWindow(c.window, c.timed); !errors.Is(got, c.want) || (c.want == nil) != (got == nil) {
			t.Errorf("CheckWindow(%v, %v) = %v, want %v", c.window, c.timed, got, c.want)
		}
	}
}
