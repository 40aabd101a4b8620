package local

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/pipeline"
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
	Log      *slog.Logger
}

// Options says how to open a runtime.
type Options struct {
	StateDir string
	Hooks    hooks.Hooks         // nil: hooks.Base
	WH       warehouse.Warehouse // nil: the configuration's warehouse; Close closes it either way
	Log      *slog.Logger
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
		return nil, err
	}
	wh := opts.WH
	if wh == nil {
		if wh, err = openWarehouse(ctx, cfg, opts); err != nil {
			return nil, err
		}
	}
	rt := &Runtime{Config: cfg, StateDir: opts.StateDir, WH: wh, SQL: sql, Log: opts.Log}
	rt.Pipeline = &pipeline.Pipeline{
		WH: wh, SQL: sql, Hooks: opts.Hooks, Log: opts.Log,
		Settings: pipeline.Settings{
			Deployment:    cfg.DeploymentName,
			LagDays:       cfg.ExtractLagDays,
			NewClientDays: cfg.ModelNewClientDays,
			BatchSize:     cfg.MaxPredictionBatchSize,
			Custom:        cfg.CustomVariables,
		},
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
			Project: cfg.BQLTVGCPProject, Location: cfg.BQLTVGCPBroadRegion, Logger: opts.Log,
		})
	}
	if opts.StateDir == "" {
		return nil, errors.New("no state directory")
	}
	if err := os.MkdirAll(opts.StateDir, 0o755); err != nil {
		return nil, fmt.Errorf("state directory: %w", err)
	}
	return duckdb.Open(filepath.Join(opts.StateDir, WarehouseFile), duckdb.WithLogger(opts.Log))
}

// Close releases the runtime.
func (r *Runtime) Close() error { return r.WH.Close() }
