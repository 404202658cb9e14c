package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/chaosstat/chaosstat/server"
)

// A chaos tool's probe asks whether the experiment group's latency differs
// from the control's. The body is what chaosstat compare --format json
// writes; 200 says there is an answer, and "significant" what it is.
func Example() {
	srv, err := server.New(server.Config{Token: "secret"})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	body := `{"control": [102, 98, 101, 99, 100, 103, 97, 100],
	          "experiment": [131, 128, 135, 129, 133, 130, 127, 134],
	          "method": "exact"}`
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v1/compare", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status)
	fmt.Print(string(answer))

	// Without the token: 401, and the field at fault.
	resp, err = http.Post(ts.URL+"/v1/compare", "application/json", strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	answer, _ = io.ReadAll(resp.Body)
	fmt.Println(resp.Status)
	fmt.Print(string(answer))
	// Every experiment value is above every control value: U = 8 x 8 = 64
	// and the exact two-sided p = 2/C(16, 8) = 2/12870.

	// Output:
	// 200 OK
	// {
	//   "test": "mannwhitney",
	//   "method": "exact",
	//   "alternative": "two-sided",
	//   "statistic": 64,
	//   "df": null,
	//   "p_value": 0.0001554001554001554,
	//   "alpha": 0.05,
	//   "significant": true,
	//   "n_experiment": 8,
	//   "n_control": 8,
	//   "shift": {
	//     "estimate": 31,
	//     "low": 28,
	//     "high": 34,
	//     "confidence": 0.95
	//   },
	//   "warnings": []
	// }
	// 401 Unauthorized
	// {
	//   "error": "missing or wrong bearer token: send \"Authorization: Bearer TOKEN\" with the server's token",
	//   "field": "Authorization"
	// }
}
