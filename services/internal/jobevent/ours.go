package jobevent

import (
	"context"
	"log/slog"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/warehouse"
)

// Ours is the outermost middleware of a service triggered by the audit log of a stage's jobs. Eventarc's
// audit-log triggers filter only on serviceName, methodName and resourceName, so a trigger without a path
// pattern delivers the entries of every BigQuery job of the project, and even one with it delivers a job's
// every entry. Ours acknowledges, with one debug line and before anything is recorded (the de-duplication
// ledger included), every event whose resource is not one of the stage's jobs of the scope's deployment,
// which it tells from the job id's prefix (warehouse.StageJobPrefix) in the event's resourcename attribute,
// or, for an event without one, in the entry's body. An event whose body does not decode passes on, for
// the handler to refuse.
func Ours(log *slog.Logger, scope services.Scope, stage string) services.Middleware {
	return func(next services.Handler) services.Handler {
		return func(ctx context.Context, e event.Event) error {
			resource, _ := e.Extensions()[events.ExtResourceName].(string)
			if resource == "" {
				j, err := events.DecodeJobDone(e)
				if err != nil {
					return next(ctx, e)
				}
				resource = j.Job.Name()
			}
			if id, ok := warehouse.JobIDOfResource(resource); !ok || !scope.OwnsJob(id, stage) {
				log.DebugContext(ctx, "event ignored", "reason", "not a "+stage+" job of this deployment",
					"resource", resource, "event_id", e.ID())
				return nil
			}
			return next(ctx, e)
		}
	}
}
