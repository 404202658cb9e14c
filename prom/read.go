package prom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/chaosstat/chaosstat/series"
)

// Week is the shift of a week-over-week read: 7 × 24 hours of UTC time.
const Week = 7 * 24 * time.Hour

// Range is the time range of a range read: the points Start, Start+Step,
// Start+2·Step, ... up to and including End when it falls on that grid.
type Range struct {
	Start, End time.Time
	// Step is the spacing of the points, a whole number of milliseconds.
	Step time.Duration
}

// Points returns the number of points per series the range asks for.
func (r Range) Points() int64 {
	step := r.Step.Milliseconds()
	if step <= 0 || r.End.Before(r.Start) {
		return 0
	}
	return (r.End.UnixMilli()-r.Start.UnixMilli())/step + 1
}

// The keys a *series.OptionError names a Range's fields by: the flags
// --start, --end and --step of chaosstat's commands, and its server's keys.
const (
	OptionStart = "start"
	OptionEnd   = "end"
	OptionStep  = "step"
)

// Validate returns a *series.OptionError naming the field of r at fault,
// or nil: a Step that is not a positive whole number of milliseconds, an
// End before Start, or, when maxPoints is positive, a range of more than
// maxPoints points per series (Points). A Client reads any number of
// points, in chunks of Config.MaxPoints; a caller that bounds the work a
// request may ask for passes its bound. Range and RangeWeeksAgo check r
// with it.
func (r Range) Validate(maxPoints int64) error {
	switch {
	case r.Step <= 0 || r.Step%time.Millisecond != 0:
		return &series.OptionError{Option: OptionStep, Value: r.Step, Want: "a positive whole number of milliseconds"}
	case r.End.Before(r.Start):
		return &series.OptionError{Option: OptionEnd, Value: r.End.UTC().Format(time.RFC3339Nano),
			Want: "a time not before the start, " + r.Start.UTC().Format(time.RFC3339Nano)}
	}
	if n := r.Points(); maxPoints > 0 && n > maxPoints {
		return &series.OptionError{Option: OptionStep, Value: r.Step,
			Want: fmt.Sprintf("a step that gives at most %d points per series over the range (this one gives %d): a larger step or a shorter range", maxPoints, n)}
	}
	return nil
}

// Timing says where Stats.QueryTime comes from.
type Timing int

const (
	// WallTime is the time the read took as the client saw it, from the
	// first request to the last answer, retries and waits included.
	WallTime Timing = iota
	// ServerTime is the sum over the read's requests of the server's own
	// execution time (stats=all, data.stats.timings.execTotalTime), which
	// leaves out the network and the client's decoding.
	ServerTime
)

func (t Timing) String() string {
	if t == ServerTime {
		return "server"
	}
	return "wall"
}

// Stats are the counts of a read, for the steady-state criteria report
// ("is the metric cheap and complete to measure").
type Stats struct {
	// Series is the number of series the query returned.
	Series int
	// Points is the number of points read, over all series.
	Points int
	// Requests is the number of HTTP requests made, retries included;
	// Retries the number of those that were retries.
	Requests, Retries int
	// QueryTime is the query's time, measured as Timing says.
	QueryTime time.Duration
	Timing    Timing
	// Samples is the number of samples the server read to answer
	// (stats.samples.totalQueryableSamples) when ServerTime, else -1.
	Samples int64
}

// RangeResult is the result of a range read.
type RangeResult struct {
	// Series are the series the query returned, sorted by labels. Each
	// holds the points the server returned: a step with no sample is
	// absent, not NaN (series.Coverage measures such gaps).
	Series []series.Series
	// Warnings are the server's warnings; with Config.AllowPartial only,
	// for otherwise a warning fails the read with ErrPartial.
	Warnings []string
	// Infos are the server's informational notes ("metric might not be a
	// counter"); they never fail a read.
	Infos []string
	Stats Stats
}

// Sample is one point of an instant read.
type Sample struct {
	Name   string
	Labels map[string]string
	T      int64 // Unix milliseconds
	V      float64
}

// InstantResult is the result of an instant read.
type InstantResult struct {
	// Samples are the query's points, one per series; a scalar result is
	// one Sample without name or labels.
	Samples  []Sample
	Warnings []string
	Infos    []string
	Stats    Stats
}

// ScalarResult is the result of a Scalar read.
type ScalarResult struct {
	Value float64
	// T is the evaluation time in Unix milliseconds.
	T int64
	// Labels are the labels of the one series, if it had any.
	Labels   map[string]string
	Warnings []string
	Infos    []string
	Stats    Stats
}

// Range reads query over r into series, labels kept.
//
// The range is split into requests of at most Config.MaxPoints points per
// series, run Config.Concurrency at a time. Chunk k asks for the points
// Start + j·Step with j in [k·MaxPoints, (k+1)·MaxPoints), so every chunk
// starts one step after the previous one's last point, on the same grid, and
// the chunks together ask for each point exactly once. A point a server
// returns outside its chunk (VictoriaMetrics may align a range to the step)
// is left to the chunk that owns it; a repeated or out-of-order point is
// ErrBadResponse.
//
// Errors are *Error with Kind ErrBadQuery, ErrTimeout, ErrServer,
// ErrUnreachable, ErrAuth, ErrCanceled, ErrPartial or ErrBadResponse. An
// infinite value (such as a division by zero in the query) is ErrBadQuery:
// series cannot hold it.
func (c *Client) Range(ctx context.Context, query string, r Range) (*RangeResult, error) {
	return c.rangeRead(ctx, "range", query, r)
}

// RangeWeeksAgo reads query over r moved weeks weeks back, and returns the
// series moved forward again by the same amount, so that each point lies at
// the time of the current week it is compared with: last Tuesday 14:00 is
// returned as this Tuesday 14:00. The query needs no offset modifier. Weeks
// are 168 hours of UTC: across a daylight-saving change the local time of
// day moves by an hour (steadystate's baseline aligns by local time).
func (c *Client) RangeWeeksAgo(ctx context.Context, query string, r Range, weeks int) (*RangeResult, error) {
	op := "range " + strconv.Itoa(weeks) + " weeks back"
	if weeks < 1 {
		return nil, &Error{Kind: ErrBadQuery, Op: op, Query: query, Msg: fmt.Sprintf("weeks = %d; want 1 or more", weeks)}
	}
	d := time.Duration(weeks) * Week
	res, err := c.rangeRead(ctx, op, query, Range{Start: r.Start.Add(-d), End: r.End.Add(-d), Step: r.Step})
	if err != nil {
		return nil, err
	}
	for i, s := range res.Series {
		res.Series[i] = s.Shift(d)
	}
	return res, nil
}

// chunk is one request of a range read.
type chunk struct {
	start, end int64 // Unix ms, both included
	out        outcome
}

func (c *Client) rangeRead(ctx context.Context, op, query string, r Range) (*RangeResult, error) {
	t0 := time.Now()
	bad := func(format string, args ...any) error {
		return &Error{Kind: ErrBadQuery, Op: op, Query: query, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case strings.TrimSpace(query) == "":
		return nil, bad("empty query")
	case r.Start.IsZero() || r.End.IsZero():
		return nil, bad("the range needs a start and an end")
	}
	if err := r.Validate(0); err != nil {
		return nil, &Error{Kind: ErrBadQuery, Op: op, Query: query, Msg: err.Error(), Err: err}
	}
	start, step := r.Start.UnixMilli(), r.Step.Milliseconds()
	n := r.Points()
	per := int64(c.cfg.MaxPoints)
	chunks := make([]chunk, (n+per-1)/per)
	for k := range chunks {
		chunks[k].start = start + int64(k)*per*step
		chunks[k].end = start + min(n-1, int64(k+1)*per-1)*step
	}

	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, c.cfg.Concurrency)
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	// Chunks are started in time order, at most Concurrency at once.
dispatch:
	for k := range chunks {
		ch := &chunks[k]
		select {
		case sem <- struct{}{}:
		case <-cctx.Done():
			break dispatch
		}
		wg.Go(func() {
			defer func() { <-sem }()
			vr := v1.Range{Start: time.UnixMilli(ch.start), End: time.UnixMilli(ch.end), Step: r.Step}
			out, err := c.call(cctx, op, query, func(ctx context.Context, opts ...v1.Option) (model.Value, v1.Warnings, v1.Infos, error) {
				return c.api.QueryRange(ctx, query, vr, opts...)
			})
			if err != nil {
				once.Do(func() { firstErr = err; cancel() })
				return
			}
			ch.out = out
		})
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = c.contextError(ctx, op, query, 0)
	}
	if firstErr != nil {
		return nil, firstErr
	}

	res := &RangeResult{}
	type build struct {
		metric model.Metric
		s      series.Series
	}
	var builds []*build
	index := map[model.Fingerprint][]*build{}
	var exec time.Duration
	allExec := c.cfg.ServerStats
	res.Stats.Samples = 0
	for _, ch := range chunks {
		res.Warnings = append(res.Warnings, ch.out.warnings...)
		res.Infos = append(res.Infos, ch.out.infos...)
		res.Stats.Requests += ch.out.attempts
		exec += ch.out.exec
		res.Stats.Samples += ch.out.samples
		allExec = allExec && ch.out.hasExec
		m, ok := ch.out.val.(model.Matrix)
		if !ok {
			return nil, &Error{Kind: ErrBadResponse, Op: op, Query: query, Attempts: ch.out.attempts, Msg: fmt.Sprintf("a range query returned %s; want a matrix", typeName(ch.out.val))}
		}
		for _, ss := range m {
			if len(ss.Histograms) > 0 {
				return nil, bad("series %s holds native histograms; read a float series such as histogram_quantile(0.99, ...) or histogram_count(...)", ss.Metric)
			}
			var b *build
			fp := ss.Metric.Fingerprint()
			for _, cand := range index[fp] {
				if cand.metric.Equal(ss.Metric) {
					b = cand
				}
			}
			if b == nil {
				b = &build{metric: ss.Metric, s: newSeries(ss.Metric, int(n))}
				index[fp] = append(index[fp], b)
				builds = append(builds, b)
			}
			s := &b.s
			last := int64(math.MinInt64)
			if len(s.T) > 0 {
				last = s.T[len(s.T)-1]
			}
			for _, p := range ss.Values {
				t := int64(p.Timestamp)
				if t < ch.start || t > ch.end {
					continue // another chunk's point, or outside the range
				}
				if t <= last {
					return nil, &Error{Kind: ErrBadResponse, Op: op, Query: query, Attempts: ch.out.attempts, Msg: fmt.Sprintf("series %s: point at %s repeats or goes back in time", ss.Metric, time.UnixMilli(t).UTC().Format(time.RFC3339Nano))}
				}
				v := float64(p.Value)
				if math.IsInf(v, 0) {
					return nil, bad("series %s is %v at %s: a series cannot hold infinite values; guard divisions in the query (e.g. ... / (x > 0))", ss.Metric, v, time.UnixMilli(t).UTC().Format(time.RFC3339))
				}
				s.T = append(s.T, t)
				s.V = append(s.V, v)
				last = t
			}
		}
	}
	slices.SortFunc(builds, func(a, b *build) int { return compareMetrics(a.metric, b.metric) })
	for _, b := range builds {
		if len(b.s.T) == 0 {
			continue
		}
		res.Series = append(res.Series, b.s)
		res.Stats.Points += len(b.s.T)
	}
	res.Stats.Series = len(res.Series)
	res.Stats.Retries = res.Stats.Requests - len(chunks)
	c.setTime(&res.Stats, allExec, exec, t0)
	return res, nil
}

func (c *Client) setTime(st *Stats, allExec bool, exec time.Duration, t0 time.Time) {
	if allExec {
		st.QueryTime, st.Timing = exec, ServerTime
		return
	}
	st.QueryTime, st.Timing, st.Samples = time.Since(t0), WallTime, -1
}

// newSeries returns an empty series for metric with room for n points.
func newSeries(m model.Metric, n int) series.Series {
	s := series.Series{Name: string(m[model.MetricNameLabel]), T: make([]int64, 0, n), V: make([]float64, 0, n)}
	for k, v := range m {
		if k == model.MetricNameLabel {
			continue
		}
		if s.Labels == nil {
			s.Labels = make(map[string]string, len(m))
		}
		s.Labels[string(k)] = string(v)
	}
	return s
}

// compareMetrics orders label sets as Prometheus does: by their sorted
// label pairs.
func compareMetrics(a, b model.Metric) int {
	if a.Before(b) {
		return -1
	}
	if b.Before(a) {
		return 1
	}
	return 0
}

func typeName(v model.Value) string {
	if v == nil {
		return "nothing"
	}
	return "a " + v.Type().String()
}

// Instant evaluates query at t (the server's now when t is zero).
//
// A range vector (a query such as x[5m]) or a string is ErrBadQuery; errors
// are as for Range.
func (c *Client) Instant(ctx context.Context, query string, t time.Time) (*InstantResult, error) {
	return c.instant(ctx, "instant", query, t)
}

func (c *Client) instant(ctx context.Context, op, query string, t time.Time) (*InstantResult, error) {
	t0 := time.Now()
	if strings.TrimSpace(query) == "" {
		return nil, &Error{Kind: ErrBadQuery, Op: op, Query: query, Msg: "empty query"}
	}
	out, err := c.call(ctx, op, query, func(ctx context.Context, opts ...v1.Option) (model.Value, v1.Warnings, v1.Infos, error) {
		return c.api.Query(ctx, query, t, opts...)
	})
	if err != nil {
		return nil, err
	}
	res := &InstantResult{Warnings: out.warnings, Infos: out.infos}
	res.Stats.Requests, res.Stats.Retries = out.attempts, out.attempts-1
	res.Stats.Samples = out.samples
	add := func(m model.Metric, ts model.Time, v model.SampleValue) error {
		if math.IsInf(float64(v), 0) {
			return &Error{Kind: ErrBadQuery, Op: op, Query: query, Msg: fmt.Sprintf("the value of %s is %v; guard divisions in the query", m, float64(v))}
		}
		s := newSeries(m, 0)
		res.Samples = append(res.Samples, Sample{Name: s.Name, Labels: s.Labels, T: int64(ts), V: float64(v)})
		return nil
	}
	switch v := out.val.(type) {
	case model.Vector:
		slices.SortFunc(v, func(a, b *model.Sample) int { return compareMetrics(a.Metric, b.Metric) })
		for _, s := range v {
			if s.Histogram != nil {
				return nil, &Error{Kind: ErrBadQuery, Op: op, Query: query, Msg: fmt.Sprintf("series %s is a native histogram; read a float such as histogram_count(...)", s.Metric)}
			}
			if err := add(s.Metric, s.Timestamp, s.Value); err != nil {
				return nil, err
			}
		}
	case *model.Scalar:
		if err := add(nil, v.Timestamp, v.Value); err != nil {
			return nil, err
		}
	case model.Matrix:
		return nil, &Error{Kind: ErrBadQuery, Op: op, Query: query, Msg: "the query is a range vector (such as x[5m]); wrap it in a function such as rate(...) or avg_over_time(...), or use a range read"}
	default:
		return nil, &Error{Kind: ErrBadQuery, Op: op, Query: query, Msg: fmt.Sprintf("an instant query returned %s; want a vector or a scalar", typeName(out.val))}
	}
	res.Stats.Series = len(res.Samples)
	res.Stats.Points = len(res.Samples)
	c.setTime(&res.Stats, out.hasExec, out.exec, t0)
	return res, nil
}

// Scalar evaluates query at t (the server's now when t is zero) and returns
// its one value: the query must give a scalar or a vector of exactly one
// series, such as sum(rate(errors_total[5m])). An empty vector or a NaN
// value is ErrNoData (no data is never a pass); more than one series is
// ErrBadQuery. Other errors are as for Range.
func (c *Client) Scalar(ctx context.Context, query string, t time.Time) (*ScalarResult, error) {
	res, err := c.instant(ctx, "scalar", query, t)
	if err != nil {
		return nil, err
	}
	switch len(res.Samples) {
	case 0:
		return nil, &Error{Kind: ErrNoData, Op: "scalar", Query: query, Msg: "the query returned no series; check the metric name and labels, or wrap it as (QUERY) or vector(0) only if zero is truly meant"}
	case 1:
	default:
		ids := make([]string, 0, 3)
		for _, s := range res.Samples[:min(3, len(res.Samples))] {
			ids = append(ids, identity(s.Name, s.Labels))
		}
		return nil, &Error{Kind: ErrBadQuery, Op: "scalar", Query: query, Msg: fmt.Sprintf("the query returned %d series (%s...); want one: aggregate with sum(...) or narrow the labels", len(res.Samples), strings.Join(ids, ", "))}
	}
	s := res.Samples[0]
	if math.IsNaN(s.V) {
		return nil, &Error{Kind: ErrNoData, Op: "scalar", Query: query, Msg: "the value is NaN (such as 0/0: no events in the window)"}
	}
	return &ScalarResult{Value: s.V, T: s.T, Labels: s.Labels, Warnings: res.Warnings, Infos: res.Infos, Stats: res.Stats}, nil
}

func identity(name string, labels map[string]string) string {
	m := model.Metric{}
	for k, v := range labels {
		m[model.LabelName(k)] = model.LabelValue(v)
	}
	if name != "" {
		m[model.MetricNameLabel] = model.LabelValue(name)
	}
	return m.String()
}

// outcome is one successful request.
type outcome struct {
	val             model.Value
	warnings, infos []string
	attempts        int
	exec            time.Duration
	hasExec         bool
	samples         int64
}

// call makes one request through fn, retrying transient failures.
func (c *Client) call(ctx context.Context, op, query string, fn func(context.Context, ...v1.Option) (model.Value, v1.Warnings, v1.Infos, error)) (outcome, error) {
	opts := []v1.Option{v1.WithTimeout(c.cfg.Timeout)}
	if c.cfg.ServerStats {
		opts = append(opts, v1.WithStats(v1.AllStatsValue))
	}
	for k := 1; ; k++ {
		st := &attemptState{}
		actx, cancel := context.WithTimeout(context.WithValue(ctx, stateKey{}, st), c.cfg.Timeout)
		val, warns, infos, err := fn(actx, opts...)
		expired := actx.Err() != nil
		cancel()
		if err == nil {
			out := outcome{val: val, infos: c.redactAll(infos), attempts: k, exec: st.exec, hasExec: st.hasExec, samples: st.samples}
			out.warnings = c.redactAll(warns)
			if st.partial {
				out.warnings = append(out.warnings, "the server marked the response partial (isPartial: true): some storage nodes did not answer")
			}
			if len(out.warnings) > 0 && !c.cfg.AllowPartial {
				return outcome{}, &Error{Kind: ErrPartial, Op: op, Query: query, Status: st.status, Warnings: out.warnings, Attempts: k,
					Msg: "the server warned that the answer may be incomplete; judging on partial data must be a choice (allow partial responses to go on)"}
			}
			return out, nil
		}
		e := c.classify(ctx, op, query, st, err, expired)
		e.Attempts = k
		if !retryable(e) || k >= c.cfg.Retry.Attempts {
			return outcome{}, e
		}
		wait := c.backoff(k, st.retryAfter)
		if c.cfg.Logger != nil {
			c.cfg.Logger.WarnContext(ctx, "prom: retrying after a transient failure",
				"op", op, "attempt", k, "attempts", c.cfg.Retry.Attempts, "wait", wait, "error", e.Error())
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return outcome{}, c.contextError(ctx, op, query, k)
		case <-timer.C:
		}
	}
}

func (c *Client) redactAll(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := make([]string, len(s))
	for i, w := range s {
		out[i] = c.red.redact(w)
	}
	return out
}

// backoff returns the wait before attempt k+1: full jitter over
// [0, min(Max, Initial·2^(k-1))], or the server's Retry-After when longer,
// capped at Max.
func (c *Client) backoff(k int, retryAfter time.Duration) time.Duration {
	p := c.cfg.Retry
	ceil := p.Initial
	for i := 1; i < k && ceil < p.Max; i++ {
		ceil *= 2
	}
	ceil = min(ceil, p.Max)
	var wait time.Duration
	if ceil > 0 {
		wait = time.Duration(rand.Int64N(int64(ceil) + 1))
	}
	if retryAfter > wait {
		wait = min(retryAfter, p.Max)
	}
	return wait
}

func retryable(e *Error) bool {
	switch {
	case e.Kind == ErrUnreachable:
		return true
	case e.Kind == ErrServer:
		switch e.Status {
		case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
			http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
	}
	return false
}

// contextError is the error for a done caller context.
func (c *Client) contextError(ctx context.Context, op, query string, attempts int) *Error {
	err := ctx.Err()
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: ErrTimeout, Op: op, Query: query, Msg: "the context's deadline passed", Attempts: attempts, Err: err}
	}
	return &Error{Kind: ErrCanceled, Op: op, Query: query, Msg: "the context was cancelled", Attempts: attempts, Err: err}
}

// classify turns a failed request into an *Error.
func (c *Client) classify(ctx context.Context, op, query string, st *attemptState, err error, expired bool) *Error {
	if ctx.Err() != nil {
		return c.contextError(ctx, op, query, 0)
	}
	e := &Error{Op: op, Query: query, Status: st.status}
	if expired {
		e.Kind, e.Msg, e.Err = ErrTimeout, fmt.Sprintf("no answer within the timeout of %v", c.cfg.Timeout), context.DeadlineExceeded
		return e
	}
	var ce *credentialError
	if errors.As(err, &ce) {
		e.Kind, e.Msg = ErrAuth, c.red.redact(ce.Error())
		return e
	}
	var tl *tooLargeError
	if errors.As(err, &tl) {
		e.Kind, e.Msg = ErrBadResponse, tl.Error()
		return e
	}
	var ae *v1.Error
	if !errors.As(err, &ae) {
		// No HTTP answer: a transport error.
		e.Kind, e.Msg = ErrUnreachable, c.red.redact(transportMessage(err))
		e.Err = &redactedError{e.Msg}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			e.Kind = ErrTimeout
		}
		return e
	}
	e.Type, e.Msg = string(ae.Type), c.red.redact(ae.Msg)
	if ae.Detail != "" {
		// A non-API status (5xx, 401, 404, ...): the body may still be a
		// Prometheus error (a 503 query timeout is), or a proxy's page.
		var body struct {
			ErrorType string `json:"errorType"`
			Error     string `json:"error"`
		}
		if json.Unmarshal([]byte(ae.Detail), &body) == nil && body.Error != "" {
			e.Type, e.Msg = body.ErrorType, c.red.redact(body.Error)
		} else {
			e.Type, e.Msg = "", c.red.redact(fmt.Sprintf("%s: %s", ae.Msg, snippet(ae.Detail)))
		}
	}
	switch {
	case e.Type == string(v1.ErrTimeout):
		e.Kind = ErrTimeout
	case st.status == http.StatusBadRequest || st.status == http.StatusUnprocessableEntity,
		e.Type == string(v1.ErrBadData) || e.Type == string(v1.ErrExec):
		e.Kind = ErrBadQuery
	case st.status == http.StatusUnauthorized || st.status == http.StatusForbidden:
		e.Kind = ErrAuth
	case st.status == http.StatusNotFound:
		e.Kind = ErrBadResponse
		e.Msg = "HTTP 404 from " + c.cfg.Address + ": is the path prefix right? (Mimir and Cortex serve the API under /prometheus)"
	case st.status == http.StatusTooManyRequests || st.status/100 == 5:
		e.Kind = ErrServer
	case st.status/100 == 2 && ae.Type == v1.ErrBadResponse:
		e.Kind = ErrBadResponse
	case st.status/100 == 2:
		e.Kind = ErrServer // status "error" on a 200
	default:
		e.Kind = ErrBadResponse
	}
	return e
}

// transportMessage is a transport error's message without the URL, which
// is known to the caller and may be long.
func transportMessage(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// snippet returns the start of a response body for a message.
func snippet(body string) string {
	body = strings.TrimSpace(body)
	if len(body) > 200 {
		body = body[:200] + "..."
	}
	return strconv.Quote(body)
}

// attemptState is what recordingClient learns of one request.
type attemptState struct {
	status     int
	retryAfter time.Duration
	partial    bool
	hasExec    bool
	exec       time.Duration
	samples    int64
}

type stateKey struct{}

// recordingClient wraps the API client to record, for the request whose
// context holds an *attemptState, the HTTP status, Retry-After, the
// VictoriaMetrics isPartial flag and the server's statistics, none of which
// client_golang's v1 API passes on.
type recordingClient struct {
	next      api.Client
	wantStats bool
}

func (r *recordingClient) URL(ep string, args map[string]string) *url.URL {
	return r.next.URL(ep, args)
}

var (
	isPartialTrue = []byte(`"isPartial":true`)
	statsKey      = []byte(`"stats":{`)
)

func (r *recordingClient) Do(ctx context.Context, req *http.Request) (*http.Response, []byte, error) {
	resp, body, err := r.next.Do(ctx, req)
	st, _ := ctx.Value(stateKey{}).(*attemptState)
	if st == nil || resp == nil {
		return resp, body, err
	}
	st.status = resp.StatusCode
	st.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"))
	if err != nil || resp.StatusCode/100 != 2 {
		return resp, body, err
	}
	st.partial = bytes.Contains(body, isPartialTrue)
	if r.wantStats {
		// The stats object follows the result. A label value cannot hold
		// `"stats":{` unescaped, so its last occurrence is the object.
		if i := bytes.LastIndex(body, statsKey); i >= 0 {
			var stats struct {
				Timings struct {
					ExecTotalTime *float64 `json:"execTotalTime"`
				} `json:"timings"`
				Samples struct {
					TotalQueryableSamples int64 `json:"totalQueryableSamples"`
				} `json:"samples"`
			}
			if json.NewDecoder(bytes.NewReader(body[i+len(statsKey)-1:])).Decode(&stats) == nil && stats.Timings.ExecTotalTime != nil {
				st.hasExec = true
				st.exec = time.Duration(*stats.Timings.ExecTotalTime * float64(time.Second))
				st.samples = stats.Samples.TotalQueryableSamples
			}
		}
	}
	return resp, body, err
}

// parseRetryAfter parses a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(s string) time.Duration {
	if s == "" {
		return 0
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(s); err == nil {
		return max(0, time.Until(t))
	}
	return 0
}
