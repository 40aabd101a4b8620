package servicetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// PredictDay is the run date Runtime writes new customers for.
const PredictDay = "20110301"

// Runtime opens the embedded runtime on an in-memory DuckDB with n new-customer rows for PredictDay, batches
// of batchSize rows, a model recorded in the metadata table, and models for the predict stage.
func Runtime(t testing.TB, models pipeline.Models, tracker pipeline.PredictTracker, n, batchSize int) *local.Runtime {
	t.Helper()
	ctx := context.Background()
	wh, err := duckdb.Open("")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.MaxPredictionBatchSize = batchSize
	rt, err := local.Open(ctx, cfg, local.Options{WH: wh, Log: Log(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	ltv := cfg.LTVDataset()
	schema := warehouse.Schema{{Name: "clientId", Type: warehouse.String}, {Name: "orderId", Type: warehouse.String},
		{Name: "gclid", Type: warehouse.String}, {Name: "date", Type: warehouse.String}, {Name: "basket_value", Type: warehouse.Float}}
	rows := make([]warehouse.Row, n)
	for i := range rows {
		rows[i] = warehouse.Row{fmt.Sprint(1000 + i), fmt.Sprintf("o%04d", i), "", PredictDay, float64(i)}
	}
	if n > 0 {
		if err := wh.Insert(ctx, ltv.Shard(pipeline.NewCustomersTransactions, PredictDay), schema, rows); err != nil {
			t.Fatal(err)
		}
	}
	if err := pipeline.RecordModel(ctx, wh, ltv, pipeline.Model{ExportDate: "20110201", ModelDate: "20110201", Name: "fake"}); err != nil {
		t.Fatal(err)
	}
	rt.Pipeline.Predictor = &pipeline.Predictor{Models: models, Tracker: tracker, Concurrency: 2, RowsPerRequest: 4}
	return rt
}
