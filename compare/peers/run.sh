#!/bin/sh
# Reproduces compare/BENCHMARKS.md: writes the data, then runs compare's
# benchmarks, go-moremath's and scipy's in the same session, interleaved
# round by round (ROUNDS, default 5), and prints the medians; then, in the
# same session, R's Hodges-Lehmann timings, the peak-memory runs and scipy's
# exact-test growth (about 5 minutes in all on 2 cores). Outputs are kept in
# OUT (default /tmp/chaosbench-run).
#
#   sh compare/peers/run.sh [OUT]      # from the repository root
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/chaosbench-run}
rounds=${ROUNDS:-5}
data=${CHAOSSTAT_BENCHDATA:-/tmp/chaosbench}
export CHAOSSTAT_BENCHDATA=$data
mkdir -p "$data" "$out"
cd "$root"
go test ./compare -run TestWriteBenchData -benchdata "$data" -count 1
go test -c -o "$out/compare.test" ./compare
(cd compare/peers && go test -c -o "$out/peers.test" .)
: >"$out/ours.txt"
: >"$out/peers.txt"
: >"$out/scipy.txt"
{ uptime; git -C "$root" rev-parse HEAD; git -C "$root" status --short compare; } >"$out/session.txt"
for i in $(seq "$rounds"); do
	echo "round $i: $(uptime)" | tee -a "$out/session.txt"
	(cd compare && "$out/compare.test" -test.run '^$' -test.bench 'MannWhitneyU|HodgesLehmann' -test.benchmem -test.count 1) >>"$out/ours.txt"
	(cd compare/peers && "$out/peers.test" -test.run '^$' -test.bench 'Moremath|Ours' -test.benchmem -test.count 1) >>"$out/peers.txt"
	/usr/bin/python3 compare/peers/scipy_bench.py "$data" --asymptotic --repeat 1 >>"$out/scipy.txt"
done
echo "timed rounds done: $(uptime)" | tee -a "$out/session.txt"
benchstat=$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")
"$benchstat" "$out/ours.txt"
"$benchstat" "$out/peers.txt"
/usr/bin/python3 - "$out/scipy.txt" <<'PY'
import re, statistics, sys
t = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\w+): asymptotic .* median ([\d.]+) ms", line)
    if m:
        t.setdefault(m[1], []).append(float(m[2]))
for name, v in t.items():
    print(f"scipy {name}: median {statistics.median(v):.1f} ms of {len(v)} rounds {v}")
PY

echo "R Hodges-Lehmann: $(uptime)" | tee -a "$out/session.txt"
Rscript compare/peers/hl_bench.R "$data" | tee "$out/r.txt"
echo "peak memory: $(uptime)" | tee -a "$out/session.txt"
(cd compare/peers && go build -o "$out/peakrss" ./peakrss)
for impl in ours ours-shift moremath; do
	for set in ties1m continuous1m; do
		"$out/peakrss" -impl $impl -set $set -benchdata "$data"
	done
done | tee "$out/memory.txt"
/usr/bin/python3 compare/peers/scipy_bench.py "$data" --memory | tee -a "$out/memory.txt"
echo "scipy exact: $(uptime)" | tee -a "$out/session.txt"
/usr/bin/python3 compare/peers/scipy_bench.py "$data" --exact | tee "$out/scipy-exact.txt"
echo "end: $(uptime)" | tee -a "$out/session.txt"
