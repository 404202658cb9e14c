package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"

	"github.com/chaosstat/chaosstat/series"
)

// Error is an error of a request: its HTTP status, the request's key at
// fault ("" when not one key's) and the message. The analyses return it
// for input they refuse; errors of the library map to 400 (an input
// error, exit 2 on the command line) or 422 (no data or too little,
// errors.Is(err, series.ErrTooLittleData), exit 3).
type Error struct {
	Status int
	Field  string
	Err    error
}

func (e *Error) Error() string {
	if e.Field == "" {
		return e.Err.Error()
	}
	return e.Field + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// fieldError returns err about field with the status its kind gives.
func fieldError(field string, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Status: statusOf(err), Field: field, Err: err}
}

// badRequest is a 400 about field.
func badRequest(field, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Field: field, Err: fmt.Errorf(format, args...)}
}

// optionError is a library's *series.OptionError in err as a 400 about
// its option, whose key is the request's JSON key; any other error as
// fieldError.
func optionError(field string, err error) *Error {
	var oe *series.OptionError
	if errors.As(err, &oe) {
		return badRequest(oe.Option, "%v", oe)
	}
	return fieldError(field, err)
}

// statusOf maps a library error as cmd/chaosstat maps it to an exit code:
// too little data 422 (exit 3), anything else 400 (exit 2).
func statusOf(err error) int {
	if errors.Is(err, series.ErrTooLittleData) {
		return http.StatusUnprocessableEntity
	}
	return http.StatusBadRequest
}

// Decode reads one request of an analysis from r into req, a pointer to
// one of the request types: a single JSON object with only the type's
// keys. Its errors are *Error naming the key at fault: 400 for malformed
// JSON, a wrong type, an unknown key or bad inline data, 413 when r is an
// http.MaxBytesReader past its limit.
func Decode(r io.Reader, req any) error {
	body, err := io.ReadAll(r)
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return &Error{Status: http.StatusRequestEntityTooLarge, Err: fmt.Errorf("the body is larger than %d bytes, this server's limit", mb.Limit)}
		}
		return &Error{Status: http.StatusBadRequest, Err: fmt.Errorf("reading the body: %v", err)}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("", "empty body: want a JSON object")
	}
	err = strictUnmarshal(body, req)
	if err == nil {
		return nil
	}
	var (
		syn *json.SyntaxError
		te  *json.UnmarshalTypeError
		de  *dataError
	)
	switch {
	case errors.As(err, &syn):
		return badRequest("", "malformed JSON at byte %d: %v", syn.Offset, plainJSONError(err))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("", "malformed JSON: the body ends before the object does")
	case errors.As(err, &te) && te.Field != "":
		return badRequest(te.Field, "%s", plainJSONError(err))
	case errors.As(err, &te):
		return badRequest("", "want a JSON object, got %s", te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return badRequest(name, "unknown key %q; the keys are %s", name, strings.Join(keys(req), ", "))
	case errors.As(err, &de):
		return badRequest(faultyKey(body, req), "%s", de.msg)
	}
	return badRequest(faultyKey(body, req), "%s", plainJSONError(err))
}

// faultyKey finds the key whose value fails to decode on its own, for
// errors of a custom type's UnmarshalJSON, which encoding/json does not
// place.
func faultyKey(body []byte, req any) string {
	var raw map[string]json.RawMessage
	if json.Unmarshal(body, &raw) != nil {
		return ""
	}
	names := make([]string, 0, len(raw))
	for k := range raw {
		names = append(names, k)
	}
	sort.Strings(names)
	t := reflect.TypeOf(req).Elem()
	for _, k := range names {
		one, _ := json.Marshal(map[string]json.RawMessage{k: raw[k]})
		if json.Unmarshal(one, reflect.New(t).Interface()) != nil {
			return k
		}
	}
	return ""
}

// keys lists the JSON keys of the request type req points to.
func keys(req any) []string {
	var out []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case f.Anonymous && tag == "":
				walk(f.Type)
			case tag != "" && tag != "-":
				out = append(out, tag)
			}
		}
	}
	walk(reflect.TypeOf(req).Elem())
	return out
}
