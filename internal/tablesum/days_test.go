package tablesum_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/internal/tablesum"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// TestDaysEqualsTable checks that the one read of the wildcard table fingerprints each shard as reading it
// alone does, and leaves out the dates outside the range and the empty shards.
func TestDaysEqualsTable(t *testing.T) {
	ctx := context.Background()
	wh, err := duckdb.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	ds := warehouse.Dataset{Project: "p", Dataset: "d"}
	schema := warehouse.Schema{{Name: "id", Type: warehouse.String}, {Name: "n", Type: warehouse.Integer}}
	shards := map[string][]warehouse.Row{
		"20240101": {{"a", int64(1)}, {"b", nil}},
		"20240102": {{"c", int64(3)}},
		"20240103": {{"a", int64(1)}, {"b", nil}},
		"20240105": {{"z", int64(9)}},
	}
	for d, rows := range shards {
		if err := wh.Insert(ctx, ds.Shard("t", d), schema, rows); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := wh.Query(ctx, warehouse.QueryJob{SQL: "SELECT 'x' AS id, 1 AS n LIMIT 0",
		Destination: ptr(ds.Shard("t", "20240104"))}); err != nil {
		t.Fatal(err)
	}
	got, err := tablesum.Days(ctx, wh, ds, "t", "20240101", "20240104")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]tablesum.Sum{}
	for _, d := range []string{"20240101", "20240102", "20240103"} {
		if want[d], err = tablesum.Table(ctx, wh, ds.Shard("t", d)); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Days (-Table +Days):\n%s", diff)
	}
	if got["20240101"] != got["20240103"] || got["20240101"] == got["20240102"] {
		t.Errorf("equal shards must have equal sums, different ones different: %v", got)
	}
}

func ptr[T any](v T) *T { return &v }
