package monitor

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// FollowOptions are the optional inputs of Monitor.Follow.
type FollowOptions struct {
	// Silence is how long Follow waits, in wall-clock time, for the next
	// point before it takes the feed as silent; 0 means the monitor's
	// Config.MaxGap (DefaultMaxGap when that rule is disabled).
	Silence time.Duration
	// Keep keeps every decision in Run.Decisions (for a chart); otherwise
	// only the last, so that a feed runs as long as it likes in constant
	// memory.
	Keep bool
	// OnDecision, when not nil, is called with each decision as soon as it
	// is made; an error from it ends the run and Follow returns it.
	OnDecision func(Decision) error
}

// ErrSilentFeed is wrapped by Follow's error when the feed sent no point
// at all within FollowOptions.Silence.
var ErrSilentFeed = series.TooLittleData("the feed sent no point")

// silentError says which feed was silent for how long.
type silentError struct {
	name    string
	silence time.Duration
}

func (e silentError) Error() string { return fmt.Sprintf("%s sent no point in %v", e.name, e.silence) }
func (e silentError) Unwrap() error { return ErrSilentFeed }

// Follow feeds m the points of a live feed as they arrive, one look each,
// until the feed ends, the first stop, or silence: when no point comes for
// opts.Silence of wall-clock time, Follow looks once more (Check) at the
// time the next point is overdue by, in the data's clock (the last point's
// time + Silence), which stops the run when a group has been silent for
// longer than Config.MaxGap, and ends the run there. It returns the run
// (Outcome Inconclusive when the feed ended before the test could judge;
// Run.Err).
//
// It returns an error, with the run so far, for a line the feed cannot
// parse ("name:line: ..."), a point Add refuses ("name:line: timestamp:
// ..."), a feed silent from the start (ErrSilentFeed), and an error from
// opts.OnDecision. The feed is read in a goroutine that ends with the
// reader.
//
// When ctx is done first, Follow makes one last look at the last point's
// time, its Reason ending with the cause ("interrupted by SIGTERM"), hands
// it to opts.OnDecision, and returns the run, Outcome Interrupted, with
// context.Cause(ctx) as the error.
func (m *Monitor) Follow(ctx context.Context, feed *FeedReader, opts FollowOptions) (Run, error) {
	silence := opts.Silence
	if silence == 0 {
		silence = time.Duration(m.maxGap) * time.Millisecond
		if m.maxGap < 0 {
			silence = DefaultMaxGap
		}
	}
	type next struct {
		p    Point
		line int
		err  error
	}
	lines := make(chan next)
	quit := make(chan struct{})
	defer close(quit)
	go func() {
		for {
			p, err := feed.Next()
			select {
			case lines <- next{p, feed.Line(), err}:
			case <-quit:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	run := Run{MinPoints: m.minPoints}
	var last int64
	started := false
	for {
		timer := time.NewTimer(silence)
		select {
		case l := <-lines:
			timer.Stop()
			if l.err == io.EOF {
				return run, nil
			}
			if l.err != nil {
				return run, l.err
			}
			d, err := m.Add(l.p)
			if err != nil {
				return run, fmt.Errorf("%s:%d: timestamp: %w", feed.Name(), l.line, err)
			}
			last, started = l.p.T, true
			if err := run.emit(d, opts.Keep, opts.OnDecision); err != nil || d.Action == Stop {
				return run, err
			}
		case <-ctx.Done():
			timer.Stop()
			cause := context.Cause(ctx)
			if started {
				d := m.Check(last)
				d.Reason += fmt.Sprintf(" (%v)", cause)
				if err := run.emit(d, opts.Keep, opts.OnDecision); err != nil {
					return run, err
				}
			}
			run.Outcome = Interrupted
			return run, cause
		case <-timer.C:
			if !started {
				return run, silentError{feed.Name(), silence}
			}
			d := m.Check(last + silence.Milliseconds() + 1)
			d.Reason += fmt.Sprintf(" (%s sent nothing for %v of wall-clock time)", feed.Name(), silence)
			return run, run.emit(d, opts.Keep, opts.OnDecision)
		}
	}
}
