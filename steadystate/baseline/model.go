package baseline

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/chaosstat/chaosstat/series"
)

// Model is the shape of the band: the scale the values are judged on and
// how the spread is pooled. The zero value, ModelAuto, chooses from the
// data.
type Model int

const (
	// ModelAuto chooses ModelCounts when every value of the history's
	// weeks (and, in Judge and Evaluate, of the current series) is at
	// least 0, and ModelLinear when any is negative; see Options.Model.
	ModelAuto Model = iota
	// ModelLinear judges the values as they are, with the spread pooled
	// over ±SpreadWindow of the same day: LogScale and PoolDays off.
	ModelLinear
	// ModelCounts is the model for counts and rates: LogScale and
	// PoolDays on, and a Resolution of 1 for whole numbers, else the
	// smallest positive value (see Options.Model).
	ModelCounts
	// ModelCustom takes LogScale, PoolDays and Resolution as given. It is
	// what ModelAuto becomes when LogScale or PoolDays is set.
	ModelCustom
)

var modelNames = [...]string{"auto", "linear", "counts", "custom"}

// String returns the model's name: "auto", "linear", "counts" or
// "custom".
func (m Model) String() string {
	if m < 0 || int(m) >= len(modelNames) {
		return "Model(" + strconv.Itoa(int(m)) + ")"
	}
	return modelNames[m]
}

// ParseModel returns the model named s: "auto", "linear" or "counts"
// (the names a user picks; ModelCustom is chosen by setting LogScale or
// PoolDays). Another name is a *series.OptionError naming OptionModel.
func ParseModel(s string) (Model, error) {
	for _, m := range []Model{ModelAuto, ModelLinear, ModelCounts} {
		if s == m.String() {
			return m, nil
		}
	}
	return 0, &series.OptionError{Option: OptionModel, Value: s, Want: "auto, linear or counts"}
}

// validModel returns an error when o's Model conflicts with its LogScale
// and PoolDays, which the linear and the counts model set themselves.
func (o Options) validModel() error {
	if o.Model < ModelAuto || o.Model > ModelCustom {
		return fmt.Errorf("steadystate: baseline: %w", &series.OptionError{Option: OptionModel, Value: o.Model, Want: "ModelAuto, ModelLinear, ModelCounts or ModelCustom"})
	}
	if set := o.ModelConflicts(); len(set) > 0 {
		return fmt.Errorf("steadystate: baseline model %v sets %s itself: leave %s false, or use ModelCustom to set them by hand", o.Model, strings.Join(set, " and "), strings.Join(set, " and "))
	}
	return nil
}

// ModelConflicts returns the fields o sets by hand that its Model sets
// itself, "LogScale" and "PoolDays" in that order: the linear and the
// counts model choose the scale and the pooling, so setting them too is an
// error (New, Judge). None for ModelAuto and ModelCustom, which take them
// as given. A command line names its flags from these.
func (o Options) ModelConflicts() []string {
	if o.Model != ModelLinear && o.Model != ModelCounts {
		return nil
	}
	var set []string
	if o.LogScale {
		set = append(set, "LogScale")
	}
	if o.PoolDays {
		set = append(set, "PoolDays")
	}
	return set
}

// resolveModel returns o with the model's fields set (LogScale, PoolDays
// and, for counts, Resolution) and Model the one chosen, never ModelAuto,
// with the reason for the choice. hist are the values of the history's
// weeks and cur the current series' values, nil when unknown (New); NaN
// is missing.
func (o Options) resolveModel(hist, cur []float64) (Options, string) {
	m, reason := o.Model, "given"
	if m == ModelAuto && (o.LogScale || o.PoolDays) {
		m, reason = ModelCustom, "log scale or pooled days given"
	}
	var st valueStats
	if m == ModelAuto || (m == ModelCounts && o.Resolution == 0) {
		st.add(hist, "the history")
		st.add(cur, "the current series")
	}
	if m == ModelAuto {
		switch {
		case st.neg:
			m, reason = ModelLinear, fmt.Sprintf("auto: %s has a value below 0, %.4g", st.negIn, st.negV)
		case st.n == 0:
			m, reason = ModelLinear, "auto: no values"
		case st.whole:
			m, reason = ModelCounts, "auto: every value a whole number, none below 0"
		default:
			m, reason = ModelCounts, "auto: no value below 0"
		}
	}
	o.Model = m
	switch m {
	case ModelLinear:
		o.LogScale, o.PoolDays = false, false
	case ModelCounts:
		o.LogScale, o.PoolDays = true, true
		if o.Resolution == 0 {
			if u, how := st.step(); st.whole || !(u > 0) {
				o.Resolution = 1
			} else {
				o.Resolution = u
				reason += fmt.Sprintf("; resolution %.4g, %s", u, how)
			}
		}
	}
	return o, reason
}

// valueStats describes the values the model is chosen from.
type valueStats struct {
	n      int       // values that are not NaN
	neg    bool      // some value < 0
	negV   float64   // the first such value,
	negIn  string    // and where it is
	whole  bool      // every value a whole number (true for none)
	vals   []float64 // the values, for the resolution (step)
	inited bool
}

// step returns the resolution of values that are not all whole numbers.
// When some value is 0, it is the smallest value above 0: the step from
// nothing to the least there is (one event a step for a rate of counts),
// which is what the log scale's offset spans. Otherwise it is the smallest
// difference between two distinct values: a rate of counts' one event a
// step (1/300 for counts a 5 minutes divided by 300 seconds), near 0 for
// values that vary continuously, which gives the plain log scale. NaN when
// all values are equal.
func (st *valueStats) step() (float64, string) {
	slices.Sort(st.vals)
	i0, _ := slices.BinarySearch(st.vals, 0)
	if i0 < len(st.vals) && st.vals[i0] == 0 {
		for _, v := range st.vals[i0:] {
			if v > 0 {
				return v, "the smallest value above 0"
			}
		}
	}
	u := math.NaN()
	for i := 1; i < len(st.vals); i++ {
		if d := st.vals[i] - st.vals[i-1]; d > 0 && !(d >= u) {
			u = d
		}
	}
	return u, "the smallest difference between two values"
}

func (st *valueStats) add(vs []float64, where string) {
	if !st.inited {
		st.whole, st.inited = true, true
	}
	for _, v := range vs {
		if math.IsNaN(v) {
			continue
		}
		st.n++
		if st.whole && v != math.Trunc(v) {
			st.whole = false
		}
		if v < 0 && !st.neg {
			st.neg, st.negV, st.negIn = true, v, where
		}
		st.vals = append(st.vals, v)
	}
}

// logUnit is the unit u of the log scale, log(1 + x/u): the Resolution
// when one is set, else 1.
func (o Options) logUnit() float64 {
	if o.Resolution > 0 {
		return o.Resolution
	}
	return 1
}

// Options returns the options the baseline was built with: the defaults
// filled in and the model's fields as chosen (Model never ModelAuto;
// LogScale, PoolDays and Resolution as the model set them).
func (b *Baseline) Options() Options { return b.opts }
