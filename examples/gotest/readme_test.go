package gotest

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/chaosstattest"
	"github.com/chaosstat/chaosstat/series"
)

// This file is not part of the example: it keeps README.md honest. The
// README shows the failure the hypothesis test gives when the experiment's
// downloads are cut by 10% (its awk command rounds v*0.9 half up); this test
// makes that cut in a copy of testdata, runs the assertion with a recorder
// in place of t, and checks that the README's block is what it reports.

type recorder struct{ msgs []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func TestREADMEFailure(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"hypothesis.yaml", "run/downloads-control.csv", "run/availability-control.csv",
		"run/availability-experiment.csv", "run/apdex-control.csv", "run/apdex-experiment.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cut := read(t, "testdata/run/downloads-experiment.csv")
	for i, v := range cut.V {
		cut.V[i] = math.Floor(v*0.9 + 0.5) // awk's int($2*0.9+0.5)
	}
	f, err := os.Create(filepath.Join(dir, "run/downloads-experiment.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := series.WriteCSV(f, cut); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	r := &recorder{}
	if chaosstattest.HypothesisFileHolds(r, filepath.Join(dir, "hypothesis.yaml")) || len(r.msgs) != 1 {
		t.Fatalf("a 10%% cut in downloads: held, or not one failure: %q", r.msgs)
	}
	got := strings.ReplaceAll(r.msgs[0], dir+string(filepath.Separator), "testdata/")

	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	// The README's lines of the message: between "--- FAIL" and "...",
	// indented by the test's eight spaces; the first carries the file:line.
	var want []string
	in := false
	for _, line := range strings.Split(string(readme), "\n") {
		switch {
		case strings.HasPrefix(line, "--- FAIL: TestInstanceLossHypothesisHolds"):
			in = true
		case in && strings.TrimSpace(line) == "...":
			in = false
		case in:
			line = strings.TrimPrefix(line, "    instance_loss_test.go:32: ")
			want = append(want, strings.TrimPrefix(line, "        "))
		}
	}
	// The line the README names is the assertion's line in the test.
	src, err := os.ReadFile("instance_loss_test.go")
	if err != nil {
		t.Fatal(err)
	}
	if l := strings.Split(string(src), "\n"); len(l) < 32 || !strings.Contains(l[31], "chaosstattest.HypothesisFileHolds(t,") {
		t.Errorf("README.md names instance_loss_test.go:32, which is not the HypothesisFileHolds line any more")
	}
	if len(want) < 10 {
		t.Fatalf("README.md: found %d lines of the failure block", len(want))
	}
	gotLines := strings.Split(got, "\n")
	for i, w := range want {
		if i >= len(gotLines) || strings.TrimRight(gotLines[i], " ") != w {
			g := "(nothing)"
			if i < len(gotLines) {
				g = gotLines[i]
			}
			t.Errorf("README.md failure block line %d:\n  README: %q\n  actual: %q", i+1, w, g)
		}
	}
}
