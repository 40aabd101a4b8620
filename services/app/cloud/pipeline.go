package cloud

import (
	"context"
	"log/slog"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/tracking/firestore"
	"github.com/pltv/pltv/warehouse/bigquery"
)

// ports are the cloud drivers the pipeline and the services run over: the same wiring as the embedded
// runtime's (local.Open) with BigQuery and Firestore, kept apart from it so that a function carries neither
// DuckDB nor cgo.
type ports struct {
	pipeline *pipeline.Pipeline
	tracker  *tracking.Tracker
	closers  []func() error
}

func openPorts(ctx context.Context, cfg config.Config, h hooks.Hooks, log *slog.Logger) (*ports, error) {
	if h == nil {
		h = hooks.Base{}
	}
	sql, err := loadSQL(cfg)
	if err != nil {
		return nil, err
	}
	p := &ports{}
	wh, err := bigquery.New(ctx, bigquery.Options{Project: cfg.BQLTVGCPProject, Location: cfg.BQLTVGCPBroadRegion,
		JobPrefix: cfg.JobPrefix(), Logger: log})
	if err != nil {
		return nil, err
	}
	p.closers = append(p.closers, wh.Close)
	store, err := firestore.Open(ctx, cfg.DefaultGCPProject, "")
	if err != nil {
		return p, err
	}
	p.closers = append(p.closers, store.Close)
	if p.tracker, err = tracking.New(store, app.TrackerOptions(cfg, log, nil)); err != nil {
		return p, err
	}
	p.pipeline = &pipeline.Pipeline{WH: wh, SQL: sql, Hooks: h, Log: log, Reads: p.tracker, Settings: pipeline.Settings{
		Deployment: cfg.DeploymentName, LagDays: cfg.ExtractLagDays, NewClientDays: cfg.ModelNewClientDays,
		BatchSize: cfg.MaxPredictionBatchSize, Custom: cfg.CustomVariables,
	}}
	return p, nil
}

// loadSQL loads the hook templates, rendering each once with sample values so that a bad template fails
// at the cold start rather than at its first date.
func loadSQL(cfg config.Config) (*hooks.SQL, error) {
	tables := hooks.Tables{Source: cfg.SourceDataset(), SourceTable: cfg.BQDataSourceTables,
		SourceSharded: cfg.BQDataSourceIsSharded, LTV: cfg.LTVDataset()}
	sample := hooks.Vars{Date: "20000102", ModelDate: "20000101", LagDays: cfg.ExtractLagDays,
		NewClientDays: cfg.ModelNewClientDays, WindowStart: "19990102", WindowEnd: "20000101",
		SourceSharded: cfg.BQDataSourceIsSharded, BatchSize: cfg.MaxPredictionBatchSize, BatchOutput: "batch_output",
		Custom: cfg.CustomVariables}
	return hooks.LoadSQL(cfg.HooksDir, tables, sample)
}
