package local

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/executions"
	execembedded "github.com/pltv/pltv/executions/embedded"
	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/local/router"
	"github.com/pltv/pltv/warehouse/duckdb"
	"github.com/pltv/pltv/workflows"
	"github.com/pltv/pltv/workflows/engine"
)

// Embedded is the whole embedded runtime up: the runtime, its services on loopback behind the local Eventarc,
// and the workflow engine, all on one virtual clock.
type Embedded struct {
	*Runtime
	Server *Server
	// Clock is the virtual clock every part reads (DefaultSpeed times the wall clock), so that a 30-minute
	// idle wait or a 2-minute model deployment costs seconds, and the model stopper, the local model's
	// deployment and prediction tracking all see the time a workflow slept.
	Clock      *VirtualClock
	Executions *execembedded.Driver
	// Reconciled is what Start settled of the work that processes which died on this state left behind.
	Reconciled Reconciled

	borrowed bool
}

// StartOptions say how to start the embedded runtime.
type StartOptions struct {
	StateDir string
	Hooks    hooks.Hooks
	Log      *slog.Logger
	// Schedule runs the local Cloud Scheduler (task poller and model stopper) on the virtual clock: the task
	// poller releases the dates that throttling queued.
	Schedule        bool
	ScheduleExtract bool
	// Command names the command, for the refusal a second command on the state gets while it runs.
	Command string
	// Intend are the ranges of run dates the command sets out to compute, recorded in the state's journal as
	// soon as the state is locked (see JournalFile).
	Intend []DateRange
}

// Start opens the embedded runtime of cfg with its services. Close stops everything.
func Start(ctx context.Context, cfg config.Config, opts StartOptions) (_ *Embedded, err error) {
	if cfg.IsCloud() {
		return nil, errors.New("the embedded runtime runs with RUNTIME: local")
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	lock, err := LockState(opts.StateDir, opts.Command)
	if err != nil {
		return nil, err
	}
	for _, r := range opts.Intend {
		if err := lock.Intend(r.From, r.To); err != nil {
			lock.Unlock()
			return nil, err
		}
	}
	clock, err := OpenStateClock(opts.StateDir, DefaultSpeed)
	if err != nil {
		lock.Unlock()
		return nil, err
	}
	e := &Embedded{Clock: clock}
	since := clock.Now()
	jobs := NewJobEvents(cfg.BQLTVGCPProject, cfg.BQLTVGCPBroadRegion, opts.Log)
	wh, err := jobs.OpenWarehouse(opts.StateDir, opts.Log, duckdb.WithJobPrefix(cfg.JobPrefix()))
	if err != nil {
		clock.Close()
		lock.Unlock()
		return nil, err
	}
	e.Runtime, err = Open(ctx, cfg, Options{StateDir: opts.StateDir, Hooks: opts.Hooks, WH: wh, Log: opts.Log,
		Now: e.Clock.Now, ModelClock: e.Clock, Lock: lock})
	if err != nil {
		clock.Close()
		return nil, err
	}
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	if e.Reconciled, err = e.reconcileState(ctx, since); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	faults, err := FaultsFromEnv()
	if err != nil {
		return nil, err
	}
	e.Server, err = Serve(ctx, e.Runtime, ServeOptions{
		Router: router.Options{Faults: faults.Router}, Unavailable: faults.Unavailable,
		Jobs: jobs, Schedule: opts.Schedule, ScheduleExtract: opts.ScheduleExtract, Now: e.Clock.Now, Sleep: e.Clock.Sleep,
		Log: opts.Log,
		Executions: func(env map[string]string) (executions.Executions, error) {
			d, xerr := e.executions(env, opts.Log)
			e.Executions = d
			return d, xerr
		},
	})
	if err != nil {
		return nil, err
	}
	if err = e.reconcileRunning(ctx, &e.Reconciled); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	return e, nil
}

// executions is the embedded executions driver running the shipped workflows in the local engine on the
// virtual clock, with the services' URLs in their environment.
func (e *Embedded) executions(env map[string]string, log *slog.Logger) (*execembedded.Driver, error) {
	return e.ExecutionsOf(func(_ context.Context, name string) ([]byte, error) { return workflows.Source(name) }, env, log)
}

// ExecutionsOf returns an executions driver running the workflows of source like the services' own.
func (e *Embedded) ExecutionsOf(source execembedded.Source, env map[string]string, log *slog.Logger) (*execembedded.Driver, error) {
	return execembedded.New(execembedded.Options{
		StateDir: e.StateDir,
		Source:   source,
		Engine: func(string) engine.Options {
			return engine.Options{Env: env, Logger: log, Clock: e.Clock, ProjectID: e.Config.DefaultGCPProject,
				Location: e.Config.DefaultGCPRegion}
		},
		Logger: log,
	})
}

// Borrow returns the runtime for a caller that must not stop it (a command served by `pltv serve`): its
// Close does nothing.
func (e *Embedded) Borrow() *Embedded {
	b := *e
	b.borrowed = true
	return &b
}

// Close stops the services and closes the runtime.
func (e *Embedded) Close() error {
	if e.borrowed {
		return nil
	}
	var errs []error
	if e.Server != nil {
		errs = append(errs, e.Server.Close())
	}
	if e.Executions != nil {
		errs = append(errs, e.Executions.Close())
	}
	if e.Runtime != nil {
		errs = append(errs, e.Runtime.Close())
	}
	errs = append(errs, e.Clock.Close())
	return errors.Join(errs...)
}
