package cliflag

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// list is a Repeatable flag.
type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(s string) error { *l = append(*l, s); return nil }
func (l *list) Repeatable()        {}

// TestOnce: a single-valued flag given twice is an error naming it, a
// boolean flag still parses without a value, and a Repeatable one takes
// every value.
func TestOnce(t *testing.T) {
	newFS := func() (*flag.FlagSet, *string, *bool, *list) {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		s, b, l := fs.String("control", "", ""), fs.Bool("allow-partial", false, ""), &list{}
		fs.Var(l, "metric", "")
		Once(fs)
		return fs, s, b, l
	}
	fs, s, b, l := newFS()
	if err := fs.Parse([]string{"--control", "a", "--allow-partial", "--metric", "m1", "--metric", "m2"}); err != nil {
		t.Fatal(err)
	}
	if *s != "a" || !*b || strings.Join(*l, ",") != "m1,m2" {
		t.Errorf("control %q, allow-partial %v, metric %v", *s, *b, *l)
	}
	for _, args := range [][]string{{"--control", "a", "--control", "b"}, {"--allow-partial", "--allow-partial"}} {
		fs, _, _, _ := newFS()
		err := fs.Parse(args)
		if err == nil || !strings.Contains(err.Error(), "is given twice") {
			t.Errorf("%v: %v, want an error saying the flag is given twice", args, err)
		}
	}
}

// FuzzOnce parses arbitrary argument lists (split on NUL) with a string, a
// boolean, an integer and a Repeatable flag under Once: it never panics; a
// single-valued flag set twice is an error naming it; a successful parse
// keeps every value of the Repeatable flag and the only value of the others.
func FuzzOnce(f *testing.F) {
	for _, s := range []string{
		"--control\x00a\x00--control\x00b",
		"--allow-partial\x00--allow-partial",
		"--n=1\x00--n\x002",
		"--metric\x00a=x\x00--metric\x00b=y",
		"-control=a\x00--\x00--control\x00b",
		"--allow-partial=false\x00--control\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		args := strings.Split(in, "\x00")
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		ctl := fs.String("control", "", "")
		partial := fs.Bool("allow-partial", false, "")
		n := fs.Int("n", 0, "")
		var metric list
		fs.Var(&metric, "metric", "")
		Once(fs)
		err := fs.Parse(args)
		// Count the settings of each flag in the arguments that flag
		// parsed: up to "--" or the first non-flag.
		counts := map[string]int{}
		for i := 0; i < len(args); i++ {
			a := args[i]
			if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
				break
			}
			name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			counts[name]++
			if !hasValue && name != "allow-partial" {
				i++ // the value is the next argument
			}
		}
		if err != nil {
			return
		}
		for _, name := range []string{"control", "allow-partial", "n"} {
			if counts[name] > 1 {
				t.Fatalf("%q: --%s given %d times, parsed without error", args, name, counts[name])
			}
		}
		if len(metric) != counts["metric"] {
			t.Fatalf("%q: %d --metric values kept, %d given", args, len(metric), counts["metric"])
		}
		_, _, _ = ctl, partial, n
	})
}
