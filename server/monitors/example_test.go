package monitors_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/chaosstat/chaosstat/server/monitors"
)

// A Manager serves the monitors' endpoints; chaosstat serve mounts it at
// /v1/monitors and /v1/monitors/ and registers it on its /metrics registry.
// Here it reads from flat, a stand-in for a *prom.Client, and a request
// with a misspelt key is refused with the key named.
func Example() {
	m, err := monitors.New(monitors.Config{Prom: flat{}})
	if err != nil {
		panic(err)
	}
	defer m.Close(context.Background())

	post := func(body string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		m.ServeHTTP(w, httptest.NewRequest("POST", "/v1/monitors", strings.NewReader(body)))
		return w
	}
	w := post(`{"control_query": "c", "experiment_query": "e", "step": "1m", "alpah": 0.01}`)
	fmt.Print(w.Code, " ", w.Body)

	w = post(`{"name": "checkout", "control_query": "c", "experiment_query": "e", "direction": "decrease", "step": "1m"}`)
	fmt.Println(w.Code, strings.HasPrefix(w.Header().Get("Location"), "/v1/monitors/"))

	h := httptest.NewRecorder()
	m.ServeHTTP(h, httptest.NewRequest("GET", w.Header().Get("Location")+"/health", nil))
	fmt.Println(h.Code, strings.Contains(h.Body.String(), `"status":"waiting"`))
	// Output:
	// 400 {"error":"alpah: unknown key; the keys are alpha, control_query, direction, experiment_above, experiment_below, experiment_query, history_start, horizon, max_drop, max_gap, min_points, name, scale, step, sustain","field":"alpah"}
	// 201 true
	// 200 true
}
