package training_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/training"
)

func TestEvaluate(t *testing.T) {
	h := newHandMade(t)
	all := dates(t, "20110101", "20110220")
	h.addSales(t, all, synthSales(all, 6, 2))
	h.addBaseline(t, "20110101", "United Kingdom,country", "France,country", "85123A,product")
	out := filepath.Join(t.TempDir(), "eval")
	r, err := training.Evaluate(context.Background(), h.env, training.EvalOptions{HorizonDays: 2, TrainFrom: "20110101",
		TrainTo: "20110131", HoldoutFrom: "20110201", HoldoutTo: "20110215", OutDir: out, Fit: testFit})
	if err != nil {
		t.Fatal(err)
	}
	want := training.Report{
		HorizonDays: 2,
		Train:       training.CohortSummary{From: "20110101", To: "20110131", Rows: 31 * 6, Customers: 31 * 6},
		Holdout:     training.CohortSummary{From: "20110201", To: "20110215", Rows: 15 * 6, Customers: 15 * 6},
		MetricsFile: filepath.Join(out, "metrics.json"),
		ChartFile:   filepath.Join(out, "deciles.png"),
	}
	got := r
	got.Model, got.Baseline, got.ModelBeatsBaseline, got.PipelineDates = training.Metrics{}, training.Metrics{}, false, 0
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	// The returns follow the country, not the basket: the model ranks far better than the baseline.
	if !r.ModelBeatsBaseline || r.Model.NormalizedGini < 0.8 || r.Baseline.NormalizedGini > 0.5 || r.Model.AUC < 0.95 {
		t.Errorf("model: Gini %.3f AUC %.3f, baseline: Gini %.3f; want the model near 1 and the baseline far below",
			r.Model.NormalizedGini, r.Model.AUC, r.Baseline.NormalizedGini)
	}
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
	checkPNG(t, r.ChartFile)
}

func TestEvaluateWindows(t *testing.T) {
	h := newHandMade(t)
	all := dates(t, "20110101", "20110515")
	h.addSales(t, all, synthSales(all, 1, 3))
	h.addBaseline(t, "20110101", "United Kingdom,country", "France,country")
	tests := []struct {
		name     string
		opts     training.EvalOptions
		want     [4]string // train from, to, holdout from, to
		wantText string    // the error, when it fails
	}{
		// The last run date is 20110515: the holdout is the 90 cohorts up to 20110510, the training
		// cohorts end a horizon before it.
		{"defaults", training.EvalOptions{HorizonDays: 5}, [4]string{"20101231", "20110204", "20110210", "20110510"}, ""},
		{"a set holdout", training.EvalOptions{HorizonDays: 5, HoldoutFrom: "20110401", HoldoutTo: "20110430"},
			[4]string{"20101231", "20110326", "20110401", "20110430"}, ""},
		{"a holdout before the training cohorts", training.EvalOptions{HorizonDays: 5, TrainTo: "20110301", HoldoutFrom: "20110201"},
			[4]string{}, "do not end before the holdout"},
		{"a horizon past the data", training.EvalOptions{HorizonDays: 5, HoldoutTo: "20110514"},
			[4]string{}, "after the last run date with data, 20110515"},
		{"a horizon longer than the data", training.EvalOptions{HorizonDays: 400}, [4]string{}, "ends before it starts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Fit, tt.opts.OutDir = testFit, t.TempDir()
			r, err := training.Evaluate(context.Background(), h.env, tt.opts)
			if tt.wantText != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantText) {
					t.Errorf("Evaluate = %v, want an error saying %q", err, tt.wantText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := [4]string{r.Train.From, r.Train.To, r.Holdout.From, r.Holdout.To}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("windows (-want +got):\n%s", diff)
			}
		})
	}
}
