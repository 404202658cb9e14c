package series_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// TestOptionError: the message names the option by its key and the value,
// a string quoted, then says what is wanted; wrapped, errors.As finds it.
func TestOptionError(t *testing.T) {
	for _, c := range []struct {
		reason string
		err    *series.OptionError
		want   string
	}{
		{"a number", &series.OptionError{Option: "min_weeks", Value: 3, Want: "a whole number from 1 to the number of weeks (2)"},
			"min_weeks 3: want a whole number from 1 to the number of weeks (2)"},
		{"a string is quoted: it may hold spaces", &series.OptionError{Option: "model", Value: "log linear", Want: "auto, linear or counts"},
			`model "log linear": want auto, linear or counts`},
		{"a duration as Go prints it", &series.OptionError{Option: "step", Value: -time.Minute, Want: "a positive whole number of milliseconds"},
			"step -1m0s: want a positive whole number of milliseconds"},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("%s: %q, want %q", c.reason, got, c.want)
		}
		var oe *series.OptionError
		if err := fmt.Errorf("steadystate: baseline: %w", c.err); !errors.As(err, &oe) || oe != c.err {
			t.Errorf("%s: errors.As does not find the wrapped OptionError", c.reason)
		}
	}
}
