package cost_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/internal/approx"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/cost"
)

func TestChaosCost(t *testing.T) {
	// By hand: 2.5 downloads/min over 6 h = 900 downloads; at 0.05 each,
	// 45; 16 engineering hours at 100 an hour, 1600; total 1645.
	c, err := cost.Compute(cost.Inputs{
		LossRate: 2.5, UnitRevenue: 0.05, Duration: 6 * time.Hour, EngineeringHours: 16, HourlyCost: 100,
	})
	if err != nil {
		t.Fatal(err)
	}
	approx.Close(t, "lost units", c.LostUnits, 900, 1e-12, 0)
	approx.Close(t, "opportunity", c.Opportunity, 45, 1e-12, 0)
	approx.Close(t, "engineering", c.Engineering, 1600, 1e-12, 0)
	approx.Close(t, "total", c.Total, 1645, 1e-12, 0)
	if got, want := c.String(), "total 1645 = opportunity 45 (900 units lost) + engineering 1600"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}

	// No loss and no people: the run cost nothing (not an error).
	c, err = cost.Compute(cost.Inputs{Duration: time.Minute})
	if err != nil || c.Total != 0 {
		t.Errorf("zero inputs: %v, %v; want total 0 and no error", c, err)
	}
}

func TestChaosCostErrors(t *testing.T) {
	ok := cost.Inputs{LossRate: 1, UnitRevenue: 1, Duration: time.Hour, EngineeringHours: 1, HourlyCost: 1}
	for _, tc := range []struct {
		name, reason, want string
		edit               func(*cost.Inputs)
	}{
		{"negative loss", "a gain measured by chance must not pay for the run", "loss rate -1", func(c *cost.Inputs) { c.LossRate = -1 }},
		{"NaN loss", "a loss rate that could not be measured is no cost of 0", "loss rate NaN", func(c *cost.Inputs) { c.LossRate = math.NaN() }},
		{"infinite revenue", "no silent infinity", "unit revenue +Inf", func(c *cost.Inputs) { c.UnitRevenue = math.Inf(1) }},
		{"negative hours", "hours are spent, never earned", "engineering hours -2", func(c *cost.Inputs) { c.EngineeringHours = -2 }},
		{"negative hourly cost", "named field", "hourly cost -3", func(c *cost.Inputs) { c.HourlyCost = -3 }},
		{"zero duration", "a run has a length", "duration 0s", func(c *cost.Inputs) { c.Duration = 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			tc.edit(&in)
			_, err := cost.Compute(in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: error %v, want one containing %q", tc.reason, err, tc.want)
			}
		})
	}
}

func TestErrorBudgetDowntime(t *testing.T) {
	for _, tc := range []struct {
		slo    float64
		period time.Duration
		want   time.Duration
		reason string
	}{
		// (1 − 0.9995) × 30 days = 0.0005 × 43,200 min = 21.6 min.
		{0.9995, 0, 21*time.Minute + 36*time.Second, "the case study's SLA over the default 30 days"},
		// 0.001 × 43,200 min = 43.2 min, the often-quoted 43m12s of "three nines" a month.
		{0.999, 30 * 24 * time.Hour, 43*time.Minute + 12*time.Second, "three nines"},
		// 0.0001 × 7 × 1440 min = 1.008 min.
		{0.9999, 7 * 24 * time.Hour, 60*time.Second + 480*time.Millisecond, "four nines over a week"},
	} {
		b := cost.ErrorBudget{SLO: tc.slo, Period: tc.period}
		if err := b.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := b.Downtime(); got != tc.want {
			t.Errorf("%s: Downtime() = %v, want %v", tc.reason, got, tc.want)
		}
	}
	// 0.0005 × 10 million requests = 5,000 failures allowed.
	approx.Close(t, "Failures", cost.ErrorBudget{SLO: 0.9995}.Failures(1e7), 5000, 1e-9, 0)
}

func TestErrorBudgetValidate(t *testing.T) {
	for _, tc := range []struct {
		b    cost.ErrorBudget
		want string
	}{
		{cost.ErrorBudget{SLO: 99.95}, "0.9995 rather than a percentage"},
		{cost.ErrorBudget{SLO: 1}, "want a share in (0, 1)"},
		{cost.ErrorBudget{SLO: 0}, "want a share in (0, 1)"},
		{cost.ErrorBudget{SLO: math.NaN()}, "want a share in (0, 1)"},
		{cost.ErrorBudget{SLO: 0.999, Period: -time.Hour}, "period -1h0m0s"},
	} {
		if err := tc.b.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.b, err, tc.want)
		}
	}
}

// minutes builds a per-minute series from 2026-11-26T12:00Z.
func minutes(v ...float64) series.Series {
	s := series.Series{V: v, T: make([]int64, len(v))}
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC).UnixMilli()
	for i := range v {
		s.T[i] = t0 + int64(i)*60000
	}
	return s
}

func TestBudgetConsumption(t *testing.T) {
	nan := math.NaN()
	b := cost.ErrorBudget{SLO: 0.9995}
	// By hand, over the minutes where all three are present (the first
	// two; the third has no request count, the fourth no control value):
	//   Failed = 1000·(1 − 0.99) + 2000·(1 − 1)        = 10
	//   Excess = 1000·(1 − 0.99) + 2000·(0.999 − 1)    = 10 − 2 = 8
	//   Allowed = 0.0005 · 1e6 = 500; Share = 10/500 = 0.02, ExcessShare 0.016
	//   Downtime = 0.02 · 21.6 min = 25.92 s; ExcessDowntime 0.016 · 1296 s = 20.736 s
	//   BadMinutes: 0.99 < 0.9995 once.
	u, err := cost.BudgetConsumption(b,
		minutes(1000, 2000, nan, 500), minutes(0.99, 1, 0.5, 0.9), minutes(1, 0.999, 1, nan), 1e6)
	if err != nil {
		t.Fatal(err)
	}
	if u.Minutes != 2 || u.BadMinutes != 1 {
		t.Errorf("Minutes, BadMinutes = %d, %d; want 2, 1", u.Minutes, u.BadMinutes)
	}
	approx.Close(t, "Requests", u.Requests, 3000, 1e-12, 0)
	approx.Close(t, "Allowed", u.Allowed, 500, 1e-9, 0)
	approx.Close(t, "Failed", u.Failed, 10, 1e-9, 0)
	approx.Close(t, "Excess", u.Excess, 8, 1e-9, 0)
	approx.Close(t, "Share", u.Share, 0.02, 1e-9, 0)
	approx.Close(t, "ExcessShare", u.ExcessShare, 0.016, 1e-9, 0)
	approx.Close(t, "Downtime", u.Downtime.Seconds(), 25.92, 1e-6, 0)
	approx.Close(t, "ExcessDowntime", u.ExcessDowntime.Seconds(), 20.736, 1e-6, 0)

	// An experiment group that failed less than the control: the excess is
	// negative and reported, its share is 0, not negative.
	u, err = cost.BudgetConsumption(b, minutes(1000), minutes(1), minutes(0.999), 1e6)
	if err != nil {
		t.Fatal(err)
	}
	approx.Close(t, "negative Excess", u.Excess, -1, 1e-9, 0)
	if u.ExcessShare != 0 || u.ExcessDowntime != 0 {
		t.Errorf("ExcessShare, ExcessDowntime = %v, %v; want 0, 0", u.ExcessShare, u.ExcessDowntime)
	}

	// Series on other minutes are matched by timestamp, not by position.
	shifted := minutes(0.5, 0.99, 1)
	shifted.T = shifted.T[1:]
	shifted.V = shifted.V[1:]
	u, err = cost.BudgetConsumption(b, minutes(7, 1000, 2000), shifted, minutes(1, 1, 0.999), 1e6)
	if err != nil {
		t.Fatal(err)
	}
	approx.Close(t, "shifted Failed", u.Failed, 10, 1e-9, 0)
	approx.Close(t, "shifted Excess", u.Excess, 8, 1e-9, 0)
}

func TestBudgetConsumptionErrors(t *testing.T) {
	b := cost.ErrorBudget{SLO: 0.9995}
	one := minutes(1)
	for _, tc := range []struct {
		name, want   string
		b            cost.ErrorBudget
		req, av, ctl series.Series
		period       float64
		noData       bool
	}{
		{name: "bad SLO", want: "SLO 2", b: cost.ErrorBudget{SLO: 2}, req: one, av: one, ctl: one, period: 1},
		{name: "no period requests", want: "period requests 0", b: b, req: one, av: one, ctl: one, period: 0},
		{name: "plain sample", want: "requests: want a time series", b: b, req: series.Series{V: []float64{1}}, av: one, ctl: one, period: 1},
		{name: "negative requests", want: "requests at 2026-11-26T12:00:00Z: -5", b: b, req: minutes(-5), av: one, ctl: one, period: 1},
		{name: "availability a percentage", want: "availability at 2026-11-26T12:00:00Z: 99.9", b: b, req: one, av: minutes(99.9), ctl: one, period: 1},
		{name: "nothing shared", want: "no minute", b: b, req: one, av: minutes(math.NaN()), ctl: one, period: 1, noData: true},
		{name: "empty", want: "no minute", b: b, req: series.Series{T: []int64{}, V: []float64{}}, av: one, ctl: one, period: 1, noData: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cost.BudgetConsumption(tc.b, tc.req, tc.av, tc.ctl, tc.period)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if got := errors.Is(err, cost.ErrConsumptionNoData); got != tc.noData {
				t.Errorf("errors.Is(err, ErrConsumptionNoData) = %v, want %v", got, tc.noData)
			}
		})
	}
}

func ExampleCompute() {
	// The case study's run: 2.5 downloads a minute lost for six hours,
	// 0.05 of revenue each, and two engineers for a day.
	c, err := cost.Compute(cost.Inputs{
		LossRate: 2.5, UnitRevenue: 0.05, Duration: 6 * time.Hour,
		EngineeringHours: 16, HourlyCost: 100,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(c)
	// Output: total 1645 = opportunity 45 (900 units lost) + engineering 1600
}

func ExampleErrorBudget() {
	b := cost.ErrorBudget{SLO: 0.9995} // 99.95% over 30 days
	fmt.Printf("%v, %.0f failed requests of 2 billion\n", b.Downtime(), b.Failures(2e9))
	// Output: 21m36s, 1000000 failed requests of 2 billion
}
