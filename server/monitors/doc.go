// Package monitors runs chaosstat's emergency stop (steadystate/monitor) as
// HTTP resources: each monitor polls Prometheus every step for the control
// and the experiment group, feeds each look to a monitor.Monitor, and
// answers a health check a chaos tool or an alert can poll. chaosstat serve
// mounts a Manager at /v1/monitors and /v1/monitors/ (full paths) and
// registers it as a prometheus.Collector.
//
//	m, err := monitors.New(monitors.Config{Prom: client, StateDir: dir, Logger: log})
//	mux.Handle("/v1/monitors", m); mux.Handle("/v1/monitors/", m)
//	registry.MustRegister(m)
//	defer m.Close(ctx) // stops the pollers, saves the state
//
// # Endpoints
//
//   - POST /v1/monitors: a JSON object whose keys are chaosstat monitor's
//     flags in snake_case (Spec): control_query, experiment_query
//     (required), direction, alpha, max_drop, sustain, experiment_below,
//     experiment_above, scale, horizon, min_points, step (default 1m),
//     max_gap (default 3 steps), history_start (primes the test with the
//     groups from then to the first look: now-8h for a metric that drifts
//     slowly, monitor.Monitor.Prime), name. 201 with {"id", "url",
//     "health_url"} and Location. 400 for an unknown key, a wrong type, a
//     bad value, a query Prometheus refuses or one returning several series,
//     too little history: {"error": "KEY: ...", "field": "KEY"}. 429 beyond
//     Config.MaxMonitors; 502 when the history cannot be read. An
//     unreachable Prometheus is not a 4xx: the monitor starts and its health
//     says no_data until Prometheus answers.
//   - GET /v1/monitors: {"monitors": [...]}, each as GET of one.
//   - GET /v1/monitors/ID: id, name, url, health_url, status, healthy,
//     reason, created, first_look, last_look, last_data, looks, last_error,
//     warnings, spec (defaults filled in) and decision: the latest decision,
//     the object chaosstat monitor --format json writes per look (null
//     before the first look).
//   - GET /v1/monitors/ID/health: 200 while the decision is continue (status
//     "continue", or "waiting" before the first look); 503 once the monitor
//     stopped (status "stop": cause test or guardrail, for good) or while
//     data is missing (status "no_data"). The body is {"status", "reason",
//     "decision"}.
//   - DELETE /v1/monitors/ID: 204; the poller ends and the state file goes.
//
// Other paths are 404, other methods 405, all with {"error"}.
//
// # Looks and the gap rule
//
// The looks lie on the step's grid (Unix time a multiple of step), from the
// first grid time after the POST; look t is read at t + Config.Settle, as
// a range query over every look due, so a poll after an outage reads the
// whole missed range (workflow.ReadLooks). A time a query has no value at
// is a look with that value missing. The gap rule: when the last complete
// look (both values; on the log-ratio scale both > 0) is more than max_gap
// (default 3 steps) older than the latest look due, the health is 503
// no_data, its reason naming the failed read or the empty queries; it is
// 200 again as soon as a complete look arrives. The monitor's own no-data
// stop (monitor.Config.MaxGap) is off: a data gap is not a stop, a
// statistical or guardrail stop is. A stopped monitor polls no more.
//
// # State
//
// With Config.StateDir, each monitor is a file ID.json, rewritten
// atomically (a temporary file, synced, renamed) after each poll that adds
// looks: {"version": 1, "id", "spec", "created", "first_look" (Unix ms),
// "history": {"control": [...], "experiment": [...]} or null, "looks":
// [[t_ms, control, experiment], ...]}, null for a missing value. New
// rebuilds each monitor by priming it with the history and adding the
// looks again in order (the monitor is deterministic, so it resumes
// exactly), then catches up the looks missed while it was down from
// Prometheus. The file grows with the run (about 40 bytes a look). A file
// New cannot resume from fails New with ErrCorruptState and the file's
// name: an emergency stop must not be silently off.
//
// # Metrics
//
// Per monitor, labels id and name: chaosstat_monitor_p_value, _alpha,
// _relative_change with _lower and _upper (the always-valid confidence
// sequence), _decision{state} (1 for the current one of continue,
// stop_test, stop_guardrail, no_data, waiting), _stopped, _healthy,
// _looks_total, _pairs, _last_look_timestamp_seconds and
// _last_data_timestamp_seconds.
//
// BENCHMARKS.md gives the measured looks to a 503 and the tests' durations.
package monitors
