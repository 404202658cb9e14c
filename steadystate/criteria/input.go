package criteria

import (
	"fmt"

	"github.com/chaosstat/chaosstat/series"
)

// CheckInput returns an error when s, named name, holds values without
// timestamps: the criteria align series in time. A series without values
// is left to EvaluateAll (too little data). The command and the server
// check the satisfaction series and each candidate with it.
func CheckInput(name string, s series.Series) error {
	if len(s.V) > 0 && len(s.T) == 0 {
		return fmt.Errorf("%s has a single value column; the criteria need \"timestamp,value\"", name)
	}
	return nil
}
