package main

// Golden cases of the baseline command. The synthetic stream starts come
// from steadystate/testdata/baseline (seeded generator gen.go there): four
// weeks of per-minute history in New York time crossing the end of daylight
// saving, a normal day, and a day with a 25% drop from 14:00 to 14:20. The
// NYC taxi rows are in the same folder; the two current days
// (testdata/baseline_taxi_2014-11-2{0,7}.csv) are its rows of those dates.
const (
	synthHistory = "../../steadystate/testdata/baseline/history.csv"
	synthNormal  = "../../steadystate/testdata/baseline/normal_day.csv"
	synthDrop    = "../../steadystate/testdata/baseline/drop_day.csv"
	taxiHistory  = "../../steadystate/testdata/baseline/taxi_2014-10-23_2014-11-27.csv"
	taxiThanks   = "testdata/baseline_taxi_2014-11-27.csv"
	taxiOrdinary = "testdata/baseline_taxi_2014-11-20.csv"
	newYork      = "America/New_York"
)

func init() {
	cliCases = append(cliCases, baselineCases...)
}

var baselineCases = []cliCase{
	{
		name:   "baseline_synthetic_normal_text",
		reason: "a normal day against four weeks of per-minute history: steady, exit 0, no false alarm on the history either",
		args:   []string{"baseline", "--history", synthHistory, "--current", synthNormal, "--timezone", newYork},
		code:   exitOK,
	},
	{
		name:   "baseline_synthetic_drop_text",
		reason: "a 25% drop from 14:00 to 14:20: exactly one deviation, those 20 minutes, exit 1",
		args:   []string{"baseline", "--history", synthHistory, "--current", synthDrop, "--timezone", newYork},
		code:   exitSignificant,
	},
	{
		name:   "baseline_synthetic_drop_json",
		reason: "the drop for notebooks: every JSON key, times RFC 3339 in the zone",
		args:   []string{"baseline", "--history", synthHistory, "--current", synthDrop, "--timezone", newYork, "--format", "json"},
		code:   exitSignificant,
	},
	{
		name:   "baseline_synthetic_utc_text",
		reason: "the wrong zone (UTC for a New York cycle across DST): the leave-one-week-out false-alarm rate shows it",
		args:   []string{"baseline", "--history", synthHistory, "--current", synthNormal, "--timezone", "UTC"},
		code:   exitOK,
	},
	{
		name:   "baseline_synthetic_level_adjust_json",
		reason: "--weeks 3 --level-adjust --min-weeks 2: fewer weeks, each scaled to the latest week's level",
		args:   []string{"baseline", "--history", synthHistory, "--current", synthDrop, "--timezone", newYork, "--weeks", "3", "--min-weeks", "2", "--level-adjust", "--format", "json"},
		code:   exitSignificant,
	},
	{
		name:   "baseline_taxi_thanksgiving_text",
		reason: "real data: Thanksgiving 2014 against its four prior weeks deviates; the history's points from that day on are ignored, with a warning",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--timezone", newYork},
		code:   exitSignificant,
	},
	{
		name:   "baseline_taxi_thanksgiving_json",
		reason: "Thanksgiving in JSON",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--timezone", newYork, "--format", "json"},
		code:   exitSignificant,
	},
	{
		name:   "baseline_taxi_ordinary_json",
		reason: "an ordinary Thursday (2014-11-20) is steady; the calibration weeks hold real incidents (Halloween, the marathon), so the rate is not 0",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiOrdinary, "--timezone", newYork, "--format", "json"},
		code:   exitOK,
	},
	{
		name:   "baseline_stdin_current",
		reason: `"-" reads the current series from stdin`,
		args:   []string{"baseline", "--history", taxiHistory, "--current", "-", "--timezone", newYork, "--z", "5", "--persistence", "3"},
		stdin:  taxiThanks,
		code:   exitSignificant,
	},

	// Inconclusive: exit 3.
	{
		name:   "baseline_not_enough_history",
		reason: "one day of history is one week with data, fewer than 3: inconclusive, never steady",
		args:   []string{"baseline", "--history", taxiOrdinary, "--current", taxiThanks},
		code:   exitInconclusive,
	},
	{
		name:   "baseline_current_header_only",
		reason: "a current file without rows has no data",
		args:   []string{"baseline", "--history", taxiHistory, "--current", "testdata/header_only.csv"},
		code:   exitInconclusive,
	},
	{
		name:   "baseline_current_all_missing",
		reason: "a current series whose every value is missing: nothing judged, inconclusive",
		args:   []string{"baseline", "--history", taxiHistory, "--current", "testdata/all_missing.csv", "--timezone", newYork},
		code:   exitInconclusive,
	},

	// Input and usage errors: exit 2.
	{
		name:   "baseline_missing_file",
		reason: "a history file that does not exist",
		args:   []string{"baseline", "--history", "testdata/no_such_file.csv", "--current", taxiThanks},
		code:   exitUsage,
	},
	{
		name:   "baseline_bad_value",
		reason: "a bad cell names the file, line and column",
		args:   []string{"baseline", "--history", taxiHistory, "--current", "testdata/bad_value.csv"},
		code:   exitUsage,
	},
	{
		name:   "baseline_plain_sample",
		reason: "a value-only file has no times to lay over a week",
		args:   []string{"baseline", "--history", "testdata/males.csv", "--current", taxiThanks},
		code:   exitUsage,
	},
	{
		name:   "baseline_unknown_timezone",
		reason: "a misspelt zone is named",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--timezone", "America/NewYork"},
		code:   exitUsage,
	},
	{
		name:   "baseline_local_timezone",
		reason: "Local would make the answer depend on the machine",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--timezone", "Local"},
		code:   exitUsage,
	},
	{
		name:   "baseline_weeks_zero",
		reason: "--weeks must be at least 1",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--weeks", "0"},
		code:   exitUsage,
	},
	{
		name:   "baseline_min_weeks_above_weeks",
		reason: "--min-weeks cannot exceed --weeks",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--weeks", "2", "--min-weeks", "3"},
		code:   exitUsage,
	},
	{
		name:   "baseline_z_negative",
		reason: "--z must be positive",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--z", "-1"},
		code:   exitUsage,
	},
	{
		name:   "baseline_missing_history",
		reason: "--history is required",
		args:   []string{"baseline", "--current", taxiThanks},
		code:   exitUsage,
	},
	{
		name:   "baseline_missing_current",
		reason: "--current is required",
		args:   []string{"baseline", "--history", taxiHistory},
		code:   exitUsage,
	},
	{
		name:   "baseline_both_stdin",
		reason: "stdin can feed only one file",
		args:   []string{"baseline", "--history", "-", "--current", "-"},
		code:   exitUsage,
	},
	{
		name:   "baseline_help",
		reason: "baseline -h prints the flags on stdout and succeeds",
		args:   []string{"baseline", "-h"},
		code:   exitOK,
	},
}
