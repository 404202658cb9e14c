package compare

import "fmt"

// Test is a two-sample test that Run and RunAA select by name: the test's
// function with the words a report uses for it.
type Test struct {
	// Name is the test's name, as Result.Test and the CLI's --test spell
	// it: "mannwhitney", "welch", "ks" or "brunnermunzel".
	Name string
	// Title names the test for people: "Mann-Whitney U".
	Title string
	// Symbol is the symbol of the test's statistic: "U", "t", "D".
	Symbol string
	// Shift says what the test's Result.Shift is: "Hodges-Lehmann" or
	// "difference in means".
	Shift string
	// Func runs the test, as Func(experiment, control, opts).
	Func func(experiment, control []float64, opts Options) (Result, error)
}

// Tests are the tests ParseTest knows, DefaultTest first.
var Tests = []Test{
	{"mannwhitney", "Mann-Whitney U", "U", "Hodges-Lehmann", MannWhitneyU},
	{"welch", "Welch's t", "t", "difference in means", WelchT},
	{"ks", "Kolmogorov-Smirnov", "D", "Hodges-Lehmann", KolmogorovSmirnov},
	{"brunnermunzel", "Brunner-Munzel", "W", "relative effect P(experiment > control)", BrunnerMunzel},
}

// DefaultTest is the test the zero Test stands for: Mann-Whitney U, robust
// to the outliers and skew of per-minute counts.
var DefaultTest = Tests[0]

// ParseTest returns the test of Tests named name: "mannwhitney", "welch",
// "ks" or "brunnermunzel".
func ParseTest(name string) (Test, error) {
	for _, t := range Tests {
		if t.Name == name {
			return t, nil
		}
	}
	return Test{}, fmt.Errorf("unknown test %q: want mannwhitney, welch, ks or brunnermunzel", name)
}

// String returns the test's name.
func (t Test) String() string { return t.Name }

// orDefault resolves a Test without a function: by its name in Tests, or
// DefaultTest when it has none.
func (t Test) orDefault() (Test, error) {
	switch {
	case t.Func != nil:
		return t, nil
	case t.Name == "":
		return DefaultTest, nil
	}
	return ParseTest(t.Name)
}
