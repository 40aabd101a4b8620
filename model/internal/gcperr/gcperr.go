// Package gcperr sorts the errors of Google Cloud client libraries into the model port's classes: the
// ones a retry may fix (RESOURCE_EXHAUSTED, UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, and HTTP 429 and 503
// from REST transports) and the rest.
package gcperr

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pltv/pltv/model"
)

// Code returns the gRPC code of err, or codes.OK for nil and codes.Unknown when err carries none.
func Code(err error) codes.Code {
	if err == nil {
		return codes.OK
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return codes.DeadlineExceeded
	}
	if errors.Is(err, context.Canceled) {
		return codes.Canceled
	}
	if s, ok := status.FromError(err); ok {
		return s.Code()
	}
	if h, ok := errors.AsType[httpCoder](err); ok {
		switch h.HTTPCode() {
		case 429:
			return codes.ResourceExhausted
		case 503:
			return codes.Unavailable
		case 504:
			return codes.DeadlineExceeded
		case 409:
			return codes.Aborted
		}
	}
	return codes.Unknown
}

// IsRetryableCode reports whether a call that failed with code may succeed when made again.
func IsRetryableCode(c codes.Code) bool {
	switch c {
	case codes.ResourceExhausted, codes.Unavailable, codes.DeadlineExceeded, codes.Aborted:
		return true
	}
	return false
}

// Wrap names the operation and marks retryable failures with model.Retryable. It returns nil for nil.
func Wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	err = fmt.Errorf("%s: %w", op, err)
	if IsRetryableCode(Code(err)) {
		return model.Retryable(err)
	}
	return err
}

// httpCoder is how googleapi and apierror errors of REST transports report their HTTP status.
type httpCoder interface {
	error
	HTTPCode() int
}
