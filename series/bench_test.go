package series

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func BenchmarkReadCSVTaxi(b *testing.B) {
	data, err := os.ReadFile(taxiPath)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadCSV(bytes.NewReader(data), "nyc_taxi.csv"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadPromJSON reads a response the size of Prometheus's limit
// for one query: 10 series of 11,000 points.
func BenchmarkReadPromJSON(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[`)
	for i := range 10 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"metric":{"__name__":"http_requests_total","job":"api","instance":"10.0.0.%d:9090"},"values":[`, i)
		for j := range 11000 {
			if j > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, `[%d.123,"%g"]`, 1700000000+15*j, float64(j)*1.37)
		}
		sb.WriteString(`]}`)
	}
	sb.WriteString(`]}}`)
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadPromJSON(bytes.NewReader(data), "big.json"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteCSV(b *testing.B) {
	s, err := ReadFile(taxiPath, nil)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := WriteCSV(&buf, s); err != nil {
			b.Fatal(err)
		}
	}
}

// benchCSV returns a per-minute series of n rows as CSV, "timestamp,value"
// with Unix seconds and values around 1000 with four decimals (seeded): the
// file of BenchmarkReadCSVRows and of the pandas comparison.
func benchCSV(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 0, 16+n*22)
	buf = append(buf, "timestamp,value\n"...)
	for i := range n {
		buf = strconv.AppendInt(buf, 1700000000+60*int64(i), 10)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, 1000+50*rng.NormFloat64(), 'f', 4, 64)
		buf = append(buf, '\n')
	}
	return buf
}

var benchCSVDir = flag.String("benchcsv", "", "write the CSV files of BenchmarkReadCSVRows into this directory (for testdata/pandas_read_csv.py)")

// benchCSVRows are the sizes of BenchmarkReadCSVRows.
var benchCSVRows = []int{1e3, 1e4, 1e5, 1e6, 5e6, 1e7}

// BenchmarkReadCSVRows: ReadFile of a CSV file of n rows (benchCSV) from
// the page cache, as pandas.read_csv is timed on the same files
// (BENCHMARKS.md).
func BenchmarkReadCSVRows(b *testing.B) {
	dir := b.TempDir()
	for _, n := range benchCSVRows {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			data := benchCSV(n)
			path := filepath.Join(dir, fmt.Sprintf("rows%d.csv", n))
			if err := os.WriteFile(path, data, 0o644); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ReadFile(path, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
			os.Remove(path)
		})
	}
}

// TestWriteCSVBenchData writes BenchmarkReadCSVRows's files into -benchcsv
// DIR as rows<n>.csv, for the pandas comparison. Without the flag it checks
// the generator on a small file: it reads back with n rows, one a minute.
func TestWriteCSVBenchData(t *testing.T) {
	if *benchCSVDir == "" {
		s, err := ReadCSV(bytes.NewReader(benchCSV(100)), "bench.csv")
		if err != nil {
			t.Fatal(err)
		}
		if s.Len() != 100 || s.T[99]-s.T[0] != 99*60000 {
			t.Fatalf("the bench file reads back as %d rows from %d to %d", s.Len(), s.T[0], s.T[s.Len()-1])
		}
		return
	}
	for _, n := range benchCSVRows {
		if err := os.WriteFile(filepath.Join(*benchCSVDir, fmt.Sprintf("rows%d.csv", n)), benchCSV(n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
