package monitors

import (
	"math"

	"github.com/prometheus/client_golang/prometheus"
)

// The Manager's metrics, one series per monitor, labelled id and name.
var (
	labels   = []string{"id", "name"}
	pValueD  = prometheus.NewDesc("chaosstat_monitor_p_value", "Always-valid p-value of the monitor's test (1 during the burn-in); the monitor stops at p <= alpha.", labels, nil)
	alphaD   = prometheus.NewDesc("chaosstat_monitor_alpha", "False-stop rate the monitor's test runs at.", labels, nil)
	estD     = prometheus.NewDesc("chaosstat_monitor_relative_change", "Relative change experiment/control - 1 over the run (-0.1 is 10% lower); NaN before the first complete look.", labels, nil)
	lowD     = prometheus.NewDesc("chaosstat_monitor_relative_change_lower", "Lower bound of the relative change's always-valid confidence sequence (-Inf during the burn-in).", labels, nil)
	highD    = prometheus.NewDesc("chaosstat_monitor_relative_change_upper", "Upper bound of the relative change's always-valid confidence sequence (+Inf during the burn-in).", labels, nil)
	decD     = prometheus.NewDesc("chaosstat_monitor_decision", "1 for the monitor's current state, 0 for the others: continue, stop_test, stop_guardrail, no_data (max_gap without a complete look), waiting (before the first look).", append(labels, "state"), nil)
	stoppedD = prometheus.NewDesc("chaosstat_monitor_stopped", "1 once the monitor has stopped the experiment (test or guardrail), else 0.", labels, nil)
	healthyD = prometheus.NewDesc("chaosstat_monitor_healthy", "1 while the health endpoint answers 200, 0 while it answers 503.", labels, nil)
	looksD   = prometheus.NewDesc("chaosstat_monitor_looks_total", "Looks fed to the monitor, one per step, missing values included.", labels, nil)
	pairsD   = prometheus.NewDesc("chaosstat_monitor_pairs", "Complete pairs (both groups' values) the test has used.", labels, nil)
	lastD    = prometheus.NewDesc("chaosstat_monitor_last_look_timestamp_seconds", "Time of the last look, Unix seconds (0 before the first).", labels, nil)
	dataD    = prometheus.NewDesc("chaosstat_monitor_last_data_timestamp_seconds", "Time of the last complete look, Unix seconds (0 before the first).", labels, nil)
	allDescs = []*prometheus.Desc{pValueD, alphaD, estD, lowD, highD, decD, stoppedD, healthyD, looksD, pairsD, lastD, dataD}
	states   = []string{"continue", "stop_test", "stop_guardrail", "no_data", "waiting"}
)

// Describe implements prometheus.Collector.
func (m *Manager) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range allDescs {
		ch <- d
	}
}

// Collect implements prometheus.Collector: the monitors' state now.
func (m *Manager) Collect(ch chan<- prometheus.Metric) {
	m.mu.Lock()
	entries := m.list()
	m.mu.Unlock()
	now := m.now()
	for _, e := range entries {
		e.mu.Lock()
		h := m.health(e, now)
		lv := []string{e.id, e.spec.Name}
		gauge := func(d *prometheus.Desc, v float64, extra ...string) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, append(lv, extra...)...)
		}
		state := h.Status
		pv, est, low, high, pairs, last := 1.0, math.NaN(), math.Inf(-1), math.Inf(1), 0.0, 0.0
		if d := e.last; d != nil {
			pv, est, low, high, pairs, last = d.P, d.Relative.Estimate, d.Relative.Low, d.Relative.High, float64(d.N), float64(d.T)/1000
			if h.Status == "stop" {
				state = "stop_" + d.Cause.String()
			}
		}
		gauge(pValueD, pv)
		gauge(alphaD, e.p.cfg.Alpha)
		gauge(estD, est)
		gauge(lowD, low)
		gauge(highD, high)
		for _, s := range states {
			gauge(decD, b2f(s == state), s)
		}
		gauge(stoppedD, b2f(e.stopped()))
		gauge(healthyD, b2f(h.Code == 200))
		ch <- prometheus.MustNewConstMetric(looksD, prometheus.CounterValue, float64(len(e.looks)), lv...)
		gauge(pairsD, pairs)
		gauge(lastD, last)
		gauge(dataD, float64(e.lastData)/1000)
		e.mu.Unlock()
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
