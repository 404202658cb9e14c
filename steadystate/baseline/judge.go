package baseline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// InputError is an error of Judge that one of its two series caused, so
// that a caller can say which input to fix. Input is "history" or
// "current"; Err is the error of New or Baseline.Check, which errors.Is
// still finds ErrNotEnoughHistory and ErrNothingJudged in.
type InputError struct {
	Input string
	Err   error
}

// Error returns Err's message: the series is named by Input, not in it.
func (e *InputError) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e *InputError) Unwrap() error { return e.Err }

// Judge is the week-over-week check of `chaosstat baseline` in one call:
// it drops the points of history at or after current's first point (with
// a warning), so that one export of a metric can serve as its own history,
// builds the baseline of the last opts.Weeks weeks left (New), checks
// current against it (Baseline.Check) and measures rule's false-alarm rate
// on the history (Baseline.Calibrate, as Evaluate does). Zero fields of
// opts and rule take their defaults; MinWeeks defaults to 3, or to Weeks
// when fewer. ModelAuto chooses the model from the history's weeks and
// current (see Options.Model); Report.Baseline.Model says which.
//
// The report names the series by their Identity; set Report.History and
// Report.Current to name their sources instead. Errors caused by one of
// the series are an *InputError saying which, wrapping New's or Check's
// error: ErrNotEnoughHistory when too few weeks hold data, ErrNothingJudged
// when no point of current could be judged (also when every point of the
// history is at or after current's start). Invalid options or an invalid
// rule are not: they are Options.Validate's and DeviationRule.Validate's
// errors, wrapping a *series.OptionError. A Persistence longer than
// current, which no deviation could reach, is a plain error.
func Judge(history, current series.Series, opts Options, rule DeviationRule) (*Report, error) {
	return JudgeContext(context.Background(), history, current, opts, rule)
}

// JudgeContext is Judge stopped early when ctx is done: the calibration on
// the history, which rebuilds the baseline once per week left out
// (seconds for a long per-minute history), checks ctx before each week
// (Baseline.CalibrateContext), and then JudgeContext returns an error
// wrapping ctx.Err() (errors.Is(err, context.DeadlineExceeded) or
// context.Canceled) and no report. Otherwise its report is Judge's.
func JudgeContext(ctx context.Context, history, current series.Series, opts Options, rule DeviationRule) (*Report, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := rule.Validate(); err != nil {
		return nil, err
	}
	if n := len(current.T); n > 0 && rule.Persistence > n {
		// No run of outside points could ever be that long: a check that
		// cannot fail is not a check. (The default's 5 on a shorter series
		// is left to Check, which says what it could judge.)
		return nil, fmt.Errorf("steadystate: deviation rule persistence %d points is longer than the current series (%d points): no deviation could ever be found; want at most %d", rule.Persistence, n, n)
	}
	loc := opts.Location
	if loc == nil {
		loc = DefaultOptions.Location
	}
	stamp := func(t int64) string { return time.UnixMilli(t).In(loc).Format(time.RFC3339) }
	rep := &Report{History: history.Identity(), Current: current.Identity()}
	if len(current.T) > 0 && len(history.T) > 0 {
		start := current.T[0]
		if last := history.T[len(history.T)-1]; last >= start {
			cut := history.Window(math.MinInt64, start)
			if cut.Len() < 2 {
				return nil, &InputError{Input: "history", Err: fmt.Errorf("steadystate: the history's %d points (%s to %s) are all at or after the current series' start (%s): the baseline is built from the weeks before it; give a history that ends before the current series: %w",
					history.Len(), stamp(history.T[0]), stamp(last), stamp(start), ErrNotEnoughHistory)}
			}
			if n := history.Len() - cut.Len(); n > 0 {
				rep.Warnings = append(rep.Warnings, fmt.Errorf("%d points of the history at or after the current series' start (%s) were ignored", n, stamp(start)))
			}
			history = cut
		}
	}
	b, err := newBaseline(history, opts, current.V)
	if err != nil {
		return nil, &InputError{Input: "history", Err: err}
	}
	check, err := b.Check(current, rule)
	if err != nil {
		return nil, &InputError{Input: "current", Err: err}
	}
	cal, err := b.CalibrateContext(ctx, rule)
	if err != nil && ctx.Err() != nil {
		return nil, err
	}
	check.AddCalibration(cal, err)
	rep.Baseline, rep.Check = b, check
	rep.Warnings = append(rep.Warnings, check.Warnings...)
	return rep, nil
}

// HistoryRange returns the time range to read a metric's history over,
// from a source such as Prometheus, for Judge to build a baseline of weeks
// weeks (0: DefaultWeeks) before current: from weeks weeks and one day
// before current's first point to one step before it, both included. The
// extra day covers a week of local time across a daylight-saving change,
// which is an hour longer than 168 hours; Judge keeps only the last weeks
// weeks. step is the interval the history will be read at. HistoryRange
// returns an error when current has no timestamps.
func HistoryRange(current series.Series, weeks int, step time.Duration) (start, end time.Time, err error) {
	if len(current.T) == 0 {
		return time.Time{}, time.Time{}, errors.New("steadystate: the current series has no timestamps, so the history's range is unknown")
	}
	if weeks == 0 {
		weeks = DefaultWeeks
	}
	first := time.UnixMilli(current.T[0])
	return first.Add(-time.Duration(weeks)*7*24*time.Hour - 24*time.Hour), first.Add(-step), nil
}

// HistoryStep returns the step to read a metric's history at for current:
// current's own step, so that the history has its resolution, or fallback
// when current has none (fewer than two points, or a step that is not a
// whole number of milliseconds).
func HistoryStep(current series.Series, fallback time.Duration) time.Duration {
	if st, err := current.Step(); err == nil && st > 0 && st%time.Millisecond == 0 {
		return st
	}
	return fallback
}
