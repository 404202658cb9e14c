package accuracy

import (
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Cell is one cell of the matrix: a method on a shape (or a real series),
// with Runs A/A runs and Runs runs with the effect planted. AA and Effect
// make and judge run i, drawing from rng (seeded per cell and per kind of
// run: Matrix's seeding).
type Cell struct {
	Method, Plain, OtherNote string
	Alpha                    float64
	Shape                    string
	Runs                     int
	AA, Effect               func(i int, rng *rand.Rand) Outcome
}

// SyntheticCell is method m on shape s, runs of each kind.
func SyntheticCell(m Method, s Shape, runs int) Cell {
	return Cell{Method: m.Name, Plain: m.Plain, OtherNote: m.OtherNote, Alpha: m.Alpha, Shape: s.Name, Runs: runs,
		AA:     func(_ int, rng *rand.Rand) Outcome { return m.Run(s, rng, false) },
		Effect: func(_ int, rng *rand.Rand) Outcome { return m.Run(s, rng, true) }}
}

// Row is a cell's measured rates. Each rate is a share of the cell's N
// runs with its binomial standard error √(p(1 − p)/N).
type Row struct {
	Method, Shape string
	// Alpha is the false-alarm rate the method claims (0: none).
	Alpha float64
	// N is the number of A/A runs, and of runs with the effect.
	N int
	// FalseAlarm is the method's rate on the A/A runs, Power its hit rate
	// on the runs with the effect.
	FalseAlarm, FalseAlarmSE, Power, PowerSE float64
	// Plain and its rates are the sceptic's plain method on the same runs.
	Plain                                          string
	PlainFalseAlarm, PlainFalseAlarmSE, PlainPower float64
	PlainPowerSE                                   float64
	// Other is the share of A/A runs counted by OtherNote.
	Other     float64
	OtherNote string
}

// SE is the binomial standard error of a rate p over n runs.
func SE(p float64, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return math.Sqrt(p * (1 - p) / float64(n))
}

// Seed returns the generator of one kind of run of a cell: PCG seeded
// with seed and the FNV-1a hash of "method/shape/kind", so that a cell's
// draws do not depend on which other cells run, or in what order (the
// reduced test's cells draw what the full matrix's first runs drew).
func Seed(seed uint64, method, shape, kind string) *rand.Rand {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%s/%s", method, shape, kind)
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// Measure runs one cell with the given seed.
func Measure(c Cell, seed uint64) Row {
	r := Row{Method: c.Method, Shape: c.Shape, Alpha: c.Alpha, N: c.Runs, Plain: c.Plain, OtherNote: c.OtherNote}
	if c.Runs == 0 {
		nan := math.NaN()
		r.FalseAlarm, r.FalseAlarmSE, r.Power, r.PowerSE = nan, nan, nan, nan
		r.PlainFalseAlarm, r.PlainFalseAlarmSE, r.PlainPower, r.PlainPowerSE, r.Other = nan, nan, nan, nan, nan
		return r
	}
	aa, eff := Seed(seed, c.Method, c.Shape, "aa"), Seed(seed, c.Method, c.Shape, "effect")
	var fa, pfa, oth, hit, phit int
	for i := range c.Runs {
		o := c.AA(i, aa)
		fa += b2i(o.Alarm)
		pfa += b2i(o.Plain)
		oth += b2i(o.Other)
		o = c.Effect(i, eff)
		hit += b2i(o.Alarm)
		phit += b2i(o.Plain)
	}
	n := float64(c.Runs)
	r.FalseAlarm, r.Power = float64(fa)/n, float64(hit)/n
	r.PlainFalseAlarm, r.PlainPower, r.Other = float64(pfa)/n, float64(phit)/n, float64(oth)/n
	r.FalseAlarmSE, r.PowerSE = SE(r.FalseAlarm, c.Runs), SE(r.Power, c.Runs)
	r.PlainFalseAlarmSE, r.PlainPowerSE = SE(r.PlainFalseAlarm, c.Runs), SE(r.PlainPower, c.Runs)
	return r
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Matrix measures every cell with seed, workers cells at a time (0: one
// per CPU), and returns the rows in the cells' order.
func Matrix(cells []Cell, seed uint64, workers int) []Row {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rows := make([]Row, len(cells))
	// The costliest cells first, so that the last to finish are short.
	order := make([]int, len(cells))
	for i := range order {
		order[i] = i
	}
	cost := func(c Cell) int {
		return c.Runs * map[bool]int{true: 60, false: 1}[strings.HasPrefix(c.Method, "criteria")] * map[bool]int{true: 10, false: 1}[strings.HasPrefix(c.Method, "baseline")]
	}
	slices.SortStableFunc(order, func(a, b int) int { return cost(cells[b]) - cost(cells[a]) })
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				rows[i] = Measure(cells[i], seed)
			}
		})
	}
	for _, i := range order {
		next <- i
	}
	close(next)
	wg.Wait()
	return rows
}

// Runs are the full matrix's runs per cell of each kind, by method: the
// judge and the monitor cost milliseconds a run, the baseline about 15
// (four weeks of 5-minute history and a calibration), the criteria about
// 100 (three days a minute, lags searched).
var Runs = map[string]int{
	JudgeMethod.Name:         1000,
	JudgeHistoryMethod.Name:  1000,
	MonitorMethod.Name:       1000,
	MonitorPrimedMethod.Name: 1000,
	BaselineDefault.Name:     300,
	BaselineCounts.Name:      300,
	CriteriaMethod.Name:      200,
}

// Methods are the matrix's methods in its order.
var Methods = []Method{JudgeMethod, JudgeHistoryMethod, MonitorMethod, MonitorPrimedMethod, BaselineDefault, BaselineCounts, CriteriaMethod}

// Cells returns the full matrix: every method on every synthetic shape
// (runs per cell from runs, by method name), then the judge, the monitor
// and both baselines on the NYC taxi data and on the NAB series pooled
// (real[0] and real[1:] as LoadReal returns them; one run per ordinary
// day). The judge with a history judges the same days with the
// JudgeHistoryMinutes steps before each as its history
// (RealJudgeHistoryCell), and the primed monitor primes with them
// (RealMonitorPrimedCell). The criteria have no real-data row: the
// repository ships no satisfaction series.
func Cells(runs map[string]int, real []Real) []Cell {
	var cells []Cell
	for _, m := range Methods {
		for _, s := range Shapes() {
			cells = append(cells, SyntheticCell(m, s, runs[m.Name]))
		}
		if len(real) == 0 || m.Name == CriteriaMethod.Name {
			continue
		}
		cell := func(r Real) Cell {
			switch m.Name {
			case JudgeMethod.Name:
				return RealJudgeCell(r)
			case JudgeHistoryMethod.Name:
				return RealJudgeHistoryCell(r, m, JudgeHistoryMinutes)
			case MonitorMethod.Name:
				return RealMonitorCell(r)
			case MonitorPrimedMethod.Name:
				return RealMonitorPrimedCell(r, m, JudgeHistoryMinutes)
			}
			return RealBaselineCell(m, r, baselineOptions[m.Name])
		}
		cells = append(cells, cell(real[0]))
		var nab []Cell
		for _, r := range real[1:] {
			nab = append(nab, cell(r))
		}
		if len(nab) > 0 {
			cells = append(cells, Pool("NAB, 5 series pooled", nab...))
		}
	}
	return cells
}

// WriteMarkdown writes the rows as a markdown table: one line a cell,
// rates with their standard errors, a cell whose false-alarm rate exceeds
// its claimed alpha by more than 2 s.e. of alpha marked in bold.
func WriteMarkdown(w io.Writer, rows []Row) error {
	var b strings.Builder
	b.WriteString("| method | data | runs | false alarms | power | plain method | plain false alarms | plain power | other (A/A) |\n")
	b.WriteString("|---|---|---:|---:|---:|---|---:|---:|---|\n")
	for _, r := range rows {
		fa := rate(r.FalseAlarm, r.FalseAlarmSE)
		if Exceeds(r) {
			fa = "**" + fa + "**"
		}
		other := ""
		if r.Other > 0 {
			other = fmt.Sprintf("%.3f %s", r.Other, r.OtherNote)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s | %s | %s | %s |\n", r.Method, r.Shape, r.N, fa, rate(r.Power, r.PowerSE),
			r.Plain, rate(r.PlainFalseAlarm, r.PlainFalseAlarmSE), rate(r.PlainPower, r.PlainPowerSE), other)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Exceeds reports whether a row's false-alarm rate is above the alpha its
// method claims by more than 2 binomial standard errors of alpha over the
// row's runs (alpha + 2·√(alpha(1 − alpha)/N)).
func Exceeds(r Row) bool {
	return r.Alpha > 0 && r.N > 0 && r.FalseAlarm > r.Alpha+2*SE(r.Alpha, r.N)
}

func rate(p, se float64) string {
	if math.IsNaN(p) {
		return "–"
	}
	return fmt.Sprintf("%.3f ± %.3f", p, se)
}
