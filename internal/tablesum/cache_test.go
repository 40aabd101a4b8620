package tablesum_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/internal/tablesum"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// countingWarehouse counts the reads of a DuckDB warehouse, whose versions it keeps.
type countingWarehouse struct {
	*duckdb.Warehouse
	reads int
}

func (c *countingWarehouse) Read(ctx context.Context, r warehouse.ReadRequest, fn func(warehouse.Batch) error) error {
	c.reads++
	return c.Warehouse.Read(ctx, r, fn)
}

// TestCacheReadsOnlyWhatChanged checks that the cache gives what Days gives after every kind of change (a
// shard written again, one dropped, one added, a script), and reads again only the shards that changed.
func TestCacheReadsOnlyWhatChanged(t *testing.T) {
	ctx := context.Background()
	dw, err := duckdb.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer dw.Close()
	wh := &countingWarehouse{Warehouse: dw}
	ds := warehouse.Dataset{Project: "p", Dataset: "d"}
	schema := warehouse.Schema{{Name: "id", Type: warehouse.String}, {Name: "n", Type: warehouse.Integer}}
	write := func(d string, rows ...warehouse.Row) {
		t.Helper()
		if err := dw.Drop(ctx, ds.Shard("t", d)); err != nil {
			t.Fatal(err)
		}
		if err := dw.Insert(ctx, ds.Shard("t", d), schema, rows); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"20240101", "20240102", "20240103", "20240105"} {
		write(d, warehouse.Row{d, int64(1)})
	}
	cache := tablesum.NewCache()
	week := []string{"20240101", "20240102", "20240103", "20240104", "20240105"}
	check := func(what string, wantReads int) {
		t.Helper()
		wh.reads = 0
		got, err := cache.Days(ctx, wh, ds, "t", week)
		if err != nil {
			t.Fatal(err)
		}
		reads := wh.reads
		want, err := tablesum.Days(ctx, dw, ds, "t", "20240101", "20240105")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: cache.Days (-Days +cache):\n%s", what, diff)
		}
		if reads != wantReads {
			t.Errorf("%s: %d reads, want %d", what, reads, wantReads)
		}
	}
	check("first", 2) // 20240101..03 and 20240105: 04 has no table
	check("unchanged", 0)
	write("20240102", warehouse.Row{"other", int64(2)})
	check("a shard written again", 1)
	if err := dw.Drop(ctx, ds.Shard("t", "20240103")); err != nil {
		t.Fatal(err)
	}
	check("a shard dropped", 0)
	write("20240104", warehouse.Row{"new", int64(4)})
	check("a shard added", 1)
	if _, err := dw.Query(ctx, warehouse.QueryJob{SQL: "UPDATE `p.d.t_20240105` SET n = 5 WHERE TRUE"}); err != nil {
		t.Fatal(err)
	}
	check("a script", 1) // a script may change any table: every shard is read again, in one run
	var none *tablesum.Cache
	if got, err := none.Days(ctx, wh, ds, "t", week); err != nil || len(got) != 4 {
		t.Errorf("a nil cache: %v, %v; want the 4 shards with rows", got, err)
	}
}
