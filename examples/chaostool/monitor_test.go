package main

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"testing"
)

// The data: steadystate/monitor/testdata (seeded, its gen.go; README.md
// there): an hour of two groups' stream starts, the experiment 15% lower
// from 12:20, and two hours of an A/A split.
const monData = "../../steadystate/monitor/testdata/"

// TestMonitorMatchesCLI: chaostool monitor prints, byte for byte, the JSON
// lines of chaosstat monitor --format json with the same flags, and exits
// with the same code. The CLI is built from this module.
func TestMonitorMatchesCLI(t *testing.T) {
	cli := filepath.Join(t.TempDir(), "chaosstat")
	build := exec.Command("go", "build", "-o", cli, "github.com/chaosstat/chaosstat/cmd/chaosstat")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the CLI: %v\n%s", err, out)
	}
	files := func(variant string) []string {
		return []string{"--control", monData + variant + "_control.csv", "--experiment", monData + variant + "_experiment.csv"}
	}
	for _, c := range []struct {
		name, reason string
		args         []string
		code         int
	}{
		{"drop", "the issue's case: two files, the CLI's defaults; the test stops the drop", files("drop"), 1},
		{"drop decrease", "one-sided: the restarted test stops it a minute earlier", append(files("drop"), "--direction", "decrease"), 1},
		{"gap", "the experiment's rows end at 12:29: silent for longer than the gap allowed, a stop", []string{"--control", monData + "aa_control.csv", "--experiment", monData + "gap_experiment.csv"}, 1},
		{"aa", "two hours of A/A: every look continues, exit 0", files("aa"), 0},
		{"no data", "a control file without rows: inconclusive, exit 3, never a pass", []string{"--control", "../../cmd/chaosstat/testdata/header_only.csv", "--experiment", monData + "aa_experiment.csv"}, 3},
	} {
		var want bytes.Buffer
		cmd := exec.Command(cli, append([]string{"monitor", "--format", "json"}, c.args...)...)
		cmd.Stdout = &want
		code := 0
		if err := cmd.Run(); err != nil {
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("%s: %v", c.name, err)
			}
			code = exit.ExitCode()
		}
		var got, stderr bytes.Buffer
		gotCode := runMonitor(c.args, &got, &stderr)
		if got.String() != want.String() {
			t.Errorf("%s (%s): chaostool printed\n%s\nchaosstat printed\n%s", c.name, c.reason, got.String(), want.String())
		}
		if gotCode != code || code != c.code {
			t.Errorf("%s: chaostool exit %d, chaosstat %d, want %d; stderr %s", c.name, gotCode, code, c.code, stderr.String())
		}
		if want.Len() == 0 && c.code != 3 {
			t.Errorf("%s: no output to compare", c.name)
		}
	}
}
