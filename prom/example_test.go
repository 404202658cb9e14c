package prom_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/chaosstat/chaosstat/prom"
)

// A service name from user input goes into a matcher through Quote, so it
// stays one label value whatever it holds.
func ExampleQuote() {
	svc := `checkout"} or vector(1) #`
	fmt.Println(`sum(rate(http_requests_total{service=` + prom.Quote(svc) + `}[5m]))`)
	fmt.Println(`up{job=~` + prom.QuoteRegexpAny("api", "web.v2") + `}`)
	// Output:
	// sum(rate(http_requests_total{service="checkout\"} or vector(1) #"}[5m]))
	// up{job=~"api|web\\.v2"}
}

// Reading a day of a metric, and the same day a week earlier laid over it.
// (This example needs a server, so it is compiled but not run.)
func ExampleClient_Range() {
	c, err := prom.New(prom.Config{Address: "http://localhost:9090"})
	if err != nil {
		log.Fatal(err)
	}
	end := time.Now().Truncate(time.Minute)
	r := prom.Range{Start: end.Add(-24 * time.Hour), End: end, Step: time.Minute}
	q := `sum(rate(http_requests_total{job="checkout"}[5m]))`
	ctx := context.Background()

	cur, err := c.Range(ctx, q, r)
	switch {
	case errors.Is(err, prom.ErrBadQuery):
		log.Fatalf("fix the query: %v", err)
	case errors.Is(err, prom.ErrPartial):
		log.Fatalf("part of the data is missing; not judging on it: %v", err)
	case err != nil:
		log.Fatal(err)
	}
	last, err := c.RangeWeeksAgo(ctx, q, r, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cur.Series[0], "against", last.Series[0])
	fmt.Printf("%d series in %v (%s time)\n", cur.Stats.Series, cur.Stats.QueryTime, cur.Stats.Timing)
}

// Connecting to Grafana Mimir: the API lives under /prometheus and the
// tenant is a header. (Compiled, not run.)
func ExampleNew_mimir() {
	c, err := prom.New(prom.Config{
		Address:         "https://mimir.example.com/prometheus",
		Headers:         map[string]string{"X-Scope-OrgID": "team-checkout"},
		BearerTokenFile: "/var/run/secrets/mimir/token",
		TLS:             &prom.TLS{CAFile: "/etc/ssl/mimir-ca.pem"},
	})
	if err != nil {
		log.Fatal(err)
	}
	v, err := c.Scalar(context.Background(), `sum(rate(http_requests_total{job="checkout",code=~"5.."}[5m]))`, time.Time{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Value)
}
