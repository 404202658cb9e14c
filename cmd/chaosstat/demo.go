package main

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/format"
	"github.com/chaosstat/chaosstat/workflow"
)

// demoFS holds the demo's synthetic data (see demodata/README.md): written
// by demodata/gen.go from a fixed seed, never measured.
//
//go:embed demodata/*.csv.gz demodata/scenario.json demodata/hypothesis.yaml
var demoFS embed.FS

var demoCommand = &command{
	name:    "demo",
	summary: "run the whole method on an embedded synthetic case study, step by step",
	run:     runDemo,
	usage:   demoUsage,
}

func demoUsage(w io.Writer) {
	io.WriteString(w, `usage: chaosstat demo [--out DIR] [--format text|json] [flags]

Demo runs the whole method on one case study, with synthetic data built into
the binary (cmd/chaosstat/demodata, written by a seeded generator: nothing in
it was measured). A download-delivery service with an SLA of 99.95%
availability splits its traffic by weighted DNS, 96% main, 2% control, 2%
experiment; on the day of the run one instance of the experiment group is
killed every 30 minutes from 12:00 to 18:00 UTC. The report follows the six
steps of the method:

  1. choose the metrics: the three criteria of each candidate (downloads
     per minute, availability, Apdex) against customer satisfaction
  2. check the split before any fault: the A/A replay at the planned 30
     minutes, the recommended window and the minimum detectable drop
  3. the control's week-over-week baseline on the day of the run
  4. the hypothesis judged at a window the A/A replay found valid
  5. the emergency stop replayed on the run
  6. what the run cost, and the share of the month's error budget it spent

Every number is computed by the library on the embedded data as the
command runs. The revenue, engineering and SLA figures are the scenario's
assumptions (demodata/scenario.json); the flags below replace them.

Flags:

	--out DIR                 also write each step's JSON (the keys of the step's
	                          command) and SVG figure into DIR, created if missing
	--format FORMAT           text (default) or json: one JSON document of all steps
	--unit-revenue X          revenue of one download (default: the scenario's)
	--engineering-hours H     people's hours the run takes (default: the scenario's)
	--hourly-cost X           cost of one engineering hour (default: the scenario's)
	--slo S                   availability objective, in (0, 1) (default: the scenario's)

Exit codes: 0 the demo ran (whatever its steps found), 2 usage error or a
failure to write --out.
`)
}

// demoNumber is a flag holding a number >= 0 (or in (0, 1) for a share).
type demoNumber struct {
	x     *float64
	share bool
}

func (f demoNumber) String() string {
	if f.x == nil {
		return ""
	}
	return strconv.FormatFloat(*f.x, 'g', -1, 64)
}

func (f demoNumber) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Errorf("not a number")
	case f.share && !(x > 0 && x < 1):
		return fmt.Errorf("want a share in (0, 1), such as 0.9995")
	case x < 0:
		return fmt.Errorf("want a number >= 0")
	}
	*f.x = x
	return nil
}

// loadDemo reads the embedded case study into the workflow's inputs. An
// error here is a broken build, and is reported as such.
func loadDemo() (workflow.Inputs, error) { return workflow.ReadCaseStudy(demoFS, "demodata") }

func runDemo(e *env, args []string) int {
	fail := func(what string, err error) int {
		fmt.Fprintf(e.stderr, "chaosstat demo: %s%v\n", what, err)
		return exitUsage
	}
	in, err := loadDemo()
	if err != nil {
		return fail("the embedded data is broken: ", err)
	}
	sla := in.Assumptions.SLO // the flag changes the objective, not the contract
	out, form, as := "", formatFlag{"text"}, &in.Assumptions
	fs := newFlagSet("demo")
	fs.StringVar(&out, "out", "", "")
	fs.Var(&form, "format", "")
	fs.Var(demoNumber{x: &as.UnitRevenue}, "unit-revenue", "")
	fs.Var(demoNumber{x: &as.EngineeringHours}, "engineering-hours", "")
	fs.Var(demoNumber{x: &as.HourlyCost}, "hourly-cost", "")
	fs.Var(demoNumber{x: &as.SLO, share: true}, "slo", "")
	if code, done := parseFlags(e, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e, "demo", "unexpected argument %q: the demo takes only flags", fs.Arg(0))
	}
	r, err := workflow.Run(in)
	if err != nil {
		return fail("", err)
	}
	if form.f == "json" {
		err = r.WriteJSON(e.stdout)
	} else {
		err = writeDemoText(e.stdout, &in, r, sla)
	}
	if err != nil {
		return fail("writing the report: ", err)
	}
	if out != "" {
		files, err := writeDemoOut(out, &in, r)
		if err != nil {
			return fail("--out: ", err)
		}
		if form.f == "text" {
			fmt.Fprintf(e.stdout, "\nwrote %d files to %s: %s\n", len(files), out, strings.Join(files, ", "))
		}
	}
	return exitOK
}

// demoUnits are the metrics' units, for the figures.
var demoUnits = map[string]string{"downloads": "downloads/min", "availability": "share of requests", "apdex": "score, 0 to 1"}

// writeDemoOut writes each step's JSON and figure into dir and returns the
// file names.
func writeDemoOut(dir string, in *workflow.Inputs, r *workflow.Report) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	names, err := r.WriteParts(dir)
	if err != nil {
		return nil, err
	}
	// The figures, one per step but the cost, which has no chart. The
	// series are named by their files; the figures name them by what they
	// are.
	plot := func(file string, draw func(string) error) {
		if err != nil {
			return
		}
		if err = draw(filepath.Join(dir, file)); err != nil {
			err = fmt.Errorf("%s: %v", file, strings.TrimPrefix(err.Error(), "chart: "))
			return
		}
		names = append(names, file)
	}
	sat := in.Satisfaction
	sat.Name = "satisfaction"
	plot("1-criteria.svg", func(f string) error { return chart.Criteria(f, sat, in.Candidates(), r.Criteria, chart.Options{}) })
	for _, a := range r.AA {
		plot("2-aa-"+a.Metric+".svg", func(f string) error { return chart.AA(f, a.Result, chart.Options{}) })
	}
	plot("3-baseline.svg", func(f string) error {
		cur := in.Metric(r.Baseline.Metric).ControlRun
		cur.Name = "the control group's " + r.Baseline.Metric
		return chart.Baseline(f, r.Baseline.Baseline, cur, r.Baseline.Check, chart.Options{Unit: demoUnits[r.Baseline.Metric]})
	})
	for i := 0; r.Judge != nil && i < len(r.Judge.Data); i++ {
		d, m := r.Judge.Data[i].Data(), r.Judge.Verdict.Metrics[i]
		d.Control.Name, d.Experiment.Name = m.Metric.Name, m.Metric.Name
		plot("4-judge-"+m.Metric.Name+".svg", func(f string) error {
			return chart.Compare(f, d.Control, d.Experiment, m.Result, chart.Options{Unit: demoUnits[m.Metric.Name]})
		})
	}
	for _, m := range r.Monitor.Metrics {
		plot("5-monitor-"+m.Metric+".svg", func(f string) error { return chart.Monitor(f, m.Decisions, chart.Options{Unit: demoUnits[m.Metric]}) })
	}
	return names, err
}

// writeDemoText writes the report narrated: the case study's story around
// the numbers of r. sla is the scenario's objective, which --slo does not
// change.
func writeDemoText(w io.Writer, in *workflow.Inputs, r *workflow.Report, sla float64) error {
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
			rec = fmt.Sprintf("recommended %s (smallest detectable drop there %s)", compare.ShortDuration(a.Result.Recommended), demoMDE(l.MDE))
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
				mdes = append(mdes, a.Metric+" "+demoMDE(l.MDE))
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
		format.Objective(u.Budget.SLO), demoDays(u.Budget.Period), format.Objective(1-u.Budget.SLO), u.Budget.Downtime())
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

// demoMDE formats a minimum detectable drop. compare.AA searches it in
// [0.001, 0.95]: at the bottom of the range the drop found is an upper
// bound, "<= 0.1%"; 1 means not even 95%.
func demoMDE(x float64) string {
	if x <= 0.001 {
		return "<= " + format.Share(0.001)
	}
	return compare.FormatMDE(x)
}

// demoDays formats a period in days when it is whole days.
func demoDays(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + " days"
	}
	return d.String()
}
