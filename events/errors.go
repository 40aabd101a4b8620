package events

import (
	"errors"
	"fmt"
	"strings"
)

// ErrMalformed is matched (errors.Is) by every decoding error: the event can never be processed, so a
// service answers 2xx, logs the reason and lets the event go instead of having it retried.
var ErrMalformed = errors.New("malformed event")

// ErrNoLabel is returned (wrapped) when a job lacks one of the pipeline labels: the job was not started by
// pltv, and the event is not for us. It does not match ErrMalformed.
var ErrNoLabel = errors.New("label missing")

// DecodeError says what is wrong with an event and where. ID and Type name the CloudEvent (empty when raw
// JSON was decoded); Field is the JSON path of the offending field in the event data, or the attribute.
type DecodeError struct {
	ID    string
	Type  string
	Field string
	Err   error
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("malformed event")
	if e.ID != "" || e.Type != "" {
		fmt.Fprintf(&b, " id=%q type=%q", e.ID, e.Type)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": field %s", e.Field)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

// Is reports that every DecodeError is an ErrMalformed.
func (e *DecodeError) Is(target error) bool { return target == ErrMalformed }

func (e *DecodeError) Unwrap() error { return e.Err }

// malformed returns a DecodeError for field.
func malformed(field, format string, args ...any) *DecodeError {
	return &DecodeError{Field: field, Err: fmt.Errorf(format, args...)}
}

// withEvent names the event in a decoding error.
func withEvent(err error, id, typ string) error {
	var de *DecodeError
	if errors.As(err, &de) {
		c := *de
		c.ID, c.Type = id, typ
		return &c
	}
	return &DecodeError{ID: id, Type: typ, Err: err}
}
