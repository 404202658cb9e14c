package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// cli is the chaosstat binary built from this repository, once for all
// the tests of the package (each command's test compares with it).
var cli struct {
	once      sync.Once
	dir, path string
	err       error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if cli.dir != "" {
		os.RemoveAll(cli.dir)
	}
	os.Exit(code)
}

// chaosstat returns the path of the CLI, building it the first time.
func chaosstat(t *testing.T) string {
	t.Helper()
	cli.once.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		if cli.dir, cli.err = os.MkdirTemp("", "chaostool-test"); cli.err != nil {
			return
		}
		cli.path = filepath.Join(cli.dir, "chaosstat")
		if out, err := exec.Command(goBin, "build", "-o", cli.path, "github.com/chaosstat/chaosstat/cmd/chaosstat").CombinedOutput(); err != nil {
			cli.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if cli.err != nil {
		t.Fatal(cli.err)
	}
	return cli.path
}

// TestJudgeSameAsCLI runs chaostool judge in-process and chaosstat judge
// --format json as a process on the same hypothesis files, from the same
// folder: the same bytes on stdout and the same exit code, for each
// outcome and for bad input.
func TestJudgeSameAsCLI(t *testing.T) {
	bin := chaosstat(t)
	for _, c := range []struct {
		name, reason, hypothesis string
		code                     int
	}{
		{"example", "the README's command: a critical metric high, disproved",
			"../hypothesis/hypothesis.yaml", 1},
		{"held", "the example's metrics that held",
			"../../cmd/chaosstat/testdata/judge/held.yaml", 0},
		{"nodata", "an empty file and an all-missing one: inconclusive, never held",
			"../../cmd/chaosstat/testdata/judge/nodata.yaml", 3},
		{"missing data file", "bad input: exit 2 and nothing on stdout (the messages differ by the program's name)",
			"../../cmd/chaosstat/testdata/judge/missing_file.yaml", 2},
		{"query", "a PromQL source, which needs a server neither is given",
			"../../cmd/chaosstat/testdata/judge/query.yaml", 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run([]string{"judge", c.hypothesis}, &stdout, &stderr)

			cmd := exec.Command(bin, "judge", "--hypothesis", c.hypothesis, "--format", "json")
			var cliOut, cliErr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &cliOut, &cliErr
			cliCode := 0
			var exit *exec.ExitError
			if err := cmd.Run(); errors.As(err, &exit) {
				cliCode = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}

			if code != c.code || cliCode != c.code {
				t.Errorf("exit %d, chaosstat's %d, want %d (%s)\n%s%s", code, cliCode, c.code, c.reason, stderr.String(), cliErr.String())
			}
			if !bytes.Equal(stdout.Bytes(), cliOut.Bytes()) {
				t.Errorf("stdout differs from chaosstat's (%s):\n%s\nchaosstat:\n%s", c.reason, stdout.String(), cliOut.String())
			}
			if (c.code == 2) != (stdout.Len() == 0) {
				t.Errorf("%d bytes on stdout with exit %d", stdout.Len(), code)
			}
		})
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"nosuch"}, {"judge"}, {"judge", "a.yaml", "b.yaml"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 || stdout.Len() != 0 || stderr.Len() == 0 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and a usage on stderr", args, code, stdout.String(), stderr.String())
		}
	}
}
