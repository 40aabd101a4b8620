package training_test

import (
	"context"
	"image/png"
	"log/slog"
	"math"
	"os"
	"path/filepath"
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

// TestTrainEvaluateOnlineRetail trains the model with the defaults on December 2010 to February 2011 and
// checks that the pipeline serves it from June on, then evaluates a model fitted on the first purchases
// of 2010-12-01..2011-01-15 on those of 2011-01-16..2011-02-15 (a 30-day horizon keeps the run under half
// a minute: the pipeline runs for 107 dates).
func TestTrainEvaluateOnlineRetail(t *testing.T) {
	ctx := context.Background()
	rt, env := openRetail(t, "2010-12", "2011-01", "2011-02", "2011-03", "2011-04", "2011-05", "2011-06-0")

	res, err := training.Train(ctx, env, training.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := res.Window
	if w.ModelDate != "20110530" || w.CohortFrom != "20110131" || w.CohortTo != "20110331" || w.HorizonDays != 60 {
		t.Errorf("default window %+v, want model date 20110530, cohort 20110131..20110331 (out of the 60-day burn-in), 60 days", w)
	}
	t.Logf("trained %s on %d rows: in-sample normalized Gini %.3f (baseline %.3f)", res.Name, res.Metrics.Rows,
		res.Metrics.Model.NormalizedGini, res.Metrics.Baseline.NormalizedGini)
	sel, err := pipeline.SelectModel(ctx, rt.WH, rt.Config.LTVDataset(), "20110601")
	if err != nil || sel.Name != res.Name || sel.ModelDate != "20110530" {
		t.Fatalf("SelectModel(20110601) = %+v, %v; want the trained model", sel, err)
	}

	r, err := training.Evaluate(ctx, env, training.EvalOptions{HorizonDays: 30,
		TrainFrom: "20101201", TrainTo: "20110115", HoldoutFrom: "20110116", HoldoutTo: "20110215"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("holdout %s..%s, %d rows: normalized Gini model %.3f, baseline %.3f; Spearman %.3f, %.3f; decile MAPE %.2f, %.2f",
		r.Holdout.From, r.Holdout.To, r.Holdout.Rows, r.Model.NormalizedGini, r.Baseline.NormalizedGini,
		r.Model.Spearman, r.Baseline.Spearman, r.Model.DecileMAPE, r.Baseline.DecileMAPE)
	if !(r.Model.NormalizedGini > r.Baseline.NormalizedGini) || !r.ModelBeatsBaseline {
		t.Errorf("normalized Gini of the model %.3f, of the baseline %.3f: want the model's higher", r.Model.NormalizedGini, r.Baseline.NormalizedGini)
	}
	checkPNG(t, r.ChartFile)

	// The pipeline prepares June's first date with the trained model's features; the driver predicts it.
	if _, err := pipeline.RunRange(ctx, rt.StageFuncs(), []string{pipeline.StageExtract, pipeline.StagePrepare, pipeline.StageFilter},
		[]string{"20110601"}, 1, nil); err != nil {
		t.Fatal(err)
	}
	m, err := localmodel.New(localmodel.Options{Dir: training.ModelsDir(env.StateDir), Name: sel.Name, DeployTime: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Deploy(ctx); err != nil {
		t.Fatal(err)
	}
	table := rt.Config.LTVDataset().Shard(pipeline.NewCustomersTransactions, "20110601")
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
		t.Fatalf("Predict(new customers of 20110601, %d rows) = %d predictions, %v", len(in.Rows), len(preds), err)
	}
	for i, p := range preds {
		pr, _ := p.Number(localmodel.FieldPReturn)
		if math.IsNaN(p.Value) || p.Value <= 0 || pr <= 0 || pr >= 1 {
			t.Errorf("row %d: prediction %+v", i, p)
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
		t.Fatalf("decile chart %s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 300 {
		t.Errorf("decile chart %s is %v, want two readable panels", path, b)
	}
}
