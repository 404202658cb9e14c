package monitors_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/server/monitors"
	"github.com/chaosstat/chaosstat/workflow"
)

// maxGapLooks is the gap rule's default, in looks (max_gap 3 steps): with
// the settle time of 1 s, the health is 503 no_data within max_gap + one
// step + settle (5 s) of the last look with data, and the test waits 15 s.
const maxGapLooks = 3

// TestPrometheusDown: Prometheus halted under a running monitor; the
// health turns 503 no_data naming the failed read, and 200 again, with the
// monitor still continuing, after Prometheus restarts on the same port and
// storage. No look is lost: the looks of the outage are taken, with the
// values Prometheus has for them (none), once it answers again.
func TestPrometheusDown(t *testing.T) {
	t.Parallel()
	svc := newService(t, 2, "a", "b")
	ps, client := livePrometheus(t, svc.target())
	waitData(t, client, successQuery("a"), successQuery("b"))
	_, srv := newManager(t, client, "", settle)
	id := create(t, srv.URL, spec("outage", successQuery("a"), successQuery("b"), `, "direction": "decrease", "alpha": 0.001`))
	waitFor(t, 20*time.Second, "healthy after 3 looks", func() bool {
		h := getHealth(t, srv.URL, id)
		return h.Code == 200 && h.Decision != nil && h.Decision.Looks >= 3
	})
	before := getView(t, srv.URL, id)
	ps.Halt()
	halted := time.Now()
	var down health
	waitFor(t, 15*time.Second, "503 no_data with Prometheus down", func() bool {
		down = getHealth(t, srv.URL, id)
		return down.Code != 200
	})
	t.Logf("503 %.1f s after Prometheus halted (last look before: %s): %s", time.Since(halted).Seconds(), *before.LastLook, down.Reason)
	if down.Code != 503 || down.Status != "no_data" || !strings.Contains(down.Reason, "reading Prometheus fails") || !strings.Contains(down.Reason, "max_gap 3s") {
		t.Fatalf("health with Prometheus down: %d %s: %s; want 503 no_data naming the failed read and max_gap 3s", down.Code, down.Status, down.Reason)
	}
	if err := ps.Restart(); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	// 200 with data scraped after the restart (a rate over 3 s still has
	// values for the first looks after the halt, so a 200 may come
	// earlier; this one must last).
	var up health
	waitFor(t, 30*time.Second, "200 again with data from after the restart", func() bool {
		up = getHealth(t, srv.URL, id)
		v := getView(t, srv.URL, id)
		if v.LastData == nil {
			return false
		}
		last, _ := time.Parse(time.RFC3339Nano, *v.LastData)
		return up.Code == 200 && last.After(restarted)
	})
	t.Logf("200 again %.1f s after Prometheus restarted (down %.1f s)", time.Since(restarted).Seconds(), restarted.Sub(halted).Seconds())
	if up.Status != "continue" || up.Decision == nil || up.Decision.Action != "continue" {
		t.Fatalf("after the outage: %s %+v; want continue: a data gap is not a stop", up.Status, up.Decision)
	}
	v := getView(t, srv.URL, id)
	first, _ := time.Parse(time.RFC3339Nano, v.FirstLook)
	last, _ := time.Parse(time.RFC3339Nano, *v.LastLook)
	if want := int(last.Sub(first)/time.Second) + 1; v.Looks != want || v.Decision.Looks != want {
		t.Errorf("%d looks (decision %d) from %s to %s; want %d, one a step", v.Looks, v.Decision.Looks, v.FirstLook, *v.LastLook, want)
	}
}

// TestRestart: a manager closed mid-run (serve killed) and a new one on
// the same StateDir: the monitor resumes, the looks missed while no
// manager ran are read from Prometheus, and every look, before and after,
// is on the step grid with the values Prometheus holds for it, as an
// uninterrupted monitor would have read them.
func TestRestart(t *testing.T) {
	t.Parallel()
	svc := newService(t, 3, "a", "b")
	_, client := livePrometheus(t, svc.target())
	waitData(t, client, successQuery("a"), successQuery("b"))
	dir := t.TempDir()
	m1, err := monitors.New(monitors.Config{Prom: client, StateDir: dir, Settle: slowSettle})
	if err != nil {
		t.Fatal(err)
	}
	srv1 := newHTTP(t, m1)
	id := create(t, srv1.URL, spec("restart", successQuery("a"), successQuery("b"), `, "direction": "decrease", "alpha": 0.001`))
	waitFor(t, 20*time.Second, "5 looks", func() bool { return getView(t, srv1.URL, id).Looks >= 5 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := m1.Close(ctx); err != nil {
		t.Fatal(err)
	}
	closed := readState(t, dir, id)
	downFor := 4 * time.Second
	time.Sleep(downFor) // no manager: 4 looks are missed
	_, srv2 := newManager(t, client, dir, slowSettle)
	resumed := getView(t, srv2.URL, id)
	if resumed.Looks < len(closed.Looks) {
		t.Fatalf("resumed with %d looks; the closed manager had %d", resumed.Looks, len(closed.Looks))
	}
	target := len(closed.Looks) + int(downFor/time.Second) + 3
	waitFor(t, 20*time.Second, "the missed looks and 3 more", func() bool { return getView(t, srv2.URL, id).Looks >= target })
	ctx2, cancel2 := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel2()
	if h := getHealth(t, srv2.URL, id); h.Code != 200 || h.Status != "continue" {
		t.Errorf("after the restart: %d %s: %s; want 200 continue", h.Code, h.Status, h.Reason)
	}
	st := readState(t, dir, id)
	// Every look on the grid, one a step, from the first: none lost.
	for i, l := range st.Looks {
		if want := st.FirstLook + int64(i)*1000; int64(l[0]) != want {
			t.Fatalf("look %d at %v; want %d: a look was lost or repeated", i, l[0], want)
		}
	}
	// The looks kept across the restart are the closed manager's.
	for i, l := range closed.Looks {
		if !same(l, st.Looks[i]) {
			t.Errorf("look %d changed across the restart: %v, then %v", i, l, st.Looks[i])
		}
	}
	// And every look has the values Prometheus holds for its time, the
	// missed ones included: what an uninterrupted monitor read.
	n := len(st.Looks)
	pts, _, err := workflow.ReadLooks(ctx2, client, successQuery("a"), successQuery("b"),
		prom.Range{Start: time.UnixMilli(st.FirstLook), End: time.UnixMilli(int64(st.Looks[n-1][0])), Step: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pts {
		got := st.Looks[i]
		if math.IsNaN(got[1]) || math.IsNaN(got[2]) {
			t.Errorf("look %d (%v) has a missing value %v; the service ran throughout", i, got[0], got)
		}
		if !near(got[1], p.Control) || !near(got[2], p.Experiment) {
			t.Errorf("look %d (%v): %v, %v; Prometheus holds %v, %v", i, got[0], got[1], got[2], p.Control, p.Experiment)
		}
	}
	t.Logf("%d looks before the close, %d after the restart (%d s without a manager), all %d on the grid with Prometheus's values", len(closed.Looks), n-len(closed.Looks), int(downFor/time.Second), n)
}

// state is the part of a state file the tests read.
type state struct {
	ID        string        `json:"id"`
	FirstLook int64         `json:"first_look"`
	Looks     [][3]float64  `json:"-"`
	RawLooks  [][3]*float64 `json:"looks"`
}

func readState(t *testing.T, dir, id string) state {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, id+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	for _, l := range st.RawLooks {
		var v [3]float64
		for k, x := range l {
			v[k] = math.NaN()
			if x != nil {
				v[k] = *x
			}
		}
		st.Looks = append(st.Looks, v)
	}
	return st
}

func same(a, b [3]float64) bool {
	for k := range a {
		if a[k] != b[k] && !(math.IsNaN(a[k]) && math.IsNaN(b[k])) {
			return false
		}
	}
	return true
}

// near: equal to 1e-12 relative, the JSON round trip of a float64 being
// exact and Prometheus's evaluation deterministic.
func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}
