// Package prom reads series from any server that speaks the Prometheus HTTP
// query API: Prometheus itself, Thanos Querier, Grafana Mimir and Cortex,
// VictoriaMetrics. It is the only package of chaosstat that talks HTTP.
//
// The workflow:
//
//  1. Describe the server in a Config: its address (with a path prefix such
//     as Mimir's /prometheus), credentials (a bearer token file, basic auth,
//     a TLS client certificate), extra headers (X-Scope-OrgID for a tenant),
//     a timeout. New validates it and returns a Client.
//  2. Build the query. Values that come from users go through Quote, so that
//     a service name cannot change the query.
//  3. Read: Range for a series over time (split into requests the server
//     accepts and stitched back, point for point), RangeWeeksAgo for the
//     same query in earlier weeks laid over the current one, Instant and
//     Scalar for one point in time.
//  4. Branch on failures with errors.Is: ErrBadQuery (the server's message
//     says why), ErrTimeout, ErrServer, ErrPartial, ErrCanceled, and the
//     others listed with Error. Warnings, such as Thanos's partial responses,
//     fail a read unless Config.AllowPartial says otherwise: judging on
//     partial data must be a choice.
//
// For example, last hour's latency of the checkout service against the
// same hour a week ago:
//
//	c, err := prom.New(prom.Config{Address: "http://localhost:9090"})
//	...
//	q := `avg(rate(http_request_duration_seconds_sum{service=` + prom.Quote(svc) + `}[5m]))`
//	r := prom.Range{Start: now.Add(-time.Hour), End: now, Step: time.Minute}
//	cur, err := c.Range(ctx, q, r)
//	...
//	last, err := c.RangeWeeksAgo(ctx, q, r, 1)
//
// Each result carries Stats: how many series and points came back, how many
// requests and retries it took, and the query time, which is the server's
// own execution time when Config.ServerStats asks for it (stats=all) and the
// client's wall time otherwise (Stats.Timing says which).
//
// Transient failures (HTTP 429, 500, 502, 503, 504, network errors) are
// retried with exponential backoff and full jitter, as Retry describes;
// nothing else is, and every wait ends when the context does. No error or
// log line holds a bearer token, password or authorization header.
package prom
