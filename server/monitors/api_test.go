package monitors_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/server/monitors"
)

// flat is a RangeReader without a server: every query has a value near
// 100 at every step, varying with the time and the query, except "bad" (refused as Prometheus refuses a parse
// error) and "many" (two series).
type flat struct{}

func (flat) Range(_ context.Context, q string, r prom.Range) (*prom.RangeResult, error) {
	switch q {
	case "bad":
		return nil, &prom.Error{Kind: prom.ErrBadQuery, Op: "range", Query: q, Msg: "1:4: parse error: unexpected end of input"}
	case "many":
		return &prom.RangeResult{Series: []series.Series{{Name: "x", Labels: map[string]string{"i": "1"}}, {Name: "x", Labels: map[string]string{"i": "2"}}}}, nil
	}
	s := series.Series{Name: q}
	for t := r.Start; !t.After(r.End); t = t.Add(r.Step) {
		s.T = append(s.T, t.UnixMilli())
		s.V = append(s.V, 100+float64((t.Unix()*7+int64(q[0]))%11))
	}
	return &prom.RangeResult{Series: []series.Series{s}}, nil
}

func offline(t *testing.T, cfg monitors.Config) (*monitors.Manager, func(method, path, body string) (int, map[string]any)) {
	t.Helper()
	cfg.Prom = flat{}
	m, err := monitors.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close(context.Background()) })
	do := func(method, path, body string) (int, map[string]any) {
		w := httptest.NewRecorder()
		m.ServeHTTP(w, httptest.NewRequest(method, path, strings.NewReader(body)))
		var out map[string]any
		if w.Body.Len() > 0 {
			if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
				t.Fatalf("%s %s: %d, body %q is not JSON", method, path, w.Code, w.Body)
			}
		}
		return w.Code, out
	}
	return m, do
}

// TestBadRequests: each bad request is a 4xx whose error names the key.
func TestBadRequests(t *testing.T) {
	_, do := offline(t, monitors.Config{MaxMonitors: 1})
	ok := `"control_query": "c", "experiment_query": "e", "step": "1m"`
	for _, c := range []struct{ body, field string }{
		{`[1]`, "body"},
		{`{` + ok + `, "alpah": 0.01}`, "alpah"},
		{`{"experiment_query": "e"}`, "control_query"},
		{`{"control_query": "c"}`, "experiment_query"},
		{`{` + ok + `, "alpha": 1.5}`, "alpha"},
		{`{` + ok + `, "alpha": "0.05"}`, "alpha"},
		{`{` + ok + `, "direction": "down"}`, "direction"},
		{`{` + ok + `, "scale": "log"}`, "scale"},
		{`{"control_query": "c", "experiment_query": "e", "step": "soon"}`, "step"},
		{`{"control_query": "c", "experiment_query": "e", "step": "10ms"}`, "step"},
		{`{` + ok + `, "max_gap": "30s"}`, "max_gap"},
		{`{` + ok + `, "max_drop": -0.1}`, "max_drop"},
		{`{` + ok + `, "sustain": -1}`, "sustain"},
		{`{` + ok + `, "min_points": 2}`, "min_points"},
		{`{` + ok + `, "horizon": -5}`, "horizon"},
		{`{` + ok + `, "experiment_below": 5, "experiment_above": 1}`, "experiment_below"},
		{`{` + ok + `, "history_start": "yesterday"}`, "history_start"},
		{`{` + ok + `, "history_start": "now-10m"}`, "history_start"}, // 10 looks: fewer than 30
		{`{"control_query": "bad", "experiment_query": "e"}`, "control_query"},
		{`{"control_query": "c", "experiment_query": "many"}`, "experiment_query"},
	} {
		code, out := do("POST", "/v1/monitors", c.body)
		if code != http.StatusBadRequest || out["field"] != c.field || !strings.HasPrefix(out["error"].(string), c.field+": ") {
			t.Errorf("POST %s: %d %v; want 400 naming %s", c.body, code, out, c.field)
		}
	}
	// The limit, and the other codes.
	if code, out := do("POST", "/v1/monitors", `{`+ok+`, "history_start": "now-40m"}`); code != http.StatusCreated {
		t.Fatalf("POST with 40 minutes of history: %d %v; want 201", code, out)
	}
	if code, out := do("POST", "/v1/monitors", `{`+ok+`}`); code != http.StatusTooManyRequests {
		t.Errorf("POST beyond MaxMonitors 1: %d %v; want 429", code, out)
	}
	for _, c := range []struct {
		method, path string
		code         int
	}{
		{"PUT", "/v1/monitors", 405},
		{"GET", "/v1/monitors/nope", 404},
		{"GET", "/v1/monitors/nope/health", 404},
		{"DELETE", "/v1/monitors/nope", 404},
		{"GET", "/v1/monitorsx", 404},
	} {
		if code, out := do(c.method, c.path, ""); code != c.code || out["error"] == "" {
			t.Errorf("%s %s: %d %v; want %d with an error", c.method, c.path, code, out, c.code)
		}
	}
}

// TestLifecycle: list, get, health before the first look, delete (and its
// state file with it).
func TestLifecycle(t *testing.T) {
	dir := t.TempDir()
	_, do := offline(t, monitors.Config{StateDir: dir})
	code, out := do("POST", "/v1/monitors", `{"name": "checkout", "control_query": "c", "experiment_query": "e", "step": "1m"}`)
	if code != http.StatusCreated {
		t.Fatalf("POST: %d %v", code, out)
	}
	id := out["id"].(string)
	if _, err := os.Stat(filepath.Join(dir, id+".json")); err != nil {
		t.Errorf("state file: %v", err)
	}
	if code, out := do("GET", "/v1/monitors", ""); code != 200 || len(out["monitors"].([]any)) != 1 {
		t.Errorf("GET list: %d %v; want the one monitor", code, out)
	}
	code, out = do("GET", "/v1/monitors/"+id, "")
	if code != 200 || out["name"] != "checkout" || out["status"] != "waiting" || out["decision"] != nil || out["health_url"] != "/v1/monitors/"+id+"/health" {
		t.Errorf("GET: %d %v; want checkout, waiting for its first look", code, out)
	}
	if spec := out["spec"].(map[string]any); spec["max_gap"] != "3m0s" || spec["alpha"] != 0.05 || spec["max_drop"] != 0.2 {
		t.Errorf("spec %v: want the defaults filled in (max_gap 3 steps, alpha 0.05, max_drop 0.2)", spec)
	}
	if code, out := do("GET", "/v1/monitors/"+id+"/health", ""); code != 200 || out["status"] != "waiting" {
		t.Errorf("health: %d %v; want 200 waiting", code, out)
	}
	if code, _ := do("DELETE", "/v1/monitors/"+id, ""); code != http.StatusNoContent {
		t.Errorf("DELETE: %d; want 204", code)
	}
	if code, _ := do("GET", "/v1/monitors/"+id, ""); code != 404 {
		t.Errorf("GET after DELETE: %d; want 404", code)
	}
	if _, err := os.Stat(filepath.Join(dir, id+".json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("state file after DELETE: %v; want it gone", err)
	}
}

// TestCorruptState: New refuses a state file it cannot resume from, and
// names it.
func TestCorruptState(t *testing.T) {
	for name, body := range map[string]string{
		"garbage":   `{"version": 1, "id": `,
		"version":   `{"version": 9, "id": "abc"}`,
		"looks gap": `{"version": 1, "id": "abc", "spec": {"control_query": "c", "experiment_query": "e", "step": "1s"}, "first_look": 1000, "looks": [[1000, 1, 1], [3000, 1, 1]]}`,
		"spec":      `{"version": 1, "id": "abc", "spec": {"control_query": "c", "experiment_query": "e", "step": "1s", "alpha": 2}, "first_look": 1000, "looks": []}`,
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "abc.json")
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := monitors.New(monitors.Config{Prom: flat{}, StateDir: dir})
		if err == nil {
			m.Close(context.Background())
			t.Errorf("%s: New: no error", name)
			continue
		}
		if !errors.Is(err, monitors.ErrCorruptState) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: New: %v; want ErrCorruptState naming %s", name, err, path)
		}
	}
}

// TestResumeOffline: a monitor saved by one manager after 5 looks is
// resumed by the next with the same looks, catches up the 5 looks it
// missed, and ends with the decision of a monitor that ran throughout.
func TestResumeOffline(t *testing.T) {
	dir := t.TempDir()
	var clockMs atomic.Int64
	clockMs.Store(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC).UnixMilli())
	clock := func() time.Time { return time.UnixMilli(clockMs.Load()) }
	body := `{"control_query": "c", "experiment_query": "e", "step": "1s", "min_points": 3}`
	m1, do1 := offline(t, monitors.Config{StateDir: dir, Now: clock, Settle: time.Nanosecond})
	_, do0 := offline(t, monitors.Config{Now: clock, Settle: time.Nanosecond}) // runs throughout
	_, out := do1("POST", "/v1/monitors", body)
	id := out["id"].(string)
	_, out = do0("POST", "/v1/monitors", body)
	id0 := out["id"].(string)
	get := func(do func(string, string, string) (int, map[string]any), id string, looks float64) map[string]any {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, got := do("GET", "/v1/monitors/"+id, "")
			if got["looks"] == looks || time.Now().After(deadline) {
				return got
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	clockMs.Add(5000 + 1)
	if got := get(do1, id, 5); got["looks"] != 5.0 {
		t.Fatalf("before the close: %v looks; want 5", got["looks"])
	}
	if err := m1.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	clockMs.Add(5000)
	_, do2 := offline(t, monitors.Config{StateDir: dir, Now: clock, Settle: time.Nanosecond})
	got := get(do2, id, 10)
	if got["looks"] != 10.0 || got["first_look"] != "2026-12-01T12:00:01Z" || got["last_look"] != "2026-12-01T12:00:10Z" {
		t.Errorf("after the restart: looks %v from %v to %v; want the 10 looks from 12:00:01 to 12:00:10", got["looks"], got["first_look"], got["last_look"])
	}
	want := get(do0, id0, 10)
	a, _ := json.Marshal(got["decision"])
	b, _ := json.Marshal(want["decision"])
	if string(a) != string(b) || got["decision"] == nil {
		t.Errorf("resumed decision:\n%s\nuninterrupted:\n%s", a, b)
	}
}

// TestStopSurvivesRestart: a monitor stopped by a guardrail answers 503
// stop, and still does after a restart of the manager: a stop is for good.
func TestStopSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	m1, do := offline(t, monitors.Config{StateDir: dir, Settle: time.Nanosecond})
	_, out := do("POST", "/v1/monitors", `{"control_query": "c", "experiment_query": "e", "step": "1s", "experiment_below": 200, "sustain": 1}`)
	id := out["id"].(string)
	var h map[string]any
	var code int
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if code, h = do("GET", "/v1/monitors/"+id+"/health", ""); code != 200 {
			break
		}
	}
	if code != 503 || h["status"] != "stop" || h["decision"].(map[string]any)["cause"] != "guardrail" {
		t.Fatalf("health: %d %v; want 503 stop, cause guardrail (the experiment is near 100, below 200)", code, h)
	}
	if err := m1.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, do2 := offline(t, monitors.Config{StateDir: dir, Settle: time.Nanosecond})
	if code, h := do2("GET", "/v1/monitors/"+id+"/health", ""); code != 503 || h["status"] != "stop" {
		t.Errorf("after the restart: %d %v; want 503 stop", code, h)
	}
}
