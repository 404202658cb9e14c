package golden

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

// TestStdout reads a transcript whose standard output is known: the usage
// of `chaosstat apdex -h` starts with its usage line, and its stderr is
// empty, so the section ends where stderr's header starts.
func TestStdout(t *testing.T) {
	out, err := Stdout("../..", "apdex_help")
	if err != nil {
		t.Fatal(err)
	}
	const first = "usage: chaosstat apdex --threshold T [flags] FILE\n"
	if len(out) < len(first) || out[:len(first)] != first {
		t.Errorf("stdout starts %q, want %q", out[:min(len(out), len(first))], first)
	}
	if out[len(out)-1] != '\n' {
		t.Errorf("stdout ends %q, want a newline", out[len(out)-10:])
	}
	if _, err := Stdout("../..", "no_such_case"); err == nil {
		t.Error("a missing golden file gave no error")
	}
}

type recorder struct{ msgs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

// TestCheck checks a writer of the golden file's own stdout, which must
// pass, one byte fewer, which must not, and a writer that fails.
func TestCheck(t *testing.T) {
	out, err := Stdout("../..", "apdex_help")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		err  error
		text string
		pass bool
	}{
		{"the golden stdout", nil, out, true},
		{"a byte short", nil, out[:len(out)-1], false},
		{"a failing writer", errors.New("disk full"), out, false},
	} {
		var r recorder
		Check(&r, "../..", "apdex_help", func(w io.Writer) error {
			io.WriteString(w, c.text)
			return c.err
		})
		if (len(r.msgs) == 0) != c.pass {
			t.Errorf("%s: errors %q, want pass %v", c.name, r.msgs, c.pass)
		}
	}
}
