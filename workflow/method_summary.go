package workflow

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/format"
)

// WriteSummary writes r's headline, one line a step: the metrics that meet
// the criteria, the split's status at the planned window and the window
// judged at, the baseline's verdict, the hypothesis's, when the emergency
// stop would have stopped the run (and which monitors stop on fault-free
// days too), and the cost with the share of the period's error budget the
// run spent. `chaosstat demo` ends with it, under "== In short ==".
func (r *Report) WriteSummary(w io.Writer) error {
	var b strings.Builder
	pass, fail := r.Passing()
	fmt.Fprintf(&b, "%-17s meet all three: %s; fail some: %s\n", "1 criteria", format.List(pass), format.List(fail))
	var aa []string
	for _, a := range r.AA {
		l, _ := a.Result.Length(a.Result.Planned)
		aa = append(aa, a.Metric+" "+l.Status.String())
	}
	judged := "none"
	if r.Window > 0 {
		judged = compare.ShortDuration(r.Window)
	}
	fmt.Fprintf(&b, "%-17s %s; judged at %s\n", "2 split at "+compare.ShortDuration(r.AA[0].Result.Planned), strings.Join(aa, ", "), judged)
	day := "steady"
	if r.Baseline.Report.Deviated() {
		day = "deviated"
	}
	fmt.Fprintf(&b, "%-17s the control's day is %s\n", "3 baseline", day)
	if r.Judge != nil {
		fmt.Fprintf(&b, "4 hypothesis      %s (score %s)\n", r.Judge.Verdict.Outcome, format.Num(r.Judge.Verdict.Score))
	} else {
		b.WriteString("4 hypothesis      not judged: no valid window\n")
	}
	stops, noisy := r.Monitor.Stops()
	if len(stops) > 0 {
		fmt.Fprintf(&b, "5 emergency stop  would have stopped the run: %s", strings.Join(stops, ", "))
	} else {
		b.WriteString("5 emergency stop  no stop")
	}
	if len(noisy) > 0 {
		fmt.Fprintf(&b, " (fires on fault-free days too: %s)", strings.Join(noisy, ", "))
	}
	u := r.Cost.Budget
	fmt.Fprintf(&b, "\n6 cost            %s; %s of the %s's error budget spent\n",
		format.Money(r.Cost.Cost.Total, r.Cost.Currency), format.Share(u.Share), periodName(u.Budget.Period))
	_, err := io.WriteString(w, b.String())
	return err
}

// Passing returns the candidate metrics that meet all three criteria, and
// those that fail some, in report order.
func (r *Report) Passing() (pass, fail []string) {
	for _, m := range r.Criteria.Metrics {
		if m.Pass {
			pass = append(pass, m.Name)
		} else {
			fail = append(fail, m.Name)
		}
	}
	return pass, fail
}

// Stops lists the metrics whose monitor stopped the run, each with the
// time of its stop ("downloads at 12:35", UTC), and those whose monitor is
// Noisy.
func (s *MonitorStep) Stops() (stops, noisy []string) {
	for _, m := range s.Metrics {
		if m.Stopped() {
			stops = append(stops, m.Metric+" at "+time.UnixMilli(m.Last().T).UTC().Format("15:04"))
		}
		if m.Noisy {
			noisy = append(noisy, m.Metric)
		}
	}
	return stops, noisy
}

// periodName names an error budget's period: "month" for 30 days.
func periodName(d time.Duration) string {
	switch d {
	case 30 * day:
		return "month"
	case 7 * day:
		return "week"
	case day:
		return "day"
	}
	return "period"
}
