package series

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// CSV header names, as ReadCSV matches them (ignoring case and surrounding
// space) and WriteCSV writes them.
const (
	colTimestamp = "timestamp"
	colValue     = "value"
)

const wantHeader = `want a header row "timestamp,value" or "value"`

// ReadCSV reads a series from CSV. name is the file name to use in errors.
//
// The first row is a header naming the columns, matched ignoring case and
// surrounding space:
//
//	timestamp,value   a series over time (the columns may come in either order)
//	value             a plain sample: T is nil and only V is set
//
// A timestamp is Unix seconds, with a fraction if needed (1700000000.5,
// also 1.7e9), or an RFC 3339 time with an offset, with or without
// fractional seconds (2014-07-01T00:00:00-04:00, 2023-11-14T22:13:20.123Z).
// Timestamps are rounded to the nearest millisecond and must be strictly
// increasing: rows sorted by time, no time twice. A value is a number as
// strconv.ParseFloat reads it; an empty cell or NaN (in any case) is a
// missing value, kept as NaN.
// Infinite values are rejected: a metric that reports one has a bug
// upstream. Cells are trimmed of surrounding space. A leading UTF-8 byte
// order mark, CRLF line endings, quoted fields and blank lines are
// tolerated. The series read has no Name or Labels: CSV carries none.
//
// Every error in the data is a *SyntaxError naming the file, the line and
// the column at fault; an error reading r is returned with the file name
// added. A file with no data rows (or no bytes at all) gives an error for
// which errors.Is(err, ErrEmpty) holds.
func ReadCSV(r io.Reader, name string) (Series, error) {
	cr := NewCSVReader(r)
	header, err := cr.Read()
	if err == io.EOF {
		return Series{}, &SyntaxError{File: name, Msg: "file is empty; " + wantHeader, Err: ErrEmpty}
	}
	if err != nil {
		return Series{}, CSVError(name, err)
	}
	headerLine, _ := cr.FieldPos(0)
	tcol, vcol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case colTimestamp:
			if tcol >= 0 {
				return Series{}, &SyntaxError{File: name, Line: headerLine, Column: "header", Msg: `column "timestamp" appears twice`}
			}
			tcol = i
		case colValue:
			if vcol >= 0 {
				return Series{}, &SyntaxError{File: name, Line: headerLine, Column: "header", Msg: `column "value" appears twice`}
			}
			vcol = i
		default:
			h = strings.TrimSpace(h)
			_, errT := ParseTime(h)
			_, errV := ParseValue(h)
			switch {
			case h == "":
				return Series{}, &SyntaxError{File: name, Line: headerLine, Column: "header", Msg: "empty column name; " + wantHeader}
			case errT == nil || errV == nil:
				return Series{}, &SyntaxError{File: name, Line: headerLine,
					Msg: fmt.Sprintf("no header row: %s, got the data row %q", wantHeader, strings.Join(header, ","))}
			}
			return Series{}, &SyntaxError{File: name, Line: headerLine, Column: "header", Msg: fmt.Sprintf("unknown column %s; %s", Quote(h), wantHeader)}
		}
	}
	if vcol < 0 {
		return Series{}, &SyntaxError{File: name, Line: headerLine, Column: "header", Msg: `no "value" column; ` + wantHeader}
	}
	headerText := colValue
	if tcol >= 0 {
		headerText = colTimestamp + "," + colValue
		if vcol < tcol {
			headerText = colValue + "," + colTimestamp
		}
	}

	var s Series
	var prevLine int
	var prevCell string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Series{}, CSVError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return Series{}, &SyntaxError{File: name, Line: line,
				Msg: fmt.Sprintf("%d fields, want %d (%s)", len(rec), len(header), headerText)}
		}
		v, err := ParseValue(strings.TrimSpace(rec[vcol]))
		if err != nil {
			return Series{}, &SyntaxError{File: name, Line: line, Column: colValue, Msg: err.Error()}
		}
		if tcol >= 0 {
			cell := strings.TrimSpace(rec[tcol])
			t, err := ParseTime(cell)
			if err != nil {
				return Series{}, &SyntaxError{File: name, Line: line, Column: colTimestamp, Msg: err.Error()}
			}
			if n := len(s.T); n > 0 && t <= s.T[n-1] {
				msg := fmt.Sprintf("%s is before %s on line %d; rows must be sorted by time", cell, prevCell, prevLine)
				if t == s.T[n-1] {
					msg = fmt.Sprintf("%s is the same time as %s on line %d; each time may appear only once", cell, prevCell, prevLine)
				}
				return Series{}, &SyntaxError{File: name, Line: line, Column: colTimestamp, Msg: msg}
			}
			s.T = append(s.T, t)
			prevLine, prevCell = line, cell
		}
		s.V = append(s.V, v)
	}
	if len(s.V) == 0 {
		return Series{}, &SyntaxError{File: name, Line: headerLine, Msg: "no data rows after the header", Err: ErrEmpty}
	}
	return s, nil
}

// NewCSVReader returns a CSV reader for chaosstat's files: a UTF-8 byte
// order mark skipped, any number of fields per record (the caller checks
// them, with a better message), records reused between reads.
func NewCSVReader(r io.Reader) *csv.Reader {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return cr
}

// csvError turns an error from encoding/csv into a *SyntaxError.
func CSVError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &SyntaxError{File: name, Line: pe.Line, Msg: fmt.Sprintf("%v (at byte %d of the line)", pe.Err, pe.Column)}
	}
	return fmt.Errorf("%s: %w", name, err)
}

// WriteCSV writes s as CSV in the form ReadCSV reads, so that reading the
// output gives s back exactly (apart from Name and Labels, which CSV does
// not carry).
//
// A series with timestamps is written with the header "timestamp,value",
// the timestamps as Unix seconds with the fewest digits that keep every
// millisecond (1700000000, 1700000000.5, 1700000000.123), and missing values
// as empty cells. A plain sample (no timestamps) is written with the header
// "value", and missing values as NaN, because an empty cell would make a
// blank line, which CSV readers skip. Values use the shortest form that
// reads back to the same float64. Lines end in "\n".
//
// WriteCSV returns Validate's error, having written nothing, if s is not
// valid. A series with no points is written as the header alone, which
// ReadCSV rejects with ErrEmpty.
func WriteCSV(w io.Writer, s Series) error {
	if err := s.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	buf := make([]byte, 0, 64)
	if len(s.T) == 0 {
		bw.WriteString(colValue + "\n")
		for _, v := range s.V {
			buf = buf[:0]
			if math.IsNaN(v) {
				buf = append(buf, "NaN"...)
			} else {
				buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
			}
			buf = append(buf, '\n')
			bw.Write(buf)
		}
		return bw.Flush()
	}
	bw.WriteString(colTimestamp + "," + colValue + "\n")
	for i, t := range s.T {
		buf = appendSeconds(buf[:0], t)
		buf = append(buf, ',')
		if v := s.V[i]; !math.IsNaN(v) {
			buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
		}
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

// appendSeconds appends Unix milliseconds ms as decimal seconds, exactly
// and without trailing zeros: 1700000000123 → 1700000000.123,
// 1700000000500 → 1700000000.5, -1500 → -1.5. It works on integers so
// that no float64 rounding can touch the digits.
func appendSeconds(buf []byte, ms int64) []byte {
	if ms < 0 {
		buf = append(buf, '-')
		if ms == math.MinInt64 {
			return append(buf, "9223372036854775.808"...)
		}
		ms = -ms
	}
	buf = strconv.AppendInt(buf, ms/1000, 10)
	frac := ms % 1000
	if frac == 0 {
		return buf
	}
	buf = append(buf, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	for buf[len(buf)-1] == '0' {
		buf = buf[:len(buf)-1]
	}
	return buf
}
