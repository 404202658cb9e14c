package series

import "errors"

// ErrTooLittleData is the root of every chaosstat error that means there is
// too little data to answer: no points at all, too few for a test, too
// short a history, nothing left to judge. Each package's sentinel for such
// a case wraps it and keeps its own message and identity (ErrEmpty here;
// the others say so in their docs), so that a caller branches once,
//
//	if errors.Is(err, series.ErrTooLittleData) {
//		// inconclusive: gather more data; never a pass
//	}
//
// and still tells the cases apart with the specific sentinel when it needs
// to. Bad input (a malformed file, an out-of-range option) never wraps it.
// chaosstat's command line exits 3, inconclusive, for exactly these
// errors, unless a usage or input error (exit 2) comes with them.
var ErrTooLittleData = errors.New("too little data")

// TooLittleData returns a new error whose message is msg and which wraps
// ErrTooLittleData, for a package's own sentinel,
//
//	var ErrNoCounts = series.TooLittleData("no counts")
//
// or for an error made on the spot that has no sentinel of its own. Each
// call returns a distinct error, so errors.Is tells the sentinels apart.
func TooLittleData(msg string) error { return &tooLittleDataError{msg} }

type tooLittleDataError struct{ msg string }

func (e *tooLittleDataError) Error() string { return e.msg }
func (e *tooLittleDataError) Unwrap() error { return ErrTooLittleData }

// ReadEach runs reads in order, each reading one input of an analysis,
// and returns the error to report, by the rule that bad input outranks
// too little data: the first error that does not wrap ErrTooLittleData,
// without running the reads after it; otherwise, once every read has run,
// the first that does; nil when every read succeeds. So an analysis of a
// control file without data and a malformed experiment file reports the
// malformed file, whichever comes first, and "inconclusive" only when
// nothing is wrong but the amount of data. chaosstat's command line and
// its server read their inputs with it.
func ReadEach(reads ...func() error) error {
	var noData error
	for _, read := range reads {
		switch err := read(); {
		case err == nil:
		case !errors.Is(err, ErrTooLittleData):
			return err
		case noData == nil:
			noData = err
		}
	}
	return noData
}
