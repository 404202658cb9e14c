// Package cliflag holds what chaosstat's commands need of package flag
// beyond it: a flag given twice is an error (Once).
package cliflag

import (
	"flag"
	"fmt"
)

// Repeatable is implemented by a flag.Value that may be given more than
// once, each time adding a value (--metric, --header).
type Repeatable interface {
	flag.Value
	Repeatable()
}

// Once makes every flag of fs that is not Repeatable refuse a second value:
// with package flag alone the last value silently wins (--control a
// --control b compares b). Call it after defining the flags, before Parse.
// The error names the flag ("--control is given twice: give it once").
func Once(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := f.Value.(Repeatable); !ok {
			f.Value = onceValue(f.Name, f.Value)
		}
	})
}

// once is a flag.Value that refuses a second Set.
type once struct {
	flag.Value
	name string
	set  bool
}

func (o *once) Set(s string) error {
	if o.set {
		return fmt.Errorf("--%s is given twice: give it once", o.name)
	}
	o.set = true
	return o.Value.Set(s)
}

// onceBool is once for a boolean flag (--allow-partial), which the flag
// package recognises by its IsBoolFlag method.
type onceBool struct{ *once }

func (onceBool) IsBoolFlag() bool { return true }

// onceValue wraps v, the Value of flag name, in once (onceBool for a
// boolean flag).
func onceValue(name string, v flag.Value) flag.Value {
	o := &once{Value: v, name: name}
	if b, ok := v.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return onceBool{o}
	}
	return o
}
