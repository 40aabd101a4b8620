package services

import (
	"errors"
	"fmt"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// ErrPermanent is matched (errors.Is) by errors no retry can fix: the event is acknowledged and the reason
// logged.
var ErrPermanent = errors.New("cannot be processed")

// permanentError marks an error as one no retry can fix.
type permanentError struct{ err error }

func (e permanentError) Error() string        { return e.err.Error() }
func (e permanentError) Unwrap() error        { return e.err }
func (e permanentError) Is(target error) bool { return target == ErrPermanent }

// Permanent marks err as one that no retry can fix. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// Permanentf is Permanent(fmt.Errorf(format, args...)).
func Permanentf(format string, args ...any) error { return Permanent(fmt.Errorf(format, args...)) }

// IsPermanent reports whether a retry cannot fix err: it is marked Permanent, or it is an event that does
// not decode (events.ErrMalformed), SQL the warehouse refuses, a construct the embedded warehouse does not
// support, or a date without a model in the metadata table (pipeline.ErrNoModel: a model must be trained
// and the date run again). Every other error is taken for transient.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	var sqlErr *warehouse.SQLError
	var unsupported *warehouse.UnsupportedError
	return errors.Is(err, ErrPermanent) || errors.Is(err, events.ErrMalformed) || errors.Is(err, pipeline.ErrNoModel) ||
		errors.As(err, &sqlErr) || errors.As(err, &unsupported)
}
