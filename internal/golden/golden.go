// Package golden reads the transcripts that cmd/chaosstat's tests keep in
// cmd/chaosstat/testdata/golden, so that a library test can check that a
// report writes exactly the bytes the command prints.
//
// A transcript is the case's reason and command line, then sections headed
// "-- exit --", "-- stdout --" and "-- stderr --".
package golden

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Stdout returns the standard output recorded in the golden file of case
// name, cmd/chaosstat/testdata/golden/NAME.golden under the module root
// root (a relative path from the test's package, such as "../..").
func Stdout(root, name string) (string, error) {
	path := filepath.Join(root, "cmd", "chaosstat", "testdata", "golden", name+".golden")
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	_, rest, ok := strings.Cut(string(b), "\n-- stdout --\n")
	if !ok {
		return "", fmt.Errorf("%s: no stdout section", path)
	}
	out, _, ok := strings.Cut(rest, "-- stderr --\n")
	if !ok {
		return "", fmt.Errorf("%s: no stderr section after stdout", path)
	}
	return out, nil
}

// TB is the part of testing.TB that Check uses.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// Check writes with write and reports an error on t unless the bytes are
// the standard output of case name (see Stdout).
func Check(t TB, root, name string, write func(io.Writer) error) {
	t.Helper()
	want, err := Stdout(root, name)
	if err != nil {
		t.Errorf("%v", err)
		return
	}
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Errorf("writing: %v", err)
		return
	}
	if b.String() != want {
		t.Errorf("output differs from golden file %s\n--- got:\n%s--- want:\n%s", name, b.String(), want)
	}
}
