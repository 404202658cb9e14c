package monitors

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/internal/format"
	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
	"github.com/chaosstat/chaosstat/workflow"
)

// Prefix is the path the Manager serves: Prefix and Prefix + "/".
const Prefix = "/v1/monitors"

// MaxBodyBytes is the largest POST body the Manager reads.
const MaxBodyBytes = 1 << 20

// errorJSON is the body of every 4xx and 5xx answer but a health's 503.
type errorJSON struct {
	Error string `json:"error"`
	// Field is the request key at fault, when one is.
	Field string `json:"field,omitempty"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := format.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, code int, err error) {
	var fe *FieldError
	body := errorJSON{Error: err.Error()}
	if errors.As(err, &fe) {
		body.Field = fe.Field
	}
	writeJSON(w, code, body)
}

// ServeHTTP serves the endpoints doc.go lists.
func (m *Manager) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, Prefix)
	if !ok || (rest != "" && !strings.HasPrefix(rest, "/")) {
		writeError(w, http.StatusNotFound, fmt.Errorf("%s is not under %s", r.URL.Path, Prefix))
		return
	}
	rest = strings.Trim(rest, "/")
	parts := strings.Split(rest, "/")
	if rest == "" {
		parts = nil
	}
	m.mu.Lock()
	closed := m.closed
	m.mu.Unlock()
	if closed {
		writeError(w, http.StatusServiceUnavailable, errors.New("the monitors are shutting down"))
		return
	}
	allow := func(methods string) {
		w.Header().Set("Allow", methods)
		writeError(w, http.StatusMethodNotAllowed, fmt.Errorf("method %s: want %s", r.Method, methods))
	}
	switch len(parts) {
	case 0:
		switch r.Method {
		case http.MethodPost:
			m.create(w, r)
		case http.MethodGet, http.MethodHead:
			m.listAll(w)
		default:
			allow("GET, POST")
		}
		return
	case 1, 2:
		m.mu.Lock()
		e := m.entries[parts[0]]
		m.mu.Unlock()
		if e == nil {
			writeError(w, http.StatusNotFound, fmt.Errorf("no monitor %q", parts[0]))
			return
		}
		if len(parts) == 2 {
			if parts[1] != "health" {
				writeError(w, http.StatusNotFound, fmt.Errorf("%s: unknown; a monitor has %s/ID and %s/ID/health", r.URL.Path, Prefix, Prefix))
				return
			}
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				allow("GET")
				return
			}
			m.serveHealth(w, e)
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			e.mu.Lock()
			v := m.view(e, m.now())
			e.mu.Unlock()
			writeJSON(w, http.StatusOK, v)
		case http.MethodDelete:
			m.remove(w, e)
		default:
			allow("GET, DELETE")
		}
		return
	}
	writeError(w, http.StatusNotFound, fmt.Errorf("%s: unknown path", r.URL.Path))
}

// created is the body of a 201.
type createdJSON struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	HealthURL string `json:"health_url"`
}

// create is POST /v1/monitors.
func (m *Manager) create(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Errorf("body: %v (at most %d bytes)", err, MaxBodyBytes))
		return
	}
	spec, err := decodeSpec(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	now := m.now()
	p, err := spec.check(now, m.cfg.MinStep)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	m.mu.Lock()
	n := len(m.entries)
	m.mu.Unlock()
	if n >= m.cfg.MaxMonitors {
		writeError(w, http.StatusTooManyRequests, fmt.Errorf("%d monitors run, the limit: delete one first", n))
		return
	}
	step := p.step.Milliseconds()
	firstLook := floorStep(now.UnixMilli(), step) + step
	// Check the queries on the last settled look: a query Prometheus
	// refuses, or one that returns several series, is the request's fault.
	// An unreachable Prometheus is not: the monitor starts and its health
	// says no_data until Prometheus answers.
	last := time.UnixMilli(floorStep(now.Add(-m.cfg.Settle).UnixMilli(), step))
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	if _, _, err := workflow.ReadLooks(ctx, m.cfg.Prom, spec.ControlQuery, spec.ExperimentQuery, prom.Range{Start: last, End: last, Step: p.step}); err != nil {
		if fe := queryFault(err); fe != nil {
			writeError(w, http.StatusBadRequest, fe)
			return
		}
		m.log.Warn("monitors: checking the queries failed; starting anyway", "err", err)
	}
	e := newEntry(newID(), spec, p, now, firstLook)
	if !p.historyStart.IsZero() {
		hs := floorStep(p.historyStart.UnixMilli()+step-1, step)
		pts, _, err := workflow.ReadLooks(ctx, m.cfg.Prom, spec.ControlQuery, spec.ExperimentQuery,
			prom.Range{Start: time.UnixMilli(hs), End: time.UnixMilli(firstLook - step), Step: p.step})
		if err != nil {
			if fe := queryFault(err); fe != nil {
				writeError(w, http.StatusBadRequest, fe)
				return
			}
			writeError(w, http.StatusBadGateway, fmt.Errorf("history_start: reading the history failed: %v", err))
			return
		}
		h := [2][]float64{make([]float64, len(pts)), make([]float64, len(pts))}
		for i, pt := range pts {
			h[0][i], h[1][i] = pt.Control, pt.Experiment
		}
		if err := e.mon.Prime(h[0], h[1]); err != nil {
			writeError(w, http.StatusBadRequest, &FieldError{Field: "history_start", Msg: err.Error()})
			return
		}
		e.hist = &h
	}
	m.mu.Lock()
	if m.closed || len(m.entries) >= m.cfg.MaxMonitors {
		m.mu.Unlock()
		writeError(w, http.StatusServiceUnavailable, errors.New("the manager closed or filled up meanwhile; try again"))
		return
	}
	m.entries[e.id] = e
	m.mu.Unlock()
	m.save(e)
	m.start(e)
	m.log.Info("monitors: created", "id", e.id, "name", spec.Name, "step", p.step, "first_look", time.UnixMilli(firstLook).UTC())
	url := Prefix + "/" + e.id
	w.Header().Set("Location", url)
	writeJSON(w, http.StatusCreated, createdJSON{ID: e.id, URL: url, HealthURL: url + "/health"})
}

// queryFault returns a *FieldError naming the query at fault when err is
// the query's fault (the server refused it, or it returned several series),
// nil otherwise.
func queryFault(err error) *FieldError {
	var le *workflow.LookError
	if !errors.As(err, &le) {
		return nil
	}
	var pe *prom.Error
	if errors.Is(err, prom.ErrBadQuery) || !errors.As(err, &pe) {
		return &FieldError{Field: le.Group + "_query", Msg: le.Err.Error()}
	}
	return nil
}

// remove is DELETE /v1/monitors/ID: the poller ends, the state file goes.
func (m *Manager) remove(w http.ResponseWriter, e *entry) {
	m.mu.Lock()
	if m.entries[e.id] != e {
		m.mu.Unlock()
		writeError(w, http.StatusNotFound, fmt.Errorf("no monitor %q", e.id))
		return
	}
	delete(m.entries, e.id)
	m.mu.Unlock()
	e.cancel()
	<-e.done
	if m.cfg.StateDir != "" {
		if err := os.Remove(statePath(m.cfg.StateDir, e.id)); err != nil && !errors.Is(err, os.ErrNotExist) {
			m.log.Error("monitors: removing state", "id", e.id, "err", err)
		}
	}
	m.log.Info("monitors: deleted", "id", e.id, "name", e.spec.Name)
	w.WriteHeader(http.StatusNoContent)
}

// viewJSON is GET /v1/monitors/ID: the monitor, its health and its latest
// decision.
type viewJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	URL       string `json:"url"`
	HealthURL string `json:"health_url"`
	// Status and Reason are the health's (Health).
	Status  string `json:"status"`
	Healthy bool   `json:"healthy"`
	Reason  string `json:"reason"`
	Created string `json:"created"`
	// FirstLook, LastLook and LastData (the last complete look) are RFC
	// 3339 times; the last two null before any.
	FirstLook string  `json:"first_look"`
	LastLook  *string `json:"last_look"`
	LastData  *string `json:"last_data"`
	Looks     int     `json:"looks"`
	// LastError is the last read's error, null when it succeeded.
	LastError *string  `json:"last_error"`
	Warnings  []string `json:"warnings"`
	Spec      Spec     `json:"spec"`
	// Decision is the latest decision, as a line of chaosstat monitor
	// --format json; null before the first look.
	Decision *monitor.Decision `json:"decision"`
}

func rfc(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano) }

// view is e as GET shows it; call it with e.mu held.
func (m *Manager) view(e *entry, now time.Time) viewJSON {
	h := m.health(e, now)
	url := Prefix + "/" + e.id
	v := viewJSON{ID: e.id, Name: e.spec.Name, URL: url, HealthURL: url + "/health", Status: h.Status, Healthy: h.Code == http.StatusOK,
		Reason: h.Reason, Created: e.created.UTC().Format(time.RFC3339Nano), FirstLook: rfc(e.firstLook), Looks: len(e.looks),
		Warnings: append([]string{}, e.warnings...), Spec: e.spec, Decision: e.last}
	if n := len(e.looks); n > 0 {
		s := rfc(e.looks[n-1].T)
		v.LastLook = &s
	}
	if e.lastData != 0 {
		s := rfc(e.lastData)
		v.LastData = &s
	}
	if e.lastErr != nil {
		s := e.lastErr.Error()
		v.LastError = &s
	}
	return v
}

// listAll is GET /v1/monitors.
func (m *Manager) listAll(w http.ResponseWriter) {
	m.mu.Lock()
	entries := m.list()
	m.mu.Unlock()
	now := m.now()
	out := struct {
		Monitors []viewJSON `json:"monitors"`
	}{Monitors: []viewJSON{}}
	for _, e := range entries {
		e.mu.Lock()
		out.Monitors = append(out.Monitors, m.view(e, now))
		e.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, out)
}

// healthJSON is the body of GET /v1/monitors/ID/health.
type healthJSON struct {
	Status   string            `json:"status"`
	Reason   string            `json:"reason"`
	Decision *monitor.Decision `json:"decision"`
}

// serveHealth is GET /v1/monitors/ID/health: 200 while the decision is
// continue and data arrives, 503 once the monitor stopped or data stopped.
func (m *Manager) serveHealth(w http.ResponseWriter, e *entry) {
	e.mu.Lock()
	h := m.health(e, m.now())
	body := healthJSON{Status: h.Status, Reason: h.Reason, Decision: e.last}
	e.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, h.Code, body)
}
