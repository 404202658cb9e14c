// Package workflow runs chaosstat's method on a team's own metrics: it
// loads a hypothesis file's sources (files relative to it, or PromQL queries
// through package prom, or any Source a caller implements) into the data
// steadystate.Judge takes, and runs the whole method of the case study
// (criteria, A/A replay, baseline, judge, monitor, cost) returning one
// report with every step's result.
//
// The statistics packages (compare, steadystate and its subpackages) read
// no files and talk no HTTP; this package is where data comes in.
package workflow
