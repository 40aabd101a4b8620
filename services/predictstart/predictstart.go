package predictstart

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/cloudlog"
	"github.com/pltv/pltv/services/internal/jobevent"
	"github.com/pltv/pltv/services/internal/tasks"
	"github.com/pltv/pltv/tracking"
)

// DefaultWorkflow is the workflow started for each date.
const DefaultWorkflow = "daily"

// Argument is the daily workflow's argument.
type Argument struct {
	Date string `json:"date"`
}

// Tracker is the ledger of finished jobs and the queue. *tracking.Tracker implements it.
type Tracker interface {
	services.Ledger
	tasks.Queue
}

// Config wires a Service.
type Config struct {
	Scope      services.Scope
	Executions executions.Executions
	Workflow   string // DefaultWorkflow when empty
	Tracker    Tracker
	// Limit is how many executions of the workflow may be active before new starts queue
	// (MAX_TASKS_PER_POLL); 0: no limit.
	Limit int
	// Delay is how long a queued start waits at least (DELAY_PREDICT_TRANSACTIONS_IN_SECONDS).
	Delay    time.Duration
	Progress services.Progress // nil: none
	Log      *slog.Logger
}

// Service is the predict-start service.
type Service struct{ c Config }

var _ tasks.Runner = (*Service)(nil)

// New returns the predict-start service.
func New(c Config) (*Service, error) {
	if c.Executions == nil || c.Tracker == nil || c.Log == nil {
		return nil, errors.New("predict start service: Executions, Tracker and Log are required")
	}
	if c.Workflow == "" {
		c.Workflow = DefaultWorkflow
	}
	if c.Progress == nil {
		c.Progress = services.NoProgress{}
	}
	return &Service{c: c}, nil
}

// Handle is the CloudEvent function: the audit-log event of a finished job.
func (s *Service) Handle(ctx context.Context, e event.Event) error {
	ctx, job, ok, err := jobevent.Pick(ctx, s.c.Log, e, jobevent.Want{
		Scope: s.c.Scope, Stage: pipeline.StageFilter, Table: pipeline.NewCustomersTransactions,
	})
	if err != nil || !ok {
		return err
	}
	if !job.Succeeded() {
		s.c.Log.InfoContext(ctx, "filter job failed, nothing to predict", "job", job.Job.Name(), "error", job.Err.Error())
		return nil
	}
	_, err = services.Once(ctx, s.c.Tracker, "predictstart "+jobevent.Source, job.Key(), func() error {
		return s.startOrQueue(ctx, job.Route.Date, job.Job.Name())
	})
	return err
}

func (s *Service) startOrQueue(ctx context.Context, date, cause string) error {
	if s.c.Limit > 0 {
		active, err := s.active(ctx)
		if err != nil {
			return err
		}
		if active >= s.c.Limit {
			return s.queue(ctx, date, cause, active)
		}
	}
	return s.start(ctx, date)
}

// active counts the executions of the workflow still running.
func (s *Service) active(ctx context.Context) (int, error) {
	n, err := executions.CountActive(ctx, s.c.Executions, s.c.Workflow)
	if err != nil {
		return 0, fmt.Errorf("predict: throttle: %w", err)
	}
	return n, nil
}

func (s *Service) queue(ctx context.Context, date, cause string, active int) error {
	_, err := s.c.Tracker.Enqueue(ctx, tracking.TaskSpec{
		ID:      tasks.KindPredict + "_" + date + "_" + tracking.DocID(cause),
		Kind:    tasks.KindPredict,
		Date:    date,
		Payload: tasks.Payload{Date: date, Cause: cause}.Encode(),
		Delay:   s.c.Delay,
		OnError: tracking.Destination{Kind: tracking.ToService, Name: tasks.KindPredict},
	})
	if err != nil {
		return fmt.Errorf("predict %s: queue: %w", date, err)
	}
	reason := fmt.Sprintf("%d executions of %s active, limit %d", active, s.c.Workflow, s.c.Limit)
	s.c.Log.InfoContext(ctx, "workflow start queued", "stage", pipeline.StagePredict, "reason", reason, "delay", s.c.Delay.String())
	s.c.Progress.Report(ctx, services.Step{Date: date, Stage: pipeline.StagePredict, Outcome: services.Queued, Reason: reason})
	return nil
}

// start starts the workflow for date, unless an execution of it for date is in flight.
func (s *Service) start(ctx context.Context, date string) error {
	if x, ok, err := s.inFlight(ctx, date); err != nil || ok {
		if ok {
			s.c.Log.InfoContext(ctx, "workflow already predicting the date, not started again", "stage", pipeline.StagePredict,
				"workflow", s.c.Workflow, "execution", x.ID)
			s.c.Progress.Report(ctx, services.Step{Date: date, Stage: pipeline.StagePredict, Outcome: services.Started, Reason: x.ID})
		}
		return err
	}
	x, err := s.c.Executions.Start(ctx, s.c.Workflow, Argument{Date: date})
	if err != nil {
		return fmt.Errorf("predict %s: start %s: %w", date, s.c.Workflow, err)
	}
	s.c.Log.InfoContext(ctx, "workflow started", "stage", pipeline.StagePredict, "workflow", s.c.Workflow, "execution", x.ID)
	s.c.Progress.Report(ctx, services.Step{Date: date, Stage: pipeline.StagePredict, Outcome: services.Started, Reason: x.ID})
	return nil
}

// RunTask starts the workflow of a queued date.
func (s *Service) RunTask(ctx context.Context, t tracking.Task) error {
	p, err := tasks.DecodePayload(t)
	if err != nil {
		return services.Permanent(err)
	}
	return s.start(cloudlog.WithDate(ctx, p.Date), p.Date)
}

// ExpireTask gives up a start that waited too long in the queue.
func (s *Service) ExpireTask(ctx context.Context, t tracking.Task) error {
	p, err := tasks.DecodePayload(t)
	if err != nil {
		return services.Permanent(err)
	}
	ctx = cloudlog.WithDate(ctx, p.Date)
	reason := "queued workflow start expired: " + t.Error
	s.c.Log.ErrorContext(ctx, "workflow start expired", "stage", pipeline.StagePredict, "reason", reason)
	s.c.Progress.Report(ctx, services.Step{Date: p.Date, Stage: pipeline.StagePredict, Outcome: services.Failed, Reason: reason})
	return nil
}
