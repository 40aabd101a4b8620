package bigquery_test

import (
	"testing"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/warehousetest"
)

// TestConformance runs the port's shared suite through the fake. The fake executes no SQL, so the tests that
// query are skipped; the rest (table states, listing, drop, loads, dispositions, copies, inserts, batched
// reads of tables) run against the fake's tables with the requests the driver really sends.
func TestConformance(t *testing.T) {
	warehousetest.Run(t, func(t *testing.T) warehouse.Warehouse {
		return setup(t).w
	}, warehousetest.Features{Concurrency: true})
}
