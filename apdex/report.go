package apdex

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/internal/format"
	"github.com/chaosstat/chaosstat/series"
)

// Report is the Apdex of a group of requests, overall and, when they were
// cut into windows, window by window: what `chaosstat apdex` prints.
// WriteText gives the command's text, MarshalJSON its --format json
// document, and Series(r.Windows) its --format csv series.
type Report struct {
	// Name names the requests' source in the text, such as a file; ""
	// leaves the line out.
	Name string
	// Overall is the score of all the requests.
	Overall Score
	// Window is the windows' length; zero when the requests were scored
	// as one group only.
	Window time.Duration
	// Windows holds the score of each window in time order, from the
	// window of the earliest request to that of the latest (see
	// Windows); nil when Window is zero.
	Windows []Window
}

// ErrUntimed is CheckWindow's error: windows were asked of requests
// without timestamps.
var ErrUntimed = errors.New("the requests have no timestamps, and a window needs to know when each request happened")

// CheckWindow is the rule that windows (window != 0) need timed requests:
// timed says whether the samples' Time was given. A Sample cannot say it
// itself (0 is a time, 1970-01-01), so the reader that built the samples
// must (ReadCSV's hasTime). NewReport with untimed samples would put them
// all in the window of 1970. The command and the server both check it
// here, so they refuse with the same words.
func CheckWindow(window time.Duration, timed bool) error {
	if window != 0 && !timed {
		return ErrUntimed
	}
	return nil
}

// NewReport scores samples as one group (FromSamples) and, when window is
// positive, window by window too (Windows), returning their errors: one
// wrapping ErrNoSamples when there are no samples, one for a window
// length that is not a whole number of milliseconds, for a duration that
// is negative or NaN on a request that did not fail, and for samples
// spanning more than MaxWindows windows. Windows need the samples' Time.
func NewReport(samples []Sample, th Thresholds, window time.Duration) (*Report, error) {
	r := &Report{Window: window}
	if window != 0 {
		ws, err := Windows(samples, th, window)
		if err != nil {
			return nil, err
		}
		r.Windows = ws
	}
	s, err := FromSamples(samples, th)
	if err != nil {
		return nil, err
	}
	r.Overall = s
	return r, nil
}

// scoreJSON is one score in the --format json of `chaosstat apdex`. Its
// keys are a contract with notebooks and other tools, documented in the
// README: add keys, never rename or remove them.
type scoreJSON struct {
	Score       format.Float `json:"score"`   // unrounded; null when NS
	Rounded     format.Float `json:"rounded"` // two decimals, halves up; null when NS
	Notation    string       `json:"notation"`
	Rating      string       `json:"rating"` // "NS" when there are no requests
	Satisfied   float64      `json:"satisfied"`
	Tolerating  float64      `json:"tolerating"`
	Frustrated  float64      `json:"frustrated"` // errors included
	Errors      float64      `json:"errors"`
	Total       float64      `json:"total"`
	Threshold   float64      `json:"threshold"`
	Frustration float64      `json:"frustration"`
	SmallSample bool         `json:"small_sample"`
}

func newScoreJSON(s Score) scoreJSON {
	return scoreJSON{
		Score:       format.Float(s.Value),
		Rounded:     format.Float(s.Rounded()),
		Notation:    s.Notation(),
		Rating:      s.Rating().String(),
		Satisfied:   s.Satisfied,
		Tolerating:  s.Tolerating,
		Frustrated:  s.Frustrated,
		Errors:      s.Errors,
		Total:       s.Total,
		Threshold:   s.T,
		Frustration: s.Frustration(),
		SmallSample: s.SmallGroup(),
	}
}

// MarshalJSON writes the score as `chaosstat apdex --format json` does:
// {score, rounded, notation, rating, satisfied, tolerating, frustrated,
// errors, total, threshold, frustration, small_sample}, score and rounded
// null for NS.
func (s Score) MarshalJSON() ([]byte, error) { return json.Marshal(newScoreJSON(s)) }

// MarshalJSON writes the window as the score's object with its start
// first, "timestamp", in RFC 3339 UTC.
func (w Window) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Timestamp string `json:"timestamp"`
		scoreJSON
	}{time.UnixMilli(w.Start).UTC().Format(time.RFC3339Nano), newScoreJSON(w.Score)})
}

// MarshalJSON writes the report as `chaosstat apdex --format json` does:
// the overall score's object (see Score.MarshalJSON), or with windows the
// list of the windows' objects (see Window.MarshalJSON).
func (r Report) MarshalJSON() ([]byte, error) {
	if r.Window == 0 {
		return json.Marshal(r.Overall)
	}
	return json.Marshal(r.Windows)
}

// WriteJSON writes the report's JSON document to w, indented, as the
// command prints it.
func (r Report) WriteJSON(w io.Writer) error { return format.WriteJSON(w, r) }

// WriteCSV writes the windows' scores to w as `chaosstat apdex --format
// csv` prints them: the satisfaction series of Series, in series.WriteCSV's
// "timestamp,value" CSV, an empty value for a window without requests
// (NS), for other commands and tools to read. A report without windows
// (Window zero) has no series: WriteCSV returns an error and writes
// nothing.
func (r Report) WriteCSV(w io.Writer) error {
	if r.Window == 0 {
		return errors.New("apdex: the report has no windows: CSV holds the series of window scores")
	}
	s, err := Series(r.Windows)
	if err != nil {
		return err
	}
	return series.WriteCSV(w, s)
}

// WriteText writes the report as `chaosstat apdex` prints it: for one
// group, labelled lines with the notation, the rating, the thresholds and
// the counts; with windows, the thresholds, the overall score and a table
// of the windows, one a row.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-11s %s\n", label, fmt.Sprintf(format, args...))
	}
	if r.Name != "" {
		line("file", "%s", r.Name)
	}
	s := r.Overall
	if r.Window == 0 {
		note := fmt.Sprintf("(%s unrounded)", strconv.FormatFloat(s.Value, 'f', 4, 64))
		if s.SmallGroup() {
			note = fmt.Sprintf("(%s unrounded; * fewer than %d requests)", strconv.FormatFloat(s.Value, 'f', 4, 64), DefaultSmallGroup)
		}
		line("apdex", "%s  %s", s.Notation(), note)
		line("rating", "%s", s.Rating())
		line("thresholds", "%s", thresholdsText(s))
		line("requests", "%s", requestsText(s))
		_, err := io.WriteString(w, b.String())
		return err
	}
	ns := 0
	for _, x := range r.Windows {
		if x.NoSamples() {
			ns++
		}
	}
	line("thresholds", "%s", thresholdsText(s))
	line("windows", "%d of %s, %d without requests (NS)", len(r.Windows), FormatDuration(r.Window), ns)
	line("overall", "%s %s, %s", s.Notation(), s.Rating(), requestsText(s))
	b.WriteString("\n")
	rows := [][]string{{"start", "apdex", "score", "rating", "total", "satisfied", "tolerating", "frustrated", "errors"}}
	for _, x := range r.Windows {
		score := "-"
		if !x.NoSamples() {
			score = strconv.FormatFloat(x.Value, 'f', 4, 64)
		}
		rows = append(rows, []string{
			time.UnixMilli(x.Start).UTC().Format(time.RFC3339Nano), x.Notation(), score, x.Rating().String(),
			secs(x.Total), secs(x.Satisfied), secs(x.Tolerating), secs(x.Frustrated), secs(x.Errors),
		})
	}
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], len(c))
		}
	}
	for _, row := range rows {
		for i, c := range row {
			switch {
			case i >= 4: // counts, right-aligned
				fmt.Fprintf(&b, "  %*s", width[i], c)
			case i == 0:
				fmt.Fprintf(&b, "%-*s", width[i], c)
			default:
				fmt.Fprintf(&b, "  %-*s", width[i], c)
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// thresholdsText describes T and F for people.
func thresholdsText(s Score) string {
	f := "4T"
	if s.Frustration() != 4*s.T {
		f = "not the specification's 4T"
	}
	return fmt.Sprintf("T = %s s, F = %s s (%s)", secs(s.T), secs(s.Frustration()), f)
}

// requestsText gives the counts: "13: 5 satisfied, 4 tolerating, 4
// frustrated (2 failed)".
func requestsText(s Score) string {
	failed := ""
	if s.Errors > 0 {
		failed = fmt.Sprintf(" (%g failed)", s.Errors)
	}
	return fmt.Sprintf("%g: %g satisfied, %g tolerating, %g frustrated%s", s.Total, s.Satisfied, s.Tolerating, s.Frustrated, failed)
}

// secs formats seconds or a count: the shortest decimal that reads back.
func secs(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
