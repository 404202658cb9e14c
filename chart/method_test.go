package chart_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/workflow"
)

// caseStudy is workflow.Run on the demo's case study, run once for the
// tests of Method.
var caseStudy struct {
	once sync.Once
	in   workflow.Inputs
	r    *workflow.Report
	err  error
}

func runCaseStudy(t *testing.T) (*workflow.Inputs, *workflow.Report) {
	t.Helper()
	caseStudy.once.Do(func() {
		caseStudy.in, caseStudy.err = workflow.ReadCaseStudy(os.DirFS("../cmd/chaosstat"), "demodata")
		if caseStudy.err == nil {
			caseStudy.r, caseStudy.err = workflow.Run(caseStudy.in)
		}
	})
	if caseStudy.err != nil {
		t.Fatal(caseStudy.err)
	}
	return &caseStudy.in, caseStudy.r
}

// TestMethod checks the figures of the case study: one per step but the
// cost, one per metric where a step has one per metric (its three metrics
// in scenario.json's order: downloads, availability, apdex; the judge step
// is there because the A/A replay finds a valid window, see workflow's
// TestRunDemo), each file written and named as returned, and the units
// given on the axes of their metric's figures only.
func TestMethod(t *testing.T) {
	in, r := runCaseStudy(t)
	dir := t.TempDir()
	names, err := chart.Method(dir, in, r, map[string]string{"downloads": "downloads/min"})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	want = append(want, "1-criteria.svg")
	for _, step := range []string{"2-aa-", "3-baseline", "4-judge-", "5-monitor-"} {
		if step == "3-baseline" {
			want = append(want, step+".svg")
			continue
		}
		for _, m := range []string{"downloads", "availability", "apdex"} {
			want = append(want, step+m+".svg")
		}
	}
	if !slices.Equal(names, want) {
		t.Fatalf("names:\n got %q\nwant %q", names, want)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(want) {
		t.Errorf("%d files in the directory, want the %d named", len(entries), len(want))
	}
	for file, unit := range map[string]bool{"4-judge-downloads.svg": true, "4-judge-availability.svg": false} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(b), "downloads/min"); got != unit {
			t.Errorf("%s: the unit downloads/min on an axis is %v, want %v", file, got, unit)
		}
	}
}

// TestMethodMissingDir checks that a directory that does not exist stops
// Method at the first figure, with an error naming its file.
func TestMethodMissingDir(t *testing.T) {
	in, r := runCaseStudy(t)
	names, err := chart.Method(filepath.Join(t.TempDir(), "missing"), in, r, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "1-criteria.svg: ") || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("error %v, want one naming 1-criteria.svg and the missing directory", err)
	}
	if len(names) != 0 {
		t.Errorf("names %q, want none", names)
	}
}
