package chart

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/chaosstat/chaosstat/workflow"
)

// Method draws the figure of each step of r, workflow.Run's report on in,
// into the directory dir, which must exist, as SVG files named by step and
// metric, and returns their names in the order drawn:
//
//   - 1-criteria.svg: Criteria, the candidates (in.Candidates) against
//     in.Satisfaction, named "satisfaction";
//   - 2-aa-METRIC.svg: AA, each metric's A/A replay;
//   - 3-baseline.svg: Baseline, the control group's run (ControlRun) of
//     the baseline's metric against its band, named "the control group's
//     METRIC";
//   - 4-judge-METRIC.svg: Compare, each metric's groups in the judged
//     window, both named by the metric (none when r.Judge is nil);
//   - 5-monitor-METRIC.svg: Monitor, each metric's emergency stop.
//
// The cost, step 6, has no figure. units gives the unit shown on each
// metric's value axes (Options.Unit), by the metric's name. These are the figures `chaosstat demo --out` writes beside
// r.WriteParts' JSON. The first figure that cannot be drawn stops it with
// an error naming its file, which wraps the figure's error (ErrNoData,
// an *fs.PathError), after the names of those written before it.
func Method(dir string, in *workflow.Inputs, r *workflow.Report, units map[string]string) ([]string, error) {
	var names []string
	var err error
	plot := func(file string, draw func(string) error) {
		if err != nil {
			return
		}
		if err = draw(filepath.Join(dir, file)); err != nil {
			err = &figureError{file, err}
			return
		}
		names = append(names, file)
	}
	// The series are named by their files; the figures name them by what
	// they are.
	sat := in.Satisfaction
	sat.Name = "satisfaction"
	plot("1-criteria.svg", func(f string) error { return Criteria(f, sat, in.Candidates(), r.Criteria, Options{}) })
	for _, a := range r.AA {
		plot("2-aa-"+a.Metric+".svg", func(f string) error { return AA(f, a.Result, Options{}) })
	}
	plot("3-baseline.svg", func(f string) error {
		m := in.Metric(r.Baseline.Metric)
		if m == nil {
			return fmt.Errorf("the baseline's metric %q is not one of the inputs' metrics", r.Baseline.Metric)
		}
		cur := m.ControlRun
		cur.Name = "the control group's " + r.Baseline.Metric
		return Baseline(f, r.Baseline.Baseline, cur, r.Baseline.Check, Options{Unit: units[r.Baseline.Metric]})
	})
	for i := 0; r.Judge != nil && i < len(r.Judge.Data); i++ {
		d, m := r.Judge.Data[i].Data(), r.Judge.Verdict.Metrics[i]
		d.Control.Name, d.Experiment.Name = m.Metric.Name, m.Metric.Name
		plot("4-judge-"+m.Metric.Name+".svg", func(f string) error {
			return Compare(f, d.Control, d.Experiment, m.Result, Options{Unit: units[m.Metric.Name]})
		})
	}
	for _, m := range r.Monitor.Metrics {
		plot("5-monitor-"+m.Metric+".svg", func(f string) error { return Monitor(f, m.Decisions, Options{Unit: units[m.Metric]}) })
	}
	return names, err
}

// figureError is the error of one of Method's figures, named by its file.
type figureError struct {
	file string
	err  error
}

func (e *figureError) Error() string {
	return e.file + ": " + strings.TrimPrefix(e.err.Error(), "chart: ")
}

func (e *figureError) Unwrap() error { return e.err }
