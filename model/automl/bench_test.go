package automl_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/automl"
)

// BenchmarkPredict measures rows per second through the real AutoML client and the fake gRPC server, one
// row per request, at several concurrency bounds.
func BenchmarkPredict(b *testing.B) {
	const rows = 500 // MAX_PREDICTION_BATCH_SIZE's default
	base := instances()
	order := make([]int, rows)
	for i := range order {
		order[i] = i % len(base.Rows)
	}
	in := base.Select(order)
	for _, conc := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			srv, m := deployed(b, automl.Config{Concurrency: conc}, nil)
			srv.KeepPredictRequests(false)
			ctx := context.Background()
			var got []model.Prediction
			for b.Loop() {
				var err error
				if got, err = m.Predict(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
			if len(got) != rows {
				b.Fatalf("%d predictions for %d rows", len(got), rows)
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
