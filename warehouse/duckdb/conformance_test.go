package duckdb_test

import (
	"testing"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
	"github.com/pltv/pltv/warehouse/warehousetest"
)

func TestConformance(t *testing.T) {
	warehousetest.Run(t, func(t *testing.T) warehouse.Warehouse {
		w, err := duckdb.Open("")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := w.Close(); err != nil {
				t.Error(err)
			}
		})
		return w
	}, warehousetest.Features{GoogleSQL: true, ErrorLines: true, LoadErrorLines: true, Concurrency: true,
		SnapshotReads: true})
}
