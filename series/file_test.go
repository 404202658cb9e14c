package series

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	csvPath := write("a.csv", "timestamp,value\n1700000000,1\n")
	noExt := write("data", "value\n1\n2\n")
	upperJSON := write("ONE.JSON", `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1700000000,"1"]]}]}}`)
	two := filepath.Join(sampleDir, "prom_range_two.json")
	csvLooksJSON := write("b.csv", "{\n")

	tests := []struct {
		name    string
		reason  string
		path    string
		stdin   string
		want    Series
		wantErr string
	}{
		{name: "csv", reason: "any name not ending in .json is CSV", path: csvPath, want: Series{T: []int64{nov14}, V: []float64{1}}},
		{name: "no extension", reason: "CSV too", path: noExt, want: Series{V: []float64{1, 2}}},
		{name: "json any case", reason: ".JSON is JSON", path: upperJSON, want: Series{Name: "up", T: []int64{nov14}, V: []float64{1}}},
		{name: "stdin csv", reason: `"-" reads the reader passed in`, path: "-", stdin: "value\n5\n", want: Series{V: []float64{5}}},
		{
			name: "stdin json", reason: "stdin holding JSON is told by its first character", path: "-",
			stdin: "\uFEFF \n" + `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"2"]]}]}}`,
			want:  Series{T: []int64{1000}, V: []float64{2}},
		},
		{name: "stdin errors", reason: `errors name "stdin"`, path: "-", stdin: "value\nx\n", wantErr: `stdin:2: value: "x" is not a number`},
		{name: "stdin empty", reason: "an empty stdin is an empty CSV", path: "-", stdin: "", wantErr: `stdin: file is empty; want a header row "timestamp,value" or "value"`},
		{name: "csv named .csv stays csv", reason: "the extension decides for files, not the content", path: csvLooksJSON, wantErr: csvLooksJSON + `:1: header: unknown column "{"; want a header row "timestamp,value" or "value"`},
		{
			name: "several series", reason: "ReadFile wants exactly one, says how many there are and how to narrow the query (the command's golden two_series_json has the same words)", path: two,
			wantErr: two + `: holds 2 series ({code="200", job="api"}, {code="500", job="api"}); want exactly one: narrow the query to one series, with a label matcher or an aggregation such as sum(...)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadFile(tt.path, strings.NewReader(tt.stdin))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ReadFile error:\n got %v\nwant %s\n(%s)", err, tt.wantErr, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadFile: %v (%s)", err, tt.reason)
			}
			if d := diff(got, tt.want); d != "" {
				t.Errorf("%s (%s)", d, tt.reason)
			}
		})
	}
}

func TestReadFileAll(t *testing.T) {
	all, err := ReadFileAll(filepath.Join(sampleDir, "prom_range_two.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Errorf("got %d series, want 2", len(all))
	}
	all, err = ReadFileAll(taxiPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Len() != 10320 {
		t.Errorf("nyc_taxi.csv: got %d series, want 1 of 10320 points", len(all))
	}
}

func TestReadFileErrors(t *testing.T) {
	_, err := ReadFile(filepath.Join(t.TempDir(), "missing.csv"), nil)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: error %v, want fs.ErrNotExist", err)
	}
	_, err = ReadFile("-", nil)
	if err == nil || err.Error() != `stdin: path "-" means stdin, but no stdin reader was given` {
		t.Errorf(`ReadFile("-", nil) = %v, want an error saying stdin was not given`, err)
	}
	_, err = ReadFile(filepath.Join(sampleDir, "prom_instant.json"), nil)
	var se *SyntaxError
	if !errors.As(err, &se) || se.File != filepath.Join(sampleDir, "prom_instant.json") {
		t.Errorf("instant query file: error %v, want a *SyntaxError naming the file", err)
	}
}
