package training

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pltv/pltv/pipeline"
)

// EvalOptions says how Evaluate splits the first purchases; empty fields take the defaults.
type EvalOptions struct {
	// HorizonDays is the label's horizon; 0 means DefaultHorizonDays.
	HorizonDays int
	// HoldoutFrom and HoldoutTo bound the held-out first purchases. Default: the DefaultHoldoutDays
	// cohorts up to the last one whose horizon the data covers (the last run date minus the horizon).
	HoldoutFrom, HoldoutTo string
	// TrainFrom and TrainTo bound the first purchases the model learns from. Default: from the first
	// source date to the last cohort whose horizon ends before the holdout's first cohort, so that the
	// model learns nothing of the held-out period.
	TrainFrom, TrainTo string
	// OutDir receives metrics.json and deciles.png; default <state>/evaluation.
	OutDir string
	// Refresh reruns extract, prepare and filter for every date, not only those without tables.
	Refresh bool
	Fit     FitOptions
}

// Report is the outcome of an evaluation.
type Report struct {
	HorizonDays int           `json:"horizon_days"`
	Train       CohortSummary `json:"train"`
	Holdout     CohortSummary `json:"holdout"`
	// Model and Baseline are the holdout metrics of the model and of the first-purchase-value baseline
	// (the future value predicted as the first basket's value).
	Model    Metrics `json:"model"`
	Baseline Metrics `json:"baseline"`
	// ModelBeatsBaseline says whether the model's normalized Gini is the higher.
	ModelBeatsBaseline bool   `json:"model_beats_baseline"`
	MetricsFile        string `json:"metrics_file"`
	ChartFile          string `json:"chart_file"`
	// PipelineDates is how many dates extract, prepare and filter ran for.
	PipelineDates int `json:"pipeline_dates"`
}

// CohortSummary describes one side of the split.
type CohortSummary struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Rows      int    `json:"rows"`
	Customers int    `json:"customers"`
}

// Files written by Evaluate.
const (
	MetricsFile = "metrics.json"
	ChartFile   = "deciles.png"
)

// Evaluate fits the model on the training cohorts and measures it on the held-out ones, which are later,
// against the first-purchase-value baseline. It writes the report as JSON and the decile charts of the
// model and the baseline as PNG, and records nothing in the warehouse but the pipeline's tables.
func Evaluate(ctx context.Context, env Env, opts EvalOptions) (Report, error) {
	env = env.withDefaults()
	r, err := evaluate(ctx, env, opts)
	if err != nil {
		return r, fmt.Errorf("evaluate: %w", err)
	}
	return r, nil
}

func evaluate(ctx context.Context, env Env, opts EvalOptions) (Report, error) {
	tr, ho, first, err := evalWindows(ctx, env, opts)
	if err != nil {
		return Report{}, err
	}
	r := Report{HorizonDays: tr.HorizonDays}
	end, err := ho.LabelEnd()
	if err != nil {
		return r, err
	}
	if r.PipelineDates, err = runPipeline(ctx, env, min(first, tr.From), end, opts.Refresh); err != nil {
		return r, err
	}
	train, err := BuildDataset(ctx, env.WH, env.ltv(), tr)
	if err != nil {
		return r, err
	}
	holdout, err := BuildDataset(ctx, env.WH, env.ltv(), ho)
	if err != nil {
		return r, err
	}
	r.Train = CohortSummary{From: tr.From, To: tr.To, Rows: train.Len(), Customers: train.Customers()}
	r.Holdout = CohortSummary{From: ho.From, To: ho.To, Rows: holdout.Len(), Customers: holdout.Customers()}
	f, err := Fit(train, opts.Fit)
	if err != nil {
		return r, err
	}
	pred, err := Predictions(f, holdout)
	if err != nil {
		return r, fmt.Errorf("predict the holdout: %w", err)
	}
	r.Model = Measure(holdout.Label, pred)
	r.Baseline = Measure(holdout.Label, holdout.FirstValues())
	r.ModelBeatsBaseline = r.Model.NormalizedGini > r.Baseline.NormalizedGini
	if err := writeReport(&r, env, opts.OutDir); err != nil {
		return r, err
	}
	env.Log.InfoContext(ctx, "evaluated", "train", tr.From+".."+tr.To, "holdout", ho.From+".."+ho.To,
		"holdout_rows", holdout.Len(), "gini_model", float64(r.Model.NormalizedGini), "gini_baseline", float64(r.Baseline.NormalizedGini))
	return r, nil
}

// evalWindows applies the defaults and checks that the holdout comes after the training cohorts and that
// the data covers its horizon. It also returns the first source date.
func evalWindows(ctx context.Context, env Env, opts EvalOptions) (train, holdout Cohort, first string, err error) {
	first, last, err := SourceRange(ctx, env.WH, env.Tables)
	if err != nil {
		return train, holdout, "", err
	}
	h := opts.HorizonDays
	if h == 0 {
		h = DefaultHorizonDays
	}
	if h < 1 {
		return train, holdout, "", fmt.Errorf("horizon of %d days: want at least 1", h)
	}
	lastRun, err := pipeline.AddDays(last, env.LagDays)
	if err != nil {
		return train, holdout, "", err
	}
	train.HorizonDays, holdout.HorizonDays = h, h
	steps := []struct {
		what string
		dst  *string
		opt  string
		def  func() (string, error)
	}{
		{"holdout end", &holdout.To, opts.HoldoutTo, func() (string, error) { return pipeline.AddDays(lastRun, -h) }},
		{"holdout start", &holdout.From, opts.HoldoutFrom, func() (string, error) { return pipeline.AddDays(holdout.To, 1-DefaultHoldoutDays) }},
		{"training end", &train.To, opts.TrainTo, func() (string, error) { return pipeline.AddDays(holdout.From, -h-1) }},
		{"training start", &train.From, opts.TrainFrom, func() (string, error) { return first, nil }},
	}
	for _, s := range steps {
		def := ""
		if s.opt == "" {
			if def, err = s.def(); err != nil {
				return train, holdout, "", err
			}
		}
		if *s.dst, err = dateOr(s.what, s.opt, def); err != nil {
			return train, holdout, "", err
		}
	}
	for _, c := range []Cohort{train, holdout} {
		if err := c.check(); err != nil {
			return train, holdout, "", err
		}
	}
	end, err := holdout.LabelEnd()
	switch {
	case err != nil:
		return train, holdout, "", err
	case train.To >= holdout.From:
		return train, holdout, "", fmt.Errorf("training cohorts %s..%s do not end before the holdout %s..%s starts",
			train.From, train.To, holdout.From, holdout.To)
	case end > lastRun:
		return train, holdout, "", fmt.Errorf("the holdout's horizon ends on %s, after the last run date with data, %s", end, lastRun)
	}
	return train, holdout, first, nil
}

// writeReport writes metrics.json and deciles.png under dir (default <state>/evaluation).
func writeReport(r *Report, env Env, dir string) error {
	if dir == "" {
		dir = filepath.Join(env.StateDir, "evaluation")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("evaluation output: %w", err)
	}
	r.MetricsFile, r.ChartFile = filepath.Join(dir, MetricsFile), filepath.Join(dir, ChartFile)
	var png bytes.Buffer
	err := WriteDecileChart(&png,
		Panel{Title: fmt.Sprintf("Model, holdout %s..%s", r.Holdout.From, r.Holdout.To), Metrics: r.Model},
		Panel{Title: "Baseline: the first basket's value", Metrics: r.Baseline})
	if err != nil {
		return err
	}
	if err := os.WriteFile(r.ChartFile, png.Bytes(), 0o644); err != nil {
		return fmt.Errorf("evaluation chart: %w", err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("evaluation metrics: %w", err)
	}
	if err := os.WriteFile(r.MetricsFile, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("evaluation metrics: %w", err)
	}
	return nil
}
