package format

import "testing"

// TestObjectiveMoneyList checks the formats of the demo's report; the
// expected strings are cmd/chaosstat/testdata/golden/demo_text.golden's.
func TestObjectiveMoneyList(t *testing.T) {
	for _, c := range []struct {
		name, got, want, reason string
	}{
		{"slo", Objective(0.9995), "99.95%", "the SLA, every digit"},
		{"allowed", Objective(1 - 0.9995), "0.05%", "0.000499999999999945 in floating point"},
		{"whole", Objective(0.999), "99.9%", "demo_assumptions_text's --slo 0.999"},
		{"money", Money(2235.92, "EUR"), "2235.92 EUR", "the chaos cost"},
		{"cents", Money(90, "EUR"), "90.00 EUR", "two decimals always"},
		{"list", List([]string{"downloads", "apdex"}), "downloads, apdex", "the metrics that pass"},
		{"none", List(nil), "none", "no metric fails"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q (%s)", c.name, c.got, c.want, c.reason)
		}
	}
}
