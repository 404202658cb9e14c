package main

import (
	"embed"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/workflow"
)

// demoFS holds the demo's synthetic data (see demodata/README.md): written
// by demodata/gen.go from a fixed seed, never measured.
//
//go:embed demodata/*.csv.gz demodata/scenario.json demodata/hypothesis.yaml
var demoFS embed.FS

var demoCommand = &command{
	name:    "demo",
	summary: "run the whole method on an embedded synthetic case study, step by step",
	run:     runDemo,
	usage:   demoUsage,
}

//go:embed help/demo.txt
var demoHelp string

func demoUsage(w io.Writer) { io.WriteString(w, demoHelp) }

// demoNumber is a flag holding a number >= 0 (or in (0, 1) for a share).
type demoNumber struct {
	x     *float64
	share bool
}

func (f demoNumber) String() string {
	if f.x == nil {
		return ""
	}
	return strconv.FormatFloat(*f.x, 'g', -1, 64)
}

func (f demoNumber) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Errorf("not a number")
	case f.share && !(x > 0 && x < 1):
		return fmt.Errorf("want a share in (0, 1), such as 0.9995")
	case x < 0:
		return fmt.Errorf("want a number >= 0")
	}
	*f.x = x
	return nil
}

// loadDemo reads the embedded case study into the workflow's inputs. An
// error here is a broken build, and is reported as such.
func loadDemo() (workflow.Inputs, error) { return workflow.ReadCaseStudy(demoFS, "demodata") }

func runDemo(e *env, args []string) int {
	fail := func(what string, err error) int {
		fmt.Fprintf(e.stderr, "chaosstat demo: %s%v\n", what, err)
		return exitUsage
	}
	in, err := loadDemo()
	if err != nil {
		return fail("the embedded data is broken: ", err)
	}
	sla := in.Assumptions.SLO // the flag changes the objective, not the contract
	out, form, as := "", formatFlag{"text"}, &in.Assumptions
	fs := newFlagSet("demo")
	fs.StringVar(&out, "out", "", "")
	fs.Var(&form, "format", "")
	fs.Var(demoNumber{x: &as.UnitRevenue}, "unit-revenue", "")
	fs.Var(demoNumber{x: &as.EngineeringHours}, "engineering-hours", "")
	fs.Var(demoNumber{x: &as.HourlyCost}, "hourly-cost", "")
	fs.Var(demoNumber{x: &as.SLO, share: true}, "slo", "")
	if code, done := parseFlags(e, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e, "demo", "unexpected argument %q: the demo takes only flags", fs.Arg(0))
	}
	r, err := workflow.Run(in)
	if err != nil {
		return fail("", err)
	}
	if form.f == "json" {
		err = r.WriteJSON(e.stdout)
	} else {
		err = r.WriteStory(e.stdout, &in, sla)
	}
	if err != nil {
		return fail("writing the report: ", err)
	}
	if out != "" {
		files, err := writeDemoOut(out, &in, r)
		if err != nil {
			return fail("--out: ", err)
		}
		if form.f == "text" {
			fmt.Fprintf(e.stdout, "\nwrote %d files to %s: %s\n", len(files), out, strings.Join(files, ", "))
		}
	}
	return exitOK
}

// demoUnits are the metrics' units, for the figures.
var demoUnits = map[string]string{"downloads": "downloads/min", "availability": "share of requests", "apdex": "score, 0 to 1"}

// writeDemoOut writes each step's JSON and figure into dir and returns the
// file names.
func writeDemoOut(dir string, in *workflow.Inputs, r *workflow.Report) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	names, err := r.WriteParts(dir)
	if err != nil {
		return nil, err
	}
	figures, err := chart.Method(dir, in, r, demoUnits)
	return append(names, figures...), err
}
