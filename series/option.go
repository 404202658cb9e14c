package series

import "fmt"

// OptionError is an option of an analysis whose value is out of range:
// a baseline's weeks, an Apdex threshold. The package that owns the option
// holds its rule and says, in Want, what is wanted; a front end names the
// option its own way from Option and reuses Want, so that a rule and its
// wording live in one place:
//
//	var oe *series.OptionError
//	if errors.As(err, &oe) {
//		// chaosstat's command line: --min-weeks 3: want ...
//		// its server: {"field": "min_weeks", ...}
//	}
//
// Option is a stable key, the option's name in snake_case ("min_weeks"):
// chaosstat's server takes it under that JSON key and its command line as
// the flag with dashes (--min-weeks). The owning package documents which
// field each key stands for.
type OptionError struct {
	Option string
	// Value is the value refused, as given.
	Value any
	// Want says what is wanted, to follow "want ": "a whole number of at
	// least 1".
	Want string
}

// Error returns `min_weeks 3: want a whole number from 1 to the number of
// weeks (2)`; a string value is quoted.
func (e *OptionError) Error() string {
	v := fmt.Sprint(e.Value)
	if s, ok := e.Value.(string); ok {
		v = fmt.Sprintf("%q", s)
	}
	return e.Option + " " + v + ": want " + e.Want
}
