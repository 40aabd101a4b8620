package bench

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// Backfill compares the event- and workflow-driven backfill of from..to with the same four stages run
// directly (pltv run), on two copies of one freshly loaded state: the same work, one run each, each measured
// from its start to the end of the last job writing predictions. It also reports the backfill's model
// deployments, and its deployed minutes against its predicting minutes (in the runtime's time).
func Backfill(ctx context.Context, o Options, from, to string) (Report, error) {
	dates, err := pipeline.Dates(from, to)
	if err != nil {
		return Report{}, err
	}
	dir, err := os.MkdirTemp(o.TempDir, "pltv-bench-backfill-")
	if err != nil {
		return Report{}, err
	}
	defer os.RemoveAll(dir)
	cfg := config.Default()
	direct, evented := filepath.Join(dir, "direct"), filepath.Join(dir, "backfill")
	for _, state := range []string{direct, evented} {
		if err := load(ctx, cfg, state, o.Source); err != nil {
			return Report{}, err
		}
	}
	name := fmt.Sprintf("backfill %s..%s", from, to)
	directTime, err := runDirect(ctx, cfg, direct, dates)
	if err != nil {
		return Report{}, err
	}
	o.logf("%s: %d dates run directly in %s", name, len(dates), directTime.Round(time.Millisecond))
	backfillTime, use, err := runBackfill(ctx, cfg, evented, from, to)
	if err != nil {
		return Report{}, err
	}
	o.logf("%s: %d dates backfilled through events and workflows in %s", name, len(dates), backfillTime.Round(time.Millisecond))
	target := "≤ 1.2"
	if len(dates) <= 31 {
		target = "≤ 1.5"
	}
	poll := 1.0 // the daily workflow polls the model's state every minute
	return Report{Benchmark: name, Figures: []Figure{
		{Name: "run dates", Value: float64(len(dates)), Unit: "dates"},
		{Name: "direct (pltv run)", Value: directTime.Seconds(), Unit: "s"},
		{Name: "backfill (events + workflows)", Value: backfillTime.Seconds(), Unit: "s"},
		{Name: "backfill / direct", Value: backfillTime.Seconds() / directTime.Seconds(), Unit: "×", Target: target},
		{Name: "model deploys", Value: float64(use.Deploys), Unit: "deploys", Target: "1"},
		{Name: "deployed minutes", Value: use.DeployedMinutes, Unit: "min",
			Target: fmt.Sprintf("≤ %.1f (predicting + STOP_MODEL_WAITING_MINUTES + one poll)", use.PredictingMinutes+cfg.StopModelWaiting.Minutes()+poll)},
		{Name: "predicting minutes", Value: use.PredictingMinutes, Unit: "min"},
		{Name: "peak RSS so far", Value: peakRSS(), Unit: "MiB"},
	}}, nil
}

// load creates a state with the source loaded (and its baseline model).
func load(ctx context.Context, cfg config.Config, state, source string) error {
	rt, err := local.Open(ctx, cfg, local.Options{StateDir: state, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	defer rt.Close()
	_, err = rt.Init(ctx, source)
	return err
}

func runDirect(ctx context.Context, cfg config.Config, state string, dates []string) (time.Duration, error) {
	rt, err := local.Open(ctx, cfg, local.Options{StateDir: state, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		return 0, err
	}
	defer rt.Close()
	order := []string{pipeline.StageExtract, pipeline.StagePrepare, pipeline.StageFilter, pipeline.StagePredict}
	start := time.Now()
	if _, err := pipeline.RunRange(ctx, rt.StageFuncs(), order, dates, 2, nil); err != nil {
		return 0, err
	}
	last, err := lastPredictJob(ctx, rt.WH)
	if err != nil {
		return 0, err
	}
	return last.Sub(start), nil
}

func runBackfill(ctx context.Context, cfg config.Config, state, from, to string) (time.Duration, local.ModelUse, error) {
	e, err := local.Start(ctx, cfg, local.StartOptions{StateDir: state, Schedule: true, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		return 0, local.ModelUse{}, err
	}
	defer e.Close()
	start := time.Now()
	results, err := e.Server.Backfill(ctx, from, to)
	if err != nil {
		return 0, local.ModelUse{}, err
	}
	for _, r := range results {
		if r.Outcome == services.Failed {
			return 0, local.ModelUse{}, fmt.Errorf("backfill %s failed at %s: %s", r.Date, r.Stage, r.Reason)
		}
		if r.Outcome != services.Started || e.Executions == nil {
			continue
		}
		x, err := e.Executions.Wait(ctx, r.Reason)
		if err != nil {
			return 0, local.ModelUse{}, err
		}
		if x.State != executions.StateSucceeded {
			return 0, local.ModelUse{}, fmt.Errorf("daily workflow of %s %s", r.Date, x.State)
		}
	}
	last, err := lastPredictJob(ctx, e.WH)
	if err != nil {
		return 0, local.ModelUse{}, err
	}
	return last.Sub(start), e.Models.Meter.Use(), nil
}

// lastPredictJob is when the last job of the predict stage finished.
func lastPredictJob(ctx context.Context, wh warehouse.Warehouse) (time.Time, error) {
	w, ok := wh.(*duckdb.Warehouse)
	if !ok {
		return time.Time{}, fmt.Errorf("bench: the warehouse is not DuckDB")
	}
	jobs, err := w.Jobs(ctx, 0)
	if err != nil {
		return time.Time{}, err
	}
	var last time.Time
	for _, j := range jobs {
		if j.Labels[warehouse.LabelStage] == pipeline.StagePredict && j.Finished.After(last) {
			last = j.Finished
		}
	}
	if last.IsZero() {
		return last, fmt.Errorf("bench: no prediction was written")
	}
	return last, nil
}
