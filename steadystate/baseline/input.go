package baseline

import (
	"errors"
	"fmt"
	"strings"
	"time"

	// The time zone database is built in, so LoadLocation works the same on
	// a machine (or container) without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/chaosstat/chaosstat/series"
)

// LoadLocation returns the IANA time zone name, for Options.Location. The
// machine's local zone ("" or "Local") is refused: results would depend on
// where chaosstat runs. The command's --timezone and the server's timezone
// key share it.
func LoadLocation(name string) (*time.Location, error) {
	if name == "" || strings.EqualFold(name, "local") {
		return nil, errors.New("want an IANA time zone name, such as Europe/Berlin (the machine's local zone is not allowed: results would depend on where chaosstat runs)")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q: want an IANA name such as Asia/Tokyo or America/New_York", name)
	}
	return loc, nil
}

// CheckInput returns an error when s, named name, holds values without
// timestamps: a baseline compares times of the week. A series without
// values is left to Judge (too little data).
func CheckInput(name string, s series.Series) error {
	if len(s.V) > 0 && len(s.T) == 0 {
		return fmt.Errorf("%s: has no timestamps (a single value column); a baseline needs a \"timestamp,value\" header", name)
	}
	return nil
}
