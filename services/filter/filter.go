package filter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/cloudlog"
	"github.com/pltv/pltv/services/internal/barrier"
	"github.com/pltv/pltv/services/internal/jobevent"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/warehouse"
)

// Prepares is the barrier query of the tracking port. *tracking.Tracker implements it.
type Prepares interface {
	PendingPrepares(ctx context.Context, upTo string) ([]string, []tracking.Problem, error)
}

// Service is the filter service.
type Service struct {
	scope    services.Scope
	filter   pipeline.StageFunc
	prepares Prepares
	ledger   services.Ledger
	waiting  *barrier.Waiting
	expire   time.Duration
	progress services.Progress
	log      *slog.Logger
	now      func() time.Time
}

// Config wires a Service.
type Config struct {
	Scope    services.Scope
	Filter   pipeline.StageFunc // (*pipeline.Pipeline).Filter
	Tracker  *tracking.Tracker  // the barrier query, the job ledger and the waiting set
	Prepares Prepares           // the barrier query; Tracker when nil
	// Expire drops a date that waited longer (DISCARD_TASKS_OLDER_THAN_HOURS), reported as failed.
	Expire   time.Duration
	Progress services.Progress // nil: none
	Log      *slog.Logger
	Now      func() time.Time // time.Now when nil
}

// New returns the filter service.
func New(c Config) (*Service, error) {
	if c.Filter == nil || c.Tracker == nil || c.Log == nil {
		return nil, errors.New("filter service: Filter, Tracker and Log are required")
	}
	if c.Prepares == nil {
		c.Prepares = c.Tracker
	}
	if c.Progress == nil {
		c.Progress = services.NoProgress{}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Expire <= 0 {
		c.Expire = 24 * time.Hour
	}
	return &Service{
		scope: c.Scope, filter: c.Filter, prepares: c.Prepares, ledger: c.Tracker,
		waiting: barrier.New(c.Tracker, c.Now), expire: c.Expire, progress: c.Progress, log: c.Log, now: c.Now,
	}, nil
}

// Handle is the CloudEvent function: the audit-log event of a finished job.
func (s *Service) Handle(ctx context.Context, e event.Event) error {
	ctx, job, ok, err := jobevent.Pick(ctx, s.log, e, jobevent.Want{
		Scope: s.scope, Stage: pipeline.StagePrepare, Table: pipeline.PreparedDailyTransactions,
	})
	if err != nil || !ok {
		return err
	}
	date := job.Route.Date
	if !job.Succeeded() {
		s.log.InfoContext(ctx, "prepare job failed, nothing to filter", "job", job.Job.Name(), "error", job.Err.Error())
		return nil
	}
	// The jobs the filter starts for this event are named after the prepare job, so that a retry of the event
	// waits for the filter job it started instead of starting another.
	_, err = services.Once(ctx, s.ledger, "filter "+jobevent.Source, job.Key(), func() error {
		return s.filterOrWait(warehouse.WithAttempt(ctx, job.Key()), date)
	})
	return err
}

// filterOrWait runs the filter of date unless a prepare holds it back, in which case date waits. The
// completion event proves date's own prepare done, even if the prepare service has not recorded it yet.
func (s *Service) filterOrWait(ctx context.Context, date string) error {
	blockers, err := s.blockers(ctx, date)
	if err != nil {
		return err
	}
	if len(blockers) == 0 {
		return s.run(ctx, date)
	}
	if err := s.waiting.Add(ctx, date); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "filter waits for earlier prepares", "stage", pipeline.StageFilter, "pending", blockers)
	s.progress.Report(ctx, services.Step{Date: date, Stage: pipeline.StageFilter, Outcome: services.Waiting,
		Reason: fmt.Sprintf("prepares pending: %v", blockers)})
	// A blocker may have finished, and released nothing, between the query and the wait being recorded.
	_, err = s.release(ctx, date)
	return err
}

// blockers returns the pending prepares that hold the filter of date, date itself left out.
func (s *Service) blockers(ctx context.Context, date string) ([]string, error) {
	pending, _, err := s.prepares.PendingPrepares(ctx, date)
	if err != nil {
		return nil, fmt.Errorf("filter %s: barrier: %w", date, err)
	}
	return slices.DeleteFunc(pipeline.WaitingOn(pending, date), func(d string) bool { return d == date }), nil
}

// run filters one date and reports the outcome.
func (s *Service) run(ctx context.Context, date string) error {
	res, err := s.filter(ctx, date)
	switch {
	case err != nil:
		if services.IsPermanent(err) {
			s.progress.Report(ctx, services.Step{Date: date, Stage: pipeline.StageFilter, Outcome: services.Failed, Reason: err.Error()})
		}
		return fmt.Errorf("filter %s: %w", date, err)
	case res.Skipped != "":
		s.progress.Report(ctx, services.Step{Date: date, Stage: pipeline.StageFilter, Outcome: services.Skipped, Reason: res.Skipped})
	default:
		s.progress.Report(ctx, services.Step{Date: date, Stage: pipeline.StageFilter, Outcome: services.Done})
	}
	return nil
}

// withDate returns ctx carrying date for the log lines.
func withDate(ctx context.Context, date string) context.Context { return cloudlog.WithDate(ctx, date) }
