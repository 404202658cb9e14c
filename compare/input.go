package compare

import (
	"fmt"
	"strconv"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// DefaultAAPlanned is the window length chaosstat aa and its HTTP endpoint
// assume the experiment will use when none is given: 30 minutes.
// AAOptions.Planned's zero value means the shortest candidate instead.
const DefaultAAPlanned = 30 * time.Minute

// CheckConfidence returns an error unless c is a confidence level in
// (0, 1). A level written as a percentage (95 for 0.95), the common
// mistake, gets a message that says so. The command's --confidence and the
// server's confidence key share it.
func CheckConfidence(c float64) error {
	switch {
	case c >= 50 && c < 100:
		return fmt.Errorf("out of range: the level is a fraction, %g rather than %s", c/100, strconv.FormatFloat(c, 'g', -1, 64))
	case !(c > 0 && c < 1):
		return fmt.Errorf("out of range: want a level in (0, 1), such as 0.95")
	}
	return nil
}

// CheckAAInput returns an error when s, named name, holds values but no
// timestamps: the A/A replay (RunAA) and the health check (RunHealth) cut
// time windows. A series without values is left to them (too little data).
func CheckAAInput(name string, s series.Series) error {
	if len(s.V) > 0 && len(s.T) == 0 {
		return fmt.Errorf(`%s has no timestamps: the A/A replay cuts time windows, so it needs a "timestamp,value" file`, name)
	}
	return nil
}
