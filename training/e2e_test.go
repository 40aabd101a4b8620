package training_test

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/internal/testdata"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/model"
	localmodel "github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/training"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// openRetail wires the embedded runtime on an in-memory DuckDB with the Online Retail day files whose
// names start with the given prefixes, initialised (the baseline model recorded), and returns it with
// the training environment over it.
func openRetail(t *testing.T, prefixes ...string) (*local.Runtime, training.Env) {
	t.Helper()
	src := testdata.OnlineRetail(t)
	wh, err := duckdb.Open("")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	state := t.TempDir()
	rt, err := local.Open(context.Background(), cfg, local.Options{WH: wh, StateDir: state, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close() })
	dir := t.TempDir()
	for _, p := range prefixes {
		matches, _ := filepath.Glob(filepath.Join(src, p+"*.csv"))
		for _, m := range matches {
			if err := os.Symlink(m, filepath.Join(dir, filepath.Base(m))); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := rt.Init(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	return rt, training.Env{WH: rt.WH, Tables: rt.SQL.Tables(), Stages: rt.StageFuncs(), LagDays: cfg.ExtractLagDays,
		NewClientDays: cfg.ModelNewClientDays, BurnInDays: cfg.ModelBurnInDays, StateDir: state, Workers: 4, Log: rt.Log}
}

// TestE2ETrainEvaluateOnlineRetail trains the model on the first purchases of 2011-01-31..2011-02-14 (out of the
// 60-day burn-in) with a 14-day horizon, checks that the pipeline serves it after its date, and evaluates it
// on four time splits of the cohorts 2011-03-01..2011-04-06. The short horizon keeps the pipeline to 141
// dates.
func TestE2ETrainEvaluateOnlineRetail(t *testing.T) {
	ctx := context.Background()
	rt, env := openRetail(t, "2010-12", "2011-01", "2011-02", "2011-03", "2011-04-0", "2011-04-1")

	res, err := training.Train(ctx, env, training.Options{ModelDate: "20110228", HorizonDays: 14})
	if err != nil {
		t.Fatal(err)
	}
	if w := res.Window; w.CohortFrom != "20110131" || w.CohortTo != "20110214" {
		t.Errorf("window %+v, want the cohorts 20110131..20110214, out of the burn-in", w)
	}
	sel, err := pipeline.SelectModel(ctx, rt.WH, rt.Config.LTVDataset(), "20110301")
	if err != nil || sel.Name != res.Name || sel.ModelDate != "20110228" {
		t.Fatalf("SelectModel(20110301) = %+v, %v; want the trained model", sel, err)
	}
	f, err := localmodel.Load(res.Path)
	if err != nil || f.Calibration == nil {
		t.Fatalf("model file: calibration %+v, %v", f.Calibration, err)
	}

	r, err := training.Evaluate(ctx, env, training.EvalOptions{Resamples: 200})
	if err != nil {
		t.Fatal(err)
	}
	// The last data day is 20110419, the last run date 20110420: the last cohort whose
	// 14-day horizon the data covers is 20110406.
	if r.Model != res.Name || len(r.Splits) != 4 || r.Splits[0].From != "20110301" || r.Splits[3].To != "20110406" {
		t.Fatalf("evaluated %s on %d splits %+v, want %s on 4 splits of 20110301..20110406", r.Model, len(r.Splits), r.Splits, res.Name)
	}
	for _, s := range r.Splits {
		t.Logf("split %d %s..%s, %d rows: %s", s.Split, s.From, s.To, s.Rows, figures(s.Figures))
	}
	t.Logf("mean: %s", figures(r.Mean))
	checkFigures(t, r)
	checkFiles(t, r)
	// That a second evaluation, after other commands, prints the same is TestEvaluateDeployedModel's and the
	// CLI's TestTrainThenEvaluate's to check: here it would run the pipeline over the 141 dates again.

	// The driver predicts the new customers of a date after the model's, prepared with its features.
	m, err := localmodel.New(localmodel.Options{Dir: training.ModelsDir(env.StateDir), Name: sel.Name, DeployTime: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Deploy(ctx); err != nil {
		t.Fatal(err)
	}
	table := rt.Config.LTVDataset().Shard(pipeline.NewCustomersTransactions, "20110301")
	var in model.Instances
	err = rt.WH.Read(ctx, warehouse.ReadRequest{Table: &table}, func(b warehouse.Batch) error {
		in.Schema, in.Rows = b.Schema, append(in.Rows, b.Rows...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	preds, err := m.Predict(ctx, in)
	if err != nil || len(preds) == 0 || len(preds) != len(in.Rows) {
		t.Fatalf("Predict(new customers of 20110301, %d rows) = %d predictions, %v", len(in.Rows), len(preds), err)
	}
	for i, p := range preds {
		pr, _ := p.Number(localmodel.FieldPReturn)
		if math.IsNaN(p.Value) || p.Value <= 0 || pr <= 0 || pr >= 1 {
			t.Errorf("row %d: prediction %+v", i, p)
		}
	}
}

func figures(figs []training.Figure) string {
	var b strings.Builder
	for _, f := range figs {
		fmt.Fprintf(&b, "%s %.3f vs %.3f (%s); ", f.Metric, float64(f.Model.Value), float64(f.Baseline.Value), f.Verdict)
	}
	return b.String()
}
