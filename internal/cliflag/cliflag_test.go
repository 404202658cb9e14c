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
