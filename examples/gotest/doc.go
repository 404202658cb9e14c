// Package gotest is a hypothesis unit test: the steady-state hypothesis of a
// chaos experiment, asserted with package chaosstattest on the experiment's
// recorded series, so that go test (and CI) keeps it true. The package holds
// no code; the test is instance_loss_test.go, its data testdata/, and
// README.md walks through it.
package gotest
