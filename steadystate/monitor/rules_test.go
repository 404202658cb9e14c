package monitor_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// TestRuleGuardrails: the command's and the server's guardrails are the
// max-change rules (none for a max drop of 0) then the limits.
func TestRuleGuardrails(t *testing.T) {
	want := append(monitor.MaxChangeGuardrails(steadystate.Decrease, 0.2, 3), monitor.LimitGuardrails(1, math.NaN(), 3)...)
	if got := monitor.RuleGuardrails(steadystate.Decrease, 0.2, 3, 1, math.NaN()); !reflect.DeepEqual(got, want) {
		t.Errorf("RuleGuardrails: %v; want %v", got, want)
	}
	if got := monitor.RuleGuardrails(steadystate.Either, 0, 2, math.NaN(), 5); !reflect.DeepEqual(got, monitor.LimitGuardrails(math.NaN(), 5, 2)) {
		t.Errorf("RuleGuardrails without a max drop: %v; want the limit only", got)
	}
}
