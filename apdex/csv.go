package apdex

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/chaosstat/chaosstat/series"
)

// CSV column names, matched ignoring case and surrounding space.
const (
	ColDuration  = "duration_seconds"
	ColError     = "error"
	ColTimestamp = "timestamp"
)

const wantSampleHeader = `want a header row "duration_seconds,error", optionally with a "timestamp" column`

// ReadCSV reads requests from CSV. name is the file name to use in errors.
//
// The first row is a header naming the columns, in any order, matched
// ignoring case and surrounding space:
//
//	duration_seconds   the response time in seconds: a number >= 0
//	error              whether the request failed: true, false, 1 or 0
//	                   (true and false in any case)
//	timestamp          optional: when the request happened, Unix seconds
//	                   (fraction allowed) or RFC 3339 with an offset, as
//	                   series.ParseTime reads it
//
// A failed request may leave duration_seconds empty (a timeout has no
// response time); it is frustrated either way. Rows need not be sorted
// by time. Cells are trimmed of surrounding space; a UTF-8 byte order
// mark, CRLF line endings, quoted fields and blank lines are tolerated.
// hasTime reports whether the file has a timestamp column; without one
// every Sample's Time is 0.
//
// Every error in the data is a *series.SyntaxError naming the file, the
// line and the column at fault. A file with no data rows gives an error
// for which errors.Is(err, series.ErrEmpty) holds.
func ReadCSV(r io.Reader, name string) (samples []Sample, hasTime bool, err error) {
	cr := series.NewCSVReader(r)

	header, err := cr.Read()
	if err == io.EOF {
		return nil, false, &series.SyntaxError{File: name, Msg: "file is empty; " + wantSampleHeader, Err: series.ErrEmpty}
	}
	if err != nil {
		return nil, false, series.CSVError(name, err)
	}
	headerLine, _ := cr.FieldPos(0)
	herr := func(format string, args ...any) error {
		return &series.SyntaxError{File: name, Line: headerLine, Column: "header", Msg: fmt.Sprintf(format, args...)}
	}
	dcol, ecol, tcol := -1, -1, -1
	for i, h := range header {
		h = strings.TrimSpace(h)
		var col *int
		switch strings.ToLower(h) {
		case ColDuration:
			col = &dcol
		case ColError:
			col = &ecol
		case ColTimestamp:
			col = &tcol
		case "":
			return nil, false, herr("empty column name; %s", wantSampleHeader)
		default:
			if _, err := strconv.ParseFloat(h, 64); err == nil {
				return nil, false, &series.SyntaxError{File: name, Line: headerLine,
					Msg: fmt.Sprintf("no header row: %s, got the data row %q", wantSampleHeader, strings.Join(header, ","))}
			}
			return nil, false, herr("unknown column %s; %s", series.Quote(h), wantSampleHeader)
		}
		if *col >= 0 {
			return nil, false, herr("column %s appears twice", series.Quote(strings.ToLower(h)))
		}
		*col = i
	}
	switch {
	case dcol < 0:
		return nil, false, herr(`no "duration_seconds" column; %s`, wantSampleHeader)
	case ecol < 0:
		return nil, false, herr(`no "error" column: failed requests count as frustrated, so the file must say which failed (false for none); %s`, wantSampleHeader)
	}

	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false, series.CSVError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, false, &series.SyntaxError{File: name, Line: line,
				Msg: fmt.Sprintf("%d fields, want %d (%s)", len(rec), len(header), strings.Join(header, ","))}
		}
		cerr := func(col, format string, args ...any) error {
			return &series.SyntaxError{File: name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
		}
		var sm Sample
		ecell := strings.TrimSpace(rec[ecol])
		switch strings.ToLower(ecell) {
		case "true", "1":
			sm.Error = true
		case "false", "0":
		case "":
			return nil, false, cerr(ColError, "is empty; want true, false, 1 or 0")
		default:
			return nil, false, cerr(ColError, "%s; want true, false, 1 or 0", series.Quote(ecell))
		}
		dcell := strings.TrimSpace(rec[dcol])
		switch {
		case dcell == "" && sm.Error:
			sm.Duration = math.NaN()
		case dcell == "":
			return nil, false, cerr(ColDuration, "is empty; a request that did not fail needs its response time in seconds")
		default:
			d, err := strconv.ParseFloat(dcell, 64)
			switch {
			case err != nil && !errors.Is(err, strconv.ErrRange):
				return nil, false, cerr(ColDuration, "%s is not a number of seconds", series.Quote(dcell))
			case math.IsNaN(d):
				return nil, false, cerr(ColDuration, "is NaN; want a number of seconds >= 0 (a failed request may leave it empty)")
			case math.IsInf(d, 0):
				return nil, false, cerr(ColDuration, "%s is infinite; want a finite number of seconds", series.Quote(dcell))
			case d < 0:
				return nil, false, cerr(ColDuration, "%s is negative; want a number of seconds >= 0", series.Quote(dcell))
			}
			sm.Duration = d
		}
		if tcol >= 0 {
			tcell := strings.TrimSpace(rec[tcol])
			t, err := series.ParseTime(tcell)
			if err != nil {
				return nil, false, cerr(ColTimestamp, "%s", err)
			}
			sm.Time = t
		}
		samples = append(samples, sm)
	}
	if len(samples) == 0 {
		return nil, tcol >= 0, &series.SyntaxError{File: name, Line: headerLine, Msg: "no data rows after the header", Err: series.ErrEmpty}
	}
	return samples, tcol >= 0, nil
}
