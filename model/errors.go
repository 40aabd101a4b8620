package model

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// RetryableError marks a failure that the same call may get past later: quota exhausted (HTTP 429,
// RESOURCE_EXHAUSTED), the service unavailable (503, UNAVAILABLE), DEADLINE_EXCEEDED or ABORTED. Drivers
// wrap such failures with Retryable; callers test with IsRetryable.
type RetryableError struct {
	Err error
}

func (e *RetryableError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying failure.
func (e *RetryableError) Unwrap() error { return e.Err }

// Retryable marks err as retryable. It returns nil for nil.
func Retryable(err error) error {
	if err == nil {
		return nil
	}
	return &RetryableError{Err: err}
}

// IsRetryable reports whether a retry of the call that returned err may succeed. Everything else is
// permanent: retrying the same input gives the same failure.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	if _, ok := errors.AsType[*RetryableError](err); ok {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrBusy)
}

// RowError is a row that can never be predicted: its values do not fit the schema, the model refused it,
// or the model answered for it with a prediction of the wrong shape. Row is the row's index in the
// Instances passed to Predict. A RowError is permanent.
type RowError struct {
	Row int
	Err error
}

func (e *RowError) Error() string { return fmt.Sprintf("row %d: %v", e.Row, e.Err) }

// Unwrap returns the reason.
func (e *RowError) Unwrap() error { return e.Err }

// RowErrorf returns a RowError for row with a formatted reason.
func RowErrorf(row int, format string, args ...any) *RowError {
	return &RowError{Row: row, Err: fmt.Errorf(format, args...)}
}

// JoinRowErrors returns the row errors as one error (nil when there are none), sorted by row so that
// errors.As finds the first failing row.
func JoinRowErrors(errs []*RowError) error {
	if len(errs) == 0 {
		return nil
	}
	sorted := slices.Clone(errs)
	slices.SortStableFunc(sorted, func(a, b *RowError) int { return a.Row - b.Row })
	all := make([]error, len(sorted))
	for i, e := range sorted {
		all[i] = e
	}
	return errors.Join(all...)
}

// FailedRows returns the indexes of the rows that err names through RowError values, in ascending order
// without duplicates. The caller can drop them and predict the rest.
func FailedRows(err error) []int {
	var rows []int
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
			return
		case *RowError:
			rows = append(rows, e.Row)
			return
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
		case interface{ Unwrap() error }:
			walk(e.Unwrap())
		}
	}
	walk(err)
	slices.Sort(rows)
	return slices.Compact(rows)
}
