package monitors

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
	"github.com/chaosstat/chaosstat/workflow"
)

// Defaults of Config, used where a field is zero.
const (
	// DefaultMaxMonitors is the most monitors a Manager runs at once.
	DefaultMaxMonitors = 100
	// DefaultSettle is how long after a look's time the manager reads it,
	// so that the scrapes up to that time are in Prometheus: a look read
	// too early would hold a value Prometheus later changes.
	DefaultSettle = 5 * time.Second
	// DefaultMinStep is the shortest step a monitor may ask for.
	DefaultMinStep = time.Second
	// DefaultGapSteps is the default max_gap in steps: the health is 503
	// no_data once the last complete look is more than 3 steps old.
	DefaultGapSteps = 3
	// maxBatch is the most looks one poll reads; a longer catch-up takes
	// several polls, one after the other.
	maxBatch = 10000
)

// Config configures a Manager. Only Prom is required.
type Config struct {
	// Prom reads the queries: a *prom.Client, or any
	// workflow.RangeReader.
	Prom workflow.RangeReader
	// StateDir, when not "", is where each monitor's state file is kept
	// (ID.json; see doc.go); New resumes the monitors it finds there.
	StateDir string
	// Logger receives read failures and state errors; nil discards them.
	Logger *slog.Logger
	// Now is the clock (nil: time.Now). Tests may shift it; the polling
	// waits in real time.
	Now func() time.Time
	// MaxMonitors is the most monitors at once (default
	// DefaultMaxMonitors); a POST beyond it is 429.
	MaxMonitors int
	// Settle is how long after a look's time it is read (default
	// DefaultSettle); at least the scrape interval's lag of your
	// Prometheus. Tests scraping every second use 1s.
	Settle time.Duration
	// MinStep is the shortest step a monitor may ask for (default
	// DefaultMinStep).
	MinStep time.Duration
	// ReadTimeout bounds one poll's reads (default: the step, at least 5s).
	ReadTimeout time.Duration
}

// Manager runs monitors as HTTP resources: it is the http.Handler of
// /v1/monitors and /v1/monitors/ (it expects the full path) and a
// prometheus.Collector of the monitors' state. Close stops it.
type Manager struct {
	cfg Config
	log *slog.Logger

	mu      sync.Mutex
	entries map[string]*entry
	closed  bool
	ctx     context.Context
	cancel  context.CancelFunc
}

// entry is one monitor.
type entry struct {
	id        string
	spec      Spec
	p         parsed
	created   time.Time
	firstLook int64 // Unix ms, on the step grid

	mu       sync.Mutex // guards what follows
	mon      *monitor.Monitor
	hist     *[2][]float64
	looks    []monitor.Point
	next     int64 // the next look's time, Unix ms
	last     *monitor.Decision
	lastData int64 // the last complete look's time; 0: none yet
	lastErr  error
	warnings []string

	cancel context.CancelFunc
	done   chan struct{} // closed when the poller has returned
}

func newEntry(id string, spec Spec, p parsed, created time.Time, firstLook int64) *entry {
	mon, err := monitor.New(p.cfg)
	if err != nil { // spec.check made one already
		panic(err)
	}
	return &entry{id: id, spec: spec, p: p, created: created, firstLook: firstLook, next: firstLook, mon: mon}
}

// add feeds one look to e's monitor; call it with e.mu held (or before the
// entry is shared).
func (e *entry) add(pt monitor.Point) error {
	d, err := e.mon.Add(pt)
	if err != nil {
		return err
	}
	e.looks = append(e.looks, pt)
	e.last = &d
	if complete(pt, e.p.cfg.Scale) {
		e.lastData = pt.T
	}
	return nil
}

// complete reports whether a look has both values, as the monitor counts
// them for its no-data rule (on the log-ratio scale a value <= 0 is none).
func complete(p monitor.Point, s monitor.Scale) bool {
	if math.IsNaN(p.Control) || math.IsNaN(p.Experiment) {
		return false
	}
	return s != monitor.LogRatio || (p.Control > 0 && p.Experiment > 0)
}

// stopped reports whether e's monitor has stopped for good (test or
// guardrail); call it with e.mu held.
func (e *entry) stopped() bool { return e.last != nil && e.last.Action == monitor.Stop }

// New returns a Manager for cfg. With a StateDir it creates the folder if
// needed and resumes every monitor saved there (ID.json): each catches up
// the looks it missed while the manager was down, reading the missed range
// from Prometheus, before it polls again. A state file it cannot resume
// from fails New with an error that names the file and wraps
// ErrCorruptState: an emergency stop must not be silently off, so the
// operator fixes or removes the file.
func New(cfg Config) (*Manager, error) {
	if cfg.Prom == nil {
		return nil, errors.New("monitors: Config.Prom is nil: the manager reads the queries through it (a *prom.Client)")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxMonitors == 0 {
		cfg.MaxMonitors = DefaultMaxMonitors
	}
	if cfg.Settle == 0 {
		cfg.Settle = DefaultSettle
	}
	if cfg.MinStep == 0 {
		cfg.MinStep = DefaultMinStep
	}
	if cfg.MaxMonitors < 1 || cfg.Settle < 0 || cfg.MinStep < time.Millisecond || cfg.ReadTimeout < 0 {
		return nil, fmt.Errorf("monitors: Config: MaxMonitors %d, Settle %v, MinStep %v, ReadTimeout %v: want MaxMonitors >= 1, Settle >= 0, MinStep >= 1ms, ReadTimeout >= 0",
			cfg.MaxMonitors, cfg.Settle, cfg.MinStep, cfg.ReadTimeout)
	}
	m := &Manager{cfg: cfg, log: cfg.Logger, entries: map[string]*entry{}}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	if cfg.StateDir != "" {
		if err := os.MkdirAll(cfg.StateDir, 0o755); err != nil {
			return nil, fmt.Errorf("monitors: StateDir: %w", err)
		}
		files, err := filepath.Glob(filepath.Join(cfg.StateDir, "*.json"))
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		var loaded []*entry
		for _, f := range files {
			e, err := m.load(f)
			if err != nil {
				return nil, fmt.Errorf("monitors: %w", err)
			}
			loaded = append(loaded, e)
		}
		for _, e := range loaded {
			m.entries[e.id] = e
			m.log.Info("monitors: resumed", "id", e.id, "name", e.spec.Name, "looks", len(e.looks))
			m.start(e)
		}
	}
	return m, nil
}

func (m *Manager) now() time.Time { return m.cfg.Now() }

// start starts e's poller.
func (m *Manager) start(e *entry) {
	ctx, cancel := context.WithCancel(m.ctx)
	e.cancel, e.done = cancel, make(chan struct{})
	go m.run(ctx, e)
}

// Close stops every poller, waits for them (or for ctx) and saves each
// monitor's state; the monitors resume from it in the next New with the
// same StateDir. Requests after Close are 503.
func (m *Manager) Close(ctx context.Context) error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	m.cancel()
	entries := m.list()
	m.mu.Unlock()
	for _, e := range entries {
		select {
		case <-e.done:
		case <-ctx.Done():
			return fmt.Errorf("monitors: Close: %w", context.Cause(ctx))
		}
		m.save(e)
	}
	return nil
}

// list returns the entries by creation time; call it with m.mu held.
func (m *Manager) list() []*entry {
	out := make([]*entry, 0, len(m.entries))
	for _, e := range m.entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].created.Equal(out[j].created) {
			return out[i].created.Before(out[j].created)
		}
		return out[i].id < out[j].id
	})
	return out
}

func newID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// floorStep is t rounded down to the grid of step (both Unix ms).
func floorStep(t, step int64) int64 {
	r := t % step
	if r < 0 {
		r += step
	}
	return t - r
}

// run polls Prometheus for e's looks until ctx is done or the monitor
// stops.
func (m *Manager) run(ctx context.Context, e *entry) {
	defer close(e.done)
	for {
		wait := m.poll(ctx, e)
		if wait < 0 || ctx.Err() != nil {
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// poll reads the looks that are due and feeds them to e's monitor. It
// returns how long to wait before the next poll, < 0 when the monitor has
// stopped.
func (m *Manager) poll(ctx context.Context, e *entry) time.Duration {
	now := m.now()
	step := e.p.step.Milliseconds()
	due := floorStep(now.Add(-m.cfg.Settle).UnixMilli(), step)
	e.mu.Lock()
	next, stopped := e.next, e.stopped()
	e.mu.Unlock()
	if stopped {
		return -1
	}
	if due < next {
		return time.UnixMilli(next).Add(m.cfg.Settle).Sub(now)
	}
	end := min(due, next+(maxBatch-1)*step)
	timeout := m.cfg.ReadTimeout
	if timeout == 0 {
		timeout = max(e.p.step, 5*time.Second)
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	pts, warns, err := workflow.ReadLooks(rctx, m.cfg.Prom, e.spec.ControlQuery, e.spec.ExperimentQuery,
		prom.Range{Start: time.UnixMilli(next), End: time.UnixMilli(end), Step: e.p.step})
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return -1
		}
		e.mu.Lock()
		first := e.lastErr == nil
		e.lastErr = err
		e.mu.Unlock()
		if first {
			m.log.Warn("monitors: reading the looks failed; retrying every step", "id", e.id, "name", e.spec.Name, "err", err)
		}
		return e.p.step
	}
	e.mu.Lock()
	if e.lastErr != nil {
		m.log.Info("monitors: reading again", "id", e.id, "name", e.spec.Name)
	}
	e.lastErr = nil
	e.warnings = e.warnings[:0]
	for _, w := range warns {
		e.warnings = append(e.warnings, w.Error())
	}
	for _, pt := range pts {
		if err := e.add(pt); err != nil {
			// Cannot happen on the grid; say so rather than loop.
			m.log.Error("monitors: a look was refused", "id", e.id, "err", err)
			e.lastErr = err
			break
		}
		if e.stopped() {
			m.log.Warn("monitors: stop", "id", e.id, "name", e.spec.Name, "cause", e.last.Cause.String(), "reason", e.last.Reason)
			break
		}
	}
	e.next = end + step
	stopped = e.stopped()
	e.mu.Unlock()
	m.save(e)
	if stopped {
		return -1
	}
	if end < due {
		return 0
	}
	return time.UnixMilli(end + step).Add(m.cfg.Settle).Sub(m.now())
}

// Health is a monitor's health, as GET .../health answers.
type Health struct {
	// Code is 200 or 503.
	Code int
	// Status is "waiting" (no look yet), "continue", "stop" (the monitor
	// stopped for good: its decision's cause is test or guardrail) or
	// "no_data" (no complete look for longer than max_gap; 200 again when
	// data returns).
	Status string
	// Reason says why, in words.
	Reason string
}

// health is e's health at time now; call it with e.mu held.
func (m *Manager) health(e *entry, now time.Time) Health {
	if e.stopped() {
		return Health{503, "stop", e.last.Reason}
	}
	step := e.p.step.Milliseconds()
	due := floorStep(now.Add(-m.cfg.Settle).UnixMilli(), step)
	ref := e.lastData
	if ref == 0 {
		ref = e.firstLook - step
	}
	if gap := due - ref; gap > e.p.maxGap.Milliseconds() {
		since := "since the monitor started"
		if e.lastData != 0 {
			since = "since " + time.UnixMilli(e.lastData).UTC().Format(time.RFC3339Nano)
		}
		why := "the queries returned no values for one group or both"
		switch {
		case e.lastErr != nil:
			why = "reading Prometheus fails: " + e.lastErr.Error()
		case e.next-step < due-e.p.maxGap.Milliseconds():
			// The looks of the gap are not read yet: a manager that has
			// just resumed is catching up.
			why = "the looks since " + rfc(e.next) + " are not read yet"
		}
		return Health{503, "no_data", fmt.Sprintf("no complete look %s (%v), longer than max_gap %v: %s; the monitor resumes when data returns",
			since, time.Duration(gap)*time.Millisecond, e.p.maxGap, why)}
	}
	if e.last == nil {
		return Health{200, "waiting", fmt.Sprintf("the first look is at %s", time.UnixMilli(e.firstLook).UTC().Format(time.RFC3339Nano))}
	}
	return Health{200, "continue", e.last.Reason}
}
