package prepare

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/cloudlog"
	"github.com/pltv/pltv/services/internal/tasks"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/warehouse"
)

// Tracker is what the service records: the prepare barrier, the ledger of transfer runs and the queue.
// *tracking.Tracker implements it.
type Tracker interface {
	services.Ledger
	tasks.Queue
	StartPrepare(ctx context.Context, date string) error
	FinishPrepare(ctx context.Context, date string, failure error) error
	PendingPrepares(ctx context.Context, upTo string) ([]string, []tracking.Problem, error)
}

// Releaser runs the filters that waited for a prepare. The filter service implements it.
type Releaser interface {
	Release(ctx context.Context) ([]string, error)
}

// Config wires a Service.
type Config struct {
	Scope    services.Scope
	Prepare  pipeline.StageFunc // (*pipeline.Pipeline).Prepare
	Tracker  Tracker
	Releaser Releaser // nil: waiting filters are left to the task poller
	// Limit is how many prepares may be pending before new ones queue (MAX_TASKS_PER_POLL); 0: no limit.
	Limit int
	// Delay is how long a queued prepare waits at least (DELAY_PREPARE_DAILY_IN_SECONDS).
	Delay    time.Duration
	Progress services.Progress // nil: none
	Log      *slog.Logger
}

// Service is the prepare service.
type Service struct{ c Config }

var _ tasks.Runner = (*Service)(nil)

// New returns the prepare service.
func New(c Config) (*Service, error) {
	if c.Prepare == nil || c.Tracker == nil || c.Log == nil {
		return nil, errors.New("prepare service: Prepare, Tracker and Log are required")
	}
	if c.Progress == nil {
		c.Progress = services.NoProgress{}
	}
	return &Service{c: c}, nil
}

// runSource is the ledger source of transfer runs: one run, one prepare, whatever the messages carrying it.
const runSource = "//bigquerydatatransfer.googleapis.com/runs"

// Handle is the CloudEvent function: a Pub/Sub message from the extract's notification topic.
func (s *Service) Handle(ctx context.Context, e event.Event) error {
	n, err := events.DecodeTransferRun(e)
	if err != nil {
		return err
	}
	run := n.Run
	date := run.RunDate()
	ctx = cloudlog.WithDate(ctx, date)
	table, err := run.DestinationTable()
	if err != nil {
		return fmt.Errorf("transfer run %s: %w", run.Name, err)
	}
	if !s.c.Scope.OwnsShard(table, pipeline.AllDailyTransactions, date) {
		s.c.Log.DebugContext(ctx, "event ignored", "reason", "another transfer's run", "table", table.String())
		return nil
	}
	if !run.Succeeded() {
		reason := fmt.Sprintf("extract run %s", run.State)
		if run.Err != nil {
			reason += ": " + run.Err.Error()
		}
		s.c.Log.WarnContext(ctx, "extract failed, nothing to prepare", "stage", pipeline.StageExtract, "run", run.Name, "reason", reason)
		s.c.Progress.Report(ctx, services.Step{Date: date, Stage: pipeline.StageExtract, Outcome: services.Failed, Reason: reason})
		return nil
	}
	_, err = services.Once(ctx, s.c.Tracker, runSource, run.Name, func() error {
		return s.prepareOrQueue(ctx, date, run.Name)
	})
	return err
}

// prepareOrQueue runs the prepare of date at once below the limit, and queues it above.
func (s *Service) prepareOrQueue(ctx context.Context, date, cause string) error {
	if s.c.Limit > 0 {
		pending, _, err := s.c.Tracker.PendingPrepares(ctx, "99991231")
		if err != nil {
			return fmt.Errorf("prepare %s: throttle: %w", date, err)
		}
		if len(pending) >= s.c.Limit {
			return s.queue(ctx, date, cause, len(pending))
		}
	}
	return s.run(warehouse.WithAttempt(ctx, cause), date)
}

// queue records the prepare of date as pending (the barrier holds from now on) and queues it.
func (s *Service) queue(ctx context.Context, date, cause string, pending int) error {
	if err := s.c.Tracker.StartPrepare(ctx, date); err != nil {
		return err
	}
	_, err := s.c.Tracker.Enqueue(ctx, tracking.TaskSpec{
		ID:      tasks.KindPrepare + "_" + date + "_" + path.Base(cause),
		Kind:    tasks.KindPrepare,
		Date:    date,
		Payload: tasks.Payload{Date: date, Cause: cause}.Encode(),
		Delay:   s.c.Delay,
		OnError: tracking.Destination{Kind: tracking.ToService, Name: tasks.KindPrepare},
	})
	if err != nil {
		return fmt.Errorf("prepare %s: queue: %w", date, err)
	}
	reason := fmt.Sprintf("%d prepares pending, limit %d", pending, s.c.Limit)
	s.c.Log.InfoContext(ctx, "prepare queued", "stage", pipeline.StagePrepare, "reason", reason, "delay", s.c.Delay.String())
	s.c.Progress.Report(ctx, services.Step{Date: date, Stage: pipeline.StagePrepare, Outcome: services.Queued, Reason: reason})
	return nil
}

// run prepares date between StartPrepare and FinishPrepare, then releases the filters waiting on it.
func (s *Service) run(ctx context.Context, date string) error {
	if err := s.c.Tracker.StartPrepare(ctx, date); err != nil {
		return err
	}
	res, err := s.c.Prepare(ctx, date)
	if ferr := s.c.Tracker.FinishPrepare(context.WithoutCancel(ctx), date, err); ferr != nil {
		return errors.Join(err, ferr)
	}
	s.release(ctx)
	step := services.Step{Date: date, Stage: pipeline.StagePrepare, Outcome: services.Done}
	switch {
	case err != nil:
		if !services.IsPermanent(err) {
			return err
		}
		step.Outcome, step.Reason = services.Failed, err.Error()
	case res.Skipped != "":
		step.Outcome, step.Reason = services.Skipped, res.Skipped
	}
	s.c.Progress.Report(ctx, step)
	return err
}

// release runs the filters the finished prepare held back. Their failures are theirs, not the prepare's:
// they are logged, and the waiting dates stay for the poller.
func (s *Service) release(ctx context.Context) {
	if s.c.Releaser == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	if _, err := s.c.Releaser.Release(ctx); err != nil {
		s.c.Log.ErrorContext(ctx, "release waiting filters", "error", err.Error())
	}
}

// RunTask runs a queued prepare.
func (s *Service) RunTask(ctx context.Context, t tracking.Task) error {
	p, err := tasks.DecodePayload(t)
	if err != nil {
		return services.Permanent(err)
	}
	// The queued prepare is an attempt of its own: the run that queued it started no job.
	return s.run(warehouse.WithAttempt(cloudlog.WithDate(ctx, p.Date), "task "+t.ID), p.Date)
}

// ExpireTask gives up a prepare that waited too long in the queue: it no longer holds the barrier, and the
// date is reported failed.
func (s *Service) ExpireTask(ctx context.Context, t tracking.Task) error {
	p, err := tasks.DecodePayload(t)
	if err != nil {
		return services.Permanent(err)
	}
	ctx = cloudlog.WithDate(ctx, p.Date)
	reason := "queued prepare expired: " + t.Error
	if err := s.c.Tracker.FinishPrepare(ctx, p.Date, errors.New(reason)); err != nil {
		return err
	}
	s.c.Log.ErrorContext(ctx, "prepare expired", "stage", pipeline.StagePrepare, "reason", reason)
	s.c.Progress.Report(ctx, services.Step{Date: p.Date, Stage: pipeline.StagePrepare, Outcome: services.Failed, Reason: reason})
	s.release(ctx)
	return nil
}
