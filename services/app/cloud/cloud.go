package cloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/executions/cloudworkflows"
	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/services/cloudlog"
	"github.com/pltv/pltv/services/extract"
	"github.com/pltv/pltv/services/extract/datatransfer"
)

// Environment variables the wiring reads besides the settings.
const (
	EnvConfig         = "PLTV_CONFIG"
	EnvTransferConfig = "EXTRACT_TRANSFER_CONFIG"
	EnvDailyWorkflow  = "DAILY_WORKFLOW"
	EnvLogLevel       = "LOG_LEVEL"
	EnvFunctionTarget = "FUNCTION_TARGET" // set by Cloud Functions: the one function this instance serves
)

// Options configure New.
type Options struct {
	Hooks  hooks.Hooks                 // the deployment's hooks; hooks.Base when nil
	Lookup func(string) (string, bool) // the environment; os.LookupEnv when nil
	Output io.Writer                   // where log lines go; os.Stdout when nil
	// Config is the deployment's pltv.yaml, embedded in the functions when they were built; it is read
	// unless PLTV_CONFIG names a file. With neither, New fails: a function never runs on the defaults.
	Config []byte
	// SourceDir is the directory relative paths of the configuration are resolved against; SourceDir() when
	// empty.
	SourceDir string
}

// New builds the services from the environment. The returned function closes the connections.
func New(ctx context.Context, opts Options) (*app.App, func() error, error) {
	if opts.Lookup == nil {
		opts.Lookup = os.LookupEnv
	}
	if opts.Output == nil {
		opts.Output = os.Stdout
	}
	env := func(k string) string { v, _ := opts.Lookup(k); return v }
	cfg, level, err := check(opts)
	if err != nil {
		return nil, nil, err
	}
	transfer := env(EnvTransferConfig)
	log := cloudlog.New(opts.Output, cloudlog.Options{Level: level, Project: cfg.DefaultGCPProject})
	var closers []func() error
	closeAll := func() error {
		var errs []error
		for i := len(closers) - 1; i >= 0; i-- {
			errs = append(errs, closers[i]())
		}
		return errors.Join(errs...)
	}
	fail := func(err error) (*app.App, func() error, error) {
		return nil, nil, errors.Join(fmt.Errorf("cloud services: %w", err), closeAll())
	}
	ports, err := openPorts(ctx, cfg, opts.Hooks, log)
	if ports != nil {
		closers = append(closers, ports.closers...)
	}
	if err != nil {
		return fail(err)
	}
	models := NewModels(cfg, log)
	closers = append(closers, models.Close)
	ports.pipeline.Predictor = &pipeline.Predictor{Models: models, Tracker: ports.tracker,
		Concurrency: cfg.PredictConcurrency, BatchConcurrency: cfg.PredictBatchConcurrency}
	x, err := cloudworkflows.New(ctx, cfg.DefaultGCPProject, cfg.DefaultGCPRegion)
	if err != nil {
		return fail(err)
	}
	closers = append(closers, x.Close)
	var starter extract.Starter = noTransfer{}
	if transfer != "" {
		dt, err := datatransfer.New(ctx, transfer, time.Now)
		if err != nil {
			return fail(err)
		}
		closers = append(closers, dt.Close)
		starter = dt
	}
	a, err := app.New(app.Deps{Config: cfg, Pipeline: ports.pipeline, Tracker: ports.tracker, Models: models, Executions: x,
		Extract: starter, Workflow: env(EnvDailyWorkflow), Log: log})
	if err != nil {
		return fail(err)
	}
	return a, closeAll, nil
}

// Check validates a function's environment as New does, without connecting to anything: the configuration
// (embedded or named by PLTV_CONFIG, with the environment's overrides), RUNTIME cloud, the transfer config
// where the function starts transfers, and the log level. The Pulumi program's tests feed it the environment
// they give each function.
func Check(opts Options) (config.Config, error) {
	cfg, _, err := check(opts)
	return cfg, err
}

func check(opts Options) (config.Config, slog.Level, error) {
	if opts.Lookup == nil {
		opts.Lookup = os.LookupEnv
	}
	env := func(k string) string { v, _ := opts.Lookup(k); return v }
	cfg, err := loadConfig(opts, env(EnvConfig))
	if err != nil {
		return config.Config{}, 0, fmt.Errorf("cloud services: %w", err)
	}
	if !cfg.IsCloud() {
		return config.Config{}, 0, fmt.Errorf("cloud services: RUNTIME is %s, want %s", cfg.Runtime, config.RuntimeCloud)
	}
	if env(EnvTransferConfig) == "" && startsTransfers(env(EnvFunctionTarget)) {
		return config.Config{}, 0, fmt.Errorf("cloud services: %s is not set (the %s function starts the extract's transfer runs)",
			EnvTransferConfig, app.FnExtract)
	}
	level, err := parseLevel(env(EnvLogLevel))
	if err != nil {
		return config.Config{}, 0, fmt.Errorf("cloud services: %w", err)
	}
	return cfg, level, nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if s == "" {
		return slog.LevelInfo, nil
	}
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return 0, fmt.Errorf("%s: %w", EnvLogLevel, err)
	}
	return l, nil
}
