package server_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/apdex"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/server"
	"github.com/chaosstat/chaosstat/steadystate"
)

// cliDir is cmd/chaosstat, where the golden files' paths are relative to.
const cliDir = "../cmd/chaosstat"

// golden is one golden file of cmd/chaosstat: the command line, the exit
// code and stdout.
type golden struct {
	args   []string
	stdin  string // the file after "<", or ""
	code   int
	stdout string
}

// readGolden parses testdata/golden/NAME.golden: "# reason", "$ chaosstat
// ARGS [< FILE]", "-- exit --", the code, "-- stdout --", stdout,
// "-- stderr --".
func readGolden(t *testing.T, name string) golden {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(cliDir, "testdata", "golden", name+".golden"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	var g golden
	cmd, rest, ok := strings.Cut(text, "\n$ chaosstat ")
	_ = cmd
	if !ok {
		t.Fatalf("%s: no command line", name)
	}
	line, rest, _ := strings.Cut(rest, "\n")
	line, g.stdin, _ = strings.Cut(line, " < ")
	g.args = strings.Fields(line)
	_, rest, _ = strings.Cut(rest, "-- exit --\n")
	code, rest, _ := strings.Cut(rest, "\n")
	if g.code, err = strconv.Atoi(code); err != nil {
		t.Fatalf("%s: exit code %q", name, code)
	}
	_, rest, _ = strings.Cut(rest, "-- stdout --\n")
	g.stdout, _, _ = strings.Cut(rest, "-- stderr --\n")
	return g
}

// fileFlags are the flags whose value is a data file, sent inline.
var fileFlags = map[string]bool{"control": true, "experiment": true, "history": true, "current": true, "satisfaction": true}

// boolFlags take no value.
var boolFlags = map[string]bool{"counts": true, "health": true, "level-adjust": true, "log-scale": true, "pool-days": true}

// numberFlags are sent as JSON numbers; the other values as strings.
var numberFlags = map[string]bool{"alpha": true, "confidence": true, "z": true, "weeks": true, "min-weeks": true,
	"persistence": true, "threshold": true, "frustrated": true, "min-correlation": true, "min-completeness": true}

// inline reads the data file path (relative to cmd/chaosstat; "-" is the
// golden's stdin) as the command would and returns it as inline data
// under the name the command gives it.
func inline(t *testing.T, path, stdin string) *server.Data {
	t.Helper()
	name := path
	if path == "-" {
		path, name = stdin, "stdin"
	}
	all, err := series.ReadFileAll(filepath.Join(cliDir, path), nil)
	if errors.Is(err, series.ErrEmpty) {
		return server.Inline(name, series.Series{})
	}
	if err != nil || len(all) != 1 {
		t.Fatalf("%s: %v (%d series)", path, err, len(all))
	}
	s := all[0]
	s.Name, s.Labels = "", nil
	return server.Inline(name, s)
}

// requestFor turns a golden's command line into the endpoint and the
// request: each --flag-name becomes the key flag_name, files inline.
func requestFor(t *testing.T, g golden) (string, map[string]any) {
	t.Helper()
	cmd, args := g.args[0], g.args[1:]
	req := map[string]any{}
	var positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			positional = append(positional, a)
			continue
		}
		flag, val, hasVal := strings.Cut(a[2:], "=")
		if boolFlags[flag] {
			req[strings.ReplaceAll(flag, "-", "_")] = true
			continue
		}
		if !hasVal {
			i++
			val = args[i]
		}
		key := strings.ReplaceAll(flag, "-", "_")
		switch {
		case flag == "format":
			if val != "json" {
				t.Fatalf("not a JSON golden: --format %s", val)
			}
		case fileFlags[flag]:
			req[key] = inline(t, val, g.stdin)
		case flag == "metric":
			name, path, _ := strings.Cut(val, "=")
			d := inline(t, path, g.stdin)
			d.Name = name
			ms, _ := req["metric"].([]map[string]any)
			req["metric"] = append(ms, map[string]any{"name": name, "data": d})
		case flag == "windows":
			req[key] = strings.Split(val, ",")
		case flag == "hypothesis":
			addHypothesis(t, req, val)
		case numberFlags[flag] || (cmd == "baseline" && flag == "resolution"): // criteria's --resolution is a duration
			n, err := strconv.ParseFloat(val, 64)
			if err != nil {
				t.Fatalf("--%s %s: %v", flag, val, err)
			}
			req[key] = n
		default:
			req[key] = val
		}
	}
	if cmd == "apdex" {
		if len(positional) != 1 {
			t.Fatalf("apdex: want one file, got %v", positional)
		}
		path, name := positional[0], positional[0]
		if path == "-" {
			path, name = g.stdin, "stdin"
		}
		f, err := os.Open(filepath.Join(cliDir, path))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		samples, hasTime, err := apdex.ReadCSV(f, name)
		if err != nil {
			t.Fatal(err)
		}
		var rs []map[string]any
		for _, s := range samples {
			r := map[string]any{"duration_seconds": s.Duration, "error": s.Error}
			if math.IsNaN(s.Duration) {
				r["duration_seconds"] = nil // a failed request without a time
			}
			if hasTime {
				r["timestamp"] = strconv.FormatFloat(float64(s.Time)/1000, 'f', 3, 64)
			}
			rs = append(rs, r)
		}
		req["requests"], req["name"] = rs, name
	} else if len(positional) > 0 {
		t.Fatalf("unexpected arguments %v", positional)
	}
	return "/v1/" + cmd, req
}

// addHypothesis sends the hypothesis file's text and each file source's
// data inline, by the name the hypothesis gives it.
func addHypothesis(t *testing.T, req map[string]any, path string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(cliDir, path))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := steadystate.ParseHypothesis(b, path)
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]*server.Data{}
	for _, m := range plan.Sources {
		for _, s := range []steadystate.Source{m.Control, m.Experiment, m.HistoryControl, m.HistoryExperiment} {
			if s.File != "" {
				data[s.File] = inline(t, filepath.Join(filepath.Dir(path), s.File), "")
				data[s.File].Name = ""
			}
		}
	}
	req["hypothesis"], req["hypothesis_file"], req["data"] = string(b), path, data
}

// jsonGoldens are the golden files of cmd/chaosstat written with --format
// json whose command has an endpoint (monitor's is package
// server/monitors'), by endpoint. Every endpoint is covered.
var jsonGoldens = map[string][]string{
	"compare": {"taxi_mannwhitney_json", "taxi_welch_json", "taxi_ks_json", "thursdays_brunnermunzel_json",
		"thursdays_mannwhitney_json", "taxi_less_json", "taxi_greater_json", "males_females_exact_json",
		"stdin_prometheus_json", "missing_values_json"},
	"aa": {"aa_clean_json", "aa_wandering_json", "aa_wandering4w_24h_json", "aa_mismatch_json",
		"aa_windows_no_counts_json", "aa_health_outage_json"},
	"apdex":    {"apdex_small_json", "apdex_stdin_json", "apdex_window_json"},
	"baseline": {"baseline_synthetic_drop_json", "baseline_synthetic_level_adjust_json", "baseline_taxi_thanksgiving_json", "baseline_taxi_ordinary_json", "baseline_taxi_counts_ordinary_json", "baseline_taxi_model_counts_json"},
	"criteria": {"criteria_week_json", "criteria_no_now_json"},
	"judge":    {"judge_example_json", "judge_held_json", "judge_nodata_json", "judge_history_json"},
}

// statusOfExit is the status an answer with the command's exit code gets.
var statusOfExit = map[int]int{0: http.StatusOK, 1: http.StatusOK, 2: http.StatusBadRequest, 3: http.StatusUnprocessableEntity}

// TestGoldenJSON sends each JSON golden case's command as a request, its
// files inline, and compares the body byte for byte with the command's
// stdout, and the status with its exit code's.
func TestGoldenJSON(t *testing.T) {
	srv, err := server.New(server.Config{})
	if err != nil {
		t.Fatal(err)
	}
	// Every JSON golden of a command with an endpoint is in the table.
	files, _ := filepath.Glob(filepath.Join(cliDir, "testdata", "golden", "*json*.golden"))
	listed := map[string]bool{}
	for _, names := range jsonGoldens {
		for _, n := range names {
			listed[n] = true
		}
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".golden")
		g := readGolden(t, name)
		if !listed[name] && g.args[0] != "monitor" && strings.Contains(strings.Join(g.args, " "), "--format json") && g.code != 2 {
			t.Errorf("%s: a JSON golden of %s not in jsonGoldens", name, g.args[0])
		}
	}
	for cmd, names := range jsonGoldens {
		for _, name := range names {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				g := readGolden(t, name)
				if g.args[0] != cmd {
					t.Fatalf("the golden runs %s, listed under %s", g.args[0], cmd)
				}
				path, req := requestFor(t, g)
				body, err := json.Marshal(req)
				if err != nil {
					t.Fatal(err)
				}
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body)))
				if want := statusOfExit[g.code]; rec.Code != want {
					t.Errorf("status %d, want %d (exit %d)\n%s", rec.Code, want, g.code, rec.Body)
				}
				if got := rec.Body.String(); got != g.stdout {
					t.Errorf("body differs from the golden's stdout\n--- got:\n%s--- want:\n%s", got, g.stdout)
				}
				if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
			})
		}
	}
}
