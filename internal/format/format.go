// Package format holds the number formats and the JSON conventions of every
// report the library writes, so that the text and JSON of one result read
// the same wherever they are written (a command, a Go program, the server).
package format

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Float is a float64 written as JSON null when it is NaN or infinite, which
// JSON numbers cannot be.
type Float float64

// MarshalJSON writes x as a JSON number, or null when x is NaN or ±Inf.
func (x Float) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

// WriteJSON writes v to w as JSON indented by two spaces and a newline: the
// --format json output of every command. It does not escape HTML: reasons
// hold ">=", which a notebook should read as is.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// RoundSig rounds x to digits significant digits.
func RoundSig(x float64, digits int) float64 {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', digits, 64), 64)
	return y
}

// Num formats a number of the data's units for people: five significant
// digits, without an exponent for ordinary magnitudes.
func Num(x float64) string { return Sig(x, 5) }

// Sig formats x with sig significant digits, without an exponent for
// magnitudes from 1e-4 to 1e15 and without trailing zeros; "NaN", "+Inf",
// "-Inf" and "0" as such.
func Sig(x float64, sig int) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "+Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	case x == 0:
		return "0"
	}
	e := int(math.Floor(math.Log10(math.Abs(x))))
	if e >= 15 || e < -4 {
		return strconv.FormatFloat(x, 'g', sig, 64)
	}
	s := strconv.FormatFloat(x, 'f', max(0, sig-1-e), 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// PValue formats a p-value: three significant digits, two below 0.001.
func PValue(p float64) string {
	if p < 0.001 {
		return strconv.FormatFloat(p, 'g', 2, 64)
	}
	return strconv.FormatFloat(p, 'g', 3, 64)
}

// Interval formats an interval [lo, hi] with Num, open at an infinite end.
func Interval(lo, hi float64) string {
	l, h := "[", "]"
	if math.IsInf(lo, -1) {
		l = "("
	}
	if math.IsInf(hi, 1) {
		h = ")"
	}
	return l + Num(lo) + ", " + Num(hi) + h
}

// Percent formats a confidence level as a percentage: 0.95 is "95%".
func Percent(c float64) string {
	return strconv.FormatFloat(RoundSig(100*c, 6), 'g', -1, 64) + "%"
}

// Warnings writes ws to b one a line, after a column width wide that holds
// label on the first line and is blank on the others.
func Warnings(b *strings.Builder, label string, width int, ws []string) {
	for i, w := range ws {
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(b, "%-*s %s\n", width, label, w)
	}
}

// Errors returns the messages of errs, [] (never nil) when there are none,
// as the JSON reports write their warnings.
func Errors(errs []error) []string {
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}
