package series

import (
	"bytes"
	"fmt"
	"os"
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
