// Package server is chaosstat as an HTTP service: the analyses of the
// command line as POST endpoints, for chaos tools that probe over HTTP
// (LitmusChaos httpProbe, Chaos Mesh's HTTP status check, Flagger webhooks,
// Argo Rollouts' web metric provider). It is the module's only HTTP
// server, as package prom is its only HTTP client; chaosstat serve runs it.
//
// The workflow:
//
//  1. Build a Server with New(Config{...}): the Prometheus client that
//     reads the requests' queries (nil: inline data only), the bearer
//     token, the limits (body size, points per series, window lengths per
//     A/A request, time per request, analyses at once, counting those
//     still computing after their request timed out: the others queue
//     before their body is read), a logger, and the monitors' handler if
//     any.
//  2. Serve it: *Server is an http.Handler. Listen on loopback, or give a
//     token (CheckListen says which addresses need one); shut down with
//     http.Server.Shutdown to let requests in flight finish.
//  3. POST a request to /v1/compare, /v1/aa, /v1/judge, /v1/baseline,
//     /v1/criteria or /v1/apdex. Its keys are the command's flags in
//     snake_case (--max-lag is max_lag); each group's data is inline
//     (Data: an array of numbers, or of {"t": TIME, "v": NUMBER}) or a
//     PromQL query (control_query) over start, end and step.
//  4. Read the answer: the body is exactly what the command writes with
//     --format json, and the status carries its exit code's meaning.
//
// The status codes:
//
//	200  an answer: the command's exit 0 or 1 (read the JSON for which:
//	     significant, verdict, valid, deviations)
//	400  usage or input error (exit 2): {"error": "...", "field": "KEY"}
//	401  missing or wrong "Authorization: Bearer TOKEN"
//	404, 405  no such endpoint, wrong method
//	413  the body is larger than Config.MaxBodyBytes
//	422  inconclusive (exit 3): too little data, as {"error", "field"};
//	     or, for judge (verdict inconclusive) and aa (too few windows),
//	     the report itself
//	503  no answer within Config.Timeout
//
// A request that times out is cancelled, computation included: the long
// analyses (the A/A replay, criteria, judge's quantile bootstrap, the
// baseline's calibration) take the request's context and stop within
// milliseconds (the calibration once the weeks it is rebuilding are done,
// under a second at a million points), so the slot of
// Config.MaxConcurrent it held is free for the next request instead of
// held until the computation would have ended.
//
// The server never reads its own disk for a client: a hypothesis's file
// sources name keys of the request's data, and a name that is not there
// is an error. GET /healthz answers 200 "ok"; GET /metrics serves the
// request metrics (chaosstat_http_requests_total, _request_duration_seconds,
// _requests_in_flight, by handler) and Config.Collectors, from the Server's
// own registry.
//
// For example, the Thanksgiving comparison of the README over HTTP:
//
//	curl -s -H "Authorization: Bearer $(cat token)" localhost:8080/v1/compare \
//	  -d '{"control": [10870, 11542, 12043], "experiment": [7123, 7349, 7012], "method": "exact"}'
package server
