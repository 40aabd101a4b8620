package duckdb_test

import (
	"context"
	"testing"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// TestVersionChangesWithEveryWrite checks that a table's version changes with every write and drop, and only
// then, and that a table dropped in a dataset that does not exist yet can then be written.
func TestVersionChangesWithEveryWrite(t *testing.T) {
	ctx := context.Background()
	wh, err := duckdb.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	ds := warehouse.Dataset{Project: "p", Dataset: "d"}
	shard, plain := ds.Shard("t", "20240101"), ds.Table("plain")
	schema := warehouse.Schema{{Name: "n", Type: warehouse.Integer}}
	if err := wh.Drop(ctx, shard); err != nil {
		t.Fatal(err)
	}
	seen := map[uint64]string{}
	step := func(what string, ref warehouse.Ref, changes bool) {
		t.Helper()
		v, ok := wh.Version(ref)
		if !ok {
			t.Fatalf("%s: no version", what)
		}
		prev, dup := seen[v]
		switch {
		case changes && dup:
			t.Errorf("%s: version %d, as after %s", what, v, prev)
		case !changes && !dup:
			t.Errorf("%s: version %d changed", what, v)
		}
		seen[v] = what
	}
	if v, ok := wh.Version(shard); !ok || v != 0 {
		t.Errorf("Version of a missing table = %d, %v; want 0, true", v, ok)
	}
	if err := wh.Insert(ctx, shard, schema, []warehouse.Row{{int64(1)}}); err != nil {
		t.Fatalf("insert after dropping a table of a missing dataset: %v", err)
	}
	step("insert", shard, true)
	if _, err := wh.Tables(ctx, ds, ""); err != nil {
		t.Fatal(err)
	}
	step("a listing", shard, false)
	if _, err := wh.Query(ctx, warehouse.QueryJob{SQL: "SELECT 2 AS n", Destination: &shard}); err != nil {
		t.Fatal(err)
	}
	step("a query into it", shard, true)
	if _, err := wh.Copy(ctx, warehouse.CopyJob{Source: shard, Destination: plain}); err != nil {
		t.Fatal(err)
	}
	step("a copy from it", shard, false)
	step("the copy", plain, true)
	if err := wh.Insert(ctx, plain, schema, []warehouse.Row{{int64(3)}}); err != nil {
		t.Fatal(err)
	}
	step("an append", plain, true)
	if _, err := wh.Query(ctx, warehouse.QueryJob{SQL: "DELETE FROM `p.d.plain` WHERE n = 3"}); err != nil {
		t.Fatal(err)
	}
	if _, err := wh.Tables(ctx, ds, ""); err != nil { // the script made the catalog be read again
		t.Fatal(err)
	}
	step("a script", plain, true)
	if err := wh.Drop(ctx, plain); err != nil {
		t.Fatal(err)
	}
	if v, ok := wh.Version(plain); !ok || v != 0 {
		t.Errorf("Version of a dropped table = %d, %v; want 0, true", v, ok)
	}
}
