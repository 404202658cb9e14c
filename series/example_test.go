package series_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// Read a CSV file, cut out a window and hand its values to the statistics.
func Example() {
	const data = `timestamp,value
2014-07-01T00:00:00-04:00,10844
2014-07-01T00:30:00-04:00,8127
2014-07-01T01:00:00-04:00,
2014-07-01T01:30:00-04:00,4656
2014-07-01T02:00:00-04:00,3820
`
	s, err := series.ReadCSV(strings.NewReader(data), "taxi.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s)

	start := time.Date(2014, 7, 1, 0, 30, 0, 0, time.FixedZone("EDT", -4*3600))
	w := s.Between(start, start.Add(time.Hour))
	fmt.Println(w)
	fmt.Println(w.Present())
	// Output:
	// {}: 5 points from 2014-07-01T04:00:00Z to 2014-07-01T06:00:00Z, 1 missing
	// {}: 2 points from 2014-07-01T04:30:00Z to 2014-07-01T05:00:00Z, 1 missing
	// [8127]
}

// Errors name the file, the line and the column.
func ExampleReadCSV_errors() {
	const data = "timestamp,value\n2014-07-01T00:00:00-04:00,10844\n2014-13-01,8127\n"
	_, err := series.ReadCSV(strings.NewReader(data), "taxi.csv")
	fmt.Println(err)

	var se *series.SyntaxError
	if errors.As(err, &se) {
		fmt.Println(se.Line, se.Column)
	}

	_, err = series.ReadCSV(strings.NewReader("timestamp,value\n"), "empty.csv")
	fmt.Println(errors.Is(err, series.ErrEmpty))
	// Output:
	// taxi.csv:3: timestamp: "2014-13-01" is neither Unix seconds nor RFC 3339 (like 2014-07-01T00:00:00-04:00)
	// 3 timestamp
	// true
}

func ExampleReadPromJSON() {
	const body = `{"status":"success","data":{"resultType":"matrix","result":[
		{"metric":{"__name__":"up","job":"api"},"values":[[1700000000.123,"1"],[1700000015.123,"NaN"],[1700000030.123,"0"]]}]}}`
	all, err := series.ReadPromJSON(strings.NewReader(body), "up.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range all {
		fmt.Println(s)
		fmt.Println(s.Name, s.Labels, s.T[0])
	}
	// Output:
	// up{job="api"}: 3 points from 2023-11-14T22:13:20.123Z to 2023-11-14T22:13:50.123Z, 1 missing
	// up map[job:api] 1700000000123
}

func ExampleWriteCSV() {
	s := series.Series{T: []int64{1700000000000, 1700000000500, 1700000001000}, V: []float64{1.5, math.NaN(), 2}}
	if err := series.WriteCSV(os.Stdout, s); err != nil {
		fmt.Println(err)
	}
	// Output:
	// timestamp,value
	// 1700000000,1.5
	// 1700000000.5,
	// 1700000001,2
}

func ExampleSeries_Window() {
	s := series.Series{Name: "x", T: []int64{0, 1000, 2000, 3000}, V: []float64{10, 11, 12, 13}}
	// Half-open: [1000, 3000) holds the points at 1 s and 2 s.
	fmt.Println(s.Window(1000, 3000).V)
	// Output:
	// [11 12]
}

// One parser reads every timestamp chaosstat takes: files, the monitor's
// feed, request logs and flags. All three forms are the same instant.
func ExampleParseTime() {
	for _, s := range []string{"1700000000", "1.7e9", "2023-11-14T17:13:20-05:00", "1700000000000"} {
		ms, err := series.ParseTime(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(ms, time.UnixMilli(ms).UTC().Format(time.RFC3339))
	}
	// Output:
	// 1700000000000 2023-11-14T22:13:20Z
	// 1700000000000 2023-11-14T22:13:20Z
	// 1700000000000 2023-11-14T22:13:20Z
	// "1700000000000" is outside the years 0001 to 9999; is it in milliseconds? Unix seconds are wanted
}

// Two inputs of an analysis: the control file has no rows (too little
// data, inconclusive) and the experiment file a bad value (an input
// error). ReadEach reports the input error, which the user must fix
// first, though the control was read first.
func ExampleReadEach() {
	var control, experiment series.Series
	err := series.ReadEach(func() (err error) {
		control, err = series.ReadCSV(strings.NewReader("timestamp,value\n"), "control.csv")
		return err
	}, func() (err error) {
		experiment, err = series.ReadCSV(strings.NewReader("value\n3.1\nfast\n"), "experiment.csv")
		return err
	})
	fmt.Println(errors.Is(err, series.ErrTooLittleData), err)
	fmt.Println(len(control.V), len(experiment.V))
	// Output:
	// false experiment.csv:3: value: "fast" is not a number
	// 0 0
}
