package golden

import "testing"

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
