package warehousetest

import (
	"github.com/pltv/pltv/warehouse"
)

var tableTests = []test{
	{name: "States", run: func(h *harness) {
		schema := warehouse.Schema{{Name: "id", Type: warehouse.String, Mode: warehouse.Required},
			{Name: "value", Type: warehouse.Float, Mode: warehouse.Nullable}}
		info, err := h.w.Table(h.ctx, h.ref("t"))
		if err != nil {
			h.Fatal(err)
		}
		h.diff("missing", warehouse.TableInfo{Ref: h.ref("t"), State: warehouse.Missing}, info)
		h.insert("t", schema)
		info, err = h.w.Table(h.ctx, h.ref("t"))
		if err != nil {
			h.Fatal(err)
		}
		h.diff("empty", warehouse.TableInfo{Ref: h.ref("t"), State: warehouse.Empty, Schema: schema}, info)
		h.insert("t", schema, warehouse.Row{"a", 1.5}, warehouse.Row{"b", nil})
		info, err = h.w.Table(h.ctx, h.ref("t"))
		if err != nil {
			h.Fatal(err)
		}
		h.diff("with rows", warehouse.TableInfo{Ref: h.ref("t"), State: warehouse.HasRows, Rows: 2, Schema: schema}, info)
	}},
	{name: "ListSortedByPrefix", run: func(h *harness) {
		for _, name := range []string{"predictions_20200103", "predictions_20200101", "other", "predictions_20200102"} {
			h.insert(name, numbers, warehouse.Row{int64(1)})
		}
		infos, err := h.w.Tables(h.ctx, h.ds, "predictions_")
		if err != nil {
			h.Fatal(err)
		}
		var names []string
		for _, i := range infos {
			names = append(names, i.Ref.Table)
			if i.State != warehouse.HasRows || i.Rows != 1 || i.Ref.DatasetOf() != h.ds {
				h.Errorf("%s: %+v, want one row in %v", i.Ref.Table, i, h.ds)
			}
		}
		h.diff("names", []string{"predictions_20200101", "predictions_20200102", "predictions_20200103"}, names)
		all, err := h.w.Tables(h.ctx, h.ds, "")
		if err != nil {
			h.Fatal(err)
		}
		h.diff("all tables", 4, len(all))
		none, err := h.w.Tables(h.ctx, h.ds, "nothing")
		if err != nil {
			h.Fatal(err)
		}
		h.diff("no match", 0, len(none))
	}},
	{name: "Drop", run: func(h *harness) {
		h.insert("t", numbers, warehouse.Row{int64(1)})
		if err := h.w.Drop(h.ctx, h.ref("t")); err != nil {
			h.Fatal(err)
		}
		if st, _ := h.state("t"); st != warehouse.Missing {
			h.Errorf("state after Drop: %v, want missing", st)
		}
		if err := h.w.Drop(h.ctx, h.ref("t")); err != nil {
			h.Errorf("dropping a missing table: %v, want no error", err)
		}
		if err := h.w.Drop(h.ctx, warehouse.Ref{Project: h.ds.Project, Dataset: "no_such_dataset", Table: "t"}); err != nil {
			h.Errorf("dropping a table of a missing dataset: %v, want no error", err)
		}
	}},
	{name: "ShardsListed", run: func(h *harness) {
		other := warehouse.Schema{{Name: "id", Type: warehouse.String, Mode: warehouse.Required}}
		h.insert("p_20200102", numbers, seq(2)...)
		h.insert("p_20200101", numbers, seq(1)...)
		h.insert("p_20200103", other, warehouse.Row{"a"})
		h.insert("p_20200104", numbers)
		infos, err := h.w.Tables(h.ctx, h.ds, "p_")
		if err != nil {
			h.Fatal(err)
		}
		n := warehouse.Schema{{Name: "n", Type: warehouse.Integer, Mode: warehouse.Nullable}}
		h.diff("tables", []warehouse.TableInfo{
			{Ref: h.ref("p_20200101"), State: warehouse.HasRows, Rows: 1, Schema: n},
			{Ref: h.ref("p_20200102"), State: warehouse.HasRows, Rows: 2, Schema: n},
			{Ref: h.ref("p_20200103"), State: warehouse.HasRows, Rows: 1, Schema: other},
			{Ref: h.ref("p_20200104"), State: warehouse.Empty, Schema: n},
		}, infos)
		if err := h.w.Drop(h.ctx, h.ref("p_20200101")); err != nil {
			h.Fatal(err)
		}
		h.insert("p_20200102", numbers, warehouse.Row{int64(3)})
		if st, n := h.state("p_20200102"); st != warehouse.HasRows || n != 3 {
			h.Errorf("p_20200102 after an insert: %v, %d rows; want 3 rows", st, n)
		}
		if st, _ := h.state("p_20200101"); st != warehouse.Missing {
			h.Errorf("p_20200101 after Drop: %v, want missing", st)
		}
	}},
}
