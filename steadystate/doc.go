// Package steadystate holds what a chaos experiment's steady state is made
// of and how it is judged: metric definitions, the three criteria a
// steady-state metric must meet, hypotheses and their verdicts, and
// week-over-week baselines with an emergency stop.
package steadystate
