package training

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// Options says what Train trains on; empty fields take the defaults.
type Options struct {
	// ModelDate is the model's date: the last run date whose tables are read, and the metadata row's
	// model_date, so that the model serves the run dates after it. Default: the first cohort plus
	// DefaultCohortDays plus HorizonDays, minus one (20110530 on the Online Retail data with the default
	// 60-day burn-in).
	ModelDate string
	// HorizonDays is the label's horizon; 0 means DefaultHorizonDays.
	HorizonDays int
	// CohortFrom and CohortTo bound the first purchases the model learns from. Default: from the first run
	// date out of the burn-in (History.FirstCohort) to ModelDate - HorizonDays, the last cohort whose
	// horizon ends by the model date. A CohortFrom in the burn-in is refused.
	CohortFrom, CohortTo string
	// Name names the model; default ltv-<model_date>-<first 8 hex digits of the model's SHA-256>.
	Name string
	// Refresh reruns extract, prepare and filter for every date, not only those without tables.
	Refresh bool
	Fit     FitOptions
}

// Result says what Train made.
type Result struct {
	Name       string       `json:"name"`
	Path       string       `json:"path"` // the model file
	ExportDate string       `json:"export_date"`
	Window     local.Window `json:"window"`
	// PipelineDates is how many dates extract, prepare and filter ran for.
	PipelineDates int          `json:"pipeline_dates"`
	Metrics       TrainMetrics `json:"metrics"`
}

// TrainMetrics are the figures of the model on its own training rows, with the baseline's: a check that
// the fit learnt something, not a measure of how it predicts (see Evaluate).
type TrainMetrics struct {
	Rows      int     `json:"rows"`
	Customers int     `json:"customers"`
	Model     Metrics `json:"model"`
	Baseline  Metrics `json:"baseline"`
}

// Train trains the local model on the cohort and records it: the model file under <state>/models, the
// features table training_data_features_<model_date> and a metadata row (export date today), in that order,
// so that the metadata rule selects the model, with its features, for the run dates after model_date.
func Train(ctx context.Context, env Env, opts Options) (Result, error) {
	env = env.withDefaults()
	res, err := train(ctx, env, opts)
	if err != nil {
		return res, fmt.Errorf("train: %w", err)
	}
	return res, nil
}

func train(ctx context.Context, env Env, opts Options) (Result, error) {
	var res Result
	if opts.Name != "" {
		if err := local.CheckName(opts.Name); err != nil {
			return res, err
		}
	}
	w, err := trainWindow(ctx, env, opts)
	if err != nil {
		return res, err
	}
	res.Window = w
	if res.PipelineDates, err = runPipeline(ctx, env, w.From, w.ModelDate, opts.Refresh); err != nil {
		return res, err
	}
	ds, err := BuildDataset(ctx, env.WH, env.ltv(), Cohort{From: w.CohortFrom, To: w.CohortTo, HorizonDays: w.HorizonDays})
	if err != nil {
		return res, err
	}
	f, err := Fit(ds, opts.Fit)
	if err != nil {
		return res, err
	}
	f.Window = w
	f.Label = fmt.Sprintf("the value a new customer spends in the %d run dates after the first purchase: the sum of "+
		"basket_value of the customer's prepared rows after the first purchase date, that date's other invoices excluded", w.HorizonDays)
	preparedWith, err := pipeline.SelectModel(ctx, env.WH, env.ltv(), w.CohortTo)
	if err != nil {
		return res, fmt.Errorf("the features the training rows were prepared with: %w", err)
	}
	if f.Known, err = knownValues(ctx, env, ds, preparedWith.ModelDate); err != nil {
		return res, err
	}
	if res.Metrics, err = trainMetrics(f, ds); err != nil {
		return res, err
	}
	if f.Metrics, err = json.Marshal(map[string]any{"train": res.Metrics}); err != nil {
		return res, err
	}
	if f.Name = opts.Name; f.Name == "" {
		f.Name = defaultName(f)
	}
	f.CreatedAt = env.Now().UTC()
	if res.Path, err = local.Path(ModelsDir(env.StateDir), f.Name); err != nil {
		return res, err
	}
	if err := f.Save(res.Path); err != nil {
		return res, err
	}
	res.Name = f.Name
	res.ExportDate = f.CreatedAt.Format(pipeline.DateLayout)
	if err := record(ctx, env, f, res.ExportDate); err != nil {
		return res, err
	}
	env.Log.InfoContext(ctx, "trained", "model", f.Name, "model_date", w.ModelDate, "cohort", w.CohortFrom+".."+w.CohortTo,
		"horizon_days", w.HorizonDays, "rows", ds.Len(), "file", res.Path)
	return res, nil
}

// trainWindow applies the defaults to the options and checks them against the source's dates.
func trainWindow(ctx context.Context, env Env, opts Options) (local.Window, error) {
	var w local.Window
	first, last, err := SourceRange(ctx, env.WH, env.Tables)
	if err != nil {
		return w, err
	}
	if w.HorizonDays = opts.HorizonDays; w.HorizonDays == 0 {
		w.HorizonDays = DefaultHorizonDays
	}
	if w.HorizonDays < 1 {
		return w, fmt.Errorf("horizon of %d days: want at least 1", w.HorizonDays)
	}
	firstCohort, err := env.history(first).FirstCohort()
	if err != nil {
		return w, err
	}
	if w.CohortFrom, err = dateOr("cohort start", opts.CohortFrom, firstCohort); err != nil {
		return w, err
	}
	if w.CohortFrom < firstCohort {
		return w, fmt.Errorf("cohort start %s is in the burn-in: the data covers the new-customer windows of run dates "+
			"for MODEL_BURN_IN_DAYS=%d days only from %s", w.CohortFrom, env.BurnInDays, firstCohort)
	}
	defModelDate, err := pipeline.AddDays(w.CohortFrom, DefaultCohortDays+w.HorizonDays-1)
	if err != nil {
		return w, err
	}
	if w.ModelDate, err = dateOr("model date", opts.ModelDate, defModelDate); err != nil {
		return w, err
	}
	defCohortTo, err := pipeline.AddDays(w.ModelDate, -w.HorizonDays)
	if err != nil {
		return w, err
	}
	if w.CohortTo, err = dateOr("cohort end", opts.CohortTo, defCohortTo); err != nil {
		return w, err
	}
	w.From = min(first, w.CohortFrom)
	lastRun, err := pipeline.AddDays(last, env.LagDays)
	if err != nil {
		return w, err
	}
	labelEnd, err := Cohort{From: w.CohortFrom, To: w.CohortTo, HorizonDays: w.HorizonDays}.LabelEnd()
	switch {
	case err != nil:
		return w, err
	case w.CohortTo < w.CohortFrom:
		return w, fmt.Errorf("cohort %s..%s ends before it starts (the model date %s leaves no cohort with a %d-day horizon)",
			w.CohortFrom, w.CohortTo, w.ModelDate, w.HorizonDays)
	case labelEnd > w.ModelDate:
		return w, fmt.Errorf("cohort end %s plus the %d-day horizon is after the model date %s: the model would learn from "+
			"data it is meant to predict", w.CohortTo, w.HorizonDays, w.ModelDate)
	case w.ModelDate > lastRun:
		return w, tooLittleData(w, first, last, env.LagDays, env.BurnInDays)
	}
	return w, nil
}

// tooLittleData says how much source data a model dated w.ModelDate needs, against what there is: the burn-in,
// the cohort's days and the horizon of its labels, from the first day of data.
func tooLittleData(w local.Window, first, last string, lagDays, burnInDays int) error {
	need, err := pipeline.AddDays(w.ModelDate, -lagDays)
	if err != nil {
		return err
	}
	have, err1 := pipeline.Dates(first, last)
	want, err2 := pipeline.Dates(first, need)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	return fmt.Errorf("too little data: the source has %d days (%s..%s); a model dated %s needs %d, through %s "+
		"(MODEL_BURN_IN_DAYS=%d, cohort %s..%s, then its %d-day horizon); load more day files with pltv init --source DIR, "+
		"or give an earlier --model-date", len(have), first, last, w.ModelDate, len(want), need, burnInDays,
		w.CohortFrom, w.CohortTo, w.HorizonDays)
}

func trainMetrics(f *local.File, ds *Dataset) (TrainMetrics, error) {
	m := TrainMetrics{Rows: ds.Len(), Customers: ds.Customers()}
	pred, err := Predictions(f, ds)
	if err != nil {
		return m, fmt.Errorf("predict the training rows: %w", err)
	}
	m.Model = Measure(ds.Label, pred)
	m.Baseline = Measure(ds.Label, ds.FirstValues())
	return m, nil
}

// Predictions predicts the dataset's rows with the model, as the driver does.
func Predictions(f *local.File, ds *Dataset) ([]float64, error) {
	s, err := f.Scorer(ds.Schema)
	if err != nil {
		return nil, err
	}
	out := make([]float64, ds.Len())
	for i, r := range ds.Rows {
		sc, err := s.Score(r)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
		out[i] = sc.Value
	}
	return out, nil
}

// defaultName is ltv-<model_date>-<hash>, the hash that of the model's encoding and weights.
func defaultName(f *local.File) string {
	b, _ := json.Marshal(struct {
		W local.Window
		F []local.Feature
		R local.Linear
		V local.LogLinear
		C *local.Calibration
	}{f.Window, f.Features, f.Return, f.Value, f.Calibration})
	sum := sha256.Sum256(b)
	return "ltv-" + f.Window.ModelDate + "-" + hex.EncodeToString(sum[:4])
}

// record loads the model's features table and appends its metadata row, unless that row is there already
// (the same model trained again).
func record(ctx context.Context, env Env, f *local.File, exportDate string) error {
	csv, err := featuresCSV(f.Known)
	if err != nil {
		return err
	}
	if _, err := pipeline.LoadFeatures(ctx, env.WH, env.ltv(), f.Window.ModelDate, bytes.NewReader(csv), f.Name+" features"); err != nil {
		return err
	}
	exists, others, err := metadataHas(ctx, env, f.Window.ModelDate, f.Name)
	if err != nil || exists {
		return err
	}
	if len(others) > 0 {
		env.Log.WarnContext(ctx, "another model has the same model date; the metadata rule prefers the newest export date, "+
			"and the features table now holds this model's", "model", f.Name, "model_date", f.Window.ModelDate, "others", others)
	}
	return pipeline.RecordModel(ctx, env.WH, env.ltv(), pipeline.Model{ExportDate: exportDate, ModelDate: f.Window.ModelDate, Name: f.Name})
}

// metadataHas reports whether the metadata table records the model for the date, and which other models
// it records for that date.
func metadataHas(ctx context.Context, env Env, modelDate, name string) (found bool, others []string, err error) {
	table := env.ltv().Table(pipeline.Metadata)
	info, err := env.WH.Table(ctx, table)
	if err != nil || info.State != warehouse.HasRows {
		return false, nil, err
	}
	err = env.WH.Read(ctx, warehouse.ReadRequest{
		SQL:    "SELECT DISTINCT model_name FROM " + table.SQL() + " WHERE model_date = @d AND model_name IS NOT NULL",
		Params: map[string]any{"d": modelDate},
	}, func(b warehouse.Batch) error {
		for _, r := range b.Rows {
			if n, _ := r[0].(string); n == name {
				found = true
			} else if n != "" {
				others = append(others, n)
			}
		}
		return nil
	})
	if err != nil {
		return false, nil, fmt.Errorf("read the metadata table: %w", err)
	}
	return found, others, nil
}
