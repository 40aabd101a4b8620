package training_test

import (
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/training"
)

// evaluable is a hand-made warehouse of run dates 20110101..20110310 with 6 new customers a day, the
// baseline model and a model trained on the cohorts up to 20110129 (model date 20110131, horizon 2).
func evaluable(t *testing.T) (*handMade, training.Result) {
	t.Helper()
	h := newHandMade(t)
	all := dates(t, "20110101", "20110310")
	h.addSales(t, all, synthSales(all, 6, 2))
	h.addBaseline(t, "20110101", "United Kingdom,country", "France,country", "85123A,product")
	res, err := training.Train(context.Background(), h.env, training.Options{ModelDate: "20110131", HorizonDays: 2, Fit: testFit})
	if err != nil {
		t.Fatal(err)
	}
	return h, res
}

func TestEvaluateDeployedModel(t *testing.T) {
	h, trained := evaluable(t)
	var announced []training.PipelinePlan
	opts := training.EvalOptions{Resamples: 200, Announce: func(p training.PipelinePlan) { announced = append(announced, p) }}
	r, err := training.Evaluate(context.Background(), h.env, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.Mode != training.ModeDeployed || r.Model != trained.Name || r.ModelDate != "20110131" || r.HorizonDays != 2 {
		t.Errorf("evaluated %s %s (model date %s, horizon %d), want the deployed %s", r.Mode, r.Model, r.ModelDate, r.HorizonDays, trained.Name)
	}
	// The cohorts after the model date whose horizon the data covers, 20110201..20110308 (the last run date
	// is 20110310: the source's last day plus the lag), in four splits.
	var got [][2]string
	for _, s := range r.Splits {
		got = append(got, [2]string{s.From, s.To})
		if s.Rows != 6*dayCount(t, s.From, s.To) || s.Train != nil {
			t.Errorf("split %d: %d rows, train %+v", s.Split, s.Rows, s.Train)
		}
	}
	want := [][2]string{{"20110201", "20110209"}, {"20110210", "20110218"}, {"20110219", "20110227"}, {"20110228", "20110308"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("splits (-want +got):\n%s", diff)
	}
	// Every date it reads is computed afresh, and said so first.
	wantPlan := training.PipelinePlan{From: "20101231", To: "20110310", Dates: 70,
		Stages: []string{pipeline.StageExtract, pipeline.StagePrepare, pipeline.StageFilter},
		Tables: []string{"all_daily_transactions_D", "prepared_daily_transactions_D", "prepared_new_customers_daily_transactions_D"}}
	if diff := cmp.Diff([]training.PipelinePlan{wantPlan}, announced); diff != "" {
		t.Errorf("announced (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantPlan, r.Pipeline); diff != "" {
		t.Errorf("report's pipeline (-want +got):\n%s", diff)
	}
	if ran := h.ranDates(pipeline.StagePrepare); len(ran) < 70 || ran[len(ran)-1] != "20110310" {
		t.Errorf("prepare ran for %d dates up to %v, want every date 20101231..20110310", len(ran), ran[len(ran)-1:])
	}
	checkFigures(t, r)
	// Returns follow the country, which the model knows and the baseline does not.
	for _, f := range r.Mean {
		if f.Metric == "auc" && (f.Verdict != "model better" || f.Model.Value < 0.9) {
			t.Errorf("mean AUC %+v, want the model near 1 and better", f)
		}
	}
	checkFiles(t, r)
	stale := filepath.Join(r.Dir, "split9_gain.png")
	if err := os.WriteFile(stale, []byte("an earlier evaluation's"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := training.Evaluate(context.Background(), h.env, training.EvalOptions{Resamples: 200})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, again, approx); diff != "" {
		t.Errorf("a second evaluation differs (-first +second):\n%s", diff)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Errorf("the second evaluation left %s of an earlier one", stale)
	}
}

func TestEvaluateRefit(t *testing.T) {
	h, _ := evaluable(t)
	r, err := training.Evaluate(context.Background(), h.env, training.EvalOptions{Refit: true, HorizonDays: 2, Splits: 2,
		From: "20110201", To: "20110218", Resamples: 100, Fit: testFit, OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if r.Mode != training.ModeRefit || r.Model != "" || len(r.Splits) != 2 {
		t.Fatalf("refit report: mode %s, model %q, %d splits", r.Mode, r.Model, len(r.Splits))
	}
	// Each split's model learns from the cohorts whose horizon ends before the split's first date.
	for i, want := range []training.CohortSummary{{From: "20110101", To: "20110129"}, {From: "20110101", To: "20110207"}} {
		s := r.Splits[i]
		if s.Train == nil || s.Train.From != want.From || s.Train.To != want.To || s.Train.Rows != 6*dayCount(t, want.From, want.To) {
			t.Errorf("split %d (%s..%s) trained on %+v, want %s..%s", s.Split, s.From, s.To, s.Train, want.From, want.To)
		}
	}
	checkFigures(t, r)
}

func TestEvaluateRefuses(t *testing.T) {
	h, _ := evaluable(t)
	tests := []struct {
		name string
		opts training.EvalOptions
		want string
	}{
		{"another horizon than the deployed model's", training.EvalOptions{HorizonDays: 5}, "predicts a 2-day horizon"},
		{"cohorts the model learnt from", training.EvalOptions{From: "20110120"}, "learnt from the data up to 20110131"},
		{"too few dates for the splits", training.EvalOptions{From: "20110301", Splits: 4}, "make no 4 splits of at least 7 dates"},
		{"a horizon past the data", training.EvalOptions{To: "20110309"}, "after the last run date with data, 20110310"},
		{"a bad date", training.EvalOptions{From: "2011-02-01"}, "evaluation start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.OutDir = t.TempDir()
			if _, err := training.Evaluate(context.Background(), h.env, tt.opts); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Evaluate = %v, want an error saying %q", err, tt.want)
			}
		})
	}
	base := newHandMade(t)
	all := dates(t, "20110101", "20110220")
	base.addSales(t, all, synthSales(all, 6, 2))
	base.addBaseline(t, "20110101", "United Kingdom,country")
	if _, err := training.Evaluate(context.Background(), base.env, training.EvalOptions{}); err == nil ||
		!strings.Contains(err.Error(), "the first-purchase baseline: run pltv train first") {
		t.Errorf("Evaluate with the baseline deployed = %v, want it refused", err)
	}
	// A refit on data too short for its splits says how much it needs.
	_, err := training.Evaluate(context.Background(), base.env, training.EvalOptions{Refit: true, HorizonDays: 30, OutDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "too little data: the source has 51 days") ||
		!strings.Contains(err.Error(), "needs ") {
		t.Errorf("Evaluate --refit on 51 days = %v, want it to say how much data it needs", err)
	}
}

func dayCount(t *testing.T, from, to string) int { return len(dates(t, from, to)) }

// checkFigures checks that every split and the mean report each metric, model, baseline and difference,
// with an interval, and a verdict for each metric of the mean.
func checkFigures(t *testing.T, r training.Report) {
	t.Helper()
	metrics := []string{"normalized_gini", "spearman", "decile_mape", "auc", "top10_share"}
	check := func(what string, figs []training.Figure) {
		var names []string
		for _, f := range figs {
			names = append(names, f.Metric)
			for _, e := range []training.Estimate{f.Model, f.Baseline, f.Difference} {
				if !(e.Low <= e.High) {
					t.Errorf("%s %s: interval [%v, %v]", what, f.Metric, e.Low, e.High)
				}
			}
			if f.Verdict == "" {
				t.Errorf("%s %s: no verdict", what, f.Metric)
			}
		}
		if diff := cmp.Diff(metrics, names); diff != "" {
			t.Errorf("%s metrics (-want +got):\n%s", what, diff)
		}
	}
	for _, s := range r.Splits {
		check("split "+s.From, s.Figures)
	}
	check("mean", r.Mean)
	if len(r.Verdict) != len(metrics) || !strings.Contains(r.Verdict[0], "normalized Gini: model") ||
		!strings.Contains(r.Verdict[0], "the interval") {
		t.Errorf("verdict %q", r.Verdict)
	}
}

// checkFiles checks metrics.json against the report and that each split's charts are PNG images.
func checkFiles(t *testing.T, r training.Report) {
	t.Helper()
	b, err := os.ReadFile(r.MetricsFile)
	if err != nil {
		t.Fatal(err)
	}
	var back training.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back, approx); diff != "" {
		t.Errorf("metrics.json (-report +file):\n%s", diff)
	}
	for _, s := range r.Splits {
		for _, name := range []string{s.Charts.Deciles, s.Charts.Calibration, s.Charts.Gain} {
			checkPNG(t, filepath.Join(r.Dir, name))
		}
	}
}

func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("chart %s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() < 400 || b.Dy() < 300 {
		t.Errorf("chart %s is %v, too small to read", path, b)
	}
}
