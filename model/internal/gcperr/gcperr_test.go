package gcperr_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/gcperr"
)

type httpErr int

func (e httpErr) Error() string { return fmt.Sprintf("HTTP %d", int(e)) }
func (e httpErr) HTTPCode() int { return int(e) }

func TestWrap(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		retryable bool
		code      codes.Code
	}{
		{"resource exhausted", status.Error(codes.ResourceExhausted, "quota"), true, codes.ResourceExhausted},
		{"unavailable", status.Error(codes.Unavailable, "down"), true, codes.Unavailable},
		{"deadline exceeded", status.Error(codes.DeadlineExceeded, "slow"), true, codes.DeadlineExceeded},
		{"aborted", status.Error(codes.Aborted, "conflict"), true, codes.Aborted},
		{"context deadline", fmt.Errorf("call: %w", context.DeadlineExceeded), true, codes.DeadlineExceeded},
		{"http 429", httpErr(429), true, codes.ResourceExhausted},
		{"http 503", httpErr(503), true, codes.Unavailable},
		{"http 500", httpErr(500), false, codes.Unknown},
		{"invalid argument", status.Error(codes.InvalidArgument, "bad"), false, codes.InvalidArgument},
		{"not found", status.Error(codes.NotFound, "gone"), false, codes.NotFound},
		{"internal", status.Error(codes.Internal, "oops"), false, codes.Internal},
		{"plain", errors.New("plain"), false, codes.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := gcperr.Wrap("predict", tt.err)
			if got := model.IsRetryable(err); got != tt.retryable {
				t.Errorf("IsRetryable(%v) = %v, want %v", err, got, tt.retryable)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("Wrap lost the cause: %v", err)
			}
			if got := gcperr.Code(err); got != tt.code {
				t.Errorf("Code() = %v after wrapping, want %v", got, tt.code)
			}
		})
	}
	if gcperr.Wrap("x", nil) != nil {
		t.Error("Wrap(nil) != nil")
	}
}
