package local

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// Publisher hands an event to the local Eventarc. *router.Router implements it.
type Publisher interface {
	Publish(ctx context.Context, e event.Event) (int, error)
}

// JobEvents turns the jobs of the embedded warehouse into the audit-log events Cloud Logging writes for
// BigQuery jobs: one InsertJob jobChange to DONE per job, failed ones included, with the job's labels and
// destination. Its Hook goes to duckdb.WithJobHook (OpenWarehouse does it); until it is connected to a
// Publisher (Connect), jobs pass unseen, as they do in the cloud without an Eventarc trigger.
type JobEvents struct {
	project  string
	location string
	log      *slog.Logger

	mu  sync.RWMutex
	pub Publisher
}

// NewJobEvents returns the emitter of a deployment's jobs; project and location name the jobs (a project is
// required in a job's name, so an empty one is LocalProject).
func NewJobEvents(project, location string, log *slog.Logger) *JobEvents {
	if project == "" {
		project = LocalProject
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &JobEvents{project: project, location: location, log: log}
}

// LocalProject names the project of local jobs and topics when the configuration has none.
const LocalProject = "pltv-local"

// Connect sends the events to pub from now on; nil stops them.
func (j *JobEvents) Connect(pub Publisher) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.pub = pub
}

// Hook is the duckdb.WithJobHook function: it publishes the job's completion event. It never blocks on the
// delivery: the warehouse calls it with the job's write lock held.
func (j *JobEvents) Hook(ctx context.Context, job duckdb.Job) {
	j.mu.RLock()
	pub := j.pub
	j.mu.RUnlock()
	if pub == nil {
		return
	}
	e, err := events.NewJobDoneEvent(j.jobDone(job))
	if err != nil {
		j.log.Warn("job event not built", "job", job.ID, "error", err.Error())
		return
	}
	if _, err := pub.Publish(context.WithoutCancel(ctx), e); err != nil {
		j.log.Warn("job event not published", "job", job.ID, "error", err.Error())
	}
}

// jobDone describes a finished job of the embedded warehouse as BigQuery's audit log does.
func (j *JobEvents) jobDone(job duckdb.Job) events.JobDone {
	d := events.JobDone{
		Job:         events.JobRef{Project: j.project, ID: job.ID, Location: j.location},
		Kind:        events.JobKind(job.Kind),
		State:       events.StateDone,
		Destination: job.Destination,
		Labels:      job.Labels,
		Principal:   "pltv@localhost",
		StartTime:   job.Started,
		EndTime:     job.Finished,
	}
	if job.Error != "" {
		d.Err = events.NewStatus(invalidArgument, job.Error)
	}
	return d
}

// OpenWarehouse opens the DuckDB file of a state directory (the one Open would open) with the job hook and
// opts (the deployment's duckdb.WithJobPrefix), for Options.WH of a runtime whose jobs the services must hear
// about.
func (j *JobEvents) OpenWarehouse(stateDir string, log *slog.Logger, opts ...duckdb.Option) (*duckdb.Warehouse, error) {
	if stateDir == "" {
		return nil, errors.New("open warehouse: no state directory")
	}
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return nil, fmt.Errorf("state directory: %w", err)
	}
	if log == nil {
		log = j.log
	}
	return duckdb.Open(filepath.Join(stateDir, WarehouseFile), append([]duckdb.Option{duckdb.WithLogger(log), duckdb.WithJobHook(j.Hook)}, opts...)...)
}

// invalidArgument is google.rpc.Code INVALID_ARGUMENT, what BigQuery reports for a query it refuses.
const invalidArgument = 3
