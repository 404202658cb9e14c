#!/bin/sh
# Regenerates the prom_*.json files in this directory: real responses from a
# Prometheus server (Debian package "prometheus"), run by hand, not by CI.
#
# It backfills a few series with promtool, starts Prometheus on 127.0.0.1
# over that data, saves the bodies of the queries below with curl, and
# stops the server.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# 10 minutes of samples every 15 s from 1700000000 (2023-11-14T22:13:20Z).
# The code="500" counter stays flat for the first 4 minutes, so ratios
# over it are 0/0 = NaN and x/0 = +Inf there.
awk 'BEGIN {
	print "# TYPE http_requests_total counter"
	for (i = 0; i <= 40; i++) {
		t = 1700000000 + 15 * i
		printf "http_requests_total{job=\"api\",code=\"200\"} %d %d\n", 100 + 37 * i + (i * i) % 7, t
		printf "http_requests_total{job=\"api\",code=\"500\"} %d %d\n", (i < 16 ? 3 : 3 + (i - 16) * 2), t
	}
	print "# TYPE request_duration_seconds gauge"
	for (i = 0; i <= 40; i++) {
		t = 1700000000 + 15 * i
		printf "request_duration_seconds{job=\"api\",quantile=\"0.99\"} %.3f %d\n", 0.250 + ((i * 13) % 10) / 100, t
	}
	print "# EOF"
}' >"$work/data.om"
promtool tsdb create-blocks-from openmetrics "$work/data.om" "$work/tsdb" >/dev/null

port=19090
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1h
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
	--web.listen-address=127.0.0.1:$port --storage.tsdb.retention.time=100y \
	--log.level=warn >"$work/prometheus.log" 2>&1 &
pid=$!
for _ in $(seq 50); do
	curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null && break
	sleep 0.2
done

api=http://127.0.0.1:$port/api/v1
range='start=1700000060.123&end=1700000540.123&step=30'
get() { # file path query-string
	curl -s -o "$1" -G "$api/$2" $3
	echo "$1: $(head -c 120 "$1")..."
}
get prom_range_one.json query_range "--data-urlencode query=request_duration_seconds{quantile=\"0.99\"} --data $range"
get prom_range_two.json query_range "--data-urlencode query=rate(http_requests_total[1m]) --data $range"
get prom_range_nan.json query_range "--data-urlencode query=rate(http_requests_total{code=\"500\"}[1m])/rate(http_requests_total{code=\"500\"}[1m]) --data $range"
get prom_range_inf.json query_range "--data-urlencode query=sum(rate(http_requests_total{code=\"200\"}[1m]))/sum(rate(http_requests_total{code=\"500\"}[1m])) --data $range"
get prom_instant.json query "--data-urlencode query=request_duration_seconds --data time=1700000300"
get prom_error.json query_range "--data-urlencode query=rate(http_requests_total[1m] --data $range"
