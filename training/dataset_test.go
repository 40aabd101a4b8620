package training_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/training"
	"github.com/pltv/pltv/warehouse"
)

func TestBuildDataset(t *testing.T) {
	h := newHandMade(t)
	uk := "United Kingdom"
	h.addSales(t, dates(t, "20110101", "20110110"), []sale{
		// a: two invoices on the first date (not future value), then 7 + 3 within 3 days, 100 after.
		{date: "20110101", client: "a", order: "o1", country: uk, value: 10, lines: 2, isNew: true},
		{date: "20110101", client: "a", order: "o2", country: uk, value: 5, lines: 1, isNew: true},
		{date: "20110103", client: "a", order: "o5", country: uk, value: 7, lines: 1},
		{date: "20110104", client: "a", order: "o6", country: uk, value: 3, lines: 1},
		{date: "20110105", client: "a", order: "o7", country: uk, value: 100, lines: 1},
		// b never comes back.
		{date: "20110102", client: "b", order: "o3", country: "France", value: 20, lines: 4, isNew: true},
		// d comes back on the horizon's last day, and the day after.
		{date: "20110103", client: "d", order: "o4", country: uk, value: 9, lines: 3, isNew: true},
		{date: "20110106", client: "d", order: "o8", country: uk, value: 8, lines: 1},
		{date: "20110107", client: "d", order: "o9", country: uk, value: 50, lines: 1},
		// c is new after the cohort.
		{date: "20110105", client: "c", order: "o10", country: uk, value: 30, lines: 1, isNew: true},
		{date: "20110106", client: "c", order: "o11", country: uk, value: 30, lines: 1},
	})
	// A staging table left behind by a failed prepare is not a shard.
	h.insert(t, h.ltv.Table(pipeline.PreparedDailyTransactions+"_20110102__sql"), preparedSchema,
		warehouse.Row{"a", "stray", "20110102", uk, 1000.0, int64(1)})

	ds, err := training.BuildDataset(context.Background(), h.wh, h.ltv, training.Cohort{From: "20110101", To: "20110104", HorizonDays: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := &training.Dataset{
		Schema: preparedSchema,
		Rows: []warehouse.Row{
			{"a", "o1", "20110101", uk, 10.0, int64(2)},
			{"a", "o2", "20110101", uk, 5.0, int64(1)},
			{"b", "o3", "20110102", "France", 20.0, int64(4)},
			{"d", "o4", "20110103", uk, 9.0, int64(3)},
		},
		FirstDate: []string{"20110101", "20110101", "20110102", "20110103"},
		Client:    []string{"a", "a", "b", "d"},
		Label:     []float64{10, 10, 0, 8},
	}
	ignoreMode := cmp.Transformer("nullable", func(f warehouse.Field) warehouse.Field { f.Mode = ""; return f })
	if diff := cmp.Diff(want, ds, ignoreMode); diff != "" {
		t.Errorf("BuildDataset (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{10, 5, 20, 9}, ds.FirstValues()); diff != "" {
		t.Errorf("FirstValues (-want +got):\n%s", diff)
	}
	if ds.Customers() != 3 {
		t.Errorf("Customers() = %d, want 3", ds.Customers())
	}
}

func TestBuildDatasetRefuses(t *testing.T) {
	h := newHandMade(t)
	h.addSales(t, dates(t, "20110101", "20110103"), []sale{
		{date: "20110101", client: "a", order: "o1", country: "France", value: 10, lines: 2, isNew: true},
	})
	tests := []struct {
		name   string
		cohort training.Cohort
		want   string
	}{
		{"no tables", training.Cohort{From: "20110201", To: "20110210", HorizonDays: 3}, "run extract, prepare and filter"},
		{"no new customers", training.Cohort{From: "20110102", To: "20110103", HorizonDays: 3}, "no new-customer rows"},
		{"backwards", training.Cohort{From: "20110103", To: "20110101", HorizonDays: 3}, "ends before it starts"},
		{"no horizon", training.Cohort{From: "20110101", To: "20110101"}, "horizon of 0 days"},
		{"a bad date", training.Cohort{From: "2011-01-01", To: "20110101", HorizonDays: 3}, "YYYYMMDD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := training.BuildDataset(context.Background(), h.wh, h.ltv, tt.cohort)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("BuildDataset(%+v) = %v, want an error saying %q", tt.cohort, err, tt.want)
			}
		})
	}
}
