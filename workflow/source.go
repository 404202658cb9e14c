package workflow

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
)

// Errors a Source or Load returns, for callers to branch on with errors.Is.
var (
	// ErrNoQuerySource: a hypothesis names a PromQL query but
	// JudgeOptions.Queries is nil, so there is no server to send it to.
	ErrNoQuerySource = errors.New("no query source")

	// ErrPartial is prom.ErrPartial: the answer is incomplete (a Thanos
	// partial response, VictoriaMetrics isPartial). No verdict should rest on
	// it: chaosstat judge exits 3, inconclusive. A Source of another kind
	// that knows its answer is incomplete wraps it too.
	ErrPartial = prom.ErrPartial

	// ErrNoSeries: a query returned no series over the range. PromSource.Read
	// makes it no data with a warning; PromSource.OneSeries returns it. It
	// wraps series.ErrTooLittleData.
	ErrNoSeries = series.TooLittleData("no series")
)

// Source reads the data of one group of one metric, as a hypothesis file
// names it: s.File or s.Query (steadystate.Source). Implement it to read
// sources from somewhere else (another metrics store, series in memory) and
// pass it in JudgeOptions; SourceFunc adapts a function.
//
// A source that holds no data is not an error: Read returns an empty
// Series, the metric is then nodata and its nodata policy decides (never a
// pass). An error means the source could not be read; Load adds the
// hypothesis file's line and field to it (SourceError).
type Source interface {
	Read(ctx context.Context, s steadystate.Source) (GroupData, error)
}

// SourceFunc adapts a function to a Source.
type SourceFunc func(ctx context.Context, s steadystate.Source) (GroupData, error)

// Read calls f.
func (f SourceFunc) Read(ctx context.Context, s steadystate.Source) (GroupData, error) {
	return f(ctx, s)
}

// GroupData is what a Source read for one group of one metric.
type GroupData struct {
	// Series is the group's data. Without points it is no data: the metric
	// is nodata.
	Series series.Series
	// Name says what was read, for reports: the file's path as opened, or
	// the query.
	Name string
	// Warnings are the read's warnings: it read, but the answer may be weak
	// (a partial answer read anyway, a query without series).
	Warnings []error
}

// MetricData is the data of one metric's two groups, as its Sources read
// them.
type MetricData struct {
	Control, Experiment GroupData
	// HistoryControl and HistoryExperiment are the two groups' A/A time
	// before the experiment: the metric's history_control and
	// history_experiment, or its queries read again over
	// JudgeOptions.History. Zero when the metric has no history.
	HistoryControl, HistoryExperiment GroupData
	// HistoryReread says the history is the control's and the
	// experiment's queries read again over JudgeOptions.History, not
	// sources the metric names: its warnings are then labelled
	// "metrics[i].control (history)", as its errors are.
	HistoryReread bool
}

// Data returns the series, as steadystate.Judge takes them.
func (m MetricData) Data() steadystate.Data {
	return steadystate.Data{Control: m.Control.Series, Experiment: m.Experiment.Series,
		HistoryControl: m.HistoryControl.Series, HistoryExperiment: m.HistoryExperiment.Series}
}

// SourceError is an error reading one source of a hypothesis file. Its Error
// method gives "file:line: field: error", such as
//
//	hypothesis.yaml:12: metrics[0].control: open data/latency.csv: no such file or directory
type SourceError struct {
	// File is the hypothesis file, as named to Judge or in Plan.File.
	File string
	// Line is the source's line in File.
	Line int
	// Field is the source's field, as "metrics[0].control".
	Field string
	// Source is the source that failed.
	Source steadystate.Source
	// Err is the Source's error (or one wrapping ErrNoQuerySource).
	Err error
}

func (e *SourceError) Error() string {
	return fmt.Sprintf("%s:%d: %s: %v", e.File, e.Line, e.Field, e.Err)
}

// Unwrap returns Err.
func (e *SourceError) Unwrap() error { return e.Err }

// kindError is an error with its own message that matches a sentinel.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// FileSource reads the sources that name a file: CSV with a header row
// ("timestamp,value" or one "value" column) or a saved Prometheus
// query_range response (series.ReadFile). A relative name is taken
// relative to Dir, the hypothesis file's folder. A file without data
// (series.ErrEmpty) is no data; a file holding more than one series is an
// error naming it and the series.
type FileSource struct {
	Dir string
}

// Read reads the file s names.
func (f FileSource) Read(_ context.Context, s steadystate.Source) (GroupData, error) {
	if s.File == "" {
		return GroupData{}, fmt.Errorf("FileSource reads files, not %s", s)
	}
	path := s.File
	if !filepath.IsAbs(path) {
		path = filepath.Join(f.Dir, path)
	}
	g := GroupData{Name: path}
	ser, err := series.ReadFile(path, nil)
	if errors.Is(err, series.ErrEmpty) {
		return g, nil
	}
	g.Series = ser
	return g, err
}

// identities lists the first three series' identities, then "..." when
// there are more.
func identities(all []series.Series) string {
	ids := make([]string, 0, 4)
	for _, s := range all[:min(len(all), 3)] {
		ids = append(ids, s.Identity())
	}
	if len(all) > 3 {
		ids = append(ids, "...")
	}
	return strings.Join(ids, ", ")
}

// PromSource reads the sources that hold a PromQL query from a
// Prometheus-compatible server (package prom) over one range, the window
// judged. A query must return exactly one series: none is no data with a
// warning (the metric is nodata), several an error. A partial answer is an
// error matching ErrPartial unless the Client was made with
// prom.Config.AllowPartial, when it is read with the server's warnings.
type PromSource struct {
	Client *prom.Client
	Range  prom.Range
	// AllowPartialName names, in messages, the setting that reads a
	// partial answer anyway; "" means "prom.Config.AllowPartial". The
	// chaosstat CLI sets "--allow-partial".
	AllowPartialName string
}

// HistorySource is a query Source that can read its queries over the
// time before the window it reads, as JudgeOptions.History needs.
// PromSource is one.
type HistorySource interface {
	Source
	// Before returns the Source that reads the same queries over the d
	// before the window: from its start − d to just before its start.
	Before(d time.Duration) Source
}

// Before returns p reading over the d before p.Range, at its step: from
// Range.Start − d to one step before Range.Start, so that the history ends
// where the window begins.
func (p PromSource) Before(d time.Duration) Source {
	q := p
	q.Range = prom.Range{Start: p.Range.Start.Add(-d), End: p.Range.Start.Add(-p.Range.Step), Step: p.Range.Step}
	return q
}

// Read reads s.Query over p.Range.
func (p PromSource) Read(ctx context.Context, s steadystate.Source) (GroupData, error) {
	switch {
	case s.Query == "":
		return GroupData{}, fmt.Errorf("PromSource reads queries, not %s", s)
	case p.Client == nil:
		return GroupData{Name: s.Query}, fmt.Errorf("a PromSource without a Client cannot read query %q", s.Query)
	}
	res, err := p.Client.Range(ctx, s.Query, p.Range)
	ser, warnings, err := p.OneSeries(s.Query, res, err)
	g := GroupData{Name: s.Query, Warnings: warnings}
	if errors.Is(err, ErrNoSeries) {
		// Like a file with no data: the metric is nodata and its nodata
		// policy decides.
		g.Warnings = append(g.Warnings, fmt.Errorf("%w; the metric has no data", err))
		return g, nil
	}
	g.Series = ser
	return g, err
}

// OneSeries takes the outcome of a range read of query over p.Range (res and
// err as Client.Range or Client.RangeWeeksAgo returned them) and returns its
// one series with the server's warnings (an answer read under
// prom.Config.AllowPartial). Errors: the read's error, saying for
// ErrPartial how to read it anyway; ErrNoSeries when it returned no series;
// an error listing the series when it returned several.
func (p PromSource) OneSeries(query string, res *prom.RangeResult, err error) (series.Series, []error, error) {
	allow := p.AllowPartialName
	if allow == "" {
		allow = "prom.Config.AllowPartial"
	}
	if err != nil {
		if errors.Is(err, ErrPartial) {
			err = fmt.Errorf("%w; %s reads it anyway", err, allow)
		}
		return series.Series{}, nil, err
	}
	switch len(res.Series) {
	case 0:
		return series.Series{}, nil, &kindError{kind: ErrNoSeries, msg: fmt.Sprintf("query %q returned no series from %s to %s: check the metric name and labels",
			query, p.Range.Start.UTC().Format(time.RFC3339), p.Range.End.UTC().Format(time.RFC3339))}
	case 1:
	default:
		return series.Series{}, nil, fmt.Errorf("query %q returned %d series (%s); want exactly one: narrow it with a label matcher or an aggregation such as sum(...)",
			query, len(res.Series), identities(res.Series))
	}
	var warnings []error
	for _, w := range res.Warnings {
		warnings = append(warnings, fmt.Errorf("the server warned (read anyway, %s): %s", allow, w))
	}
	return res.Series[0], warnings, nil
}

// OptionHistory is the key a *series.OptionError names
// JudgeOptions.History by (the server's JSON key; --history on the
// command line).
const OptionHistory = "history"

// checkHistory checks opts.History against plan: it is >= 0, and when
// > 0 it has queries to read again, with a Source that can read before
// its window.
func checkHistory(plan *steadystate.Plan, opts JudgeOptions) error {
	switch {
	case opts.History < 0:
		return &series.OptionError{Option: OptionHistory, Value: opts.History,
			Want: "a duration >= 0, the time before the window to read each query again over as its history, such as 4h"}
	case opts.History == 0:
		return nil
	case !HasQueries(plan):
		return &series.OptionError{Option: OptionHistory, Value: opts.History,
			Want: fmt.Sprintf("0: %s reads no query to read again; a metric whose data comes from files takes its history from history_control and history_experiment", plan.File)}
	case opts.Queries == nil:
		return nil // Load's ErrNoQuerySource names the first query's line.
	}
	if _, ok := opts.Queries.(HistorySource); !ok {
		return &series.OptionError{Option: OptionHistory, Value: opts.History,
			Want: fmt.Sprintf("0 with a query Source that cannot read before its window (%T); use a PromSource or another HistorySource", opts.Queries)}
	}
	return nil
}

// Load reads the data of every metric of plan, in the order of
// plan.Sources: control, experiment, then its history (history_control,
// history_experiment) when it names one; a file source with opts.Files, a
// query with opts.Queries. With opts.History > 0, a metric that names no
// history and whose control and experiment are both queries reads them
// again over the opts.History before the window (HistorySource.Before) as
// its history; a metric with a file among them gets none, and a warning
// saying so.
//
// When opts.Queries is nil and plan names a query, Load reads nothing and
// returns a *SourceError wrapping ErrNoQuerySource for the first query. A
// negative opts.History, or a positive one for a plan without queries or
// with a Queries that is not a HistorySource, is a *series.OptionError
// naming OptionHistory. Every error of a Source comes back as a
// *SourceError naming the hypothesis file, the source's line and field
// (the history read for opts.History is "metrics[0].control (history)");
// errors.Is(err, ErrPartial) tells an incomplete answer (inconclusive)
// from a failed read.
func Load(ctx context.Context, plan *steadystate.Plan, opts JudgeOptions) ([]MetricData, error) {
	if err := checkHistory(plan, opts); err != nil {
		return nil, err
	}
	files := opts.Files
	if files == nil {
		files = FileSource{Dir: filepath.Dir(plan.File)}
	}
	fail := func(i, side int, s steadystate.Source, err error) error {
		return &SourceError{File: plan.File, Line: s.Line, Field: field(i, side), Source: s, Err: err}
	}
	if opts.Queries == nil {
		// Name the first query's line rather than reading files and failing
		// later.
		for i, m := range plan.Sources {
			for side, s := range metricSources(m) {
				if s.Query != "" {
					return nil, fail(i, side, s, &kindError{kind: ErrNoQuerySource,
						msg: fmt.Sprintf("a PromQL query (%s) needs a server to send it to: set JudgeOptions.Queries, such as a PromSource", s.Query)})
				}
			}
		}
	}
	var before Source
	if opts.History > 0 {
		before = opts.Queries.(HistorySource).Before(opts.History)
	}
	data := make([]MetricData, len(plan.Sources))
	for i, m := range plan.Sources {
		groups := []*GroupData{&data[i].Control, &data[i].Experiment, &data[i].HistoryControl, &data[i].HistoryExperiment}
		for side, s := range metricSources(m) {
			if s == (steadystate.Source{}) {
				continue // no history named
			}
			src := files
			if s.Query != "" {
				src = opts.Queries
			}
			g, err := src.Read(ctx, s)
			if err != nil {
				return nil, fail(i, side, s, err)
			}
			*groups[side] = g
		}
		if before == nil || m.HasHistory() {
			continue
		}
		if m.Control.Query == "" || m.Experiment.Query == "" {
			data[i].Control.Warnings = append(data[i].Control.Warnings, fmt.Errorf(
				"no history: the history before the window is read again from queries only, and this metric's data comes from a file; give history_control and history_experiment"))
			continue
		}
		for side, s := range []steadystate.Source{m.Control, m.Experiment} {
			g, err := before.Read(ctx, s)
			if err != nil {
				return nil, &SourceError{File: plan.File, Line: s.Line, Field: field(i, side) + " (history)", Source: s, Err: err}
			}
			*groups[2+side] = g
		}
		data[i].HistoryReread = true
	}
	return data, nil
}

// metricSources returns m's sources in the order of field's sides: control,
// experiment, history_control, history_experiment (the last two zero when
// m names no history).
func metricSources(m steadystate.MetricSources) []steadystate.Source {
	return []steadystate.Source{m.Control, m.Experiment, m.HistoryControl, m.HistoryExperiment}
}

// field names side 0 (control), 1 (experiment), 2 (history_control) or 3
// (history_experiment) of metric i, as in a hypothesis file:
// "metrics[0].control".
func field(i, side int) string {
	return fmt.Sprintf("metrics[%d].%s", i, [4]string{"control", "experiment", "history_control", "history_experiment"}[side])
}
