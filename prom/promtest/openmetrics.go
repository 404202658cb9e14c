package promtest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chaosstat/chaosstat/series"
)

// ReadGroups reads what Start backfills from an OpenMetrics file of one
// metric split by a "group" label, the shape of prom's testdata
// (checkout_latency_ms{group="control"} 100.236 1767571200), into one
// series per group value, with the metric's name and the group label, so
// that tests can compare what a server returns with what went in. Comment
// lines (# TYPE, # EOF) are skipped; any other line that is not a sample of
// that shape is an error naming the file and line.
func ReadGroups(path string) (map[string]series.Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]series.Series{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.HasPrefix(text, "#") {
			continue
		}
		bad := fmt.Errorf("%s:%d: %q is not a sample NAME{group=\"G\"} VALUE SECONDS", filepath.Base(path), line, text)
		fields := strings.Fields(text)
		if len(fields) != 3 {
			return nil, bad
		}
		name, rest, ok := strings.Cut(fields[0], `{group="`)
		group, ok2 := strings.CutSuffix(rest, `"}`)
		v, err1 := strconv.ParseFloat(fields[1], 64)
		sec, err2 := strconv.ParseInt(fields[2], 10, 64)
		if !ok || !ok2 || err1 != nil || err2 != nil {
			return nil, bad
		}
		s := out[group]
		s.Name = name
		s.Labels = map[string]string{"group": group}
		s.T = append(s.T, sec*1000)
		s.V = append(s.V, v)
		out[group] = s
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return out, nil
}
