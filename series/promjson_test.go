package series

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sampleDir holds real Prometheus responses; see its README.md.
const sampleDir = "../testdata/series"

// The range queries in sampleDir start at 1700000060.123 with a 30 s step.
const sampleStart = nov14 + 60123

func TestReadPromJSON(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		in     string
		want   []Series
	}{{
		name:   "minimal",
		reason: "the documented shape; __name__ becomes Name and leaves Labels",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"api"},"values":[[1700000000.123,"1"],[1700000015.123,"NaN"]]}]}}`,
		want:   []Series{{Name: "up", Labels: map[string]string{"job": "api"}, T: []int64{nov14 + 123, nov14 + 15123}, V: []float64{1, nan}}},
	}, {
		name:   "no labels",
		reason: "an aggregate has an empty metric: no Name, nil Labels",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1700000000,"0.5"]]}]}}`,
		want:   []Series{{T: []int64{nov14}, V: []float64{0.5}}},
	}, {
		name:   "sorted keys, pretty",
		reason: "jq -S writes data before status and values after metric; order must not matter",
		in: `{
  "data": {
    "result": [
      {
        "values": [[1700000000, "1"], [1700000001, "2"]],
        "metric": {"job": "b"}
      },
      {
        "metric": {"job": "a"},
        "values": [[1700000000, "-3.5e-2"]]
      }
    ],
    "resultType": "matrix"
  },
  "status": "success",
  "warnings": ["PromQL info: ignored"]
}`,
		want: []Series{
			{Labels: map[string]string{"job": "b"}, T: []int64{nov14, nov14 + 1000}, V: []float64{1, 2}},
			{Labels: map[string]string{"job": "a"}, T: []int64{nov14}, V: []float64{-0.035}},
		},
	}, {
		name:   "exponent timestamps and numeric values",
		reason: "other tools may write 1.7e9; a JSON number as value is read too",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1.7e9,2],[1.7000000001E9,"nan"]]}]}}`,
		want:   []Series{{T: []int64{nov14, nov14 + 100}, V: []float64{2, nan}}},
	}, {
		name:   "BOM and unknown keys",
		reason: "a leading BOM is tolerated, as are keys this reader does not know",
		in:     "\uFEFF" + `{"status":"success","isPartial":false,"data":{"resultType":"matrix","stats":{},"result":[{"metric":{},"values":[[1,"1"]],"extra":1}]}}`,
		want:   []Series{{T: []int64{1000}, V: []float64{1}}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadPromJSON(strings.NewReader(tt.in), "q.json")
			if err != nil {
				t.Fatalf("ReadPromJSON: %v (%s)", err, tt.reason)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d series, want %d (%s)", len(got), len(tt.want), tt.reason)
			}
			for i := range got {
				if d := diff(got[i], tt.want[i]); d != "" {
					t.Errorf("series %d: %s (%s)", i, d, tt.reason)
				}
				if err := got[i].Validate(); err != nil {
					t.Errorf("series %d does not validate: %v", i, err)
				}
			}
		})
	}
}

// TestReadPromJSONReal reads responses saved from a real Prometheus.
func TestReadPromJSONReal(t *testing.T) {
	read := func(file string) []Series {
		t.Helper()
		f, err := os.Open(filepath.Join(sampleDir, file))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		all, err := ReadPromJSON(f, file)
		if err != nil {
			t.Fatal(err)
		}
		return all
	}
	times := make([]int64, 17)
	for i := range times {
		times[i] = sampleStart + int64(i)*30000
	}

	one := read("prom_range_one.json")
	// The gauge written by make_prom_samples.sh: 0.250 + ((i*13) % 10)/100
	// at sample i every 15 s; the query reads every second one from i = 4.
	want := Series{Name: "request_duration_seconds", Labels: map[string]string{"job": "api", "quantile": "0.99"}, T: times,
		V: []float64{0.27, 0.33, 0.29, 0.25, 0.31, 0.27, 0.33, 0.29, 0.25, 0.31, 0.27, 0.33, 0.29, 0.25, 0.31, 0.27, 0.33}}
	if len(one) != 1 {
		t.Fatalf("prom_range_one.json: %d series, want 1", len(one))
	}
	if d := diff(one[0], want); d != "" {
		t.Errorf("prom_range_one.json: %s", d)
	}

	two := read("prom_range_two.json")
	if len(two) != 2 || two[0].Name != "" || two[0].Labels["code"] != "200" || two[1].Labels["code"] != "500" {
		t.Fatalf("prom_range_two.json: got %v, want the code 200 and 500 rates without a name", two)
	}
	for _, s := range two {
		if d := diff(Series{T: s.T}, Series{T: times}); d != "" {
			t.Errorf("prom_range_two.json %s: %s", s.ident(), d)
		}
	}
	// The code="500" counter is flat for its first 16 samples (4 minutes).
	if got := two[1].V[6]; got != 0 {
		t.Errorf("rate of the flat counter at %s = %v, want 0", formatMilli(two[1].T[6]), got)
	}

	nans := read("prom_range_nan.json")[0]
	if missing := nans.Len() - len(nans.Present()); missing != 7 {
		t.Errorf("prom_range_nan.json: %d missing values, want 7 (0/0 while the counter is flat)", missing)
	}
}

func TestReadPromJSONErrors(t *testing.T) {
	tests := []struct {
		name      string
		reason    string
		in        string // or "@file" for a file in sampleDir
		want      string
		wantEmpty bool
	}{{
		name:   "query failed",
		reason: "a saved error response carries errorType and error",
		in:     "@prom_error.json",
		want:   `q.json:1: status: the query failed (bad_data): 1:29: parse error: unclosed left parenthesis`,
	}, {
		name:   "instant query",
		reason: "a vector answers an instant query; the error says a range query is needed",
		in:     "@prom_instant.json",
		want:   `q.json:1: data.resultType: "vector" is the answer to an instant query (/api/v1/query); a range query (/api/v1/query_range), whose resultType is "matrix", is needed`,
	}, {
		name:   "infinity",
		reason: "x/0 in PromQL gives +Inf, which is rejected naming series and time",
		in:     "@prom_range_inf.json",
		want:   `q.json:1: data.result[0].values[0]: series {} at 2023-11-14T22:14:20.123Z: value "+Inf" is infinite; infinite values are not supported (a metric that reports one has a bug upstream)`,
	}, {
		name:   "infinity, pretty",
		reason: "on a pretty-printed response the line points at the sample",
		in: `{
  "status": "success",
  "data": {
    "resultType": "matrix",
    "result": [
      {"metric": {"__name__": "ratio"}, "values": [[1, "1"]]},
      {
        "metric": {"__name__": "ratio", "job": "api"},
        "values": [
          [1700000000, "1"],
          [1700000015, "-Inf"]
        ]
      }
    ]
  }
}`,
		want: `q.json:11: data.result[1].values[1]: series ratio{job="api"} at 2023-11-14T22:13:35Z: value "-Inf" is infinite; infinite values are not supported (a metric that reports one has a bug upstream)`,
	}, {
		name:   "error status sorted keys",
		reason: "with keys sorted, data (absent here) and error come before status",
		in:     "{\n\"error\": \"query timed out\",\n\"errorType\": \"timeout\",\n\"status\": \"error\"\n}",
		want:   `q.json:4: status: the query failed (timeout): query timed out`,
	}, {
		name:   "scalar",
		reason: "a scalar is an instant result too",
		in:     `{"status":"success","data":{"resultType":"scalar","result":[1700000000,"1"]}}`,
		want:   `q.json:1: data.resultType: "scalar" is the answer to an instant query (/api/v1/query); a range query (/api/v1/query_range), whose resultType is "matrix", is needed`,
	}, {
		name:   "unknown resultType",
		reason: "anything else is named",
		in:     `{"status":"success","data":{"resultType":"streams","result":[]}}`,
		want:   `q.json:1: data.resultType: "streams"; want "matrix", the answer to a range query`,
	}, {
		name:   "native histograms",
		reason: "native histogram samples are not supported",
		in:     "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\n{\"metric\":{\"__name__\":\"rpc_seconds\"},\n\"histograms\":[[1700000000,{\"count\":\"3\",\"sum\":\"1\",\"buckets\":[]}]]}]}}",
		want:   `q.json:3: data.result[0].histograms: series rpc_seconds holds native histogram samples; native histograms are not supported (query a float series, e.g. histogram_quantile(0.99, rate(x[5m])))`,
	}, {
		name:      "no series",
		reason:    "an empty result is no data",
		in:        "{\"status\":\"success\",\n\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
		want:      `q.json:2: data.result: the query returned no series`,
		wantEmpty: true,
	}, {
		name:      "no samples",
		reason:    "a series with no samples is no data",
		in:        `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"a"},"values":[]}]}}`,
		want:      `q.json:1: data.result[0].values: series {job="a"} has no samples`,
		wantEmpty: true,
	}, {
		name:      "empty file",
		reason:    "a failed download can leave an empty file",
		in:        " \n",
		want:      `q.json: file is empty; want a Prometheus query_range response`,
		wantEmpty: true,
	}, {
		name:   "syntax error",
		reason: "JSON syntax errors give line and column",
		in:     "{\"status\":\"success\",\n\"data\":{\"resultType\":\"matrix\",\n\"result\":[{\"metric\":{},\"values\":[[1,\"2\"] [2,\"3\"]]}]}}",
		want:   `q.json:3: invalid JSON: invalid character '[' after array element (column 42)`,
	}, {
		name:   "truncated",
		reason: "a download cut short",
		in:     "{\"status\":\"success\",\n\"data\":{\"resultType\":\"matrix\",\"res",
		want:   `q.json:2: invalid JSON: unexpected end of JSON input (column 34)`,
	}, {
		name:   "not an object",
		reason: "the bare result array is not a response",
		in:     `[{"metric":{},"values":[]}]`,
		want:   `q.json:1: got an array; want a JSON object, the body of a Prometheus query_range response`,
	}, {
		name:   "no status",
		reason: "only a full response is accepted",
		in:     `{"resultType":"matrix","result":[]}`,
		want:   `q.json:1: no "status" key; want a Prometheus query_range response, {"status": "success", "data": {"resultType": "matrix", "result": [...]}}`,
	}, {
		name:   "odd status",
		reason: "only success and error exist",
		in:     `{"status":"partial","data":{}}`,
		want:   `q.json:1: status: "partial"; want "success"`,
	}, {
		name:   "status not a string",
		reason: "types are checked",
		in:     `{"status":true}`,
		want:   `q.json:1: status: got a boolean; want a string`,
	}, {
		name:   "no data",
		reason: "success without data",
		in:     `{"status":"success"}`,
		want:   `q.json:1: no "data" key in a successful response`,
	}, {
		name:   "labels not strings",
		reason: "label values are strings",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"code":200},"values":[[1,"1"]]}]}}`,
		want:   `q.json:1: data.result[0].metric: got an object; want an object of string labels, like {"job": "api"}`,
	}, {
		name:   "instant sample in a matrix",
		reason: "value instead of values",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"value":[1,"1"]}]}}`,
		want:   `q.json:1: data.result[0]: series {} has an instant sample ("value"), not a range ("values"); a range query is needed`,
	}, {
		name:   "unsorted",
		reason: "samples must be in time order",
		in:     "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[\n[2,\"1\"],\n[1,\"2\"]]}]}}",
		want:   `q.json:3: data.result[0].values[1]: series {}: timestamp 1 (1970-01-01T00:00:01Z) is before the previous sample's, 1970-01-01T00:00:02Z; samples must be sorted by time with no time twice`,
	}, {
		name:   "duplicate",
		reason: "no time twice, even written differently",
		in:     "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[\n[1,\"1\"],\n[1.0004,\"2\"]]}]}}",
		want:   `q.json:3: data.result[0].values[1]: series {}: timestamp 1.0004 (1970-01-01T00:00:01Z) repeats the previous sample's; samples must be sorted by time with no time twice`,
	}, {
		name:   "milliseconds",
		reason: "timestamps in ms instead of s are caught",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1700000000123,"1"]]}]}}`,
		want:   `q.json:1: data.result[0].values[0]: series {}: timestamp "1700000000123" is outside the years 0001 to 9999; is it in milliseconds? Unix seconds are wanted`,
	}, {
		name:   "string timestamp",
		reason: "timestamps are numbers in the API",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[["1700000000","1"]]}]}}`,
		want:   `q.json:1: data.result[0].values[0]: series {}: timestamp is a string ("1700000000"); want a number of Unix seconds`,
	}, {
		name:   "bad value",
		reason: "a value that is not a number",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"one"]]}]}}`,
		want:   `q.json:1: data.result[0].values[0]: series {} at 1970-01-01T00:00:01Z: value "one" is not a number`,
	}, {
		name:   "empty value",
		reason: "an empty string is not Prometheus's missing value",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,""]]}]}}`,
		want:   `q.json:1: data.result[0].values[0]: series {} at 1970-01-01T00:00:01Z: value is an empty string; want a number like "1.5" or "NaN"`,
	}, {
		name:   "null value",
		reason: "null is not a value",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,null]]}]}}`,
		want:   `q.json:1: data.result[0].values[0]: series {} at 1970-01-01T00:00:01Z: value is null; want a string like "1.5" or "NaN"`,
	}, {
		name:   "three elements",
		reason: "a sample is a pair",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1",2]]}]}}`,
		want:   `q.json:1: data.result[0].values[0]: series {} at 1970-01-01T00:00:01Z: more than two elements; want a [timestamp, "value"] pair`,
	}, {
		name:   "one element",
		reason: "a sample is a pair",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1]]}]}}`,
		want:   `q.json:1: data.result[0].values[0]: series {} at 1970-01-01T00:00:01Z: no value; want a [timestamp, "value"] pair`,
	}, {
		name:   "empty pair",
		reason: "a sample is a pair",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[]]}]}}`,
		want:   `q.json:1: data.result[0].values[0]: series {}: got an empty array; want a [timestamp, "value"] pair`,
	}, {
		name:   "sample not an array",
		reason: "a sample is a pair",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[{"t":1}]}]}}`,
		want:   `q.json:1: data.result[0].values[0]: series {}: got an object; want a [timestamp, "value"] pair`,
	}, {
		name:   "series not an object",
		reason: "each result element is a series object",
		in:     `{"status":"success","data":{"resultType":"matrix","result":[[1,"1"]]}}`,
		want:   `q.json:1: data.result[0]: got an array; want a series, {"metric": {...}, "values": [...]}`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if file, ok := strings.CutPrefix(in, "@"); ok {
				b, err := os.ReadFile(filepath.Join(sampleDir, file))
				if err != nil {
					t.Fatal(err)
				}
				in = string(b)
			}
			got, err := ReadPromJSON(strings.NewReader(in), "q.json")
			if err == nil {
				t.Fatalf("ReadPromJSON = %v, want error %q (%s)", got, tt.want, tt.reason)
			}
			checkSyntaxError(t, err, tt.want, tt.wantEmpty)
		})
	}
}
