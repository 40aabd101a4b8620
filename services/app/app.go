package app

import (
	"errors"
	"github.com/pltv/pltv/services/internal/barrier"
	"log/slog"
	"net/http"
	"time"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/extract"
	"github.com/pltv/pltv/services/filter"
	"github.com/pltv/pltv/services/internal/jobevent"
	"github.com/pltv/pltv/services/internal/tasks"
	"github.com/pltv/pltv/services/middleware"
	"github.com/pltv/pltv/services/model"
	"github.com/pltv/pltv/services/poller"
	"github.com/pltv/pltv/services/predict"
	"github.com/pltv/pltv/services/predictstart"
	"github.com/pltv/pltv/services/prepare"
	"github.com/pltv/pltv/services/stopper"
	"github.com/pltv/pltv/tracking"
)

// The functions' names: the Cloud Functions entry points, and the paths the embedded runtime serves them at.
const (
	FnExtract      = "extract"
	FnPrepare      = "prepare"
	FnFilter       = "filter"
	FnPredictStart = "predictstart"
	FnPredict      = "predict"
	FnModel        = "model"
	FnPoller       = "poller"
	FnStopper      = "stopper"
)

// CloudEventFunctions and HTTPFunctions list the functions by kind.
var (
	CloudEventFunctions = []string{FnPrepare, FnFilter, FnPredictStart}
	HTTPFunctions       = []string{FnExtract, FnPredict, FnModel, FnPoller, FnStopper}
)

// Deps are the wired ports the services run over.
type Deps struct {
	Config     config.Config
	Pipeline   *pipeline.Pipeline
	Tracker    *tracking.Tracker
	Models     pipeline.Models // nil: the model service answers 503
	Executions executions.Executions
	Extract    extract.Starter
	Workflow   string            // the daily workflow's name; predictstart.DefaultWorkflow when empty
	Progress   services.Progress // nil: none
	Log        *slog.Logger
	Now        func() time.Time // time.Now when nil
}

// App holds the services, ready to serve.
type App struct {
	CloudEvents map[string]services.Handler // by function name, with their middleware
	HTTP        map[string]http.Handler     // by function name, with their middleware

	Filter *filter.Service // its Release, for a caller that knows a prepare finished
	Poller *poller.Service // its Tick, for a local scheduler
}

// New assembles the services.
func New(d Deps) (*App, error) {
	if d.Pipeline == nil || d.Tracker == nil || d.Executions == nil || d.Extract == nil || d.Log == nil {
		return nil, errors.New("app: Pipeline, Tracker, Executions, Extract and Log are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Progress == nil {
		d.Progress = services.NoProgress{}
	}
	cfg, log := d.Config, d.Log
	scope := services.Scope{Deployment: cfg.DeploymentName, LTV: cfg.LTVDataset(), JobPrefix: cfg.JobPrefix()}
	flt, err := filter.New(filter.Config{Scope: scope, Filter: d.Pipeline.Filter, Tracker: d.Tracker,
		Expire: cfg.DiscardTasksOlderThan, Progress: d.Progress, Log: log, Now: d.Now})
	if err != nil {
		return nil, err
	}
	prep, err := prepare.New(prepare.Config{Scope: scope, Prepare: d.Pipeline.Prepare, Tracker: d.Tracker, Releaser: flt,
		Limit: cfg.MaxTasksPerPoll, Delay: cfg.DelayPrepareDaily, Progress: d.Progress, Log: log})
	if err != nil {
		return nil, err
	}
	start, err := predictstart.New(predictstart.Config{Scope: scope, Executions: d.Executions, Workflow: d.Workflow,
		Tracker: d.Tracker, Limit: cfg.MaxTasksPerPoll, Delay: cfg.DelayPredictTransactions, Progress: d.Progress, Log: log})
	if err != nil {
		return nil, err
	}
	ext, err := extract.New(extract.Config{Starter: d.Extract, Zone: cfg.Timezone, Now: d.Now, Ledger: d.Tracker, Log: log})
	if err != nil {
		return nil, err
	}
	pred, err := predict.New(d.Pipeline, d.Tracker, log)
	if err != nil {
		return nil, err
	}
	mdl, err := model.New(model.Config{WH: d.Pipeline.WH, LTV: cfg.LTVDataset(), Models: d.Models, Tracker: d.Tracker,
		Wait: cfg.StopModelWaiting, PostStop: d.Pipeline.Hooks.PostStop, Zone: cfg.Timezone, Now: d.Now, Log: log})
	if err != nil {
		return nil, err
	}
	poll, err := poller.New(poller.Config{Queue: d.Tracker, Max: cfg.MaxTasksPerPoll, Log: log,
		Kinds: map[string]poller.Kind{
			tasks.KindPrepare: {Runner: prep, Retry: cfg.DelayPrepareDaily},
			tasks.KindPredict: {Runner: start, Retry: cfg.DelayPredictTransactions},
		},
		Sweepers: []poller.Sweeper{flt}})
	if err != nil {
		return nil, err
	}
	mw := func(fn string) []services.Middleware { return middleware.Default(log, d.Tracker, fn) }
	// The services of a stage's finished jobs drop other jobs' events before anything records them.
	ours := func(stage string, mws []services.Middleware) []services.Middleware {
		return append([]services.Middleware{jobevent.Ours(log, scope, stage)}, mws...)
	}
	httpMW := func(h http.Handler) http.Handler { return middleware.HTTP(log, middleware.RecoverHTTP(log, h)) }
	return &App{
		CloudEvents: map[string]services.Handler{
			FnPrepare:      services.Chain(prep.Handle, mw(FnPrepare)...),
			FnFilter:       services.Chain(flt.Handle, ours(pipeline.StagePrepare, mw(FnFilter))...),
			FnPredictStart: services.Chain(start.Handle, ours(pipeline.StageFilter, mw(FnPredictStart))...),
		},
		HTTP: map[string]http.Handler{
			FnExtract: httpMW(ext),
			FnPredict: httpMW(pred),
			FnModel:   httpMW(mdl),
			FnPoller:  httpMW(poll),
			FnStopper: httpMW(stopper.New(mdl, log)),
		},
		Filter: flt,
		Poller: poll,
	}, nil
}

// Handler serves every function at /<name>, the CloudEvent ones as functions-framework does (binary or
// structured CloudEvents over HTTP; an error or a panic answers 500).
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	for name, h := range a.CloudEvents {
		mux.Handle("/"+name, CloudEventHandler(h))
	}
	for name, h := range a.HTTP {
		mux.Handle("/"+name, h)
	}
	return mux
}

// TrackerOptions returns the tracking options of a configuration: the collections' prefix and the queue's
// settings.
func TrackerOptions(cfg config.Config, log *slog.Logger, now func() time.Time) tracking.Options {
	return tracking.Options{
		Prefix:            cfg.DeploymentName + "_" + cfg.SolutionPrefix,
		Clock:             now,
		Logger:            log,
		MaxTasksPerPoll:   cfg.MaxTasksPerPoll,
		DiscardTasksAfter: cfg.DiscardTasksOlderThan,
		OtherKinds:        []string{barrier.Kind}, // so that tracking ls and clean --all see the waiting dates
	}
}
