package cost

import (
	"fmt"
	"math"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// Inputs are what a chaos experiment's cost is computed from. The
// revenue and the engineering figures are the business's own; the loss rate
// is measured (see Compute).
type Inputs struct {
	// LossRate is the opportunity-loss rate: units of business (downloads,
	// orders, stream starts) lost per minute because of the experiment,
	// for example the control's mean per-minute count minus the
	// experiment's over the run. Must be finite and >= 0: a run whose
	// experiment group did better than the control cost nothing in lost
	// units, and a gain measured by chance must not pay for the run.
	LossRate float64
	// UnitRevenue is the revenue one unit brings, in the report's currency.
	// Must be >= 0.
	UnitRevenue float64
	// Duration is how long the loss lasts: the run's length. Must be > 0.
	Duration time.Duration
	// EngineeringHours are the people's hours the experiment takes:
	// preparing, running and analysing it. Must be >= 0.
	EngineeringHours float64
	// HourlyCost is the cost of one engineering hour, in the report's
	// currency. Must be >= 0.
	HourlyCost float64
}

// Cost is a chaos experiment's cost, in the currency of its inputs.
type Cost struct {
	Inputs Inputs
	// LostUnits = LossRate × Duration in minutes: the units the run lost.
	LostUnits float64
	// Opportunity = LostUnits × UnitRevenue: the revenue lost.
	Opportunity float64
	// Engineering = EngineeringHours × HourlyCost: the people's time.
	Engineering float64
	// Total = Opportunity + Engineering.
	Total float64
}

// String formats the cost as "total 1234.5 = opportunity 34.5 + engineering 1200".
func (c Cost) String() string {
	return fmt.Sprintf("total %.6g = opportunity %.6g (%.6g units lost) + engineering %.6g",
		c.Total, c.Opportunity, c.LostUnits, c.Engineering)
}

// Compute returns the cost of a chaos experiment, the figure that justifies
// a run against the confidence it buys:
//
//	LostUnits   = LossRate [units/min] × Duration [min]
//	Opportunity = LostUnits × UnitRevenue
//	Engineering = EngineeringHours × HourlyCost
//	Total       = Opportunity + Engineering
//
// The opportunity loss is the revenue of the units the experiment group did
// not deliver; the engineering cost the people's time. Both are costs paid
// for the run whatever its verdict. A measured loss rate carries its
// uncertainty: compute the cost at its estimate and at its interval's upper
// end to state what the run cost at most.
//
// It returns an error, naming the field, for a negative or non-finite input
// or a non-positive Duration.
func Compute(in Inputs) (Cost, error) {
	for _, f := range []struct {
		name string
		x    float64
	}{{"loss rate", in.LossRate}, {"unit revenue", in.UnitRevenue}, {"engineering hours", in.EngineeringHours}, {"hourly cost", in.HourlyCost}} {
		if math.IsNaN(f.x) || math.IsInf(f.x, 0) || f.x < 0 {
			return Cost{}, fmt.Errorf("steadystate: chaos cost: %s %v: want a finite number >= 0", f.name, f.x)
		}
	}
	if in.Duration <= 0 {
		return Cost{}, fmt.Errorf("steadystate: chaos cost: duration %v: want a positive duration", in.Duration)
	}
	c := Cost{Inputs: in}
	c.LostUnits = in.LossRate * in.Duration.Minutes()
	c.Opportunity = c.LostUnits * in.UnitRevenue
	c.Engineering = in.EngineeringHours * in.HourlyCost
	c.Total = c.Opportunity + c.Engineering
	return c, nil
}

// DefaultErrorBudgetPeriod is the period an error budget is counted over
// when ErrorBudget.Period is zero: 30 days, the rolling month of most SLAs.
const DefaultErrorBudgetPeriod = 30 * 24 * time.Hour

// ErrorBudget is the unreliability an availability objective allows over a
// period: a 99.95% SLO over 30 days allows 0.05% of the period's requests to
// fail, or 21.6 minutes of complete outage. An experiment that makes the
// service fail spends from it; the budget is what a team spends on releases
// and experiments (B. Beyer, C. Jones, J. Petoff, N. R. Murphy, Site
// Reliability Engineering, O'Reilly 2016, chapter 3 "Embracing Risk",
// https://sre.google/sre-book/embracing-risk/: the section "Motivation for
// Error Budgets" makes the budget 1 − SLO over a period, and "Measuring
// Service Risk" defines the aggregate availability it is counted in,
// successful requests / total requests).
type ErrorBudget struct {
	// SLO is the availability objective, the share of requests that must
	// succeed, in (0, 1): 0.9995 for 99.95%.
	SLO float64
	// Period is the period the budget is counted over; zero means
	// DefaultErrorBudgetPeriod.
	Period time.Duration
}

func (b ErrorBudget) period() time.Duration {
	if b.Period == 0 {
		return DefaultErrorBudgetPeriod
	}
	return b.Period
}

// Validate says whether the budget is usable: SLO in (0, 1) and a
// non-negative Period.
func (b ErrorBudget) Validate() error {
	switch {
	case !(b.SLO > 0 && b.SLO < 1):
		if b.SLO > 1 && b.SLO < 100 {
			return fmt.Errorf("steadystate: error budget: SLO %v: want a share in (0, 1), %v rather than a percentage", b.SLO, b.SLO/100)
		}
		return fmt.Errorf("steadystate: error budget: SLO %v: want a share in (0, 1), such as 0.9995", b.SLO)
	case b.Period < 0:
		return fmt.Errorf("steadystate: error budget: period %v: want a positive duration, or 0 for %v", b.Period, DefaultErrorBudgetPeriod)
	}
	return nil
}

// Downtime is the budget as time, (1 − SLO) × Period: the complete outage the
// objective allows over the period. 99.95% over 30 days is 21.6 minutes.
func (b ErrorBudget) Downtime() time.Duration {
	return time.Duration(math.Round((1 - b.SLO) * float64(b.period())))
}

// Failures is the budget as requests, (1 − SLO) × requests, given the
// requests the service serves over the whole period.
func (b ErrorBudget) Failures(requests float64) float64 {
	return (1 - b.SLO) * requests
}

// BudgetUse is the share of an error budget a run consumed.
type BudgetUse struct {
	Budget ErrorBudget
	// PeriodRequests is the whole service's requests over the budget's
	// period, and Allowed = (1 − SLO) × PeriodRequests the failures the
	// budget allows.
	PeriodRequests, Allowed float64
	// Requests is the experiment group's requests over the run, and Failed
	// its failed requests, Σ n_t (1 − a_t).
	Requests, Failed float64
	// Excess is the failures above the control's rate, Σ n_t (a^c_t − a_t):
	// what the faults cost rather than what the group would have failed
	// anyway. It can be negative when the experiment group failed less than
	// the control, by chance.
	Excess float64
	// Share = Failed / Allowed and ExcessShare = max(0, Excess) / Allowed:
	// the shares of the period's budget the run spent, in all and through
	// the faults.
	Share, ExcessShare float64
	// Downtime and ExcessDowntime are the same shares as the equivalent
	// complete outage: Share × Budget.Downtime().
	Downtime, ExcessDowntime time.Duration
	// Minutes is the number of points used (all three series present;
	// minutes for per-minute data); BadMinutes those in which the
	// experiment group's availability was below the SLO.
	Minutes, BadMinutes int
}

// ErrConsumptionNoData reports that no minute of a run has the three series
// needed to measure its error-budget consumption. It wraps
// series.ErrTooLittleData.
var ErrConsumptionNoData = series.TooLittleData("no minute with requests and both groups' availability")

// BudgetConsumption measures the share of the budget a run consumed from the
// experiment group's requests per interval and both groups' availability
// (the share of requests that succeeded) over the same intervals. Only times
// present in all three series with no value missing count; each such time t
// contributes, with n_t the experiment's requests and a_t, a^c_t the
// experiment's and the control's availability,
//
//	Failed += n_t (1 − a_t)         Excess += n_t (a^c_t − a_t)
//
// and the shares are taken of Allowed = (1 − SLO) × periodRequests, the
// failures the objective allows the whole service over the budget's period
// (its request-based form: SRE book chapter 3; The Site Reliability
// Workbook, O'Reilly 2018, chapter 2 "Implementing SLOs"). The experiment
// group is a small share of the traffic, so its failures are a small share
// of the budget even when its own availability falls far below the SLO:
// that is what splitting off a small experiment group buys.
//
// Errors: an invalid budget, periodRequests not positive and finite, negative
// or non-finite requests, availability outside [0, 1], and
// ErrConsumptionNoData (wrapped) when no time has all three values.
func BudgetConsumption(b ErrorBudget, requests, availability, controlAvailability series.Series, periodRequests float64) (BudgetUse, error) {
	if err := b.Validate(); err != nil {
		return BudgetUse{}, err
	}
	if !(periodRequests > 0) || math.IsInf(periodRequests, 0) {
		return BudgetUse{}, fmt.Errorf("steadystate: error budget: period requests %v: want a positive number", periodRequests)
	}
	for _, s := range []struct {
		name string
		s    series.Series
	}{{"requests", requests}, {"availability", availability}, {"control availability", controlAvailability}} {
		if len(s.s.T) != len(s.s.V) {
			return BudgetUse{}, fmt.Errorf("steadystate: error budget: %s: want a time series, not a plain sample", s.name)
		}
	}
	u := BudgetUse{Budget: b, PeriodRequests: periodRequests, Allowed: b.Failures(periodRequests)}
	i, j, k := 0, 0, 0
	for i < len(requests.T) {
		t := requests.T[i]
		for j < len(availability.T) && availability.T[j] < t {
			j++
		}
		for k < len(controlAvailability.T) && controlAvailability.T[k] < t {
			k++
		}
		if j == len(availability.T) || k == len(controlAvailability.T) {
			break
		}
		if availability.T[j] != t || controlAvailability.T[k] != t {
			i++
			continue
		}
		n, a, ac := requests.V[i], availability.V[j], controlAvailability.V[k]
		i++
		if math.IsNaN(n) || math.IsNaN(a) || math.IsNaN(ac) {
			continue
		}
		switch {
		case n < 0 || math.IsInf(n, 0):
			return BudgetUse{}, fmt.Errorf("steadystate: error budget: requests at %s: %v: want a count >= 0", time.UnixMilli(t).UTC().Format(time.RFC3339), n)
		case a < 0 || a > 1:
			return BudgetUse{}, fmt.Errorf("steadystate: error budget: availability at %s: %v: want a share in [0, 1]", time.UnixMilli(t).UTC().Format(time.RFC3339), a)
		case ac < 0 || ac > 1:
			return BudgetUse{}, fmt.Errorf("steadystate: error budget: control availability at %s: %v: want a share in [0, 1]", time.UnixMilli(t).UTC().Format(time.RFC3339), ac)
		}
		u.Minutes++
		u.Requests += n
		u.Failed += n * (1 - a)
		u.Excess += n * (ac - a)
		if a < b.SLO {
			u.BadMinutes++
		}
	}
	if u.Minutes == 0 {
		return BudgetUse{}, fmt.Errorf("steadystate: error budget: %w", ErrConsumptionNoData)
	}
	u.Share = u.Failed / u.Allowed
	u.ExcessShare = max(0, u.Excess) / u.Allowed
	d := float64(b.Downtime())
	u.Downtime = time.Duration(math.Round(u.Share * d))
	u.ExcessDowntime = time.Duration(math.Round(u.ExcessShare * d))
	return u, nil
}
