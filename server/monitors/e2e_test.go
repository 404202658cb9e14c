package monitors_test

import (
	"math"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Stated bounds of TestEndToEnd (looks are 1 s apart).
const (
	// maxLooksToGuardrail: the monitor whose experiment's error rate goes
	// from 1% to 30% mid-run (a 29% drop of its success ratio) answers
	// 503, cause guardrail (max_drop 0.2 for 3 looks), within this many
	// looks of the change. The 3 s rate window takes up to 3 looks to
	// show the drop, the guardrail 3 more.
	maxLooksToGuardrail = 10
	// maxLooksToTest: the monitor without guardrails whose experiment
	// fails 15% of requests from its start (the fault injected as the
	// monitor starts; a 14% drop) answers 200 during the burn-in and 503,
	// cause test, within this many looks of its start: the burn-in is 10
	// complete pairs; horizon 30 tunes the test for a short run (measured:
	// 14 looks; 24 with the default horizon 360). A mid-run step as large
	// against noise this small is taken for variance by the test for a
	// while: the guardrail catches it.
	maxLooksToTest = 25
	// aaLooks: the monitor of two healthy groups answers 200 at every
	// check over this many looks. Its alpha is 0.001: the always-valid
	// test stops an A/A run with probability at most about 0.001 however
	// many looks (Ville's inequality, with a plug-in variance;
	// steadystate/monitor's BENCHMARKS.md has the simulated rates, below
	// alpha), so a failure here is about a one-in-a-thousand event, or a
	// bug. The guardrail monitor is held to the same before its change.
	aaLooks = 25
)

// TestEndToEnd: a live service, a real Prometheus scraping it every
// second, three monitors created through POST with a 1 s step, checked
// every 200 ms through GET .../health.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	svc := newService(t, 1, "ctl", "exp", "ctl2", "exp2", "aa1", "aa2")
	svc.setErrRate("exp2", 0.15)
	_, client := livePrometheus(t, svc.target())
	waitData(t, client, successQuery("ctl"), successQuery("exp"), successQuery("exp2"), successQuery("aa1"), successQuery("aa2"))
	m, srv := newManager(t, client, "", settle)
	began := time.Now()
	guard := create(t, srv.URL, spec("guardrail", successQuery("ctl"), successQuery("exp"), `, "direction": "decrease", "alpha": 0.001`))
	test := create(t, srv.URL, spec("test", successQuery("ctl2"), successQuery("exp2"), `, "direction": "decrease", "alpha": 0.01, "max_drop": 0, "horizon": 30`))
	aa := create(t, srv.URL, spec("aa", successQuery("aa1"), successQuery("aa2"), `, "direction": "decrease", "alpha": 0.001`))

	var degradedAt time.Time // when exp's error rate went up
	aaDone, guardStopped, testStopped, testWas200 := false, false, false, false
	checks := 0
	waitFor(t, 45*time.Second, "done: two monitors stopped and the A/A one ran its looks", func() bool {
		checks++
		ha := getHealth(t, srv.URL, aa)
		if ha.Code != 200 {
			t.Fatalf("A/A monitor: health %d %s: %s; want 200 for %d looks", ha.Code, ha.Status, ha.Reason, aaLooks)
		}
		if ha.Decision != nil && ha.Decision.Looks >= aaLooks && ha.Status == "continue" {
			aaDone = true
		}

		hg := getHealth(t, srv.URL, guard)
		switch {
		case degradedAt.IsZero():
			if hg.Code != 200 {
				t.Fatalf("guardrail monitor before the degradation: health %d %s: %s; want 200", hg.Code, hg.Status, hg.Reason)
			}
			// Past the test's burn-in (10 complete pairs) and a look more.
			if hg.Decision != nil && hg.Decision.N >= 11 {
				degradedAt = time.Now()
				svc.setErrRate("exp", 0.3)
				t.Logf("guardrail monitor: degraded after look %d (n=%d, p=%.3g), %.1f s after the POST", hg.Decision.Looks, hg.Decision.N, hg.Decision.P, time.Since(began).Seconds())
			}
		case !guardStopped && hg.Code != 200:
			if hg.Code != 503 || hg.Status != "stop" || hg.Decision == nil || hg.Decision.Cause != "guardrail" {
				t.Fatalf("guardrail monitor: health %d %s %+v: %s; want 503 stop, cause guardrail", hg.Code, hg.Status, hg.Decision, hg.Reason)
			}
			guardStopped = true
			looks := int(math.Ceil(hg.Decision.Time.Sub(degradedAt).Seconds()))
			t.Logf("guardrail monitor: 503 at look %d, %d looks after the degradation: %s", hg.Decision.Looks, looks, hg.Reason)
			if looks > maxLooksToGuardrail {
				t.Errorf("guardrail monitor: 503 %d looks after the degradation; want at most %d", looks, maxLooksToGuardrail)
			}
		case guardStopped && hg.Code != 503:
			t.Fatalf("guardrail monitor after its stop: health %d %s; want 503: a stop is for good", hg.Code, hg.Status)
		}

		ht := getHealth(t, srv.URL, test)
		switch {
		case !testStopped && ht.Code == 200:
			testWas200 = true
		case !testStopped:
			if !testWas200 || ht.Code != 503 || ht.Status != "stop" || ht.Decision == nil || ht.Decision.Cause != "test" {
				t.Fatalf("test monitor: health %d %s %+v (200 before: %v): %s; want 200 in the burn-in, then 503 stop, cause test", ht.Code, ht.Status, ht.Decision, testWas200, ht.Reason)
			}
			testStopped = true
			t.Logf("test monitor: 503 at look %d (n=%d, p=%.3g), %.1f s after the POST: %s", ht.Decision.Looks, ht.Decision.N, ht.Decision.P, time.Since(began).Seconds(), ht.Reason)
			if ht.Decision.Looks > maxLooksToTest {
				t.Errorf("test monitor: 503 at look %d; want at most %d", ht.Decision.Looks, maxLooksToTest)
			}
		case ht.Code != 503:
			t.Fatalf("test monitor after its stop: health %d %s; want 503", ht.Code, ht.Status)
		}
		return aaDone && guardStopped && testStopped
	})
	t.Logf("%d rounds of health checks, %.1f s after the POST", checks, time.Since(began).Seconds())

	// The collector says the same as the endpoints.
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(m)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, mt := range mf.GetMetric() {
			key := mf.GetName()
			for _, l := range mt.GetLabel() {
				if l.GetName() != "id" {
					key += "," + l.GetName() + "=" + l.GetValue()
				}
			}
			v := mt.GetGauge().GetValue()
			if mt.GetCounter() != nil {
				v = mt.GetCounter().GetValue()
			}
			got[key] = v
		}
	}
	for key, want := range map[string]float64{
		"chaosstat_monitor_decision,name=guardrail,state=stop_guardrail": 1,
		"chaosstat_monitor_decision,name=guardrail,state=continue":       0,
		"chaosstat_monitor_decision,name=test,state=stop_test":           1,
		"chaosstat_monitor_stopped,name=test":                            1,
		"chaosstat_monitor_healthy,name=test":                            0,
		"chaosstat_monitor_decision,name=aa,state=continue":              1,
		"chaosstat_monitor_stopped,name=aa":                              0,
		"chaosstat_monitor_healthy,name=aa":                              1,
	} {
		if v, ok := got[key]; !ok || v != want {
			t.Errorf("metric %s = %v (present %v); want %v", key, v, ok, want)
		}
	}
	if p := got["chaosstat_monitor_p_value,name=test"]; !(p <= 0.01) {
		t.Errorf("test's p-value metric %v; want <= its alpha 0.01", p)
	}
	if est, lo := got["chaosstat_monitor_relative_change,name=test"], got["chaosstat_monitor_relative_change_lower,name=test"]; !(est < -0.05 && lo < est) {
		t.Errorf("test's relative change %v, lower bound %v; want an estimate below -5%% (the experiment fails 15%% against 1%%) above its lower bound", est, lo)
	}
	if n := got["chaosstat_monitor_looks_total,name=aa"]; n < aaLooks {
		t.Errorf("aa's looks counter %v; want >= %d", n, aaLooks)
	}
}
