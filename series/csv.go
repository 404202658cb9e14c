package series

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"unsafe"
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
	return readCSV(newCSVLines(r, false), name)
}

func readCSV(cr *csvLines, name string) (Series, error) {
	header, headerLine, err := cr.read()
	if err == io.EOF {
		return Series{}, &SyntaxError{File: name, Msg: "file is empty; " + wantHeader, Err: ErrEmpty}
	}
	if err != nil {
		return Series{}, CSVError(name, err)
	}
	// The fields point into the reader's buffer until the next read.
	for i, h := range header {
		header[i] = strings.Clone(h)
	}
	header = slices.Clone(header)
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
	if n := cr.rowsHint(); n > 0 {
		s.V = make([]float64, 0, n)
		if tcol >= 0 {
			s.T = make([]int64, 0, n)
		}
	}
	var prevLine int
	var prevCell []byte // a copy: the cells point into the reader's buffer
	for {
		rec, line, err := cr.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Series{}, CSVError(name, err)
		}
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
			prevLine, prevCell = line, append(prevCell[:0], cell...)
		}
		s.V = append(s.V, v)
	}
	if len(s.V) == 0 {
		return Series{}, &SyntaxError{File: name, Line: headerLine, Msg: "no data rows after the header", Err: ErrEmpty}
	}
	return s, nil
}

// csvLines reads the records of a CSV file for ReadCSV. Lines without a
// quote, nearly all of a metric's file, are split on commas where they lie
// in the reader's buffer, with no allocation; from the first line with a
// quote on, encoding/csv reads the rest (a quoted field may span lines, and
// its errors are the standard ones), its line numbers shifted to count from
// the file's start. The two read the same records with the same line
// numbers (TestReadCSVFastMatchesEncodingCSV): "\r\n" ends a line as "\n"
// does, a "\r" before the end of the input is dropped, blank lines are
// skipped and any number of fields is returned. The records returned point
// into the reader's buffer until the next read.
type csvLines struct {
	br     *bufio.Reader
	line   int    // the lines read by the fast path
	long   []byte // a line longer than br's buffer
	fields []string
	cr     *csv.Reader // encoding/csv, once a line had a quote
	offset int         // the lines read before cr started
	size   int64       // the input's size in bytes when known, else −1
	read0  int64       // the bytes read by the fast path
}

// newCSVLines returns a csvLines for r, a leading UTF-8 byte order mark
// skipped; slow: encoding/csv from the first line (for the tests).
func newCSVLines(r io.Reader, slow bool) *csvLines {
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
		br.Discard(3)
	}
	c := &csvLines{br: br, size: -1}
	switch f := r.(type) {
	case interface{ Stat() (fs.FileInfo, error) }: // *os.File
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			c.size = fi.Size()
		}
	case interface{ Len() int }: // *bytes.Reader, *strings.Reader
		c.size = int64(f.Len())
	}
	if slow {
		c.handOver(nil)
	}
	return c
}

// handOver passes the reading to encoding/csv, from the line b on.
func (c *csvLines) handOver(b []byte) {
	cr := csv.NewReader(io.MultiReader(bytes.NewReader(bytes.Clone(b)), c.br))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	c.cr, c.offset = cr, c.line-min(len(b), 1)
}

// read returns the next record and the line it starts on; io.EOF at the end.
func (c *csvLines) read() ([]string, int, error) {
	if c.cr != nil {
		rec, err := c.cr.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				pe.StartLine += c.offset
				pe.Line += c.offset
			}
			return nil, 0, err
		}
		line, _ := c.cr.FieldPos(0)
		return rec, line + c.offset, nil
	}
	for {
		b, err := c.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			c.long = append(c.long[:0], b...)
			for err == bufio.ErrBufferFull {
				b, err = c.br.ReadSlice('\n')
				c.long = append(c.long, b...)
			}
			b = c.long
		}
		if err != nil && err != io.EOF {
			return nil, 0, err
		}
		if len(b) == 0 {
			return nil, 0, io.EOF
		}
		c.line++
		c.read0 += int64(len(b))
		if bytes.IndexByte(b, '"') >= 0 {
			c.handOver(b)
			return c.read()
		}
		if n := len(b); n >= 2 && b[n-2] == '\r' && b[n-1] == '\n' {
			b = b[:n-2]
		} else if b[n-1] == '\n' {
			b = b[:n-1]
		} else if b[n-1] == '\r' { // the input's end
			b = b[:n-1]
		}
		if len(b) == 0 {
			if err == io.EOF {
				return nil, 0, io.EOF
			}
			continue // a blank line
		}
		c.fields = c.fields[:0]
		for {
			i := bytes.IndexByte(b, ',')
			if i < 0 {
				c.fields = append(c.fields, unsafe.String(unsafe.SliceData(b), len(b)))
				break
			}
			c.fields = append(c.fields, unsafe.String(unsafe.SliceData(b), i))
			b = b[i+1:]
		}
		return c.fields, c.line, nil
	}
}

// rowsHint estimates how many records are left, from the input's size and
// the mean length of the lines in the read buffer, so that the series'
// slices can be allocated once; 0 when the size is not known.
func (c *csvLines) rowsHint() int {
	if c.size < 0 || c.cr != nil {
		return 0
	}
	buf, _ := c.br.Peek(c.br.Buffered())
	lines := bytes.Count(buf, []byte{'\n'})
	left := c.size - c.read0
	if lines < 8 || left <= 0 {
		return 0
	}
	rows := left*int64(lines)/int64(len(buf)) + 1
	// A little over the estimate, so that a file whose later lines are a
	// digit longer is not copied at its end; never more than one row per
	// two bytes.
	return int(min(rows+rows/32+16, left/2+1))
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
