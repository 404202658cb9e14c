package server

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/apdex"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
	"github.com/chaosstat/chaosstat/workflow"
)

// Duration is a length of time in a request: a string as
// series.ParseDuration reads it ("30m", "1h").
type Duration time.Duration

// UnmarshalJSON reads a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return dataErrorf(`want a duration as a string, such as "30m"`)
	}
	v, err := series.ParseDuration(s)
	if err != nil {
		return dataErrorf("%v", err)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as compare.ShortDuration does.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(compare.ShortDuration(time.Duration(d)))
}

// QueryRange is the range a request's PromQL queries are read over, as
// the command's --start, --end and --step give it: times as
// series.ParseTimeAt reads them (RFC 3339, Unix seconds, now, now-1h).
// The end defaults to now and the step to 1m.
type QueryRange struct {
	Start string   `json:"start,omitempty"`
	End   string   `json:"end,omitempty"`
	Step  Duration `json:"step,omitempty"`
}

// given reports whether any of the range's keys is set.
func (q QueryRange) given() bool { return q.Start != "" || q.End != "" || q.Step != 0 }

// promRange returns the range, checked.
func (s *Server) promRange(q QueryRange) (prom.Range, error) {
	now := s.cfg.Now()
	r := prom.Range{End: now, Step: prom.DefaultStep}
	if q.Step != 0 {
		r.Step = time.Duration(q.Step)
	}
	if q.Start == "" {
		return r, badRequest("start", "missing start, the start of the queries' range (RFC 3339, Unix seconds or now-DURATION)")
	}
	var err error
	if r.Start, err = series.ParseTimeAt(q.Start, now); err != nil {
		return r, badRequest("start", "%v", err)
	}
	if q.End != "" {
		if r.End, err = series.ParseTimeAt(q.End, now); err != nil {
			return r, badRequest("end", "%v", err)
		}
	}
	if err := r.Validate(int64(s.cfg.MaxPoints)); err != nil {
		return r, optionError("", err)
	}
	return r, nil
}

// client returns the Prometheus client for a query given in field.
func (s *Server) client(field string) (*prom.Client, error) {
	if s.cfg.Prometheus == nil {
		return nil, badRequest(field, "this server reads no Prometheus (start it with --prometheus URL); give the data inline")
	}
	return s.cfg.Prometheus, nil
}

// group is one series of a request, as read.
type group struct {
	name     string
	s        series.Series
	warnings []error
	stats    prom.Stats
}

// read reads one input given inline in key or as a query in key_query.
// A missing input is an error unless optional.
func (s *Server) read(ctx context.Context, key string, d *Data, query string, q QueryRange) (group, error) {
	switch {
	case d.given() && query != "":
		return group{}, badRequest(key, "both %s and %s_query: give the data once", key, key)
	case d.given():
		if n := d.Series.Len(); n > s.cfg.MaxPoints {
			return group{}, badRequest(key, "%d points; this server takes at most %d per series", n, s.cfg.MaxPoints)
		}
		name := d.Name
		if name == "" {
			name = key
		}
		return group{name: name, s: d.Series}, nil
	case query == "":
		return group{}, badRequest(key, "missing %s (or %s_query)", key, key)
	}
	if _, err := s.client(key + "_query"); err != nil {
		return group{}, err
	}
	r, err := s.promRange(q)
	if err != nil {
		return group{}, err
	}
	return s.query(ctx, key+"_query", query, r)
}

// query reads query over r and returns its one series (PromSource.OneSeries).
func (s *Server) query(ctx context.Context, field, query string, r prom.Range) (group, error) {
	c, err := s.client(field)
	if err != nil {
		return group{}, err
	}
	res, err := c.Range(ctx, query, r)
	g := group{name: query}
	if err == nil {
		g.stats = res.Stats
	}
	g.s, g.warnings, err = workflow.PromSource{Range: r, AllowPartialName: "the server's --allow-partial"}.OneSeries(query, res, err)
	if err != nil {
		return g, fieldError(field, err)
	}
	if n := g.s.Len(); n > s.cfg.MaxPoints {
		return g, badRequest(field, "%d points; this server takes at most %d per series", n, s.cfg.MaxPoints)
	}
	return g, nil
}

// answer is an analysis's report and the status it is served with.
type answer struct {
	report interface{ WriteJSON(io.Writer) error }
	status int
}

// analysis is one POST /v1 endpoint.
type analysis struct {
	path string
	// request returns a new request value to decode into.
	request func() any
	run     func(s *Server, ctx context.Context, req any) (answer, error)
}

var analyses = []analysis{
	analysisOf("/v1/compare", (*Server).runCompare),
	analysisOf("/v1/aa", (*Server).runAA),
	analysisOf("/v1/judge", (*Server).runJudge),
	analysisOf("/v1/baseline", (*Server).runBaseline),
	analysisOf("/v1/criteria", (*Server).runCriteria),
	analysisOf("/v1/apdex", (*Server).runApdex),
}

// analysisOf is the analysis at path whose request type is R.
func analysisOf[R any](path string, run func(*Server, context.Context, *R) (answer, error)) analysis {
	return analysis{path, func() any { return new(R) }, func(s *Server, ctx context.Context, req any) (answer, error) {
		return run(s, ctx, req.(*R))
	}}
}

// analysis returns the handler of a: decode, run, write.
func (s *Server) analysis(a analysis) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The token is held until the computation ends, not until the
		// handler returns: a computation left running after its request
		// timed out still counts against Config.MaxConcurrent, so the
		// limit bounds the CPU in use. The goroutine gives it back once
		// started; until then (a Decode error, a panic) the handler does.
		select {
		case s.slots <- struct{}{}:
		case <-r.Context().Done():
			writeErr(w, &Error{Status: http.StatusServiceUnavailable, Err: fmt.Errorf("no answer within the server's timeout of %v: %d analyses were running", s.cfg.Timeout, cap(s.slots))})
			return
		}
		handedOver := false
		defer func() {
			if !handedOver {
				<-s.slots
			}
		}()
		req := a.request()
		if err := Decode(r.Body, req); err != nil {
			writeErr(w, err)
			return
		}
		ctx := r.Context()
		type result struct {
			body   []byte
			status int
			err    error
		}
		done := make(chan result, 1)
		handedOver = true
		go func() {
			var res result
			defer func() {
				if p := recover(); p != nil {
					s.log.Error("analysis panicked", "path", a.path, "panic", fmt.Sprint(p))
					res = result{err: &Error{Status: http.StatusInternalServerError, Err: errors.New("internal error: the analysis failed; the server's log has the details")}}
				}
				// The token first, so that a client's next request
				// never waits for its previous one's.
				<-s.slots
				done <- res
			}()
			ans, err := a.run(s, ctx, req)
			if err != nil {
				res.err = err
				return
			}
			var b bytes.Buffer
			if err := ans.report.WriteJSON(&b); err != nil {
				res.err = &Error{Status: http.StatusInternalServerError, Err: fmt.Errorf("writing the result: %v", err)}
				return
			}
			res.body, res.status = b.Bytes(), ans.status
		}()
		var res result
		select {
		case res = <-done:
		case <-ctx.Done():
			// The long computations (the A/A replay, criteria, the
			// quantile bootstrap, the baseline's calibration) look at ctx
			// and stop soon after it is done; the others end soon anyway.
			// Either way the answer is dropped, and the token is held
			// until the computation returns, so requests that arrive
			// meanwhile wait for a slot as if it were still answering.
			res.err = &Error{Status: http.StatusServiceUnavailable, Err: fmt.Errorf("no answer within the server's timeout of %v", s.cfg.Timeout)}
		}
		if res.err != nil {
			// A computation stopped by ctx may answer before ctx.Done is
			// seen: its error is the timeout's too.
			if ctx.Err() != nil && (!errors.As(res.err, new(*Error)) || errors.Is(res.err, ctx.Err())) {
				res.err = &Error{Status: http.StatusServiceUnavailable, Err: fmt.Errorf("no answer within the server's timeout of %v: %v", s.cfg.Timeout, res.err)}
			}
			writeErr(w, res.err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(res.status)
		w.Write(res.body)
	})
}

// writeErr writes err: an *Error with its status and field, or any other
// error with the status its kind gives.
func writeErr(w http.ResponseWriter, err error) {
	e := fieldError("", err)
	msg := e.Err.Error()
	if e.Field != "" && !strings.Contains(msg, e.Field) {
		msg = e.Field + ": " + msg
	}
	if e.Status == http.StatusUnprocessableEntity {
		msg = "inconclusive: " + msg
	}
	writeError(w, e.Status, e.Field, msg)
}

// libError is an error of a library call: its package prefix dropped, 400
// or 422 by its kind.
func libError(field string, err error) error {
	msg := err.Error()
	for _, p := range []string{"compare: ", "steadystate: ", "criteria: ", "apdex: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return &Error{Status: statusOf(err), Field: field, Err: wrapMsg{msg, err}}
}

// wrapMsg is err with another message.
type wrapMsg struct {
	msg string
	err error
}

func (w wrapMsg) Error() string { return w.msg }
func (w wrapMsg) Unwrap() error { return w.err }

// Groups are the control and the experiment of compare and aa: each inline
// (control, experiment) or a query (control_query, experiment_query) over
// the range.
type Groups struct {
	Control         *Data  `json:"control,omitempty"`
	Experiment      *Data  `json:"experiment,omitempty"`
	ControlQuery    string `json:"control_query,omitempty"`
	ExperimentQuery string `json:"experiment_query,omitempty"`
	QueryRange
}

// CompareRequest is the request of POST /v1/compare: chaosstat compare's
// flags. Each group is inline (control, experiment) or a query
// (control_query, experiment_query) over the range.
type CompareRequest struct {
	Groups
	// Test is mannwhitney (default), welch, ks or brunnermunzel.
	Test string `json:"test,omitempty"`
	// Method is auto (default), exact or asymptotic.
	Method string `json:"method,omitempty"`
	// Alternative is two-sided (default), greater or less.
	Alternative string `json:"alternative,omitempty"`
	// Confidence is the interval's level in (0, 1); 0 means 0.95.
	Confidence float64 `json:"confidence,omitempty"`
}

// runCompare answers a CompareRequest with compare.Run's report, as chaosstat
// compare does: status 200 whether significant or not.
func (s *Server) runCompare(ctx context.Context, req *CompareRequest) (answer, error) {
	test, err := parseTest(req.Test)
	if err != nil {
		return answer{}, err
	}
	opts := compare.Options{Confidence: req.Confidence}
	if opts.Method, err = compare.ParseMethod(or(req.Method, "auto")); err != nil {
		return answer{}, badRequest("method", "%v", err)
	}
	if opts.Alternative, err = compare.ParseAlternative(or(req.Alternative, "two-sided")); err != nil {
		return answer{}, badRequest("alternative", "%v", err)
	}
	if err := compare.CheckConfidence(req.Confidence); req.Confidence != 0 && err != nil {
		return answer{}, badRequest("confidence", "%v", err)
	}
	exp, ctl, err := s.groups(ctx, req.Control, req.Experiment, req.ControlQuery, req.ExperimentQuery, req.QueryRange)
	if err != nil {
		return answer{}, err
	}
	rep, err := compare.Run(compare.Group{Name: exp.name, Series: exp.s}, compare.Group{Name: ctl.name, Series: ctl.s}, test, opts)
	if err != nil {
		return answer{}, libError("", err)
	}
	rep.Warnings = append(append(exp.warnings, ctl.warnings...), rep.Warnings...)
	return answer{report: rep, status: http.StatusOK}, nil
}

// groups reads the experiment then the control.
func (s *Server) groups(ctx context.Context, control, experiment *Data, controlQuery, experimentQuery string, q QueryRange) (exp, ctl group, err error) {
	if err := s.rangeUnused(q, controlQuery != "" || experimentQuery != ""); err != nil {
		return exp, ctl, err
	}
	err = series.ReadEach(func() (err error) {
		exp, err = s.read(ctx, "experiment", experiment, experimentQuery, q)
		return err
	}, func() (err error) {
		ctl, err = s.read(ctx, "control", control, controlQuery, q)
		return err
	})
	return exp, ctl, err
}

// rangeUnused refuses a range without a query to read over it, as the
// command refuses --start without a query.
func (s *Server) rangeUnused(q QueryRange, haveQuery bool) error {
	if !haveQuery && q.given() {
		field := "start"
		if q.Start == "" {
			field = map[bool]string{true: "end", false: "step"}[q.End != ""]
		}
		return badRequest(field, "%s is the range of the queries, and there is none", field)
	}
	return nil
}

func parseTest(name string) (compare.Test, error) {
	if name == "" {
		return compare.DefaultTest, nil
	}
	t, err := compare.ParseTest(name)
	if err != nil {
		return t, badRequest("test", "%v", err)
	}
	return t, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// AARequest is the request of POST /v1/aa: chaosstat aa's flags.
type AARequest struct {
	Groups
	// Window is the planned window; zero means compare.DefaultAAPlanned.
	Window Duration `json:"window,omitempty"`
	// Windows are the candidate lengths, each once (compare.CheckAAWindows)
	// and at most Config.MaxWindows of them; empty means
	// compare.DefaultAAWindows.
	Windows []Duration `json:"windows,omitempty"`
	// Alpha is in (0, 0.5); zero means compare.DefaultAAAlpha.
	Alpha  float64 `json:"alpha,omitempty"`
	Test   string  `json:"test,omitempty"`
	Counts bool    `json:"counts,omitempty"`
	// Ratio is the planned split, "C:E"; empty means 1:1.
	Ratio  compare.Ratio `json:"ratio,omitzero"`
	Health bool          `json:"health,omitempty"`
}

// runAA answers an AARequest as chaosstat aa does: 200 valid or invalid (or,
// with health, mismatch or not), 422 with the report when there is too
// little history to judge the planned window (exit 3).
func (s *Server) runAA(ctx context.Context, req *AARequest) (answer, error) {
	test, err := parseTest(req.Test)
	if err != nil {
		return answer{}, err
	}
	if req.Alpha != 0 {
		if err := compare.CheckAAAlpha(req.Alpha); err != nil {
			return answer{}, badRequest("alpha", "%v", err)
		}
	}
	if len(req.Windows) > s.cfg.MaxWindows {
		return answer{}, badRequest("windows", "%d window lengths; this server tries at most %d per request", len(req.Windows), s.cfg.MaxWindows)
	}
	windows := make([]time.Duration, len(req.Windows))
	for i, w := range req.Windows {
		windows[i] = time.Duration(w)
	}
	// Before the groups are read: the library's rule, under the JSON key.
	if err := compare.CheckAAWindows(windows); err != nil {
		return answer{}, optionError("windows", err)
	}
	window := time.Duration(req.Window)
	if window == 0 {
		window = compare.DefaultAAPlanned
	}
	exp, ctl, err := s.groups(ctx, req.Control, req.Experiment, req.ControlQuery, req.ExperimentQuery, req.QueryRange)
	if err != nil {
		return answer{}, err
	}
	for _, g := range []struct {
		key string
		g   group
	}{{"experiment", exp}, {"control", ctl}} {
		if err := compare.CheckAAInput(g.g.name, g.g.s); err != nil {
			return answer{}, badRequest(g.key, "%v", err)
		}
	}
	eg, cg := compare.Group{Name: exp.name, Series: exp.s}, compare.Group{Name: ctl.name, Series: ctl.s}
	if req.Health {
		h, err := compare.RunHealth(eg, cg, window, req.Ratio, 0)
		if err != nil {
			return answer{}, libError("", err)
		}
		return answer{report: h, status: http.StatusOK}, nil
	}
	rep, err := compare.RunAAContext(ctx, eg, cg, test, compare.AAOptions{Windows: windows, Planned: window, Alpha: req.Alpha, Counts: req.Counts, Ratio: req.Ratio})
	if err != nil {
		var oe *series.OptionError
		if errors.As(err, &oe) { // the planned window: "window"
			return answer{}, badRequest(oe.Option, "%v", oe)
		}
		return answer{}, libError("", err)
	}
	status := http.StatusOK
	if rep.Result.Status() == compare.TooFewWindows {
		status = http.StatusUnprocessableEntity
	}
	return answer{report: rep, status: status}, nil
}

// ApdexRequest is the request of POST /v1/apdex: chaosstat apdex's flags,
// with the requests inline in place of the CSV file.
type ApdexRequest struct {
	// Requests are the requests to score.
	Requests []ApdexSample `json:"requests"`
	// Threshold is T in seconds (required); Frustrated is F, zero for 4T.
	Threshold  float64 `json:"threshold"`
	Frustrated float64 `json:"frustrated,omitempty"`
	// Window scores each window of this length (the requests then need
	// timestamps).
	Window Duration `json:"window,omitempty"`
	// Name names the requests' source in the report.
	Name string `json:"name,omitempty"`
}

// ApdexSample is one request, as a row of apdex's CSV file.
type ApdexSample struct {
	// DurationSeconds is the response time; null for a failed request
	// without one.
	DurationSeconds *float64 `json:"duration_seconds"`
	Error           bool     `json:"error"`
	// Timestamp is when it happened, as series.ParseTime reads it;
	// needed with window.
	Timestamp json.RawMessage `json:"timestamp,omitempty"`
}

// runApdex answers an ApdexRequest with apdex.NewReport's report; 422 for no
// requests.
func (s *Server) runApdex(_ context.Context, req *ApdexRequest) (answer, error) {
	th := apdex.Thresholds{T: req.Threshold, F: req.Frustrated}
	switch {
	case req.Threshold == 0:
		return answer{}, badRequest("threshold", "missing threshold, the target threshold T in seconds (such as 0.5)")
	case th.Validate() != nil:
		return answer{}, optionError("", th.Validate())
	case len(req.Requests) > s.cfg.MaxPoints:
		return answer{}, badRequest("requests", "%d requests; this server takes at most %d", len(req.Requests), s.cfg.MaxPoints)
	}
	samples := make([]apdex.Sample, len(req.Requests))
	timed := 0
	for i, r := range req.Requests {
		samples[i] = apdex.Sample{Duration: math.NaN(), Error: r.Error}
		if r.DurationSeconds != nil {
			samples[i].Duration = *r.DurationSeconds
		} else if !r.Error {
			return answer{}, badRequest("requests", "request %d: no duration_seconds, and not an error", i)
		}
		if r.Timestamp != nil {
			t, err := parsePointTime(r.Timestamp)
			if err != nil {
				return answer{}, badRequest("requests", "request %d: timestamp: %v", i, err)
			}
			samples[i].Time = t
			timed++
		}
	}
	if timed != 0 && timed != len(samples) {
		return answer{}, badRequest("requests", "%d of %d requests have a timestamp: give it for all or none", timed, len(samples))
	}
	if err := apdex.CheckWindow(time.Duration(req.Window), timed > 0 || len(samples) == 0); err != nil {
		return answer{}, badRequest("window", "%v", err)
	}
	rep, err := apdex.NewReport(samples, th, time.Duration(req.Window))
	if err != nil {
		return answer{}, libError("requests", err)
	}
	rep.Name = req.Name
	return answer{report: rep, status: http.StatusOK}, nil
}

// BaselineRequest is the request of POST /v1/baseline: chaosstat
// baseline's flags.
type BaselineRequest struct {
	History      *Data  `json:"history,omitempty"`
	Current      *Data  `json:"current,omitempty"`
	HistoryQuery string `json:"history_query,omitempty"`
	CurrentQuery string `json:"current_query,omitempty"`
	// QueryRange is the current query's range; the history's is the weeks
	// before the current series.
	QueryRange
	Weeks    int `json:"weeks,omitempty"`
	MinWeeks int `json:"min_weeks,omitempty"`
	// Timezone is an IANA zone name; "" means UTC.
	Timezone    string `json:"timezone,omitempty"`
	LevelAdjust bool   `json:"level_adjust,omitempty"`
	// Model is "auto" (or "", the default), "linear" or "counts"; log_scale
	// and pool_days build a model by hand instead (see baseline.Options).
	Model       string  `json:"model,omitempty"`
	LogScale    bool    `json:"log_scale,omitempty"`
	PoolDays    bool    `json:"pool_days,omitempty"`
	Resolution  float64 `json:"resolution,omitempty"`
	Z           float64 `json:"z,omitempty"`
	Persistence int     `json:"persistence,omitempty"`
}

// runBaseline answers a BaselineRequest with baseline.Judge's report: 200
// steady or deviating.
func (s *Server) runBaseline(ctx context.Context, req *BaselineRequest) (answer, error) {
	opts := baseline.Options{Weeks: req.Weeks, MinWeeks: req.MinWeeks, LevelAdjust: req.LevelAdjust,
		LogScale: req.LogScale, PoolDays: req.PoolDays, Resolution: req.Resolution}
	if opts.Weeks == 0 {
		opts.Weeks = baseline.DefaultWeeks
	}
	var err error
	if req.Model != "" {
		if opts.Model, err = baseline.ParseModel(req.Model); err != nil {
			return answer{}, optionError("model", err)
		}
	}
	if len(baseline.Options{Model: opts.Model, LogScale: req.LogScale, PoolDays: req.PoolDays}.ModelConflicts()) > 0 {
		return answer{}, badRequest("model", "model %s sets log_scale and pool_days itself: leave them out, or leave out model to build the model by hand", req.Model)
	}
	if opts.Location, err = baseline.LoadLocation(or(req.Timezone, "UTC")); err != nil {
		return answer{}, badRequest("timezone", "%v", err)
	}
	rule := baseline.DeviationRule{Z: req.Z, Persistence: req.Persistence}
	if err := cmp.Or(opts.Validate(), rule.Validate()); err != nil {
		return answer{}, optionError("", err)
	}
	if req.CurrentQuery == "" && req.QueryRange.given() {
		return answer{}, badRequest("start", "start, end and step are the current query's range; the current series is inline")
	}
	cur, err := s.read(ctx, "current", req.Current, req.CurrentQuery, req.QueryRange)
	if err != nil {
		return answer{}, err
	}
	if err := baseline.CheckInput(cur.name, cur.s); err != nil {
		return answer{}, badRequest(map[bool]string{true: "current_query", false: "current"}[req.CurrentQuery != ""], "%v", err)
	}
	var hist group
	if req.HistoryQuery != "" && !req.History.given() {
		// A current query's step (its default too); an inline current
		// series' own, 0.
		step := time.Duration(req.Step)
		if req.CurrentQuery != "" && step == 0 {
			step = prom.DefaultStep
		}
		var r prom.Range
		if r, err = workflow.BaselineHistoryRange(cur.s, opts.Weeks, step); err != nil {
			return answer{}, fieldError("history_query", err)
		}
		hist, err = s.query(ctx, "history_query", req.HistoryQuery, r)
	} else {
		hist, err = s.read(ctx, "history", req.History, req.HistoryQuery, req.QueryRange)
	}
	if err != nil {
		return answer{}, err
	}
	if err := baseline.CheckInput(hist.name, hist.s); err != nil {
		return answer{}, badRequest(map[bool]string{true: "history_query", false: "history"}[req.HistoryQuery != ""], "%v", err)
	}
	rep, err := baseline.JudgeContext(ctx, hist.s, cur.s, opts, rule)
	if err != nil {
		field := ""
		if in := (*baseline.InputError)(nil); errors.As(err, &in) {
			field = in.Input
		}
		return answer{}, libError(field, err)
	}
	rep.History, rep.Current = hist.name, cur.name
	for _, w := range append(cur.warnings, hist.warnings...) {
		rep.Warnings = append(rep.Warnings, w)
	}
	return answer{report: rep, status: http.StatusOK}, nil
}

// CriteriaRequest is the request of POST /v1/criteria: chaosstat
// criteria's flags. Metric holds the candidates in order, each inline
// (data) or a query, as --metric NAME=FILE and --metric-query NAME=Q.
type CriteriaRequest struct {
	Satisfaction      *Data  `json:"satisfaction,omitempty"`
	SatisfactionQuery string `json:"satisfaction_query,omitempty"`
	QueryRange
	Metric []CriteriaMetric `json:"metric"`
	// The durations; zero means criteria.DefaultOptions'.
	MaxLag     Duration `json:"max_lag,omitempty"`
	Resolution Duration `json:"resolution,omitempty"`
	MaxDelay   Duration `json:"max_delay,omitempty"`
	MaxLatency Duration `json:"max_latency,omitempty"`
	// Now is the query time latency is measured at (series.ParseTimeAt);
	// "" leaves latency unjudged.
	Now          string `json:"now,omitempty"`
	Method       string `json:"method,omitempty"`
	Differencing string `json:"differencing,omitempty"`
	// The levels; zero means criteria.DefaultOptions'.
	MinCorrelation  float64 `json:"min_correlation,omitempty"`
	Alpha           float64 `json:"alpha,omitempty"`
	MinCompleteness float64 `json:"min_completeness,omitempty"`
}

// CriteriaMetric is one candidate: its name and its data or query.
type CriteriaMetric struct {
	Name  string `json:"name"`
	Data  *Data  `json:"data,omitempty"`
	Query string `json:"query,omitempty"`
}

// runCriteria answers a CriteriaRequest with criteria.EvaluateAll's report:
// 200 whether every candidate passes or not.
func (s *Server) runCriteria(ctx context.Context, req *CriteriaRequest) (answer, error) {
	// Zero options are criteria.DefaultOptions' (EvaluateAll fills them
	// in, and its report shows them).
	o := criteria.Options{MaxLag: time.Duration(req.MaxLag), MaxResolution: time.Duration(req.Resolution),
		MaxDelay: time.Duration(req.MaxDelay), MaxLatency: time.Duration(req.MaxLatency),
		MinCorrelation: req.MinCorrelation, Alpha: req.Alpha, MinCompleteness: req.MinCompleteness}
	if err := o.Validate(); err != nil {
		return answer{}, optionError("", err)
	}
	var err error
	if req.Method != "" {
		if o.Method, err = compare.ParseCorrelationMethod(req.Method); err != nil {
			return answer{}, badRequest("method", "%v", err)
		}
	}
	if req.Differencing != "" {
		if o.Differencing, err = criteria.ParseDifferencing(req.Differencing); err != nil {
			return answer{}, badRequest("differencing", "%v", err)
		}
	}
	var now time.Time
	if req.Now != "" {
		if now, err = series.ParseTimeAt(req.Now, s.cfg.Now()); err != nil {
			return answer{}, badRequest("now", "%v", err)
		}
	}
	if len(req.Metric) == 0 {
		return answer{}, badRequest("metric", `missing metric: give at least one candidate, [{"name": ..., "data": [...]}]`)
	}
	haveQuery := req.SatisfactionQuery != ""
	seen := map[string]bool{}
	for i, m := range req.Metric {
		field := fmt.Sprintf("metric[%d]", i)
		switch {
		case strings.TrimSpace(m.Name) == "":
			return answer{}, badRequest(field+".name", "missing the metric's name")
		case seen[m.Name]:
			return answer{}, badRequest(field+".name", "metric %q given twice", m.Name)
		case m.Data.given() && m.Query != "":
			return answer{}, badRequest(field, "both data and query: give the metric's data once")
		case !m.Data.given() && m.Query == "":
			return answer{}, badRequest(field, "missing data (or query)")
		}
		seen[m.Name] = true
		haveQuery = haveQuery || m.Query != ""
	}
	if err := s.rangeUnused(req.QueryRange, haveQuery); err != nil {
		return answer{}, err
	}
	var sat group
	cands := make([]criteria.Candidate, len(req.Metric))
	reads := []func() error{func() (err error) {
		if sat, err = s.read(ctx, "satisfaction", req.Satisfaction, req.SatisfactionQuery, req.QueryRange); err == nil {
			if err = criteria.CheckInput(sat.name, sat.s); err != nil {
				err = badRequest(map[bool]string{true: "satisfaction_query", false: "satisfaction"}[req.SatisfactionQuery != ""], "%v", err)
			}
		}
		return err
	}}
	var warns []string
	for i, m := range req.Metric {
		reads = append(reads, func() error {
			field := fmt.Sprintf("metric[%d]", i)
			var g group
			var err error
			if m.Query != "" {
				var r prom.Range
				if r, err = s.promRange(req.QueryRange); err == nil {
					g, err = s.query(ctx, field+".query", m.Query, r)
				}
				for _, w := range g.warnings {
					warns = append(warns, "metric-query "+m.Name+": "+w.Error())
				}
			} else {
				g, err = s.read(ctx, field+".data", m.Data, "", req.QueryRange)
				if g.name == field+".data" {
					g.name = m.Name
				}
			}
			if err == nil {
				if err = criteria.CheckInput(g.name, g.s); err != nil {
					err = badRequest(field, "%v", err)
				}
			}
			cands[i] = workflow.Candidate(m.Name, g.s, g.stats)
			return err
		})
	}
	if err := series.ReadEach(reads...); err != nil {
		return answer{}, err
	}
	rep, err := criteria.EvaluateAllContext(ctx, sat.s, cands, now, o)
	if err != nil {
		return answer{}, libError("", err)
	}
	rep.Satisfaction.Name = sat.name
	return answer{report: rep, status: http.StatusOK}, nil
}

// JudgeRequest is the request of POST /v1/judge: the hypothesis (YAML or
// JSON text, examples/hypothesis/SCHEMA.md) in place of --hypothesis
// FILE. The server reads no file: a metric's file source names a key of
// Data, which holds its data inline; a query source is read from the
// server's Prometheus over the range.
type JudgeRequest struct {
	Hypothesis string `json:"hypothesis"`
	// HypothesisFile names the hypothesis in messages and reports, and
	// the folder its sources' names are reported relative to; it is not
	// read. "" means "hypothesis".
	HypothesisFile string `json:"hypothesis_file,omitempty"`
	// Data holds each file source's data, by the name the hypothesis
	// gives it.
	Data map[string]*Data `json:"data,omitempty"`
	QueryRange
	// History is chaosstat judge's --history: read each metric's control
	// and experiment queries again over this long before start as their
	// history (workflow.JudgeOptions.History), unless the metric names
	// history_control and history_experiment. "" reads none.
	History Duration `json:"history,omitempty"`
}

// runJudge answers a JudgeRequest with workflow.JudgePlan's report: 200 held
// or disproved, 422 with the report when inconclusive (exit 3).
func (s *Server) runJudge(ctx context.Context, req *JudgeRequest) (answer, error) {
	if strings.TrimSpace(req.Hypothesis) == "" {
		return answer{}, badRequest("hypothesis", "missing hypothesis, the hypothesis's YAML or JSON text")
	}
	name := or(req.HypothesisFile, "hypothesis")
	plan, err := steadystate.ParseHypothesis([]byte(req.Hypothesis), name)
	if err != nil {
		return answer{}, badRequest("hypothesis", "%v", err)
	}
	haveQuery := workflow.HasQueries(plan)
	if err := s.rangeUnused(req.QueryRange, haveQuery); err != nil {
		return answer{}, err
	}
	for k, d := range req.Data {
		if d.given() && d.Series.Len() > s.cfg.MaxPoints {
			return answer{}, badRequest("data", "data[%q]: %d points; this server takes at most %d per series", k, d.Series.Len(), s.cfg.MaxPoints)
		}
	}
	dir := filepath.Dir(name)
	opts := workflow.JudgeOptions{Files: workflow.SourceFunc(func(_ context.Context, src steadystate.Source) (workflow.GroupData, error) {
		d, ok := req.Data[src.File]
		if !ok || !d.given() {
			return workflow.GroupData{}, fmt.Errorf("this server reads no files: give %q's data inline, in data[%q]", src.File, src.File)
		}
		return workflow.GroupData{Series: d.Series, Name: filepath.Join(dir, src.File)}, nil
	})}
	if haveQuery {
		c, err := s.client("hypothesis")
		if err != nil {
			return answer{}, err
		}
		r, err := s.promRange(req.QueryRange)
		if err != nil {
			return answer{}, err
		}
		opts.Queries = workflow.PromSource{Client: c, Range: r, AllowPartialName: "the server's --allow-partial"}
	}
	opts.History = time.Duration(req.History)
	rep, err := workflow.JudgePlan(ctx, plan, opts)
	if oe := (*series.OptionError)(nil); errors.As(err, &oe) {
		return answer{}, optionError("", err)
	}
	if err != nil {
		field := "hypothesis"
		if se := (*workflow.SourceError)(nil); errors.As(err, &se) && se.Source.File != "" {
			field = "data"
		}
		return answer{}, &Error{Status: statusOf(err), Field: field, Err: err}
	}
	status := http.StatusOK
	if rep.Verdict.Outcome == steadystate.Inconclusive {
		status = http.StatusUnprocessableEntity
	}
	return answer{report: rep, status: status}, nil
}
