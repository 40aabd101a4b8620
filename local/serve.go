package local

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/executions"
	execembedded "github.com/pltv/pltv/executions/embedded"
	"github.com/pltv/pltv/local/router"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/workflows"
	"github.com/pltv/pltv/workflows/engine"
)

// ServeOptions say how Serve runs the services. Zero values take the defaults.
type ServeOptions struct {
	// Addr is the loopback address to listen on; 127.0.0.1:0 (a free port) by default.
	Addr string
	// Jobs is the emitter the runtime's warehouse calls for each job (Options.JobHook or duckdb.WithJobHook);
	// Serve connects it to the router. Without it no job completes as far as the services can tell, and
	// nothing goes past prepare.
	Jobs *JobEvents
	// Tracker is the tracking port; nil: the runtime's.
	Tracker *tracking.Tracker
	// Models opens the models of the predict and model services; nil: the runtime's predictor's.
	Models pipeline.Models
	// Executions returns the executions port the daily workflow is started through, given the environment
	// the workflow reads (WorkflowEnv). nil: the embedded driver running the workflows in the local engine,
	// its records under the state directory.
	Executions func(env map[string]string) (executions.Executions, error)
	// WorkflowsDir, when set, is where the default executions driver reads the workflows (NAME.yaml);
	// otherwise it runs those built into pltv (package workflows).
	WorkflowsDir string
	// EngineClock is the local engine's clock (sys.sleep, sys.now); the system clock by default.
	EngineClock engine.Clock
	// Workflow is the name of the daily workflow; "daily" by default.
	Workflow string
	// Router configures the local Eventarc (retries, clock, faults).
	Router router.Options
	// Unavailable is the share of service requests answered 503 the first time (fault injection; see Faults).
	Unavailable float64
	// Schedule runs the local Cloud Scheduler: the task poller on LONG_RUNNING_TASKS_POLLER_CONFIG and the
	// model stopper on MODEL_STOPPER_POLLER_CONFIG (and the daily extract on
	// DATA_SOURCE_DAILY_TX_POLLER_CONFIG with ScheduleExtract).
	Schedule        bool
	ScheduleExtract bool
	Now             func() time.Time // time.Now by default
	// Sleep waits on the clock Now reads (the scheduler's waits between ticks); the wall clock by default.
	Sleep func(ctx context.Context, d time.Duration) error
	Log   *slog.Logger // the runtime's logger by default
}

// Server is the local runtime serving: every service on loopback, the router delivering events to them as
// Eventarc would, the scheduled extract, and optionally the scheduler.
type Server struct {
	URL        string // the base URL; each function is at URL/<name>
	Router     *router.Router
	App        *app.App
	Tracker    *tracking.Tracker
	Executions executions.Executions
	Progress   *Progress

	rt        *Runtime
	sleep     func(ctx context.Context, d time.Duration) error // on the runtime's clock
	extractor *Extractor
	http      *http.Server
	mux       *http.ServeMux
	stop      context.CancelFunc
	closers   []func() error
	jobs      *JobEvents
	done      chan struct{}
}

// Serve starts the services of a runtime on loopback and routes events to them. Close stops everything.
func Serve(ctx context.Context, rt *Runtime, opts ServeOptions) (_ *Server, err error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = engine.SystemClock{}.Sleep
	}
	if opts.Log == nil {
		opts.Log = rt.Log
	}
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.Router.Log == nil {
		opts.Router.Log = opts.Log
	}
	s := &Server{rt: rt, Progress: NewProgress(), jobs: opts.Jobs, done: make(chan struct{}), sleep: opts.Sleep}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if s.Tracker = opts.Tracker; s.Tracker == nil {
		s.Tracker = rt.Tracker
	}
	if s.Tracker == nil {
		return nil, errors.New("serve: the runtime has no tracker")
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	s.URL = "http://" + ln.Addr().String()
	dropped := opts.Router.Dropped
	opts.Router.Dropped = func(d router.Delivery) {
		s.dropped(d)
		if dropped != nil {
			dropped(d)
		}
	}
	s.Router = router.New(opts.Router)
	if opts.Jobs == nil {
		opts.Log.Warn("the warehouse emits no job events: no date goes past prepare")
	} else {
		opts.Jobs.Connect(s.Router)
	}
	s.extractor = NewExtractor(rt, s.Router, opts.Now)
	x, err := s.executions(opts)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s.Executions = x
	if s.App, err = app.New(app.Deps{Config: rt.Config, Pipeline: rt.Pipeline, Tracker: s.Tracker, Models: models(rt, opts),
		Executions: x, Extract: s.extractor, Workflow: opts.Workflow, Progress: s.Progress, Log: opts.Log, Now: opts.Now}); err != nil {
		ln.Close()
		return nil, err
	}
	s.mux = http.NewServeMux()
	functions := s.App.Handler()
	if opts.Unavailable > 0 { // the fault-injection suite's
		functions = newUnavailableOnce(functions, opts.Unavailable, opts.Router.Faults.Seed, opts.Log)
	}
	s.mux.Handle("/", functions)
	s.http = &http.Server{Handler: s.mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			opts.Log.Error("serve", "error", err.Error())
		}
	}()
	if err := s.addTriggers(); err != nil {
		return nil, err
	}
	sctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	s.stop = stop
	if opts.Schedule {
		go s.schedule(sctx, opts)
	}
	opts.Log.Info("serving", "url", s.URL, "functions", len(app.CloudEventFunctions)+len(app.HTTPFunctions))
	return s, nil
}

// Handle serves h at pattern beside the functions (an http.ServeMux pattern more specific than theirs, such
// as "/api/" or "GET /{$}").
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// FunctionURL returns the URL of a function.
func (s *Server) FunctionURL(name string) string { return s.URL + "/" + name }

// WorkflowEnv returns the environment the workflows read: the services' URLs and the settings the daily
// workflow sequences by.
func (s *Server) WorkflowEnv() map[string]string {
	env := s.rt.Config.WorkflowEnv()
	env["EXTRACT_URL"] = s.FunctionURL(app.FnExtract)
	env["PREDICT_URL"] = s.FunctionURL(app.FnPredict)
	env["MODEL_URL"] = s.FunctionURL(app.FnModel)
	return env
}

// addTriggers routes the events to the services as the deployment's Eventarc triggers do: the extract's
// notifications to prepare, the audit-log entries of the prepare jobs to filter and of the filter jobs to
// predictstart (a path pattern on the job's resource name, which names the deployment and the stage; the
// services check the labels). Only predictstart starts the daily workflow.
func (s *Server) addTriggers() error {
	names := namesOf(s.rt.Config)
	bq := map[string]string{"type": events.TypeAuditLogWritten, events.ExtServiceName: events.ServiceBigQuery,
		events.ExtMethodName: events.MethodInsertJob}
	project := LocalProject
	if s.jobs != nil {
		project = s.jobs.project
	}
	jobsOf := func(stage string) map[string]string {
		return map[string]string{events.ExtResourceName: warehouse.JobPathPattern(project, s.rt.Config.JobPrefix(), stage)}
	}
	for _, t := range []router.Trigger{
		{Name: app.FnPrepare, Destination: s.FunctionURL(app.FnPrepare),
			Filters: map[string]string{"type": events.TypeMessagePublished, "source": "//pubsub.googleapis.com/" + names.topic}},
		{Name: app.FnFilter, Destination: s.FunctionURL(app.FnFilter), Filters: bq, PathPatterns: jobsOf(pipeline.StagePrepare)},
		{Name: app.FnPredictStart, Destination: s.FunctionURL(app.FnPredictStart), Filters: bq, PathPatterns: jobsOf(pipeline.StageFilter)},
	} {
		if err := s.Router.Add(t); err != nil {
			return err
		}
	}
	return nil
}

// executions returns the executions port the daily workflow is started through.
func (s *Server) executions(opts ServeOptions) (executions.Executions, error) {
	env := s.WorkflowEnv()
	if opts.Executions != nil {
		return opts.Executions(env)
	}
	if s.rt.StateDir == "" {
		return nil, errors.New("serve: no state directory for the workflow executions")
	}
	source := func(_ context.Context, name string) ([]byte, error) { return workflows.Source(name) }
	if opts.WorkflowsDir != "" {
		source = execembedded.DirSource(opts.WorkflowsDir)
	}
	d, err := execembedded.New(execembedded.Options{StateDir: s.rt.StateDir, Source: source, Logger: opts.Log,
		Engine: func(string) engine.Options {
			return engine.Options{Env: env, Logger: opts.Log, Clock: opts.EngineClock}
		}})
	if err != nil {
		return nil, err
	}
	s.closers = append(s.closers, d.Close)
	return d, nil
}

func models(rt *Runtime, opts ServeOptions) pipeline.Models {
	if opts.Models != nil {
		return opts.Models
	}
	if rt.Pipeline.Predictor != nil {
		return rt.Pipeline.Predictor.Models
	}
	return nil
}

// dropped reports the date of an event the router gave up on as failed at the stage it was for.
func (s *Server) dropped(d router.Delivery) {
	date, ok := dateOf(d.Event)
	if !ok {
		return
	}
	reason := fmt.Sprintf("event %s to %s dropped after %d attempts: %v", d.Event.ID(), d.Trigger, d.Attempt, d.Err)
	s.Progress.Report(context.Background(), services.Step{Date: date, Stage: d.Trigger, Outcome: services.Failed, Reason: reason})
}

// Close stops the scheduler, the extract, the router (once the deliveries in flight are answered) and the
// services, in that order.
func (s *Server) Close() error {
	if s.stop != nil {
		s.stop()
	}
	if s.jobs != nil {
		s.jobs.Connect(nil)
	}
	var errs []error
	if s.extractor != nil {
		errs = append(errs, s.extractor.Close())
	}
	if s.Router != nil {
		errs = append(errs, s.Router.Close())
	}
	if s.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		errs = append(errs, s.http.Shutdown(ctx))
		<-s.done
	}
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	s.closers = nil
	return errors.Join(errs...)
}
