package middleware

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/services"
)

// Ledger remembers the events already processed. *tracking.Tracker implements it.
type Ledger = services.Ledger

// Dedupe drops the redeliveries of an event (same source and id, which is what a CloudEvent's duplicates
// share) that the consumer handled already or is handling. Each consumer (service) has its own record, as
// each Eventarc trigger has its own subscription: an event two services receive is new to each. When the
// handler fails with an error a retry may fix, the event is forgotten, so that its redelivery runs. A
// ledger that cannot be reached is an error to retry.
func Dedupe(ledger Ledger, log *slog.Logger, consumer string) services.Middleware {
	return func(next services.Handler) services.Handler {
		return func(ctx context.Context, e event.Event) error {
			source := consumer + " " + e.Source()
			first, err := ledger.FirstSeen(ctx, source, e.ID())
			if err != nil {
				return fmt.Errorf("de-duplicate event: %w", err)
			}
			if !first {
				log.DebugContext(ctx, "duplicate event dropped", "source", e.Source())
				return nil
			}
			err = next(ctx, e)
			if err != nil && !services.IsPermanent(err) {
				if ferr := ledger.ForgetEvent(context.WithoutCancel(ctx), source, e.ID()); ferr != nil {
					log.WarnContext(ctx, "forget failed event", "error", ferr)
				}
			}
			return err
		}
	}
}
