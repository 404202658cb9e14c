package monitor

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/chaosstat/chaosstat/series"
)

// ParseFeedLine parses one line of a live feed: CSV fields
// "timestamp,control,experiment" with an optional fourth "baseline". The
// timestamp is Unix seconds (a fraction allowed) or an RFC 3339 time; an
// empty or NaN value is missing (NaN in the Point). It returns an error
// naming the field for anything else, such as a wrong number of fields, an
// infinite value or a word.
func ParseFeedLine(line string) (Point, error) {
	fields := strings.Split(line, ",")
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	return parseFeedFields(fields)
}

// parseFeedFields parses the trimmed fields of one feed line.
func parseFeedFields(fields []string) (Point, error) {
	p := Point{}
	if len(fields) != 3 && len(fields) != 4 {
		return p, fmt.Errorf("%d fields, want 3 or 4 (timestamp,control,experiment[,baseline])", len(fields))
	}
	t, err := series.ParseTime(fields[0])
	if err != nil {
		return p, fmt.Errorf("timestamp: %v", err)
	}
	p.T = t
	names := []string{"control", "experiment", "baseline"}
	dst := []*float64{&p.Control, &p.Experiment, &p.Baseline}
	for i, s := range fields[1:] {
		v, err := series.ParseValue(s)
		if err != nil {
			return p, fmt.Errorf("%s: %v", names[i], err)
		}
		*dst[i] = v
	}
	return p, nil
}

// FeedReader reads the points of a live feed, one line each
// (ParseFeedLine), from a reader: a pipe, a socket, an HTTP body. An
// optional first line names the columns, "timestamp,control,experiment"
// with an optional ",baseline" (any case); blank lines are skipped.
type FeedReader struct {
	name string
	sc   *bufio.Scanner
	line int
}

// NewFeedReader returns a FeedReader of r; name ("stdin", a file name)
// begins its error messages, "name:line: ...".
func NewFeedReader(r io.Reader, name string) *FeedReader {
	return &FeedReader{name: name, sc: bufio.NewScanner(r)}
}

// Name is the feed's name given to NewFeedReader.
func (f *FeedReader) Name() string { return f.name }

// Line is the number of the line Next read last, from 1.
func (f *FeedReader) Line() int { return f.line }

// Next returns the next point, io.EOF at the end of the feed, or an error
// "name:line: ..." for a line that is not a point (nor the header on the
// first line, or a line longer than bufio.MaxScanTokenSize), or "name:
// reading: ..." when the reader fails.
func (f *FeedReader) Next() (Point, error) {
	for f.sc.Scan() {
		f.line++
		text := strings.TrimSpace(strings.TrimPrefix(f.sc.Text(), "\uFEFF"))
		if text == "" {
			continue
		}
		fields := strings.Split(text, ",")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if f.line == 1 && strings.EqualFold(fields[0], "timestamp") {
			want := []string{"timestamp", "control", "experiment", "baseline"}
			ok := len(fields) == 3 || len(fields) == 4
			for i := 0; ok && i < len(fields); i++ {
				ok = strings.EqualFold(fields[i], want[i])
			}
			if !ok {
				return Point{}, fmt.Errorf("%s:%d: header: %s; want timestamp,control,experiment[,baseline]", f.name, f.line, series.Quote(text))
			}
			continue
		}
		p, err := parseFeedFields(fields)
		if err != nil {
			return Point{}, fmt.Errorf("%s:%d: %v", f.name, f.line, err)
		}
		return p, nil
	}
	switch err := f.sc.Err(); {
	case errors.Is(err, bufio.ErrTooLong):
		return Point{}, fmt.Errorf("%s:%d: the line is longer than %d bytes: a feed line is timestamp,control,experiment[,baseline]", f.name, f.line+1, bufio.MaxScanTokenSize)
	case err != nil:
		return Point{}, fmt.Errorf("%s: reading: %v", f.name, err)
	}
	return Point{}, io.EOF
}
