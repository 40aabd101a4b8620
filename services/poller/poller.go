// Package poller is the task poller, the HTTP function "poller" Cloud Scheduler calls on
// LONG_RUNNING_TASKS_POLLER_CONFIG. On every tick it claims up to MAX_TASKS_PER_POLL due tasks of the
// long_running_tasks queue (throttled prepares and workflow starts, each due DELAY_*_IN_SECONDS after it was
// queued) and runs them, sends the tasks discarded for their age (DISCARD_TASKS_OLDER_THAN_HOURS) to their
// error path, and runs the sweepers: the release of filters still waiting for a prepare, the safety net of
// the notification the prepare service sends.
package poller

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/cloudlog"
	"github.com/pltv/pltv/services/internal/httpjson"
	"github.com/pltv/pltv/services/internal/tasks"
	"github.com/pltv/pltv/tracking"
)

// Queue is the task queue. *tracking.Tracker implements it.
type Queue interface {
	Poll(ctx context.Context, max int) (tracking.PollResult, error)
	Complete(ctx context.Context, t tracking.Task) error
	Fail(ctx context.Context, t tracking.Task, reason string) error
	Postpone(ctx context.Context, t tracking.Task, delay time.Duration) error
}

// Kind is how the tasks of one kind run.
type Kind struct {
	Runner tasks.Runner
	// Retry is the wait before a task that failed with an error a retry may fix is due again; it doubles
	// with every attempt, up to an hour. 0: the next poll.
	Retry time.Duration
}

// Sweeper does periodic work besides the queue; the filter service's Release is one.
type Sweeper interface {
	Release(ctx context.Context) ([]string, error)
}

// Config wires a Service.
type Config struct {
	Queue    Queue
	Kinds    map[string]Kind
	Sweepers []Sweeper
	Max      int // MAX_TASKS_PER_POLL; 0: the tracker's default
	Log      *slog.Logger
}

// Service is the task poller.
type Service struct{ c Config }

// New returns the task poller.
func New(c Config) (*Service, error) {
	if c.Queue == nil || c.Log == nil {
		return nil, errors.New("poller: Queue and Log are required")
	}
	return &Service{c: c}, nil
}

// Report is what one tick did.
type Report struct {
	Claimed   int      `json:"claimed"`
	Done      int      `json:"done"`
	Failed    int      `json:"failed"`
	Postponed int      `json:"postponed"`
	Expired   int      `json:"expired"`
	Released  []string `json:"released"`
}

// ServeHTTP is the HTTP function: any request is a tick; its body is not read.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rep, err := s.Tick(r.Context())
	if err != nil {
		httpjson.Error(w, r, s.c.Log, err)
		return
	}
	httpjson.Write(w, http.StatusOK, rep)
}

// Tick polls the queue once, runs the claimed tasks concurrently, expires the old ones and runs the
// sweepers. Failures of single tasks are recorded in the queue and logged; the error says what kept the tick
// itself from finishing.
func (s *Service) Tick(ctx context.Context) (Report, error) {
	res, err := s.c.Queue.Poll(ctx, s.c.Max)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Claimed: len(res.Claimed), Expired: len(res.Expired), Released: []string{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var errs []error
	for _, t := range res.Claimed {
		wg.Go(func() {
			outcome, err := s.run(ctx, t)
			mu.Lock()
			defer mu.Unlock()
			switch outcome {
			case services.Done:
				rep.Done++
			case services.Failed:
				rep.Failed++
			case services.Queued:
				rep.Postponed++
			}
			if err != nil {
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	for _, t := range res.Expired {
		if err := s.expire(ctx, t); err != nil {
			errs = append(errs, err)
		}
	}
	for _, sw := range s.c.Sweepers {
		released, err := sw.Release(ctx)
		rep.Released = append(rep.Released, released...)
		if err != nil {
			s.c.Log.ErrorContext(ctx, "sweep", "error", err.Error())
		}
	}
	return rep, errors.Join(errs...)
}

// run runs one claimed task and finishes it in the queue: done, failed, or postponed (Queued).
func (s *Service) run(ctx context.Context, t tracking.Task) (services.Outcome, error) {
	if t.Date != "" {
		ctx = cloudlog.WithDate(ctx, t.Date)
	}
	k, ok := s.c.Kinds[t.Kind]
	if !ok {
		reason := fmt.Sprintf("no runner for tasks of kind %q", t.Kind)
		s.c.Log.ErrorContext(ctx, "task failed", "task", t.ID, "reason", reason)
		return services.Failed, s.c.Queue.Fail(ctx, t, reason)
	}
	err := k.Runner.RunTask(ctx, t)
	switch {
	case err == nil:
		s.c.Log.InfoContext(ctx, "task done", "task", t.ID, "kind", t.Kind)
		return services.Done, s.c.Queue.Complete(ctx, t)
	case services.IsPermanent(err):
		s.c.Log.ErrorContext(ctx, "task failed", "task", t.ID, "kind", t.Kind, "error", err.Error())
		return services.Failed, s.c.Queue.Fail(ctx, t, err.Error())
	}
	delay := backoff(k.Retry, t.Attempts)
	s.c.Log.WarnContext(ctx, "task postponed", "task", t.ID, "kind", t.Kind, "error", err.Error(), "delay", delay.String())
	return services.Queued, s.c.Queue.Postpone(ctx, t, delay)
}

// expire sends a task discarded for its age to its kind's error path.
func (s *Service) expire(ctx context.Context, t tracking.Task) error {
	if t.Date != "" {
		ctx = cloudlog.WithDate(ctx, t.Date)
	}
	k, ok := s.c.Kinds[t.Kind]
	if !ok {
		s.c.Log.ErrorContext(ctx, "task expired", "task", t.ID, "kind", t.Kind, "reason", t.Error)
		return nil
	}
	if err := k.Runner.ExpireTask(ctx, t); err != nil {
		return fmt.Errorf("expire task %s: %w", t.ID, err)
	}
	return nil
}

// backoff doubles base with every attempt after the first, up to an hour.
func backoff(base time.Duration, attempts int) time.Duration {
	d := base
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}
