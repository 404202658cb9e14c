package criteria

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/format"
	"github.com/chaosstat/chaosstat/series"
)

// Report is the criteria table for several candidate metrics: one
// row per metric, one column per criterion.
type Report struct {
	// Options are the thresholds the rows were judged by, defaults
	// applied.
	Options Options
	// Now is the query time latency was measured at (zero: not given).
	Now time.Time
	// Satisfaction is the extent of the satisfaction series the metrics
	// were measured against, for the text's first line.
	Satisfaction Span
	Metrics      []Result
}

// Span is a series' extent as the report shows it.
type Span struct {
	// Name names the series: a file, a query. EvaluateAll sets it to the
	// series' Identity, "" for a CSV series, which the text then leaves
	// out.
	Name string
	// Points is the number of points, missing ones included; First and
	// Last are the times of the first and the last.
	Points      int
	First, Last time.Time
}

// String returns the points and their times in UTC: "10080 points from
// 2025-11-02T00:00:00Z to 2025-11-08T23:59:00Z".
func (s Span) String() string {
	return fmt.Sprintf("%d points from %s to %s", s.Points, s.First.UTC().Format(time.RFC3339), s.Last.UTC().Format(time.RFC3339))
}

// Pass reports whether every metric passes every criterion. A report with
// no metrics does not pass.
func (r Report) Pass() bool {
	for _, m := range r.Metrics {
		if !m.Pass {
			return false
		}
	}
	return len(r.Metrics) > 0
}

// EvaluateAll measures every candidate against the satisfaction
// series (see Evaluate) and returns the table, which WriteText and
// MarshalJSON write as `chaosstat criteria` does. The first candidate
// that cannot be measured stops it with an error naming the metric
// (ErrNoData when a series has too few points): a row without
// data would be a verdict on missing data.
func EvaluateAll(satisfaction series.Series, candidates []Candidate, now time.Time, opts Options) (Report, error) {
	return EvaluateAllContext(context.Background(), satisfaction, candidates, now, opts)
}

// EvaluateAllContext is EvaluateAll stopped early when ctx is done (see
// EvaluateContext): the error then wraps ctx.Err(), and there is no report.
func EvaluateAllContext(ctx context.Context, satisfaction series.Series, candidates []Candidate, now time.Time, opts Options) (Report, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return Report{}, err
	}
	if len(candidates) == 0 {
		return Report{}, errors.New("criteria: no candidate metrics")
	}
	rep := Report{Options: o, Now: now}
	for _, c := range candidates {
		r, err := EvaluateContext(ctx, satisfaction, c, now, opts)
		if err != nil {
			return Report{}, err
		}
		rep.Metrics = append(rep.Metrics, r)
	}
	t := satisfaction.T
	rep.Satisfaction = Span{Name: satisfaction.Identity(), Points: len(t),
		First: time.UnixMilli(t[0]).UTC(), Last: time.UnixMilli(t[len(t)-1]).UTC()}
	return rep, nil
}

// WriteText writes the report as `chaosstat criteria` prints it: the
// satisfaction series and the query time, the table (see WriteTable), then
// the cost of the metrics read by query, when any was (the servers'
// statistics: series returned and samples read).
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	if s := r.Satisfaction; s.Points > 0 {
		if s.Name != "" {
			fmt.Fprintf(&b, "satisfaction: %s, %s\n", s.Name, s)
		} else {
			fmt.Fprintf(&b, "satisfaction: %s\n", s)
		}
	}
	if !r.Now.IsZero() {
		fmt.Fprintf(&b, "query time: %s\n", r.Now.UTC().Format(time.RFC3339))
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	if err := r.WriteTable(&b); err != nil {
		return err
	}
	head := false
	for _, m := range r.Metrics {
		ms := m.Measurability
		if ms.SeriesCount == 0 {
			continue
		}
		if !head {
			b.WriteString("\nquery cost (the server's statistics):\n")
			head = true
		}
		samples := "samples read unknown"
		if ms.QuerySamples > 0 {
			samples = fmt.Sprintf("%d samples read", ms.QuerySamples)
		}
		fmt.Fprintf(&b, "  %s: %d series returned, %s\n", m.Name, ms.SeriesCount, samples)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteTable writes the table a team writes by hand: one row per metric,
// one column per criterion, each cell PASS or FAIL with the figure behind
// it, then the thresholds and each metric's warnings. It is the middle of
// WriteText, for a longer report that introduces the series itself.
func (r Report) WriteTable(w io.Writer) error {
	o := r.Options
	rows := [][]string{{"metric", "correlation", "real-time", "measurability", "verdict"}}
	for _, m := range r.Metrics {
		rows = append(rows, []string{m.Name, crCorrCell(m.Correlation), crRealTimeCell(m.RealTime), crMeasCell(m.Measurability), crPF(m.Pass)})
	}
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, c := range row {
			if i == len(row)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(c)
			b.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)+2))
		}
		b.WriteString("\n")
	}
	if o.Differencing == Deseasonalised {
		coef := o.Method.String()
		if o.Method != compare.Pearson {
			coef += ", or pearson on levels,"
		}
		fmt.Fprintf(&b, "\ncorrelation: |%s| >= %s and p <= %s on the best of the deseasonalised levels (daily cycle and trend removed), their changes and prewhitened surprises, at the prewhitened peak within ±%s (p corrected for autocorrelation, lags and components)\n",
			coef, crNum(o.MinCorrelation), crNum(o.Alpha), compare.ShortDuration(o.MaxLag))
	} else {
		fmt.Fprintf(&b, "\ncorrelation: |%s| >= %s and p <= %s, %s, lags within ±%s (p corrected for autocorrelation and the lag search)\n",
			o.Method, crNum(o.MinCorrelation), crNum(o.Alpha), crDiffWords(o), compare.ShortDuration(o.MaxLag))
	}
	fmt.Fprintf(&b, "real-time: resolution <= %s, delay behind satisfaction <= %s, latency <= %s\n", compare.ShortDuration(o.MaxResolution), compare.ShortDuration(o.MaxDelay), compare.ShortDuration(o.MaxLatency))
	fmt.Fprintf(&b, "measurability: completeness >= %s%%\n", crNum(100*o.MinCompleteness))
	for _, m := range r.Metrics {
		if len(m.Warnings) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s:\n", m.Name)
		for _, w := range m.Warnings {
			fmt.Fprintf(&b, "  - %v\n", w)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func crPF(pass bool) string {
	if pass {
		return "PASS"
	}
	return "FAIL"
}

func crDiffWords(o Options) string {
	switch o.Differencing {
	case SeasonalDifference:
		return "changes over " + compare.ShortDuration(o.Season)
	case Levels:
		return "levels (not differenced)"
	}
	return "first differences"
}

func crCorrCell(c CorrelationCriterion) string {
	if math.IsNaN(c.Coefficient) {
		return crPF(c.Pass) + " not computed"
	}
	cell := fmt.Sprintf("%s %+.2f at %s, p %s", crPF(c.Pass), c.Coefficient, crSignedDur(c.Lag), crP(c.P))
	if c.Component != "" {
		cell += fmt.Sprintf(", %s %s", c.Method, c.Component)
	}
	return cell
}

func crRealTimeCell(r RealTimeCriterion) string {
	delay, latency := "delay ?", "latency ?"
	if r.DelayKnown {
		delay = compare.ShortDuration(r.Delay) + " late"
	}
	if r.LatencyKnown {
		latency = compare.ShortDuration(r.Latency) + " old"
	}
	return fmt.Sprintf("%s every %s, %s, %s", crPF(r.Pass), compare.ShortDuration(r.Resolution), delay, latency)
}

func crMeasCell(m MeasurabilityCriterion) string {
	gap := "no gap"
	if m.LongestGap > 0 {
		gap = "longest gap " + compare.ShortDuration(m.LongestGap)
	}
	return fmt.Sprintf("%s %s%% complete, %s", crPF(m.Pass), crPct(m.Completeness), gap)
}

func crSignedDur(d time.Duration) string {
	if d > 0 {
		return "+" + compare.ShortDuration(d)
	}
	if d < 0 {
		return "-" + compare.ShortDuration(-d)
	}
	return "lag 0"
}

// crP formats a p-value: "= 0.012", "< 1e-15".
func crP(p float64) string {
	if p < 1e-15 {
		return "< 1e-15"
	}
	return "= " + format.PValue(p)
}

// crPct formats a share as a percentage with one decimal, never rounding
// a share below 1 up to 100.
func crPct(x float64) string {
	s := strconv.FormatFloat(100*x, 'f', 1, 64)
	if s == "100.0" && x < 1 {
		return "99.9"
	}
	return s
}

func crNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// crSeconds is a duration in seconds for JSON, or null when unknown.
func crSeconds(d time.Duration, known bool) *float64 {
	if !known {
		return nil
	}
	s := d.Seconds()
	return &s
}

type crJSONReport struct {
	Pass     bool           `json:"pass"`
	Now      *string        `json:"now"`
	Criteria crJSONCriteria `json:"criteria"`
	Metrics  []crJSONMetric `json:"metrics"`
}

type crJSONCriteria struct {
	Method               string  `json:"method"`
	Differencing         string  `json:"differencing"`
	SeasonSeconds        float64 `json:"season_seconds"`
	MaxLagSeconds        float64 `json:"max_lag_seconds"`
	MinCorrelation       float64 `json:"min_correlation"`
	Alpha                float64 `json:"alpha"`
	MaxResolutionSeconds float64 `json:"max_resolution_seconds"`
	MaxDelaySeconds      float64 `json:"max_delay_seconds"`
	MaxLatencySeconds    float64 `json:"max_latency_seconds"`
	MinCompleteness      float64 `json:"min_completeness"`
}

type crJSONMethod struct {
	Method      string       `json:"method"`
	Coefficient format.Float `json:"coefficient"`
	PValue      format.Float `json:"p_value"`
}

type crJSONComponent struct {
	Component   string       `json:"component"`
	Method      string       `json:"method"`
	Coefficient format.Float `json:"coefficient"`
	PValue      format.Float `json:"p_value"`
	N           int          `json:"n"`
	EffectiveN  format.Float `json:"effective_n"`
}

type crJSONMetric struct {
	Name        string `json:"name"`
	Pass        bool   `json:"pass"`
	Correlation struct {
		Method           string         `json:"method"`
		Differencing     string         `json:"differencing"`
		Coefficient      format.Float   `json:"coefficient"`
		Direction        string         `json:"direction"`
		PValue           format.Float   `json:"p_value"`
		LagSeconds       float64        `json:"lag_seconds"`
		N                int            `json:"n"`
		EffectiveN       format.Float   `json:"effective_n"`
		LagsSearched     int            `json:"lags_searched"`
		StepSeconds      float64        `json:"step_seconds"`
		LevelCoefficient format.Float   `json:"level_coefficient"`
		Methods          []crJSONMethod `json:"methods"`
		Pass             bool           `json:"pass"`
		// Deseasonalised only (null and [] otherwise).
		Component              *string           `json:"component"`
		ComponentDescription   *string           `json:"component_description"`
		Components             []crJSONComponent `json:"components"`
		PrewhitenedCoefficient format.Float      `json:"prewhitened_coefficient"`
		PrewhitenedPValue      format.Float      `json:"prewhitened_p_value"`
		AROrder                int               `json:"ar_order"`
		SeasonRemoved          bool              `json:"season_removed"`
	} `json:"correlation"`
	RealTime struct {
		ResolutionSeconds float64  `json:"resolution_seconds"`
		LagSeconds        *float64 `json:"lag_seconds"`
		LatencySeconds    *float64 `json:"latency_seconds"`
		Pass              bool     `json:"pass"`
	} `json:"realtime"`
	Measurability struct {
		Completeness        float64 `json:"completeness"`
		LongestGapSeconds   float64 `json:"longest_gap_seconds"`
		ExpectedPoints      int     `json:"expected_points"`
		MissingPoints       int     `json:"missing_points"`
		ExpectedStepSeconds float64 `json:"expected_step_seconds"`
		Series              *int    `json:"series"`
		QuerySamples        *int64  `json:"query_samples"`
		Pass                bool    `json:"pass"`
	} `json:"measurability"`
	Warnings []string `json:"warnings"`
}

// MarshalJSON writes the report in the shape `chaosstat criteria --format
// json` prints, documented in docs/commands/criteria.md: {pass, now, criteria, metrics:
// [{name, pass, correlation{method, coefficient, p_value, lag_seconds,
// pass, ...}, realtime{resolution_seconds, lag_seconds, latency_seconds,
// pass}, measurability{completeness, longest_gap_seconds, pass, ...},
// warnings}]}. Unknown figures (latency without a query time, the delay
// of a metric that does not correlate) are null.
func (r Report) MarshalJSON() ([]byte, error) {
	o := r.Options
	out := crJSONReport{
		Pass: r.Pass(),
		Criteria: crJSONCriteria{
			Method: o.Method.String(), Differencing: o.Differencing.String(),
			SeasonSeconds: o.Season.Seconds(), MaxLagSeconds: o.MaxLag.Seconds(),
			MinCorrelation: o.MinCorrelation, Alpha: o.Alpha,
			MaxResolutionSeconds: o.MaxResolution.Seconds(), MaxDelaySeconds: o.MaxDelay.Seconds(),
			MaxLatencySeconds: o.MaxLatency.Seconds(), MinCompleteness: o.MinCompleteness,
		},
		Metrics: []crJSONMetric{},
	}
	if !r.Now.IsZero() {
		s := r.Now.UTC().Format(time.RFC3339Nano)
		out.Now = &s
	}
	for _, m := range r.Metrics {
		var j crJSONMetric
		j.Name, j.Pass = m.Name, m.Pass
		c := m.Correlation
		j.Correlation.Method, j.Correlation.Differencing = c.Method.String(), c.Differencing.String()
		j.Correlation.Coefficient, j.Correlation.PValue = format.Float(c.Coefficient), format.Float(c.P)
		switch {
		case c.Coefficient > 0:
			j.Correlation.Direction = "positive"
		case c.Coefficient < 0:
			j.Correlation.Direction = "negative"
		default:
			j.Correlation.Direction = "none"
		}
		j.Correlation.LagSeconds = c.Lag.Seconds()
		j.Correlation.N, j.Correlation.EffectiveN, j.Correlation.LagsSearched = c.N, format.Float(c.EffectiveN), c.LagsSearched
		j.Correlation.StepSeconds, j.Correlation.LevelCoefficient = c.Step.Seconds(), format.Float(c.LevelCoefficient)
		j.Correlation.Pass = c.Pass
		j.Correlation.Methods = []crJSONMethod{}
		for _, mc := range c.Methods {
			j.Correlation.Methods = append(j.Correlation.Methods, crJSONMethod{mc.Method.String(), format.Float(mc.Coefficient), format.Float(mc.P)})
		}
		if c.Component != "" {
			comp, desc := string(c.Component), c.Component.Describe()
			j.Correlation.Component, j.Correlation.ComponentDescription = &comp, &desc
		}
		j.Correlation.Components = []crJSONComponent{}
		for _, cp := range c.Components {
			j.Correlation.Components = append(j.Correlation.Components, crJSONComponent{string(cp.Component), cp.Method.String(),
				format.Float(cp.Coefficient), format.Float(cp.P), cp.N, format.Float(cp.EffectiveN)})
		}
		j.Correlation.PrewhitenedCoefficient, j.Correlation.PrewhitenedPValue = format.Float(c.PrewhitenedCoefficient), format.Float(c.PrewhitenedP)
		j.Correlation.AROrder, j.Correlation.SeasonRemoved = c.AROrder, c.SeasonRemoved
		rt := m.RealTime
		j.RealTime.ResolutionSeconds = rt.Resolution.Seconds()
		j.RealTime.LagSeconds = crSeconds(rt.Delay, rt.DelayKnown)
		j.RealTime.LatencySeconds = crSeconds(rt.Latency, rt.LatencyKnown)
		j.RealTime.Pass = rt.Pass
		ms := m.Measurability
		j.Measurability.Completeness, j.Measurability.LongestGapSeconds = ms.Completeness, ms.LongestGap.Seconds()
		j.Measurability.ExpectedPoints, j.Measurability.MissingPoints = ms.Coverage.Expected, ms.Coverage.Missing()
		j.Measurability.ExpectedStepSeconds = ms.Coverage.Step.Seconds()
		if ms.SeriesCount > 0 {
			j.Measurability.Series = &ms.SeriesCount
		}
		if ms.QuerySamples > 0 {
			j.Measurability.QuerySamples = &ms.QuerySamples
		}
		j.Measurability.Pass = ms.Pass
		j.Warnings = []string{}
		for _, w := range m.Warnings {
			j.Warnings = append(j.Warnings, w.Error())
		}
		out.Metrics = append(out.Metrics, j)
	}
	return json.Marshal(out)
}

// WriteJSON writes the report's JSON document to w, indented, as the
// command prints it.
func (r Report) WriteJSON(w io.Writer) error { return format.WriteJSON(w, r) }
