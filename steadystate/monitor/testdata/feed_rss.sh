#!/bin/sh
# Resident memory of `chaosstat monitor --feed -` over a long A/A feed, for
# BENCHMARKS.md ("Memory over a long feed"). A generator (awk, seeded)
# writes N looks, one a second, of two groups of uniform noise around 1000;
# the monitor reads them from stdin and prints every decision to /dev/null.
# Every 0.2 s the script samples the monitor's VmRSS (/proc/PID/status) and
# the bytes it has read (rchar in /proc/PID/io; every line is 29 bytes, so
# looks = rchar / 29 to within the reader's 64 KiB buffer), then prints the
# samples nearest to each checkpoint and the peak (/usr/bin/time -v).
#
#   go build -o /tmp/chaosstat ./cmd/chaosstat
#   sh steadystate/monitor/testdata/feed_rss.sh /tmp/chaosstat 10000000
set -eu
bin=$1
n=${2:-10000000}
out=${3:-/tmp/feed_rss}
mkdir -p "$out"
awk -v n="$n" 'BEGIN { srand(1); for (i = 0; i < n; i++) printf "%.0f,%.3f,%.3f\n", 1700000000 + i, 1000 + 10 * rand(), 1000 + 10 * rand() }' |
	/usr/bin/time -v "$bin" monitor --feed - >/dev/null 2>"$out/time.txt" &
sleep 0.2
pid=$(pgrep -n -f "^$bin monitor --feed -")
: >"$out/samples.txt"
while [ -e "/proc/$pid/status" ]; do
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
	rchar=$(awk '/^rchar/ { print $2 }' "/proc/$pid/io" 2>/dev/null || true)
	[ -n "$rss" ] && [ -n "$rchar" ] && echo "$((rchar / 29)) $rss" >>"$out/samples.txt"
	sleep 0.2
done
wait
grep -E 'Maximum resident|Elapsed|Exit status' "$out/time.txt"
echo "looks  VmRSS (KB), the sample nearest each checkpoint"
for c in 100000 300000 1000000 3000000 10000000; do
	[ "$c" -le "$n" ] || continue
	awk -v c="$c" 'BEGIN { best = -1 } { d = $1 - c; if (d < 0) d = -d; if (best < 0 || d < best) { best = d; line = $0 } } END { print c ": " line }' "$out/samples.txt"
done
tail -1 "$out/samples.txt" | awk '{ print "last sample: looks " $1 ", VmRSS " $2 " KB" }'
