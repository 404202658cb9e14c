package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestRun runs the example on the demo's embedded data (synthetic, from
// cmd/chaosstat/demodata/gen.go) and checks that the README shows exactly
// what it prints, so the example cannot rot. The numbers are the library's,
// checked by its own tests and by cmd/chaosstat's demo tests; here the
// findings the case study is about are checked too: the split invalid at 30
// minutes for downloads and Apdex, valid for availability.
func TestRun(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-data", "../../cmd/chaosstat/demodata"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := strings.Replace(stdout.String(), "../../cmd/chaosstat/demodata", "cmd/chaosstat/demodata", 1)
	for _, want := range []string{
		"downloads at 30m invalid",
		"availability at 30m valid",
		"apdex at 30m invalid",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```\n"+out+"```\n") {
		t.Errorf("README.md does not show the program's output; it prints:\n%s", out)
	}
}

func TestMissingData(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-data", t.TempDir()}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "scenario.json") {
		t.Errorf("exit %d, stderr %q: want 1 and the missing file named", code, stderr.String())
	}
}
