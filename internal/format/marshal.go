package format

import (
	"bytes"
	"encoding/json"
	"time"
)

// Marshal returns the JSON encoding of v without escaping HTML, for the
// MarshalJSON methods of reports: json.Marshal would write a reason's "<"
// as \u003c, which WriteJSON, re-encoding the method's bytes, keeps.
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Duration is a time.Duration written in JSON as a Go duration string
// ("30m0s"), or null when zero: a window length not chosen.
type Duration time.Duration

// MarshalJSON writes d as time.Duration.String does, or null when zero.
func (d Duration) MarshalJSON() ([]byte, error) {
	if d == 0 {
		return []byte("null"), nil
	}
	return json.Marshal(time.Duration(d).String())
}
