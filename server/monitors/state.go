package monitors

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/chaosstat/chaosstat/internal/format"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// stateVersion is the version of the state file's format.
const stateVersion = 1

// num is a float64 written as a JSON number, NaN as null.
type num float64

func (x num) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
		return []byte("null"), nil
	}
	if f := float64(x); f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return strconv.AppendFloat(nil, f, 'f', -1, 64), nil // times in ms as integers
	}
	return strconv.AppendFloat(nil, float64(x), 'g', -1, 64), nil
}

func (x *num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*x = num(math.NaN())
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("%s is not a number or null", b)
	}
	*x = num(f)
	return nil
}

// look is one look in the state file: [t (Unix ms), control, experiment].
type look [3]num

// stateFile is a monitor's state file, DIR/ID.json: its definition and
// everything that rebuilds its monitor exactly (the history it was primed
// with and every look fed, in order).
type stateFile struct {
	Version   int       `json:"version"`
	ID        string    `json:"id"`
	Spec      Spec      `json:"spec"`
	Created   time.Time `json:"created"`
	FirstLook int64     `json:"first_look"` // Unix ms
	// History is what the monitor was primed with (null: not primed).
	History *history `json:"history"`
	Looks   []look   `json:"looks"`
}

type history struct {
	Control    []num `json:"control"`
	Experiment []num `json:"experiment"`
}

func floats(xs []num) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

func nums(xs []float64) []num {
	out := make([]num, len(xs))
	for i, x := range xs {
		out[i] = num(x)
	}
	return out
}

// statePath is the state file of monitor id in dir.
func statePath(dir, id string) string { return filepath.Join(dir, id+".json") }

// writeAtomic writes b to path through a temporary file in the same folder,
// synced and renamed over path, so that a reader or a crash sees the old
// file or the new one, never a part.
func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// snapshot returns e's state file; call it with e.mu held.
func (e *entry) snapshot() stateFile {
	st := stateFile{Version: stateVersion, ID: e.id, Spec: e.spec, Created: e.created, FirstLook: e.firstLook, Looks: make([]look, len(e.looks))}
	if e.hist != nil {
		st.History = &history{Control: nums(e.hist[0]), Experiment: nums(e.hist[1])}
	}
	for i, p := range e.looks {
		st.Looks[i] = look{num(p.T), num(p.Control), num(p.Experiment)}
	}
	return st
}

// save writes e's state file, when the manager has a StateDir.
func (m *Manager) save(e *entry) {
	if m.cfg.StateDir == "" {
		return
	}
	e.mu.Lock()
	st := e.snapshot()
	e.mu.Unlock()
	b, err := format.Marshal(st)
	if err == nil {
		err = writeAtomic(statePath(m.cfg.StateDir, e.id), b)
	}
	if err != nil {
		m.log.Error("monitors: saving state", "id", e.id, "file", statePath(m.cfg.StateDir, e.id), "err", err)
	}
}

// ErrCorruptState is wrapped by New's error for a state file it cannot
// resume a monitor from; the error names the file.
var ErrCorruptState = errors.New("corrupt monitor state")

// load rebuilds the monitor of the state file at path.
func (m *Manager) load(path string) (*entry, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s: %w: %s (fix or remove the file)", path, ErrCorruptState, fmt.Sprintf(format, args...))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var st stateFile
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, bad("%v", err)
	}
	if st.Version != stateVersion {
		return nil, bad("version %d; this chaosstat reads version %d", st.Version, stateVersion)
	}
	if st.ID == "" || statePath(m.cfg.StateDir, st.ID) != path {
		return nil, bad("id %q does not match the file's name", st.ID)
	}
	spec := st.Spec
	spec.HistoryStart = "" // the history was read when the monitor was made; it is in the file
	p, err := spec.check(m.now(), m.cfg.MinStep)
	if err != nil {
		return nil, bad("spec: %v", err)
	}
	spec.HistoryStart = st.Spec.HistoryStart
	e := newEntry(st.ID, spec, p, st.Created, st.FirstLook)
	if st.FirstLook%p.step.Milliseconds() != 0 {
		return nil, bad("first_look %d is not on the step grid", st.FirstLook)
	}
	if st.History != nil {
		h := [2][]float64{floats(st.History.Control), floats(st.History.Experiment)}
		if err := e.mon.Prime(h[0], h[1]); err != nil {
			return nil, bad("history: %v", err)
		}
		e.hist = &h
	}
	want := st.FirstLook
	for i, l := range st.Looks {
		pt := monitor.Point{T: int64(l[0]), Control: float64(l[1]), Experiment: float64(l[2]), Baseline: math.NaN()}
		if pt.T != want {
			return nil, bad("looks[%d] is at %d; want %d, one step after the previous look", i, pt.T, want)
		}
		if err := e.add(pt); err != nil {
			return nil, bad("looks[%d]: %v", i, err)
		}
		want += p.step.Milliseconds()
	}
	e.next = want
	return e, nil
}
