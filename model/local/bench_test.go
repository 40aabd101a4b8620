package local_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/warehouse"
)

// benchFile is a model of the size training makes: the prepared columns, 13 countries, 7 weekdays and
// 15 hours.
func benchFile() *local.File {
	levels := func(n int, name func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = name(i)
		}
		return out
	}
	countries := []string{"United Kingdom", "Germany", "France", "EIRE", "Spain", "Netherlands", "Belgium",
		"Switzerland", "Portugal", "Australia", "Norway", "Italy", "Other"}
	features := []local.Feature{
		{Name: "country", Kind: local.Categorical, Levels: countries},
		{Name: "weekday", Kind: local.Categorical, Levels: levels(7, func(i int) string { return strconv.Itoa(1 + i) })},
		{Name: "hour", Kind: local.Categorical, Levels: levels(15, func(i int) string { return strconv.Itoa(6 + i) })},
	}
	for _, n := range []string{"basket_value", "items", "lines", "distinct_products", "avg_unit_price", "max_unit_price",
		"best_seller_lines", "best_seller_share", "cancelled_lines", "cancelled_value"} {
		features = append(features, local.Feature{Name: n, Kind: local.Numeric, Transform: local.Log1p, Center: 1, Scale: 2})
	}
	cols := local.Columns(features)
	w := make([]float64, len(cols))
	for i := range w {
		w[i] = 0.01 * float64(i%7-3)
	}
	return &local.File{FormatVersion: local.FormatVersion, Name: "ltv-bench", Kind: local.KindTwoPart, Features: features,
		Columns: cols, Return: local.Linear{Weights: w}, Value: local.LogLinear{Linear: local.Linear{Intercept: 5, Weights: w}, Smearing: 1.3}}
}

// benchInstances are n rows of the prepared table's full schema.
func benchInstances(n int) model.Instances {
	s := warehouse.Schema{
		{Name: "clientId", Type: warehouse.String}, {Name: "orderId", Type: warehouse.String}, {Name: "gclid", Type: warehouse.String},
		{Name: "date", Type: warehouse.String}, {Name: "hour", Type: warehouse.Integer}, {Name: "weekday", Type: warehouse.Integer},
		{Name: "country", Type: warehouse.String}, {Name: "basket_value", Type: warehouse.Float}, {Name: "items", Type: warehouse.Integer},
		{Name: "lines", Type: warehouse.Integer}, {Name: "distinct_products", Type: warehouse.Integer},
		{Name: "avg_unit_price", Type: warehouse.Float}, {Name: "max_unit_price", Type: warehouse.Float},
		{Name: "best_seller_lines", Type: warehouse.Integer}, {Name: "best_seller_share", Type: warehouse.Float},
		{Name: "cancelled_lines", Type: warehouse.Integer}, {Name: "cancelled_value", Type: warehouse.Float},
	}
	countries := []string{"United Kingdom", "France", "Germany", "Other", "EIRE"}
	in := model.Instances{Schema: s}
	for i := range n {
		in.Rows = append(in.Rows, warehouse.Row{"c", "o", "", "20110301", int64(8 + i%12), int64(1 + i%7), countries[i%5],
			float64(i%500) + 0.5, int64(i % 300), int64(i % 40), int64(i % 35), 2.5, 12.75, int64(i % 9), 0.25, int64(i % 2), 3.4})
	}
	return in
}

// BenchmarkPredict measures in-process prediction of batches of 1,000 rows; rows/s is the figure.
func BenchmarkPredict(b *testing.B) {
	m := deployedModel(b, benchFile())
	in := benchInstances(1000)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.Predict(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(in.Rows))/b.Elapsed().Seconds(), "rows/s")
}
