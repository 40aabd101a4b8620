package warehousetest

import (
	"time"

	"github.com/pltv/pltv/warehouse"
)

// predictions is the default schema of the predictions table.
var predictions = warehouse.Schema{
	{Name: "clientId", Type: warehouse.String, Mode: warehouse.Required},
	{Name: "orderId", Type: warehouse.String, Mode: warehouse.Required},
	{Name: "gclid", Type: warehouse.String, Mode: warehouse.Required},
	{Name: "date", Type: warehouse.String, Mode: warehouse.Required},
	{Name: "conversionValue", Type: warehouse.Float, Mode: warehouse.Required},
}

var insertTests = []test{
	{name: "CreatesThenAppends", run: func(h *harness) {
		h.insert("predictions_20200101", predictions, warehouse.Row{"c1", "o1", "g1", "20200101", 12.5})
		h.insert("predictions_20200101", predictions, warehouse.Row{"c2", "o2", "g2", "20200101", 3.0})
		_, rows := h.read(warehouse.ReadRequest{Table: ptr(h.ref("predictions_20200101"))})
		sortRows(rows)
		h.diff("rows", []warehouse.Row{{"c1", "o1", "g1", "20200101", 12.5}, {"c2", "o2", "g2", "20200101", 3.0}}, rows)
		info, err := h.w.Table(h.ctx, h.ref("predictions_20200101"))
		if err != nil {
			h.Fatal(err)
		}
		h.diff("schema", predictions, info.Schema)
	}},
	{name: "AllTypes", run: func(h *harness) {
		schema := warehouse.Schema{{Name: "s", Type: warehouse.String}, {Name: "i", Type: warehouse.Integer},
			{Name: "f", Type: warehouse.Float}, {Name: "b", Type: warehouse.Boolean}, {Name: "d", Type: warehouse.DateType},
			{Name: "t", Type: warehouse.Timestamp}}
		for i := range schema {
			schema[i].Mode = warehouse.Nullable
		}
		rows := []warehouse.Row{
			{"a", int64(-7), 0.25, true, warehouse.Date{Year: 2011, Month: 12, Day: 9}, time.Date(2011, 12, 9, 12, 50, 0, 0, time.UTC)},
			{"b", nil, nil, nil, nil, nil},
		}
		h.insert("typed", schema, rows...)
		got, gotRows := h.read(warehouse.ReadRequest{Table: ptr(h.ref("typed"))})
		sortRows(gotRows)
		h.diff("schema", schema, got)
		h.diff("rows", rows, gotRows)
	}},
	{name: "AllOrNothing", run: func(h *harness) {
		h.insert("p", predictions, warehouse.Row{"c1", "o1", "g1", "20200101", 1.0})
		err := h.w.Insert(h.ctx, h.ref("p"), predictions, []warehouse.Row{
			{"c2", "o2", "g2", "20200101", 2.0},
			{"c3", "o3", "g3", "20200101", nil}, // REQUIRED
		})
		if err == nil {
			h.Fatal("inserting a NULL into a REQUIRED column succeeded")
		}
		if _, n := h.state("p"); n != 1 {
			h.Errorf("rows after the failed insert: %d, want 1", n)
		}
	}},
}
