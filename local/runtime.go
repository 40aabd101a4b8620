package local

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/internal/tablesum"
	"github.com/pltv/pltv/model"
	modellocal "github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/tracking/embedded"
	"github.com/pltv/pltv/tracking/firestore"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/bigquery"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// WarehouseFile is the DuckDB file under the state directory.
const WarehouseFile = "warehouse.duckdb"

// Runtime is a wired pltv: the configuration, the warehouse and the pipeline over it.
type Runtime struct {
	Config   config.Config
	StateDir string
	WH       warehouse.Warehouse
	SQL      *hooks.SQL
	Pipeline *pipeline.Pipeline
	Tracker  *tracking.Tracker
	Log      *slog.Logger
	// Models is where the pipeline's models come from; its Meter counts their deployments.
	Models *Models
	// Lock is the state directory's single-writer lock, held until Close (nil in the cloud).
	Lock *StateLock

	closers []func() error
}

// Options says how to open a runtime.
type Options struct {
	StateDir string
	Hooks    hooks.Hooks         // nil: hooks.Base
	WH       warehouse.Warehouse // nil: the configuration's warehouse; Close closes it either way
	Tracking tracking.Store      // nil: the configuration's store; Close closes it either way
	Now      func() time.Time    // nil: time.Now
	// ModelClock drives the local model's simulated deployment latency; nil: its deployments take effect at
	// once, as a direct `pltv run` wants.
	ModelClock modellocal.Clock
	Log        *slog.Logger
	// Command names the command opening the state, for the refusal a second command gets while it runs.
	Command string
	// Lock is the state's lock when the caller took it already; Close releases it either way.
	Lock *StateLock
}

// Open wires the runtime for cfg: DuckDB under the state directory in the local runtime, BigQuery in the cloud.
// The caller must Close it.
func Open(ctx context.Context, cfg config.Config, opts Options) (*Runtime, error) {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Hooks == nil {
		opts.Hooks = hooks.Base{}
	}
	sql, err := LoadSQL(cfg)
	if err != nil {
		opts.Lock.Unlock()
		if opts.WH != nil {
			opts.WH.Close()
		}
		return nil, err
	}
	rt := &Runtime{Config: cfg, StateDir: opts.StateDir, SQL: sql, Log: opts.Log, Lock: opts.Lock}
	if rt.Lock == nil && !cfg.IsCloud() && opts.StateDir != "" {
		if rt.Lock, err = LockState(opts.StateDir, opts.Command); err != nil {
			if opts.WH != nil {
				opts.WH.Close()
			}
			return nil, err
		}
	}
	if rt.Lock != nil {
		rt.closers = append(rt.closers, rt.Lock.Unlock)
	}
	if opts.Now == nil && rt.Lock != nil {
		// A command on the state without the embedded runtime (pltv run, status, tables) reads the state's
		// clock too, so that what it records follows what the runtime recorded.
		clock, err := OpenStateClock(opts.StateDir, DefaultSpeed)
		if err != nil {
			rt.Close()
			return nil, err
		}
		opts.Now = clock.Now
		rt.closers = append(rt.closers, clock.Close)
	}
	wh := opts.WH
	if wh == nil {
		if wh, err = openWarehouse(ctx, cfg, opts); err != nil {
			rt.Close()
			return nil, err
		}
	}
	faults, err := FaultsFromEnv()
	if err != nil {
		rt.Close()
		return nil, err
	}
	if faults.PrepareFails != "" {
		wh = failingPrepare{Warehouse: wh, date: faults.PrepareFails}
	}
	rt.WH = wh
	rt.closers = append(rt.closers, wh.Close)
	if rt.Tracker, err = openTracker(ctx, cfg, opts, rt); err != nil {
		rt.Close()
		return nil, err
	}
	rt.Pipeline = &pipeline.Pipeline{
		WH: wh, SQL: sql, Hooks: opts.Hooks, Log: opts.Log, Now: opts.Now, Reads: rt.Tracker,
		Sums: tablesum.NewCache(),
		Settings: pipeline.Settings{
			Deployment:    cfg.DeploymentName,
			LagDays:       cfg.ExtractLagDays,
			NewClientDays: cfg.ModelNewClientDays,
			BatchSize:     cfg.MaxPredictionBatchSize,
			Custom:        cfg.CustomVariables,
		},
	}
	models := NewModels(cfg, opts.StateDir, wh, opts.ModelClock, opts.Log)
	if faults.Model.any() {
		models.faults = &modelFaults{ModelFaults: faults.Model, log: opts.Log}
	}
	rt.Models = models
	rt.closers = append(rt.closers, models.Close)
	rt.Pipeline.Predictor = &pipeline.Predictor{
		Models:           models,
		Tracker:          rt.Tracker,
		Concurrency:      cfg.PredictConcurrency,
		BatchConcurrency: cfg.PredictBatchConcurrency,
		Wait:             model.WaitOptions{Interval: time.Second},
	}
	return rt, nil
}

// LoadSQL loads the hook templates of cfg, rendering each once so that a bad template fails here.
func LoadSQL(cfg config.Config) (*hooks.SQL, error) {
	tables := hooks.Tables{
		Source:        cfg.SourceDataset(),
		SourceTable:   cfg.BQDataSourceTables,
		SourceSharded: cfg.BQDataSourceIsSharded,
		LTV:           cfg.LTVDataset(),
	}
	sample := hooks.Vars{Date: "20000102", ModelDate: "20000101", LagDays: cfg.ExtractLagDays,
		NewClientDays: cfg.ModelNewClientDays, WindowStart: "19990102", WindowEnd: "20000101",
		SourceSharded: cfg.BQDataSourceIsSharded, BatchSize: cfg.MaxPredictionBatchSize, BatchOutput: "batch_output",
		Custom: cfg.CustomVariables}
	return hooks.LoadSQL(cfg.HooksDir, tables, sample)
}

func openWarehouse(ctx context.Context, cfg config.Config, opts Options) (warehouse.Warehouse, error) {
	if cfg.IsCloud() {
		return bigquery.New(ctx, bigquery.Options{
			Project: cfg.BQLTVGCPProject, Location: cfg.BQLTVGCPBroadRegion, JobPrefix: cfg.JobPrefix(), Logger: opts.Log,
		})
	}
	if opts.StateDir == "" {
		return nil, errors.New("no state directory")
	}
	if err := os.MkdirAll(opts.StateDir, 0o755); err != nil {
		return nil, fmt.Errorf("state directory: %w", err)
	}
	return duckdb.Open(filepath.Join(opts.StateDir, WarehouseFile), duckdb.WithLogger(opts.Log), duckdb.WithJobPrefix(cfg.JobPrefix()))
}

// TrackingFile is the embedded tracking store under the state directory.
const TrackingFile = "tracking.db"

func openTracker(ctx context.Context, cfg config.Config, opts Options, rt *Runtime) (*tracking.Tracker, error) {
	store := opts.Tracking
	if store == nil {
		var err error
		if store, err = openTrackingStore(ctx, cfg, opts.StateDir); err != nil {
			return nil, err
		}
	}
	rt.closers = append(rt.closers, store.Close)
	topts := app.TrackerOptions(cfg, opts.Log, opts.Now)
	if !cfg.IsCloud() {
		topts.EventLease = LocalEventLease
	}
	return tracking.New(store, topts)
}

// LocalEventLease is how long a local handler holds an event it claimed. The local router's redeliveries die
// with their process, so the lease only has to outlast a handler at DefaultSpeed (24 virtual hours are 144
// seconds); the leases of a process that died are released when the runtime next starts (Reconcile).
const LocalEventLease = 24 * time.Hour

func openTrackingStore(ctx context.Context, cfg config.Config, stateDir string) (tracking.Store, error) {
	if cfg.IsCloud() {
		return firestore.Open(ctx, cfg.DefaultGCPProject, "")
	}
	if stateDir == "" { // a runtime over a given warehouse, as tests open it
		return embedded.NewMemory(), nil
	}
	return embedded.Open(filepath.Join(stateDir, TrackingFile), embedded.Options{})
}

// Borrow returns the runtime for a caller that must not close it (a command served by `pltv serve`): its
// Close does nothing.
func (r *Runtime) Borrow() *Runtime {
	b := *r
	b.closers = nil
	return &b
}

// Close releases the runtime, last opened first.
func (r *Runtime) Close() error {
	var errs []error
	for i := len(r.closers) - 1; i >= 0; i-- {
		errs = append(errs, r.closers[i]())
	}
	return errors.Join(errs...)
}
