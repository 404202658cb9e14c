package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
)

// Label is what a judged day is for the comparison.
type Label int

const (
	Negative Label = iota // outside every labelled window: should not be flagged
	Positive              // holds a labelled anomaly (or a known event day)
	Excluded              // inside a window without a point, or a holiday: left out
)

// Dataset is one real series with its labels.
type Dataset struct {
	Name     string
	Series   series.Series
	Location *time.Location
	// Label says what the day starting at local midnight start is.
	Label func(start, end time.Time) Label
}

// Day is one judged day of a dataset.
type Day struct {
	Start   time.Time
	Label   Label
	History series.Series // everything before Start
	Current series.Series // the day's points
}

// Days returns the days of d from the fourth week on: each local day
// whose start is at least 21 days after the first full local day of the
// series, with at least half of a day's points.
func (d Dataset) Days() ([]Day, error) {
	s := d.Series
	step, err := s.Step()
	if err != nil {
		return nil, err
	}
	perDay := int(24 * time.Hour / step)
	first := time.UnixMilli(s.T[0]).In(d.Location)
	day0 := time.Date(first.Year(), first.Month(), first.Day()+1, 0, 0, 0, 0, d.Location)
	last := time.UnixMilli(s.T[len(s.T)-1])
	var out []Day
	for st := day0.AddDate(0, 0, 21); st.Before(last); st = st.AddDate(0, 0, 1) {
		en := st.AddDate(0, 0, 1)
		cur := s.Window(st.UnixMilli(), en.UnixMilli())
		if cur.Len() < perDay/2 {
			continue
		}
		out = append(out, Day{Start: st, Label: d.Label(st, en), History: s.Window(math.MinInt64, st.UnixMilli()), Current: cur})
	}
	return out, nil
}

// nabLabels is the layout of testdata/nab/labels.json.
type nabLabels map[string]struct {
	Points  []time.Time    `json:"anomaly_points"`
	Windows [][2]time.Time `json:"anomaly_windows"`
}

// NABFiles are the NAB series in testdata/nab, in the order reported.
var NABFiles = []string{"AAPL", "AMZN", "CRM", "CVS", "FB"}

// LoadNAB reads testdata/nab's series name ("AAPL") and its labels: a day
// holding an anomaly point is Positive, a day overlapping no anomaly
// window Negative, any other day Excluded (NAB's windows are wide; days
// inside one without its point are ambiguous).
func LoadNAB(dir, name string) (Dataset, error) {
	file := "twitter_volume_" + name + ".csv"
	s, err := series.ReadFile(filepath.Join(dir, "nab", file), nil)
	if err != nil {
		return Dataset{}, err
	}
	raw, err := os.ReadFile(filepath.Join(dir, "nab", "labels.json"))
	if err != nil {
		return Dataset{}, err
	}
	var all nabLabels
	if err := json.Unmarshal(raw, &all); err != nil {
		return Dataset{}, err
	}
	lab, ok := all[file]
	if !ok {
		return Dataset{}, fmt.Errorf("labels.json has no %s", file)
	}
	return Dataset{Name: name, Series: s, Location: time.UTC, Label: func(st, en time.Time) Label {
		for _, p := range lab.Points {
			if !p.Before(st) && p.Before(en) {
				return Positive
			}
		}
		for _, w := range lab.Windows {
			if w[0].Before(en) && !w[1].Before(st) {
				return Excluded
			}
		}
		return Negative
	}}, nil
}

// Taxi event days (testdata/README.md, from the data's README): the NYC
// Marathon, Thanksgiving, Christmas, New Year's Day and the blizzard.
// The public holidays that also differ from their weeks are excluded.
var (
	TaxiEvents   = []string{"2014-11-02", "2014-11-27", "2014-12-25", "2015-01-01", "2015-01-26", "2015-01-27"}
	TaxiHolidays = []string{"2014-07-04", "2014-09-01", "2014-10-13", "2014-10-31", "2014-11-11"}
)

// LoadTaxi reads testdata/nyc_taxi.csv, days in New York time.
func LoadTaxi(dir string) (Dataset, error) {
	s, err := series.ReadFile(filepath.Join(dir, "nyc_taxi.csv"), nil)
	if err != nil {
		return Dataset{}, err
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		return Dataset{}, err
	}
	return Dataset{Name: "NYC taxi", Series: s, Location: ny, Label: func(st, _ time.Time) Label {
		d := st.Format("2006-01-02")
		switch {
		case slices.Contains(TaxiEvents, d):
			return Positive
		case slices.Contains(TaxiHolidays, d):
			return Excluded
		}
		return Negative
	}}, nil
}

// Scorer gives each point of a day a signed z (how many spreads above,
// or below if negative, the centre it lies); NaN for a point not judged.
type Scorer struct {
	Name string
	Z    func(day Day, loc *time.Location) ([]float64, error)
	// Opts are the options of a library method (nil for the plain band):
	// its default rule is also run through baseline.Judge, as `chaosstat
	// baseline` runs it, for the verdict and the self-reported rate.
	Opts *baseline.Options
}

// Library is the week-over-week band of package baseline with opts (3
// weeks): z = (x − Center)/Spread of the point's slot, what Check
// compares with the rule's Z. The band is the one baseline.Judge builds,
// so that ModelAuto chooses its model from the history and the day, as
// `chaosstat baseline` does.
func Library(name string, opts baseline.Options) Scorer {
	return Scorer{Name: name, Opts: &opts, Z: func(day Day, loc *time.Location) ([]float64, error) {
		o := opts
		o.Location = loc
		if o.Model != baseline.ModelAuto {
			b, err := baseline.New(day.History, o)
			if err != nil {
				return nil, err
			}
			return b.Scores(day.Current), nil
		}
		rep, err := baseline.Judge(day.History, day.Current, o, baseline.DeviationRule{})
		if err != nil {
			return nil, err
		}
		return rep.Baseline.Scores(day.Current), nil
	}}
}

// Rates returns d with every value divided by the step in seconds: the
// counts as a per-second rate, as Prometheus's rate() gives them.
func Rates(d Dataset) (Dataset, error) {
	step, err := d.Series.Step()
	if err != nil {
		return d, err
	}
	s := d.Series
	v := make([]float64, len(s.V))
	for i, x := range s.V {
		v[i] = x / step.Seconds()
	}
	s.V = v
	d.Series, d.Name = s, d.Name+", rate"
	return d, nil
}

// Jitter returns d with every value multiplied by 1 + frac·U, U uniform on
// [−1, 1) from a generator seeded by seed: a rate that is no longer a
// multiple of one event a step, as Prometheus's rate() extrapolates its
// increase over the window's edges.
func Jitter(d Dataset, frac float64, seed uint64) Dataset {
	rng := rand.New(rand.NewPCG(seed, 14))
	s := d.Series
	v := make([]float64, len(s.V))
	for i, x := range s.V {
		v[i] = x * (1 + frac*(2*rng.Float64()-1))
	}
	s.V = v
	d.Series, d.Name = s, fmt.Sprintf("%s ±%g%%", d.Name, 100*frac)
	return d
}

// Plain is the sceptic's band: per slot, the median c of the same local
// wall-clock time 1, 2 and 3 weeks before and 1.4826 times the median
// absolute deviation of those three values about c. A point whose three
// values are not all there is not judged; a spread of 0 makes any other
// value infinitely far.
var Plain = PlainBand("plain median/MAD", 0)

// PlainBand is the plain band with its spread floored at floor: with
// three integer counts per slot the MAD is 0 whenever two of them are
// equal, which makes every other value infinitely far (scores of +Inf
// tie, and no threshold separates them). A sceptic would floor it at
// the data's resolution, one count: PlainBand("...", 1).
func PlainBand(name string, floor float64) Scorer {
	return Scorer{Name: name, Z: func(day Day, loc *time.Location) ([]float64, error) {
		wall := func(t int64) int64 {
			_, off := time.UnixMilli(t).In(loc).Zone()
			return t + int64(off)*1000
		}
		h := day.History
		from := day.Start.AddDate(0, 0, -22).UnixMilli()
		sum, cnt := map[int64]float64{}, map[int64]int{}
		for i, t := range h.T {
			if t < from || math.IsNaN(h.V[i]) {
				continue
			}
			w := wall(t)
			sum[w] += h.V[i]
			cnt[w]++
		}
		const week = 7 * 24 * 3600 * 1000
		out := make([]float64, day.Current.Len())
		for i, t := range day.Current.T {
			w := wall(t)
			var v [3]float64
			ok := true
			for k := range 3 {
				n := cnt[w-int64(k+1)*week]
				if n == 0 {
					ok = false
					break
				}
				v[k] = sum[w-int64(k+1)*week] / float64(n)
			}
			x := day.Current.V[i]
			if !ok || math.IsNaN(x) {
				out[i] = math.NaN()
				continue
			}
			c := median3(v[0], v[1], v[2])
			m := median3(math.Abs(v[0]-c), math.Abs(v[1]-c), math.Abs(v[2]-c))
			out[i] = zOf(x, c, max(baseline.MADScale*m, floor))
		}
		return out, nil
	}}
}

func median3(a, b, c float64) float64 { return max(min(a, b), min(max(a, b), c)) }

func zOf(x, c, s float64) float64 {
	switch {
	case s > 0:
		return (x - c) / s
	case x > c:
		return math.Inf(1)
	case x < c:
		return math.Inf(-1)
	}
	return 0
}

// Score is the largest z at which a day is flagged under persistence p:
// the day is flagged at rule (z, p) exactly when Score > z, as Check
// flags it (a run of p consecutive judged points, with no gap in time,
// all beyond z spreads on the same side). ts are the points' times and
// step the series' step; -Inf when no run of p judged points exists.
func Score(ts []int64, zs []float64, step time.Duration, p int) float64 {
	best := math.Inf(-1)
	gap := step.Milliseconds() + step.Milliseconds()/2
	for _, sign := range []float64{1, -1} {
		// The minimum of sign·z over a sliding window of p consecutive
		// points (p is small: a plain scan).
		run := 0
		for i := range zs {
			if math.IsNaN(zs[i]) || (i > 0 && ts[i]-ts[i-1] > gap) {
				run = 0
			}
			if math.IsNaN(zs[i]) {
				continue
			}
			run++
			if run >= p {
				m := math.Inf(1)
				for j := i - p + 1; j <= i; j++ {
					m = min(m, sign*zs[j])
				}
				best = max(best, m)
			}
		}
	}
	return best
}

// DayScores is one method's scores of one dataset's days.
type DayScores struct {
	Labels []Label
	// Score[p] per day, for each persistence in Persistences.
	Score map[int][]float64
}

// Persistences are the persistences swept.
var Persistences = []int{1, 3, 5}

// ScoreDays scores every day of days with sc.
func ScoreDays(days []Day, loc *time.Location, step time.Duration, sc Scorer) (DayScores, error) {
	out := DayScores{Score: map[int][]float64{}}
	for _, d := range days {
		zs, err := sc.Z(d, loc)
		if err != nil {
			return out, fmt.Errorf("%s on %s: %w", sc.Name, d.Start.Format("2006-01-02"), err)
		}
		out.Labels = append(out.Labels, d.Label)
		for _, p := range Persistences {
			out.Score[p] = append(out.Score[p], Score(d.Current.T, zs, step, p))
		}
	}
	return out, nil
}

// AtBudget returns, for scores of negative and positive days, the
// threshold z that flags at most budget of the negative days (the lowest
// such threshold among the negative scores, so flagged means score > z),
// the number of negatives and positives flagged.
func AtBudget(neg, pos []float64, budget int) (z float64, fp, tp int) {
	s := slices.Clone(neg)
	sort.Sort(sort.Reverse(sort.Float64Slice(s)))
	z = math.Inf(-1)
	if budget < len(s) {
		z = s[budget] // flags the negatives strictly above it: at most budget
	}
	for _, v := range neg {
		if v > z {
			fp++
		}
	}
	for _, v := range pos {
		if v > z {
			tp++
		}
	}
	return z, fp, tp
}

// Split returns the scores of the negative and the positive days at p.
func (d DayScores) Split(p int) (neg, pos []float64) {
	for i, l := range d.Labels {
		switch l {
		case Negative:
			neg = append(neg, d.Score[p][i])
		case Positive:
			pos = append(pos, d.Score[p][i])
		}
	}
	return neg, pos
}
