package vertex_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/vertex"
	"github.com/pltv/pltv/warehouse"
)

// benchInstances returns n rows of ten features, like a prepared transactions table.
func benchInstances(n int) model.Instances {
	in := model.Instances{Schema: warehouse.Schema{
		{Name: "country", Type: warehouse.String}, {Name: "orders", Type: warehouse.Integer},
		{Name: "items", Type: warehouse.Integer}, {Name: "revenue", Type: warehouse.Float},
		{Name: "avg_price", Type: warehouse.Float}, {Name: "max_price", Type: warehouse.Float},
		{Name: "distinct_products", Type: warehouse.Integer}, {Name: "returns", Type: warehouse.Integer},
		{Name: "first_hour", Type: warehouse.Integer}, {Name: "weekday", Type: warehouse.String},
	}}
	for i := range n {
		in.Rows = append(in.Rows, warehouse.Row{
			"United Kingdom", int64(1 + i%5), int64(3 + i%40), 10.5 + float64(i%997), 2.5 + float64(i%13)/4,
			9.95, int64(1 + i%17), int64(i % 2), int64(i % 24), "Tuesday",
		})
	}
	return in
}

// BenchmarkPredict measures rows per second through the real Vertex AI client and the fake gRPC server,
// with many instances per request.
func BenchmarkPredict(b *testing.B) {
	for _, rows := range []int{500, 5000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			srv, m := deployedModel(b, withNames(vertex.Config{}))
			srv.KeepPredictRequests(false)
			in := benchInstances(rows)
			ctx := context.Background()
			for b.Loop() {
				if _, err := m.Predict(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
