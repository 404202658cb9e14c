package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/workflow"
)

// Golden cases of the demo. Its data is embedded (demodata/, synthetic,
// written by demodata/gen.go), so the whole report is a golden file: a
// change in any step's numbers shows in the diff.
func init() {
	cliCases = append(cliCases, demoCases...)
}

var demoCases = []cliCase{
	{
		name:   "demo_text",
		reason: "the README's first command: the six steps narrated, exit 0",
		args:   []string{"demo"},
		code:   exitOK,
	},
	{
		name:   "demo_assumptions_text",
		reason: "the flags replace the scenario's assumptions: the cost and the budget change, nothing else",
		args:   []string{"demo", "--unit-revenue", "0.5", "--engineering-hours", "8", "--hourly-cost", "120", "--slo", "0.999"},
		code:   exitOK,
	},
	{
		name:   "demo_help",
		reason: "-h prints the usage on stdout, exit 0",
		args:   []string{"demo", "-h"},
		code:   exitOK,
	},
	{
		name:   "demo_slo_percent",
		reason: "an SLO given as a percentage is a usage error naming the flag",
		args:   []string{"demo", "--slo", "99.95"},
		code:   exitUsage,
	},
	{
		name:   "demo_negative_revenue",
		reason: "a negative revenue is a usage error",
		args:   []string{"demo", "--unit-revenue", "-1"},
		code:   exitUsage,
	},
	{
		name:   "demo_argument",
		reason: "the demo takes no file: a positional argument is a usage error",
		args:   []string{"demo", "data.csv"},
		code:   exitUsage,
	},
}

// demoRun runs the demo in-process (once for the same arguments: runOnce)
// and returns stdout, stderr and the code.
func demoRun(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	r := runOnce(t, append([]string{"demo"}, args...), "")
	return r.stdout, r.stderr, r.code
}

// TestDemoSixSteps checks what the issue asks of the demo: it exits 0,
// prints the six steps in order, and its A/A step reports the split invalid
// at 30 minutes for the noisy metrics (downloads, Apdex) and valid for
// availability, which the split does not move (workflow's TestRunDemo
// checks the same on the report).
func TestDemoSixSteps(t *testing.T) {
	t.Parallel()
	out, errOut, code := demoRun(t)
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	at := 0
	for i := 1; i <= 6; i++ {
		h := "== Step " + string(rune('0'+i)) + " of 6: "
		j := strings.Index(out[at:], h)
		if j < 0 {
			t.Fatalf("step %d's heading %q missing or out of order", i, h)
		}
		at += j + len(h)
	}
	for _, want := range []string{
		"downloads    INVALID",
		"availability VALID",
		"apdex        INVALID",
		"SYNTHETIC",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}

}

// TestDemoOut checks --out: every step's JSON is valid JSON, every figure
// well-formed SVG, and the JSON of the A/A step carries the 30m verdicts.
func TestDemoOut(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	out, errOut, code := demoRun(t, "--out", dir)
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var nJSON, nSVG int
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(f.Name()) {
		case ".json":
			nJSON++
			var v map[string]any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Errorf("%s: not a JSON object: %v", f.Name(), err)
			}
		case ".svg":
			nSVG++
			if err := demoCheckSVG(b); err != nil {
				t.Errorf("%s: %v", f.Name(), err)
			}
		default:
			t.Errorf("unexpected file %s", f.Name())
		}
		if !strings.Contains(out, f.Name()) {
			t.Errorf("the report does not name %s among the files written", f.Name())
		}
	}
	// 10 JSON: criteria, 3 A/A, baseline, judge, 3 monitors, cost;
	// 11 SVG: the same steps but the cost, the judge one per metric.
	if nJSON != 10 || nSVG != 11 {
		t.Errorf("%d JSON and %d SVG files, want 10 and 11", nJSON, nSVG)
	}
	for metric, want := range map[string]string{"downloads": "invalid", "apdex": "invalid", "availability": "valid"} {
		var aa aaJSONTest
		b, _ := os.ReadFile(filepath.Join(dir, "2-aa-"+metric+".json"))
		if err := json.Unmarshal(b, &aa); err != nil {
			t.Fatal(err)
		}
		if aa.PlannedWindow != "30m0s" || aa.Status != want {
			t.Errorf("2-aa-%s.json: planned %q status %q, want 30m0s %s", metric, aa.PlannedWindow, aa.Status, want)
		}
	}
}

type aaJSONTest struct {
	PlannedWindow string `json:"planned_window"`
	Status        string `json:"status"`
}

// demoCheckSVG parses an SVG document to its end with encoding/xml and
// checks that its root is <svg>.
func demoCheckSVG(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		return errors.New("root element " + root + ", want svg")
	}
	return nil
}

// TestDemoJSON checks --format json: one valid document with every step.
func TestDemoJSON(t *testing.T) {
	t.Parallel()
	out, errOut, code := demoRun(t, "--format", "json")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var v map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not one JSON document: %v", err)
	}
	for _, k := range []string{"synthetic", "judge_window", "criteria", "aa_downloads", "aa_availability", "aa_apdex", "baseline", "judge",
		"monitor_downloads", "monitor_availability", "monitor_apdex", "cost"} {
		if _, ok := v[k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	var cost map[string]any
	if err := json.Unmarshal(v["cost"], &cost); err != nil {
		t.Fatal(err)
	}
	// 99.95% over 30 days: 21.6 minutes of budget.
	if m, _ := cost["budget_minutes"].(float64); math.Abs(m-21.6) > 1e-9 {
		t.Errorf("budget_minutes %v, want 21.6", cost["budget_minutes"])
	}
}

func BenchmarkDemo(b *testing.B) {
	for b.Loop() {
		in, err := loadDemo()
		if err != nil {
			b.Fatal(err)
		}
		r, err := workflow.Run(in)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.WriteStory(io.Discard, &in, in.Assumptions.SLO); err != nil {
			b.Fatal(err)
		}
	}
}
