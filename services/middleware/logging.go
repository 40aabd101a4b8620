package middleware

import (
	"context"
	"log/slog"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/cloudlog"
)

// Logging puts the event's trace (its traceparent extension) and identity in the context, so that every line
// the handler writes carries them, and logs the answer: an error, which has the event delivered again, at
// error level; success at debug level.
func Logging(log *slog.Logger) services.Middleware {
	return func(next services.Handler) services.Handler {
		return func(ctx context.Context, e event.Event) error {
			trace, span := cloudlog.FromEvent(e)
			ctx = cloudlog.NewRequest(cloudlog.WithTrace(ctx, trace, span))
			ctx = cloudlog.With(ctx, slog.String("event_id", e.ID()), slog.String("event_type", e.Type()))
			start := time.Now()
			err := next(ctx, e)
			if err != nil {
				log.ErrorContext(ctx, "event failed, to be delivered again", "error", err.Error(), "elapsed", time.Since(start).String())
				return err
			}
			log.DebugContext(ctx, "event handled", "elapsed", time.Since(start).String())
			return nil
		}
	}
}
