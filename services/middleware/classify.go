package middleware

import (
	"context"
	"log/slog"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/services"
)

// Classify acknowledges an event whose handler failed with an error no retry can fix
// (services.IsPermanent): it logs the reason and answers nil (2xx), so that the event is not delivered
// again. Other errors pass through, to be retried.
func Classify(log *slog.Logger) services.Middleware {
	return func(next services.Handler) services.Handler {
		return func(ctx context.Context, e event.Event) error {
			err := next(ctx, e)
			if err != nil && services.IsPermanent(err) {
				log.WarnContext(ctx, "event cannot be processed, acknowledged", "reason", err.Error())
				return nil
			}
			return err
		}
	}
}
