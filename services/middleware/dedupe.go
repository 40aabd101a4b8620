package middleware

import (
	"context"
	"errors"
	"log/slog"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/tracking"
)

// Ledger remembers the events already processed. *tracking.Tracker implements it.
type Ledger = services.Ledger

// Dedupe drops the redeliveries of an event (same source and id, which is what a CloudEvent's duplicates
// share) that the consumer handled already. Each consumer (service) has its own record, as each Eventarc
// trigger has its own subscription: an event two services receive is new to each. The event is leased while
// the handler runs: a redelivery meanwhile is answered with an error, so that it comes back later and runs if
// the handler's process died. When the handler fails with an error a retry may fix, the event is forgotten,
// so that its redelivery runs. A ledger that cannot be reached is an error to retry.
func Dedupe(ledger Ledger, log *slog.Logger, consumer string) services.Middleware {
	return func(next services.Handler) services.Handler {
		return func(ctx context.Context, e event.Event) error {
			ran := false
			_, err := services.Once(ctx, ledger, consumer+" "+e.Source(), e.ID(), func() error {
				ran = true
				return next(ctx, e)
			})
			switch {
			case errors.Is(err, tracking.ErrEventHeld):
				log.DebugContext(ctx, "event being handled by another delivery, to be delivered again", "source", e.Source())
			case !ran && err == nil:
				log.DebugContext(ctx, "duplicate event dropped", "source", e.Source())
			}
			return err
		}
	}
}
