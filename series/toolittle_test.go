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
