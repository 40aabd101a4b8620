// Package jobevent picks, among the audit-log events of BigQuery jobs an Eventarc trigger delivers, the
// completion of one stage's job for one deployment, as the filter and predict-start services need it.
package jobevent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/cloudlog"
)

// Want says which job a service acts on: a job of Stage that wrote Table_<date> in the scope's LTV dataset.
type Want struct {
	Scope services.Scope
	Stage string
	Table string
}

// Job is a finished job a service acts on.
type Job struct {
	events.JobDone
	Route events.Route
}

// Source is the ledger source finished jobs are recorded under (after the consuming service's name), so
// that the two audit-log formats of one job, or a job's events from two triggers, have one effect.
const Source = "//bigquery.googleapis.com/jobs"

// Key returns the ledger id of the job.
func (j Job) Key() string { return j.Job.Name() }

// Pick decodes an audit-log event and returns the job when it is the completion of the wanted stage's job
// for the scope's deployment. Other events (another method's entry, a job not done yet, a job whose id is not
// one of the stage's jobs of the deployment, a job without pltv's labels, another deployment's, another
// stage's, another table's) return ok false and are logged at debug level. An event that does not decode, or whose date label is not a date, is a permanent error.
// The returned context carries the run date for the log lines written under it.
func Pick(ctx context.Context, log *slog.Logger, e event.Event, w Want) (context.Context, Job, bool, error) {
	j, err := events.DecodeJobDone(e)
	if err != nil {
		return ctx, Job{}, false, err
	}
	ignore := func(reason string, args ...any) (context.Context, Job, bool, error) {
		log.DebugContext(ctx, "event ignored", append([]any{"reason", reason, "job", j.Job.Name()}, args...)...)
		return ctx, Job{}, false, nil
	}
	if !j.Finished() {
		return ignore("not a job completion", "event", j.Event, "state", string(j.State))
	}
	if !w.Scope.OwnsJob(j.Job.ID, w.Stage) {
		return ignore("not a " + w.Stage + " job of this deployment")
	}
	r, err := events.RouteOf(j.Labels)
	switch {
	case errors.Is(err, events.ErrNoLabel):
		return ignore("not a pltv job: " + err.Error())
	case err != nil:
		return ctx, Job{}, false, fmt.Errorf("job %s: %w", j.Job.Name(), err)
	}
	ctx = cloudlog.WithDate(ctx, r.Date)
	switch {
	case r.Deployment != w.Scope.Deployment:
		return ignore("another deployment's job", "deployment", r.Deployment)
	case r.Stage != w.Stage:
		return ignore("another stage's job", "stage", r.Stage)
	case !w.Scope.OwnsShard(j.Destination, w.Table, r.Date):
		return ignore("another table", "table", j.Destination.String())
	}
	return ctx, Job{JobDone: j, Route: r}, true, nil
}
