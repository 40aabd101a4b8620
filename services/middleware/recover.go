package middleware

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/services"
)

// Recover turns a panic of the handler into an error, logged with its stack. The error is not permanent:
// functions-framework answers 500 to a panic too, and Eventarc redelivers.
func Recover(log *slog.Logger) services.Middleware {
	return func(next services.Handler) services.Handler {
		return func(ctx context.Context, e event.Event) (err error) {
			defer func() {
				if p := recover(); p != nil {
					log.ErrorContext(ctx, "handler panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
					err = fmt.Errorf("handler panicked: %v", p)
				}
			}()
			return next(ctx, e)
		}
	}
}
