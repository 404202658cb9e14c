package series

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestTooLittleData(t *testing.T) {
	a, b := TooLittleData("no counts"), TooLittleData("no counts")
	if a.Error() != "no counts" {
		t.Errorf("message %q, want msg alone", a)
	}
	if !errors.Is(fmt.Errorf("x: %w", a), ErrTooLittleData) || !errors.Is(ErrEmpty, ErrTooLittleData) {
		t.Error("does not wrap ErrTooLittleData")
	}
	if errors.Is(a, b) || errors.Is(ErrEmpty, a) {
		t.Error("two sentinels with the same message match each other: each call must be distinct")
	}
	// ReadCSV's error for a file without rows reaches the root through its
	// *SyntaxError.
	if _, err := ReadCSV(strings.NewReader("timestamp,value\n"), "f.csv"); !errors.Is(err, ErrTooLittleData) || !errors.Is(err, ErrEmpty) {
		t.Errorf("ReadCSV of a header alone: %v; want ErrEmpty, which wraps ErrTooLittleData", err)
	}
}

// TestReadEach checks ReadEach's rule on inputs whose outcome is known: an
// error that is not too little data is returned at once and stops the
// reads (ARCHITECTURE.md: "Usage and input errors (exit 2) take
// precedence over no data"); too little data is returned only after the
// other reads, and the first one is kept.
func TestReadEach(t *testing.T) {
	bad, noA, noB := errors.New("f.csv:3: value: \"x\" is not a number"), TooLittleData("a: no data"), fmt.Errorf("b: %w", ErrEmpty)
	for _, tc := range []struct {
		name string
		errs []error
		want error
		ran  int
	}{
		{"all read", []error{nil, nil}, nil, 2},
		{"bad input stops the reads", []error{nil, bad, noA}, bad, 2},
		{"bad input after no data outranks it", []error{noA, bad, nil}, bad, 2},
		{"no data after every read, the first", []error{noA, nil, noB}, noA, 3},
		{"none", nil, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ran := 0
			reads := make([]func() error, len(tc.errs))
			for i, err := range tc.errs {
				reads[i] = func() error { ran++; return err }
			}
			if got := ReadEach(reads...); got != tc.want || ran != tc.ran {
				t.Errorf("got %v after %d reads, want %v after %d", got, ran, tc.want, tc.ran)
			}
		})
	}
}
