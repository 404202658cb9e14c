package format

import (
	"strconv"
	"strings"
)

// Objective formats an objective, such as an SLO or the share of requests
// it lets fail, as a percentage with all its digits: 0.9995 is "99.95%",
// 1 - 0.9995 "0.05%" (rounded to 10 significant digits, which hides the
// floating-point residue of the subtraction).
func Objective(x float64) string {
	return strconv.FormatFloat(RoundSig(100*x, 10), 'f', -1, 64) + "%"
}

// Money formats an amount with two decimals and its currency: "2235.92 EUR".
func Money(x float64, currency string) string {
	return strconv.FormatFloat(x, 'f', 2, 64) + " " + currency
}

// List joins items with ", ", or is "none" when there are none.
func List(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}
