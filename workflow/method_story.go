package workflow

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/format"
)

// WriteStory writes the report narrated, the text of chaosstat demo: the
// case study's story (ReadCaseStudy) around the numbers of r, step by step,
// ending with WriteSummary. in is what Run ran on; sla is the scenario's
// contractual objective, which a changed Assumptions.SLO does not change.
func (r *Report) WriteStory(w io.Writer, in *Inputs, sla float64) error {
	var b strings.Builder
	var err error // of the steps' own text writers
	write := func(step func(io.Writer) error) { err = errors.Join(err, step(&b)) }
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	step := func(n int, title string) { p("\n== Step %d of 6: %s ==\n\n", n, title) }
	clock := func(t time.Time) string { return t.UTC().Format("15:04") }
	plan, req := in.Plan, in.Metric(in.Requests)
	hist := req.ControlHistory
	histFrom, histTo := time.UnixMilli(hist.T[0]).UTC(), time.UnixMilli(hist.T[len(hist.T)-1]).Add(time.Minute).UTC()
	histDays := int(histTo.Sub(histFrom).Hours() / 24)

	p("chaosstat demo: the whole method on one case study\n\n")
	p("The data is SYNTHETIC: written by a seeded generator (cmd/chaosstat/demodata/gen.go) modelled on\n")
	p("the case study behind chaosstat, never measured. Every number below is computed by chaosstat on\n")
	p("it as you watch.\n\n")
	p("The service: %s with an SLA of %s availability. Weighted DNS\n", plan.Service, format.Objective(sla))
	p("splits its traffic 96%% main / 2%% control / 2%% experiment. On %s one instance\n", plan.Start.UTC().Format("Monday 2006-01-02"))
	p("of the experiment group is killed every %s from %s to %s UTC. Candidate steady-state\n", compare.ShortDuration(plan.KillEvery), clock(plan.Start), clock(plan.End))
	p("metrics: downloads per minute (business), availability and Apdex (system). History: %d days\n", histDays)
	p("before the run, %s to %s, one point a minute per group.\n", histFrom.Format("2006-01-02"), histTo.Format("2006-01-02"))

	step(1, "choose the metrics: the three criteria")
	p("Each candidate, measured on the whole service over the last week of history\n(%s), against customer satisfaction: the share\n", r.Criteria.Satisfaction)
	p("of client sessions that finished a download without a retry or an abandonment. A steady-state\n")
	p("metric must move with it, be there in near real time, and be complete.\n\n")
	write(r.Criteria.WriteTable)
	pass, fail := r.Passing()
	p("\n=> meet all three criteria: %s; fail some: %s.\n", format.List(pass), format.List(fail))
	p("   A metric that fails can still guard the run when a contract is written on it (the SLA is on\n")
	p("   availability): the hypothesis below keeps all three, availability as critical.\n")

	step(2, "is the split valid? The A/A replay")
	p("Before any fault the two 2%% groups should look alike. The team compared them every %s. The\n", compare.ShortDuration(plan.Planned))
	p("A/A replay cuts the %d days of history into windows of each length, runs the comparison the\n", histDays)
	p("experiment will use (Mann-Whitney, alpha 0.05) in every window, and counts the differences\n")
	p("found where there are none.\n")
	for _, a := range r.AA {
		p("\n--- %s\n\n", a.Metric)
		write(a.WriteText)
	}
	p("\n=> at the planned %s:\n", compare.ShortDuration(plan.Planned))
	for _, a := range r.AA {
		l, _ := a.Result.Length(plan.Planned)
		rec := "none valid"
		if a.Result.Recommended > 0 {
			l, _ := a.Result.Length(a.Result.Recommended)
			rec = fmt.Sprintf("recommended %s (smallest detectable drop there %s)", compare.ShortDuration(a.Result.Recommended), storyMDE(l.MDE))
		}
		p("   %-12s %-14s %4d of %4d windows false positives (%s); %s\n", a.Metric, strings.ToUpper(l.Status.String()),
			l.FalsePositives, l.Tested, format.Share(l.Rate), rec)
	}
	if r.Window > 0 {
		p("   The hypothesis is judged over %s, the longest of the recommended windows, valid for every metric.\n", compare.ShortDuration(r.Window))
	} else {
		p("   %s.\n", r.NoWindow)
	}

	step(3, "the control's week-over-week baseline")
	bl := r.Baseline
	p("Is the day of the run an ordinary day? The control group's downloads on %s against the\n", plan.Start.Format("2006-01-02"))
	p("same minutes of the %d weeks before (median and robust spread per time-of-week slot):\n\n", bl.Baseline.Weeks)
	write(bl.WriteText)

	step(4, "the hypothesis, judged at a valid window")
	if j := r.Judge; j == nil {
		p("Not judged: %s.\n", r.NoWindow)
	} else {
		p("%s, judged on the groups' data from %s to %s UTC\n", j.File, j.From.Format("2006-01-02 15:04"), j.To.Format("2006-01-02 15:04"))
		p("(%s, the run %s-%s inside it), with the comparison the A/A replay validated:\n\n",
			compare.ShortDuration(j.To.Sub(j.From)), clock(plan.Start), clock(plan.End))
		write(j.Verdict.WriteText)
		var mdes []string
		for _, a := range r.AA {
			if l, ok := a.Result.Length(r.Window); ok {
				mdes = append(mdes, a.Metric+" "+storyMDE(l.MDE))
			}
		}
		p("\n=> %s. Read it with the A/A replay's smallest detectable drops at %s (80%% power):\n", j.Verdict.Outcome, compare.ShortDuration(r.Window))
		p("   %s. A smaller harm is not expected to show at this window.\n", strings.Join(mdes, ", "))
	}

	step(5, "the emergency stop, replayed on the run")
	mon := r.Monitor
	alpha := strconv.FormatFloat(mon.Alpha, 'g', -1, 64)
	p("A monitor watches each metric minute by minute from %s to %s and stops the run when the\n", clock(plan.Start), clock(plan.End))
	p("experiment group is worse than the control: an always-valid sequential test (false-stop rate\n")
	g := mon.Config.Guardrails[0] // the case study's one: a drop relative to the control
	p("%s over the whole run) and a guardrail, more than %s below the control for %d minutes.\n\n", alpha, format.Share(-g.Limit), g.For)
	for _, m := range mon.Metrics {
		if d := m.Last(); m.Stopped() {
			p("%-12s STOP at %s after %d looks (%s): %s\n", m.Metric, clock(time.UnixMilli(d.T)), d.Looks, d.Cause, d.Reason)
		} else {
			p("%-12s no stop in %d looks: %s\n", m.Metric, d.Looks, d.Reason)
		}
	}
	stops, noisy := mon.Stops()
	p("\nThe same monitor on the %d days of history, %s to %s, when nothing was injected, stopped:\n", mon.Metrics[0].HistoryDays, clock(plan.Start), clock(plan.End))
	for _, m := range mon.Metrics {
		p("%-12s %d of %d days\n", m.Metric, m.HistoryStops, m.HistoryDays)
	}
	if len(stops) > 0 {
		p("\n=> the emergency stop would have halted the run: %s.\n", strings.Join(stops, ", "))
	} else {
		p("\n=> the emergency stop would have let the whole run go on.\n")
	}
	if len(noisy) > 0 {
		p("   But on fault-free days it stopped %s significantly more often than its %s\n", strings.Join(noisy, ", "), alpha)
		p("   (one-sided binomial test at that level): on this split the monitor of those metrics stops\n")
		p("   for the split's wander as well as for harm, as step 2 warned, and its stop is not evidence.\n")
	}

	step(6, "what the run cost")
	c := r.Cost
	cost, u, ctl := c.Cost, c.Budget, c.ControlBudget
	money := func(x float64) string { return format.Money(x, c.Currency) }
	num4 := func(x float64) string { return format.Num(format.RoundSig(x, 4)) }
	p("Chaos cost = opportunity-loss rate x unit revenue x duration + engineering hours x hourly cost.\n")
	p("The loss rate is the control's downloads per minute minus the experiment's, paired minute by\n")
	p("minute (%s test), from %s to %s UTC", c.Loss.Result.Test, c.Loss.From.Format("2006-01-02 15:04"), c.Loss.To.Format("2006-01-02 15:04"))
	if r.Window > 0 {
		p(",\nthe %s window the A/A replay found valid", compare.ShortDuration(r.Window))
	}
	p(": %s downloads/min, %s interval\n[%s, %s].", num4(c.Loss.Rate), format.Share(c.Loss.Result.Confidence), num4(c.Loss.Low), num4(c.Loss.High))
	if c.Loss.Rate < 0 {
		p(" The estimate is a gain, which does not pay for the run: counted as 0.")
	}
	p("\n")
	if r.Window > 0 {
		p("(Over the run's %s alone: %s [%s, %s] downloads/min", compare.ShortDuration(plan.End.Sub(plan.Start)), num4(c.RunLoss.Rate), num4(c.RunLoss.Low), num4(c.RunLoss.High))
		for _, a := range r.AA {
			if l, ok := a.Result.Length(plan.End.Sub(plan.Start)); ok && a.Metric == in.Requests {
				p("; the A/A replay found that length %s for downloads", l.Status)
			}
		}
		p(".)\n")
	}
	hours := strconv.FormatFloat(cost.Inputs.EngineeringHours, 'g', -1, 64)
	p("Assumptions (demodata/scenario.json, or the flags): %s a download, %s engineering hours at %s.\n\n", money(cost.Inputs.UnitRevenue), hours, money(cost.Inputs.HourlyCost))
	p("  opportunity  %s downloads lost x %s = %s\n", num4(cost.LostUnits), money(cost.Inputs.UnitRevenue), money(cost.Opportunity))
	p("  engineering  %s h x %s = %s\n", hours, money(cost.Inputs.HourlyCost), money(cost.Engineering))
	p("  chaos cost   %s (at most %s at the loss rate's upper bound)\n\n", money(cost.Total), money(c.High.Total))
	p("Error budget: %s availability over %s allows %s of the period's requests to fail, %s of\n",
		format.Objective(u.Budget.SLO), storyDays(u.Budget.Period), format.Objective(1-u.Budget.SLO), u.Budget.Downtime())
	p("complete outage. The month's requests, from the last week of history: %s, so %s failures.\n", num4(u.PeriodRequests), num4(u.Allowed))
	p("  the experiment group over the run: %s requests, %s failed (%d of %d minutes below the SLO)\n",
		format.Num(u.Requests), num4(u.Failed), u.BadMinutes, u.Minutes)
	p("  the control group, the same minutes: %s requests, %s failed (%d of %d minutes below the SLO)\n",
		format.Num(ctl.Requests), num4(ctl.Failed), ctl.BadMinutes, ctl.Minutes)
	p("  budget spent by the group:          %s of the month's (%s of outage)\n", format.Share(u.Share), u.Downtime.Round(time.Millisecond))
	p("  of which above the control's rate:  %s failures, %s of the budget (%s): what the faults cost\n",
		num4(u.Excess), format.Share(u.ExcessShare), u.ExcessDowntime.Round(time.Millisecond))

	p("\n== In short ==\n\n")
	write(r.WriteSummary)
	if err == nil {
		_, err = io.WriteString(w, b.String())
	}
	return err
}

// storyMDE formats a minimum detectable drop. compare.AA searches it in
// [0.001, 0.95]: at the bottom of the range the drop found is an upper
// bound, "<= 0.1%"; 1 means not even 95%.
func storyMDE(x float64) string {
	if x <= 0.001 {
		return "<= " + format.Share(0.001)
	}
	return compare.FormatMDE(x)
}

// storyDays formats a period in days when it is whole days.
func storyDays(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + " days"
	}
	return d.String()
}
