package monitor

import (
	"context"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/steadystate"
)

// TestFollow: following testdata/feed.csv (the drop hour as a feed, with a
// missing value and a baseline; README.md there) gives the decisions of
// feeding its points to Add, up to the one-sided test's stop; without Keep
// only the last is kept.
func TestFollow(t *testing.T) {
	b, err := os.ReadFile("testdata/feed.csv")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Direction: steadystate.Decrease}
	pts, _ := readFeed(t, NewFeedReader(strings.NewReader(string(b)), "feed.csv"))
	want := addUntilStop(t, cfg, pts)
	for _, keep := range []bool{true, false} {
		m, _ := New(cfg)
		var streamed []Decision
		run, err := m.Follow(context.Background(), NewFeedReader(strings.NewReader(string(b)), "feed.csv"), FollowOptions{Keep: keep, OnDecision: func(d Decision) error {
			streamed = append(streamed, d)
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		kept := want
		if !keep {
			kept = want[len(want)-1:]
		}
		if !reflect.DeepEqual(decisionStrings(run.Decisions), decisionStrings(kept)) {
			t.Errorf("keep %v: %d decisions kept, want %d", keep, len(run.Decisions), len(kept))
		}
		if !reflect.DeepEqual(decisionStrings(streamed), decisionStrings(want)) {
			t.Errorf("keep %v: OnDecision saw %d decisions, want %d", keep, len(streamed), len(want))
		}
		if run.Outcome != Stopped {
			t.Errorf("keep %v: outcome %v", keep, run.Outcome)
		}
	}
}

// TestFollowSilence: a feed silent from the start is ErrSilentFeed; a feed
// that goes silent is looked at once more at the time its next point is
// overdue, which stops the run (no data for longer than MaxGap), with the
// wall-clock silence in the reason.
func TestFollowSilence(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	m, _ := New(Config{MaxGap: 50 * time.Millisecond})
	_, err := m.Follow(context.Background(), NewFeedReader(r, "pipe"), FollowOptions{})
	if !errors.Is(err, ErrSilentFeed) || err.Error() != "pipe sent no point in 50ms" {
		t.Errorf("silent from the start: %v", err)
	}

	r, w = io.Pipe()
	defer w.Close()
	go io.WriteString(w, "1795694400,100,101\n1795694460,100,99\n")
	m, _ = New(Config{MaxGap: 50 * time.Millisecond})
	run, err := m.Follow(context.Background(), NewFeedReader(r, "pipe"), FollowOptions{Keep: true})
	if err != nil {
		t.Fatal(err)
	}
	last := run.Decisions[len(run.Decisions)-1]
	if len(run.Decisions) != 3 || last.Action != Stop || last.Cause != CauseNoData || !strings.HasSuffix(last.Reason, " (pipe sent nothing for 50ms of wall-clock time)") {
		t.Errorf("%d decisions, last %v %v %q", len(run.Decisions), last.Action, last.Cause, last.Reason)
	}
	if run.Outcome != Stopped {
		t.Errorf("outcome %v", run.Outcome)
	}
}

// TestFollowErrors: a bad line and a point out of order end the run with
// the line in the error, after the decisions of the lines before.
func TestFollowErrors(t *testing.T) {
	for _, c := range []struct {
		in, want string
		looks    int
	}{
		{"1795694400,1,2\n1795694460,1,x\n", `feed:2: experiment: "x" is not a number`, 1},
		{"1795694460,1,2\n1795694400,1,2\n", "feed:2: timestamp: point is not after the previous one: 2026-11-26T12:00:00Z is not after 2026-11-26T12:01:00Z", 1},
	} {
		m, _ := New(Config{})
		run, err := m.Follow(context.Background(), NewFeedReader(strings.NewReader(c.in), "feed"), FollowOptions{Keep: true})
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %s", c.in, err, c.want)
		}
		if len(run.Decisions) != c.looks {
			t.Errorf("%q: %d decisions, want %d", c.in, len(run.Decisions), c.looks)
		}
	}
}

// TestFollowInterrupted: cancelling the context while the feed is open (a
// chaos tool's SIGTERM) ends the run at once with one last look at the last
// point's time, its reason naming the cause, handed to OnDecision; the
// outcome is Interrupted and the error is the cause. Before any point there
// is no decision to give, only the cause.
func TestFollowInterrupted(t *testing.T) {
	cause := errors.New("interrupted by SIGTERM")
	r, w := io.Pipe()
	defer w.Close()
	m, _ := New(Config{MaxGap: time.Hour})
	ctx, cancel := context.WithCancelCause(context.Background())
	var streamed []Decision
	onDecision := func(d Decision) error {
		streamed = append(streamed, d)
		if len(streamed) == 2 {
			cancel(cause) // after the second point, with the feed still open
		}
		return nil
	}
	go io.WriteString(w, "1795694400,100,101\n1795694460,100,99\n")
	run, err := m.Follow(ctx, NewFeedReader(r, "pipe"), FollowOptions{Silence: time.Hour, Keep: true, OnDecision: onDecision})
	if err != cause {
		t.Fatalf("error %v, want the cause", err)
	}
	if run.Outcome != Interrupted || run.Outcome.String() != "interrupted" {
		t.Errorf("outcome %v, want interrupted", run.Outcome)
	}
	if len(streamed) != 3 || len(run.Decisions) != 3 {
		t.Fatalf("%d decisions streamed, %d kept; want the two looks and the last", len(streamed), len(run.Decisions))
	}
	last := streamed[2]
	if last.Action != Continue || last.T != streamed[1].T || last.Looks != 2 || !strings.HasSuffix(last.Reason, " (interrupted by SIGTERM)") {
		t.Errorf("last decision %v at %d, %d looks, reason %q", last.Action, last.T, last.Looks, last.Reason)
	}

	r2, w2 := io.Pipe()
	defer w2.Close()
	ctx, cancel = context.WithCancelCause(context.Background())
	cancel(cause)
	run, err = m.Follow(ctx, NewFeedReader(r2, "pipe"), FollowOptions{Silence: time.Hour, OnDecision: onDecision})
	if err != cause || run.Outcome != Interrupted || len(run.Decisions) != 0 {
		t.Errorf("cancelled before any point: %v, outcome %v, %d decisions", err, run.Outcome, len(run.Decisions))
	}
}
