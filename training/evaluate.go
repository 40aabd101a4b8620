package training

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/pipeline"
)

// EvalOptions says what Evaluate measures; empty fields take the defaults.
type EvalOptions struct {
	// Refit fits a model for each split on the cohorts before it (a rolling origin: first purchases out of
	// the burn-in whose horizon ends before the split's first date) instead of evaluating the deployed model.
	Refit bool
	// HorizonDays is the label's horizon. The deployed model is measured on its own horizon; a refit uses
	// this one (0: DefaultHorizonDays).
	HorizonDays int
	// From and To bound the evaluated first purchases. Default: from the day after the model's date (the
	// deployed one's, or with Refit the default model date of Train) to the last cohort whose horizon the
	// data covers.
	From, To string
	// Splits is how many consecutive time splits the cohorts are cut into; 0 means DefaultSplits.
	Splits int
	// Resamples is the number of bootstrap resamples of each split's customers; 0 means DefaultResamples.
	Resamples int
	// Seed seeds the bootstrap; the same seed and data give the same intervals.
	Seed uint64
	// OutDir receives metrics.json and the charts; default <state>/report/eval (EvalDir).
	OutDir string
	Fit    FitOptions
	// Announce, when set, hears which pipeline tables Evaluate computes before it computes them.
	Announce func(PipelinePlan)
}

// Evaluation defaults.
const (
	DefaultSplits    = 4
	DefaultResamples = 1000
	// MinSplitDays is the fewest cohort dates a split may have.
	MinSplitDays = 7
	// Confidence is the level of the bootstrap intervals.
	Confidence = 0.90
)

// EvalDir is where Evaluate writes under the state directory: metrics.json and, for each split N,
// splitN_deciles.png, splitN_calibration.png and splitN_gain.png.
var EvalDir = filepath.Join("report", "eval")

// Evaluation modes.
const (
	ModeDeployed = "deployed" // the model the metadata table selects
	ModeRefit    = "refit"    // a model fitted for each split on the cohorts before it
)

// Report is the outcome of an evaluation.
type Report struct {
	Mode string `json:"mode"`
	// Model and ModelDate name the deployed model evaluated (ModeDeployed).
	Model       string `json:"model,omitempty"`
	ModelDate   string `json:"model_date,omitempty"`
	HorizonDays int    `json:"horizon_days"`
	// Pipeline says which tables Evaluate computed.
	Pipeline   PipelinePlan `json:"pipeline"`
	Resamples  int          `json:"resamples"`
	Seed       uint64       `json:"seed"`
	Confidence float64      `json:"confidence"`
	Splits     []Split      `json:"splits"`
	// Mean are the figures of the splits' mean, each metric's mean over the splits.
	Mean []Figure `json:"mean"`
	// Verdict sums up the mean's figures in words: for each metric whether the interval of the difference
	// excludes zero, and on which side.
	Verdict     []string `json:"verdict"`
	Dir         string   `json:"dir"`
	MetricsFile string   `json:"metrics_file"`
}

// Split is one time split: a range of first-purchase dates, the model's and the baseline's metrics on it.
type Split struct {
	Split     int    `json:"split"` // 1-based
	From      string `json:"from"`
	To        string `json:"to"`
	Rows      int    `json:"rows"`
	Customers int    `json:"customers"`
	// Train is the refit model's training cohort (ModeRefit).
	Train    *CohortSummary `json:"train,omitempty"`
	Model    Metrics        `json:"model"`
	Baseline Metrics        `json:"baseline"`
	Figures  []Figure       `json:"figures"`
	// Charts are the split's PNG files, relative to the report's Dir.
	Charts Charts `json:"charts"`
}

// Charts names a split's chart files.
type Charts struct {
	Deciles     string `json:"deciles"`
	Calibration string `json:"calibration"`
	Gain        string `json:"gain"`
}

// CohortSummary describes a range of first purchases.
type CohortSummary struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Rows      int    `json:"rows"`
	Customers int    `json:"customers"`
}

// MetricsFile is the name of the report's JSON file.
const MetricsFile = "metrics.json"

// Evaluate measures a model against the first-purchase-value baseline on consecutive time splits of the
// first purchases whose horizon the data covers, with bootstrap intervals. By default the model is the
// deployed one: the one the metadata table selects for run dates after the data, measured on the cohorts
// after its date; with Refit, a model is fitted for each split on the cohorts before it. Evaluate first
// computes extract, prepare and filter afresh for every date it reads (it says which through Announce), so
// its figures depend on the source and the metadata table alone, not on the tables earlier commands left.
// It writes metrics.json and the charts, and records nothing else.
func Evaluate(ctx context.Context, env Env, opts EvalOptions) (Report, error) {
	env = env.withDefaults()
	r, err := evaluate(ctx, env, opts)
	if err != nil {
		return r, fmt.Errorf("evaluate: %w", err)
	}
	return r, nil
}

func evaluate(ctx context.Context, env Env, opts EvalOptions) (Report, error) {
	r := Report{Mode: ModeDeployed, Seed: opts.Seed, Confidence: Confidence}
	if r.Resamples = opts.Resamples; r.Resamples <= 0 {
		r.Resamples = DefaultResamples
	}
	first, last, err := SourceRange(ctx, env.WH, env.Tables)
	if err != nil {
		return r, err
	}
	var deployed *local.File
	if opts.Refit {
		r.Mode = ModeRefit
		if r.HorizonDays = opts.HorizonDays; r.HorizonDays == 0 {
			r.HorizonDays = DefaultHorizonDays
		}
	} else {
		if deployed, err = deployedModel(ctx, env); err != nil {
			return r, err
		}
		r.Model, r.ModelDate, r.HorizonDays = deployed.Name, deployed.Window.ModelDate, deployed.Window.HorizonDays
		if opts.HorizonDays != 0 && opts.HorizonDays != r.HorizonDays {
			return r, fmt.Errorf("the deployed model %s predicts a %d-day horizon, not %d (a refit takes another horizon)",
				r.Model, r.HorizonDays, opts.HorizonDays)
		}
	}
	splits, err := evalSplits(env, opts, r, first, last)
	if err != nil {
		return r, err
	}
	end, err := pipeline.AddDays(splits[len(splits)-1].To, r.HorizonDays)
	if err != nil {
		return r, err
	}
	if r.Pipeline, err = computeTables(ctx, env, first, end, opts.Announce); err != nil {
		return r, err
	}
	samples := make([]sample, len(splits))
	for i, c := range splits {
		s := Split{Split: i + 1, From: c.From, To: c.To}
		f := deployed
		if opts.Refit {
			if f, s.Train, err = refit(ctx, env, first, c, opts.Fit); err != nil {
				return r, fmt.Errorf("split %d: %w", s.Split, err)
			}
		}
		ds, err := BuildDataset(ctx, env.WH, env.ltv(), c)
		if err != nil {
			return r, fmt.Errorf("split %d: %w", s.Split, err)
		}
		pred, err := Predictions(f, ds)
		if err != nil {
			return r, fmt.Errorf("split %d: predict: %w", s.Split, err)
		}
		s.Rows, s.Customers = ds.Len(), ds.Customers()
		samples[i] = newSample(ds, pred)
		s.Model, s.Baseline = Measure(ds.Label, pred), Measure(ds.Label, samples[i].base)
		r.Splits = append(r.Splits, s)
	}
	perSplit, mean := bootstrap(samples, r.Resamples, r.Seed)
	for i := range r.Splits {
		r.Splits[i].Figures = perSplit[i]
	}
	r.Mean, r.Verdict = mean, verdict(mean)
	if r.Dir = opts.OutDir; r.Dir == "" {
		r.Dir = filepath.Join(env.StateDir, EvalDir)
	}
	if err := writeEvaluation(&r, samples); err != nil {
		return r, err
	}
	env.Log.InfoContext(ctx, "evaluated", "mode", r.Mode, "model", r.Model, "splits", len(r.Splits),
		"from", r.Splits[0].From, "to", r.Splits[len(r.Splits)-1].To, "file", r.MetricsFile)
	return r, nil
}

// deployedModel loads the model the metadata table selects for the run dates after any data.
func deployedModel(ctx context.Context, env Env) (*local.File, error) {
	m, err := pipeline.SelectModel(ctx, env.WH, env.ltv(), "99991231")
	if err != nil {
		return nil, fmt.Errorf("the deployed model: %w", err)
	}
	if m.Name == local.BaselineName {
		return nil, fmt.Errorf("the deployed model %s is the first-purchase baseline: run pltv train first, or evaluate with a refit", m.Name)
	}
	path, err := local.Path(ModelsDir(env.StateDir), m.Name)
	if err != nil {
		return nil, err
	}
	f, err := local.Load(path)
	if err != nil {
		return nil, fmt.Errorf("the deployed model %s (model date %s): %w", m.Name, m.ModelDate, err)
	}
	if f.Kind != local.KindTwoPart {
		return nil, fmt.Errorf("the deployed model %s is the first-purchase baseline: run pltv train first, or evaluate with a refit", m.Name)
	}
	return f, nil
}

// refit fits the model of a split on the first purchases out of the burn-in whose horizon ends before the
// split's first date.
func refit(ctx context.Context, env Env, first string, split Cohort, fit FitOptions) (*local.File, *CohortSummary, error) {
	from, err := env.history(first).FirstCohort()
	if err != nil {
		return nil, nil, err
	}
	to, err := pipeline.AddDays(split.From, -split.HorizonDays-1)
	if err != nil {
		return nil, nil, err
	}
	if to < from {
		return nil, nil, fmt.Errorf("no cohort out of the burn-in (from %s) has its %d-day horizon before %s",
			from, split.HorizonDays, split.From)
	}
	ds, err := BuildDataset(ctx, env.WH, env.ltv(), Cohort{From: from, To: to, HorizonDays: split.HorizonDays})
	if err != nil {
		return nil, nil, err
	}
	f, err := Fit(ds, fit)
	if err != nil {
		return nil, nil, err
	}
	return f, &CohortSummary{From: from, To: to, Rows: ds.Len(), Customers: ds.Customers()}, nil
}

// evalSplits cuts the evaluated cohorts into the splits.
func evalSplits(env Env, opts EvalOptions, r Report, first, last string) ([]Cohort, error) {
	lastRun, err := pipeline.AddDays(last, env.LagDays)
	if err != nil {
		return nil, err
	}
	defFrom, defTo := "", ""
	if opts.From == "" {
		modelDate := r.ModelDate
		if modelDate == "" {
			if modelDate, err = defaultModelDate(env, first, r.HorizonDays); err != nil {
				return nil, err
			}
		}
		if defFrom, err = pipeline.AddDays(modelDate, 1); err != nil {
			return nil, err
		}
	}
	if opts.To == "" {
		if defTo, err = pipeline.AddDays(lastRun, -r.HorizonDays); err != nil {
			return nil, err
		}
	}
	from, err := dateOr("evaluation start", opts.From, defFrom)
	if err != nil {
		return nil, err
	}
	to, err := dateOr("evaluation end", opts.To, defTo)
	if err != nil {
		return nil, err
	}
	end, err := pipeline.AddDays(to, r.HorizonDays)
	switch {
	case err != nil:
		return nil, err
	case r.ModelDate != "" && from <= r.ModelDate:
		return nil, fmt.Errorf("evaluation start %s: the deployed model %s learnt from the data up to %s; evaluate later cohorts",
			from, r.Model, r.ModelDate)
	case end > lastRun:
		return nil, fmt.Errorf("the horizon of the cohorts up to %s ends on %s, after the last run date with data, %s", to, end, lastRun)
	}
	n := opts.Splits
	if n == 0 {
		n = DefaultSplits
	}
	if n < 1 {
		return nil, fmt.Errorf("%d splits: want at least 1", n)
	}
	if to < from {
		// The data ends before the first cohort to evaluate has its horizon: say how much is needed.
		needTo, err := pipeline.AddDays(from, n*MinSplitDays-1+r.HorizonDays-env.LagDays)
		if err != nil {
			return nil, err
		}
		have, err1 := pipeline.Dates(first, last)
		want, err2 := pipeline.Dates(first, needTo)
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		return nil, errors.Join(fmt.Errorf("too little data: the source has %d days (%s..%s); evaluating %d splits of at least %d "+
			"cohort dates from %s, each with its %d-day horizon, needs %d, through %s",
			len(have), first, last, n, MinSplitDays, from, r.HorizonDays, len(want), needTo), errHint(r))
	}
	dates, err := pipeline.Dates(from, to)
	if err != nil {
		return nil, fmt.Errorf("evaluated cohorts: %w", err)
	}
	if len(dates) < n*MinSplitDays {
		return nil, errors.Join(fmt.Errorf("the cohorts %s..%s (%d dates) make no %d splits of at least %d dates",
			from, to, len(dates), n, MinSplitDays), errHint(r))
	}
	out := make([]Cohort, n)
	for i := range n {
		lo, hi := i*len(dates)/n, (i+1)*len(dates)/n
		out[i] = Cohort{From: dates[lo], To: dates[hi-1], HorizonDays: r.HorizonDays}
	}
	return out, nil
}

func errHint(r Report) error {
	if r.Mode == ModeDeployed {
		return fmt.Errorf("the deployed model's date %s leaves too few: train an earlier one, or evaluate with a refit", r.ModelDate)
	}
	return nil
}

// defaultModelDate is Train's default model date for the horizon.
func defaultModelDate(env Env, first string, horizon int) (string, error) {
	from, err := env.history(first).FirstCohort()
	if err != nil {
		return "", err
	}
	return pipeline.AddDays(from, DefaultCohortDays+horizon-1)
}
