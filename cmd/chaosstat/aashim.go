package main

import (
	"io"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/format"
)

// The names below keep demo.go's A/A step compiling while it builds its
// reports from cmd's types; each is a library call. Delete them when
// demo.go uses compare.AAReport, format.Duration, format.Share and
// compare.FormatMDE.

// aaReport is an A/A result with the flags and the groups it was run with.
type aaReport struct {
	f        aaFlags
	r        compare.AAResult
	exp, ctl sample
}

func (p *aaReport) lib() compare.AAReport {
	return compare.AAReport{Result: p.r, Test: *p.f.test.kind, Experiment: p.exp.group(), Control: p.ctl.group()}
}

func (p *aaReport) writeText(w io.Writer) error { return p.lib().WriteText(w) }
func (p *aaReport) writeJSON(w io.Writer) error { return p.lib().WriteJSON(w) }

// aaJSONDuration is a duration in JSON as "30m0s", null when zero.
type aaJSONDuration = format.Duration

var (
	aaPct = format.Share
	aaMDE = compare.FormatMDE
)
